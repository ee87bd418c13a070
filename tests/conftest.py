from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

# Property tests: FUZZ_EXAMPLES each by default; CHITIEU_FUZZ=1 runs the 2,000 per
# function (slower). No deadline: the first call of a look-up loads the gazetteer, and
# this machine is shared.
FUZZ_EXAMPLES = 300
settings.register_profile("default-suite", max_examples=FUZZ_EXAMPLES, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fuzz" if os.environ.get("CHITIEU_FUZZ") else "default-suite")


# Tesseract's readings of the suite's pages, played back (extract/ocr/replay.py): the
# OCR-path tests run the same on any machine, and fast. A page whose image changed is read
# by the real Tesseract (a miss, counted in the summary); `make ocr-replay` records afresh.
# `CHITIEU_OCR_REPLAY= pytest` (set, empty) runs every test through the real Tesseract.
REPLAY_DIR = Path(__file__).resolve().parent / "ocr_replay"


def pytest_configure(config):
    from extract.ocr import replay

    config.addinivalue_line("markers", "real_tesseract: never played back: runs the tesseract program on PATH "
                                       "(the real one, or a test's fake)")
    os.environ.setdefault(replay.REPLAY_ENV, str(REPLAY_DIR))
    if os.environ[replay.REPLAY_ENV] and not os.environ.get(replay.LOG_ENV):
        fd, log = tempfile.mkstemp(prefix="chitieu-replay-", suffix=".log")
        os.close(fd)
        os.environ[replay.LOG_ENV] = log
        config._chitieu_replay_log = log


def pytest_terminal_summary(terminalreporter, config):
    log = getattr(config, "_chitieu_replay_log", None)
    if not log:
        return
    hits, misses = set(), set()
    with open(log, encoding="utf-8") as fh:
        for line in fh:
            what, _, key = line.strip().partition(" ")
            (hits if what == "hit" else misses).add(key)
    os.unlink(log)
    misses -= hits  # read for real once, then recorded in the same session
    if not hits and not misses:
        return
    terminalreporter.write_line(
        f"OCR replay: {len(hits)} readings played back, {len(misses)} read by Tesseract"
        + (" (not recorded: `make ocr-replay` records them)" if misses and not os.environ.get("CHITIEU_OCR_RECORD") else ""))


@pytest.fixture(autouse=True)
def _real_tesseract(request, monkeypatch):
    """A test marked ``real_tesseract`` (and whatever it starts) runs Tesseract, never a recording."""
    from extract.ocr import replay

    if request.node.get_closest_marker("real_tesseract"):
        monkeypatch.delenv(replay.REPLAY_ENV, raising=False)


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory, monkeypatch):
    """The CLI caches pages under $XDG_CACHE_HOME: each test gets its own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg_cache")))


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def run_sample(tmp_path_factory):
    """Run the pipeline once per sample (OCR is slow) and share the tidy frame."""
    from chitieu import runner
    from normalize.outputs.datasets import records_to_frame

    cache: dict = {}

    def run(name: str, **settings):
        key = (name, tuple(sorted(settings.items())))
        if key not in cache:
            result = runner.run([str(SAMPLES / name)], runner.Settings(**settings))
            cache[key] = (records_to_frame(result.records), result)
        return cache[key]

    return run


@pytest.fixture(scope="module")
def two_page_scan(tmp_path_factory) -> Path:
    """Slides 10–11 of the scanned deck: the summary table, continued."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(SAMPLES / "deck_2023_scan.pdf"))
    dst = pdfium.PdfDocument.new()
    dst.import_pages(src, pages=[9, 10])
    path = tmp_path_factory.mktemp("scan2") / "summary_slides.pdf"
    dst.save(str(path))
    return path
