"""Pictures of a page as read, for the review: the page around a doubtful value, its box marked.

A record's ``bbox`` is in points from the top-left of its page *as read*, so the
picture must be drawn in that very frame:

- a text-layer PDF page: the page itself (pdfplumber's frame: the MediaBox, turned by
  its /Rotate), rendered by pdfium;
- an OCR'd page (a scanned PDF page, an image file): the image the pipeline prepared
  (``extract.ocr.tasks.prepared_page``, the function the workers call), straightened by
  its skew, then turned by ``PageResult.turned``;
- a page of a text-only source (a text dump, a word processor's file, a spreadsheet):
  its notional page (``extract.layout.notional``), drawn again from its ``PageResult``
  a character a cell of the layout's monospaced metrics (``extract.imaging.drawing``).

A page with several doubts is drawn once (``page_image`` keeps the last few). A
picture that cannot be made raises ``NoPicture``, whose message is the reason to show
in its place.
"""
from __future__ import annotations

import functools
import io
import logging
import math
import os
from pathlib import Path
from typing import NamedTuple

from PIL import Image, ImageDraw

from extract.limits import MAX_PIXELS
from extract.model import BBox, PageResult

log = logging.getLogger(__name__)

# Page images are kept at 2 pixels a point (144 dpi): more than any crop shows (at most
# 1.5 px/pt, below), so a crop is only ever reduced, and a slide (720 × 405 pt) is
# 1440 × 810 px, 1.2 MB in gray: the few kept cost little.
PICTURE_SCALE = 2.0
CM = 72 / 2.54
MARGIN = 1.5 * CM  # context above and below the box: the rows around it, two or three of a table
MAX_WIDTH = 900  # pixels of a crop, either way
MAX_HEIGHT = 900
# A value is judged by its row's label, at the row's left end, so a crop spans the
# page's whole width when that still leaves 1.25 px/pt (90 dpi: a 9-pt digit is about
# 11 px tall, still plain to read): pages up to 720 pt wide, a slide, an A4 page either
# way up but landscape. A wider page shows this much around the box.
FULL_WIDTH = MAX_WIDTH / 1.25
MARK = (220, 0, 0)  # the box's outline
MARK_WIDTH = 2
JPEG_QUALITY = 70  # a 900-px-wide crop of a scan is 15-35 KB (20-28 KB most), its digits sharp
SIZE_TOLERANCE = 2.0  # points a page drawn again may differ from its reported size (pixel rounding)


class NoPicture(Exception):
    """A page that cannot be pictured; the message says why, for the reader of the report."""


class PagePicture(NamedTuple):
    image: Image.Image  # grayscale ("L"); shared by the cache: crop it, never draw on it
    scale: float  # pixels per point
    kind: str  # "scan" (an OCR'd page), "render" (a text-layer PDF page) or "drawing" (a notional page)


