"""chitieu's command line and the wiring of extract → normalize → outputs.

Exit codes are decided in one place (`ExitCode`); every failure a user can fix is
a `ChitieuError` carrying its own message and code.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import sys
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Callable, Iterable, Iterator

import click

from extract.documents.plan import SUPPORTED, DocPlan, plan_document

log = logging.getLogger("chitieu")


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    USAGE = 2
    SOME_INPUTS_FAILED = 3
    NOTHING_READ = 4
    MISSING_DEPENDENCY = 5
    INTERRUPTED = 130


class ChitieuError(click.ClickException):
    exit_code = ExitCode.INTERNAL


class MissingDependency(ChitieuError):
    exit_code = ExitCode.MISSING_DEPENDENCY


@dataclass(frozen=True)
class Settings:
    dpi: int = 300
    lang: str = "vie"
    jobs: int = 1
    year: int | None = None
    executor: str | None = None  # serial, process or dask; None: a process pool when jobs > 1
    scheduler: str | None = None  # address of a Dask scheduler, tcp://HOST:PORT
    cache_dir: Path | None = None  # None: nothing cached (the CLI defaults to the user's cache)


@dataclass
class RunResult:
    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (source_file, page, stage, reason)
    inputs: int = 0
    failed_inputs: int = 0
    other_figures: list = field(default_factory=list)  # prose percentages that are not indicator values


def expand_inputs(paths: Iterable[str]) -> tuple[list[Path], list[tuple]]:
    """Files named, and supported files found under folders, in a stable order."""
    files: list[Path] = []
    errors: list[tuple] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED and not f.name.startswith(".")))
        elif p.is_file():
            if p.suffix.lower() in SUPPORTED:
                files.append(p)
            else:
                errors.append((str(p), "", "input", f"unsupported file type {p.suffix or '(none)'}: expected one of {' '.join(sorted(SUPPORTED))}"))
        else:
            errors.append((str(p), "", "input", "no such file or folder"))
    seen, unique = set(), []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors


def batch_spans(n: int, workers: int, largest: int) -> list[tuple[int, int]]:
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


def _run_tasks(executor, ocr: Callable | None, tasks: list) -> Iterator[tuple]:
    """(position in ``tasks``, page or None, error) for each task, as its batch completes.

    Pages go out in batches of consecutive tasks, one Tesseract process per batch;
    batches are small enough that every worker gets several."""
    import functools

    from extract.ocr.pages import MAX_BATCH, run_each, run_ocr_batch

    spans = batch_spans(len(tasks), executor.workers, MAX_BATCH)
    batches = [tuple(tasks[a:b]) for a, b in spans]
    fn = run_ocr_batch if ocr is None else functools.partial(run_each, ocr)
    for outcome in executor.imap_unordered(fn, batches):
        first = spans[outcome.index][0]
        for k in range(len(outcome.item)):
            if outcome.error:
                yield first + k, None, outcome.error
            else:
                page, error = outcome.value[k]
                yield first + k, page, error


def document_records(doc: DocPlan, year: int | None, others: list | None = None, parts: list | None = None) -> list:
    """Pages of one document → tables → summary tables, templates and prose → records.

    Percentages the prose states that are not indicator values go to `others`;
    ``parts``: the document's ``document_parts``, when the caller has them."""
    from collections import Counter

    from extract.layout.ruled import continue_tables
    from normalize.readers.meta import detect_year
    from normalize.readers.dump_tables import pages_to_summaries
    from normalize.readers.prose import Line
    from normalize.readers.reports import report_records
    from normalize.readers.summary import grid_to_summary, summary_to_records
    from normalize.readers.templates import find_template, grid_to_template

    parts = document_parts(doc) if parts is None else parts
    year = year or detect_year("\n".join(p.text for p in parts[:3]))
    if doc.kind == "dump":
        summaries, templates = pages_to_summaries([doc.pages[k] for k in sorted(doc.pages)]), []
    else:
        tables = continue_tables([list(p.tables) for p in parts])
        summaries = [grid_to_summary(t) for t in tables]
        templates = [grid_to_template(t) for t, s in zip(tables, summaries) if s is None]
        summaries = [s for s in summaries if s is not None]
    paged = doc.kind != "docx"  # a word-processor file has no pages
    lines = [Line(t.text, t.page_no if paged else None, t.conf) for p in parts for t in p.lines]
    if doc.kind == "dump" and not summaries:
        template, taken = find_template([(ln.page, ln.text) for ln in lines])
        templates, lines = [template], [ln for i, ln in enumerate(lines) if i not in taken]
    records = []
    for s in summaries:
        records.extend(summary_to_records(s, source_file=doc.path.name, year=year))
    source = Counter(p.source for p in parts).most_common(1)[0][0] if parts else ""
    more, figures = report_records(lines, [t for t in templates if t is not None], source_file=doc.path.name,
                                   year=year, source=source, summaries_found=bool(summaries))
    if others is not None:
        others.extend(figures)
    return records + more


