"""Bilevel pages (faxes, G3/G4 TIFFs, 1-bit scans) cleaned of the line's noise before OCR.

A fax is thresholded by the sending machine and sent over a noisy line: white pixels
come out black at random (pepper, isolated dots all over the page) and black ones
white (salt, holes in strokes and dotted rulings). Tesseract takes the dots for
glyphs and the holes for breaks; on the fidelity bench's fax variants (150 dpi,
1 bit) pepper alone turned most cells into noise. Both are undone here on the page
at its own resolution, where a dot is a pixel, before it is enlarged:

- ``fill_holes``: a white pixel with most of its eight neighbours black is a hole
  in a stroke and becomes black; a gap between two strokes has ink on two sides
  only and stays white.
- ``mend_rulings``: a table's thin rules, broken into dots by the salt, are found
  along rows and columns with their gaps bridged and drawn whole again, so that the
  ruling finder sees them as the lines they were, and paints them out whole.
- ``remove_specks``: a black pixel with at most one black neighbour and no other ink
  near it is line noise and becomes white; a diacritic's dot lies beside its letter
  and stays.

Cleaned, the page is enlarged to the render's resolution by ``enlarge``: smoothed
first, so that it reaches the engine in gray with the edges a stroke had before the
sending machine thresholded it, not as the staircase of its pixels. Tesseract's LSTM
reads the gray shapes far better than the enlarged pixels (a parenthesis read '{',
'0' read '9').
"""
from __future__ import annotations

import numpy as np
from PIL import Image

# A white pixel with at least this many of its 8 neighbours black is filled. Six fills
# a hole inside a stroke 2 px or more wide (its neighbours are all ink but the holes
# beside it) while the white between two letters, touched on two sides, is left: at
# five, 'e' and 'a' of 8-pt text at 150 dpi closed up.
FILL_NEIGHBOURS = 6
# A speck is removed when the (2r+1)² square around it holds no more than two ink
# pixels. At r = 2 (5 px at 150 dpi, under a millimetre) the dot of a Vietnamese 'ạ'
# or 'ị' a blank row under its letter has more and stays. r = 3 would keep a dot two
# rows under too, but keeps more of the noise beside letters: on 60 fax variants
# (make_variants --n 60 --seed 31 --kinds fax) it read 1,752 cells right, r = 2 1,815.
SPECK_RING = 2
SPECK_INK = 2
# Rulings: gaps up to 2.5 pt (5 px at 150 dpi) are bridged: at the bench's worst line
# noise (22% of black lost) a 1-px rule has on average one gap of 5 px in 2,500; runs
# of at least 15 pt (a narrow column's width), at least 60% ink once bridged (a dotted
# rule at 22% loss is 78%), with at most 30% ink two rows above and below (a row of
# text has its letters there) are drawn whole.
MEND_GAP_PT = 2.5
MEND_LENGTH_PT = 15.0
MEND_DENSITY = 0.6
MEND_BESIDE = 0.3
# The rows "beside" a run are MEND_NEAR_PT (2 px at 150 dpi) away, and also MEND_FAR_PT
# (3 px), where at most 15% may be ink: the middle row of 6- to 8-pt text at 150 dpi, its
# letters bridged, is as dense as a dotted rule with paper two rows off, but the letters'
# tops and bottoms are three rows off. On the first pages of make_variants --n 12 --seed 31
# --kinds fax, labelled by the same pages made without salt and pepper, the runs drawn whole
# that were no rule fell from 122 to 6 and the rules drawn whole from 779 to 778; the rule
# drawn through "95% trở lên" (v0011) is gone. With the unsure text cells read again
# (extract.ocr.cells.UNSURE_CONF), cells right on seeds 31 / 32 / 62: 752 / 1873 / 1112 with
# the rows two off only, 764 / 1900 / 1101 with both.
MEND_NEAR_PT = 1.0
MEND_FAR_PT = 1.5
MEND_FAR_BESIDE = 0.15
# The cleaned page is blurred with a Gaussian of this sigma (pixels of the page as sent)
# and enlarged with cubic interpolation. Cells right (bench_fidelity on make_variants
# --kinds fax), enlarged as before (Lanczos on the bare 0/255 pixels) -> smoothed:
# --n 12 --seed 31 376 -> 736 of 1285; --n 30 --seed 32 981 -> 1767 of 3272 (its first 11
# are seed 31's last 11: variant k has seed S + k); held out, --n 20 --seed 62 505 -> 918
# of 2026; no silent error either way. Sigma 0.6 read 538 (seed 31) and 1472 (seed 32),
# 0.8 720 and 1669, 1.0 584 and 1250, 1.3 343 on seed 31 (a 1-px stroke grows too light).
# Blurred, enlarged and thresholded again (smooth black and white), Tesseract's words
# held 328 of seed 31's 1172 values, against 772 left in gray.
SMOOTH_SIGMA = 0.8