def page_image(path: str | os.PathLike, page_no: int | None, read_as: str, *, dpi: int = 300, turned: int = 0,
               max_pixels: int = MAX_PIXELS, scale: float = PICTURE_SCALE) -> PagePicture:
    """The page ``page_no`` (1-based; None for a word processor's file, which has one) of
    ``path`` as it was read, ``scale`` pixels a point.

    ``read_as`` is the page's ``source`` (text, ocr, dump); ``dpi``, ``max_pixels`` and
    ``turned`` those of the run and of the page (``PageResult.turned``), without which
    an OCR'd page is not prepared as the run prepared it. ``NoPicture`` when the file is
    gone, the page is not in it, or it cannot be read any more."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise NoPicture(f"{path.name} cannot be opened any more: {exc.strerror or exc}") from exc
    try:
        return _page_image(str(path), stat.st_mtime_ns, stat.st_size, page_no or 1, read_as, dpi, turned,
                           max_pixels, scale)
    except NoPicture:
        raise
    except Exception as exc:  # a picture that fails costs only itself: the report says why
        from extract.errors import reason

        log.debug("no picture of %s page %s", path, page_no, exc_info=True)
        raise NoPicture(f"{path.name} page {page_no or 1} cannot be drawn: {reason(exc)}") from exc


# The file's time and size are in the key, so a file changed since is drawn afresh.
@functools.lru_cache(maxsize=4)
def _page_image(path: str, _mtime: int, _size: int, page_no: int, read_as: str, dpi: int, turned: int,
                max_pixels: int, scale: float) -> PagePicture:
    from extract.documents.plan import DocKind, kind_of

    kind = kind_of(Path(path))
    if kind in (DocKind.DUMP, DocKind.WORD, DocKind.SHEET):
        from extract.imaging.drawing import draw_page

        return PagePicture(draw_page(_notional_page(path, page_no), scale), scale, "drawing")
    if kind is DocKind.PDF and read_as == "text":
        return PagePicture(_rendered(path, page_no, scale), scale, "render")
    if kind is DocKind.IMAGE or (kind is DocKind.PDF and read_as == "ocr"):
        image, points = _as_read(path, page_no, "image" if kind is DocKind.IMAGE else "pdf", dpi=dpi,
                                 turned=turned, max_pixels=max_pixels, scale=scale)
        return PagePicture(image, image.width / points, "scan")
    raise NoPicture(f"{Path(path).name}: no picture of a page read as {read_as!r}")


def _page_count(path: str, kind: str) -> int:
    from extract.imaging.render import frame_sizes, pdf_page_count

    return pdf_page_count(path) if kind == "pdf" else len(frame_sizes(path))


def _check_page(path: str, page_no: int, kind: str) -> None:
    count = _page_count(path, kind)
    if not 1 <= page_no <= count:
        pages = f"{count} page{'s' * (count != 1)}" if kind == "pdf" else f"{count} frame{'s' * (count != 1)}"
        raise NoPicture(f"{Path(path).name} has no page {page_no}: it has {pages}")


def _rendered(path: str, page_no: int, scale: float) -> Image.Image:
    import pypdfium2 as pdfium

    _check_page(path, page_no, "pdf")
    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[page_no - 1]
        try:
            # pdfplumber's frame is the MediaBox; pdfium draws the CropBox. They are one
            # box on most pages; where they are not, the boxes are the MediaBox's.
            page.set_cropbox(*page.get_mediabox())
            return page.render(scale=scale, grayscale=True).to_pil().convert("L")
        finally:
            page.close()
    finally:
        pdf.close()


def _as_read(path: str, page_no: int, kind: str, *, dpi: int, turned: int, max_pixels: int,
             scale: float) -> tuple[Image.Image, float]:
    """The OCR'd page as its words were placed, and its width in points.

    Prepared at the run's resolution (what the pipeline did, so the same skew and
    orientation are found), then reduced, then straightened and turned: turning about
    the centre and reducing commute, and a reduced page turns ten times faster."""
    from extract.imaging.deskew import Skew
    from extract.imaging.preprocess import rotate_upright
    from extract.ocr.tasks import OcrTask, prepared_page

    _check_page(path, page_no, kind)
    prepared, _ = prepared_page(OcrTask(path, page_no - 1, kind, dpi), max_pixels=max_pixels)
    image = prepared.image if prepared.image.mode == "L" else prepared.image.convert("L")
    factor = scale * 72 / prepared.dpi
    width_pt = image.width * 72 / prepared.dpi
    if factor < 1:
        image = image.resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))),
                             Image.LANCZOS, reducing_gap=3.0)
    if prepared.skew:
        image = Skew(prepared.skew, image.width, image.height).straighten(image)
    if turned % 180:
        width_pt = image.height / image.width * width_pt
    return rotate_upright(image, turned), width_pt


# The notional page of a text-only source is made again by planning the document, which
# reads it without OCR; the last two are kept, so a document's pages are planned once.
@functools.lru_cache(maxsize=2)
def _planned(path: str, _mtime: int, _size: int):
    from extract.documents.plan import plan_document

    return plan_document(Path(path))


def _notional_page(path: str, page_no: int) -> PageResult:
    stat = os.stat(path)
    plan = _planned(path, stat.st_mtime_ns, stat.st_size)
    if plan.failed:
        raise NoPicture(f"{Path(path).name} cannot be read any more: {plan.failed}")
    page = next((p for p in plan.pages if p.no == page_no), None)
    if page is None:
        raise NoPicture(f"{Path(path).name} has no page {page_no}: it has {len(plan.pages)}")
    if page.size is None:
        raise NoPicture(f"{Path(path).name} page {page_no} has no layout to draw (its lines were read without boxes)")
    return page


def crop_window(bbox: BBox, page_size: tuple[float, float], *, margin: float = MARGIN) -> BBox:
    """The part of a page of ``page_size`` points a crop of ``bbox`` shows, in points:
    ``margin`` above and below, and across the page's whole width when it is at most
    ``FULL_WIDTH`` (else that much, or the box and ``margin`` either side, about the box)."""
    width, height = page_size
    x0, top, x1, bottom = _clamped(bbox, page_size)
    span = max(FULL_WIDTH, x1 - x0 + 2 * margin)
    if width <= span:
        left, right = 0.0, width
    else:
        left = min(max(0.0, (x0 + x1) / 2 - span / 2), width - span)
        right = left + span
    return left, max(0.0, top - margin), right, min(height, bottom + margin)


def _clamped(bbox: BBox, page_size: tuple[float, float]) -> BBox:
    width, height = page_size
    x0, top, x1, bottom = bbox
    x0, x1 = sorted((min(max(x0, 0.0), width), min(max(x1, 0.0), width)))
    top, bottom = sorted((min(max(top, 0.0), height), min(max(bottom, 0.0), height)))
    return x0, top, x1, bottom


def crop_scale(window: BBox, page_scale: float) -> float:
    """Pixels a point of a crop of ``window``: as the page image, or less to fit ``MAX_WIDTH`` × ``MAX_HEIGHT``."""
    left, top, right, bottom = window
    return min(page_scale, MAX_WIDTH / max(right - left, 1e-6), MAX_HEIGHT / max(bottom - top, 1e-6))


def mark_box(bbox: BBox, window: BBox, scale: float) -> tuple[int, int, int, int]:
    """The red rectangle of ``bbox`` on a crop of ``window`` at ``scale``, in the crop's
    pixels: ``MARK_WIDTH`` pixels outside the box's edges, so it frames the ink, never covers it."""
    left, top = window[:2]
    x0, y0, x1, y1 = bbox
    gap = MARK_WIDTH
    return (math.floor((x0 - left) * scale) - gap, math.floor((y0 - top) * scale) - gap,
            math.ceil((x1 - left) * scale) + gap, math.ceil((y1 - top) * scale) + gap)