KEPT_AS_PARTS = ("pdf", "image")  # documents whose pages are kept as their parts as they arrive


def arrived(doc: DocPlan, no: int, page) -> None:
    """Keep page ``no`` of ``doc``, read: a PDF's or an image's as its parts (its words are
    many and a long document's pages wait for its last one), others as they are."""
    from extract.layout.lines import page_to_parts

    doc.pages[no] = page_to_parts(page) if doc.kind in KEPT_AS_PARTS else page


def document_parts(doc: DocPlan) -> list:
    """The parts (``extract.layout.lines.PageParts``) of every page of ``doc``, in page order."""
    from extract.layout.lines import page_to_parts

    pages = [doc.pages[k] for k in sorted(doc.pages)]
    if doc.kind in KEPT_AS_PARTS:
        return pages
    # A text dump's tables are read from its lines (normalize.readers.dump_tables), not here.
    return [page_to_parts(p, tables=list(doc.tables) if doc.kind == "docx" else []) for p in pages]


@dataclass
class _DocResult:
    records: list
    errors: list
    texts: list | None  # page texts, folded (normalize.places.evidence.fold_pages), for evidence across inputs; None when it failed
    failed: bool
    others: list = field(default_factory=list)  # normalize.readers.reports.OtherFigure


def _open_cache(settings: Settings):
    from chitieu.cache import NoCache, PageCache

    if settings.cache_dir is None:
        return NoCache()
    return PageCache(settings.cache_dir, dpi=settings.dpi, lang=settings.lang)


def _plan(path: Path, settings: Settings, cache, errors: list) -> tuple[DocPlan, list]:
    """``plan_document``, or what it gave last time for the same content and settings."""
    try:
        cached = cache.load_plan(path)
    except OSError:  # unreadable input: let planning say why
        cached = None
    if cached is not None:
        return cached
    mine: list = []
    doc, tasks = plan_document(path, dpi=settings.dpi, lang=settings.lang, errors=mine)
    errors.extend(mine)
    if not doc.failed and not mine:  # failures may be passing; only clean plans are kept
        cache.store_plan(path, doc, tasks)
    return doc, tasks


def _finish(doc: DocPlan, year: int | None) -> _DocResult:
    """Records of a document whose pages are all in, with the errors of doing so."""
    from normalize.places.evidence import fold_pages

    if doc.failed:
        return _DocResult([], [(str(doc.path), "", "input", doc.failed)], None, True)
    others: list = []
    texts = None
    try:
        parts = document_parts(doc)
        texts = fold_pages([(p.no, p.text) for p in parts])  # for evidence that spans the documents
        return _DocResult(document_records(doc, year, others, parts), [], texts, False, others)
    except Exception as exc:  # one bad document never stops the run
        log.exception("%s failed", doc.path)
        return _DocResult([], [(str(doc.path), "", "normalize", f"{type(exc).__name__}: {exc}")], texts, True)


