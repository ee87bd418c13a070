"""Tables continued on the next page: the last table of a page and the first of the
next are one when their columns agree, or when the second repeats the first's header.

Columns agree when their edges stand at the same places; on a notional page (a
spreadsheet's sheet: ``layout.notional``), whose boxes are drawn from the text and not
measured, the edges compared are those of the grid (a column per unit), as a sheet has them."""
from __future__ import annotations

from dataclasses import replace

from extract.model import Cell, Table


def _col_edges(table: Table, tol: float = 3.0, grid: bool = False) -> list[float]:
    """The table's column edges, those closer than ``tol`` taken as one: a table already
    joined from two scanned pages has each rule twice, a point or two apart. ``grid``: the
    edges of its grid, a unit a column."""
    if grid:
        xs = {float(c.col) for c in table.cells} | {float(c.col + c.colspan) for c in table.cells}
    else:
        xs = {round(c.bbox[0], 0) for c in table.cells} | {round(c.bbox[2], 0) for c in table.cells}
    edges: list[float] = []
    for x in sorted(xs):
        if not edges or x - edges[-1] > tol:
            edges.append(x)
    return edges


def _same_columns(a: Table, b: Table, tol: float = 6.0, grid: bool = False) -> bool:
    if a.n_cols != b.n_cols:
        return False
    ea, eb = _col_edges(a, grid=grid), _col_edges(b, grid=grid)
    return len(ea) == len(eb) and all(abs(x - y) <= tol for x, y in zip(ea, eb))


def _row_texts(table: Table, row: int) -> list[str]:
    return [" ".join(c.text.split()).lower() for c in table.rows()[row]]


def _repeated_header_rows(first: Table, second: Table) -> int:
    """How many leading rows of `second` repeat the leading rows of `first`."""
    from rapidfuzz import fuzz

    n = 0
    while n < min(first.n_rows, second.n_rows):
        a, b = _row_texts(first, n), _row_texts(second, n)
        if len(a) != len(b) or fuzz.ratio(" | ".join(a), " | ".join(b)) < 85:
            break
        n += 1
    return n


def _split_row(first: Table, second: Table, skip: int) -> bool:
    """Whether the first row of `second` (after its repeated header) is the rest of the last
    row of `first`, cut by the page break: a label wrapped onto the next page ("Tỷ lệ người
    dân/doanh" | "nghiệp sử dụng nền tảng số …"). It has no row number, no merged cell, and
    text only in columns where the row above has text, which leaves some of those empty."""
    if second.n_rows <= skip or first.n_cols != second.n_cols:
        return False
    above = {c.col: c for c in first.cells if c.row == first.n_rows - 1}
    below = [c for c in second.cells if c.row == skip]
    filled = {c.col for c in below if c.text.strip()}
    if not filled or any(c.colspan > 1 or c.rowspan > 1 for c in below) or 0 in filled:
        return False
    if any("%" in c.text for c in below):
        return False  # values of its own: a row whose number was lost, not the end of a label
    written = {k for k, c in above.items() if c.text.strip()}
    return filled <= written and bool(written - filled) and 0 in written


def merge_tables(first: Table, second: Table) -> Table:
    """`second` continues `first` on a later page; a repeated header is dropped, and a row
    the page break cut is joined again."""
    skip = _repeated_header_rows(first, second)
    cells = list(first.cells)
    offset = first.n_rows - skip
    if _split_row(first, second, skip):
        rest = {c.col: c.text for c in second.cells if c.row == skip and c.text.strip()}
        cells = [replace(c, text=f"{c.text}\n{rest[c.col]}") if c.row == first.n_rows - 1 and c.col in rest else c
                 for c in cells]
        skip, offset = skip + 1, offset - 1
    for c in second.cells:
        if c.row < skip:
            continue
        cells.append(Cell(c.row + offset, c.col, c.rowspan, c.colspan, c.text, c.bbox, c.conf, c.page_no))
    source = first.source if first.source == second.source else "mixed"
    sources = tuple(dict(first.page_sources + second.page_sources).items())
    return Table((first.page_span[0], second.page_span[1]), tuple(cells), first.n_rows + second.n_rows - skip,
                 first.n_cols, source, sources, first.ruled and second.ruled)


def continue_tables(per_page: list[list[Table]], *, notional: frozenset[int] = frozenset()) -> list[Table]:
    """Join the last table of a page with the first of the next when their columns agree;
    ``notional``: the pages whose boxes were drawn, not measured, compared by their grid."""
    out: list[Table] = []
    for tables in per_page:
        for i, t in enumerate(tables):
            prev = out[-1] if out else None
            if (
                i == 0
                and prev is not None
                and prev.page_span[1] == t.page_span[0] - 1
                and (_same_columns(prev, t, grid=prev.page_span[1] in notional and t.page_span[0] in notional)
                     or (prev.n_cols == t.n_cols and _repeated_header_rows(prev, t) > 0))
            ):
                out[-1] = merge_tables(prev, t)
            else:
                out.append(t)
    return out
