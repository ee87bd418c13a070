"""Two phase columns that a page's white space did not part: a locality's "Trước thí điểm
Sau thí điểm" read as one header cell, each of its cells two values ("92% 100%").

A table found from the alignment of its words (borderless, or ruled only across) has its
columns where the words leave gaps; with one row of values under a header (the last row
of a table continued alone on the next page) a narrow pair of phases leaves none. Such a
column is cut in two, before and after, when every cell below its header splits into two
values one way only; a cell that does not leaves the column whole (read, and flagged, as
before).
"""
from __future__ import annotations

import re
from dataclasses import replace

from extract.model import Cell, Table

from normalize.readers.summary_parts import is_value_like
from normalize.text.fold import fold_ocr

# "Trước thí điểm Sau thí điểm", "Trước TĐ Sau TĐ", "Trước Sau": both phases, in order, alone
_BOTH = re.compile(r"^(truoc(?: thi diem| td)?) (sau(?: thi diem| td)?)$")
# a figure as cells write it: "84,7%", "92", "75,86% (22/29)"
_FIGURE = re.compile(r"\d{1,3}(?:[.,]\d+)?\s?%?(?:\s?\(\d+\s?/\s?\d+\))?")


def split_paired_columns(table: Table) -> Table:
    """The table with each column headed by both phases cut in two; itself when none is."""
    if table.ruled:
        return table  # a ruled grid's columns are its lines
    for col in sorted({c.col for c in table.cells if _head(c)}, reverse=True):
        head = next(c for c in table.cells if c.col == col and _head(c))
        below = [c for c in table.cells if c.col == col and c.colspan == 1 and c.row > head.row and c.text.strip()]
        halves = {c: _two_values(c.text) for c in below}
        if below and all(halves.values()):
            table = _cut(table, col, head, halves)
    return table


def _head(c: Cell) -> bool:
    return c.colspan == 1 and bool(_BOTH.match(" ".join(fold_ocr(c.text).split())))


def _value(text: str) -> bool:
    return bool(_FIGURE.fullmatch(text)) or (not any(ch.isdigit() for ch in text) and is_value_like(text))


def _two_values(text: str) -> tuple[str, str] | None:
    """The cell's two values, left and right, when its words split so one way only."""
    words = text.split()
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    ok = [(a, b) for a, b in splits if _value(a) and _value(b)]
    return ok[0] if len(ok) == 1 else None


def _cut(table: Table, col: int, head: Cell, halves: dict) -> Table:
    cells = []
    for c in table.cells:
        if c.col > col:
            cells.append(replace(c, col=c.col + 1))
        elif c.col + c.colspan - 1 < col:
            cells.append(c)
        elif c is head or c in halves:
            words = c.text.split()
            if c is head:  # "Trước thí điểm" | "Sau thí điểm", cut where "Sau" begins
                at = next(i for i, w in enumerate(words) if i and fold_ocr(w).startswith("sau"))
                left, right = " ".join(words[:at]), " ".join(words[at:])
            else:
                left, right = halves[c]
            x0, top, x1, bottom = c.bbox
            mid = (x0 + x1) / 2  # the page's words are not at hand: each half of the box
            cells.append(replace(c, text=left, bbox=(x0, top, mid, bottom)))
            cells.append(replace(c, col=col + 1, text=right, bbox=(mid, top, x1, bottom)))
        elif c.colspan == 1 and c.row < head.row:
            cells.append(replace(c, colspan=2))  # the locality over the pair
        elif c.colspan == 1:  # an empty cell of the column, or one above the values' rows
            x0, top, x1, bottom = c.bbox
            mid = (x0 + x1) / 2
            cells.append(replace(c, bbox=(x0, top, mid, bottom)))
            cells.append(replace(c, col=col + 1, text="", bbox=(mid, top, x1, bottom)))
        else:
            cells.append(replace(c, colspan=c.colspan + 1))  # a span across it
    cells.sort(key=lambda c: (c.row, c.col))
    return replace(table, cells=tuple(cells), n_cols=table.n_cols + 1)