def _executor(settings: Settings):
    from chitieu.executor import ExecutorUnavailable, make_executor

    try:
        return make_executor(settings.executor, jobs=settings.jobs, scheduler=settings.scheduler)
    except ExecutorUnavailable as exc:
        raise MissingDependency(str(exc)) from exc
    except OSError as exc:  # a scheduler that cannot be reached
        raise ChitieuError(f"cannot reach the Dask scheduler at {settings.scheduler}: {exc}") from exc


def run(paths: Iterable[str], settings: Settings, progress: bool = False, *, ocr: Callable | None = None) -> RunResult:
    """Read every input and return its records and errors; nothing is written.

    Pages already in the cache are not OCR'd again, and each page OCR'd is cached
    as soon as it arrives, so an interrupted run resumes. A document is turned into
    records as soon as its last page is in and its pages are then dropped; the
    records of a document read without errors are cached too. Results
    do not depend on the executor or on the order pages complete in. ``ocr``
    replaces ``run_ocr_task`` (tests); it must be picklable for the process and
    Dask executors.
    """
    result = RunResult()
    files, errors = expand_inputs(paths)
    result.errors.extend(errors)
    result.failed_inputs += len(errors)
    result.inputs += len(errors)
    cache = _open_cache(settings)
    docs: list[DocPlan] = []
    finished: dict[int, _DocResult] = {}
    pending: dict[int, int] = {}  # document → OCR tasks still out
    tasks, owners = [], []
    unclean: set[int] = set()  # documents with a page that failed: their results are not kept

    def finish(i: int) -> None:
        finished[i] = _finish(docs[i], settings.year)
        docs[i].pages = {}
        if i not in unclean and not finished[i].failed:
            r = finished[i]  # a plain tuple: this module may be __main__ or pipeline
            cache.store_result(docs[i].path, settings.year, (r.records, r.errors, r.texts, r.failed, r.others))

    for i, path in enumerate(files):
        known = len(result.errors)
        doc, doc_tasks = _plan(path, settings, cache, result.errors)
        for no, page in list(doc.pages.items()):  # text layers, read with the plan
            arrived(doc, no, page)
        docs.append(doc)
        pending[i] = 0
        if len(result.errors) > known:
            unclean.add(i)
        elif not doc.failed:
            kept = cache.load_result(path, settings.year)
            if kept is not None:
                finished[i] = _DocResult(*kept)
                continue
        for t in doc_tasks:
            page = cache.load_page(t)
            if page is None:
                # Absolute, so that workers elsewhere (a Dask cluster) find the file.
                tasks.append(dataclasses.replace(t, path=os.path.abspath(t.path)))
                owners.append(i)
                pending[i] += 1
            else:
                arrived(doc, t.page_no, page)
        if not pending[i]:
            finish(i)
    if tasks:
        from extract.ocr.engine import tesseract_available

        try:
            tesseract_available(settings.lang)
        except Exception as exc:
            raise MissingDependency(str(exc)) from exc
        log.info("%d page(s) to OCR, %d from the cache", len(tasks), cache.hits)
    bar = None
    if progress and tasks:
        bar = (click.progressbar(length=len(tasks), label="OCR pages", file=sys.stderr) if sys.stderr.isatty()
               else LineProgress(len(tasks), "OCR pages"))
    ocr_errors: dict[int, tuple] = {}
    try:
        if tasks:
            with _executor(settings) as executor:
                for done, (k, page, err) in enumerate(_run_tasks(executor, ocr, tasks), start=1):
                    i, task = owners[k], tasks[k]
                    doc = docs[i]
                    if page is None:
                        ocr_errors[k] = (doc.path.name, str(task.page_no), "ocr", err)
                        unclean.add(i)
                    else:
                        cache.store_page(task, page)
                        arrived(doc, task.page_no, page)
                    pending[i] -= 1
                    if not pending[i]:
                        finish(i)
                    if bar is not None:
                        bar.update(1)
                    else:
                        log.info("OCR %d/%d pages", done, len(tasks))
    finally:
        if bar is not None:
            bar.render_finish()
    # Merged in input order, whatever order the pages completed in.
    result.errors.extend(ocr_errors[k] for k in sorted(ocr_errors))
    texts = {}
    for i, doc in enumerate(docs):
        done_doc = finished[i]
        result.inputs += 1
        result.failed_inputs += done_doc.failed
        result.errors.extend(done_doc.errors)
        result.records.extend(done_doc.records)
        result.other_figures.extend(done_doc.others)
        if done_doc.texts is not None:
            texts[doc.path.name] = done_doc.texts
    from normalize.places.evidence import add_place_evidence

    result.records = add_place_evidence(result.records, texts)
    return result


