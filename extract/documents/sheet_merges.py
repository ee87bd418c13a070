"""Merged header cells as a CSV export loses them, put back.

Excel writes a merged cell's text in its first cell and leaves the cells it covered
empty, so "Cẩm Thủy (xã Cẩm Tâm)" over its "Trước | Sau" columns comes out as
"Cẩm Thủy (xã Cẩm Tâm);" above "Trước;Sau", and "TT" over two header rows as "TT"
above an empty cell. The table readers take a locality's columns from the span of
its header, so the spans are rebuilt before they see the table, only where a header
can be: the rows of a table block above its first row of values (a row with a
percentage). There, a cell spans the empty cells to its right that some header row
below fills (the sub-headers it heads), and the empty cells below it down to the
last header row. A data row's empty cell (a value not reported) is never merged
into its neighbour: data rows are not header rows.
"""
from __future__ import annotations

import re

from extract.documents.sheet_layout import SheetCell

_VALUE = re.compile(r"\d\s*%")  # "87,5%", "70% trở lên": the first row with one is data


def header_rows(block: list[SheetCell]) -> list[int]:
    """The rows of a table block above its first row holding a percentage."""
    rows = sorted({c.row for c in block})
    data = [c.row for c in block if _VALUE.search(c.text)]
    first = min(data) if data else None
    return [r for r in rows if first is not None and r < first]


def restore_merges(block: list[SheetCell]) -> list[SheetCell]:
    """The block's cells with the spans of its header cells rebuilt (see the module's doc)."""
    heads = header_rows(block)
    if len(heads) < 2:
        return block
    filled = {(c.row, c.col) for c in block if c.text}
    width = max(c.col + c.colspan for c in block)
    last = heads[-1]
    out = []
    for c in block:
        if c.row not in heads or c.row == last or not c.text:
            out.append(c)
            continue
        below = [r for r in heads if r > c.row]
        right = c.col + c.colspan
        while (right < width and (c.row, right) not in filled
               and any((r, right) in filled for r in below)):
            right += 1
        cols = range(c.col, right)
        down = c.row + c.rowspan
        while down <= last and not any((down, k) in filled for k in cols):
            down += 1
        out.append(SheetCell(c.row, c.col, down - c.row, right - c.col, c.text))
    return out
