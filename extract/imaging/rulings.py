"""Table lines found in page images, with numpy only.

A ruling is a long, thin run of ink. Rows (for horizontal lines) and columns (for
vertical ones) of the binarised page are cut into runs of ink, runs separated by a
small gap are joined (scans break lines), runs long enough to be a line are kept,
and runs on neighbouring rows that overlap are grouped into one line, which also
absorbs the staircase a slightly skewed line makes. Groups as thick as text are
dropped. A short line survives only when both its ends meet lines: a cell border
runs from one line to another, while the stem of a big bold letter ("T" in a
heading) may touch the border above it but ends in the middle of its cell; and a
short column line bordering a single row must go on in line in another row, since a
stem as tall as its row meets both borders but belongs to no column.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from extract.imaging.binarize import image_to_ink
from extract.model import Ruling

log = logging.getLogger(__name__)

# Sizes in points, converted to pixels with the page's dpi.
MIN_LENGTH_PT = 10.0  # shortest run of ink that may be part of a line (~42 px at 300 dpi)
LONG_LENGTH_PT = 72.0  # lines this long are kept without meeting another line
MAX_GAP_PT = 1.0  # breaks in a scanned line up to this long are bridged
MAX_THICKNESS_PT = 3.0  # thicker than this is a filled area or text, not a line
TOUCH_PT = 3.0  # how close a short line's end must come to a long line
ROW_GAP = 2  # pixel rows a line may skip (skew staircase, broken scan)


@dataclass
class _Group:
    """Runs of ink on neighbouring rows that belong to one line (pixel coordinates)."""

    first: int
    last: int
    x0: int
    x1: int  # exclusive
    ink: int


def image_to_rulings(image: Image.Image, *, dpi: int) -> tuple[Ruling, ...]:
    """Horizontal and vertical lines of a (deskewed) page image, in points."""
    ink = image_to_ink(image)
    px = dpi / 72.0
    h = _mask_to_lines(ink, px)
    v = _mask_to_lines(ink.T, px)  # a view: only the columns that may hold a line are copied
    horizontal = [Ruling("h", g.x0, g.first, g.x1, g.last + 1) for g in h]
    vertical = [Ruling("v", g.first, g.x0, g.last + 1, g.x1) for g in v]
    kept = _keep_connected(horizontal, vertical, long_px=LONG_LENGTH_PT * px, touch_px=TOUCH_PT * px)
    scale = 72.0 / dpi
    rulings = tuple(
        Ruling(r.orientation, r.x0 * scale, r.top * scale, r.x1 * scale, r.bottom * scale)
        for r in sorted(kept, key=lambda r: (r.orientation, r.top, r.x0))
    )
    log.debug("%d rulings (%d h, %d v candidates)", len(rulings), len(horizontal), len(vertical))
    return rulings


def remove_rulings(image: Image.Image, rulings: tuple[Ruling, ...], dpi: int, *, skew=None) -> Image.Image:
    """A copy of the page with the given lines painted white, a few pixels wider.

    ``skew`` (``deskew.Skew``): the rulings were found on the page turned straight and
    the image is the page as it is, so each line is painted turned back."""
    out = image.copy()
    draw = ImageDraw.Draw(out)
    pad = max(2.0, 2.0 * dpi / 300)
    white = 255 if out.mode in ("L", "1") else (255,) * len(out.getbands())
    px = dpi / 72.0
    for r in rulings:
        x0, top, x1, bottom = r.x0 * px - pad, r.top * px - pad, r.x1 * px + pad - 1, r.bottom * px + pad - 1
        if skew is None:
            draw.rectangle((x0, top, x1, bottom), fill=white)
        else:
            draw.polygon([skew.to_page(x, y) for x, y in ((x0, top), (x1, top), (x1, bottom), (x0, bottom))],
                         fill=white)
    return out


def _mask_to_lines(ink: np.ndarray, px: float) -> list[_Group]:
    """Lines running along the rows of ``ink``, as groups of long runs."""
    min_length = MIN_LENGTH_PT * px
    # Only rows with enough ink can hold a line: the others are skipped unread.
    candidates = np.nonzero(np.count_nonzero(ink, axis=1) >= min_length)[0]
    rows, starts, ends = _row_runs(ink[candidates])
    rows = candidates[rows]
    rows, starts, ends = _bridge_gaps(rows, starts, ends, max_gap=max(1, round(MAX_GAP_PT * px)))
    long_enough = (ends - starts) >= min_length
    groups = _group_runs(rows[long_enough], starts[long_enough], ends[long_enough])
    max_thick = MAX_THICKNESS_PT * px
    return [g for g in groups if g.ink / (g.x1 - g.x0) <= max_thick]


def _row_runs(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every horizontal run of ink as (row, start, end exclusive), ordered by row then x."""
    width = ink.shape[1] + 2
    padded = np.zeros((ink.shape[0], width), dtype=bool)
    padded[:, 1:-1] = ink
    # Each row starts and ends on paper, so its edges alternate: start, end, start, end; and
    # no edge joins two rows, so the rows are looked at as one line (five times faster than
    # a two-dimensional diff on a 300 dpi page). An edge at ``c`` of the padded row is ink
    # beginning or ending at column ``c`` of the page.
    flat = padded.ravel()
    rows, cols = np.divmod(np.flatnonzero(flat[1:] != flat[:-1]), width)
    return rows[0::2], cols[0::2], cols[1::2]


