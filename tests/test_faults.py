"""Faults cost only their page: a Tesseract that crashes, is killed, hangs, or writes a
reading cut short or garbled, and a worker process killed mid-run.

Each run is the command line on a four-page scan (blank pages of different widths)
read by a fake tesseract (``fake_tesseract``) that fails on page 3. The run must end
(within its time limit plus a margin) with exit status 3, one line on stderr and one
row in errors.csv saying why, and every other page's records exactly as in a run
without the fault.
"""
from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import fake_tesseract
from extract.errors import ExitCode
from extract.ocr.replay import REPLAY_ENV

# Never played back (conftest): a fake tesseract on PATH fails on purpose: a recording would hide it.
pytestmark = pytest.mark.real_tesseract

REPO = Path(__file__).resolve().parents[1]
FAULT_PAGE = 3
PAGE_TIMEOUT = 2  # seconds: the hung page's
MARGIN = 25  # seconds a run of four blank pages may take besides, on a busy machine


def chitieu_run(tmp: Path, scan: Path, fault: str = "") -> tuple[subprocess.CompletedProcess, float, Path]:
    """The command line on ``scan`` with the fake tesseract failing with ``fault``: its
    process, how long it took, its output folder."""
    bin_dir = fake_tesseract.install(tmp / "bin", fault, FAULT_PAGE)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop(REPLAY_ENV, None)  # the fake must run (this may be a module fixture's run, before conftest's fixture)
    out = tmp / "out"
    command = [sys.executable, str(REPO / "pipeline.py"), "run", str(scan), "-o", str(out), "--no-cache",
               "--no-progress", "--jobs", "2", "--executor", "process", "--page-timeout", str(PAGE_TIMEOUT),
               "--ocr-engine", "tesseract"]  # the program's faults: the fake stands in for it
    start = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=PAGE_TIMEOUT * 4 + MARGIN)
    return done, time.monotonic() - start, out


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def other_pages(out: Path, name: str) -> list[dict]:
    return [r for r in rows(out / name) if r["page"] != str(FAULT_PAGE)]


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> Path:
    return fake_tesseract.blank_pdf(tmp_path_factory.mktemp("scan") / "scan.pdf")


@pytest.fixture(scope="module")
def clean_run(scan, tmp_path_factory) -> Path:
    done, _, out = chitieu_run(tmp_path_factory.mktemp("clean"), scan)
    assert done.returncode == ExitCode.OK, done.stderr
    assert {r["page"] for r in rows(out / "indicators.csv")} == {"1", "2", "3", "4"}
    return out


def hung_sleeps(within: float = 5.0) -> list[str]:
    """Processes still running the hung fake's ``sleep`` (its process group was to be
    killed) after a few seconds: a SIGKILL ends a process a moment after it is sent."""
    deadline = time.monotonic() + within
    while True:
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if fake_tesseract.HANG_MARK.encode() in cmdline.read_bytes():
                    found.append(cmdline.parent.name)
            except OSError:  # ended meanwhile
                pass
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.mark.parametrize("fault,reason", [
    ("crash", "tesseract exited with status 1: Error: fake tesseract crashed on page 3"),
    ("killed", "tesseract was killed by SIGKILL"),
    ("hang", f"tesseract took more than {PAGE_TIMEOUT} s and was stopped"),
    ("truncate", "tesseract's TSV ends in the middle of a row"),
    ("garble", "has 10 fields, not 12"),
    ("kill-worker", "the worker process reading it died (killed, or out of memory), and again when the page "
                    "was read alone"),
])
def test_a_fault_costs_only_its_page(fault, reason, scan, clean_run, tmp_path):
    done, took, out = chitieu_run(tmp_path, scan, fault)
    assert done.returncode == ExitCode.SOME_INPUTS_FAILED, done.stderr
    assert took < PAGE_TIMEOUT + MARGIN
    said = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(said) == 1 and said[0].startswith(f"error: scan.pdf page {FAULT_PAGE}: ") and reason in said[0]
    (error,) = rows(out / "errors.csv")
    assert (error["page"], error["stage"]) == (str(FAULT_PAGE), "ocr") and reason in error["reason"]
    assert "\n" not in error["reason"]
    assert not [r for r in rows(out / "indicators.csv") if r["page"] == str(FAULT_PAGE)]
    assert other_pages(out, "indicators.csv") == other_pages(clean_run, "indicators.csv")
    assert other_pages(out, "inputs.csv") == other_pages(clean_run, "inputs.csv")
    if fault == "hang":
        assert hung_sleeps() == []  # what the hung Tesseract started died with it


def test_a_batch_stops_on_the_page_that_hangs_and_reads_the_others(scan, tmp_path, monkeypatch):
    """Four pages in one Tesseract process: the hung one is stopped after its own time,
    not the batch's, and is not read again; the others are read one by one."""
    from extract.limits import Limits
    from extract.ocr.tasks import OcrTask, read_pages
    from extract.ocr.tesseract import TesseractTimeout

    bin_dir = fake_tesseract.install(tmp_path / "bin", "hang", FAULT_PAGE)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    tasks = tuple(OcrTask(str(scan), i, "pdf", fake_tesseract.DPI) for i in range(4))
    start = time.monotonic()
    out = read_pages(tasks, rule=None, limits=Limits(page_timeout=3), engine="tesseract")
    took = time.monotonic() - start
    assert isinstance(out[FAULT_PAGE - 1], TesseractTimeout)
    assert "more than 3 s on this page and was stopped" in str(out[FAULT_PAGE - 1])  # its page's, not "image 3 of 4"
    assert [p.no for p in out if not isinstance(p, BaseException)] == [1, 2, 4]
    # One page's time and the fake's starts: the hung page read again alone would take 6 s,
    # the batch's time (four pages') 12 s.
    assert took < 5.5
    assert hung_sleeps() == []
