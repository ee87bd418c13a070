"""OCR tasks → batches for the executor → each page's outcome, as its batch completes."""
from __future__ import annotations

import functools
import time
from typing import Callable, Iterator

from extract.limits import Limits
from extract.model import PageResult
from extract.ocr.cells import CellRule
from extract.ocr.tasks import OcrTask, run_each, run_ocr_batch

MAX_BATCH = 8  # pages one Tesseract process reads; more only delays the first results


def batch_spans(n: int, workers: int, largest: int = MAX_BATCH) -> list[tuple[int, int]]:
    """(start, end) of consecutive batches covering ``n`` tasks for ``workers`` workers.

    Batches shrink as the work runs out, so that a worker's last batch is short and
    none waits long on another; a short run goes a page at a time, so that a stop
    loses at most a page or two. One worker waits on no other: its batches only
    halve at the end."""
    spans, k = [], 0
    share = 3 * workers if workers > 1 else 2
    while k < n:
        size = max(1, min(largest, (n - k) // share))
        spans.append((k, k + size))
        k += size
    return spans


def run_tasks(executor, tasks: list[OcrTask], *, rule: CellRule | None, limits: Limits = Limits(),
              ocr: Callable | None = None, clock: Callable[[], float] = time.monotonic, engine: str = "auto",
              ) -> Iterator[tuple[int, PageResult | None, str]]:
    """(position in ``tasks``, page or None, error) for each task, as its batch completes.

    Pages go out in batches of consecutive tasks, one Tesseract process per batch;
    batches are small enough that every worker gets several. The pages of batches lost
    with a worker that died are read again at the end, one at a time (``_read_alone``).
    With ``limits.doc_timeout``, a page of a document whose time ran out before the
    page was sent is not read (``Budget``). ``engine``: the OCR engine's name
    (``extract.ocr.engine.ENGINES``); ``ocr`` (OcrTask → Page) replaces the reader (tests)."""
    fn = (functools.partial(run_ocr_batch, rule=rule, limits=limits, engine=engine) if ocr is None
          else functools.partial(run_each, ocr))
    budget = Budget(limits.doc_timeout, clock)
    if budget.seconds is not None and hasattr(executor, "window"):
        # A batch is pulled when a worker is free, so that it starts when it is sent and a
        # document's clock never runs while its pages wait behind another's in the queue.
        executor.window = executor.workers
    sent: list[list[int]] = []  # the positions of each batch handed to the executor
    refused: list[tuple[int, PageResult | None, str]] = []

    def batches() -> Iterator[tuple[OcrTask, ...]]:  # pulled by the executor as it has room
        for a, b in batch_spans(len(tasks), executor.workers):
            keep = []
            for k in range(a, b):
                if budget.admits(tasks[k]):
                    keep.append(k)
                else:
                    refused.append((k, None, budget.reason))
            if keep:
                sent.append(keep)
                yield tuple(tasks[k] for k in keep)

    lost: list[int] = []
    for outcome in executor.imap_unordered(fn, batches()):
        yield from refused
        refused.clear()
        positions = sent[outcome.index]
        if outcome.lost:
            lost.extend(positions)
            continue
        for j, k in enumerate(positions):
            if outcome.error:
                yield k, None, outcome.error
            else:
                page, error = outcome.value[j]
                yield k, page, error
    yield from refused
    refused.clear()
    for k in sorted(lost):  # sent in time: read to their end, whatever the budget says now
        yield from _read_alone(executor, fn, tasks, k)


class Budget:
    """The time each document's pages may take (``--doc-timeout``), counted from when its
    first page is sent to a worker. A page sent before the time runs out is read to its
    end (its own ``--page-timeout`` bounds it); a page not yet sent then is not read."""

    def __init__(self, seconds: float | None, clock: Callable[[], float]) -> None:
        self.seconds, self.clock = seconds, clock
        self.started: dict[str, float] = {}

    @property
    def reason(self) -> str:
        return f"not read: the document's time limit of {self.seconds:g} s (--doc-timeout) ran out before this page"

    def admits(self, task: OcrTask) -> bool:
        """Whether ``task`` may be sent now (its document's clock starts with its first page)."""
        if self.seconds is None:
            return True
        now = self.clock()
        return now - self.started.setdefault(task.path, now) <= self.seconds


def _read_alone(executor, fn, tasks: list[OcrTask], k: int) -> Iterator[tuple[int, PageResult | None, str]]:
    """A page lost with a worker read once more, alone in the pool (a fresh one after a
    death): a page that kills its worker again costs only itself, and the pages that
    were merely in flight beside it are read. A lost batch is at most a window of
    batches (2 × 8 pages a worker) and workers seldom die, so reading them one after
    the other costs little."""
    (outcome,) = executor.imap_unordered(fn, [(tasks[k],)])
    if outcome.lost:
        yield k, None, f"{outcome.error}, and again when the page was read alone"
    elif outcome.error:
        yield k, None, outcome.error
    else:
        page, error = outcome.value[0]
        yield k, page, error