def _bridge_gaps(rows, starts, ends, *, max_gap: int):
    """Join consecutive runs on one row separated by at most ``max_gap`` pixels."""
    if len(rows) == 0:
        return rows, starts, ends
    joins = (rows[1:] == rows[:-1]) & (starts[1:] - ends[:-1] <= max_gap)
    first = np.concatenate(([True], ~joins))
    idx = np.nonzero(first)[0]
    last = np.concatenate((idx[1:] - 1, [len(rows) - 1]))
    return rows[idx], starts[idx], ends[last]


def _group_runs(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[_Group]:
    """Runs on rows at most ROW_GAP apart whose extents overlap become one group."""
    done: list[_Group] = []
    active: list[_Group] = []
    for row, x0, x1 in zip(rows.tolist(), starts.tolist(), ends.tolist()):
        still = []
        for g in active:
            (still if g.last >= row - ROW_GAP - 1 else done).append(g)
        active = still
        touching = [g for g in active if x0 <= g.x1 and x1 >= g.x0]
        if not touching:
            active.append(_Group(row, row, x0, x1, x1 - x0))
            continue
        # A run that touches several groups joins them: they were one line all along.
        g = touching[0]
        for other in touching[1:]:
            g.first, g.x0, g.x1 = min(g.first, other.first), min(g.x0, other.x0), max(g.x1, other.x1)
            g.ink += other.ink
            active.remove(other)
        g.last = row
        g.x0, g.x1 = min(g.x0, x0), max(g.x1, x1)
        g.ink += x1 - x0
    done.extend(active)
    return done


def _length(r: Ruling) -> float:
    return r.x1 - r.x0 if r.orientation == "h" else r.bottom - r.top


def _touches(a: Ruling, b: Ruling, tol: float) -> bool:
    """Whether two lines of opposite orientation cross or meet within ``tol``."""
    h, v = (a, b) if a.orientation == "h" else (b, a)
    vx = (v.x0 + v.x1) / 2
    hy = (h.top + h.bottom) / 2
    return h.x0 - tol <= vx <= h.x1 + tol and v.top - tol <= hy <= v.bottom + tol


def _ends(r: Ruling) -> tuple[tuple[float, float], tuple[float, float]]:
    if r.orientation == "h":
        y = (r.top + r.bottom) / 2
        return (r.x0, y), (r.x1, y)
    x = (r.x0 + r.x1) / 2
    return (x, r.top), (x, r.bottom)


def _both_ends_met(pending: list[Ruling], kept: list[Ruling], tol: float) -> list[Ruling]:
    """The lines of ``pending`` each of whose ends lies on another line of ``kept`` or
    ``pending``: a line crossing there, or the next piece of the same line (scans break
    lines), never a parallel neighbour. All pairs at once: a page of text has hundreds
    of short strokes."""
    lines = kept + pending
    horizontal = np.array([r.orientation == "h" for r in lines])
    box = np.array([(r.x0, r.top, r.x1, r.bottom) for r in lines], dtype=float)
    ends = np.array([_ends(r) for r in lines], dtype=float)  # (line, end, x|y)
    out = []
    for k, r in enumerate(pending, start=len(kept)):
        met = True
        for end in (0, 1):
            x, y = ends[k, end]
            across_lines = ((horizontal != horizontal[k]) & (box[:, 0] - tol <= x) & (x <= box[:, 2] + tol)
                            & (box[:, 1] - tol <= y) & (y <= box[:, 3] + tol))
            # The piece going on where r stops starts (ends) near r's end, on r's axis.
            px, py = ends[:, 1 - end, 0], ends[:, 1 - end, 1]
            along, across = (px - x, np.abs(py - y)) if horizontal[k] else (py - y, np.abs(px - x))
            ahead = along if end else -along
            pieces = (horizontal == horizontal[k]) & (across <= tol / 3) & (ahead >= -tol / 3) & (ahead <= tol)
            hits = across_lines | pieces
            hits[k] = False
            if not hits.any():
                met = False
                break
        if met:
            out.append(r)
    return out


def _keep_connected(horizontal, vertical, *, long_px: float, touch_px: float) -> list[Ruling]:
    candidates = horizontal + vertical
    kept = [r for r in candidates if _length(r) >= long_px]
    pending = [r for r in candidates if _length(r) < long_px]
    # A short line must end on lines at both ends (lines kept, or short ones that pass
    # too: the pieces of one broken border wait on each other).
    while pending:
        ended = _both_ends_met(pending, kept, touch_px)
        if len(ended) == len(pending):
            break
        pending = ended
    # A short column line within a single row must go on in another row, in line with
    # it: a bold heading's stem may reach from the row's top line to its bottom one,
    # but no column of the table goes on above or below it.
    verticals = [r for r in kept + pending if r.orientation == "v"]
    pending = [r for r in pending if r.orientation == "h" or _spans_rows(r, kept + pending, touch_px)
               or any(o is not r and _in_line(r, o, 2 * touch_px / 3) for o in verticals)]
    # And belong to the grid the long lines make.
    while pending:
        joined = [
            r for r in pending
            if any(k.orientation != r.orientation and _touches(r, k, touch_px) for k in kept)
        ]
        if not joined:
            break
        kept.extend(joined)
        pending = [r for r in pending if r not in joined]
    return kept


def _in_line(a: Ruling, b: Ruling, tol: float) -> bool:
    """Two vertical lines on one column, one above the other."""
    return (abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) <= tol
            and (b.top >= a.bottom - tol or b.bottom <= a.top + tol))


def _spans_rows(v: Ruling, lines: list[Ruling], tol: float) -> bool:
    """A vertical line crossed by a horizontal one away from its ends: it borders two rows."""
    x = (v.x0 + v.x1) / 2
    return any(h.orientation == "h" and h.x0 - tol <= x <= h.x1 + tol
               and v.top + tol < (h.top + h.bottom) / 2 < v.bottom - tol for h in lines)
