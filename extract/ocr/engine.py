"""OCR behind a small engine interface, with Tesseract as the engine we ship.

Every engine returns the same word schema (``OcrWord``: text, confidence 0-100 and a
pixel box), as img2table does, so nothing downstream knows which engine ran. Page
OCR finds the ruling lines first and paints them out of the image, since Tesseract
reads table borders as "|" and lets text run across cells; the rulings still travel
with the page for the table builder.
"""
from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from PIL import Image, ImageOps

from extract.imaging.binarize import image_to_ink, whiten_paper
from extract.imaging.rulings import image_to_rulings, remove_rulings
from extract.model import BBox, Page, Ruling, Word
from extract.layout.ruled import cluster_values

log = logging.getLogger(__name__)

# Sparse text. On the scanned deck's summary table (lines painted out) psm 11 read
# 166/166 percent cells exactly, psm 3 163, psm 4 161, psm 6 160; with the lines
# left in, every mode fell to 38-117 and read borders as "|".
PAGE_PSM = 11
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
        # The image goes to Tesseract as a file. PNG compression costs a third of a
        # second on a 300 dpi page, an uncompressed BMP next to nothing; its resolution
        # is written as 0, as a PNG without one, so Tesseract estimates it the same way.
        with tempfile.TemporaryDirectory(prefix="chitieu-ocr-") as tmp:
            path = os.path.join(tmp, "page.bmp")
            image.convert("L" if image.mode not in ("L", "RGB") else image.mode).save(path, format="BMP", dpi=(0, 0))
            data = pytesseract.image_to_data(
                path, lang=lang, config=f"--psm {psm} {config}".strip(), output_type=pytesseract.Output.DICT
            )
        return data_to_words(data)

    def files_to_words(self, paths: list[str], *, lang: str, psm: int, config: str = "") -> list[list[OcrWord]]:
        """Words of each image file, all read by one Tesseract process.

        Loading the language model costs a Tesseract process about a tenth of a second,
        a tenth of a page's whole reading; a list of images pays it once. Each image is
        read on its own, exactly as by a process of its own (LSTM models keep nothing
        from one page to the next).
        """
        import pytesseract

        os.environ["OMP_THREAD_LIMIT"] = "1"
        if len(paths) == 1:
            source = paths[0]
            data = pytesseract.image_to_data(source, lang=lang, config=f"--psm {psm} {config}".strip(),
                                             output_type=pytesseract.Output.DICT)
            return [data_to_words(data)]
        with tempfile.TemporaryDirectory(prefix="chitieu-ocr-") as tmp:
            listing = os.path.join(tmp, "pages.txt")
            with open(listing, "w", encoding="utf-8") as fh:
                fh.write("".join(os.path.abspath(p) + "\n" for p in paths))
            data = pytesseract.image_to_data(listing, lang=lang, config=f"--psm {psm} {config}".strip(),
                                             output_type=pytesseract.Output.DICT)
        return [data_to_words(data, page=k) for k in range(1, len(paths) + 1)]


def data_to_words(data: dict, *, page: int | None = None) -> list[OcrWord]:
    """Tesseract's TSV table (as a dict of columns) to words; empty and conf -1 rows dropped.

    ``page``: only the rows of that image (1-based) of a multi-image reading."""
    words = []
    for i, text in enumerate(data["text"]):
        if page is not None and int(data["page_num"][i]) != page:
            continue
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        x0, top = int(data["left"][i]), int(data["top"][i])
        line = (int(data["block_num"][i]) * 1000 + int(data["par_num"][i])) * 1000 + int(data["line_num"][i])
        words.append(OcrWord(text, conf, x0, top, x0 + int(data["width"][i]), top + int(data["height"][i]), line))
    return words


@functools.lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    """Language models Tesseract has here (empty when it does not run)."""
    import pytesseract

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except Exception:  # a missing or broken tesseract: nothing is installed
        return frozenset()


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
    reread_cells: bool = True,
    engine: OcrEngine | None = None,
) -> Page:
    """Words and rulings of one (deskewed) page image, in points.

    The paper is whitened and the rulings painted out before recognition; the
    rulings found are returned with the page. Sparse-text mode (psm 11) reads table
    cells best but drops a cell holding a lone character (a row number "6", "I"),
    so with ``reread_cells`` every ruled cell that has ink and no word is read
    again, as a single line (``lone_cell_words``).
    """
    engine = engine or TesseractEngine()
    gray, rulings = page_for_engine(image, dpi=dpi, remove_lines=remove_lines)
    found = engine.image_to_words(gray, lang=lang, psm=psm)
    return words_to_page(found, gray, rulings, page_no=page_no, dpi=dpi, lang=lang,
                         reread_cells=reread_cells, engine=engine)


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


def words_to_page(
    found: list[OcrWord],
    gray: Image.Image,
    rulings: tuple[Ruling, ...],
    *,
    page_no: int,
    dpi: int,
    lang: str = "vie",
    reread_cells: bool = True,
    engine: OcrEngine | None = None,
) -> Page:
    """The page of the words the engine read on ``gray`` (pixels), with its lone cells read again."""
    scale = 72.0 / dpi
    if reread_cells and rulings:
        found = found + lone_cell_words(gray, rulings, found, dpi=dpi, lang=lang, engine=engine)
    words = tuple(
        Word(w.text, (w.x0 * scale, w.top * scale, w.x1 * scale, w.bottom * scale), w.conf, page_no, "ocr")
        for w in found
    )
    log.debug("page %d: %d OCR words, %d rulings", page_no, len(words), len(rulings))
    return Page(
        no=page_no,
        size=(gray.width * scale, gray.height * scale),
        words=words,
        rulings=rulings,
        source="ocr",
        image_dpi=dpi,
    )


