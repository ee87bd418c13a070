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
from dataclasses import replace

import numpy as np
from PIL import Image

from extract.imaging.binarize import as_gray, image_to_ink
from extract.imaging.deskew import Straightened
from extract.model import Page, Table, Word

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
    # A column of percentages: a column of bare row numbers ("6", "7" …) is numeric too,
    # but none of its cells is a percentage to doubt, and re-reading each costs a call.
    return {k for k, ts in texts.items()
            if len(ts) >= 3 and sum(1 for t in ts if any(ch.isdigit() for ch in t) and "%" in t) >= MIN_NUMERIC_SHARE * len(ts)}


def _inside(word: Word, box) -> bool:
    cx, cy = (word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def reread_cells(page: Page, image, *, dpi: int, lang: str = "vie", engine=None) -> Page:
    """The page with badly read table cells read again from ``image`` (same dpi as the page).

    ``image`` may be a function that makes the image: it is called only if a cell is cut."""
    from extract.ocr.engine import ocr_cell
    from extract.layout.ruled import page_to_tables

    px = dpi / 72.0
    gray = _Deferred(image)
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
            crop = gray.get().crop(box)
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
    words, checked = verify_numbers(page, words, gray, dpi=dpi, lang=lang, engine=engine)
    return replace(page, words=tuple(words)) if done or checked else page


def verify_numbers(page: Page, words: list[Word], gray, *, dpi: int, lang: str, engine=None):
    """Read every single-word percentage of a numeric column again, all in one engine call
    on a strip of crops (digits only); where the two readings disagree the word keeps its
    text but loses its confidence, so a human looks ("72%" read "12%" once, "72%" the
    second time). Returns the words and how many disagreed."""
    from extract.ocr.engine import NUMERIC_CHARS, TesseractEngine, _prepare_cell
    from extract.layout.ruled import page_to_tables

    engine = engine or TesseractEngine()
    gray = gray if isinstance(gray, _Deferred) else _Deferred(gray)
    px = dpi / 72.0
    targets: list[Word] = []
    for table in page_to_tables(replace(page, words=tuple(words))):
        numeric = _numeric_columns(table)
        for cell in table.cells:
            inside = [w for w in words if _inside(w, cell.bbox)]
            if cell.col in numeric and len(inside) == 1 and plausible_percent(inside[0].text):
                targets.append(inside[0])
    if not targets:
        return words, 0
    crops = []
    for w in targets:
        m = 1.5
        box = (round((w.bbox[0] - m) * px), round((w.bbox[1] - m) * px), round((w.bbox[2] + m) * px),
               round((w.bbox[3] + m) * px))
        crops.append(_prepare_cell(gray.get().crop(box), dpi))
    gap = 24
    strip = Image.new("L", (max(c.width for c in crops), sum(c.height + gap for c in crops)), 255)
    spans, y = [], 0
    for c in crops:
        strip.paste(c, (0, y))
        spans.append((y, y + c.height))
        y += c.height + gap
    read = [[] for _ in crops]
    config = f'-c "tessedit_char_whitelist={NUMERIC_CHARS}"'
    for ow in engine.image_to_words(strip, lang=_second_model(lang), psm=6, config=config):
        centre = (ow.top + ow.bottom) / 2
        for i, (a, b) in enumerate(spans):
            if a <= centre < b:
                read[i].append(ow)
                break
    disagree = 0
    out = list(words)
    index = {id(w): k for k, w in enumerate(out)}
    for w, found in zip(targets, read):
        second = "".join(x.text for x in sorted(found, key=lambda x: x.x0)).strip(".,")
        if not second or _number(second) == _number(w.text):
            continue
        disagree += 1
        out[index[id(w)]] = replace(w, conf=min(w.conf, 40.0))
        log.debug("page %d: %r read again as %r: flagged", page.no, w.text, second)
    return out, disagree


class _Deferred:
    """An image (or a ``deskew.Straightened`` view), or the function that makes it, made
    at most once and only when asked for; only its crops are used."""

    def __init__(self, image) -> None:
        self._image = image

    def get(self) -> Image.Image | Straightened:
        if callable(self._image):
            self._image = self._image()
        if isinstance(self._image, Image.Image):
            self._image = as_gray(self._image)
        elif not isinstance(self._image, Straightened):
            raise TypeError(f"not an image: {self._image!r}")
        return self._image


def _number(text: str) -> str:
    return text.replace(" ", "").rstrip("%").replace(".", ",")


def _second_model(lang: str) -> str:
    """Another model for the second reading, when one is installed: the same model
    repeats its own mistakes ("72%" read "12%" twice by `vie`), another one rarely."""
    from extract.ocr.engine import installed_languages

    langs = installed_languages()
    return "eng" if lang != "eng" and "eng" in langs else lang
