"""OCR behind a small engine interface, with Tesseract as the engine we ship.

Every engine returns the same word schema (``OcrWord``: text, confidence 0-100 and a
pixel box), as img2table does, so nothing downstream knows which engine ran. Page
OCR finds the ruling lines first and paints them out of the image, since Tesseract
reads table borders as "|" and lets text run across cells; the rulings still travel
with the page for the table builder.
"""
from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from PIL import Image, ImageOps

from extract.binarize import image_to_ink, whiten_paper
from extract.image_rulings import image_to_rulings, remove_rulings
from extract.model import Page, Word

log = logging.getLogger(__name__)

PAGE_PSM = 11  # sparse text: best on slides with big ruled tables (see tests/README)
CELL_PSM = 7  # one line of text
NUMERIC_CHARS = "0123456789%,. "
CELL_TEXT_PX = 30  # glyph height (with accents) that cell crops are enlarged to


class OcrUnavailable(RuntimeError):
    """The OCR engine or its language data is not installed."""

    exit_code = 3


@dataclass(frozen=True)
class OcrWord:
    """One recognised word, in pixels of the image it was read from."""

    text: str
    conf: float  # 0-100
    x0: int
    top: int
    x1: int
    bottom: int
    line: int = 0  # engine's line number within the page, for reading order


class OcrEngine(Protocol):
    name: str

    def image_to_words(self, image: Image.Image, *, lang: str, psm: int, config: str = "") -> list[OcrWord]:
        ...


class TesseractEngine:
    """Tesseract through pytesseract, one single-threaded process per call."""

    name = "tesseract"

    def image_to_words(self, image: Image.Image, *, lang: str, psm: int, config: str = "") -> list[OcrWord]:
        import pytesseract

        # Tesseract's OpenMP threads fight our own page workers for the cores.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        data = pytesseract.image_to_data(
            image, lang=lang, config=f"--psm {psm} {config}".strip(), output_type=pytesseract.Output.DICT
        )
        return data_to_words(data)


def data_to_words(data: dict) -> list[OcrWord]:
    """Tesseract's TSV table (as a dict of columns) to words; empty and conf -1 rows dropped."""
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        x0, top = int(data["left"][i]), int(data["top"][i])
        line = (int(data["block_num"][i]) * 1000 + int(data["par_num"][i])) * 1000 + int(data["line_num"][i])
        words.append(OcrWord(text, conf, x0, top, x0 + int(data["width"][i]), top + int(data["height"][i]), line))
    return words


def tesseract_available(lang: str = "vie") -> None:
    """Raise ``OcrUnavailable`` unless the tesseract binary and every language in ``lang`` are there."""
    import pytesseract

    hint = "install the Debian packages tesseract-ocr and tesseract-ocr-vie (apt-get install tesseract-ocr tesseract-ocr-vie)"
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise OcrUnavailable(f"the tesseract program was not found: {hint}")
    try:
        installed = set(pytesseract.get_languages(config=""))
    except Exception as exc:  # a broken install fails in many ways; all mean the same to the user
        raise OcrUnavailable(f"tesseract does not run ({exc}): {hint}") from exc
    missing = [code for code in lang.split("+") if code not in installed]
    if missing:
        raise OcrUnavailable(f"tesseract has no language data for {', '.join(missing)}: {hint}")


def ocr_page(
    image: Image.Image,
    *,
    page_no: int,
    dpi: int,
    lang: str = "vie",
    psm: int = PAGE_PSM,
    remove_lines: bool = True,
    engine: OcrEngine | None = None,
) -> Page:
    """Words and rulings of one (deskewed) page image, in points.

    The paper is whitened and the rulings painted out before recognition; the
    rulings found are returned with the page. Sparse-text mode (psm 11) reads table
    cells best but drops a cell holding a lone character (a row number): re-read
    empty cells with ``ocr_cell``.
    """
    engine = engine or TesseractEngine()
    gray = whiten_paper(image)
    rulings = image_to_rulings(gray, dpi=dpi)
    if remove_lines and rulings:
        gray = remove_rulings(gray, rulings, dpi)
    scale = 72.0 / dpi
    words = tuple(
        Word(w.text, (w.x0 * scale, w.top * scale, w.x1 * scale, w.bottom * scale), w.conf, page_no, "ocr")
        for w in engine.image_to_words(gray, lang=lang, psm=psm)
    )
    log.debug("page %d: %d OCR words, %d rulings", page_no, len(words), len(rulings))
    return Page(
        no=page_no,
        size=(image.width * scale, image.height * scale),
        words=words,
        rulings=rulings,
        source="ocr",
        image_dpi=dpi,
    )


