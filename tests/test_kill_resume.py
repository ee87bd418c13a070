"""kill -9 of a whole run at seeded random moments, then the run again with the same
cache: its outputs byte for byte those of a run never interrupted (issue 15, item 5)."""
from __future__ import annotations

import random
import signal
import time

import pytest

from helpers import start_cli

OUTPUTS = ("indicators.csv", "summary_wide.csv", "review.csv", "errors.csv", "inputs.csv", "other_figures.csv")


@pytest.mark.tesseract
def test_a_run_killed_at_any_moment_resumes_to_the_same_outputs(two_page_scan, tmp_path):
    fresh = tmp_path / "fresh"
    t0 = time.monotonic()
    proc = start_cli([str(two_page_scan), "-o", str(fresh), "-j", "1"], tmp_path / "fresh-cache")
    _, err = proc.communicate(timeout=300)
    whole = time.monotonic() - t0
    assert proc.returncode == 0, err
    rng = random.Random(15)
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    # Each run made in full (a run that finished is otherwise copied by the next: chitieu.rerun).
    args = [str(two_page_scan), "-o", str(out), "-j", "1", "--no-reuse-outputs"]
    killed, span = 0, whole
    # Three kills into one cache: planning, OCR, writing — wherever they fall. A run after a
    # kill resumes from the pages cached and may end before its moment comes: the moments
    # are then drawn within the time that run took, and it is tried again (six at most).
    for _ in range(6):
        t0 = time.monotonic()
        proc = start_cli(args, cache_dir)
        time.sleep(rng.uniform(0.1, 0.9) * span)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        else:
            span = min(span, time.monotonic() - t0)
        proc.communicate(timeout=60)
        if killed == 3:
            break
    assert killed >= 2, "the runs finished before they could be killed"
    resumed = start_cli(args, cache_dir)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    assert sorted(p.name for p in (out / "communes").iterdir()) == sorted(p.name for p in (fresh / "communes").iterdir())
