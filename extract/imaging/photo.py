"""Photos of a page: find the sheet's quadrilateral on the desk and undo the perspective.

numpy and Pillow only. On a reduced copy, the paper is the bright region around the
centre: pixels above a level between the desk's brightness (read at the photo's border)
and the paper's (read at its centre), filled from the centre with Pillow's flood fill
so that the desk's own bright spots stay out. Its corners are the extreme points of
that region along the diagonals; ``Image.transform`` with ``PERSPECTIVE`` maps them
to a rectangle, enlarged so the text is large enough for Tesseract.
"""
from __future__ import annotations

import logging

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

log = logging.getLogger(__name__)

WORK_WIDTH = 800  # pixels of the reduced copy the sheet is found on
MIN_SHARE, MAX_SHARE = 0.15, 0.92  # of the photo's area a sheet must cover to be corrected
MIN_LONG_SIDE = 3300  # pixels: a rectified page is enlarged to at least this (about 300 dpi for a slide)
MAX_ENLARGE = 2.5
OUTPUT_DPI = 300
MIN_CONTRAST = 30  # gray levels the paper must stand above the desk for the sheet to be found
# The median filter moves the desk's and the paper's levels by 8 at most, on 112 photo pages (the
# 46 of make_variants --n 30 --seed 5 --kinds photo, 64 made from 8 of them blurred or reduced,
# samples/' 2) and 145 scanned ones (make_variants --n 24 --seed 71 and --n 60 --seed 72 --kinds
# scan,turned,stamped,lowres, samples/' 24). Unfiltered, a copy whose paper stands less than
# MIN_CONTRAST - FILTER_SHIFT above its border has no sheet (the scans measure 16 at most, the
# photos whose sheet is found 36 at least), known without the filter's cost (0.14 s of the
# 0.16 s find_sheet took on an A4 scan at 300 dpi).
FILTER_SHIFT = 10

Quad = list[tuple[float, float]]  # top-left, top-right, bottom-right, bottom-left


def find_sheet(gray: Image.Image) -> Quad | None:
    """Corners of the page in the photo (full-size pixels), or None when no sheet stands out."""
    factor = max(1.0, gray.width / WORK_WIDTH)
    small = gray.convert("L").resize((round(gray.width / factor), round(gray.height / factor)), Image.BILINEAR)
    desk, paper = _desk_and_paper(np.asarray(small, dtype=np.float32))
    if paper - desk < MIN_CONTRAST - FILTER_SHIFT:
        return None  # a scan, a page filling the photo: known before the median filter
    small = small.filter(ImageFilter.MedianFilter(5))
    a = np.asarray(small, dtype=np.float32)
    desk, paper = _desk_and_paper(a)
    if paper - desk < MIN_CONTRAST:
        return None  # the sheet fills the photo, or there is no contrast to find it by
    level = desk + 0.3 * (paper - desk)
    mask = Image.fromarray(np.where(a > level, 255, 0).astype(np.uint8), mode="L")
    # Close small dark gaps (text, lines) so the fill stays inside one sheet.
    mask = mask.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.MinFilter(5))
    seed = _seed(np.asarray(mask))
    if seed is None:
        return None
    ImageDraw.floodfill(mask, seed, 128)
    region = np.asarray(mask) == 128
    share = region.mean()
    if not MIN_SHARE <= share <= MAX_SHARE:
        log.debug("sheet covers %.0f%% of the photo: not corrected", 100 * share)
        return None
    ys, xs = np.nonzero(region)
    s, d = xs + ys, xs - ys
    corners = [(xs[np.argmin(s)], ys[np.argmin(s)]), (xs[np.argmax(d)], ys[np.argmax(d)]),
               (xs[np.argmax(s)], ys[np.argmax(s)]), (xs[np.argmin(d)], ys[np.argmin(d)])]
    return [((x + 0.5) * factor, (y + 0.5) * factor) for x, y in corners]


def _desk_and_paper(a: np.ndarray) -> tuple[float, float]:
    """The desk's level (the median of the photo's border, a twentieth of each side) and the
    paper's (the 75th percentile of its middle quarter)."""
    h, w = a.shape
    border = np.concatenate([a[:h // 20].ravel(), a[-h // 20:].ravel(), a[:, :w // 20].ravel(), a[:, -w // 20:].ravel()])
    centre = a[h // 4: 3 * h // 4, w // 4: 3 * w // 4]
    return float(np.median(border)), float(np.percentile(centre, 75))


def _seed(mask: np.ndarray) -> tuple[int, int] | None:
    """A paper pixel near the centre of the reduced mask."""
    h, w = mask.shape
    ys, xs = np.nonzero(mask[h // 4: 3 * h // 4, w // 4: 3 * w // 4] == 255)
    if len(xs) == 0:
        return None
    i = int(np.argmin((xs - w // 4) ** 2 + (ys - h // 4) ** 2))
    return int(xs[i] + w // 4), int(ys[i] + h // 4)


def perspective_coeffs(dst: Quad, src: Quad) -> list[float]:
    """Pillow's PERSPECTIVE coefficients that map output points ``dst`` to input points ``src``."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64)).tolist()


def rectify(gray: Image.Image, quad: Quad) -> Image.Image:
    """The quadrilateral mapped to an upright rectangle, enlarged for recognition (by the
    factor ``enlargement`` gives)."""
    width, height = _sides(quad)
    scale = enlargement(quad)
    w, h = round(width * scale), round(height * scale)
    coeffs = perspective_coeffs([(0, 0), (w, 0), (w, h), (0, h)], quad)
    return gray.transform((w, h), Image.PERSPECTIVE, coeffs, Image.BICUBIC, fillcolor=255)


def enlargement(quad: Quad) -> float:
    """Pixels of the rectified page per pixel of the photo: enough for its long side to reach
    ``MIN_LONG_SIDE``, at most ``MAX_ENLARGE``, never less than 1."""
    return float(min(MAX_ENLARGE, max(1.0, MIN_LONG_SIDE / max(_sides(quad)))))


def _sides(quad: Quad) -> tuple[float, float]:
    """The width and height of the rectangle ``quad`` is mapped to: its longer opposite sides."""
    (tl, tr, br, bl) = quad
    width = max(np.hypot(*np.subtract(tr, tl)), np.hypot(*np.subtract(br, bl)))
    height = max(np.hypot(*np.subtract(bl, tl)), np.hypot(*np.subtract(br, tr)))
    return float(width), float(height)


def rectify_photo(gray: Image.Image) -> tuple[Image.Image, int, float] | None:
    """The page of a photo, flat and upright, with the resolution it is taken to have and
    its pixels per pixel of the photo; None when the photo shows no sheet on a background
    (a scan, or a page filling the frame)."""
    quad = find_sheet(gray)
    if quad is None:
        return None
    out = rectify(gray.convert("L"), quad)
    out.info["dpi"] = (OUTPUT_DPI, OUTPUT_DPI)
    log.debug("photo: sheet at %s rectified to %dx%d", [(round(x), round(y)) for x, y in quad], out.width, out.height)
    return out, OUTPUT_DPI, enlargement(quad)
