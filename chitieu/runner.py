"""One run: every input planned, its pages read (from the cache or by the OCR workers),
each document turned into records as soon as its last page is in.

``Run`` holds the state of each document (planned, pages pending, finished); the
parent only stores and merges what the workers return, in input order, whatever order
pages complete in. Pages already in the cache are not read again, and each page read is
cached the moment it arrives, so an interrupted run resumes.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from extract.documents.plan import DocPlan, plan_document
from extract.errors import ErrorRow, SchedulerUnreachable
from extract.limits import Limits
from extract.model import PageResult
from normalize.indicators.cells import PERCENT_CELLS
from normalize.record import Record

from chitieu.inputs import expand_inputs
from chitieu.progress import NoProgress, make_progress

if TYPE_CHECKING:  # the OCR's modules (Pillow, numpy) are imported when a page needs OCR
    from extract.ocr.tasks import OcrTask

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    dpi: int = 300
    lang: str = "vie"
    jobs: int = 1
    year: int | None = None
    executor: str | None = None  # serial, process or dask; None: a process pool when jobs > 1
    scheduler: str | None = None  # address of a Dask scheduler, tcp://HOST:PORT
    cache_dir: Path | None = None  # None: nothing cached (the CLI defaults to the user's cache)
    limits: Limits = Limits()  # pages, pixels, unzipped bytes, line length, Tesseract's time (extract.limits)
    ocr_engine: str = "auto"  # tesserocr, tesseract (the program) or auto (extract.ocr.engine.ENGINES)


@dataclass(frozen=True)
class DocResult:
    """What one document gave; what the cache keeps of a document read without errors."""

    records: tuple[Record, ...]
    errors: tuple[ErrorRow, ...]
    texts: tuple | None  # its pages' texts, folded (normalize.places.evidence), None when it failed
    failed: bool
    others: tuple = ()  # normalize.readers.reports.OtherFigure
    facts: tuple = ()  # normalize.outputs.accounts.PageFacts of each page read, for inputs.csv


@dataclass(frozen=True)
class RunResult:
    records: tuple[Record, ...]
    errors: tuple[ErrorRow, ...]
    inputs: int
    failed_inputs: int
    other_figures: tuple = ()  # prose percentages that are not indicator values
    accounts: tuple = ()  # (source_file, PageFacts of each page) of every input, in input order
    empty_inputs: int = 0  # inputs that gave no value, failed ones included
    paths: tuple[tuple[str, str], ...] = ()  # (source_file, absolute path) of every input planned


@dataclass
class _Document:
    plan: DocPlan
    pages: dict[int, PageResult] = field(default_factory=dict)
    pending: int = 0
    clean: bool = True  # no page failed: its result may be kept
    failed_pages: list[ErrorRow] = field(default_factory=list)
    result: DocResult | None = None
    source: str = ""  # its source_file (chitieu.inputs)


def finish_document(plan: DocPlan, pages: list[PageResult], year: int | None, source_file: str = "") -> DocResult:
    """Records of a document whose pages are all in, with the errors of doing so;
    ``source_file``: the name it goes by (default: its file name)."""
    from normalize.outputs.accounts import input_facts, page_facts
    from normalize.outputs.gaps import unread_parts
    from normalize.places.evidence import fold_pages
    from normalize.readers.document import document_records

    source_file = source_file or plan.path.name
    if plan.failed:
        return DocResult((), (ErrorRow(source_file, None, "input", plan.failed, "unreadable"),), None, True,
                         facts=input_facts(f"not read: {plan.failed}"))
    texts = None
    facts = page_facts(pages)
    try:
        texts = tuple(fold_pages([(p.no, p.text) for p in pages]))  # for evidence that spans the documents
        done = document_records(pages, source_file=source_file, year=year)
        gaps = unread_parts(pages, done.records, done.others, source_file=source_file)
        return DocResult(done.records, gaps, texts, False, done.others, facts)
    except Exception as exc:  # one bad document never stops the run
        log.exception("%s failed", plan.path)
        return DocResult((), (ErrorRow(source_file, None, "normalize", f"{type(exc).__name__}: {exc}",
                                       "internal"),), texts, True, facts=facts)


class Run:
    """The documents of one run and the OCR tasks still out."""

    def __init__(self, settings: Settings, cache) -> None:
        self.settings, self.cache = settings, cache
        self.docs: list[_Document] = []
        self.tasks: list[OcrTask] = []
        self.owners: list[int] = []  # the document of each task
        self.plan_errors: list[ErrorRow] = []
        self.ocr_errors: dict[int, ErrorRow] = {}

    def add(self, path: Path, source_file: str = "") -> None:
        """Plan ``path``: take what the cache knows of it, queue the pages still to read."""
        plan = self._plan(path)
        source = source_file or path.name
        errors = [replace(e, source_file=source) for e in plan.errors]  # planning knows only the path
        self.plan_errors.extend(errors)
        doc = _Document(plan, {p.no: p for p in plan.pages}, clean=not errors, failed_pages=errors, source=source)
        self.docs.append(doc)
        if doc.clean and not plan.failed:
            kept = self.cache.load_result(path, self.settings.year, doc.source, ocr=bool(plan.tasks))
            if kept is not None:
                doc.result = kept
                return
        for t in plan.tasks:
            page = self.cache.load_page(t)
            if page is None:
                # Absolute: what a page's error names, whichever process reads it.
                self.tasks.append(replace(t, path=os.path.abspath(t.path)))
                self.owners.append(len(self.docs) - 1)
                doc.pending += 1
            else:
                doc.pages[t.page_no] = page
        if not doc.pending:
            self._finish(doc)

    def _plan(self, path: Path) -> DocPlan:
        try:
            cached = self.cache.load_plan(path)
        except OSError:  # unreadable input: let planning say why
            cached = None
        if cached is not None:
            return cached
        plan = plan_document(path, dpi=self.settings.dpi, lang=self.settings.lang, limits=self.settings.limits)
        if not plan.failed and not plan.errors:  # failures may be passing; only clean plans are kept
            self.cache.store_plan(path, plan)
        return plan

    def arrived(self, k: int, page: PageResult | None, error: str) -> None:
        """Task ``k`` is done: its page, or why there is none."""
        doc, task = self.docs[self.owners[k]], self.tasks[k]
        if page is None:
            self.ocr_errors[k] = ErrorRow(doc.source, task.page_no, "ocr", error, "page_failed")
            doc.failed_pages.append(self.ocr_errors[k])
            doc.clean = False
        else:
            self.cache.store_page(task, page)
            doc.pages[task.page_no] = page
        doc.pending -= 1
        if not doc.pending:
            self._finish(doc)

    def _finish(self, doc: _Document) -> None:
        doc.result = finish_document(doc.plan, [doc.pages[k] for k in sorted(doc.pages)], self.settings.year,
                                     doc.source)
        doc.pages = {}  # a document's pages are let go once it is read
        if doc.clean and not doc.result.failed:
            self.cache.store_result(doc.plan.path, self.settings.year, doc.result, doc.source,
                                    ocr=bool(doc.plan.tasks))

    def result(self, refused: list[ErrorRow]) -> RunResult:
        """Everything merged in input order; places confirmed by evidence across the documents."""
        from normalize.places.evidence import add_place_evidence

        errors = [*refused, *self.plan_errors, *(self.ocr_errors[k] for k in sorted(self.ocr_errors))]
        records, others, texts = [], [], {}
        for doc in self.docs:
            r = doc.result
            errors.extend(r.errors)
            records.extend(r.records)
            others.extend(r.others)
            if r.texts is not None:
                texts[doc.source] = list(r.texts)
        failed = len(refused) + sum(doc.result.failed for doc in self.docs)
        empty = len(refused) + sum(not doc.result.records for doc in self.docs)
        return RunResult(tuple(add_place_evidence(records, texts)), tuple(errors), len(refused) + len(self.docs),
                         failed, tuple(others), self._accounts(refused), empty,
                         tuple((doc.source, os.path.abspath(doc.plan.path)) for doc in self.docs))

    def _accounts(self, refused: list[ErrorRow]) -> tuple:
        """Every input with the facts of each page, pages that failed included, in input order."""
        from normalize.outputs.accounts import PageFacts, input_facts

        out = [(e.source_file, input_facts(f"not read: {e.reason}")) for e in refused]
        for doc in self.docs:
            failed = tuple(PageFacts(e.page, "", f"failed ({e.stage}): {e.reason}", "", 0) for e in doc.failed_pages)
            facts = sorted(doc.result.facts + failed, key=lambda f: -1 if f.page is None else f.page)
            out.append((doc.source, tuple(facts)))
        return tuple(out)


def _executor(settings: Settings):
    from chitieu.executor import make_executor
    from chitieu.shipping import OCR_BATCHES

    try:  # Dask's workers are sent the inputs' bytes: they need not see the files
        return make_executor(settings.executor, jobs=settings.jobs, scheduler=settings.scheduler, ship=OCR_BATCHES)
    except OSError as exc:  # a scheduler that cannot be reached
        raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {settings.scheduler}: {exc}") from exc


def open_cache(settings: Settings):
    if settings.cache_dir is None:
        from chitieu.no_cache import NoCache

        return NoCache()
    from chitieu.cache import PageCache

    return PageCache(settings.cache_dir, dpi=settings.dpi, lang=settings.lang, limits=settings.limits,
                     engine=settings.ocr_engine)


def run(paths: Iterable[str], settings: Settings, progress: bool = False, *, ocr: Callable | None = None) -> RunResult:
    """Read every input and return its records and errors; nothing is written.

    Results do not depend on the executor or on the order pages complete in. ``ocr``
    (OcrTask → Page) replaces the Tesseract reader (tests); it must be picklable for
    the process and Dask executors.
    """
    files, refused = expand_inputs(paths)
    state = Run(settings, open_cache(settings))
    for f in files:
        state.add(f.path, f.source_file)
    if not state.tasks:
        return state.result(refused)
    # Imported only when a page is to be OCR'd: the OCR modules import numpy, Pillow and
    # OpenCV, which a run of text PDFs never needs (0.4 s of CPU at start-up).
    from chitieu.batches import run_tasks
    from extract.ocr.engine import resolve_engine, tesseract_available

    # Resolved here, as the cache's keys resolve it (a run with no page to OCR never asks).
    settings = replace(settings, ocr_engine=resolve_engine(settings.ocr_engine, settings.lang))
    tesseract_available(settings.lang, settings.ocr_engine)
    log.info("%d page(s) to OCR, %d from the cache", len(state.tasks), state.cache.hits)
    bar = make_progress(len(state.tasks), "OCR pages") if progress else NoProgress()
    try:
        with _executor(settings) as executor:
            read = run_tasks(executor, state.tasks, rule=PERCENT_CELLS, limits=settings.limits, ocr=ocr,
                             engine=settings.ocr_engine)
            for done, (k, page, error) in enumerate(read, 1):
                state.arrived(k, page, error)
                bar.update(1)
                if not progress:
                    log.info("OCR %d/%d pages", done, len(state.tasks))
    finally:
        bar.render_finish()
    return state.result(refused)
