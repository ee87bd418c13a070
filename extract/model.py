"""Frozen values passed between the stages of the pipeline.

Coordinates are PDF points (1/72 inch) from the top-left corner of the page,
whatever the source: OCR boxes are converted from pixels with the page's dpi,
so the table builder never needs to know how a page was read. Words, rulings and
cells are many (a document's pages are held until its tables are built), so they
have slots, not a dict each.
"""
from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom

SOURCES = ("text", "ocr", "dump")


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    bbox: BBox
    conf: float  # 0-100; 100 for a text layer
    page_no: int  # 1-based
    source: str  # one of SOURCES

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown word source {self.source!r}")


@dataclass(frozen=True, slots=True)
class Ruling:
    """A horizontal or vertical table line, as drawn or as detected in an image."""

    orientation: str  # "h" or "v"
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Page:
    no: int  # 1-based
    size: tuple[float, float]  # width, height in points
    words: tuple[Word, ...]
    rulings: tuple[Ruling, ...] = ()
    source: str = "text"
    image_dpi: int | None = None
    lines: tuple[str, ...] = ()  # text dumps only: the page's raw lines
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    bbox: BBox
    conf: float  # lowest word confidence in the cell, 100 when empty
    page_no: int = 0


@dataclass(frozen=True)
class Table:
    page_span: tuple[int, int]
    cells: tuple[Cell, ...]
    n_rows: int
    n_cols: int
    source: str = "text"  # "mixed" when continued across pages read differently
    page_sources: tuple[tuple[int, str], ...] = ()  # (page, source) of each page it spans

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, ordered by column."""
        grid: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            grid[cell.row].append(cell)
        return [sorted(r, key=lambda c: c.col) for r in grid]


@dataclass(frozen=True)
class Document:
    """All pages of one input, in order, with the path it came from."""

    path: str
    pages: tuple[Page, ...]
    kind: str = "pdf"  # pdf, image, dump
    metadata: dict = field(default_factory=dict, compare=False, hash=False)
