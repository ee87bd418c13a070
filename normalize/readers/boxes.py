"""Where a value stands on its page: the box a record carries (``Record.bbox``).

A table value stands in its cell. A value read from lines of text (prose, a text dump's
table rows) stands in the lines its text spans; on a notional page
(``extract.layout.notional``), where every character has the same width, in exactly the
characters it takes, found again in the lines as written."""
from __future__ import annotations

from typing import Sequence

from extract.layout.notional import span_box
from extract.model import BBox, Line, Table


def union(boxes: Sequence[BBox | None]) -> BBox | None:
    known = [b for b in boxes if b is not None]
    if not known:
        return None
    return (min(b[0] for b in known), min(b[1] for b in known), max(b[2] for b in known), max(b[3] for b in known))


def cell_box_at(table: Table, row: int, col: int, page_no: int) -> BBox | None:
    """The box at grid ``row`` × ``col`` of ``table`` on page ``page_no``, where no cell
    starts: the merged cell that covers it, else the row's height across the column's width
    (the boxes of the cells that start in that row and in that column, on that page)."""
    on_page = [c for c in table.cells if c.page_no == page_no]
    for c in on_page:
        if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
            return c.bbox
    across = [c.bbox for c in on_page if c.row == row]
    down = [c.bbox for c in on_page if c.col == col and c.colspan == 1]
    if across and down:
        return (min(b[0] for b in down), min(b[1] for b in across), max(b[2] for b in down), max(b[3] for b in across))
    return union(across)


def _squeezed(text: str) -> tuple[str, list[int]]:
    """``text`` without its white space, and where each of its characters stands in ``text``."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in keep), keep


def find_span(text: str, piece: str, lo: int = 0, hi: int | None = None, *,
              last: bool = False) -> tuple[int, int] | None:
    """Where ``piece`` stands in ``text[lo:hi]``, white space aside (a reader may have
    spaced "87%Chưa" apart, or joined wrapped lines with one space): the first such place,
    or with ``last`` the last; None when it is not there."""
    key = "".join(piece.split())
    if not key:
        return None
    squeezed, where = _squeezed(text)
    hi = len(text) if hi is None else hi
    a = next((k for k, i in enumerate(where) if i >= lo), len(where))
    b = next((k for k, i in enumerate(where) if i >= hi), len(where))
    k = squeezed.rfind(key, a, b) if last else squeezed.find(key, a, b)
    if k < 0:
        return None
    return where[k], where[k + len(key) - 1] + 1


class Segments:
    """Lines joined with one space, as a reader joins a wrapped label or a row's lines, and
    the box of any stretch of the joined text: on a notional page (``exact``) the box of
    its characters, else the union of the boxes of the lines it touches."""

    def __init__(self, lines: Sequence[Line], *, exact: bool) -> None:
        self.lines = list(lines)
        self.exact = exact
        self.starts: list[int] = []
        pos = 0
        for line in self.lines:
            self.starts.append(pos)
            pos += len(line.text) + 1
        self.text = " ".join(line.text for line in self.lines)

    def box(self, start: int, end: int) -> BBox | None:
        boxes = []
        for line, s in zip(self.lines, self.starts):
            a, b = max(start, s), min(end, s + len(line.text))
            if line.bbox is None or a >= b:
                continue
            boxes.append(span_box(line.bbox, a - s, b - s) if self.exact else line.bbox)
        return union(boxes)


def align(cleaned: str, raw: str) -> list[int] | None:
    """Where each character of ``cleaned`` stands in ``raw``, the text it was cleaned from
    by taking characters out and runs of white space down to one; None when a character was
    changed (a LaTeX ``\\times`` made "×"), so that no position can be trusted."""
    out, i = [], 0
    for ch in cleaned:
        space = ch.isspace()
        while i < len(raw) and (raw[i].isspace() != space or (not space and raw[i] != ch)):
            i += 1
        if i == len(raw):
            return None
        out.append(i)
        i += 1
    return out