def ocr_cell(
    image_crop: Image.Image,
    *,
    numeric: bool,
    dpi: int,
    lang: str = "vie",
    engine: OcrEngine | None = None,
) -> tuple[str, float]:
    """Text of one table cell read as a single line, and its lowest word confidence.

    The crop is enlarged (small scans give Tesseract too few pixels per stroke) and
    framed in white; numeric cells may only contain digits, "%", "," , "." and spaces.
    Returns ("", 0.0) when nothing is read.
    """
    engine = engine or TesseractEngine()
    crop = _clear_cell_borders(image_crop.convert("L"))
    if crop is None:
        return "", 0.0
    crop = _prepare_cell(crop, dpi)
    config = f'-c "tessedit_char_whitelist={NUMERIC_CHARS}"' if numeric else ""
    words = engine.image_to_words(crop, lang=lang, psm=CELL_PSM, config=config)
    if not words:
        return "", 0.0
    return " ".join(w.text for w in words), min(w.conf for w in words)


def _clear_cell_borders(gray: Image.Image) -> Image.Image | None:
    """The crop on white paper with the cell's own border lines removed, or None if blank.

    Crops cut at ruling positions keep a sliver of the lines, which Tesseract reads
    as "|" or lets swallow a lone digit, and scanned paper is a noisy gray that makes
    a visible frame once the crop is padded with white. So the paper is stretched to
    white, and rows and columns near the edge that are mostly ink are cleared (with
    their neighbours, where a blurred line spreads), leaving the text itself alone.
    """
    a = np.asarray(gray, dtype=np.float32)
    if a.size == 0:
        return None
    paper, ink_level = np.percentile(a, 80), np.percentile(a, 0.5)
    if paper - ink_level < 40:
        return None
    a = np.clip((a - ink_level) * (255.0 / (paper - ink_level)), 0, 255)
    a[a > 215] = 255
    h, w = a.shape
    marked = a < 215
    my, mx = max(3, h // 8), max(3, w // 8)
    for axis, margin, size in ((1, my, h), (0, mx, w)):
        lines = np.nonzero(marked.mean(axis=axis) > 0.5)[0]
        for i in lines[(lines < margin) | (lines >= size - margin)]:
            lo, hi = max(0, i - 1), min(size, i + 2)
            if axis == 1:
                a[lo:hi, :] = 255
            else:
                a[:, lo:hi] = 255
    if np.count_nonzero(a < 128) < 4:
        return None
    return Image.fromarray(a.astype(np.uint8))


def _prepare_cell(gray: Image.Image, dpi: int) -> Image.Image:
    """Scale the crop so its text is about CELL_TEXT_PX tall, and frame it in white.

    Tesseract's line recogniser reads best at a glyph height of a few dozen pixels:
    enlarging text already that tall makes it worse, not better.
    """
    ink_rows = np.nonzero(image_to_ink(gray, threshold=160).any(axis=1))[0]
    height = ink_rows[-1] - ink_rows[0] + 1 if len(ink_rows) else gray.height
    factor = min(4.0, CELL_TEXT_PX / max(height, 1))
    if factor > 1.25:
        gray = gray.resize((round(gray.width * factor), round(gray.height * factor)), Image.LANCZOS)
    border = max(10, round(0.25 * gray.height))
    return ImageOps.expand(gray, border=border, fill=255)
