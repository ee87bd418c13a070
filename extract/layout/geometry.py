"""Small geometry shared by the table builders and the line grouping: boxes, clusters
of positions, groups joined through their members, words on one baseline."""
from __future__ import annotations

import statistics
from typing import Callable, Sequence

from extract.model import BBox, Word


def centre_inside(bbox: BBox, box: BBox) -> bool:
    """True when the centre of ``bbox`` lies in ``box``, edges included."""
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def box_around(boxes: Sequence[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def cluster_values(values: list[float], tol: float) -> list[float]:
    """Sorted values with those within ``tol`` of their neighbour merged into their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


class UnionFind:
    """Items 0 … n-1 joined into groups, directly or through others."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)

    def groups(self, order: Sequence[int]) -> list[list[int]]:
        """The groups, each in ``order``, in the order their first member comes."""
        out: dict[int, list[int]] = {}
        for i in order:
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())


def upper_median(values: list[float]) -> float:
    """The middle value, or the upper of the two middle ones: a value of the list."""
    return sorted(values)[len(values) // 2]


def words_to_lines(words: Sequence[Word], height: float, *, tolerance: float = 0.5, reference_height: float = 0.0,
                   centre: Callable[[list[float]], float] = statistics.median) -> list[list[Word]]:
    """Words on one baseline, top to bottom, in the order of their centres.

    A word joins the line above when its centre is within ``tolerance`` × ``height``
    of the line's ``centre`` (of its words at least ``reference_height`` × ``height``
    tall: a lone "-" or a word with a tall diacritic has a box unlike its neighbours')."""
    lines: list[list[Word]] = []
    mids: list[list[float]] = []
    for w in sorted(words, key=lambda w: ((w.bbox[1] + w.bbox[3]) / 2, w.bbox[0])):
        mid = (w.bbox[1] + w.bbox[3]) / 2
        if lines and abs(mid - centre(mids[-1])) < tolerance * height:
            lines[-1].append(w)
            if w.bbox[3] - w.bbox[1] >= reference_height * height:
                mids[-1].append(mid)
        else:
            lines.append([w])
            mids.append([mid])
    return lines

