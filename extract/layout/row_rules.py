"""The horizontal lines of a table ruled only between its rows (``extract.layout.borderless``):
where its rows part, and, when a line is drawn a cell at a time, where its columns do."""
from __future__ import annotations

from typing import TYPE_CHECKING

from extract.layout.geometry import cluster_values
from extract.model import Page

if TYPE_CHECKING:
    from extract.layout.columns import Segment

Rule = tuple[float, list[tuple[float, float]]]  # its y, and the spans (x0, x1) it is drawn over

# Pieces of a horizontal line within this many points in y are one line: the two edges of
# a rectangle drawn as a rule (0.75 pt apart in the Chromium and LibreOffice tables of
# tx50000), far less than the 6 pt or more between two rows' rules.
_RULE_SNAP = 2.0
# Pieces of a line meeting within this many points are drawn edge to edge, cell after cell:
# Chromium's abut exactly (0.0 pt in tx50000), a gap between two cells' borders is wider.
_ABUT = 0.5


def row_rules(page: Page, segments: list[Segment]) -> list[Rule]:
    """Horizontal lines across most of the table (a table ruled only between its rows), each
    its y and the spans it is drawn over: a row boundary wherever drawn, whatever the gaps say."""
    x0, x1 = min(g.x0 for g in segments), max(g.x1 for g in segments)
    top, bottom = min(g.top for g in segments), max(g.bottom for g in segments)
    across = [r for r in page.rulings if r.orientation == "h" and top <= r.top <= bottom]
    # One line may be drawn a cell at a time (Chromium draws each cell's border as a
    # rectangle of its own, tx50000 v0011): its pieces at one height are one line.
    ys = cluster_values([(r.top + r.bottom) / 2 for r in across], _RULE_SNAP)
    pieces: dict[int, set[tuple[float, float]]] = {k: set() for k in range(len(ys))}
    for r in across:
        pieces[min(range(len(ys)), key=lambda k: abs(ys[k] - (r.top + r.bottom) / 2))].add((r.x0, r.x1))
    return [(ys[k], sorted(spans)) for k, spans in pieces.items()
            if _length_inside(spans, x0, x1) >= 0.5 * (x1 - x0)]


def _length_inside(spans, lo: float, hi: float) -> float:
    """How much of [lo, hi] the spans cover, overlaps counted once."""
    covered, reach = 0.0, lo
    for a, b in sorted(spans):
        a, b = max(a, reach), min(b, hi)
        if b > a:
            covered += b - a
            reach = b
    return covered


def drawn_columns(rules: list[Rule], segments: list[Segment], min_cols: int) -> list[float] | None:
    """Column edges as a rule drawn cell by cell shows them, when one is: the rule of most
    pieces, ``min_cols`` or more drawn edge to edge across the table's text. None when no
    rule is so drawn (a line drawn whole, as reportlab and LibreOffice draw them), and the
    columns are found from the white space.

    The white space says little where a page holds one row (the last row of a table
    continued alone on its page, tx50000 v0122 page 3: "TT" ran into "Nội dung", and the
    targets into the first locality); the borders Chromium draws under each cell say it."""
    x_lo, x_hi = min(g.x0 for g in segments), max(g.x1 for g in segments)
    best: list[float] = []
    for _, spans in rules:
        chained = [spans[0][0], spans[0][1]]
        for a, b in spans[1:]:
            if abs(a - chained[-1]) > _ABUT:
                break
            chained.append(b)
        else:
            if len(chained) - 1 > len(best) - 1 and chained[0] <= x_lo + _ABUT and x_hi - _ABUT <= chained[-1]:
                best = chained
    if len(best) - 1 < min_cols:
        return None
    return best
