"""Borderless tables, step 4: segments stacked into the blocks of text of one cell, and
how far apart stacked text lies when it is in two rows (``extract.layout.borderless``
builds the table)."""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence

from extract.layout.columns import Segment
from extract.layout.geometry import UnionFind, mean, upper_median


# Two groups of gaps are "crisp" (row_gap_threshold) when the space between them is a
# real step, not jitter: at least this share of a word height (the case noted at its
# use has 4.2 points between its groups, two thirds of its word height) ...
_CRISP_APART = 0.3
# ... and at least this many times the spread (max - min) of either group: a text
# layer's leading is exact (no spread), while OCR boxes spread each group about as
# wide as the space between them (a ratio near 1), which must not count as crisp.
_CRISP_SPREAD = 2
# How far (points) the top of the block under another may lie above that one's bottom
# and still be its next line (_join_wrapped_tails): two lines of one cell set close
# can touch or overlap by a fraction of a point (coordinates rounded; OCR boxes are
# whole pixels, 0.24 point at 300 dpi). A block reaching further up lies level with
# the other, not under it.
_UNDER_OVERLAP = 0.5


def row_gap_threshold(segments: list[Segment], height: float) -> float:
    """The vertical gap (points) above which two stacked segments are in different rows.

    Gaps between stacked, overlapping segments fall in two groups: the leading inside
    a cell and the space between rows; much larger gaps (single-line values of rows
    with long labels) say nothing about either and are left out. Otsu's split of the
    two groups, or half a word height when every gap looks alike. When the lower group
    is itself two crisp groups (a text layer's exact leading, then rows set apart by
    their padding, under a third group of value lines far apart), the split is theirs.
    """
    gaps = []
    ordered = sorted(segments, key=lambda g: g.top)
    for i, a in enumerate(ordered):
        below = [b for b in ordered[i + 1:] if b.line != a.line and min(a.x1, b.x1) - max(a.x0, b.x0) > 0]
        if below:
            gap = max(0.0, min(b.top for b in below) - a.bottom)
            if gap < 1.5 * height:
                gaps.append(gap)
    if len(gaps) < 4:
        return 0.5 * height
    values = sorted(gaps)
    k = _otsu(values)
    if k is None:
        return 0.5 * height
    best = (values[k - 1] + values[k]) / 2
    lower = values[:k]
    j = _otsu(lower) if len(lower) >= 4 else None
    if j is not None:
        a, b = lower[:j], lower[j:]
        apart = b[0] - a[-1]
        # crisp: 1.3 and 5.5 points of a 6.3-point text with no spread (v0193 of the
        # seed-1 matrix); OCR boxes spread the leading as wide as the space between them
        if apart >= _CRISP_APART * height and apart >= _CRISP_SPREAD * max(a[-1] - a[0], b[-1] - b[0]):
            best = (a[-1] + b[0]) / 2
    return float(min(max(best, 0.1 * height), 1.5 * height))


def _otsu(values: list[float]) -> int | None:
    """Where sorted ``values`` split best into two groups (the index of the upper's first), or None."""
    best, best_score = None, -1.0
    for k in range(1, len(values)):
        lo, hi = values[:k], values[k:]
        if hi[0] - lo[-1] <= 0:
            continue
        score = len(lo) * len(hi) * (mean(hi) - mean(lo)) ** 2
        if score > best_score:
            best, best_score = k, score
    return best


