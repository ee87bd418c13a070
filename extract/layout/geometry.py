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


def pairwise_sum(values: Sequence[float], start: int = 0, n: int | None = None) -> float:
    """The sum of ``values[start:start + n]`` added as numpy adds a float64 array (its
    pairwise summation: runs under 8 one by one, up to 128 in eight running sums, longer
    ones halved), so that a mean is the same float numpy's ``mean`` gives, bit for bit,
    without importing numpy (0.1 s of a text run's start-up) for lists of a few dozen."""
    n = len(values) - start if n is None else n
    if n < 8:
        total = 0.0
        for k in range(start, start + n):
            total += values[k]
        return total
    if n <= 128:
        r = list(values[start:start + 8])
        k = 8
        while k < n - n % 8:
            for j in range(8):
                r[j] += values[start + k + j]
            k += 8
        total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for k in range(k, n):
            total += values[start + k]
        return total
    half = n // 2 - (n // 2) % 8
    return pairwise_sum(values, start, half) + pairwise_sum(values, start + half, n - half)


def mean(values: Sequence[float]) -> float:
    """numpy's ``mean`` of a non-empty list of floats, the same float (``pairwise_sum``)."""
    return pairwise_sum(values) / len(values)


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

