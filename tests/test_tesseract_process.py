"""The Tesseract process: its own environment, a timeout, a failure that says why."""
from __future__ import annotations

import os
import stat

import pytest

from extract.ocr import tesseract
from extract.ocr.engine import TesseractEngine


@pytest.fixture
def fake_tesseract(tmp_path, monkeypatch):
    """A stand-in for the tesseract program, written by each test as a shell script."""
    import pytesseract

    def install(body: str):
        script = tmp_path / "tesseract"
        script.write_text("#!/bin/sh\n" + body)
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
        monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(script))
        return script

    return install


def test_the_thread_limit_is_in_tesseracts_environment_not_ours(fake_tesseract, tmp_path):
    fake_tesseract('echo "$OMP_THREAD_LIMIT"\n')
    before = dict(os.environ)
    assert tesseract.run_tesseract([], timeout=10).strip() == b"1"
    assert dict(os.environ) == before


def test_a_hung_tesseract_is_stopped(fake_tesseract):
    fake_tesseract("sleep 30\n")
    with pytest.raises(tesseract.TesseractFailed, match="more than 1 s"):
        tesseract.run_tesseract([], timeout=1)


def test_a_crashing_tesseract_says_why(fake_tesseract):
    fake_tesseract('echo "Error: image file broken" >&2\nexit 1\n')
    with pytest.raises(tesseract.TesseractFailed, match="status 1: Error: image file broken"):
        tesseract.run_tesseract([], timeout=10)


def test_the_engine_reads_tesseracts_tsv(fake_tesseract, tmp_path):
    # The TSV a real Tesseract writes for one word; the engine turns it into an OcrWord.
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t91.5\t85%\n")
    (tmp_path / "tsv").write_text(tsv)
    fake_tesseract(f'cp "{tmp_path / "tsv"}" "$2.tsv"\n')
    from PIL import Image

    (word,) = TesseractEngine().image_to_words(Image.new("L", (50, 50), 255), lang="vie", psm=11)
    assert (word.text, word.conf, word.x0, word.top, word.x1, word.bottom) == ("85%", 91.0, 10, 20, 40, 32)