def row_gap_cap(segments: list[Segment], height: float, min_cols: int) -> float | None:
    """A gap (points) that stacked text never bridges inside one cell, when the table shows it.

    A row's values sit on one line, so two adjacent lines each holding numbers in the
    same ``min_cols`` columns are two rows, unless they lie as close as a value wrapped
    in its cell: of the gaps between such pairs, those above the middle of the smallest and
    the (upper) median are between rows; when all are alike (no value wraps), all are.
    Single-line rows leave no leading inside cells for ``row_gap_threshold`` to tell
    rows by; without this cap a whole column of them is one cell. None: fewer than
    three such pairs, nothing to tell.
    """
    by_line: dict[int, list[Segment]] = {}
    for g in segments:
        by_line.setdefault(g.line, []).append(g)
    order = sorted(by_line, key=lambda i: min(g.top for g in by_line[i]))

    def numbers(line: int) -> set[tuple[int, int]]:  # the columns of its segments with a digit
        return {g.cols for g in by_line[line] if any(ch.isdigit() for w in g.words for ch in w.text)}

    gaps = []
    for a, b in zip(order, order[1:]):
        # lines of values, not a wrapped header's lines ("Trước / thí / điểm")
        if len(numbers(a) & numbers(b)) >= min_cols:
            gaps.append(min(g.top for g in by_line[b]) - max(g.bottom for g in by_line[a]))
    if len(gaps) < 3:
        return None
    lo, hi = min(gaps), upper_median(gaps)
    return (lo + hi) / 2 if hi > 1.5 * lo + 0.1 * height else 0.8 * lo


def segments_to_blocks(segments: list[Segment], threshold: float,
                       rules: Sequence[tuple[float, list[tuple[float, float]]]] = ()) -> list[list[Segment]]:
    """Segments of one cell: stacked within ``threshold`` and overlapping horizontally,
    with none of the table's horizontal ``rules`` (their y and the spans they are drawn
    over) between them. A rule drawn under some columns only (Chromium's line under the
    indicators' names, not under the "TT" and "Đơn vị" beside them, which span the
    header's rows) parts only the segments it is drawn between."""
    groups = UnionFind(len(segments))
    order = sorted(range(len(segments)), key=lambda i: segments[i].top)
    for pos, i in enumerate(order):
        a = segments[i]
        for j in order[pos + 1:]:
            b = segments[j]
            if b.top - a.bottom > threshold:
                break
            # Lines of one cell span the same columns: a locality spanning "before" and
            # "after" is not one cell with the "before" under it.
            if (b.line != a.line and b.cols == a.cols and min(a.x1, b.x1) - max(a.x0, b.x0) > 0
                    and not any(a.bottom - 1.0 < y < b.top + 1.0 and _drawn_under(spans, a, b) for y, spans in rules)):
                groups.join(j, i)
    return _join_wrapped_tails([[segments[i] for i in group] for group in groups.groups(order)], threshold)


def _drawn_under(spans: list[tuple[float, float]], a: Segment, b: Segment) -> bool:
    lo, hi = max(a.x0, b.x0), min(a.x1, b.x1)
    return any(x0 < hi and lo < x1 for x0, x1 in spans)


def _plain(text: str) -> str:
    """Lower case without combining marks (NFD), for the prefix test of ``_PHASE_STARTS``.

    Not ``normalize.text.fold.fold``: that one also drops punctuation, collapses spaces
    and transliterates (đ to d, other letters by unidecode), so "(Sau thí điểm)" would
    start with "sau" and no longer be joined as a tail; here only the diacritics go and
    "đ", which has no decomposition, stays "đ" (no phase word starts with it either way).
    The layout code also imports nothing from ``normalize``: its modules key the OCR
    cache (``chitieu.cache.code_version``), which a text-folding change must not void.
    """
    return "".join(ch for ch in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(ch))


_PHASE_STARTS = ("truoc", "sau")  # "Trước"/"Sau" (thí điểm) under a locality are its columns, never its text


def _join_wrapped_tails(blocks: list[list[Segment]], threshold: float) -> list[list[Segment]]:
    """A merged header cell with the short last line of its text, that lies over one of
    its columns only ("Bá Thước (xã Lương" / "Ngoại)"): one block. The line is the only
    block right below (within a cell's leading), inside its columns, and no phase; a
    row of several headers under a group heading is several blocks, and stays a row."""
    def words_of(block):
        return " ".join(w.text for g in block for w in g.words)

    out = list(blocks)
    joined = True
    while joined:
        joined = False
        for a in out:
            a0, a1 = block_cols(a)
            text = words_of(a)
            if a0 == a1 or any(ch.isdigit() for ch in text):
                continue
            bottom = block_extent(a)[1]
            below = [b for b in out if b is not a and a0 <= block_cols(b)[0] and block_cols(b)[1] <= a1
                     and -_UNDER_OVERLAP <= block_extent(b)[0] - bottom <= threshold]
            if len(below) != 1 or block_cols(below[0]) == (a0, a1):
                continue
            tail = words_of(below[0])
            if any(ch.isdigit() for ch in tail) or _plain(tail).startswith(_PHASE_STARTS):
                continue
            a.extend(below[0])
            out.remove(below[0])
            joined = True
            break
    return out


