"""Page images: PDF pages rasterised with pdfium, and image files split into pages.

Every image leaves here in grayscale ("L") with its resolution in ``image.info["dpi"]``,
so later stages can convert pixel boxes to points without knowing where it came from.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence

log = logging.getLogger(__name__)

DEFAULT_DPI = 300


def render_pdf_page(path: str | Path, page_index: int, *, dpi: int = DEFAULT_DPI) -> Image.Image:
    """Rasterise one PDF page (0-based index) to a grayscale image at ``dpi``."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[page_index]
        try:
            image = stored_scan(page, dpi)
            if image is None:
                image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            if image.mode != "L":
                image = image.convert("L")
        finally:
            page.close()
    finally:
        pdf.close()
    image.info["dpi"] = (dpi, dpi)
    return image


def stored_scan(page, dpi: int) -> Image.Image | None:
    """A scanned page's image as stored in the file, when the page is that one gray image,
    upright, filling it, with the very pixels a render at ``dpi`` gives; None for any other page.

    Decoding it costs a fraction of rendering the page, which would only copy the image
    onto itself. Where the render's size differs by a pixel (pdfium rounds an A4 page at
    300 dpi up to 2482 px, so its 2481-px scan is not taken), the page is rendered: which
    way a page was read never changes what is read on it."""
    import pypdfium2.raw as pdfium_c

    if page.get_rotation():
        return None
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    image = objects[0]
    left, bottom, right, top = page.get_bbox()
    a, b, c, d, e, f = image.get_matrix().get()
    placed = (b, c, e - left, f - bottom, a - (right - left), d - (top - bottom))
    if any(abs(v) > 0.5 for v in placed):
        return None
    meta = image.get_metadata()
    if meta.bits_per_pixel != 8 or meta.colorspace != pdfium_c.FPDF_COLORSPACE_DEVICEGRAY:
        return None
    if image.get_px_size() != _render_size(right - left, top - bottom, dpi):
        return None
    out = image.get_bitmap(render=False).to_pil()
    return out if out.mode == "L" else None


def pdf_page_count(path: str | Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def image_dpi(image: Image.Image, default: int = DEFAULT_DPI) -> int:
    """The horizontal resolution stored in the image, or ``default`` when absent or absurd."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0] if isinstance(dpi, (tuple, list)) else dpi)
    except (TypeError, ValueError, IndexError):
        return default
    # Files written without a real resolution often say 1 or 72 dpi; a scan below
    # 100 dpi is far rarer than a missing header, so trust the default instead.
    if not 100 <= value <= 1200:
        return default
    return int(round(value))


def load_image(path: str | Path) -> list[Image.Image]:
    """Each frame of an image file as an upright grayscale page image.

    Multi-frame TIFFs give one image per frame; EXIF orientation is applied; the
    resolution read from the file (300 dpi when absent) is kept in ``info["dpi"]``.
    """
    pages = []
    with Image.open(path) as img:
        for frame in ImageSequence.Iterator(img):
            dpi = image_dpi(frame)
            page = ImageOps.exif_transpose(frame.copy())
            if page.mode not in ("L",):
                page = _to_gray(page)
            page.info["dpi"] = (dpi, dpi)
            pages.append(page)
    log.debug("loaded %d page image(s) from %s", len(pages), path)
    return pages


def _to_gray(image: Image.Image) -> Image.Image:
    # Transparent pixels become white paper rather than black.
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image.convert("L")


def _render_size(width_pt: float, height_pt: float, dpi: int) -> tuple[int, int]:
    # pypdfium2 renders a page of w pt at scale s to ceil(w * s) pixels.
    import math

    return math.ceil(width_pt * dpi / 72), math.ceil(height_pt * dpi / 72)
