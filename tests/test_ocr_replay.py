"""The OCR replay (extract/ocr/replay.py): recordings that serve the suite without Tesseract.

The recordings in tests/ocr_replay/ are made by `make ocr-replay`, which sets
CHITIEU_OCR_RECORD=1 for one run of the suite; the guard below fails any other run that
has it left on (a suite that records never tests its recordings)."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.ocr import replay
from extract.ocr.tesseract import TesseractFailed, image_file_to_data

REPO = Path(__file__).resolve().parents[1]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SCAN = REPO / "samples" / "deck_2023_summary_scan_200dpi.pdf"


def test_recording_is_off():
    assert os.environ.get(replay.RECORD_ENV) != "1", (
        f"{replay.RECORD_ENV}=1 is left on: the suite writes tests/ocr_replay/ instead of testing it "
        "(only `make ocr-replay` sets it)")


def test_a_list_reading_splits_into_readings_of_one_image_and_back():
    header = "\t".join(("level", "page_num", "block_num", "par_num", "line_num", "word_num",
                        "left", "top", "width", "height", "conf", "text"))
    rows = ["1\t1\t0\t0\t0\t0\t0\t0\t50\t20\t-1\t", "5\t1\t1\t1\t1\t1\t2\t3\t10\t8\t91.5\tTỷ",
            "1\t2\t0\t0\t0\t0\t0\t0\t60\t20\t-1\t", "5\t2\t1\t1\t1\t1\t4\t3\t12\t8\t88\t95%",
            "1\t3\t0\t0\t0\t0\t0\t0\t70\t20\t-1\t"]
    both = "\n".join((header, *rows)) + "\n"
    alone = replay.split_pages(both, 3)
    assert [t.count("\n") for t in alone] == [3, 3, 2]
    assert all(row.split("\t")[1] == "1" for t in alone for row in t.splitlines()[1:])
    assert "95%" in alone[1] and "Tỷ" in alone[0]
    assert replay.join_pages(alone) == both


def _line_image(path: Path, text: str) -> Path:
    image = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(image).text((20, 30), text, fill=0, font=ImageFont.truetype(FONT, 40))
    image.save(path, format="BMP")
    return path


def _no_tesseract(bin_dir: Path, real: str) -> Path:
    """A tesseract that says its version and languages (the real one's) and refuses to read."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "tesseract"
    script.write_text('#!/bin/sh\ncase "$1" in --version|--list-langs) exec "%s" "$@";; esac\n'
                      'echo "tesseract must not run: this reading was to be played back" >&2\nexit 1\n' % real)
    script.chmod(0o755)
    return bin_dir


@pytest.mark.tesseract
@pytest.mark.real_tesseract
def test_a_recorded_reading_is_played_back_and_an_unrecorded_one_read(tmp_path, monkeypatch):
    real = shutil.which("tesseract")
    monkeypatch.delenv(replay.LOG_ENV, raising=False)  # the session's count is of tests/ocr_replay/
    monkeypatch.setenv(replay.REPLAY_ENV, str(tmp_path / "rec"))
    monkeypatch.setenv(replay.RECORD_ENV, "1")
    first = _line_image(tmp_path / "a.bmp", "Tỷ lệ 95%")
    settings = dict(lang="vie", config="--psm 7", timeout=60)
    recorded = image_file_to_data(str(first), **settings)
    assert "95%" in recorded["text"]
    assert len(list((tmp_path / "rec").rglob("*.gz"))) == 1

    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(_no_tesseract(tmp_path / "bin", real) / "tesseract"))
    monkeypatch.delenv(replay.RECORD_ENV)
    assert image_file_to_data(str(first), **settings) == recorded  # played back: the stand-in never ran
    with pytest.raises(TesseractFailed, match="must not run"):  # other pixels: a miss, read for real
        image_file_to_data(str(_line_image(tmp_path / "b.bmp", "Tỷ lệ 96%")), **settings)
    with pytest.raises(TesseractFailed, match="must not run"):  # other settings: a miss too
        image_file_to_data(str(first), lang="vie", config="--psm 6", timeout=60)


def _indicators(out: Path) -> list[dict]:
    with open(out / "indicators.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.tesseract
@pytest.mark.real_tesseract
def test_a_scanned_sample_reads_the_same_played_back_without_tesseract_as_by_tesseract(tmp_path):
    """The recordings are current and whole for this sample (a miss would meet the stand-in
    and fail its pages), and what they play back is what Tesseract reads here."""
    env = {k: v for k, v in os.environ.items() if k not in (replay.REPLAY_ENV, replay.RECORD_ENV)}
    recording = os.environ.get(replay.RECORD_ENV) == "1"  # `make ocr-replay`: the real run records
    command = [sys.executable, str(REPO / "pipeline.py"), "run", str(SCAN), "--no-cache", "--no-progress"]
    real = subprocess.run([*command, "-o", str(tmp_path / "real")], capture_output=True, text=True,
                          env=dict(os.environ) if recording else env)
    bin_dir = _no_tesseract(tmp_path / "bin", shutil.which("tesseract"))
    played = subprocess.run([*command, "-o", str(tmp_path / "played")], capture_output=True, text=True,
                            env={**env, "PATH": f"{bin_dir}{os.pathsep}{env['PATH']}",
                                 replay.REPLAY_ENV: str(REPO / "tests" / "ocr_replay")})
    assert played.returncode == real.returncode == 0, played.stderr
    assert "must not run" not in played.stderr
    assert len(_indicators(tmp_path / "real")) > 100
    assert _indicators(tmp_path / "played") == _indicators(tmp_path / "real")
