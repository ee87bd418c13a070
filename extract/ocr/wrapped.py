"""Text cells the page pass read short of their ink: a name wrapped onto more lines than were read.

A district's narrow column of communes wraps "Xã / Hoằng / Châu" onto three lines, and
Tesseract's sparse-text pass may drop the last line or read the last two as one tall
word ("Hoàng" over "Hoằng" and "Châu"): a name the gazetteer cannot resolve, and the
row's values lost with it (v0023 of make_variants --n 40 --seed 52000 --kinds
scan,lowres: 3 of its 7 communes). A cell with a line's height of ink no word covers,
or with a word as tall as two lines, is read again whole, as a block of lines; the new
reading replaces the cell's words when it has more letters and reads as much Vietnamese.
"""
from __future__ import annotations

import logging

import numpy as np

from extract.documents.legacy import syllable_share
from extract.imaging.binarize import image_to_ink
from extract.layout.geometry import box_around, centre_inside
from extract.model import Cell, Page, Table, Word
from extract.ocr.crops import SPECKS, clear_cell_borders, prepare_crop, read_strip
from extract.ocr.engine import OcrEngine

log = logging.getLogger(__name__)

MAX_WRAPPED = 24  # cells read again per page at most
# Ink no word covers, in lines (the median height of the words of the table's text cells):
# a line left unread. A word this many lines tall holds two: in v0023 of seed 52000, the
# words of the column of communes are 0.75-1.05 lines tall, its two-line words 1.8.
UNREAD_LINE = 0.6
TWO_LINES = 1.6
# A name wraps, a label does not need to: the gazetteer's unit names are 3 or 4 words with
# their type word ("Thị trấn Yên Cát"), a deck's header adds its district and brackets.
# A cell read as more words is a label (an indicator's, 7-14 words in the seeds' decks):
# it is not cut out and looked at. On the deck sample's 14 scanned pages, 7 of the 9
# cells read again were such labels, and every one of those readings was rejected.
MAX_WORDS = 6


def reread_wrapped(page: Page, tables: list[Table], words: list[Word], gray, *, dpi: int, lang: str,
                   engine: OcrEngine) -> tuple[list[Word], int]:
    """The words with each text cell read short of its ink read again whole (one engine call
    for all, on a strip); how many cells changed. ``gray``: an object whose ``get()`` gives
    the page image the cells are cut from (``crops.Deferred``)."""
    px = dpi / 72.0
    picked = []
    for table in tables:
        cells = [(cell, [w for w in words if centre_inside(w.bbox, cell.bbox)]) for cell in table.cells]
        cells = [(cell, inside) for cell, inside in cells if _text_cell(cell, inside)]
        heights = sorted(w.bbox[3] - w.bbox[1] for _, inside in cells for w in inside)
        line = heights[len(heights) // 2] * px if heights else 0.0
        for cell, inside in cells:
            if len(picked) >= MAX_WRAPPED:
                break
            if len(inside) > MAX_WORDS:
                continue
            box = _inside(cell.bbox, px)
            if box[2] - box[0] < 6 or box[3] - box[1] < 6:
                continue
            crop = clear_cell_borders(gray.get().crop(box))
            if crop is not None and _read_short(crop, box, inside, px, line):
                picked.append((cell, inside, crop))
    if not picked:
        return words, 0
    done = 0
    for (cell, inside, _), found in zip(picked, read_strip([prepare_crop(c, dpi) for *_, c in picked], engine,
                                                             lang, gap=24)):
        new = " ".join(w.text for w in sorted(found, key=lambda w: (w.line, w.x0))).strip(SPECKS + " ")
        old = " ".join(w.text for w in sorted(inside, key=lambda w: (w.bbox[1], w.bbox[0])))
        if not _fuller(old, new):
            log.debug("page %d: cell (%d, %d) read short, read again %r: kept %r", page.no, cell.row, cell.col,
                      new, old)
            continue
        conf = min((w.conf for w in found), default=0.0)
        words = [w for w in words if not centre_inside(w.bbox, cell.bbox)]
        words.append(Word(new, box_around([w.bbox for w in inside]), conf, page.no, "ocr"))
        done += 1
        log.debug("page %d: cell (%d, %d) read short, read again %r -> %r", page.no, cell.row, cell.col, old, new)
    return words, done


def _text_cell(cell: Cell, inside: list[Word]) -> bool:
    """A cell of one row and column holding letters and no figure: a name, a label."""
    text = " ".join(w.text for w in inside)
    return (cell.rowspan == 1 and cell.colspan == 1 and any(ch.isalpha() for ch in text)
            and not any(ch.isdigit() for ch in text))


def _inside(bbox, px: float) -> tuple[int, int, int, int]:
    x0, top, x1, bottom = bbox
    return round((x0 + 1.5) * px), round((top + 1.0) * px), round((x1 - 1.5) * px), round((bottom - 1.0) * px)


def _read_short(crop, box: tuple[int, int, int, int], inside: list[Word], px: float, line: float) -> bool:
    """Whether the cell's ink (``crop``, cut at ``box``, pixels) holds a line no word covers,
    or a word covers two lines."""
    if any((w.bbox[3] - w.bbox[1]) * px >= TWO_LINES * line for w in inside):
        return True
    inked = np.nonzero(image_to_ink(crop, threshold=128).any(axis=1))[0]
    if not len(inked):
        return False
    covered = np.zeros(crop.height, dtype=bool)
    for w in inside:
        top, bottom = round(w.bbox[1] * px) - box[1], round(w.bbox[3] * px) - box[1]
        covered[max(0, top - 1):max(0, bottom + 2)] = True
    bare = inked[~covered[inked]]
    if not len(bare):
        return False
    # the longest run of rows of ink no word covers
    runs = np.split(bare, np.nonzero(np.diff(bare) > 1)[0] + 1)
    return max(len(r) for r in runs) >= UNREAD_LINE * line


def _fuller(old: str, new: str) -> bool:
    """Whether ``new`` reads more of the cell than ``old``: more letters, no figure, and no
    fewer of its letter runs Vietnamese syllables."""
    n, m = sum(ch.isalpha() for ch in old), sum(ch.isalpha() for ch in new)
    if m <= n or m > 3 * n + 6 or any(ch.isdigit() for ch in new):
        return False
    (s_old, r_old), (s_new, r_new) = syllable_share(old), syllable_share(new)
    return (s_new / r_new if r_new else 0.0) >= (s_old / r_old if r_old else 1.0)
