"""chitieu's command line (click): the wiring of ``chitieu.read`` and the datasets it writes.

Every failure a user can act on is an ``extract.errors.ChitieuError`` carrying its
own message and exit code; ``ChitieuGroup.invoke`` is the one place they become an
exit status.
"""
from __future__ import annotations

import os
from pathlib import Path

import click

from extract.errors import ChitieuError, ExitCode, NothingRead, SomeInputsFailed


class ChitieuGroup(click.Group):
    """The command group; it maps our errors (and Ctrl-C) to their exit codes, once for all commands."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ChitieuError as exc:
            if str(exc):
                click.echo(f"error: {exc}" if exc.exit_code != ExitCode.INTERRUPTED else f"\n{exc}", err=True)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            ctx.exit(int(ExitCode.INTERRUPTED))
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # click's own: usage errors, --help, --version
        except Exception as exc:  # a bug: say so, with the traceback, rather than a bare crash
            import logging

            from chitieu.command import configure_logging

            configure_logging()
            logging.getLogger("chitieu").exception("internal error")
            click.echo(f"internal error (a bug in chitieu, please report it): {type(exc).__name__}: {exc}", err=True)
            ctx.exit(int(ExitCode.INTERNAL))


@click.group(cls=ChitieuGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chitieu")
@click.option("-v", "--verbose", count=True, help="More messages on stderr (-vv for debug).")
@click.pass_context
def main(ctx: click.Context, verbose: int) -> None:
    """Turn Vietnamese reports on the "3 KHÔNG" indicators into per-commune CSV datasets."""
    from chitieu.command import configure_logging, set_log_level

    set_log_level(verbose)
    if ctx.invoked_subcommand != "run":  # a run configures it once it reads: a kept run needs no logging
        configure_logging()


def limit_options(command):
    """The limits of a run (``extract.limits``), each hit an error of its input or page."""
    from extract import limits

    options = [
        click.option("--page-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
                     help="Seconds Tesseract may take on a page before it is stopped "
                          "[default: scaled to the page's pixels, 120 s an A4 page at 300 dpi, 30 s at least]."),
        click.option("--doc-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
                     help="Seconds the OCR of one document may take, from its first page sent; its pages not "
                          "sent by then are not read, and an error names each [default: no limit]."),
        click.option("--max-pages", type=click.IntRange(min=1), default=limits.MAX_PAGES, show_default=True,
                     help="Pages read of one document; the rest are not, and an error says so."),
        click.option("--max-megapixels", type=click.FloatRange(min=0, min_open=True),
                     default=limits.MAX_PIXELS / limits.MEGA, show_default=True,
                     help="Megapixels of a page image; a PDF page larger is rendered below --dpi (150 dpi at least), "
                          "an image file larger is refused."),
        click.option("--max-unzipped-mb", type=click.FloatRange(min=0, min_open=True),
                     default=limits.MAX_UNZIPPED_BYTES / limits.MEGA, show_default=True,
                     help="Size of a .docx once unzipped; a larger one (a zip bomb) is refused."),
        click.option("--max-line-chars", type=click.IntRange(min=1), default=limits.MAX_LINE_CHARS, show_default=True,
                     help="Characters of a line of a text dump; a longer line is not read, and an error says so."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command("run")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the CSV outputs and chitieu.xlsx.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Pages OCR'd in parallel [default: number of cores].")
@click.option("--dpi", type=click.IntRange(72, 1200), default=300, show_default=True, help="Resolution scanned pages are rendered at.")
@click.option("--lang", default="vie", show_default=True, help="Tesseract language(s), e.g. vie or vie+eng.")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, help="Reporting year, when the documents do not say.")
@click.option("--progress/--no-progress", default=True,
              help="Progress of the OCR on stderr: a bar on a terminal, else a line every 30 s [on].")
@click.option("--executor", type=click.Choice(["serial", "process", "dask"]), default=None,
              help="Where pages are OCR'd [default: process pool, serial with --jobs 1, dask with --scheduler].")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Dask scheduler to send pages to; its workers are sent the inputs' bytes (no shared disk needed).")
@click.option("--ocr-engine", type=click.Choice(["auto", "tesserocr", "tesseract"]), default="auto",
              show_default=True,
              help="Tesseract in each worker process (tesserocr: the model loaded once, pages handed over in "
                   "memory), or the tesseract program (a process per batch of pages); auto: tesserocr when "
                   "it is installed.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="Where pages read are kept [default: $XDG_CACHE_HOME/chitieu or ~/.cache/chitieu].")
@click.option("--no-cache", is_flag=True, help="Read every page again and keep nothing.")
@click.option("--reuse-outputs/--no-reuse-outputs", default=True,
              help="Copy the outputs of an earlier run with the same inputs, options and code from the "
                   "cache instead of making them again [on].")
@click.option("--bom/--no-bom", default=True,
              help="Begin each CSV with a UTF-8 byte-order mark, without which Excel on Windows garbles "
                   "the diacritics [on].")
@click.option("--corrections", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Human decisions to apply (written by `chitieu review`) [default: OUT/corrections.csv, "
                   "when it exists].")
@click.option("--as-of", "as_of", type=click.Choice(["2025"]), default=None,
              help="Also write OUT/as_of_2025.csv: the figures of the communes merged in July 2025 under the unit "
                   "that took them over, side by side (never averaged).")
@click.option("--weights", type=click.Path(dir_okay=False, exists=True), default=None, metavar="FILE",
              help="With --as-of: a CSV of commune_code,weight (e.g. population) for a weighted mean of merged "
                   "communes' figures, named in each row.")
@click.option("--report/--no-report", default=True, help="Write OUT/report.html, the review page with the "
              "picture of every doubt [on].")
@limit_options
def run_command(paths, out_dir, jobs, dpi, lang, year, progress, executor, scheduler, ocr_engine, cache_dir, no_cache,
                reuse_outputs, bom, corrections, as_of, weights, report, **limits) -> None:
    """Read PATHS (PDFs, images, word-processor files, spreadsheets, text dumps, or folders of
    them) and write the datasets to OUT.

    Pages read are cached, keyed by each input's content and the settings: a second
    run does no OCR again, and an interrupted run resumes where it stopped; a run made
    again with the same inputs, options and code copies the earlier run's outputs.

    Exit status: 0 all inputs read; 2 a usage error, or OUT in use by another run;
    3 some inputs failed (see errors.csv); 4 nothing could be read;
    5 Tesseract or its language data is missing; 130 interrupted (no output written).
    """
    from chitieu.command import run_and_write
    from chitieu.rerun import default_cache_dir  # the page cache's, without importing it
    from normalize.outputs.lock import output_lock

    if weights and not as_of:
        raise click.UsageError("--weights weighs the figures of merged communes: it needs --as-of 2025")
    if weights:  # a bad file is said now, not after the run
        from chitieu.command import configure_logging
        from normalize.outputs.successors import read_weights

        configure_logging()
        read_weights(Path(weights))
    if scheduler and executor not in (None, "dask"):
        raise click.UsageError(f"--scheduler sends pages to Dask; it cannot be used with --executor {executor}")
    cache = None if no_cache else Path(cache_dir) if cache_dir else default_cache_dir()
    read = dict(dpi=dpi, lang=lang, jobs=jobs or os.cpu_count() or 1, year=year, executor=executor,
                scheduler=scheduler, progress=progress, ocr_engine=ocr_engine, **limits)
    write = dict(bom=bom, corrections=corrections, report=report, as_of=as_of, weights=weights)
    with output_lock(out_dir):  # held from the first page to the last file: one run at a time into OUT
        from chitieu.quick import given

        run_and_write(paths, out_dir, cache=cache, read=read, write=write, reuse=reuse_outputs, argv=given())


@main.command("review")
@click.argument("out_dir", type=click.Path(file_okay=False, exists=True))
@click.argument("answer", required=False, type=click.Choice(["accept", "correct", "alias"]))
@click.argument("args", nargs=-1)
@click.option("--corrections", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Where answers are kept [default: OUT/corrections.csv].")
def review_command(out_dir, answer, args, corrections) -> None:
    """List the open decisions of the run written to OUT_DIR, or record an answer:

    \b
      chitieu review OUT                         the open decisions, one per line, by id
      chitieu review OUT accept ID               the value (name, page, row) is right as read
      chitieu review OUT correct ID VALUE        the value is VALUE (80, "80% trở lên", "Chưa có")
      chitieu review OUT alias NAME UNIT         the place written NAME is the gazetteer's UNIT

    An id may be shortened to a unique prefix. Answers go to the corrections file, which
    the next `chitieu run … -o OUT` applies; an answer whose input has changed since is
    asked again. Exit status 3 when decisions are open (listing), 2 for a bad answer."""
    from chitieu.decide import listing, open_decisions, record

    out = Path(out_dir)
    path = Path(corrections) if corrections else out / "corrections.csv"
    if answer is None:
        rows = open_decisions(out)
        for line in listing(rows):
            click.echo(line)
        click.echo(f"{len(rows)} open decision(s) in {out / 'review.csv'}", err=True)
        if rows:
            raise SomeInputsFailed("")
        return
    c = record(out, path, answer, tuple(args))
    what = {"accept": "accepted", "correct": f"corrected to {c.value}", "alias": f"{c.name} → {c.unit}"}[answer]
    click.echo(f"{c.decision_id}: {what}; recorded in {path}. Run `chitieu run … -o {out}` again to apply it.",
               err=True)


@main.command("match")
@click.argument("text")
def match_command(text: str) -> None:
    """Print the indicator TEXT matches best, its score and the runner-up.

    Exit status 4 when nothing matches."""
    from normalize.indicators.catalogue import load_catalogue
    from normalize.indicators.matcher import match_label

    m = match_label(text)
    if m is None:
        raise NothingRead("no match")
    click.echo(f"{m.indicator_id}\t{m.score:.1f}\t{m.name}")
    if m.runner_up_id is not None:
        click.echo(f"runner-up: {m.runner_up_id}\t{m.runner_up_score:.1f}\t{load_catalogue().get(m.runner_up_id).name}")


@main.command("places")
@click.argument("text")
@click.option("--district", default=None, help="District (2024) name or code that scopes the look-up.")
@click.option("--year", type=int, default=None,
              help="Resolve as a document of that year would: 2026 (or 2025) the units in force from "
                   "1 July 2025 first, 2024 or before the 2024 units first.")
def places_command(text: str, district: str | None, year: int | None) -> None:
    """Resolve a locality (e.g. "Quảng Xương (xã Quảng Lưu)" or "Quing Luu") to its unit and code.

    Prints one tab-separated line: district, district code, commune, commune code,
    2025 successor, successor code, then any note. A unit in force from 1 July 2025
    has no district and no successor, and its note says so. Without --year the 2024
    units are tried first, then the 2025 ones, and a name that means different units
    in the two generations ("Quảng Bình") is flagged. Exit status 3 when the name is
    unknown, ambiguous or flagged (it needs a human look), 0 otherwise.
    """
    from normalize.places.lookup import locality_row

    row, review = locality_row(text, district, year)
    click.echo("\t".join(row))
    if review:
        raise SomeInputsFailed("")
