"""OCR tasks → batches for the executor → each page's outcome, as its batch completes."""
from __future__ import annotations

import functools
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
              ocr: Callable | None = None) -> Iterator[tuple[int, PageResult | None, str]]:
    """(position in ``tasks``, page or None, error) for each task, as its batch completes.

    Pages go out in batches of consecutive tasks, one Tesseract process per batch;
    batches are small enough that every worker gets several. The pages of batches lost
    with a worker that died are read again at the end, one at a time (``_read_alone``).
    ``ocr`` (OcrTask → Page) replaces the Tesseract reader (tests)."""
    spans = batch_spans(len(tasks), executor.workers)
    batches = [tuple(tasks[a:b]) for a, b in spans]
    fn = functools.partial(run_ocr_batch, rule=rule, limits=limits) if ocr is None else functools.partial(run_each, ocr)
    lost: list[int] = []
    for outcome in executor.imap_unordered(fn, batches):
        first = spans[outcome.index][0]
        if outcome.lost:
            lost.extend(range(first, first + len(outcome.item)))
            continue
        for k in range(len(outcome.item)):
            if outcome.error:
                yield first + k, None, outcome.error
            else:
                page, error = outcome.value[k]
                yield first + k, page, error
    yield from _read_alone(executor, fn, tasks, sorted(lost))


def _read_alone(executor, fn, tasks: list[OcrTask], lost: list[int]) -> Iterator[tuple[int, PageResult | None, str]]:
    """The pages lost with a worker read once more, each alone in the pool (a fresh one
    after a death): a page that kills its worker again costs only itself, and the
    pages that were merely in flight beside it are read. A lost batch is at most a
    window of batches (2 × 8 pages a worker) and workers seldom die, so reading them
    one after the other costs little."""
    for k in lost:
        (outcome,) = executor.imap_unordered(fn, [(tasks[k],)])
        if outcome.lost:
            yield k, None, f"{outcome.error}, and again when the page was read alone"
        elif outcome.error:
            yield k, None, outcome.error
        else:
            page, error = outcome.value[0]
            yield k, page, error
