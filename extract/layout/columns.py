"""Borderless tables, step 1 and 3: lines cut into segments of words, and the columns
the white space between them shows (``extract.layout.borderless`` builds the table)."""
from __future__ import annotations

import bisect
import math
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extract.model import Word

if TYPE_CHECKING:
    from extract.layout.borderless import BorderlessSettings


@dataclass
class Segment:
    words: list[Word]
    line: int
    x0: float = field(init=False)
    x1: float = field(init=False)
    top: float = field(init=False)
    bottom: float = field(init=False)
    cols: tuple[int, int] = (0, 0)  # first and last column

    def __post_init__(self) -> None:
        self.x0 = min(w.bbox[0] for w in self.words)
        self.x1 = max(w.bbox[2] for w in self.words)
        self.top = min(w.bbox[1] for w in self.words)
        self.bottom = max(w.bbox[3] for w in self.words)


def line_to_segments(line: list[Word], index: int, gap: float) -> list[Segment]:
    parts: list[list[Word]] = [[line[0]]]
    for prev, w in zip(line, line[1:]):
        if w.bbox[0] - prev.bbox[2] > gap:
            parts.append([w])
        else:
            parts[-1].append(w)
    return [Segment(p, index) for p in parts]


def region_to_columns(segments: list[Segment], n_lines: int, height: float, s: BorderlessSettings) -> list[float]:
    """Column edges (points, left to right) from white rivers few lines cross, and from
    those no line of values crosses (``_value_rivers``)."""
    x_lo = min(g.x0 for g in segments)
    x_hi = max(g.x1 for g in segments)
    # Cover is counted on a grid of quarter points: about one pixel of a 300-dpi render
    # (0.24 point), as fine as OCR boxes are, and far finer than the narrowest river
    # (``min_river`` of a word height: a dozen cells of an 8-point text).
    step = 0.25
    n = math.ceil((x_hi - x_lo) / step) + 1

    def cover_of(segs: list[Segment]) -> list[int]:
        return line_cover([(g.line, int((g.x0 - x_lo) / step), math.ceil((g.x1 - x_lo) / step)) for g in segs], n)

    def rivers(free: list[bool]) -> list[tuple[int, int]]:
        out, i = [], 0
        while i < n:
            if free[i]:
                j = i
                while j < n and free[j]:
                    j += 1
                if (j - i) * step >= s.min_river * height and i > 0 and j < n:
                    out.append((i, j))
                i = j
            else:
                i += 1
        return out

    lines = value_lines(segments, s.min_cols)
    values = cover_of([g for g in segments if g.line in lines]) if len(lines) >= 2 else None
    edges = [x_lo + (i + j) / 2 * step for i, j in rivers(_free(cover_of(segments), n_lines, s, values, len(lines)))]
    for i, j in _value_rivers(values, len(lines), rivers):
        if not any(x_lo + i * step <= e <= x_lo + j * step for e in edges):
            edges.append(x_lo + (i + j) / 2 * step)
    return [x_lo, *sorted(edges), x_hi]


def line_cover(spans: list[tuple[int, int, int]], n: int) -> list[int]:
    """For each of ``n`` cells, how many lines cover it; ``spans``: (line, first cell, end
    cell), the end excluded. A line's overlapping spans count once."""
    by_line: dict[int, list[tuple[int, int]]] = {}
    for line, a, b in spans:
        b = min(b, n)
        if b > a:
            by_line.setdefault(line, []).append((a, b))
    steps = [0] * (n + 1)
    for runs in by_line.values():
        runs.sort()
        lo, hi = runs[0]
        for a, b in runs[1:]:
            if a > hi:
                steps[lo] += 1
                steps[hi] -= 1
                lo, hi = a, b
            else:
                hi = max(hi, b)
        steps[lo] += 1
        steps[hi] -= 1
    cover, count = [], 0
    for k in range(n):
        count += steps[k]
        cover.append(count)
    return cover