def rulings_to_cell_boxes(rulings: tuple[Ruling, ...], *, min_size: float = 6.0) -> list[BBox]:
    """Boxes (points) enclosed by the lines, cells spanning rows joined.

    A rough grid, enough to find the cells with no text read: between each pair of
    neighbouring horizontal lines, the vertical lines crossing that band cut it into
    boxes, and a box whose bottom line is missing continues into the band below.
    Column spans still come out split.
    """
    horizontal = [r for r in rulings if r.orientation == "h"]
    vertical = [r for r in rulings if r.orientation == "v"]
    ys = cluster_values([(r.top + r.bottom) / 2 for r in horizontal], 2.0)

    def closed_at(y: float, x0: float, x1: float) -> bool:
        mid = (x0 + x1) / 2
        return any(abs((r.top + r.bottom) / 2 - y) <= 2.0 and r.x0 <= mid <= r.x1 for r in horizontal)

    boxes: list[BBox] = []
    open_tops: dict[tuple[float, float], float] = {}  # (x0, x1) -> top of a box still open
    for top, bottom in zip(ys, ys[1:]):
        mid = (top + bottom) / 2
        xs = cluster_values([(r.x0 + r.x1) / 2 for r in vertical if r.top <= mid <= r.bottom], 2.0)
        still_open = {}
        for x0, x1 in zip(xs, xs[1:]):
            key = (round(x0), round(x1))
            start = open_tops.get(key, top)
            if not closed_at(bottom, x0, x1):
                still_open[key] = start
            elif x1 - x0 >= min_size and bottom - start >= min_size:
                boxes.append((x0, start, x1, bottom))
        open_tops = still_open
    return boxes


def lone_cell_words(
    gray: Image.Image,
    rulings: tuple[Ruling, ...],
    words: list[OcrWord],
    *,
    dpi: int,
    lang: str = "vie",
    engine: OcrEngine | None = None,
    limit: int = 80,
) -> list[OcrWord]:
    """Words read one cell at a time in ruled cells that have ink but no word yet (pixels).

    Only crops of ``gray`` are taken, so it may be a ``deskew.Straightened`` view."""
    px = dpi / 72.0
    heights = sorted(w.bottom - w.top for w in words)
    min_height = 0.35 * heights[len(heights) // 2] if heights else 4 * px
    centres = [((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2) for w in words]
    boxes, crops = [], []
    for x0, top, x1, bottom in rulings_to_cell_boxes(rulings):
        # Stay clear of the border lines, which removal may have left a trace of.
        l, t, r, b = (round((x0 + 1.5) * px), round((top + 1.5) * px), round((x1 - 1.5) * px), round((bottom - 1.5) * px))
        l, t, r, b = max(l, 0), max(t, 0), min(r, gray.width), min(b, gray.height)
        if r - l < 4 or b - t < 4 or any(l <= cx <= r and t <= cy <= b for cx, cy in centres):
            continue
        ink = image_to_ink(gray.crop((l, t, r, b)), threshold=128)
        rows = np.nonzero(ink.any(axis=1))[0]
        cols = np.nonzero(ink.any(axis=0))[0]
        if len(rows) == 0 or rows[-1] - rows[0] + 1 < min_height:
            continue
        margin = round(2 * px)
        cx0, cy0 = l + int(cols[0]) - margin, t + int(rows[0]) - margin
        cleaned = _clear_cell_borders(gray.crop((cx0, cy0, l + cols[-1] + 1 + margin, t + rows[-1] + 1 + margin)))
        if cleaned is None:
            continue
        # The word's box is its ink once specks are gone, not the cell's.
        ys, xs = np.nonzero(np.asarray(cleaned) < 128)
        boxes.append((cx0 + int(xs.min()), cy0 + int(ys.min()), cx0 + int(xs.max()) + 1, cy0 + int(ys.max()) + 1))
        crops.append(_prepare_cell(cleaned, dpi))
        if len(crops) >= limit:
            log.debug("more than %d empty cells with ink; the rest are left empty", limit)
            break
    found = []
    for (gx0, gtop, gx1, gbottom), (text, conf) in zip(boxes, _read_stacked(crops, engine or TesseractEngine(), lang)):
        if text and conf >= 50 and any(ch.isalnum() for ch in text):
            found.append(OcrWord(text, conf, gx0, gtop, gx1, gbottom))
    log.debug("%d lone words re-read in %d empty cells", len(found), len(crops))
    return found


def _read_stacked(crops: list[Image.Image], engine: OcrEngine, lang: str) -> list[tuple[str, float]]:
    """Text and lowest confidence of each crop, read in one engine call on a strip of them all.

    One Tesseract process per cell costs a tenth of a second each; one strip of
    crops stacked with white between them costs little more than one.
    """
    if not crops:
        return []
    gap = 20
    strip = Image.new("L", (max(c.width for c in crops), sum(c.height for c in crops) + gap * len(crops)), 255)
    spans, y = [], 0
    for crop in crops:
        strip.paste(crop, (0, y))
        spans.append((y, y + crop.height))
        y += crop.height + gap
    read: list[list[OcrWord]] = [[] for _ in crops]
    for w in engine.image_to_words(strip, lang=lang, psm=6):
        centre = (w.top + w.bottom) / 2
        for i, (top, bottom) in enumerate(spans):
            if top <= centre < bottom:
                read[i].append(w)
                break
    return [
        (" ".join(w.text for w in sorted(ws, key=lambda w: w.x0)), min(w.conf for w in ws)) if ws else ("", 0.0)
        for ws in read
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
    crop = _clear_cell_borders(image_crop.convert("L"))
    if crop is None:
        return "", 0.0
    crop = _prepare_cell(crop, dpi)
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
