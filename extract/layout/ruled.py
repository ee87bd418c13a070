"""Ruled tables: rulings → grid lines → cells with spans → tables, continued across pages.

The shape follows pdfplumber's table finder: small pure functions, each converting
one thing into the next. It works the same on a text layer and on OCR words,
because both arrive as words with boxes in points.
"""
from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass

from extract.model import BBox, Cell, Page, Ruling, Table, Word

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableSettings:
    snap: float = 3.0  # rulings closer than this (pt) are one line
    join: float = 4.0  # gap (pt) bridged when checking whether a line separates two cells
    min_rows: int = 2
    min_cols: int = 2

    def __post_init__(self) -> None:
        if self.snap <= 0 or self.join < 0:
            raise ValueError("snap must be positive and join non-negative")


def cluster_values(values: list[float], tol: float) -> list[float]:
    """Sorted values with those within ``tol`` of their neighbour merged into their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def rulings_to_groups(rulings: tuple[Ruling, ...], settings: TableSettings) -> list[list[Ruling]]:
    """Rulings that touch each other, directly or through others, form one table."""
    parent = list(range(len(rulings)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = settings.join
    for i, a in enumerate(rulings):
        for j in range(i + 1, len(rulings)):
            b = rulings[j]
            if (a.x0 - tol <= b.x1 and b.x0 - tol <= a.x1 and a.top - tol <= b.bottom and b.top - tol <= a.bottom):
                parent[find(i)] = find(j)
    groups: dict[int, list[Ruling]] = {}
    for i, r in enumerate(rulings):
        groups.setdefault(find(i), []).append(r)
    return [g for g in groups.values() if any(r.orientation == "h" for r in g) and any(r.orientation == "v" for r in g)]


def _covers(segments: list[tuple[float, float]], lo: float, hi: float, join: float) -> bool:
    """True when the segments, gaps of up to ``join`` between them bridged, cover most of [lo, hi].

    Only gaps are bridged, never the free ends: a column line that stops at a section
    title's row and goes on below it does not cut the title's cell in two, however
    short that row is."""
    merged: list[list[float]] = []
    for a, b in sorted(segments):
        if merged and a - merged[-1][1] <= join:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    covered = sum(max(0.0, min(b, hi) - max(a, lo)) for a, b in merged)
    return covered >= (hi - lo) * 0.6


def group_to_grid(group: list[Ruling], settings: TableSettings):
    """Grid lines of one table and, for each line, the segments actually drawn."""
    xs = cluster_values([r.x0 for r in group if r.orientation == "v"], settings.snap)
    ys = cluster_values([r.top for r in group if r.orientation == "h"], settings.snap)
    v_segs: dict[int, list[tuple[float, float]]] = {i: [] for i in range(len(xs))}
    h_segs: dict[int, list[tuple[float, float]]] = {i: [] for i in range(len(ys))}
    for r in group:
        if r.orientation == "v":
            i = min(range(len(xs)), key=lambda k: abs(xs[k] - r.x0))
            v_segs[i].append((r.top, r.bottom))
        else:
            i = min(range(len(ys)), key=lambda k: abs(ys[k] - r.top))
            h_segs[i].append((r.x0, r.x1))
    return xs, ys, v_segs, h_segs


def grid_to_cells(xs, ys, v_segs, h_segs, settings: TableSettings) -> list[tuple[int, int, int, int]]:
    """Atoms between grid lines merged where no line separates them: (row, col, rowspan, colspan)."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    owner = [[-1] * n_cols for _ in range(n_rows)]
    cells: list[tuple[int, int, int, int]] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if owner[r][c] >= 0:
                continue
            c2 = c
            while c2 + 1 < n_cols and not _covers(v_segs[c2 + 1], ys[r], ys[r + 1], settings.join):
                c2 += 1
            r2 = r
            while r2 + 1 < n_rows and not any(
                _covers(h_segs[r2 + 1], xs[k], xs[k + 1], settings.join) for k in range(c, c2 + 1)
            ):
                r2 += 1
            idx = len(cells)
            for rr in range(r, r2 + 1):
                for cc in range(c, c2 + 1):
                    if owner[rr][cc] < 0:
                        owner[rr][cc] = idx
            cells.append((r, c, r2 - r + 1, c2 - c + 1))
    return cells


def words_to_text(words: list[Word]) -> str:
    """Words of one cell as lines of text, top to bottom, left to right."""
    if not words:
        return ""
    ordered = sorted(words, key=lambda w: (w.bbox[1] + w.bbox[3]) / 2)
    lines: list[list[Word]] = []
    for w in ordered:
        mid = (w.bbox[1] + w.bbox[3]) / 2
        height = max(w.bbox[3] - w.bbox[1], 1.0)
        if lines:
            last = lines[-1]
            lmid = sum((x.bbox[1] + x.bbox[3]) / 2 for x in last) / len(last)
            if abs(mid - lmid) < height * 0.5:
                last.append(w)
                continue
        lines.append([w])
    return "\n".join(" ".join(x.text for x in sorted(line, key=lambda w: w.bbox[0])) for line in lines)


def _inside(word: Word, box: BBox) -> bool:
    cx = (word.bbox[0] + word.bbox[2]) / 2
    cy = (word.bbox[1] + word.bbox[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _words_by_height(words) -> tuple[list[float], list[tuple[float, int, Word]]]:
    """The words ordered by the height of their centre, for ``_words_inside``."""
    keyed = sorted(((w.bbox[1] + w.bbox[3]) / 2, k, w) for k, w in enumerate(words))
    return [cy for cy, _, _ in keyed], keyed


def _words_inside(by_height, box: BBox) -> list[Word]:
    """The words whose centre is in ``box`` (edges included), in the page's order."""
    heights, keyed = by_height
    lo, hi = bisect.bisect_left(heights, box[1]), bisect.bisect_right(heights, box[3])
    found = [(k, w) for _, k, w in keyed[lo:hi] if _inside(w, box)]
    return [w for _, w in sorted(found, key=lambda kw: kw[0])]


def page_to_tables(page: Page, settings: TableSettings | None = None) -> list[Table]:
    """Every ruled table of a page, top to bottom, with the page's words placed in its cells."""
    settings = settings or TableSettings()
    tables = []
    by_height = None
    for group in rulings_to_groups(page.rulings, settings):
        xs, ys, v_segs, h_segs = group_to_grid(group, settings)
        if len(xs) - 1 < settings.min_cols or len(ys) - 1 < settings.min_rows:
            continue
        spans = grid_to_cells(xs, ys, v_segs, h_segs, settings)
        by_height = by_height or _words_by_height(page.words)
        cells = []
        for r, c, rs, cs in spans:
            box = (xs[c], ys[r], xs[c + cs], ys[r + rs])
            inside = _words_inside(by_height, box)
            conf = min((w.conf for w in inside), default=100.0)
            cells.append(Cell(r, c, rs, cs, words_to_text(inside), box, conf, page.no))
        tables.append(Table((page.no, page.no), tuple(cells), len(ys) - 1, len(xs) - 1, page.source,
                            ((page.no, page.source),)))
    if not tables and not page.lines:
        # No ruled table: a table may still be drawn with white space alone.
        from extract.layout.borderless import page_to_borderless_tables

        tables = page_to_borderless_tables(page)
    tables.sort(key=lambda t: min(c.bbox[1] for c in t.cells))
    return tables


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
                 first.n_cols, source, sources)


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
