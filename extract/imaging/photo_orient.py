"""Which way up a rectified photo's page is (issue 12), told by reading a piece of it each way.

A phone held sideways gives a page whose lines run down the picture. Tesseract's
orientation detection (OSD) guesses badly on a photo's page ruled into a table (a sideways
grid of ``make_variants --n 30 --seed 5 --kinds photo``, v0003, measured "upright" at 0.9),
and the cheap test of blank columns (``preprocess.looks_sideways``) sees none between a
grid's rulings; the character boxes' own direction (smeared along each axis) told upright
from sideways on too few of those photos' pages. Read, the right way up gives a turned page a
median word confidence of 95-96, the wrong ways 72 at most. So a piece of the page where its
letters (dark marks of the characters' height) are densest, its rulings painted out, is read
as it is and, unless that reads well, turned each other way; the best reading wins.
"""
from __future__ import annotations

import logging

import cv2
import numpy as np
from PIL import Image

log = logging.getLogger(__name__)

# The piece read: the square where the page's letters are densest, this many of their heights
# a side (a sparse page's few words are all in it; a dense page's, a second of Tesseract).
PIECE = 50
# A piece read as it is with this median confidence is upright. On the 46 pages of the 30
# photos of make_variants --n 30 --seed 5 --kinds photo, upright sheets read as they are at
# 85-96 (four, small or blurred, at 27-79); the pages turned, at 15-61 as they are.
CONFIDENT = 85.0
MARGIN = 10.0  # a turn must read this much better than the page as it is to be taken
# ... and this well itself. On those pages the turn that sets a page right read at 95-96 on
# every one of the 24 turned, a wrong turn at 72 at most (beaten by the right one); no turn
# of an upright page read over 51. A page no turn reads well is left as it is, to the
# reading's own check (``tasks.read_poorly``).
READS = 60.0
INK = 0.6  # of the paper's level (its 90th percentile): darker is print, for finding the piece
MIN_WORDS = 10  # a reading of fewer words counts for its share of them (a blank piece reads nothing)


def _piece(gray: np.ndarray) -> np.ndarray:
    """The square of ``gray`` ``PIECE`` characters a side where its letters are densest, its
    rulings painted out (read, a ruling is a letter "l" or "|" and lowers the confidence of
    whichever way the page is turned)."""
    from extract.imaging.photo_text import text_height

    size = text_height(gray)
    # Letters: dark marks of about the characters' height. Otsu's threshold takes the grain of
    # a paper as well (make_variants --n 30 --seed 5 --kinds photo v0019: its table in a corner
    # of a grainy page, where the marks' middle fell on blank paper); print is darker.
    ink = (gray < INK * np.percentile(gray, 90)).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    boxes = stats[1:, :4]
    boxes = boxes[(boxes[:, 3] >= 0.5 * size) & (boxes[:, 3] <= 2 * size)] if size else boxes
    if len(boxes) == 0:
        return gray
    size = size or float(np.median(boxes[:, 3]))
    half = int(PIECE * size / 2)
    cx, cy = _densest(boxes, gray.shape, cell=int(4 * size))
    piece = gray[max(0, cy - half):cy + half + 1, max(0, cx - half):cx + half + 1]
    return _without_rulings(piece, int(3 * size))


def _densest(boxes: np.ndarray, shape: tuple[int, ...], *, cell: int) -> tuple[int, int]:
    """The centre (x, y) of the square of ``PIECE`` / 4 cells of ``cell`` px holding the most
    of ``boxes``: where the text is, not where the marks' middle falls (a table in a corner)."""
    h, w = shape[:2]
    cell = max(cell, 1)
    counts = np.zeros((h // cell + 1, w // cell + 1), np.float32)
    np.add.at(counts, ((boxes[:, 1] + boxes[:, 3] // 2) // cell, (boxes[:, 0] + boxes[:, 2] // 2) // cell), 1.0)
    k = max(1, PIECE // 4)
    row, col = np.unravel_index(int(np.argmax(cv2.blur(counts, (k, k)))), counts.shape)
    return int((col + 0.5) * cell), int((row + 0.5) * cell)


def _without_rulings(gray: np.ndarray, length: int) -> np.ndarray:
    """``gray`` with its dark lines longer than ``length`` px, either way, painted white."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    lines = np.zeros_like(ink)
    for kernel in (np.ones((1, max(length, 3)), np.uint8), np.ones((max(length, 3), 1), np.uint8)):
        lines |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    out = gray.copy()
    out[cv2.dilate(lines, np.ones((3, 3), np.uint8)) > 0] = 255
    return out


def _confidence(words) -> float:
    """The median confidence of the words with a letter or digit, discounted when they are few."""
    confs = sorted(w.conf for w in words if any(c.isalnum() for c in w.text))
    if not confs:
        return 0.0
    return float(confs[len(confs) // 2]) * min(1.0, len(confs) / MIN_WORDS)


def upright_turn(page: Image.Image, *, lang: str = "vie", engine=None) -> int:
    """Degrees (0, 90, 180, 270) to turn ``page``, a rectified photo's page, counter-clockwise
    to set it upright: the turn of a piece of it that reads best, 0 unless clearly better."""
    from extract.ocr.engine import PAGE_PSM, TesseractEngine

    engine = engine or TesseractEngine()
    piece = Image.fromarray(_piece(np.asarray(page.convert("L"))))

    def score(turn: int) -> float:
        turned = piece.rotate(turn, expand=True, fillcolor=255) if turn else piece
        return _confidence(engine.image_to_words(turned, lang=lang, psm=PAGE_PSM))

    scores = {0: score(0)}
    if scores[0] < CONFIDENT:
        scores.update((turn, score(turn)) for turn in (90, 270, 180))
    best = max(scores, key=scores.get)
    log.debug("photo: a piece read %s", ", ".join(f"{t}°: {s:.0f}" for t, s in scores.items()))
    return best if scores[best] >= max(scores[0] + MARGIN, READS) else 0
