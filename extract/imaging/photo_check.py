"""What a photo of a page is like, so that a photo that gave nothing says why (issue 12).

Measured on the page as prepared for reading (``preprocess.prepare_page``: rectified,
upright, its light evened out) and given in the photo's own pixels (``PhotoFacts``):

- the characters' height: as ``photo_text.text_height`` measures it to enlarge the page (the
  ink-weighted median of the marks the size of a character), the height the marks of
  ``character_marks`` (connected components of the thresholded page, OpenCV, the table's
  rulings and the specks left out) tell only where it finds none;
- the blur: at the strongest edges, the local contrast over the slope. A step edge blurred
  by a Gaussian of σ px rises at most by contrast / (σ √(2π)) per px; the ratio measured
  with Sobel's central differences is inverted to σ (``_sigma``).

``faults`` turns the facts into the words errors.csv gives: no text, text too small, too
blurred, no sheet or table found.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from extract.model import PhotoFacts

if TYPE_CHECKING:
    from PIL import Image

# Marks fewer than this are no text: a page with a dozen words has a hundred. The photos of
# make_variants --n 30 --seed 5 --kinds photo have 174-2470.
MIN_MARKS = 40
MIN_MARK_PX = 3  # px of the prepared page: a mark lower than this is a speck (or a ruling)
# Otsu's threshold leaves a page of text mostly paper: the ink of the 30 photos of make_variants
# --n 30 --seed 5 --kinds photo (their first page), and of 8 of them each blurred by σ 1.5-5 or
# reduced to 60-25% of their width (64 photos), is 2-19% of their pixels. A desk or a wall with
# no paper is split about its middle gray (tests/test_photo_reasons.py's desk: 47%): no text.
MAX_INK_SHARE = 0.3
MAX_BLUR_PIXELS = 4_000_000  # blur is measured on this much of a page at most (its float copies: ~100 MB)


def photo_facts(page: Image.Image, *, scale: float, sheet: bool) -> PhotoFacts:
    """The facts of a photo's page prepared for reading; ``scale``: its pixels per pixel of
    the photo (a rectified sheet is enlarged), ``sheet``: its sheet was found and rectified."""
    from extract.imaging.photo_text import text_height

    a = np.asarray(page.convert("L"))
    boxes = character_marks(a)
    if len(boxes) < MIN_MARKS:
        return PhotoFacts(sheet, 0.0, 0.0, len(boxes))
    # The height ``photo.enlargement`` measured the photo by, ink-weighted, so the two agree: the
    # median of the marks' heights counts every speck and broken stroke of the page as one
    # mark (on the pages of make_variants --n 30 --seed 5 --kinds photo evened by
    # ``photo_light``, 15-22 px where their characters are 28-30, v0010 and v0014).
    height = text_height(a) or float(np.median(boxes[:, 3]))
    a = _text_region(a, boxes, margin=int(2 * height))
    blur = edge_blur(a, window=int(round(height)))
    if 3 * blur > height:  # so blurred its edges spread past the window: measured again in a wider one
        blur = edge_blur(a, window=int(round(8 * blur)))
    return PhotoFacts(sheet, round(height / scale, 1), round(blur / scale, 2), len(boxes))


def character_marks(a: np.ndarray) -> np.ndarray:
    """Boxes (x, y, width, height, px) of the marks of ``a`` (a gray page, dark ink on light
    paper) the size of a character: not specks, not rulings or the boxes they draw, not pictures."""
    import cv2

    _, ink = cv2.threshold(a, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if np.count_nonzero(ink) > MAX_INK_SHARE * ink.size:
        return np.zeros((0, 4), dtype=np.int32)  # no paper: what is dark is no ink
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    fill = stats[1:, cv2.CC_STAT_AREA] / np.maximum(w * h, 1)
    line = (w > 8 * h) & (fill > 0.7)  # a ruling's stretch, a bar
    ok = (h >= MIN_MARK_PX) & (h <= a.shape[0] / 20) & (w <= a.shape[1] / 10) & ~line
    return stats[1:, :4][ok]


def _text_region(a: np.ndarray, boxes: np.ndarray, *, margin: int) -> np.ndarray:
    """The part of ``a`` its characters ``boxes`` lie in (the outer 5% of them left out), at
    most ``MAX_BLUR_PIXELS`` about its middle: blur is measured there, in bounded memory."""
    x0, y0 = (int(np.percentile(boxes[:, k], 5)) - margin for k in (0, 1))
    x1, y1 = (int(np.percentile(boxes[:, k] + boxes[:, k + 2], 95)) + margin for k in (0, 1))
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, a.shape[1]), min(y1, a.shape[0])
    shrink = math.sqrt(min(1.0, MAX_BLUR_PIXELS / max((x1 - x0) * (y1 - y0), 1)))
    cx, cy, hw, hh = (x0 + x1) // 2, (y0 + y1) // 2, int((x1 - x0) * shrink) // 2, int((y1 - y0) * shrink) // 2
    return a[cy - hh:cy + hh, cx - hw:cx + hw]


def edge_blur(a: np.ndarray, *, window: int) -> float:
    """The σ (px of ``a``) of the blur of its ink's edges, ``window`` px about the size of a
    character: the median over the strongest edges of the contrast about them over their slope."""
    import cv2

    f = a.astype(np.float32)
    gx = cv2.Sobel(f, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(f, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    slope = cv2.magnitude(gx, gy)
    box = cv2.getStructuringElement(cv2.MORPH_RECT, (max(5, window | 1),) * 2)
    contrast = cv2.dilate(f, box) - cv2.erode(f, box)
    # The steepest point about each: a step's middle, where its slope tells its blur.
    steepest = (slope >= cv2.dilate(slope, box)) & (slope > 2.0)
    if not steepest.any():
        return 0.0
    c = contrast[steepest]
    keep = c >= max(40.0, 0.5 * float(np.percentile(c, 90)))  # ink on paper, not the paper's grain
    if not keep.any():
        return 0.0
    ratio = float(np.median(c[keep] / slope[steepest][keep])) / math.sqrt(2 * math.pi)
    return _sigma(ratio)


def _sigma(ratio: float) -> float:
    """σ of the Gaussian blur that makes a step's contrast / (slope √(2π)) equal ``ratio``,
    the slope taken by central differences (a sharp step gives 2/√(2π) ≈ 0.8)."""
    def measured(s: float) -> float:
        return 2.0 / (math.sqrt(2 * math.pi) * math.erf(1.0 / (s * math.sqrt(2)))) if s > 0 else 0.8
    lo, hi = 0.0, 50.0
    if ratio <= measured(0.05):
        return 0.0
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if measured(mid) < ratio else (lo, mid)
    return (lo + hi) / 2


# Blur σ (px of the photo, as ``edge_blur`` measures it) from which a photo is too blurred.
# The 30 photos of make_variants --n 30 --seed 5 --kinds photo drawn with σ 0-0.94 measure
# 0.32-0.86, the 4 drawn with σ 1.19-1.36 measure 1.02-1.34 (2 of them read nothing). 8 of the
# 30 that read 91-100% of their cells, blurred further by σ 1.5, measure 1.14-1.51 and read
# 0, 0, 0, 0, 12, 18, 96, 100%; blurred by σ 2.5, 3.5 or 5 they measure 1.62-4.42 and all 24
# read nothing.
TOO_BLURRED = 1.0
# Characters lower than this (px of the photo, the median of ``character_marks``' heights) are too small. The
# same 8 photos reduced to 60, 45, 33 and 25% of their width: the 12 whose characters measure
# under 6 px read 0-34% of their cells (10 of them nothing), the 10 of 6-8 px 0-92% (median
# 62%), the 10 of 8 px or more 0-100% (8 of them 90% or more).
TOO_SMALL = 8.0


# Values read from a photo whose characters are lower than this are all flagged: at that
# size a comma or a digit is lost without Tesseract's confidence saying so. On the 30
# photos of --n 30 --seed 5 --kinds photo, v0010 (characters 8.8 px) read "4,2%" as 42 and
# "35,9%" as 3, four values wrong and unflagged. The 5 photos measuring under 10 px read
# 4/176, 21/176, 0/42, 0/112 and 95/96 of their cells (v0015, 7.8 px, the one that reads
# well); the 25 of 10 px or more 0-100%. A bound from one failing photo: it errs on the
# side of a look, and the bench's silent count is what moves it.
CHECK_BELOW = 10.0


# Values read from a photo whose blur (σ) is this share of its characters' height or more are
# all flagged: strokes run together and a digit is lost or changed ("89%" read "8%", "76.2%"
# "16.2%") at a confidence Tesseract gives sharp ones. On the 46 pages of make_variants --n 30
# --seed 5 --kinds photo, the pages that read values wrong and unflagged measure 0.047-0.056
# (v0001, v0003, v0028; 7 values); the bound sits a little under them. Pages that read every
# value right measure up to 0.053 (v0023, σ 1.16 over 21.9 px), so it flags some of those too
# (23 of the 45 pages with text measure 0.045 or more, 5 of them flagged already for their
# small characters): a bound from three failing photos, which the bench's silent count moves.
CHECK_BLUR_SHARE = 0.045


def doubt(facts: PhotoFacts | None) -> str:
    """Why every value of a photo's page should be looked at, or ""."""
    if facts is None or not facts.text_height:
        return ""
    if facts.text_height < CHECK_BELOW:
        return (f"a photo whose characters are {facts.text_height:.1f} px high: digits and decimal commas are "
                "often lost at this size, check every value")
    if facts.blur >= CHECK_BLUR_SHARE * facts.text_height:
        return (f"a photo blurred (edge σ {facts.blur:.2f} px) for its {facts.text_height:.1f}-px characters: "
                "digits run together and are lost, check every value")
    return ""


def faults(facts: PhotoFacts, *, tables: int) -> list[tuple[str, str]]:
    """What is wrong with the photo, each as (what, its figures or ""); ``tables``: the tables
    found on its page. Blur is said before size (a blurred page's characters measure wrong),
    and a photo too blurred or too small is not said to have no sheet or table too."""
    if not facts.text_height:
        found = [("no text found", "")]
    elif facts.blur >= TOO_BLURRED:
        return [("too blurred", f"edge blur σ {facts.blur:.2f} px; under {TOO_BLURRED:.1f} reads")]
    elif facts.text_height < TOO_SMALL:
        return [("text too small", f"characters {facts.text_height:.1f} px high; {TOO_SMALL:.0f} or more read")]
    else:
        found = []
    if not facts.sheet and not tables:
        found.append(("no sheet or table found", ""))
    return found


def describe(facts: PhotoFacts, *, tables: int) -> str:
    """The photo's faults in words for errors.csv, or that none was found, with its figures."""
    found = faults(facts, tables=tables)
    if found:
        return "photo: " + "; ".join(f"{what} ({figures})" if figures else what for what, figures in found)
    return f"photo: no fault found (characters {facts.text_height:.1f} px high, edge blur σ {facts.blur:.2f} px)"
