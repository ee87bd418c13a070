"""The height of a photo's characters, measured under uneven light (OpenCV).

``photo_check.character_marks`` thresholds a page already flattened; a rectified photo still
has its shadows, so its ink is taken by ``cv2.adaptiveThreshold`` (each pixel against the
mean of its neighbourhood) before the marks the size of a character are kept.
"""
from __future__ import annotations

import cv2
import numpy as np

# Adaptive threshold: the neighbourhood (px of the photo, odd) and how far below its mean a
# pixel is ink (gray levels). A neighbourhood larger than the biggest characters of the photos
# of make_variants --n 30 --seed 5 --kinds photo (up to ~40 px), a margin above their noise (σ ≤ 7).
BLOCK = 51
OFFSET = 15
MIN_MARKS = 40  # fewer marks than this are no text (photo_check.MIN_MARKS)
MIN_MARK_PX = 3  # a mark lower than this is a speck


def text_height(gray: np.ndarray) -> float:
    """The median height (px) of the marks of ``gray`` the size of a character; 0 when too few."""
    ink = cv2.adaptiveThreshold(cv2.medianBlur(gray, 3), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, BLOCK, OFFSET)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    fill = stats[1:, cv2.CC_STAT_AREA] / np.maximum(w * h, 1)
    line = (w > 8 * h) | (h > 8 * w)  # a ruling's stretch, a bar
    ok = (h >= MIN_MARK_PX) & (h <= gray.shape[0] / 20) & (w <= gray.shape[1] / 10) & ~line & (fill > 0.1)
    if np.count_nonzero(ok) < MIN_MARKS:
        return 0.0
    # Weighted by their ink: a Vietnamese page's diacritics, commas and the noise's specks are
    # many marks but little ink. The smaller of the marks' heights and widths: a page still
    # turned a quarter (it is turned upright later) has its lines running down, and characters
    # a blur has run together are wider than high, never higher.
    ink_px = stats[1:, cv2.CC_STAT_AREA][ok]
    return min(_weighted_median(h[ok], ink_px), _weighted_median(w[ok], ink_px))


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])

