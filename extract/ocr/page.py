"""One page image → its words and rulings (``model.Page``), in points.

Page OCR finds the ruling lines first and paints them out of the image, since
Tesseract reads table borders as "|" and lets text run across cells; the rulings
still travel with the page for the table builder. Sparse-text mode (psm 11) reads
table cells best but drops a cell holding a lone character (a row number "6", "I"),
so every ruled cell that has ink and no word is read again, as a single line.
"""
from __future__ import annotations

import logging

import numpy as np
from PIL import Image

from extract.imaging.binarize import image_to_ink, whiten_paper
from extract.imaging.rulings import image_to_rulings, remove_rulings
from extract.layout.ruled import Grid, rulings_to_grids
from extract.model import BBox, Page, Ruling, Word
from extract.ocr.crops import clear_cell_borders, prepare_crop, strip_texts
from extract.ocr.engine import PAGE_PSM, OcrEngine, OcrWord, TesseractEngine

log = logging.getLogger(__name__)

LONE_CELLS = 80  # empty cells with ink read per page at most; more means the page pass failed


def ocr_page(image: Image.Image, *, page_no: int, dpi: int, lang: str = "vie", psm: int = PAGE_PSM,
             remove_lines: bool = True, reread_cells: bool = True, engine: OcrEngine | None = None) -> Page:
    """Words and rulings of one (deskewed) page image, in points; with ``reread_cells``,
    the ruled cells with ink and no word read again (``lone_cell_words``)."""
    return read_page(image, page_no=page_no, dpi=dpi, lang=lang, psm=psm, remove_lines=remove_lines,
                     reread_cells=reread_cells, engine=engine)[0]


def read_page(image: Image.Image, *, page_no: int, dpi: int, lang: str = "vie", psm: int = PAGE_PSM,
              remove_lines: bool = True, reread_cells: bool = True,
              engine: OcrEngine | None = None) -> tuple[Page, list[Grid]]:
    """``ocr_page``, and the grids of its ruled tables, drawn once from its lines."""
    engine = engine or TesseractEngine()
    gray, rulings = page_for_engine(image, dpi=dpi, remove_lines=remove_lines)
    found = engine.image_to_words(gray, lang=lang, psm=psm)
    grids = rulings_to_grids(rulings)
    if reread_cells:
        found = found + lone_cell_words(gray, grid_boxes(grids), found, dpi=dpi, lang=lang, engine=engine)
    return words_to_page(found, gray.size, rulings, page_no=page_no, dpi=dpi), grids


def page_for_engine(
    image: Image.Image, *, dpi: int, remove_lines: bool = True, skew=None
) -> tuple[Image.Image, tuple[Ruling, ...]]:
    """What the engine reads of a page: whitened paper, ruling lines painted out; and the rulings.

    With ``skew`` (``deskew.Skew``) the page is left as it is, since Tesseract follows
    slanted lines of text itself and resampling costs time and detail; only the
    rulings are found on a quick straightened copy, in the straight page's coordinates."""
    gray = whiten_paper(image)
    if skew is None:
        rulings = image_to_rulings(gray, dpi=dpi)
    else:
        rulings = image_to_rulings(skew.straighten(gray, resample=Image.NEAREST), dpi=dpi)
    if remove_lines and rulings:
        gray = remove_rulings(gray, rulings, dpi, skew=skew)
    return gray, rulings


def words_to_page(found: list[OcrWord], size: tuple[int, int], rulings: tuple[Ruling, ...], *,
                  page_no: int, dpi: int) -> Page:
    """The page of the words the engine read on an image of ``size`` pixels."""
    scale = 72.0 / dpi
    words = tuple(
        Word(w.text, (w.x0 * scale, w.top * scale, w.x1 * scale, w.bottom * scale), w.conf, page_no, "ocr")
        for w in found
    )
    log.debug("page %d: %d OCR words, %d rulings", page_no, len(words), len(rulings))
    return Page(no=page_no, size=(size[0] * scale, size[1] * scale), words=words, rulings=rulings, source="ocr",
                image_dpi=dpi)


def grid_boxes(grids: list[Grid]) -> list[BBox]:
    """The boxes (points) of every cell of ``grids``, table by table, row by row."""
    return [box for grid in grids for *_, box in grid.cells]


def lone_cell_words(gray: Image.Image, boxes: list[BBox], words: list[OcrWord], *, dpi: int, lang: str = "vie",
                    engine: OcrEngine | None = None, limit: int = LONE_CELLS) -> list[OcrWord]:
    """Words read one cell at a time in the cells ``boxes`` (points) that have ink but no
    word yet (pixels).

    Only crops of ``gray`` are taken, so it may be a ``deskew.Straightened`` view."""
    px = dpi / 72.0
    heights = sorted(w.bottom - w.top for w in words)
    min_height = 0.35 * heights[len(heights) // 2] if heights else 4 * px
    centres = [((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2) for w in words]
    width, height = gray.size
    found_boxes, crops = [], []
    for x0, top, x1, bottom in boxes:
        # Stay clear of the border lines, which removal may have left a trace of.
        l, t, r, b = (round((x0 + 1.5) * px), round((top + 1.5) * px), round((x1 - 1.5) * px), round((bottom - 1.5) * px))
        l, t, r, b = max(l, 0), max(t, 0), min(r, width), min(b, height)
        if r - l < 4 or b - t < 4 or any(l <= cx <= r and t <= cy <= b for cx, cy in centres):
            continue
        ink = image_to_ink(gray.crop((l, t, r, b)), threshold=128)
        rows = np.nonzero(ink.any(axis=1))[0]
        cols = np.nonzero(ink.any(axis=0))[0]
        if len(rows) == 0 or rows[-1] - rows[0] + 1 < min_height:
            continue
        margin = round(2 * px)
        cx0, cy0 = l + int(cols[0]) - margin, t + int(rows[0]) - margin
        cleaned = clear_cell_borders(gray.crop((cx0, cy0, l + cols[-1] + 1 + margin, t + rows[-1] + 1 + margin)))
        if cleaned is None:
            continue
        # The word's box is its ink once specks are gone, not the cell's.
        ys, xs = np.nonzero(np.asarray(cleaned) < 128)
        found_boxes.append((cx0 + int(xs.min()), cy0 + int(ys.min()), cx0 + int(xs.max()) + 1, cy0 + int(ys.max()) + 1))
        crops.append(prepare_crop(cleaned, dpi))
        if len(crops) >= limit:
            log.debug("more than %d empty cells with ink; the rest are left empty", limit)
            break
    found = []
    for (gx0, gtop, gx1, gbottom), (text, conf) in zip(found_boxes, strip_texts(crops, engine or TesseractEngine(), lang)):
        if text and conf >= 50 and any(ch.isalnum() for ch in text):
            found.append(OcrWord(text, conf, gx0, gtop, gx1, gbottom))
    log.debug("%d lone words re-read in %d empty cells", len(found), len(crops))
    return found
