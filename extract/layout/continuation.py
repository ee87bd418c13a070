"""Tables continued on the next page: the last table of a page and the first of the
next are one when their columns agree, or when the second repeats the first's header."""
from __future__ import annotations

from extract.model import Cell, Table


def _col_edges(table: Table) -> list[float]:
    edges = {round(c.bbox[0], 0) for c in table.cells} | {round(c.bbox[2], 0) for c in table.cells}
    return sorted(edges)


def _same_columns(a: Table, b: Table, tol: float = 6.0) -> bool:
    if a.n_cols != b.n_cols:
        return False
    ea, eb = _col_edges(a), _col_edges(b)
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


def merge_tables(first: Table, second: Table) -> Table:
    """`second` continues `first` on a later page; a repeated header is dropped."""
    skip = _repeated_header_rows(first, second)
    cells = list(first.cells)
    offset = first.n_rows - skip
    for c in second.cells:
        if c.row < skip:
            continue
        cells.append(Cell(c.row + offset, c.col, c.rowspan, c.colspan, c.text, c.bbox, c.conf, c.page_no))
    source = first.source if first.source == second.source else "mixed"
    sources = tuple(dict(first.page_sources + second.page_sources).items())
    return Table((first.page_span[0], second.page_span[1]), tuple(cells), first.n_rows + second.n_rows - skip,
                 first.n_cols, source, sources, first.ruled and second.ruled)


def continue_tables(per_page: list[list[Table]]) -> list[Table]:
    """Join the last table of a page with the first of the next when their columns agree."""
    out: list[Table] = []
    for tables in per_page:
        for i, t in enumerate(tables):
            prev = out[-1] if out else None
            if (
                i == 0
                and prev is not None
                and prev.page_span[1] == t.page_span[0] - 1
                and (_same_columns(prev, t) or (prev.n_cols == t.n_cols and _repeated_header_rows(prev, t) > 0))
            ):
                out[-1] = merge_tables(prev, t)
            else:
                out.append(t)
    return out