def block_extent(block: list[Segment]) -> tuple[float, float]:
    return min(g.top for g in block), max(g.bottom for g in block)


def block_cols(block: list[Segment]) -> tuple[int, int]:
    return min(g.cols[0] for g in block), max(g.cols[1] for g in block)


# How far (× the word height) a band of one line of words alone may lie from the row it
# continues: a line the page pass lost inside a label leaves its neighbours 0.6 of a word
# height apart where the label's lines are 0-0.35 apart, and rows 0.9-1.1 (the 6-point
# names of v0036 of make_variants --n 40 --seed 25 --reform all, turned at 200 dpi).
_LONE_REACH = 0.8


# A unit's type and a word after it: a whole name ("Xã Hà Ngọc"), the row of a commune that
# reported nothing, never a piece of the name above or below it
_TYPED_NAME = re.compile(r"^(xã|xa|phường|phuong|thị trấn|thi tran|thị xã|thi xa)\s+\S", re.IGNORECASE)


def _typed_name(block: list[Segment]) -> bool:
    text = " ".join(w.text for g in sorted(block, key=lambda g: g.x0) for w in g.words)
    return bool(_TYPED_NAME.match(unicodedata.normalize("NFC", text)))


def lone_label_bands(bands: list[list[float]], blocks: list[list[Segment]], height: float) -> list[list[float]]:
    """The row bands with each band that holds nothing but one line of words in one
    column joined to the band next to it that has text in that column, the nearer one,
    when it lies closer than ``_LONE_REACH`` and clearly nearer than the other.

    A row's values stand on a line of their own; a band with one line of words and no
    value is a piece of a label whose line between was lost ("Phườn" / [g] / "Đông
    Tiến": the page pass dropped the "g") or set apart, not a row."""
    out = [list(b) for b in bands]
    order = sorted(range(len(blocks)), key=lambda i: block_extent(blocks[i])[0])  # measured once: a
    ext = [block_extent(blocks[i]) for i in order]  # province's table has thousands of blocks
    cols = [block_cols(blocks[i]) for i in order]
    tops = [e[0] for e in ext]

    def within(band: list[float]) -> list[int]:
        """Indexes (in ``order``) of the blocks lying inside ``band``."""
        lo, hi = bisect.bisect_left(tops, band[0]), bisect.bisect_right(tops, band[1])
        return [i for i in range(lo, hi) if ext[i][1] <= band[1]]

    k = 0
    while k < len(out):
        inside = [blocks[order[i]] for i in within(out[k])]
        lone = (len(inside) == 1 and len({g.line for g in inside[0]}) == 1 and block_cols(inside[0])[0] ==
                block_cols(inside[0])[1] and not any(ch.isdigit() for g in inside[0] for w in g.words for ch in w.text)
                and not _typed_name(inside[0]))
        if not lone:
            k += 1
            continue
        col = block_cols(inside[0])[0]
        gaps = {}
        for j in (k - 1, k + 1):
            if 0 <= j < len(out) and any(cols[i][0] <= col <= cols[i][1] for i in within(out[j])):
                gaps[j] = out[k][0] - out[j][1] if j < k else out[j][0] - out[k][1]
        near = min(gaps, key=gaps.get, default=None)
        far = max(gaps.values(), default=float("inf")) if len(gaps) == 2 else float("inf")
        if near is None or gaps[near] > _LONE_REACH * height or gaps[near] >= 0.8 * far:
            k += 1
            continue
        out[near] = [min(out[near][0], out[k][0]), max(out[near][1], out[k][1])]
        del out[k]
        k = min(k, near)
    return out
