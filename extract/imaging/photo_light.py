"""The light on a rectified photo's page made even, hard shadows included (issue 12).

``preprocess.flatten_illumination`` takes the paper's brightness as the brightest pixel of
tiles about a tenth of an inch wide, smoothed: right for a scanner's slow fall of light, but
the sharp edge of a shadow cast across a photographed sheet (a hand, a phone, a lamp's arm)
falls inside a tile, whose brightest side is taken for both, and the shadowed side comes out
a gray band over the characters (the 3 pages of ``make_variants --n 30 --seed 5 --kinds
photo`` v0013/v0014 crossed by one read 0 of their 320 cells). Here the paper is found by a
morphological closing (OpenCV), a maximum then a minimum over a square wider than any stroke:
the characters and rulings are filled with the paper about them, and a step of the light,
which no square fills, is kept where it is, so dividing by it leaves white paper both sides.
"""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

# The square closed over, in characters' heights: wider than a stroke of the bold headings
# (about a sixth of a character) so no print is taken for paper, and not much wider, since
# the paper is found within it. ``photo.TARGET_HEIGHT`` sets the rectified pages' characters
# near 32 px (19 px squares). The one value tried, on the 30 photos of make_variants --n 30
# --seed 5 --kinds photo: the bands left over v0014's and v0021's characters are gone, and
# the cells read right went from 1,875 to 2,202 of 3,249 with the turn of photo_orient.
CLOSE = 0.6
REDUCE = 2  # the paper is found on a copy this many times smaller (it is smooth): 4× less work
DARK_PAGE = 100  # a page whose median is darker than this is no paper (a slide's dark theme)


def even_light(gray: Image.Image, *, text_height: float | None = None) -> Image.Image:
    """``gray`` divided by its paper's brightness, the paper found by closing a square of
    ``CLOSE`` × the characters' height (px of ``gray``; measured when not given)."""
    from extract.imaging.photo import TARGET_HEIGHT
    from extract.imaging.photo_text import text_height as measured

    a = np.asarray(gray.convert("L"))
    if a.size == 0 or np.median(a) < DARK_PAGE:
        return gray
    text_height = text_height or measured(a) or TARGET_HEIGHT
    small = cv2.resize(a, (max(1, a.shape[1] // REDUCE), max(1, a.shape[0] // REDUCE)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), 1.0)  # the sensor's noise, which a maximum would take
    k = max(3, int(round(CLOSE * text_height / REDUCE)) | 1)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.resize(paper, (a.shape[1], a.shape[0]), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    out = np.clip(a.astype(np.float32) / np.maximum(paper, 1.0) * 255.0, 0, 255).astype(np.uint8)
    image = Image.fromarray(out, mode="L")
    image.info.update(gray.info)
    return image