def is_bilevel(image: Image.Image) -> bool:
    """A 1-bit image, or a gray one with only black and white in it."""
    if image.mode == "1":
        return True
    if image.mode != "L":
        return False
    hist = image.histogram()
    return sum(hist[1:255]) == 0


def clean_bilevel(image: Image.Image, dpi: float) -> Image.Image:
    """``image`` (1-bit, or gray of black and white only, at ``dpi``) with its holes
    filled, its rulings mended and its specks removed, as a gray ("L") image of 0 and
    255 with the same info."""
    ink = np.asarray(image.convert("L")) < 128
    ink = remove_specks(mend_rulings(fill_holes(ink), dpi))
    out = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8), mode="L")
    out.info.update(image.info)
    return out


def enlarge(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` (cleaned: gray of 0 and 255) blurred by SMOOTH_SIGMA and enlarged to
    ``size`` (cubic), in gray, with the same info."""
    import cv2

    a = cv2.GaussianBlur(np.asarray(image.convert("L"), dtype=np.float32), (0, 0), SMOOTH_SIGMA)
    if (a.shape[1], a.shape[0]) != tuple(size):
        a = cv2.resize(a, tuple(size), interpolation=cv2.INTER_CUBIC)
    out = Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), mode="L")
    out.info.update(image.info)
    return out


def neighbours(ink: np.ndarray) -> np.ndarray:
    """How many of each pixel's eight neighbours are ink (pixels beyond the edge are not)."""
    h, w = ink.shape
    p = np.pad(ink, 1).astype(np.uint8)
    return sum(p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)


def fill_holes(ink: np.ndarray, *, min_neighbours: int = FILL_NEIGHBOURS) -> np.ndarray:
    return ink | (neighbours(ink) >= min_neighbours)


def remove_specks(ink: np.ndarray, *, ring: int = SPECK_RING, max_ink: int = SPECK_INK) -> np.ndarray:
    lone = ink & (neighbours(ink) <= 1)
    return ink & ~(lone & (_window_sum(ink, ring) <= max_ink))


def mend_rulings(ink: np.ndarray, dpi: float) -> np.ndarray:
    """``ink`` with its thin horizontal and vertical lines drawn whole across their gaps."""
    px = dpi / 72.0
    ink = _mend_rows(ink, px)
    return np.ascontiguousarray(_mend_rows(np.ascontiguousarray(ink.T), px).T)


def _mend_rows(ink: np.ndarray, px: float) -> np.ndarray:
    """Runs along the rows, gaps up to MEND_GAP_PT bridged, at least MEND_LENGTH_PT long,
    mostly ink, with paper two and three rows above and below (a line, not a row of text): filled."""
    from extract.imaging.rulings import _bridge_gaps, _row_runs

    rows, starts, ends = _row_runs(ink)
    rows, starts, ends = _bridge_gaps(rows, starts, ends, max_gap=max(1, round(MEND_GAP_PT * px)))
    long = (ends - starts) >= MEND_LENGTH_PT * px
    rows, starts, ends = rows[long], starts[long], ends[long]
    if not len(rows):
        return ink
    h, w = ink.shape
    near, far = max(2, round(MEND_NEAR_PT * px)), max(3, round(MEND_FAR_PT * px))
    c = np.zeros((h + 2 * far, w + 1), dtype=np.int32)  # row-wise running ink counts, paper rows each side
    c[far:h + far, 1:] = ink.cumsum(axis=1, dtype=np.int32)
    length = ends - starts

    def share(dr: int) -> np.ndarray:
        r = rows + far + dr
        return (c[r, ends] - c[r, starts]) / length

    line = (share(0) >= MEND_DENSITY) & (share(-near) <= MEND_BESIDE) & (share(near) <= MEND_BESIDE)
    line &= (share(-far) <= MEND_FAR_BESIDE) & (share(far) <= MEND_FAR_BESIDE)
    out = ink.copy()
    for r, a, b in zip(rows[line].tolist(), starts[line].tolist(), ends[line].tolist()):
        out[r, a:b] = True
    return out


def _window_sum(ink: np.ndarray, r: int) -> np.ndarray:
    """Ink pixels in the (2r+1)² square around each pixel (a summed-area table)."""
    h, w = ink.shape
    k = 2 * r + 1
    c = np.pad(np.pad(ink, r).cumsum(0, dtype=np.int32).cumsum(1, dtype=np.int32), ((1, 0), (1, 0)))
    return c[k:k + h, k:k + w] - c[0:h, k:k + w] - c[k:k + h, 0:w] + c[0:h, 0:w]
