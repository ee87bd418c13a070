"""OCR behind a small engine interface, with Tesseract as the engine we ship.

Every engine returns the same word schema (``OcrWord``: text, confidence 0-100 and a
pixel box), as img2table does, so nothing downstream knows which engine ran. An
engine reads an image in memory (a page, a cell, a strip of cells) or a batch of
image files at once; a second engine plugs in by giving both.
"""
from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from extract.errors import OcrUnavailable
from extract.limits import open_image
from extract.ocr.tesseract import image_file_to_data, timeout_for

log = logging.getLogger(__name__)

# Sparse text. On the scanned deck's summary table (lines painted out) psm 11 read
# 166/166 percent cells exactly, psm 3 163, psm 4 161, psm 6 160; with the lines
# left in, every mode fell to 38-117 and read borders as "|".
PAGE_PSM = 11
CELL_PSM = 7  # one line of text
STRIP_PSM = 6  # a strip of cell crops stacked with white between them: a block of lines
NUMERIC_CHARS = "0123456789%,. "


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
        """Words of one image in memory: a page, a cell's crop, or a strip of crops."""
        ...

    def files_to_words(self, paths: list[str], *, lang: str, psm: int, config: str = "") -> list[list[OcrWord]]:
        """Words of each image file of a batch, each read as if alone."""
        ...


class TesseractEngine:
    """The tesseract program, one single-threaded process per call (``extract.ocr.tesseract``).

    ``timeout``: seconds each image may take; None (the default) scales them to the
    image's pixels (``extract.ocr.tesseract.timeout_for``)."""

    name = "tesseract"

    def __init__(self, *, timeout: float | None = None) -> None:
        self.timeout = timeout

    def image_to_words(self, image: Image.Image, *, lang: str, psm: int, config: str = "") -> list[OcrWord]:
        # The image goes to Tesseract as a file. PNG compression costs a third of a
        # second on a 300 dpi page, an uncompressed BMP next to nothing; its resolution
        # is written as 0, as a PNG without one, so Tesseract estimates it the same way.
        with tempfile.TemporaryDirectory(prefix="chitieu-ocr-") as tmp:
            path = os.path.join(tmp, "page.bmp")
            image.convert("L" if image.mode not in ("L", "RGB") else image.mode).save(path, format="BMP", dpi=(0, 0))
            data = image_file_to_data(path, lang=lang, config=f"--psm {psm} {config}".strip(),
                                      timeout=timeout_for(image.width * image.height, self.timeout))
        return data_to_words(data)

    def files_to_words(self, paths: list[str], *, lang: str, psm: int, config: str = "") -> list[list[OcrWord]]:
        """Words of each image file, all read by one Tesseract process.

        Loading the language model costs a Tesseract process about a tenth of a second,
        a tenth of a page's whole reading; a list of images pays it once. Each image is
        read on its own, exactly as by a process of its own (LSTM models keep nothing
        from one page to the next). Each image has its own time (``TesseractTimeout``
        says which one it was stopped on).
        """
        options = dict(lang=lang, config=f"--psm {psm} {config}".strip(), images=len(paths),
                       timeout=[timeout_for(_pixels(p), self.timeout) for p in paths])
        if len(paths) == 1:
            return [data_to_words(image_file_to_data(paths[0], **options))]
        with tempfile.TemporaryDirectory(prefix="chitieu-ocr-") as tmp:
            listing = os.path.join(tmp, "pages.txt")
            with open(listing, "w", encoding="utf-8") as fh:
                fh.write("".join(os.path.abspath(p) + "\n" for p in paths))
            data = image_file_to_data(listing, **options)
        return [data_to_words(data, page=k) for k in range(1, len(paths) + 1)]