class LineProgress:
    """Progress for a log rather than a terminal: a line every ``every`` seconds of work,
    with the rate and the time left, and a last one if any was written."""

    def __init__(self, total: int, label: str, *, every: float = 30.0, file=None, clock=None) -> None:
        import time

        self.total, self.label, self.every = total, label, every
        self.file = file or sys.stderr
        self.clock = clock or time.monotonic
        self.done = 0
        self.start = self.last = self.clock()
        self.lines = 0

    def update(self, n: int = 1) -> None:
        self.done += n
        now = self.clock()
        if now - self.last >= self.every and self.done < self.total:
            self.last = now
            self._line(now)

    def render_finish(self) -> None:
        if self.lines:
            self._line(self.clock())

    def _line(self, now: float) -> None:
        spent = max(now - self.start, 1e-9)
        rate = self.done / spent
        left = (self.total - self.done) / rate if rate else float("inf")
        tail = f", about {_duration(left)} left" if self.done < self.total and rate else f" in {_duration(spent)}"
        print(f"{self.label}: {self.done}/{self.total} ({100 * self.done // max(self.total, 1)}%), "
              f"{rate:.2f}/s{tail}", file=self.file, flush=True)
        self.lines += 1


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{round(seconds)} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


# ---------------------------------------------------------------- CLI

def _configure_logging(verbose: int) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chitieu")
@click.option("-v", "--verbose", count=True, help="More messages on stderr (-vv for debug).")
def main(verbose: int) -> None:
    """Turn Vietnamese reports on the "3 KHÔNG" indicators into per-commune CSV datasets."""
    _configure_logging(verbose)


@main.command("run")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the CSV outputs.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Pages OCR'd in parallel [default: number of cores].")
@click.option("--dpi", type=click.IntRange(72, 1200), default=300, show_default=True, help="Resolution scanned pages are rendered at.")
@click.option("--lang", default="vie", show_default=True, help="Tesseract language(s), e.g. vie or vie+eng.")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, help="Reporting year, when the documents do not say.")
@click.option("--progress/--no-progress", default=True,
              help="Progress of the OCR on stderr: a bar on a terminal, else a line every 30 s [on].")
@click.option("--executor", type=click.Choice(["serial", "process", "dask"]), default=None,
              help="Where pages are OCR'd [default: process pool, serial with --jobs 1, dask with --scheduler].")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Dask scheduler to send pages to; its workers need the inputs at the same paths.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="Where pages read are kept [default: $XDG_CACHE_HOME/chitieu or ~/.cache/chitieu].")
