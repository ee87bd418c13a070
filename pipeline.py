"""chitieu's command line and the wiring of extract → normalize → outputs.

Exit codes are decided in one place (`ExitCode`); every failure a user can fix is
a `ChitieuError` carrying its own message and code.
"""
from __future__ import annotations

import logging
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Callable, Iterable, Iterator

import click

log = logging.getLogger("chitieu")

from extract.documents import SUPPORTED, DocPlan, plan_document


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


@dataclass
class RunResult:
    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (source_file, page, stage, reason)
    inputs: int = 0
    failed_inputs: int = 0


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
                errors.append((str(p), "", "input", f"unsupported file type {p.suffix or '(none)'}: expected PDF, image or text"))
        else:
            errors.append((str(p), "", "input", "no such file or folder"))
    seen, unique = set(), []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors


def _run_tasks(tasks: list, jobs: int, on_done: Callable[[], None]) -> Iterator[tuple]:
    """(task, page or None, error) for each task; pages are OCR'd in parallel."""
    from extract.scan import run_ocr_task

    if jobs <= 1 or len(tasks) <= 1:
        for t in tasks:
            try:
                yield t, run_ocr_task(t), ""
            except Exception as exc:
                yield t, None, f"{type(exc).__name__}: {exc}"
            on_done()
        return
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [(t, pool.submit(run_ocr_task, t)) for t in tasks]
        for t, fut in futures:
            try:
                yield t, fut.result(), ""
            except Exception as exc:
                yield t, None, f"{type(exc).__name__}: {exc}"
            on_done()


def document_records(doc: DocPlan, year: int | None) -> list:
    """Pages of one document → tables → summary tables → records."""
    from extract.tables import continue_tables, page_to_tables
    from normalize.docmeta import detect_year
    from normalize.dump_tables import pages_to_summaries
    from normalize.summary import grid_to_summary, summary_to_records

    pages = [doc.pages[k] for k in sorted(doc.pages)]
    text = "\n".join("\n".join(p.lines) if p.lines else " ".join(w.text for w in p.words) for p in pages[:3])
    year = year or detect_year(text)
    if doc.kind == "dump":
        summaries = pages_to_summaries(pages)
    else:
        tables = continue_tables([page_to_tables(p) for p in pages])
        summaries = [s for s in (grid_to_summary(t) for t in tables) if s is not None]
    records = []
    for s in summaries:
        records.extend(summary_to_records(s, source_file=doc.path.name, year=year))
    return records


def run(paths: Iterable[str], settings: Settings, progress: bool = False) -> RunResult:
    result = RunResult()
    files, errors = expand_inputs(paths)
    result.errors.extend(errors)
    result.failed_inputs += len(errors)
    result.inputs += len(errors)
    docs, tasks = [], []
    for path in files:
        doc, doc_tasks = plan_document(path, dpi=settings.dpi, lang=settings.lang, errors=result.errors)
        docs.append(doc)
        tasks.extend(doc_tasks)
    if tasks:
        from extract.ocr import tesseract_available

        try:
            tesseract_available(settings.lang)
        except Exception as exc:
            raise MissingDependency(str(exc)) from exc
    by_path = {str(d.path): d for d in docs}
    bar = click.progressbar(length=len(tasks), label="OCR pages", file=sys.stderr) if progress and tasks else None
    done = [0]

    def tick() -> None:
        done[0] += 1
        if bar is not None:
            bar.update(1)
        else:
            log.info("OCR %d/%d pages", done[0], len(tasks))

    try:
        for task, page, err in _run_tasks(tasks, settings.jobs, tick):
            doc = by_path[task.path]
            if page is None:
                result.errors.append((doc.path.name, str(task.page_no), "ocr", err))
            else:
                doc.pages[task.page_no] = page
    finally:
        if bar is not None:
            bar.render_finish()
    for doc in docs:
        result.inputs += 1
        if doc.failed:
            result.failed_inputs += 1
            result.errors.append((str(doc.path), "", "input", doc.failed))
            continue
        try:
            result.records.extend(document_records(doc, settings.year))
        except Exception as exc:  # one bad document never stops the run
            log.exception("%s failed", doc.path)
            result.failed_inputs += 1
            result.errors.append((str(doc.path), "", "normalize", f"{type(exc).__name__}: {exc}"))
    from normalize.evidence import add_place_evidence

    texts = {d.path.name: page_texts(d) for d in docs if not d.failed}
    result.records = add_place_evidence(result.records, texts)
    return result


def page_texts(doc: DocPlan) -> list[tuple[int, str]]:
    """(page, text) of every page, for evidence that spans the document."""
    return [
        (no, "\n".join(p.lines) if p.lines else " ".join(w.text for w in p.words))
        for no, p in sorted(doc.pages.items())
    ]


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
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr [default: when stderr is a terminal].")
def run_command(paths, out_dir, jobs, dpi, lang, year, progress) -> None:
    """Read PATHS (PDFs, images, text dumps, or folders of them) and write the datasets to OUT.

    Exit status: 0 all inputs read; 3 some inputs failed (see errors.csv);
    4 nothing could be read; 5 Tesseract or its language data is missing.
    """
    from normalize.datasets import write_outputs

    settings = Settings(dpi=dpi, lang=lang, jobs=jobs or os.cpu_count() or 1, year=year)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        result = run(paths, settings, progress=show)
    except KeyboardInterrupt:
        click.echo("interrupted: no output written", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    for source, page, stage, reason in result.errors:
        where = f"{source}" + (f" page {page}" if page else "")
        click.echo(f"error: {where}: {reason}", err=True)
    counts = write_outputs(Path(out_dir), result.records, result.errors)
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
    from normalize.matcher import match_label

    m = match_label(text)
    if m is None:
        click.echo("no match", err=True)
        sys.exit(ExitCode.NOTHING_READ)
    click.echo(f"{m.indicator_id}\t{m.score:.1f}\t{m.name}")
    if m.runner_up_id is not None:
        from normalize.catalogue import load_catalogue

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
    from normalize.places import parse_locality, resolve_commune, resolve_district

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
