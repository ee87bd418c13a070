"""The notional page of a source that has no geometry — a text dump, a word processor's
file, a spreadsheet's sheet — so that its lines, its cells and the values read from
them have boxes in points, as a PDF page's do, and the page can be drawn again.

The page is drawn in a monospaced hand: every character (a space and a tab too) is
``CHAR_WIDTH`` = 6 pt wide and every line ``LINE_HEIGHT`` = 14 pt high (a 10-pt
monospaced font: DejaVu Sans Mono advances 6.02 pt at 10 pt). From the top-left corner,
``MARGIN`` (36 pt) in, the page's lines and tables stand one under the other in reading
order, each at the left margin:

- a line of text is one line high and as wide as its characters (``len(text)`` × 6 pt,
  its leading spaces included: its text is drawn from its box's left edge); a blank
  line is a line's height of paper with no box;
- a table is a grid: each column as wide as the longest line of text of its cells plus
  ``CELL_PAD`` (3 pt) on either side (``MIN_CELL_CHARS`` characters at least), each row
  as high as its cells' lines of text plus ``CELL_PAD`` above and below; a merged cell
  whose text needs more room than its columns (or rows) give widens the last column (or
  row) it spans. A cell's text is drawn a line per line of its text (split at "\\n"),
  from its box's top-left corner, ``CELL_PAD`` in.

The page is A4 (595 × 842 pt) at least, larger when its lines or tables need: a dump's
line of 300 characters makes a page 1872 pt wide. Characters are counted as the text
holds them (code points: a combining mark an NFD source left is one), so the characters
``a`` to ``b`` of a line's text stand in ``span_box(line.bbox, a, b)``.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from extract.model import BBox, Cell, Table

CHAR_WIDTH = 6.0
LINE_HEIGHT = 14.0
FONT_SIZE = 10.0  # the size a monospaced font is drawn at to fill these metrics
MARGIN = 36.0
CELL_PAD = 3.0
MIN_CELL_CHARS = 2  # an empty column is still a column one can point at
A4 = (595.0, 842.0)

# What ``PageResult.how`` begins with on a notional page, as the documents that make one
# write it: a page whose boxes were drawn here, not measured (``is_notional``).
DUMP_HOW = "text dump"
WORD_HOW = "word-processor file"
SHEET_HOW = "spreadsheet sheet"


def is_notional(page) -> bool:
    """Whether a ``PageResult``'s boxes are this module's drawing, not a page's measure:
    its tables' columns are compared by their grid, not by where they stand."""
    return page.how.startswith((DUMP_HOW, WORD_HOW, SHEET_HOW))


def span_box(box: BBox, start: int, end: int) -> BBox:
    """The box of characters ``start`` to ``end`` (exclusive) of a notional line whose box is ``box``."""
    x0, top, _, bottom = box
    return (x0 + start * CHAR_WIDTH, top, x0 + max(end, start) * CHAR_WIDTH, bottom)


def _cell_lines(text: str) -> list[str]:
    return text.split("\n") or [""]


def _sizes(cells: Sequence[Cell], n: int, start: str, span: str, need) -> list[float]:
    """Column widths (or row heights) of a grid of ``n``: a single cell's need first, then
    each merged cell's, the narrowest spans first, what is missing given to its last."""
    sizes = [need(None)] * n
    for c in sorted(cells, key=lambda c: getattr(c, span)):
        a, k = getattr(c, start), getattr(c, span)
        if a >= n:
            continue
        k = min(k, n - a)
        missing = need(c) - sum(sizes[a:a + k])
        if missing > 0:
            sizes[a + k - 1] += missing
    return sizes


def _width(cell: Cell | None) -> float:
    chars = max((len(t) for t in _cell_lines(cell.text)), default=0) if cell else 0
    return max(chars, MIN_CELL_CHARS) * CHAR_WIDTH + 2 * CELL_PAD


def _height(cell: Cell | None) -> float:
    return (len(_cell_lines(cell.text)) if cell else 1) * LINE_HEIGHT + 2 * CELL_PAD


def grid_boxes(cells: Sequence[Cell], n_rows: int, n_cols: int, left: float, top: float) -> list[BBox]:
    """The box of each of ``cells`` (by its row, column and spans) in a grid drawn from
    (``left``, ``top``)."""
    widths = _sizes(cells, n_cols, "col", "colspan", _width)
    heights = _sizes(cells, n_rows, "row", "rowspan", _height)
    xs, ys = [left], [top]
    for w in widths:
        xs.append(xs[-1] + w)
    for h in heights:
        ys.append(ys[-1] + h)

    def edge(edges: list[float], k: int) -> float:
        return edges[min(max(k, 0), len(edges) - 1)]

    return [(edge(xs, c.col), edge(ys, c.row), edge(xs, c.col + c.colspan), edge(ys, c.row + c.rowspan))
            for c in cells]


def cell_line_boxes(cell: Cell) -> list[BBox]:
    """The box of each line of a notional cell's text (split at "\\n"), as drawn in it."""
    x0, top = cell.bbox[0] + CELL_PAD, cell.bbox[1] + CELL_PAD
    return [(x0, top + k * LINE_HEIGHT, x0 + len(t) * CHAR_WIDTH, top + (k + 1) * LINE_HEIGHT)
            for k, t in enumerate(_cell_lines(cell.text))]


class NotionalPage:
    """A notional page drawn top down: each ``line`` and ``table`` placed under the last."""

    def __init__(self) -> None:
        self._y = MARGIN
        self._right = MARGIN

    def line(self, text: str) -> BBox | None:
        """The box of the next line, ``text``; None for a blank line (it still takes its height)."""
        top = self._y
        self._y += LINE_HEIGHT
        if not text.strip():
            return None
        box = (MARGIN, top, MARGIN + len(text) * CHAR_WIDTH, top + LINE_HEIGHT)
        self._right = max(self._right, box[2])
        return box

    def table(self, table: Table) -> Table:
        """``table`` placed next, its cells boxed in points (their grid kept: row, column, spans)."""
        if not table.cells:
            return table
        boxes = grid_boxes(table.cells, table.n_rows, table.n_cols, MARGIN, self._y)
        cells = tuple(replace(c, bbox=b) for c, b in zip(table.cells, boxes))
        self._y = max(b[3] for b in boxes)
        self._right = max(self._right, max(b[2] for b in boxes))
        return replace(table, cells=cells)

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the page: A4, or what its content and margins need."""
        return max(A4[0], self._right + MARGIN), max(A4[1], self._y + MARGIN)