@click.option("--no-cache", is_flag=True, help="Read every page again and keep nothing.")
def run_command(paths, out_dir, jobs, dpi, lang, year, progress, executor, scheduler, cache_dir, no_cache) -> None:
    """Read PATHS (PDFs, images, text dumps, or folders of them) and write the datasets to OUT.

    Pages read are cached, keyed by each input's content and the settings: a second
    run does no OCR again, and an interrupted run resumes where it stopped.

    Exit status: 0 all inputs read; 3 some inputs failed (see errors.csv);
    4 nothing could be read; 5 Tesseract or its language data is missing;
    130 interrupted (no output written).
    """
    from chitieu.cache import default_cache_dir
    from normalize.outputs.datasets import write_outputs

    if scheduler and executor not in (None, "dask"):
        raise click.UsageError(f"--scheduler sends pages to Dask; it cannot be used with --executor {executor}")
    settings = Settings(
        dpi=dpi, lang=lang, jobs=jobs or os.cpu_count() or 1, year=year, executor=executor, scheduler=scheduler,
        cache_dir=None if no_cache else Path(cache_dir) if cache_dir else default_cache_dir(),
    )
    try:
        result = run(paths, settings, progress=progress)
    except KeyboardInterrupt:
        resume = "; pages read so far are cached, run again to resume" if settings.cache_dir else ""
        click.echo(f"\ninterrupted: no output written{resume}", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    for source, page, stage, reason in result.errors:
        where = f"{source}" + (f" page {page}" if page else "")
        click.echo(f"error: {where}: {reason}", err=True)
    try:
        counts = write_outputs(Path(out_dir), result.records, result.errors, other_figures=result.other_figures)
    except KeyboardInterrupt:  # each file is written whole or not at all
        click.echo("\ninterrupted while writing: some outputs may be from an earlier run", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    click.echo(
        f"{result.inputs} input(s), {counts['records']} values, {counts['review']} to review, "
        f"{counts['communes']} commune file(s), {len(result.errors)} error(s) → {out_dir}",
        err=True,
    )
    if result.inputs == 0 or result.failed_inputs >= max(result.inputs, 1):
        sys.exit(ExitCode.NOTHING_READ)
    if result.failed_inputs or result.errors:
        sys.exit(ExitCode.SOME_INPUTS_FAILED)


@main.command("match")
@click.argument("text")
def match_command(text: str) -> None:
    """Print the indicator TEXT matches best, its score and the runner-up."""
    from normalize.indicators.matcher import match_label

    m = match_label(text)
    if m is None:
        click.echo("no match", err=True)
        sys.exit(ExitCode.NOTHING_READ)
    click.echo(f"{m.indicator_id}\t{m.score:.1f}\t{m.name}")
    if m.runner_up_id is not None:
        from normalize.indicators.catalogue import load_catalogue

        click.echo(f"runner-up: {m.runner_up_id}\t{m.runner_up_score:.1f}\t{load_catalogue().get(m.runner_up_id).name}")


@main.command("places")
@click.argument("text")
@click.option("--district", default=None, help="District name or code that scopes the look-up.")
def places_command(text: str, district: str | None) -> None:
    """Resolve a locality (e.g. "Quảng Xương (xã Quảng Lưu)" or "Quing Luu") to its unit and code.

    Prints one tab-separated line: district, district code, commune, commune code,
    2025 successor, successor code, then any note. Exit status 3 when the name is
    unknown or ambiguous (it needs a human look), 0 otherwise.
    """
    from normalize.places.gazetteer import parse_locality, resolve_commune, resolve_district

    if "(" in text and not district:
        loc = parse_locality(text)
        row = [loc.district, loc.district_code, loc.commune, loc.commune_code,
               loc.successor_commune, loc.successor_code, loc.note]
        review = loc.needs_review
    else:
        m = resolve_commune(text, district=district)
        if m.unit is None and not district and resolve_district(text).unit is not None:
            m = resolve_district(text)
            row = [m.name, m.unit.code, "", "", "", "", m.note]
        elif m.unit is None:
            row = ["", "", m.name, "", "", "", m.note]
        else:
            u = m.unit
            row = [u.district, u.district_code, u.contract_name, u.code, u.successor, u.successor_code, m.note]
        review = m.needs_review
    click.echo("\t".join(row))
    if review:
        sys.exit(ExitCode.SOME_INPUTS_FAILED)

if __name__ == "__main__":
    main()
