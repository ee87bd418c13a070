"""A decimal point the reading dropped: "1.6%" read "16%" by both readings of a 150-dpi scan.

At low resolution a point is a dot of two or three pixels; Tesseract reads the digits on
either side of it as one number, and the second, digits-only reading does the same, so the
two agree and nothing is flagged. The dot is still there in the pixels: a small mark on the
line's foot between two digits. A number read without a point or comma whose box holds such
a mark is doubted (its confidence dropped, so its value is flagged), never corrected: the
mark may be a speck.
"""
from __future__ import annotations

import re

import cv2
import numpy as np

from extract.imaging.binarize import image_to_ink

# Shares of the digits' height (the tallest marks of the word): a point is at most this tall
# and wide, and its foot this near the digits' foot. NotoSerif/DejaVu points at 150-300 dpi
# measure 0.12-0.22 of the digits' height (seed 2612's v0299, "1.6%" at 150 dpi: 0.2);
# the circles of "%" measure 0.35-0.45 and stand apart from the digits' gaps.
_POINT_MAX = 0.3
_FOOT = 0.2
_UNPOINTED = re.compile(r"\d{2,3}%?")


def point_dropped(gray, box: tuple[int, int, int, int], text: str) -> bool:
    """Whether the word ``text`` (digits, no point or comma) read in ``box`` (pixels of the
    page image ``gray``) has a point-sized mark at its foot between two of its digits."""
    if not _UNPOINTED.fullmatch(text):
        return False
    crop = gray.crop(box)
    if crop.width < 4 or crop.height < 4:
        return False
    ink = image_to_ink(crop).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    marks = [tuple(int(v) for v in stats[k, :4]) for k in range(1, n)]  # x, y, w, h
    if not marks:
        return False
    tall = max(h for _, _, _, h in marks)
    digits = sorted((x, y, w, h) for x, y, w, h in marks if h >= 0.6 * tall)
    if len(digits) < 2:
        return False
    foot = float(np.median([y + h for _, y, _, h in digits]))
    for x, y, w, h in marks:
        if h > _POINT_MAX * tall or w > _POINT_MAX * tall or abs(y + h - foot) > _FOOT * tall:
            continue
        centre = x + w / 2
        for (ax, _, aw, _), (bx, _, _, _) in zip(digits, digits[1:]):
            if ax + aw - 1 <= centre <= bx + 1:  # in the gap between two neighbouring digits
                return True
    return False
