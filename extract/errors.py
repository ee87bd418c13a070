"""The errors a user can act on, each with its message and exit code, as OCRmyPDF's
exceptions do. They are raised anywhere; only the command line (``chitieu.cli.main``)
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


class OutputInUse(ChitieuError):
    """The output folder is being written by another run (its lock file is held)."""

    exit_code = ExitCode.USAGE


class OutputUnwritable(ChitieuError):
    """The output folder cannot be made or written (a file of that name, no permission, a read-only disk)."""

    exit_code = ExitCode.USAGE


class BadCorrections(ChitieuError):
    """A corrections file, or an answer given to ``chitieu review``, that cannot be used as it is."""

    exit_code = ExitCode.USAGE


class NothingRead(ChitieuError):
    """No input gave anything."""

    exit_code = ExitCode.NOTHING_READ


class SomeInputsFailed(ChitieuError):
    """The outputs are written, but some inputs or pages failed (errors.csv says which)."""

    exit_code = ExitCode.SOME_INPUTS_FAILED


class Interrupted(ChitieuError):
    exit_code = ExitCode.INTERRUPTED


class LimitExceeded(InputError):
    """An input or page over one of the limits (``extract.limits``); the message names the option."""


class PageFailed(ChitieuError):
    """One page could not be read; it becomes a row of errors.csv, never a stopped run."""

    exit_code = ExitCode.SOME_INPUTS_FAILED


class OcrFailed(PageFailed):
    """The OCR engine exited with an error, was killed or stopped, or wrote a reading that is not whole."""


def reason(exc: BaseException) -> str:
    """The one line errors.csv gives for ``exc``: our own errors' message as written,
    any other exception's with its type (it is a bug or a library's failure)."""
    if isinstance(exc, ChitieuError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


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
