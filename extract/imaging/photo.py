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

Quad = list[tuple[float, float]]  # top-left, top-right, bottom-right, bottom-left


def find_sheet(gray: Image.Image) -> Quad | None:
    """Corners of the page in the photo (full-size pixels), or None when no sheet stands out."""
    factor = max(1.0, gray.width / WORK_WIDTH)
    small = gray.convert("L").resize((round(gray.width / factor), round(gray.height / factor)), Image.BILINEAR)
    small = small.filter(ImageFilter.MedianFilter(5))
    a = np.asarray(small, dtype=np.float32)
    h, w = a.shape
    border = np.concatenate([a[:h // 20].ravel(), a[-h // 20:].ravel(), a[:, :w // 20].ravel(), a[:, -w // 20:].ravel()])
    centre = a[h // 4: 3 * h // 4, w // 4: 3 * w // 4]
    desk, paper = float(np.median(border)), float(np.percentile(centre, 75))
    if paper - desk < 30:
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
    """The quadrilateral mapped to an upright rectangle, enlarged for recognition."""
    (tl, tr, br, bl) = quad
    width = max(np.hypot(*np.subtract(tr, tl)), np.hypot(*np.subtract(br, bl)))
    height = max(np.hypot(*np.subtract(bl, tl)), np.hypot(*np.subtract(br, tr)))
    scale = min(MAX_ENLARGE, max(1.0, MIN_LONG_SIDE / max(width, height)))
    w, h = round(width * scale), round(height * scale)
    coeffs = perspective_coeffs([(0, 0), (w, 0), (w, h), (0, h)], quad)
    return gray.transform((w, h), Image.PERSPECTIVE, coeffs, Image.BICUBIC, fillcolor=255)


def rectify_photo(gray: Image.Image) -> tuple[Image.Image, int] | None:
    """The page of a photo, flat and upright, with the resolution it is taken to have; None
    when the photo shows no sheet on a background (a scan, or a page filling the frame)."""
    quad = find_sheet(gray)
    if quad is None:
        return None
    out = rectify(gray.convert("L"), quad)
    out.info["dpi"] = (OUTPUT_DPI, OUTPUT_DPI)
    log.debug("photo: sheet at %s rectified to %dx%d", [(round(x), round(y)) for x, y in quad], out.width, out.height)
    return out, OUTPUT_DPI
