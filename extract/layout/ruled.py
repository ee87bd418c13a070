"""Ruled tables: rulings → grid lines → cells with spans → tables, continued across pages
(``extract.layout.continuation``).

The shape follows pdfplumber's table finder: small pure functions, each converting
one thing into the next. It works the same on a text layer and on OCR words,
because both arrive as words with boxes in points.
"""
from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass, replace

from extract.layout.geometry import UnionFind, centre_inside, cluster_values
from extract.model import BBox, Cell, Page, Ruling, Table, Word

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableSettings:
    snap: float = 3.0  # rulings closer than this (pt) are one line
    join: float = 4.0  # gap (pt) bridged when checking whether a line separates two cells
    # One row: the last row of a table alone on its page (normalize joins it to the table
    # before it, or reads its text as lines). One column (min_cols) is a box around text.
    min_rows: int = 1
    min_cols: int = 2

    def __post_init__(self) -> None:
        if self.snap <= 0 or self.join < 0:
            raise ValueError("snap must be positive and join non-negative")


def rulings_to_groups(rulings: tuple[Ruling, ...], settings: TableSettings) -> list[list[Ruling]]:
    """Rulings that touch each other, directly or through others, form one table."""
    joined = UnionFind(len(rulings))
    tol = settings.join
    for i, a in enumerate(rulings):
        for j in range(i + 1, len(rulings)):
            b = rulings[j]
            if (a.x0 - tol <= b.x1 and b.x0 - tol <= a.x1 and a.top - tol <= b.bottom and b.top - tol <= a.bottom):
                joined.join(i, j)
    groups = [[rulings[i] for i in g] for g in joined.groups(range(len(rulings)))]
    return [g for g in groups if any(r.orientation == "h" for r in g) and any(r.orientation == "v" for r in g)]


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


def words_by_height(words) -> tuple[list[float], list[tuple[float, int, Word]]]:
    """The words ordered by the height of their centre, for ``words_inside``."""
    keyed = sorted(((w.bbox[1] + w.bbox[3]) / 2, k, w) for k, w in enumerate(words))
    return [cy for cy, _, _ in keyed], keyed


def words_inside(by_height, box: BBox) -> list[Word]:
    """The words whose centre is in ``box`` (edges included), in the page's order."""
    heights, keyed = by_height
    lo, hi = bisect.bisect_left(heights, box[1]), bisect.bisect_right(heights, box[3])
    found = [(k, w) for _, k, w in keyed[lo:hi] if centre_inside(w.bbox, box)]
    return [w for _, w in sorted(found, key=lambda kw: kw[0])]


@dataclass(frozen=True)
class Grid:
    """The cells of one ruled table, from its lines alone: (row, col, rowspan, colspan, box)."""

    cells: tuple[tuple[int, int, int, int, BBox], ...]
    n_rows: int
    n_cols: int


def rulings_to_grids(rulings: tuple[Ruling, ...], settings: TableSettings | None = None) -> list[Grid]:
    """Every ruled table's grid, its cells with their spans; no word is needed to draw it."""
    settings = settings or TableSettings()
    grids = []
    for group in rulings_to_groups(rulings, settings):
        xs, ys, v_segs, h_segs = group_to_grid(group, settings)
        if len(xs) - 1 < settings.min_cols or len(ys) - 1 < settings.min_rows:
            continue
        cells = tuple((r, c, rs, cs, (xs[c], ys[r], xs[c + cs], ys[r + rs]))
                      for r, c, rs, cs in grid_to_cells(xs, ys, v_segs, h_segs, settings))
        grids.append(Grid(cells, len(ys) - 1, len(xs) - 1))
    return grids


def fill_grid(grid: Grid, page: Page, by_height=None) -> Table:
    """The table of ``grid`` with the page's words placed in its cells."""
    by_height = by_height or words_by_height(page.words)
    cells = []
    for r, c, rs, cs, box in grid.cells:
        text, conf = _text_and_conf(by_height, box)
        cells.append(Cell(r, c, rs, cs, text, box, conf, page.no))
    return Table((page.no, page.no), tuple(cells), grid.n_rows, grid.n_cols, page.source, ((page.no, page.source),))


def refill(table: Table, words) -> Table:
    """``table`` with the text and confidence of its cells taken again from ``words``
    (a page's words after some cells were read a second time); its cells stay as they are."""
    by_height = words_by_height(words)
    cells = []
    for cell in table.cells:
        text, conf = _text_and_conf(by_height, cell.bbox)
        cells.append(replace(cell, text=text, conf=conf))
    return replace(table, cells=tuple(cells))


def _text_and_conf(by_height, box: BBox) -> tuple[str, float]:
    """The text of the words in ``box`` and their lowest confidence (100 when there are none)."""
    inside = words_inside(by_height, box)
    return words_to_text(inside), min((w.conf for w in inside), default=100.0)


def page_to_tables(page: Page, grids: list[Grid] | None = None) -> list[Table]:
    """Every table of a page, top to bottom, with the page's words placed in its cells:
    the ruled ones (``grids``, when its lines were read already), else those drawn with
    white space alone (``extract.layout.borderless``)."""
    grids = rulings_to_grids(page.rulings) if grids is None else grids
    by_height = words_by_height(page.words) if grids else None
    tables = [fill_grid(g, page, by_height) for g in grids]
    if not tables:
        from extract.layout.borderless import page_to_borderless_tables

        tables = page_to_borderless_tables(page)
    tables.sort(key=lambda t: min(c.bbox[1] for c in t.cells))
    return tables
