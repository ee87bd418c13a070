"""Photos of a page: find the sheet's quadrilateral on the desk and undo the perspective (OpenCV).

The sheet is looked for on a copy reduced to ``WORK_WIDTH``, as the outline (``cv2.findContours``)
of the region about the photo's centre that stands apart from the desk, found two ways:

- by brightness: the pixels above a level between the desk's (the median of the photo's
  border) and the paper's (the upper quartile of its middle quarter);
- by edges: what cannot be reached from the photo's border without crossing an edge
  (``cv2.Canny``), which finds a white sheet on a light desk, where the levels are too close.

Each region loses the thin strips that cling to it (a shadow's edge running on over the desk);
its convex hull is simplified (``cv2.approxPolyDP``) and its four vertices spanning the
largest quadrilateral are the corners, even where the sides bow between them. A candidate
must cover its region well and stand apart from the desk (brighter, or its sides a step);
the one that covers its region best wins, but of two nested ones the outer does when it is
clean (the brightness cut short by a shadow band across the sheet), unless what lies between
them is black (a slide inside its screen's frame). Where neither is found, the edges are
looked for again at lower thresholds (a white sheet on a light desk).
``cv2.getPerspectiveTransform`` + ``cv2.warpPerspective`` map it to a rectangle (a bowed sheet
is flattened by its whole outline, ``photo_bow``), enlarged so the characters are as high as
Tesseract reads best (``photo_text.text_height``), whatever the camera's resolution.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator

import cv2
import numpy as np
from PIL import Image

from extract.imaging import photo_bow
from extract.imaging.photo_text import text_height

log = logging.getLogger(__name__)

WORK_WIDTH = 800  # pixels of the reduced copy the sheet is found on
MIN_SHARE, MAX_SHARE = 0.15, 0.92  # of the photo's area a sheet must cover to be corrected
OUTPUT_DPI = 300
# The edges (px of the reduced copy) are widened by each of these squares, and the region that
# makes the cleaner quadrilateral is taken: 3 closes Canny's gaps along an edge; where another
# edge meets the sheet's it leaves one 5 closes (a shadow's edge crossing the sheet's let the
# desk in on make_variants --n 30 --seed 46000 --kinds photo v0005, v0009: 5 gives a cover of
# 0.99, 3 none or 0.88), but 5 also joins the grain of a wood desk to the sheet (make_variants
# --n 30 --seed 93000 --kinds photo v0020 page 2: 0.96 against 3's 0.99).
GAPS = (3, 5)
# A region loses the strips narrower than this (px, an ellipse) that cling to it: a shadow's
# edge or the grain of a wood desk running on from the sheet's outline (their edges, widened
# by ``GAPS``, are 3-7 px; a sheet is hundreds). Opened alone, the sheet lost its corners too,
# and the bowed sheet of make_variants --n 30 --seed 93000 --kinds photo v0017 was taken as
# flat (70 cells right -> 0): what the opening keeps is grown back within the same reach.
LINE = 9
# Two candidates nested (the outer this many times the inner's area at least, and holding
# this share of it): the brightness cut short by a shadow band inside the sheet's edges, or
# a screen's slide inside its frame.
NESTED = (1.05, 0.95)
# The outer wins only when its quadrilateral covers its region this well: where the edges let
# the desk in, it does not (make_variants --n 30 --seed 5 --kinds photo v0015 0.90, v0027 0.85-
# 0.92; the sheets found by their edges on it and on --seed 46000 measure 0.97-0.99).
CLEAN = 0.95
# ...unless what lies between them (its median) is darker than this share of the inner's paper
# (its upper quartile): a screen's black panel and frame, 0.10-0.36 on the screens of --seed 5
# and --seed 46000, where paper under a shadow keeps at least the 40% the light falls to
# (0.51-0.75 there).
FRAME_BLACK = 0.4
MIN_CONTRAST = 30  # gray levels the paper must stand above the desk to be found by brightness
# Canny's thresholds (gray levels per px of the reduced, blurred copy): a white sheet on the
# light laminate of make_variants' photos (226 against 245, with the shadow the sheet casts)
# crosses them; the laminate's mottle and a cloth's weave (a few levels) do not.
CANNY = (20, 50)
# ...and where no sheet is found so, these: the sheet of make_variants --n 30 --seed 46000
# --kinds photo v0027 (page 2), white on white laminate, has a gap in its outline at CANNY.
CANNY_FAINT = (12, 30)
# The paper inside a sheet found (its upper quartile) stands this many gray levels above what
# lies outside (its median). The sheets found on the 30 photos of make_variants --n 30 --seed 5
# --kinds photo measure 32-199; a table's ruled box on a scan, paper both sides, about 0 (its
# test); the pages of make_variants --n 24 --seed 71 --kinds scan,turned,stamped and 12 of
# samples/' PDFs (3 pages each) give no candidate at all.
MIN_STEP = 15
EDGE_OFFSET = 5  # px of the reduced copy either side of a candidate's sides its levels are compared at
# ...or its sides this step (``_edge_step``, the median over points along them) between the
# levels just inside and just outside: a sheet in shadow on a lit desk may be no brighter than
# it (make_variants --n 30 --seed 46000 --kinds photo v0005 page 2: 9 levels darker), but its
# edge is a step. The sheets found on the 30 photos of --seed 5 and the 30 of --seed 46000
# measure 21-201; the regions that ran on into the desk there, 1-4.
MIN_EDGE_STEP = 12
# A quadrilateral must cover this share of its region and the region of it. On the 30 photos of
# make_variants --n 30 --seed 5 --kinds photo the sheets measure 0.97-1.00 (0.92-0.93 where a
# shadow band crosses the sheet's edge); the candidate with the best cover is taken (``_choose``).
MIN_COVER = 0.9
# The height of the characters (``photo_text.text_height``) a rectified sheet is enlarged to.
# Scans that read well (make_variants --n 24 --seed 71 --kinds scan,turned,stamped, 300 dpi)
# measure 15-29 px; on the 30 photos of make_variants --n 30 --seed 5 --kinds photo, 24 px read
# 1638 cells of 3249 right (1 wrong and silent) and 32 px 1703 (1): 32 was not tried on another set.
TARGET_HEIGHT = 32.0
# The smallest characters of the 30 photos of --seed 5 measure 9 px (v0011, 1307 px wide): 3.6×.
MAX_ENLARGE = 4.0
# A rectified page is not enlarged past this (nor past --max-megapixels): a 4000×3000 photo whose
# sheet fills 80% of it, at the 1.7× its 19-px characters take, is 33 million pixels.
MAX_OUTPUT_PIXELS = 40_000_000

SHEET_MAP = "chitieu.sheet_map"  # info key: photo fractions -> rectified page fractions (3×3, row by row)
BOWED = "chitieu.sheet_bowed"  # info key: the sheet was flattened by its bowed outline

Quad = list[tuple[float, float]]  # top-left, top-right, bottom-right, bottom-left


def find_sheet(gray: Image.Image) -> Quad | None:
    """Corners of the page in the photo (full-size pixels), or None when no sheet stands out."""
    found = _find(gray)
    return None if found is None else found[0]


def _find(gray: Image.Image) -> tuple[Quad, np.ndarray] | None:
    """The sheet's corners and its outline (N×2), in the photo's pixels."""
    a = np.asarray(gray.convert("L"))
    factor = max(1.0, a.shape[1] / WORK_WIDTH)
    small = cv2.resize(a, (round(a.shape[1] / factor), round(a.shape[0] / factor)), interpolation=cv2.INTER_AREA)
    small = cv2.medianBlur(small, 5)
    best = _choose(small, [found for found in _candidates(small) if found is not None])
    if best is None:  # a white sheet on a light desk: its edges may be fainter than ``CANNY`` takes
        found = _edge_candidate(small, CANNY_FAINT)
        best = _choose(small, [] if found is None else [found])
    if best is None:
        return None
    quad, _, outline = best
    return [((x + 0.5) * factor, (y + 0.5) * factor) for x, y in quad], (outline.reshape(-1, 2) + 0.5) * factor


def _choose(small: np.ndarray, found: list) -> tuple[Quad, float, np.ndarray] | None:
    """The sheet among the candidates (``_quad``'s) that cover their region and stand out:
    the one that covers it best, unless one lies inside the other (``_nested``)."""
    valid = [f for f in found if f[1] >= MIN_COVER and _stands_out(small, f[0])]
    if not valid:
        return None
    best = max(valid, key=lambda f: f[1])
    if len(valid) == 2:
        best = _nested(small, *valid) or best
    return best


def _nested(small: np.ndarray, a: tuple, b: tuple) -> tuple | None:
    """Of two candidates one inside the other, the outer when it is a clean quadrilateral
    (``CLEAN``) and what lies between them is not black (a screen's frame, ``FRAME_BLACK``),
    the inner when it is; None when they are not nested or it is not clean."""
    masks = []
    for quad in (a[0], b[0]):
        mask = np.zeros(small.shape, np.uint8)
        cv2.fillConvexPoly(mask, np.int32(np.round(quad)), 255)
        masks.append(mask > 0)
    (inner, m_in), (outer, m_out) = sorted(zip((a, b), masks), key=lambda p: np.count_nonzero(p[1]))
    n_in = np.count_nonzero(m_in)
    if np.count_nonzero(m_out) < NESTED[0] * n_in or np.count_nonzero(m_in & m_out) < NESTED[1] * n_in:
        return None
    if outer[1] < CLEAN:
        return None
    ring = small[m_out & ~m_in]
    paper = float(np.percentile(small[m_in], 75))
    return inner if float(np.median(ring)) < FRAME_BLACK * paper else outer


def _desk_and_paper(a: np.ndarray) -> tuple[float, float]:
    """The desk's level (the median of the photo's border, a twentieth of each side) and the
    paper's (the 75th percentile of its middle quarter)."""
    h, w = a.shape
    border = np.concatenate([a[:h // 20].ravel(), a[-h // 20:].ravel(), a[:, :w // 20].ravel(), a[:, -w // 20:].ravel()])
    centre = a[h // 4: 3 * h // 4, w // 4: 3 * w // 4]
    return float(np.median(border)), float(np.percentile(centre, 75))


def _stands_out(small: np.ndarray, quad: Quad) -> bool:
    """Whether the paper inside ``quad`` (its upper quartile) is brighter than what lies outside
    (its median) by ``MIN_STEP``, or its sides are a step (``_edge_step``): a sheet on a desk,
    not a table drawn on a scanned page."""
    inside = np.zeros(small.shape, np.uint8)
    cv2.fillConvexPoly(inside, np.int32(np.round(quad)), 255)
    outside = small[inside == 0]
    if outside.size == 0:
        return False
    step = float(np.percentile(small[inside > 0], 75)) - float(np.median(outside))
    log.debug("sheet candidate: paper %.0f levels above the desk", step)
    return step >= MIN_STEP or _edge_step(small, quad) >= MIN_EDGE_STEP


def _edge_step(small: np.ndarray, quad: Quad) -> float:
    """How far the levels just inside ``quad``'s sides differ from those just outside (the
    median over points along them): a sheet's edge is a step, a table's ruling paper both sides."""
    corners = np.float64(quad)
    centre = corners.mean(axis=0)
    h, w = small.shape
    steps = []
    for a, b in zip(corners, np.roll(corners, -1, axis=0)):
        normal = np.array([b[1] - a[1], a[0] - b[0]]) / max(float(np.hypot(*(b - a))), 1e-6)
        if np.dot(normal, (a + b) / 2 - centre) < 0:
            normal = -normal  # pointing out of the quadrilateral
        for t in np.linspace(0.1, 0.9, 17):
            p = a + t * (b - a)
            xi, yi = np.round(p - EDGE_OFFSET * normal).astype(int)
            xo, yo = np.round(p + EDGE_OFFSET * normal).astype(int)
            if 0 <= min(xi, xo) and max(xi, xo) < w and 0 <= min(yi, yo) and max(yi, yo) < h:
                steps.append(abs(float(small[yi, xi]) - float(small[yo, xo])))
    step = float(np.median(steps)) if steps else 0.0
    log.debug("sheet candidate: its edge a step of %.0f levels", step)
    return step


def _outside(small: np.ndarray, canny: tuple[int, int] = CANNY, gap: int = 3) -> np.ndarray:
    """What can be reached from the border of ``small`` (blurred) without crossing an edge
    (Canny's, widened by a ``gap`` square to close their gaps)."""
    edges = cv2.dilate(cv2.Canny(small, *canny), np.ones((gap, gap), np.uint8))
    free = np.where(edges > 0, 0, 1).astype(np.uint8)
    n, labels = cv2.connectedComponents(free, connectivity=4)
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    border = border[border > 0]
    return np.isin(labels, border)


def _candidates(small: np.ndarray) -> Iterator[tuple[Quad, float, np.ndarray] | None]:
    """The candidate sheets (``_quad``'s, None where a region gives none) about the centre."""
    desk, paper = _desk_and_paper(small)
    if paper - desk >= MIN_CONTRAST:
        level = desk + 0.3 * (paper - desk)
        bright = np.where(small > level, 255, 0).astype(np.uint8)
        yield _quad(_without_lines(cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))))
    yield _edge_candidate(small)


def _edge_candidate(small: np.ndarray, canny: tuple[int, int] = CANNY) -> tuple[Quad, float, np.ndarray] | None:
    """The candidate sheet found by its edges (``_outside``), their gaps closed by each of
    ``GAPS``: the one whose quadrilateral covers its region best (the wider lets no desk in
    through a gap where another edge meets the sheet's; the narrower takes in no grain)."""
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    found = []
    for gap in GAPS:
        inside = np.where(~_outside(blurred, canny, gap), 255, 0).astype(np.uint8)
        # Its outline runs a pixel or two outside the sheet's edge (the edges are widened to
        # close their gaps). Narrowed back by a 3×3 erosion, the slide on a screen of
        # make_variants --n 30 --seed 5 --kinds photo v0026 read 97 of its 144 cells and gave
        # 10 silent duplicates; as it is, 114 and none: it is left as it is (narrowed back
        # only what a gap wider than 3 widens it by).
        region = cv2.morphologyEx(inside, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
        found.append(_quad(cv2.erode(_without_lines(region), np.ones((gap - 2, gap - 2), np.uint8))))
    found = [f for f in found if f is not None]
    return max(found, key=lambda f: f[1]) if found else None


def _without_lines(mask: np.ndarray) -> np.ndarray:
    """``mask`` without the thin strips that cling to it (a shadow's edge, a grain of the desk):
    what an opening keeps, grown back within its reach so that the sheet keeps its sharp
    corners (its bow is told by its outline up to them, ``photo_bow``)."""
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (LINE, LINE))
    return cv2.bitwise_and(mask, cv2.dilate(cv2.morphologyEx(mask, cv2.MORPH_OPEN, disc), disc))


def _quad(mask: np.ndarray) -> tuple[Quad, float, np.ndarray] | None:
    """The four corners of the region of ``mask`` nearest the centre, and how well they cover
    it (the smaller of the two shares: the quadrilateral inside the region, the region inside it)."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    h, w = mask.shape
    centre = (w / 2, h / 2)
    inside = [c for c in contours if cv2.pointPolygonTest(c, centre, False) >= 0]
    if not inside:
        return None
    contour = max(inside, key=cv2.contourArea)
    area = cv2.contourArea(contour)
    if not MIN_SHARE <= area / (h * w) <= MAX_SHARE:
        log.debug("sheet covers %.0f%% of the photo: not corrected", 100 * area / (h * w))
        return None
    poly = _corners(cv2.convexHull(contour))
    if poly is None:
        return None
    region = np.zeros_like(mask)
    cv2.drawContours(region, [contour], -1, 255, cv2.FILLED)
    shape = np.zeros_like(mask)
    cv2.fillConvexPoly(shape, poly.reshape(-1, 2), 255)
    both = np.count_nonzero(region & shape)
    cover = min(both / max(np.count_nonzero(region), 1), both / max(np.count_nonzero(shape), 1))
    return _ordered(poly.reshape(-1, 2).astype(np.float64)), cover, contour


def _corners(hull: np.ndarray) -> np.ndarray | None:
    """The four vertices of ``hull`` (simplified) that span the largest quadrilateral: a sheet's
    corners, even where its sides bow between them."""
    points = cv2.approxPolyDP(hull, 0.01 * cv2.arcLength(hull, True), True).reshape(-1, 2)
    if len(points) < 4:
        return None
    best, best_area = None, 0.0
    for combo in itertools.combinations(range(len(points)), 4):
        area = abs(cv2.contourArea(points[list(combo)].astype(np.float32)))
        if area > best_area:
            best, best_area = points[list(combo)], area
    return best.reshape(-1, 1, 2)


def _ordered(points: np.ndarray) -> Quad:
    """Four points as top-left, top-right, bottom-right, bottom-left (by x + y and x - y)."""
    s, d = points.sum(axis=1), points[:, 0] - points[:, 1]
    order = [np.argmin(s), np.argmax(d), np.argmax(s), np.argmin(d)]
    if len(set(order)) < 4:  # a quadrilateral turned near 45°: clockwise from the topmost
        c = points.mean(axis=0)
        angles = np.arctan2(points[:, 1] - c[1], points[:, 0] - c[0])
        order = list(np.argsort(angles))
        start = order.index(int(np.argmin(s)))
        order = order[start:] + order[:start]
    return [(float(points[i][0]), float(points[i][1])) for i in order]


def _sides(quad: Quad) -> tuple[float, float]:
    """The width and height of the rectangle ``quad`` is mapped to: its longer opposite sides."""
    (tl, tr, br, bl) = quad
    width = max(np.hypot(*np.subtract(tr, tl)), np.hypot(*np.subtract(br, bl)))
    height = max(np.hypot(*np.subtract(bl, tl)), np.hypot(*np.subtract(br, tr)))
    return float(width), float(height)


def rectify(gray: np.ndarray, quad: Quad, scale: float) -> np.ndarray:
    """The quadrilateral mapped to an upright rectangle, ``scale`` pixels per pixel of its sides."""
    width, height = _sides(quad)
    w, h = max(1, round(width * scale)), max(1, round(height * scale))
    dst = np.float32([(0, 0), (w, 0), (w, h), (0, h)])
    matrix = cv2.getPerspectiveTransform(np.float32(quad), dst)
    return cv2.warpPerspective(gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                               borderValue=255)


def enlargement(flat: np.ndarray, *, max_pixels: int | None = None) -> float:
    """Pixels of the page to read per pixel of ``flat`` (the sheet rectified at the photo's size):
    enough for its characters to be ``TARGET_HEIGHT`` high, within ``MAX_ENLARGE`` and the pixel
    limit, never less than 1."""
    height = text_height(flat)
    scale = TARGET_HEIGHT / height if height else MAX_ENLARGE
    limit = min(MAX_OUTPUT_PIXELS, max_pixels or MAX_OUTPUT_PIXELS)
    scale = min(scale, MAX_ENLARGE, (limit / max(flat.size, 1)) ** 0.5)
    return float(max(1.0, scale))


def _fractions_map(unit: np.ndarray, shape: tuple[int, ...]) -> tuple[float, ...]:
    """``unit`` (the photo's pixels to the unit square of its sheet) taking fractions of the
    photo (``inked.Region``) instead of pixels."""
    h, w = shape[:2]
    return tuple(float(v) for v in (unit @ np.diag([w, h, 1.0])).ravel())


def rectify_photo(gray: Image.Image, *, max_pixels: int | None = None,
                  bow: bool = True) -> tuple[Image.Image, int, float] | None:
    """The page of a photo, flat and upright, with the resolution it is taken to have and
    its pixels per pixel of the photo; None when the photo shows no sheet on a background
    (a scan, or a page filling the frame). ``bow``: a sheet whose sides curve is flattened
    by its outline (``photo_bow``), not only its corners."""
    found = _find(gray)
    if found is None:
        return None
    quad, outline = found
    a = np.asarray(gray.convert("L"))
    scale = enlargement(rectify(a, quad, 1.0), max_pixels=max_pixels)
    width, height = _sides(quad)
    size = max(1, round(width * scale)), max(1, round(height * scale))
    unit = cv2.getPerspectiveTransform(np.float32(quad), np.float32([(0, 0), (1, 0), (1, 1), (0, 1)]))
    curves = photo_bow.side_curves(outline, unit) if bow else []
    bowed = bool(curves) and photo_bow.is_bowed(curves)
    if bowed:
        page = photo_bow.flatten(a, unit, curves, size)
    else:
        page = rectify(a, quad, scale)
    out = Image.fromarray(page, mode="L")
    out.info["dpi"] = (OUTPUT_DPI, OUTPUT_DPI)
    out.info[SHEET_MAP] = _fractions_map(unit, a.shape)
    out.info[BOWED] = bowed
    log.debug("photo: sheet at %s rectified to %dx%d (×%.2f)", [(round(x), round(y)) for x, y in quad],
              out.width, out.height, scale)
    return out, OUTPUT_DPI, scale