def _free(cover: list[int], n_lines: int, s: BorderlessSettings, values: list[int] | None,
          n_values: int) -> list[bool]:
    """Where few of the table's lines have text, and not half of its lines of values.

    A column of one line a row (the rows' numbers, their targets) beside labels wrapped
    over many lines holds less text than a river may: counted over all lines it was white
    space, and its river ran from the labels to the values (tx50000 v0137 page 3, four rows
    of labels wrapped over five to seven lines: "TT", "Nội dung" and "Chỉ tiêu" one column).
    It holds something on every line of values; a river, at most a long value or two."""
    most = s.river_share * n_lines
    if values is None:
        return [c <= most for c in cover]
    # ``values``: the cover of the ``n_values`` lines of values, two or more
    fewer = max(2, 0.5 * n_values)
    return [c <= most and v < fewer for c, v in zip(cover, values)]


def value_lines(segments: list[Segment], min_cols: int) -> set[int]:
    """The lines of values: those with ``min_cols`` segments that start with a digit
    ("40%", "16,67% (1/6)", "80% trở lên"; not a header naming indicators by code, "CT4",
    nor a row of numbers counting the columns, "1 2 3 4", or naming indicators, "3 9 14")."""
    figures: dict[int, list[Segment]] = {}
    for g in segments:
        if g.words[0].text[:1].isdigit():
            figures.setdefault(g.line, []).append(g)
    # a line with a name on it ("1 | Xã A | 45 | 90": bare values rising) numbers nothing
    named = {g.line for g in segments if any(ch.isalpha() for w in g.words for ch in w.text)}
    return {line for line, gs in figures.items()
            if len(gs) >= min_cols and not (line not in named and _numbering(gs))}


def _numbering(figures: list[Segment]) -> bool:
    """Bare whole numbers of one or two digits, rising left to right: numbers naming
    columns, not values. Centred over a pair of columns, such a header broke the white
    space between the pair into a column of its own that a line of values seemed to
    fill (tx50000 v0078: "14" over a wide pair, its target "70%" under it)."""
    texts = [" ".join(w.text for w in g.words) for g in sorted(figures, key=lambda g: g.x0)]
    if not all(t.isdigit() and len(t) <= 2 for t in texts):
        return False
    numbers = [int(t) for t in texts]
    return all(a < b for a, b in zip(numbers, numbers[1:]))


def _value_rivers(cover: list[int] | None, n_values: int, rivers) -> list[tuple[int, int]]:
    """White space that none of the table's lines of values crosses, between the first
    and the last of their segments.

    A header that wraps over many lines above few rows of values (a district's table of
    three communes under four-line indicator names) crosses the river between a pair of
    phase columns on more lines than the rows have: counted over all lines the river is
    not one, and the pair's values become one cell ("8% 100%"). Two lines of values
    (``value_lines``) are enough (a page that continues a table with its last rows): a
    word space is narrower than a river, so two lines of text leave none. One of four or
    more may cross (the row of targets, one figure centred over its pair); a column that
    this splits wrongly (one long value beside short ones) has nothing of its own and
    ``hollow_columns`` gives it back."""
    if cover is None:  # fewer than two lines of values
        return []
    nonzero = [k for k, c in enumerate(cover) if c]
    # One line of values may cross a river once there are four or more (the row of targets,
    # one figure centred over its pair): one among many. Among two or three, one line is a
    # third of them or more: white space that one of them crosses is no separator.
    most = 1 if n_values >= 4 else 0
    first, last = nonzero[0], nonzero[-1]
    return rivers([first <= k <= last and c <= most for k, c in enumerate(cover)])


def split_at_edges(segment: Segment, edges: list[float], height: float, s: BorderlessSettings) -> list[Segment]:
    """Cut a segment where an inner column edge falls in a wider-than-a-space gap."""
    parts = [[segment.words[0]]]
    for prev, w in zip(segment.words, segment.words[1:]):
        gap = w.bbox[0] - prev.bbox[2]
        if gap >= s.split_gap * height and any(prev.bbox[2] <= e <= w.bbox[0] for e in edges[1:-1]):
            parts.append([w])
        else:
            parts[-1].append(w)
    return [Segment(p, segment.line) for p in parts]


def columns_of(g: Segment, edges: list[float]) -> tuple[int, int]:
    cols = []
    for k in range(len(edges) - 1):
        width = edges[k + 1] - edges[k]
        overlap = min(g.x1, edges[k + 1]) - max(g.x0, edges[k])
        if overlap > min(2.0, 0.3 * width):
            cols.append(k)
    if not cols:
        centre = (g.x0 + g.x1) / 2
        k = max(0, min(len(edges) - 2, bisect.bisect_left(edges, centre) - 1))
        cols = [k]
    return cols[0], cols[-1]


