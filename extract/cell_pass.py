"""A second recognition pass on table cells the page pass read badly.

Tesseract's sparse-text pass drops lone words and mangles numbers in cells ("6750%"
for "67,50%"), and a cell it left empty may still hold ink. With the page's image at
hand, each such cell is read again alone (``ocr.ocr_cell``: one line, enlarged, digits
only where the column holds numbers). Only geometry and the shape of numbers are
used here, never what the table means:

- a cell with no word but with ink is read as a line of text;
- a cell of a numeric column (most of its cells are percentages) whose text is not a
  plausible percentage is read with the digit whitelist, and the new reading replaces
  the old only when it is plausible.
"""
from __future__ import annotations

import logging
import re

import numpy as np
from PIL import Image

from .binarize import image_to_ink
from .model import Page, Table, Word

log = logging.getLogger(__name__)

PERCENT = re.compile(r"^\d{1,3}(?:[.,]\d{1,2})?\s*%$")
NUMBERISH = re.compile(r"^[\d%.,\s]+$")  # a cell of digits and marks only: a number, read well or not
MAX_CELLS = 40  # re-read per page at most; more means the page pass failed altogether
MIN_NUMERIC_SHARE = 0.6


def plausible_percent(text: str) -> bool:
    t = text.strip()
    if not PERCENT.match(t):
        return False
    return float(t.rstrip("% ").replace(",", ".")) <= 100


def _numeric_columns(table: Table) -> set[int]:
    texts: dict[int, list[str]] = {}
    for c in table.cells:
        if c.colspan == 1 and c.text.strip():
            texts.setdefault(c.col, []).append(" ".join(c.text.split()))
    return {k for k, ts in texts.items()
            if len(ts) >= 3 and sum(1 for t in ts if any(ch.isdigit() for ch in t)) >= MIN_NUMERIC_SHARE * len(ts)}


def _inside(word: Word, box) -> bool:
    cx, cy = (word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def reread_cells(page: Page, image: Image.Image, *, dpi: int, lang: str = "vie", engine=None) -> Page:
    """The page with badly read table cells read again from ``image`` (same dpi as the page)."""
    from dataclasses import replace

    from .ocr import ocr_cell
    from .tables import page_to_tables

    px = dpi / 72.0
    gray = image.convert("L")
    words = list(page.words)
    done = 0
    for table in page_to_tables(page):
        numeric = _numeric_columns(table)
        for cell in table.cells:
            if done >= MAX_CELLS or cell.rowspan > 1 or cell.colspan > 1:
                continue
            text = " ".join(cell.text.split())
            empty = not text
            implausible = (cell.col in numeric and NUMBERISH.match(text) is not None and any(ch.isdigit() for ch in text)
                           and not plausible_percent(text))
            if not (empty or implausible):
                continue
            x0, top, x1, bottom = cell.bbox
            box = (round((x0 + 1.5) * px), round((top + 1.0) * px), round((x1 - 1.5) * px), round((bottom - 1.0) * px))
            if box[2] - box[0] < 6 or box[3] - box[1] < 6:
                continue
            crop = gray.crop(box)
            if empty and np.count_nonzero(image_to_ink(crop, threshold=128)) < 0.002 * crop.width * crop.height + 20:
                continue
            done += 1
            new, conf = ocr_cell(crop, numeric=implausible, dpi=dpi, lang=lang, engine=engine)
            new = " ".join(new.split())
            if not new or not any(ch.isalnum() for ch in new) or (implausible and not plausible_percent(new)):
                continue
            if empty and cell.col in numeric and any(ch.isdigit() for ch in new) and not plausible_percent(new):
                continue
            # The word's box is the ink, not the cell: tables are rebuilt from word boxes.
            ys, xs = np.nonzero(image_to_ink(crop, threshold=128))
            if len(xs) == 0:
                continue
            ink = ((box[0] + xs.min()) / px, (box[1] + ys.min()) / px, (box[0] + xs.max() + 1) / px,
                   (box[1] + ys.max() + 1) / px)
            words = [w for w in words if not _inside(w, cell.bbox)]
            words.append(Word(new, ink, conf, page.no, "ocr"))
            log.debug("page %d: cell (%d, %d) re-read %r -> %r", page.no, cell.row, cell.col, text, new)
    return replace(page, words=tuple(words)) if done else page
