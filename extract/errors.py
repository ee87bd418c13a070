"""The errors a user can act on, each with its message and exit code, as OCRmyPDF's
exceptions do. They are raised anywhere; only the command line (``pipeline.main``)
turns them into an exit status, and a failure that concerns one input or page is
never raised past it: it becomes a row of errors.csv (``ErrorRow``)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    USAGE = 2
    SOME_INPUTS_FAILED = 3  # also: a place or indicator that needs a human look (chitieu places, match)
    NOTHING_READ = 4
    MISSING_DEPENDENCY = 5
    INTERRUPTED = 130


class ChitieuError(Exception):
    """A failure with a message written for the user and the exit status it gives."""

    exit_code = ExitCode.INTERNAL


class InputError(ChitieuError):
    """An input that cannot be read at all (encrypted, truncated, a .doc with no LibreOffice)."""

    exit_code = ExitCode.SOME_INPUTS_FAILED


class MissingDependency(ChitieuError):
    """A program or its data is not installed: Tesseract, a language model, Dask."""

    exit_code = ExitCode.MISSING_DEPENDENCY


class OcrUnavailable(MissingDependency):
    """The OCR engine or its language data is not installed."""


class ExecutorUnavailable(MissingDependency):
    """The executor asked for cannot run here (Dask not installed)."""


class SchedulerUnreachable(ChitieuError):
    """The Dask scheduler named cannot be reached."""


class NothingRead(ChitieuError):
    """No input gave anything."""

    exit_code = ExitCode.NOTHING_READ


class SomeInputsFailed(ChitieuError):
    """The outputs are written, but some inputs or pages failed (errors.csv says which)."""

    exit_code = ExitCode.SOME_INPUTS_FAILED


class Interrupted(ChitieuError):
    exit_code = ExitCode.INTERRUPTED


# Where a failure happened, for errors.csv's ``stage``.
STAGES = ("input", "extract", "ocr", "normalize", "layout", "unit")  # layout, unit: shown but not read


@dataclass(frozen=True)
class ErrorRow:
    """One row of errors.csv: an input or page that failed or gave nothing, and why."""

    source_file: str
    page: int | None  # 1-based; None for the whole input
    stage: str  # one of STAGES
    reason: str
    kind: str = ""  # what went wrong, for grouping: unsupported, missing, unreadable, page_failed, …

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"unknown error stage {self.stage!r}")

    def where(self) -> str:
        return self.source_file + (f" page {self.page}" if self.page else "")
