"""Ink of a borderless table that the page pass read no word in, read alone.

Tesseract's page pass drops short lines standing alone in a narrow column: the tail of
a name wrapped inside a word ("g" under "Xã Thượn"), a last short word ("Ống" under
"Xã Thiết"), a whole line of a name set small. In a table drawn without lines a lost
line costs more than its word: the name's lines on either side of the hole lie as far
apart as two rows do, and ``layout.borderless`` (which tells rows by those gaps) makes
two rows of one. So before a borderless table is kept, the ink inside it that no word
covers is cut into pieces the size of a word and read in one strip; the pieces read as
words with a letter join the page, and its tables are built again.
"""
from __future__ import annotations

import logging

import cv2
import numpy as np

from extract.imaging.binarize import as_gray, image_to_ink
from extract.layout.geometry import box_around
from extract.model import Table, Word
from extract.ocr.crops import SPECKS, prepare_crop, strip_texts
from extract.ocr.engine import OcrEngine

log = logging.getLogger(__name__)

# Pieces read per page at most, a bound on the work: the 6-point names of v0036 of
# make_variants --n 40 --seed 25 --reform all (turned, 200 dpi) leave 3 pieces on each of
# its pages; far more means the page pass failed altogether, which this does not mend.
MAX_PIECES = 40
# A piece is a line's height: between these shares of the table's median word height
# (specks of dust are smaller; a stamp or signature is taller) ...
_MIN_HEIGHT, _MAX_HEIGHT = 0.45, 1.6
# ... and read with at least this confidence (Tesseract's 0-100) to be kept.
_MIN_CONF = 60.0
# How far under the table's last line read (× the word height) its ink is looked at: one
# line more, a lost last line of its last name ("Ống" of "Xã Thiết Ống" in v0036).
_BELOW = 1.3


def unread_words(gray, tables: list[Table], words: tuple[Word, ...], *, page_no: int, dpi: int, lang: str,
                 engine: OcrEngine) -> list[Word]:
    """Words read alone in the ink of the borderless ``tables`` that ``words`` leave
    uncovered (``gray``: the page at ``dpi``, or a ``deskew.Straightened`` view of it)."""
    px = dpi / 72.0
    boxes: list[tuple[int, int, int, int]] = []
    for table in tables:
        if table.ruled or not table.cells:
            continue
        boxes.extend(_pieces(gray, box_around([c.bbox for c in table.cells]), words, px))
    if not boxes or len(boxes) > MAX_PIECES:
        return []  # nothing left unread, or so much that the page pass failed: not mended here
    crops = [prepare_crop(as_gray(gray.crop(_widened(b, gray.size))), dpi) for b in boxes]
    found = []
    for (x0, top, x1, bottom), (text, conf) in zip(boxes, strip_texts(crops, engine, lang)):
        # Letters only: a lost line of a name or a heading. A value the page pass missed is
        # the second reading's (``ocr.cells``), and a speck read as a digit would be a value.
        text = text.strip(SPECKS + " .,:;")
        if conf >= _MIN_CONF and any(ch.isalpha() for ch in text) and not any(ch.isdigit() for ch in text):
            found.append(Word(text, (x0 / px, top / px, x1 / px, bottom / px), conf, page_no, "ocr"))
    log.debug("%d words read in %d pieces of unread ink", len(found), len(boxes))
    return found


def _pieces(gray, box, words: tuple[Word, ...], px: float) -> list[tuple[int, int, int, int]]:
    """Boxes (pixels of the page) of the runs of ink in ``box`` (points) that no word covers."""
    def over(b) -> list[Word]:
        return [w for w in words if w.bbox[0] < b[2] and w.bbox[2] > b[0] and w.bbox[1] < b[3] and w.bbox[3] > b[1]]

    if not over(box):
        return []
    height = float(np.median([w.bbox[3] - w.bbox[1] for w in over(box)])) * px
    box = (box[0], box[1], box[2], box[3] + _BELOW * height / px)
    inside = over(box)
    left, top = max(0, round(box[0] * px)), max(0, round(box[1] * px))
    right, bottom = min(gray.size[0], round(box[2] * px)), min(gray.size[1], round(box[3] * px))
    if right - left < 4 or bottom - top < 4:
        return []
    ink = image_to_ink(as_gray(gray.crop((left, top, right, bottom))), threshold=128).astype(np.uint8)
    m = max(1, round(0.15 * height))  # a word's box is its ink; accents and serifs reach a little past it
    for w in inside:
        x0, y0 = round(w.bbox[0] * px) - left - m, round(w.bbox[1] * px) - top - m
        x1, y1 = round(w.bbox[2] * px) - left + m, round(w.bbox[3] * px) - top + m
        ink[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = 0
    # Letters of a word and their accents joined: closer than a third of a line across,
    # a quarter of one up and down; the space between words (half a line) stays open.
    kernel = np.ones((max(1, round(0.25 * height)), max(1, round(0.3 * height))), np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(ink, kernel), connectivity=8)
    out = []
    for k in range(1, n):
        bx, by, bw, bh = (int(v) for v in stats[k, :4])  # the dilated piece's box: only its pixels looked at
        if bh < _MIN_HEIGHT * height or bw < 0.2 * height:
            continue  # a speck (a dusty page has thousands)
        ys, xs = np.nonzero((labels[by:by + bh, bx:bx + bw] == k) & (ink[by:by + bh, bx:bx + bw] > 0))
        if len(xs) == 0:
            continue
        ys, xs = ys + by, xs + bx
        h, w = ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
        if _MIN_HEIGHT * height <= h <= _MAX_HEIGHT * height and w >= 0.2 * height:
            out.append((left + int(xs.min()), top + int(ys.min()), left + int(xs.max()) + 1, top + int(ys.max()) + 1))
    return sorted(out, key=lambda b: (b[1], b[0]))


def _widened(box: tuple[int, int, int, int], size: tuple[int, int]) -> tuple[int, int, int, int]:
    # A pixel of paper around the ink: the neighbours' lines, a point or two away, stay out.
    return max(0, box[0] - 1), max(0, box[1] - 1), min(size[0], box[2] + 1), min(size[1], box[3] + 1)