class TesserocrEngine:
    """libtesseract in this process (``extract.ocr.inprocess``): the model loaded once per
    worker, images handed over as pixels, no file and no process per call."""

    name = "tesserocr"

    def __init__(self, *, timeout: float | None = None) -> None:
        self.timeout = timeout

    def image_to_words(self, image: Image.Image, *, lang: str, psm: int, config: str = "") -> list[OcrWord]:
        return data_to_words(self._data(image, lang, psm, config))

    def files_to_words(self, paths: list[str], *, lang: str, psm: int, config: str = "") -> list[list[OcrWord]]:
        """Each image file read on its own (in memory there is no batch to save a start on)."""
        from extract.ocr.inprocess import load_gray

        return [self.image_to_words(load_gray(p), lang=lang, psm=psm, config=config) for p in paths]

    def _data(self, image: Image.Image, lang: str, psm: int, config: str) -> dict:
        """The checked TSV of ``image``; played back or recorded as the program's readings are
        (``extract.ocr.replay``), keyed by the pixels and this engine's identity."""
        from extract.ocr import inprocess
        from extract.ocr import replay as rp
        from extract.ocr.tsv import tsv_to_data

        timeout = timeout_for(image.width * image.height, self.timeout)
        recorded = rp.active()
        if recorded is None:
            return tsv_to_data(inprocess.read_tsv(image, lang=lang, psm=psm, config=config, timeout=timeout))
        key = rp.key("api-tsv", inprocess.image_digest(image), inprocess.identity(), lang, str(psm), config)
        text = recorded.get(key)
        if text is None:
            text = inprocess.read_tsv(image, lang=lang, psm=psm, config=config, timeout=timeout)
            data = tsv_to_data(text)  # only a whole reading is recorded
            recorded.put(key, text)
            return data
        return tsv_to_data(text)


ENGINES = ("auto", "tesserocr", "tesseract")


def resolve_engine(name: str = "auto", lang: str = "vie") -> str:
    """The engine ``name`` means here: ``auto`` is tesserocr when it imports and finds
    every model of ``lang``, else the tesseract program. ``OcrUnavailable`` when
    tesserocr is asked for and cannot run."""
    from extract.ocr import inprocess

    if name not in ENGINES:
        raise ValueError(f"unknown OCR engine {name!r}: expected one of {', '.join(ENGINES)}")
    if name == "tesseract":
        return name
    missing = [code for code in lang.split("+") if code not in inprocess.languages()]
    if inprocess.available() and not missing:
        return "tesserocr"
    if name == "auto":
        return "tesseract"
    why = ("it is not installed (pip install tesserocr)" if not inprocess.available()
           else f"it finds no language data for {', '.join(missing)} (install tesseract-ocr-vie, or set TESSDATA_PREFIX)")
    raise OcrUnavailable(f"the tesserocr engine cannot run: {why}; --ocr-engine tesseract uses the program")


def make_engine(name: str = "auto", *, lang: str = "vie", timeout: float | None = None) -> OcrEngine:
    """The engine ``name`` (``ENGINES``) resolves to, with ``timeout`` seconds per image."""
    kind = resolve_engine(name, lang)
    return TesserocrEngine(timeout=timeout) if kind == "tesserocr" else TesseractEngine(timeout=timeout)


def _pixels(path: str) -> int:
    """Pixels of the image file at ``path``, from its header (nothing decoded); 0 when unreadable."""
    try:
        with open_image(path) as im:  # our own image, checked when it was made
            return im.width * im.height
    except Exception:  # Tesseract will say what is wrong with it
        return 0


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
    """Language models Tesseract has here: the program's, else those tesserocr finds (empty when neither runs)."""
    import pytesseract

    from extract.ocr import inprocess

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except Exception:  # a missing or broken program: the models may be there for tesserocr
        return inprocess.languages() if inprocess.available() else frozenset()


def tesseract_available(lang: str = "vie", engine: str = "tesseract") -> None:
    """Raise ``OcrUnavailable`` unless ``engine`` (resolved: tesserocr or tesseract) and every
    language in ``lang`` are there."""
    import pytesseract

    if engine == "tesserocr":
        resolve_engine(engine, lang)  # says what is missing
        return
    hint = "install the Debian packages tesseract-ocr and tesseract-ocr-vie (apt-get install tesseract-ocr tesseract-ocr-vie)"
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise OcrUnavailable(f"the tesseract program was not found: {hint}")
    try:
        installed = set(pytesseract.get_languages(config=""))
    except (OSError, pytesseract.TesseractNotFoundError) as exc:  # it is there but does not start
        raise OcrUnavailable(f"tesseract does not run ({exc}): {hint}") from exc
    missing = [code for code in lang.split("+") if code not in installed]
    if missing:
        raise OcrUnavailable(f"tesseract has no language data for {', '.join(missing)}: {hint}")
