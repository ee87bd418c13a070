"""A spreadsheet's sheet as a page: its table blocks as `Table`s, the rest as lines.

A sheet has no geometry but its grid. What a printed sheet shows above and below its
table — the title in a merged cell across the top, "Tên đơn vị: Xã …", a legend, the
signature block — is running text in the PDF of the same sheet, so it becomes the
page's lines here too, and the readers find the unit and year in it as they do in a
PDF. A table block is a run of rows with no empty row between them, from the first
row that has three or more cells of text to the last that has two or more: a title
or a note has one (or two, "Tên đơn vị: | Xã …"), a row of a table has its number,
its label and its values. Hidden rows and columns are not read (the file's author
hid them; the PDF of the sheet does not show them either) and the page's ``how``
says which; columns and rows with no text are dropped, as a printed sheet shows no
empty column. The sheet is drawn as a notional page (``extract.layout.notional``: 6 pt
per character, 14 pt per line, a table a grid whose columns are as wide as their text),
its lines and tables in the sheet's order, which gives its lines and cells boxes in points.
"""
from __future__ import annotations

from dataclasses import dataclass

from extract.layout.notional import SHEET_HOW, NotionalPage
from extract.model import Cell, Line, PageResult, Table

TABLE_MIN_CELLS = 3  # a row with this many cells of text starts a table: number, label, a value
BODY_MIN_CELLS = 2  # a table goes on while its rows have this many (a group heading: "I", its title)


