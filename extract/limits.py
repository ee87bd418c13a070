"""How much one input or page may cost: pages, pixels, unzipped bytes, line length, time.

Each limit is a setting (``chitieu run --max-pages`` …, ``chitieu.read(max_pages=…)``)
and each one hit is said in a line naming the option that moves it: a document cut
short or a page refused is a row of errors.csv, never a run that hangs or runs out of
memory. The defaults sit far above any real report and far below what breaks a small
machine; why each is what it is is said beside it.
"""
from __future__ import annotations

import contextlib
import re
import threading
from dataclasses import dataclass

from extract.errors import LimitExceeded

MEGA = 1_000_000

# A provincial archive's longest report (a year of a district's consolidations, a
# deck of appendices) runs to a few hundred pages; ten times that is no report but a
# generated or broken file, whose planning alone would take minutes.
MAX_PAGES = 2_000
# An A4 page at 300 dpi is 8.7 Mpx, an A3 at 300 dpi 17 Mpx, an A1 poster 70 Mpx: 100 Mpx
# admits every paper size up to A1 at the resolution we read, and bounds a page's
# images in a worker (a few copies of a gray page, 1 byte a pixel) to well under a
# gigabyte. Pillow's own guard starts at 89 Mpx; ours replaces it.
MAX_PIXELS = 100 * MEGA
# The samples' .docx reports are under 1 MB unzipped, and a report with a hundred
# photos pasted in stays under 100 MB. python-docx holds every part in memory and lxml
# parses XML at several times its size: 200 MB keeps a zip bomb (a few kB that inflate
# to gigabytes) from exhausting a small machine while admitting any real report.
MAX_UNZIPPED_BYTES = 200 * MEGA
# An A4 page holds about 3,500 characters; a paragraph typed without a line break is
# at most a page or two. A line of more than 20,000 characters (six pages) is no text
# a person wrote, but a binary or a minified dump read as text.
MAX_LINE_CHARS = 20_000


@dataclass(frozen=True)
class Limits:
    """The limits of one run; ``page_timeout`` None: scaled to each page's pixels
    (``extract.ocr.tesseract.timeout_for``)."""

    max_pages: int = MAX_PAGES  # pages read of one document (PDF pages, image frames, dump pages)
    max_pixels: int = MAX_PIXELS  # pixels of one page image, decoded, rendered or enlarged
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES  # a .docx (or .xlsx) once unzipped
    max_line_chars: int = MAX_LINE_CHARS  # one line of a text dump
    page_timeout: float | None = None  # seconds Tesseract may take on one page image
    doc_timeout: float | None = None  # seconds one document's pages may take, from its first page sent; None: no limit

    def __post_init__(self) -> None:
        for name in ("max_pages", "max_pixels", "max_unzipped_bytes", "max_line_chars"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        for name in ("page_timeout", "doc_timeout"):
            if getattr(self, name) is not None and getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, not {getattr(self, name)}")


def megapixels(pixels: float) -> str:
    return f"{pixels / MEGA:,.0f} Mpx" if pixels >= 10 * MEGA else f"{pixels / MEGA:,.1f} Mpx"


def check_pixels(width: int, height: int, max_pixels: int, what: str = "page image") -> None:
    """``LimitExceeded`` when a ``width`` × ``height`` image is over ``max_pixels``."""
    if width * height > max_pixels:
        raise LimitExceeded(f"{what} of {width}×{height} pixels ({megapixels(width * height)}) is over the limit "
                            f"of {megapixels(max_pixels)} (--max-megapixels): not read")


_OPENING = threading.Lock()  # Pillow's guard is one setting for the whole process
HEIF_SUFFIXES = (".heic", ".heif")  # phones' photos (iPhones save HEIC by default)


def _open_heif() -> None:
    """Pillow opens HEIC/HEIF once pillow-heif's plugin is registered (once a process;
    libheif applies the photo's turn, so the EXIF orientation it leaves is 1)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError as exc:
        from extract.errors import InputError

        raise InputError("a HEIC/HEIF photo needs pillow-heif: pip install pillow-heif") from exc
    register_heif_opener()


@contextlib.contextmanager
def open_image(path, max_pixels: int | None = None, what: str = "image"):
    """An image file opened by Pillow (its header read, nothing decoded), the size it
    declares checked against ``max_pixels`` (None: our own image, not checked).

    Pillow's decompression-bomb guard compares the first frame with a process-wide
    setting; it is off for the open alone, under a lock, so threads opening images at
    once never see each other's, and the limit is ours: checked here on the first frame,
    and by ``check_pixels`` on every other frame before it is decoded, so that one
    oversized frame costs that frame. A frame that Pillow's guard still stops as it seeks
    (a GIF's) is ``LimitExceeded`` too."""
    from PIL import Image

    if str(path).lower().endswith(HEIF_SUFFIXES):
        _open_heif()
    with _OPENING:
        before = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None
        try:
            img = Image.open(path)
        finally:
            Image.MAX_IMAGE_PIXELS = before
    with img:
        if max_pixels is not None:
            check_pixels(*img.size, max_pixels, what)
        try:
            yield img
        except Image.DecompressionBombError as exc:
            declared = re.search(r"\((\d+) pixels\)", str(exc))  # Pillow: "Image size (N pixels) exceeds limit …"
            size = f" of {megapixels(int(declared.group(1)))}" if declared else ""
            raise LimitExceeded(f"{what}{size} over the limit of Pillow's decompression-bomb guard: not read") from exc
