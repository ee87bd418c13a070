"""chitieu's Python API: read reports, get their indicator values as a DataFrame.

    import chitieu
    result = chitieu.read(["samples/"], dpi=300, lang="vie", jobs=2)
    result.records          # one row per value, with its provenance (pandas DataFrame)
    result.errors           # one row per input or page that failed (DataFrame)
    result.write("out/")    # the CSV datasets the command line writes

The command line (``chitieu run``) calls the same function.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from typing import TYPE_CHECKING

from extract import limits

if TYPE_CHECKING:
    from chitieu.runner import RunResult, Settings

__all__ = ["Result", "Settings", "read"]


def __getattr__(name: str):
    # The runner imports the readers (numpy, pdfplumber …): only a run needs them, not a
    # run made again from its kept outputs (chitieu.rerun), which must start at once.
    if name in ("Settings", "RunResult", "run"):
        from chitieu import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'chitieu' has no attribute {name!r}")


@dataclass(frozen=True)
class Result:
    """What a run read: its records and errors, typed; nothing is written until ``write``."""

    run: RunResult
    dpi: int = 300  # what scanned pages were rendered at: report.html draws them again alike

    @property
    def records(self):
        """One row per value: numbers as floats, ids and codes as strings, ``needs_review`` as bool."""
        from normalize.outputs.frames import records_to_typed_frame

        return records_to_typed_frame(self.run.records)

    @property
    def errors(self):
        """One row per input or page that failed or gave nothing, with its stage, reason and kind."""
        from normalize.outputs.frames import errors_to_typed_frame

        return errors_to_typed_frame(self.run.errors)

    @property
    def inputs(self) -> int:
        return self.run.inputs

    @property
    def failed_inputs(self) -> int:
        return self.run.failed_inputs

    def write(self, out_dir: str | os.PathLike, *, bom: bool = True, corrections: str | os.PathLike | None = None,
              report: bool = True, as_of: str | None = None, weights: str | os.PathLike | None = None) -> dict:
        """Write the datasets (consolidated.csv, indicators.csv, review.csv, completeness.csv,
        errors.csv, summary_wide.csv, inputs.csv, other_figures.csv, communes/, all of them as
        the sheets of chitieu.xlsx, and report.html) to ``out_dir``; the counts of what was
        written. ``bom``: begin each CSV with a UTF-8 byte-order mark, which Excel on Windows
        needs to read diacritics; ``corrections``: the file of human decisions to apply
        (default ``out_dir/corrections.csv`` when it exists); ``report``: write report.html;
        ``as_of="2025"``: also as_of_2025.csv, the figures of the old units under the units that
        took them over, side by side, with a weighted mean when ``weights`` (a CSV of
        commune_code,weight) is given."""
        from normalize.outputs.corrections import read_corrections
        from normalize.outputs.datasets import write_outputs
        from normalize.outputs.lock import output_lock

        from chitieu.inputs import digest

        out = Path(out_dir)
        path = Path(corrections) if corrections is not None else out / "corrections.csv"
        answers = read_corrections(path)
        shares = None
        if weights is not None:
            from normalize.outputs.successors import read_weights

            shares = read_weights(Path(weights))
        digests = {}
        for source_file, file_path in self.run.paths:
            try:
                digests[source_file] = digest(file_path)
            except OSError:  # gone since it was read: its decisions cannot be checked, so they reopen
                digests[source_file] = "gone"
        pictures = None
        if report:
            from chitieu.crops import picture_maker

            pictures = picture_maker(dict(self.run.paths), self.run.accounts, dpi=self.dpi)
        with output_lock(out_dir):  # OutputInUse when another run is writing there
            return write_outputs(out, self.run.records, self.run.errors, other_figures=self.run.other_figures,
                                 accounts=self.run.accounts, bom=bom, corrections=answers, digests=digests,
                                 corrections_label=path.name, pictures=pictures, as_of=as_of, weights=shares)


def read(paths: str | os.PathLike | Iterable[str | os.PathLike], *, dpi: int = 300, lang: str = "vie",
         jobs: int | None = None, year: int | None = None, executor: str | None = None, scheduler: str | None = None,
         cache_dir: str | os.PathLike | None = None, progress: bool = False, page_timeout: float | None = None,
         doc_timeout: float | None = None,
         max_pages: int = limits.MAX_PAGES, max_megapixels: float = limits.MAX_PIXELS / limits.MEGA,
         max_unzipped_mb: float = limits.MAX_UNZIPPED_BYTES / limits.MEGA,
         max_line_chars: int = limits.MAX_LINE_CHARS, ocr_engine: str = "auto") -> Result:
    """Read the inputs (PDFs, images, text dumps, word-processor files, or folders of them).

    ``jobs``: pages OCR'd in parallel (default: the number of cores); ``cache_dir``:
    where pages read are kept (default: nothing kept); ``year``: the reporting year
    when the documents do not say. ``page_timeout``: seconds Tesseract may take on a
    page (default: scaled to its pixels, 120 s an A4 page at 300 dpi); ``doc_timeout``:
    seconds the OCR of one document may take (default: no limit); ``max_*``: the
    limits of ``extract.limits``, each hit an error of its input or page. Raises
    ``extract.errors.ChitieuError`` subclasses for what stops a run (Tesseract missing,
    a scheduler out of reach); a bad input or page is not raised but listed in ``errors``.
    ``ocr_engine``: ``tesserocr`` (Tesseract in each worker process), ``tesseract`` (the
    program, a process per batch of pages) or ``auto``, tesserocr when it is installed."""
    names = [os.fspath(paths)] if isinstance(paths, (str, os.PathLike)) else [os.fspath(p) for p in paths]
    bounds = limits.Limits(max_pages=max_pages, max_pixels=max(1, int(max_megapixels * limits.MEGA)),
                           max_unzipped_bytes=max(1, int(max_unzipped_mb * limits.MEGA)), max_line_chars=max_line_chars,
                           page_timeout=page_timeout, doc_timeout=doc_timeout)
    from chitieu.runner import Settings, run

    settings = Settings(dpi=dpi, lang=lang, jobs=jobs or os.cpu_count() or 1, year=year, executor=executor,
                        scheduler=scheduler, cache_dir=Path(cache_dir) if cache_dir is not None else None,
                        limits=bounds, ocr_engine=ocr_engine)
    return Result(run(names, settings, progress=progress), dpi=dpi)
