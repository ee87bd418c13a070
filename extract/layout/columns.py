"""Borderless tables, step 1 and 3: lines cut into segments of words, and the columns
the white space between them shows (``extract.layout.borderless`` builds the table)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

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
    """Column edges (points, left to right) from white rivers few lines cross."""
    x_lo = min(g.x0 for g in segments)
    x_hi = max(g.x1 for g in segments)
    step = 0.25
    n = int(np.ceil((x_hi - x_lo) / step)) + 1
    cover = np.zeros(n, dtype=np.int32)
    per_line: dict[int, np.ndarray] = {}
    for g in segments:
        row = per_line.setdefault(g.line, np.zeros(n, dtype=bool))
        row[int((g.x0 - x_lo) / step):int(np.ceil((g.x1 - x_lo) / step))] = True
    for row in per_line.values():
        cover += row
    free = cover <= s.river_share * n_lines
    edges = [x_lo]
    i = 0
    while i < n:
        if free[i]:
            j = i
            while j < n and free[j]:
                j += 1
            if (j - i) * step >= s.min_river * height and i > 0 and j < n:
                edges.append(x_lo + (i + j) / 2 * step)
            i = j
        else:
            i += 1
    edges.append(x_hi)
    return edges


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
        k = max(0, min(len(edges) - 2, int(np.searchsorted(edges, centre)) - 1))
        cols = [k]
    return cols[0], cols[-1]


def narrow_spans(segments: list[Segment]) -> None:
    """A segment over several columns does not span those at its ends whose text it
    does not reach at all.

    Column edges lie midway in the white space, which is not where the cells' edges
    were: a header centred over a pair of wide columns reaches into the white space
    of the narrow one beside them without being over any of its text."""
    content: dict[int, tuple[float, float]] = {}
    for g in segments:
        if g.cols[0] == g.cols[1]:
            lo, hi = content.get(g.cols[0], (g.x0, g.x1))
            content[g.cols[0]] = (min(lo, g.x0), max(hi, g.x1))

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
        # A wrapped header's short last line, centred over the pair it spans, reaches
        # neither's text yet is theirs: narrowed only where that centres it better.
        if off_centre(g, c0, c1) < off_centre(g, *g.cols):
            g.cols = (c0, c1)
