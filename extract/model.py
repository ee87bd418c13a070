"""Frozen values passed between the stages of the pipeline.

Coordinates are PDF points (1/72 inch) from the top-left corner of the page,
whatever the source: OCR boxes are converted from pixels with the page's dpi,
so the table builder never needs to know how a page was read. Words, rulings and
cells are many (a document's pages are held until its tables are built), so they
have slots, not a dict each.
"""
from __future__ import annotations

from dataclasses import dataclass

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
    """Words and rulings of one page, in points: what the table builder reads."""

    no: int  # 1-based
    size: tuple[float, float]  # width, height in points
    words: tuple[Word, ...]
    rulings: tuple[Ruling, ...] = ()
    source: str = "text"
    image_dpi: int | None = None


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
    ruled: bool = True  # False: found from the alignment of words alone (layout.borderless)

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, ordered by column."""
        grid: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            grid[cell.row].append(cell)
        return [sorted(r, key=lambda c: c.col) for r in grid]


@dataclass(frozen=True, slots=True)
class Line:
    """A line of running text: one the document had (a text dump, a word processor's
    paragraph), or words on one baseline of a page (``extract.layout.lines``)."""

    text: str
    page_no: int | None  # None: a word-processor file, which has no pages
    conf: float | None = None  # lowest word confidence; None when the source has none (text, dump)
    bbox: BBox | None = None


@dataclass(frozen=True)
class PhotoFacts:
    """What a photo of a page was found to be like (``extract.imaging.photo_check``): enough
    to say why it gave nothing, in the photo's own pixels."""

    sheet: bool  # a sheet was found on its background, and its perspective undone
    text_height: float  # px: the median height of its characters; 0 when no text was found
    blur: float  # px: the σ its edges are blurred by; 0 when not measured
    marks: int = 0  # characters (marks of a character's size) found


@dataclass(frozen=True)
class PageResult:
    """One page as read, all the readers need of it: the unit a worker returns and the
    cache keeps. Its tables were built once, where the page was read; its words are
    not kept (a long document's pages wait for its last one)."""

    no: int  # 1-based
    source: str  # one of SOURCES
    how: str  # how it was read and why (the triage's reason)
    tables: tuple[Table, ...]
    lines: tuple[Line, ...]  # outside the tables, in reading order, then a blank line
    text: str  # every line, or every word, of the page
    warnings: tuple[str, ...] = ()
    size: tuple[float, float] | None = None  # width, height in points of the page as read (its boxes' frame)
    turned: int = 0  # degrees the page image was turned after preparation because it read poorly (OSD)
    inked: tuple[BBox, ...] = ()  # where a seal or signature in colour was dropped before reading (points)
    photo: PhotoFacts | None = None  # the page was a photo: what it was like (None: not a photo)
