"""--doc-timeout: the pages of a document not sent by the time its time runs out are
not read, each named in the errors; the other documents and the pages sent are read
as without the limit."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chitieu import runner
from chitieu.batches import run_tasks
from chitieu.executor import ProcessExecutor, SerialExecutor
from extract.limits import Limits
from extract.ocr.tasks import OcrTask
from fake_ocr import fake_ocr

SCAN = Path(__file__).resolve().parents[1] / "samples" / "deck_2023_scan.pdf"


class Clock:
    """A clock that moves only when a page is read: ``step`` seconds a page."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        return self.now

    def read(self, task):
        self.now += self.step
        return fake_ocr(task)


def outcomes(tasks, limits, clock):
    return {k: (page is not None, error) for k, page, error in
            run_tasks(SerialExecutor(), tasks, rule=None, limits=limits, ocr=clock.read, clock=clock)}


def test_pages_not_sent_in_time_are_named_and_the_next_document_has_its_own_time(tmp_path):
    other = tmp_path / "other.pdf"
    shutil.copy(SCAN, other)
    tasks = [OcrTask(str(SCAN), i, "pdf") for i in range(5)] + [OcrTask(str(other), i, "pdf") for i in range(3)]
    # Serial batches of 8 tasks: 4 (first document, 0-3), 2 (4, and the other's 0), 1, 1.
    # The first batch sent at 0 s ends at 40 s: page 5 of the first document, sent then, is
    # over its 25 s; the other document's clock starts at 40 s and its pages are sent
    # at 40, 50 and 60 s, all within its own 25 s.
    got = outcomes(tasks, Limits(doc_timeout=25), Clock(step=10))
    assert sorted(got) == list(range(8))
    assert [got[k][0] for k in range(8)] == [True, True, True, True, False, True, True, True]
    assert "time limit of 25 s (--doc-timeout)" in got[4][1]
    assert all(got[k][1] == "" for k in range(8) if k != 4)
    # Without the limit, or with one that is not reached, every page is read.
    for limits in (Limits(), Limits(doc_timeout=1000)):
        assert all(ok for ok, _ in outcomes(tasks, limits, Clock(step=10)).values())


def test_a_run_over_its_document_time_writes_what_was_read_and_names_the_rest(tmp_path):
    """The real runner and a process pool, the clock the real one: a slow reading of the
    14-page deck under a limit of 1 s reads the pages sent within it and names every
    other; every page is accounted for (inputs.csv), read or not."""
    settings = runner.Settings(executor="process", jobs=2, limits=Limits(doc_timeout=1))
    result = runner.run([str(SCAN)], settings, ocr=slow_ocr)
    refused = [e for e in result.errors if "--doc-timeout" in e.reason]
    assert refused, "a 14-page deck at 0.3 s a page on 2 workers cannot finish in 1 s"
    assert all(e.page is not None and e.stage == "ocr" for e in refused)
    pages = [f.page for _, facts in result.accounts for f in facts if f.page is not None]
    assert sorted(pages) == list(range(1, 15))  # each page once, read or failed
    failed = {f.page for _, facts in result.accounts for f in facts if f.how.startswith("failed")}
    assert failed == {e.page for e in refused}
    assert result.failed_inputs == 0  # the document is read, in part


def slow_ocr(task):
    import time

    time.sleep(0.3)
    return fake_ocr(task)


def test_the_limit_must_be_positive():
    with pytest.raises(ValueError, match="doc_timeout"):
        Limits(doc_timeout=0)


def test_process_executor_pulls_batches_as_it_has_room():
    """What the budget relies on: a batch is taken from the source only when it is sent."""
    pulled = []

    def source():
        for i in range(6):
            pulled.append(i)
            yield (i,)

    with ProcessExecutor(1, window=2) as ex:
        it = ex.imap_unordered(len, source())
        next(it)
        assert len(pulled) <= 3
        list(it)
    assert pulled == list(range(6))
