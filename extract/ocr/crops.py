"""Table cells read on their own: a crop of the page cleaned of its border lines and
specks, enlarged to the glyph height Tesseract reads best, and read as one line; or
many crops stacked in one strip and read in one engine call."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageOps

from extract.imaging.binarize import as_gray, image_to_ink
from extract.imaging.deskew import Straightened
from extract.ocr.engine import CELL_PSM, NUMERIC_CHARS, STRIP_PSM, OcrEngine, OcrWord, TesseractEngine

CELL_TEXT_PX = 30  # glyph height (with accents) that cell crops are enlarged to
SPECKS = "¡!|'\"`‘’"  # what the specks and rule ends at a crop's edges are read as


def read_strip(crops: list[Image.Image], engine: OcrEngine, lang: str, *, gap: int, config: str = "") -> list[list[OcrWord]]:
    """The words of each crop, read in one engine call on a strip of them all, ``gap``
    white pixels apart.

    One Tesseract process per cell costs a tenth of a second each; one strip of
    crops stacked with white between them costs little more than one.
    """
    if not crops:
        return []
    strip = Image.new("L", (max(c.width for c in crops), sum(c.height for c in crops) + gap * len(crops)), 255)
    spans, y = [], 0
    for crop in crops:
        strip.paste(crop, (0, y))
        spans.append((y, y + crop.height))
        y += crop.height + gap
    read: list[list[OcrWord]] = [[] for _ in crops]
    for w in engine.image_to_words(strip, lang=lang, psm=STRIP_PSM, config=config):
        centre = (w.top + w.bottom) / 2
        for i, (top, bottom) in enumerate(spans):
            if top <= centre < bottom:
                read[i].append(w)
                break
    return read


def strip_texts(crops: list[Image.Image], engine: OcrEngine, lang: str) -> list[tuple[str, float]]:
    """Text and lowest confidence of each crop, read on one strip."""
    return [
        (" ".join(w.text for w in sorted(ws, key=lambda w: w.x0)), min(w.conf for w in ws)) if ws else ("", 0.0)
        for ws in read_strip(crops, engine, lang, gap=20)
    ]


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
    crop = clear_cell_borders(image_crop.convert("L"))
    if crop is None:
        return "", 0.0
    crop = prepare_crop(crop, dpi)
    config = f'-c "tessedit_char_whitelist={NUMERIC_CHARS}"' if numeric else ""
    words = engine.image_to_words(crop, lang=lang, psm=CELL_PSM, config=config)
    if numeric:
        # Specks near the digits come back as "." or ","; they never carry meaning
        # at the ends of a number or on their own.
        words = [w for w in words if any(ch.isdigit() for ch in w.text)]
        words = [OcrWord(w.text.strip(".,"), w.conf, w.x0, w.top, w.x1, w.bottom, w.line) for w in words]
    if not words:
        return "", 0.0
    return " ".join(w.text for w in words), min(w.conf for w in words)


def clear_cell_borders(gray: Image.Image, *, specks: bool = True) -> Image.Image | None:
    """The crop on white paper with the cell's own border lines removed, or None if blank.

    Crops cut at ruling positions keep a sliver of the lines, which Tesseract reads
    as "|" or lets swallow a lone digit, and scanned paper is a noisy gray that makes
    a visible frame once the crop is padded with white. So the paper is stretched to
    white, and rows and columns near the edge that are mostly ink are cleared (with
    their neighbours, where a blurred line spreads), leaving the text itself alone; then,
    with ``specks``, bands of specks away from the one line of text (which would take a
    light line of a stack of letters, "r" or "i", for specks: ``stacked``).
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
    if specks:
        a = _drop_specks(a, axis=1)
        a = _drop_specks(a, axis=0, reach=_text_height(a))
    if np.count_nonzero(a < 128) < 4:
        return None
    return Image.fromarray(a.astype(np.uint8))


def _drop_specks(a: np.ndarray, *, axis: int, reach: float | None = None) -> np.ndarray:
    """Whiten bands of rows (axis=1) or columns (axis=0) holding only specks of ink.

    A dust speck away from the text makes Tesseract's single line too tall or too
    long to read. Bands of ink along the axis are kept when heavy, or when within
    ``reach`` pixels of a kept band, which is where accents, commas and thin
    letters like "i" are (default: a third of the heaviest band's extent).
    """
    profile = (a < 128).sum(axis=axis)
    on = np.nonzero(profile)[0]
    if len(on) < 2:
        return a
    bands = np.split(on, np.nonzero(np.diff(on) > 3)[0] + 1)
    weights = np.array([profile[b].sum() for b in bands])
    main = bands[int(np.argmax(weights))]
    if reach is None:
        reach = (main[-1] - main[0] + 1) / 3
    kept = weights >= 0.25 * weights.max()
    grown = True
    while grown:
        grown = False
        for i, band in enumerate(bands):
            if kept[i]:
                continue
            near = any(
                kept[j] and (band[0] - bands[j][-1] <= reach and bands[j][0] - band[-1] <= reach)
                for j in range(len(bands))
            )
            if near:
                kept[i] = grown = True
    out = a.copy()
    for band, keep in zip(bands, kept):
        if keep:
            continue
        if axis == 1:
            out[band[0]:band[-1] + 1, :] = 255
        else:
            out[:, band[0]:band[-1] + 1] = 255
    return out


def _text_height(a: np.ndarray) -> int:
    rows = np.nonzero((a < 128).any(axis=1))[0]
    return int(rows[-1] - rows[0] + 1) if len(rows) else 0


def prepare_crop(gray: Image.Image, dpi: int) -> Image.Image:
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


class Deferred:
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
