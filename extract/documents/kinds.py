"""What an input is, by its suffix: a module of its own, light to import, so that the
inputs of a run are found (chitieu.inputs) without loading the readers."""
from __future__ import annotations

from enum import Enum
from pathlib import Path


class DocKind(str, Enum):
    """What an input is, by its suffix; the value is what the cache and messages show."""

    PDF = "pdf"
    IMAGE = "image"
    DUMP = "dump"
    WORD = "docx"
    SHEET = "sheet"


SUFFIXES = {
    DocKind.PDF: frozenset({".pdf"}),
    DocKind.IMAGE: frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".heic", ".heif"}),
    DocKind.DUMP: frozenset({".txt", ".md", ".text"}),
    DocKind.WORD: frozenset({".docx", ".doc"}),
    DocKind.SHEET: frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".csv"}),
}
SUPPORTED = frozenset().union(*SUFFIXES.values())


def kind_of(path: Path) -> DocKind | None:
    suffix = path.suffix.lower()
    return next((k for k, s in SUFFIXES.items() if suffix in s), None)