def crop(path: str | os.PathLike, page_no: int | None, read_as: str, bbox: BBox, *,
         page_size: tuple[float, float] | None, turned: int = 0, dpi: int = 300, margin: float = MARGIN,
         max_pixels: int = MAX_PIXELS) -> bytes:
    """The picture (JPEG, or PNG when smaller, as for a drawn page) of the page around
    ``bbox``, the box marked in red, at most ``MAX_WIDTH`` × ``MAX_HEIGHT`` pixels.

    ``page_size``: the page's size as read (``PageResult.size``); a page drawn again at
    another size is not in the frame of its boxes, and is refused (``NoPicture``)."""
    if bbox is None or len(bbox) != 4 or any(v != v for v in bbox):  # None, or NaN from a frame
        raise NoPicture("the value has no box on its page")
    picture = page_image(path, page_no, read_as, dpi=dpi, turned=turned, max_pixels=max_pixels)
    drawn_size = (picture.image.width / picture.scale, picture.image.height / picture.scale)
    if page_size is None:
        page_size = drawn_size
    elif any(abs(a - b) > max(SIZE_TOLERANCE, 0.01 * b) for a, b in zip(drawn_size, page_size)):
        raise NoPicture(f"{Path(path).name} page {page_no or 1} drawn again is {drawn_size[0]:.0f}×"
                        f"{drawn_size[1]:.0f} pt, not {page_size[0]:.0f}×{page_size[1]:.0f} pt as read: "
                        "it has changed, or was read with other settings")
    window = crop_window(bbox, page_size, margin=margin)
    scale = crop_scale(window, picture.scale)
    return _encode(_cut(picture, window, scale, bbox), drawn=picture.kind != "scan")


def _cut(picture: PagePicture, window: BBox, scale: float, bbox: BBox) -> Image.Image:
    sx, (left, top, right, bottom) = picture.scale, window
    region = picture.image.crop((round(left * sx), round(top * sx), round(right * sx), round(bottom * sx)))
    size = (max(1, round((right - left) * scale)), max(1, round((bottom - top) * scale)))
    if region.size != size:
        region = region.resize(size, Image.LANCZOS)
    out = region.convert("RGB")
    ImageDraw.Draw(out).rectangle(mark_box(bbox, window, scale), outline=MARK, width=MARK_WIDTH)
    return out


def _encode(image: Image.Image, *, drawn: bool) -> bytes:
    """JPEG; for a render or a drawing (flat paper, few greys) also a PNG of 16 colours,
    and the smaller is kept."""
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    if not drawn:
        return jpeg.getvalue()
    png = io.BytesIO()
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(png, format="PNG", optimize=True)
    return min(jpeg.getvalue(), png.getvalue(), key=len)


@functools.lru_cache(maxsize=1)
def _palette() -> Image.Image:
    # Fifteen greys and the mark's red: a palette of the image's own commonest colours
    # would give the few red pixels to a grey.
    colours = [(v, v, v) for v in (round(k * 255 / 14) for k in range(15))] + [MARK]
    palette = Image.new("P", (1, 1))
    palette.putpalette([c for rgb in colours for c in rgb] + [0] * 3 * (256 - len(colours)))
    return palette


def image_type(data: bytes) -> str:
    """The media type of a crop's bytes, for a ``data:`` URL."""
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