def narrow_spans(segments: list[Segment]) -> None:
    """A segment over several columns does not span those at its ends whose text it
    does not reach at all.

    Column edges lie midway in the white space, which is not where the cells' edges
    were: a header centred over a pair of wide columns reaches into the white space
    of the narrow one beside them without being over any of its text."""
    # Where a column's text typically lies: the medians of its own segments' ends, so
    # that one long value ("Chưa thực hiện") does not stretch it under its neighbour's
    # header (a "Trước thí điểm" as wide as its cell then spans three columns).
    ends: dict[int, tuple[list[float], list[float]]] = {}
    for g in segments:
        if g.cols[0] == g.cols[1]:
            lo, hi = ends.setdefault(g.cols[0], ([], []))
            lo.append(g.x0)
            hi.append(g.x1)
    content = {k: (statistics.median(lo), statistics.median(hi)) for k, (lo, hi) in ends.items()}

    def reaches(g: Segment, k: int) -> bool:
        return k not in content or min(g.x1, content[k][1]) > max(g.x0, content[k][0])

    def off_centre(g: Segment, c0: int, c1: int) -> float:
        if c0 not in content or c1 not in content:
            return 0.0
        return abs((g.x0 + g.x1) / 2 - (content[c0][0] + content[c1][1]) / 2)

    for g in segments:
        c0, c1 = g.cols
        while c0 < c1 and not reaches(g, c0):
            c0 += 1
        while c1 > c0 and not reaches(g, c1):
            c1 -= 1
        # Still over several columns, it reaches the text of both its end columns: those
        # are its columns, however it was centred. A header centred over a pair starts in
        # the white space before it; spread over one column more each side it is centred
        # as well, and a hair's difference decided which (tx50000 v0010 page 1: "Quảng
        # Xương (xã Quảng Trạch)" over four columns, its pair left headerless). Narrowed
        # to one column, it may be a wrapped header's short last line, centred over the
        # pair it spans, reaching neither's text yet theirs: narrowed only where that
        # centres it better.
        if c0 < c1 or off_centre(g, c0, c1) < off_centre(g, *g.cols):
            g.cols = (c0, c1)


def hollow_columns(segments: list[Segment], edges: list[float], min_cols: int = 3) -> list[float]:
    """The edges without those of columns that hold (almost) nothing of their own.

    A wide cell ("Chưa thực hiện" in a narrow "after" column) and a header centred over
    a pair can break the white river between two columns into two, leaving a column
    between them that no line has a segment of its own in, or only one (the header
    that broke the river), or no more than that header and a quarter of the lines of
    values (the pair's target, centred like it, while the rows' values sit left and
    right; a column of wrapped labels has many lines of its own that hold no value).
    Such a column is the white space of its neighbour: it goes to the neighbour its
    spanning segments share, so the wide cell starts in the column it belongs to. Across the 163 text variants of
    ``bench_fidelity --n 300 --seed 1`` no real column had fewer than 3 segments of its
    own (a locality's header, its phases, and values), nor a quarter of the lines of
    values without one.
    """
    lines = value_lines(segments, min_cols)
    while len(edges) > 3:
        n = len(edges) - 1
        own = [0] * n
        own_values = [0] * n  # own segments on lines of values
        left = [0] * n  # segments over k and k - 1
        right = [0] * n  # segments over k and k + 1
        for g in segments:
            c0, c1 = columns_of(g, edges)
            if c0 == c1:
                own[c0] += 1
                own_values[c0] += g.line in lines
            for k in range(c0, c1 + 1):
                left[k] += k > c0
                right[k] += k < c1
        spanned = [bool(left[k] or right[k]) for k in range(n)]
        # (a quarter of four lines at least: a page of one or two rows says nothing so)
        few = 0.25 * len(lines) if len(lines) >= 4 else -1.0
        hollow = [k for k in range(n) if own[k] == 0 or (spanned[k] and (
            own[k] == 1 or (own[k] - own_values[k] <= 1 and own_values[k] <= few)))]
        if not hollow:
            return edges
        k = hollow[0]
        # the edge between k and the neighbour it shares most with goes
        edges = edges[:k] + edges[k + 1:] if left[k] > right[k] or k == n - 1 else edges[:k + 1] + edges[k + 2:]
    return edges