@dataclass(frozen=True)
class SheetCell:
    """A cell of the sheet as stored, a merged range once at its top-left (0-based)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


@dataclass(frozen=True)
class Sheet:
    name: str
    cells: tuple[SheetCell, ...]
    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[int] = frozenset()
    notes: tuple[str, ...] = ()  # said in the page's ``how``: what was skipped and why


def _visible(cells: tuple[SheetCell, ...], hidden_rows: frozenset[int], hidden_cols: frozenset[int]):
    """The cells with text once the hidden rows and columns are taken out, renumbered
    densely; a merged range keeps the part of it that is visible."""
    n_rows = max((c.row + c.rowspan for c in cells), default=0)
    n_cols = max((c.col + c.colspan for c in cells), default=0)
    rows = _renumber(n_rows, hidden_rows)
    cols = _renumber(n_cols, hidden_cols)
    out = []
    for c in cells:
        rs = [rows[r] for r in range(c.row, c.row + c.rowspan) if r in rows]
        cs = [cols[k] for k in range(c.col, c.col + c.colspan) if k in cols]
        if rs and cs and c.text:
            out.append(SheetCell(rs[0], cs[0], len(rs), len(cs), c.text))
    return out


def _renumber(n: int, hidden: frozenset[int]) -> dict[int, int]:
    shown = [k for k in range(n) if k not in hidden]
    return {k: i for i, k in enumerate(shown)}


def _dense(cells: list[SheetCell], axis: str) -> list[SheetCell]:
    """The cells with the rows (or columns) no cell covers taken out."""
    start, span = ("row", "rowspan") if axis == "row" else ("col", "colspan")
    used = sorted({k for c in cells for k in range(getattr(c, start), getattr(c, start) + getattr(c, span))})
    index = {k: i for i, k in enumerate(used)}
    out = []
    for c in cells:
        a = getattr(c, start)
        b = a + getattr(c, span) - 1
        values = {start: index[a], span: index[b] - index[a] + 1}
        out.append(SheetCell(**{**c.__dict__, **values}))
    return out


def blocks(cells: list[SheetCell]) -> list[list[SheetCell]]:
    """Cells grouped into runs of rows that no empty row separates (a merged cell's rows are one run)."""
    ends: dict[int, int] = {}
    for c in cells:
        ends[c.row] = max(ends.get(c.row, c.row), c.row + c.rowspan - 1)
    runs, cur = [], None
    for r in sorted(ends):
        if cur and r <= cur[1] + 1:
            cur[1] = max(cur[1], ends[r])
        else:
            cur = [r, ends[r]]
            runs.append(cur)
    return [[c for c in cells if a <= c.row <= b] for a, b in runs]


def _per_row(block: list[SheetCell]) -> dict[int, int]:
    """How many cells of text each row of the block has (a merged cell counts in each row it covers)."""
    count: dict[int, int] = {}
    for c in block:
        for r in range(c.row, c.row + c.rowspan):
            count[r] = count.get(r, 0) + 1
    return count


def _line_texts(cells: list[SheetCell]) -> list[str]:
    """The cells of rows outside a table as lines, one per row, cells left to right."""
    by_row: dict[int, list[SheetCell]] = {}
    for c in cells:
        by_row.setdefault(c.row, []).append(c)
    return [" ".join(" ".join(c.text.split()) for c in sorted(by_row[r], key=lambda c: c.col)) for r in sorted(by_row)]


def _table(cells: list[SheetCell], no: int) -> Table:
    """The block's table rows as a grid: every position a cell, empty where the sheet has none."""
    cells = _dense(_dense(cells, "row"), "col")
    n_rows = max(c.row + c.rowspan for c in cells)
    n_cols = max(c.col + c.colspan for c in cells)
    covered = {(r, k) for c in cells for r in range(c.row, c.row + c.rowspan) for k in range(c.col, c.col + c.colspan)}
    grid = [Cell(c.row, c.col, c.rowspan, c.colspan, c.text,
                 (float(c.col), float(c.row), float(c.col + c.colspan), float(c.row + c.rowspan)), 100.0, no)
            for c in cells]
    grid += [Cell(r, k, 1, 1, "", (float(k), float(r), float(k + 1), float(r + 1)), 100.0, no)
             for r in range(n_rows) for k in range(n_cols) if (r, k) not in covered]
    grid.sort(key=lambda c: (c.row, c.col))
    return Table((no, no), tuple(grid), n_rows, n_cols, "text", ((no, "text"),), True)


def _header_top(block: list[SheetCell], first: int) -> int:
    """The table's first row, moved up over the header rows whose merged cells reach into it
    ("Chỉ tiêu" over two rows) or stand over its cells ("Kết quả thí điểm" over its phases):
    such a row has two cells of text or fewer, and would be taken for a title."""
    def heads(c: SheetCell, row: int) -> bool:
        if c.row < row <= c.row + c.rowspan - 1:
            return True
        return c.row == row - 1 and c.colspan > 1 and any(
            d.row == row and d.col < c.col + c.colspan and c.col < d.col + d.colspan for d in block)

    while above := [c.row for c in block if heads(c, first)]:
        first = min(above)
    return first


def sheet_to_result(sheet: Sheet, no: int) -> PageResult:
    """One sheet as page ``no``: its tables, and its other rows as lines in sheet order."""
    cells = _visible(sheet.cells, sheet.hidden_rows, sheet.hidden_cols)
    parts: list[str | Table] = []  # lines and tables in the sheet's order, as its page is drawn
    for block in blocks(cells):
        count = _per_row(block)
        starts = [r for r in sorted(count) if count[r] >= TABLE_MIN_CELLS]
        if not starts:
            parts += _line_texts(block)
            continue
        first = _header_top(block, starts[0])
        last = max(r for r in count if r >= first and count[r] >= BODY_MIN_CELLS)
        parts += _line_texts([c for c in block if c.row < first])
        body = [c for c in block if first <= c.row <= last]
        parts.append(_table([SheetCell(c.row, c.col, min(c.rowspan, last - c.row + 1), c.colspan, c.text)
                             for c in body], no))
        parts += _line_texts([c for c in block if c.row > last])
    page = NotionalPage()
    lines: list[Line] = []
    tables: list[Table] = []
    for part in parts:
        if isinstance(part, Table):
            tables.append(page.table(part))
        else:
            lines.append(Line(part, no, None, page.line(part)))
    texts = [line.text for line in lines]
    how = "; ".join((f"{SHEET_HOW} {sheet.name!r}", *sheet.notes))
    all_text = "\n".join([*texts, *(c.text for t in tables for c in t.cells if c.text)])
    return PageResult(no, "text", how, tuple(tables), (*lines, Line("", no, None)), all_text, size=page.size)
