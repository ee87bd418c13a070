"""The Tesseract process: its own environment, a timeout, a failure that says why."""
from __future__ import annotations

import os
import re
import stat

import pytest

from extract.ocr import tesseract
from extract.ocr.engine import TesseractEngine

# Never played back (conftest): a fake tesseract on PATH fails on purpose: a recording would hide it.
pytestmark = pytest.mark.real_tesseract


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
           "1\t1\t0\t0\t0\t0\t0\t0\t50\t50\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t91.5\t85%\n")
    (tmp_path / "tsv").write_text(tsv)
    fake_tesseract(f'cp "{tmp_path / "tsv"}" "$2.tsv"\n')
    from PIL import Image

    (word,) = TesseractEngine().image_to_words(Image.new("L", (50, 50), 255), lang="vie", psm=11)
    assert (word.text, word.conf, word.x0, word.top, word.x1, word.bottom) == ("85%", 91.0, 10, 20, 40, 32)


def test_a_hung_tesseract_is_stopped_with_what_it_started(fake_tesseract):
    fake_tesseract("sleep 47.5314 &\nwait\n")  # a child holding the pipes, as a wrapper script would
    with pytest.raises(tesseract.TesseractTimeout):
        tesseract.run_tesseract([], timeout=1)
    assert _gone(b"47.5314")


def _gone(mark: bytes, within: float = 5.0) -> bool:
    """No process runs with ``mark`` in its command line, within a few seconds (a SIGKILL
    is delivered, and the process ends, a moment after it is sent)."""
    import time

    deadline = time.monotonic() + within
    while [p for p in os.listdir("/proc") if p.isdigit() and mark in _cmdline(p)]:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _cmdline(pid: str) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read()
    except OSError:
        return b""


def test_a_tesseract_killed_says_by_what(fake_tesseract):
    fake_tesseract("kill -9 $$\n")
    with pytest.raises(tesseract.TesseractFailed, match="killed by SIGKILL"):
        tesseract.run_tesseract([], timeout=10)


def test_the_time_of_an_image_grows_with_its_pixels():
    assert tesseract.timeout_for(2481 * 3508) == pytest.approx(120)  # A4 at 300 dpi
    assert tesseract.timeout_for(2 * 2481 * 3508) == pytest.approx(240)  # A3
    assert tesseract.timeout_for(300 * 40) == tesseract.MIN_TIMEOUT  # a cell's crop
    assert tesseract.timeout_for(2481 * 3508, 5) == 5  # --page-timeout


HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
PAGE = "1\t{n}\t0\t0\t0\t0\t0\t0\t50\t50\t-1\t\n"
WORD = "5\t{n}\t1\t1\t1\t1\t10\t20\t30\t12\t91.5\t85%\n"


def test_a_whole_tsv_reads_as_pytesseract_reads_it():
    from pytesseract.pytesseract import file_to_dict

    from extract.ocr.tsv import tsv_to_data

    tsv = HEADER + PAGE.format(n=1) + WORD.format(n=1) + PAGE.format(n=2)
    assert tsv_to_data(tsv, images=2) == file_to_dict(tsv, "\t", -1)


@pytest.mark.parametrize("tsv,images,said", [
    ("", 1, "empty TSV"),
    (HEADER + PAGE.format(n=1) + WORD.format(n=1)[:-4], 1, "ends in the middle of a row"),
    (HEADER + PAGE.format(n=1) + "5\t1\t1\t1\t1\t1\t10\t20\t30\t91.5\t85%\n", 1, "has 11 fields, not 12"),
    (HEADER + PAGE.format(n=1) + WORD.format(n=1).replace("\t20\t", "\t2O\t"), 1, "'2O' for top, not a number"),
    (HEADER.replace("conf\t", ""), 1, "unexpected header (11 columns"),
    (HEADER + PAGE.format(n=1) + WORD.format(n=1), 2, "no reading of image 2 of 2"),
])
def test_a_tsv_cut_short_or_garbled_is_an_error(tsv, images, said):
    from extract.errors import OcrFailed
    from extract.ocr.tsv import tsv_to_data

    with pytest.raises(OcrFailed, match=re.escape(said)):
        tsv_to_data(tsv, images=images)


class _Ended(BaseException):
    """What ``os._exit`` in a worker's stop does here: nothing after it runs."""


def test_a_stop_that_comes_while_tesseract_starts_waits_for_its_group_and_kills_it(fake_tesseract, monkeypatch):
    """A worker's SIGTERM handler run between the start of the process and its group being
    known would leave that Tesseract running on: the stop is held until it is known."""
    import subprocess

    fake_tesseract("sleep 30\n")
    started, seen = [], []
    real_popen = subprocess.Popen

    def stop():
        seen.append(started[0].pid in tesseract._running)
        tesseract.stop_running()
        raise _Ended

    def popen(*args, **kwargs):  # the signal lands as the process has started, before it is recorded
        started.append(real_popen(*args, **kwargs))
        assert tesseract.hold_stop(stop)
        return started[0]

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(tesseract, "_held_stop", None)  # set back after: a real stop ends the process
    with pytest.raises(_Ended):
        tesseract.run_tesseract([], timeout=30)
    assert seen == [True]
    assert started[0].wait(timeout=5) == -9  # killed with its group, not left to sleep its 30 s
    started[0].stdout.close()
    started[0].stderr.close()
    assert not tesseract.hold_stop(stop)  # no Tesseract starting now: a stop is not held


def test_the_orientation_check_keeps_the_page_timeout(fake_tesseract, caplog):
    import time

    from PIL import Image

    from extract.imaging.preprocess import osd_rotation

    fake_tesseract("sleep 30\n")
    start = time.monotonic()
    assert osd_rotation(Image.new("L", (400, 600), 255), timeout=1) == 0  # not judged: left as it is
    assert time.monotonic() - start < 5  # its own second, not the 30 s it would hang (nor 30 s scaled)
    assert "orientation not checked: tesseract took more than 1 s" in caplog.text


def test_a_tesseract_dies_with_a_worker_killed_outright(fake_tesseract, tmp_path):
    """SIGKILL (the OOM killer) runs no handler: the parent-death signal takes Tesseract down."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    if tesseract._setpriv() is None:
        pytest.skip("no setpriv (util-linux) here")
    script = fake_tesseract("exec sleep 47.7713\n")
    worker = subprocess.Popen([sys.executable, "-c", (
        "import pytesseract, sys\n"
        f"pytesseract.pytesseract.tesseract_cmd = {str(script)!r}\n"
        "from extract.ocr.tesseract import run_tesseract\n"
        "run_tesseract([], timeout=60)\n")], cwd=Path(__file__).resolve().parents[1])

    def sleeping() -> bool:
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if b"47.7713" in cmdline.read_bytes():
                    return True
            except OSError:
                pass
        return False

    deadline = time.monotonic() + 20
    while not sleeping():
        assert time.monotonic() < deadline, "the fake tesseract never started"
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    deadline = time.monotonic() + 5
    while sleeping() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not sleeping()
