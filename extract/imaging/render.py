"""Page images: PDF pages rasterised with pdfium, and image files split into pages.

Every image leaves here in grayscale ("L") with its resolution in ``image.info["dpi"]``,
so later stages can convert pixel boxes to points without knowing where it came from.
"""
from __future__ import annotations

import itertools
import logging
import math
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence

from extract.errors import LimitExceeded
from extract.limits import check_pixels, megapixels, open_image

log = logging.getLogger(__name__)

DEFAULT_DPI = 300
# A PDF page over the pixel limit at the asked resolution is rendered at a lower one,
# down to this: the lowest chitieu still reads well (the fidelity bench's fax and
# lowres variants are 150 dpi). A page larger still is refused.
MIN_RENDER_DPI = 150
BILEVEL = "chitieu.bilevel_dpi"  # info key: the page came from a bilevel image of this resolution
THUMB_DPI = 36  # the thumbnail a page's colour is judged on: a seal's ring is still several pixels wide
PICTURE = "chitieu.picture"  # info key: the PDF page is one gray or colour image filling it (a scan, or a photo)


def render_pdf_page(path: str | Path, page_index: int, *, dpi: int = DEFAULT_DPI,
                    max_pixels: int | None = None) -> Image.Image:
    """Rasterise one PDF page (0-based index) to a grayscale image at ``dpi``, or at
    the highest resolution below it whose image fits ``max_pixels`` (``render_dpi``);
    the resolution used is in ``image.info["dpi"]``."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[page_index]
        try:
            dpi = render_dpi(*page.get_size(), dpi, max_pixels)
            image = stored_scan(page, dpi)
            if image is None:
                image = stored_fax(page, dpi, max_pixels)
            if image is None:
                image = _render_gray(page, dpi)
            if image.mode != "L":
                image = image.convert("L")
            if BILEVEL not in image.info and _filling_image(page, min_bits=8) is not None:
                image.info[PICTURE] = True
        finally:
            page.close()
    finally:
        pdf.close()
    image.info["dpi"] = (dpi, dpi)
    return image


def _render_gray(page, dpi: int) -> Image.Image:
    """The page rendered in gray; a page showing coloured ink (a colour scan with a red
    seal or a blue signature) is rendered in colour first and its coloured ink dropped
    (``binarize.drop_colour_ink``), which a gray render cannot tell from black print.
    Which it is, a thumbnail tells at a small cost."""
    from extract.imaging.binarize import drop_colour_ink, has_colour

    if has_colour(page.render(scale=THUMB_DPI / 72).to_pil()):
        return drop_colour_ink(page.render(scale=dpi / 72).to_pil())
    return page.render(scale=dpi / 72, grayscale=True).to_pil()


def stored_scan(page, dpi: int) -> Image.Image | None:
    """A scanned page's image as stored in the file, when the page is that one gray image,
    upright, filling it, with the very pixels a render at ``dpi`` gives; None for any other page.

    Decoding it costs a fraction of rendering the page, which would only copy the image
    onto itself. Where the render's size differs by a pixel (pdfium rounds an A4 page at
    300 dpi up to 2482 px, so its 2481-px scan is not taken), the page is rendered: which
    way a page was read never changes what is read on it."""
    image = _lone_image(page, bits=8)
    if image is None or image.get_px_size() != _page_pixels(page, dpi):
        return None
    out = image.get_bitmap(render=False).to_pil()
    return out if out.mode == "L" else None


def stored_fax(page, dpi: int, max_pixels: int | None = None) -> Image.Image | None:
    """A bilevel page (a fax server's PDF, a 1-bit scan) at ``dpi``: its one stored
    1-bit image, upright and filling the page, cleaned of the line's noise at its own
    resolution, smoothed and enlarged to the render's size in gray
    (``extract.imaging.fax``); None for any other page, and for one whose stored image is over ``max_pixels`` (rendered,
    then, within the limit). Rendered by pdfium, its dots and holes would be enlarged
    first. Enlarged further (to 400 dpi), the 60 fax variants of make_variants --n 60
    --seed 31 --kinds fax read 1,316 cells right against 1,815 at 300."""
    from extract.imaging.fax import clean_bilevel, enlarge, is_bilevel

    image = _lone_image(page, bits=1)
    if image is None:
        return None
    w, h = image.get_px_size()
    if max_pixels is not None and w * h > max_pixels:
        return None
    native = image.get_bitmap(render=False).to_pil()
    if native.mode not in ("1", "L") or not is_bilevel(native):
        return None
    size = _page_pixels(page, dpi)
    left, _, right, _ = page.get_bbox()
    native_dpi = round(native.width / (right - left) * 72)
    out = enlarge(clean_bilevel(native, dpi=native_dpi), size)
    out.info[BILEVEL] = native_dpi
    return out


def _page_pixels(page, dpi: int) -> tuple[int, int]:
    left, bottom, right, top = page.get_bbox()
    return _render_size(right - left, top - bottom, dpi)


def _lone_image(page, *, bits: int):
    """The page's image object when the page is that one gray image of ``bits`` per
    pixel, upright, filling it. A stencil mask (``/ImageMask``, 1 bit) is no gray
    image: pdfium hands over the mask itself, ink as white, so such a page is rendered."""
    import pypdfium2.raw as pdfium_c

    image = _filling_image(page)
    if image is None:
        return None
    meta = image.get_metadata()
    if meta.bits_per_pixel != bits or meta.colorspace != pdfium_c.FPDF_COLORSPACE_DEVICEGRAY:
        return None
    return image


def _filling_image(page, *, min_bits: int = 1):
    """The page's image object when the page is that one image, upright, filling it, of
    ``min_bits`` per pixel or more; None for any other page."""
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
    if min_bits > 1 and image.get_metadata().bits_per_pixel < min_bits:
        return None
    return image


def render_dpi(width_pt: float, height_pt: float, dpi: int, max_pixels: int | None) -> int:
    """The resolution a page of ``width_pt`` × ``height_pt`` points is rendered at: ``dpi``,
    or the highest below it whose image fits ``max_pixels``; ``LimitExceeded`` when even
    ``MIN_RENDER_DPI`` does not (a page declared 30000 × 30000 pt)."""
    w, h = _render_size(width_pt, height_pt, dpi)
    if max_pixels is None or w * h <= max_pixels:
        return dpi
    fit = int(dpi * math.sqrt(max_pixels / (w * h)))
    while fit >= MIN_RENDER_DPI and math.prod(_render_size(width_pt, height_pt, fit)) > max_pixels:
        fit -= 1
    if fit < min(MIN_RENDER_DPI, dpi):
        raise LimitExceeded(f"page of {width_pt:.0f}×{height_pt:.0f} pt is {w}×{h} pixels ({megapixels(w * h)}) at "
                            f"{dpi} dpi, over the limit of {megapixels(max_pixels)} (--max-megapixels) even at "
                            f"{min(MIN_RENDER_DPI, dpi)} dpi: not read")
    log.info("page of %.0f×%.0f pt rendered at %d dpi, not %d: over the limit of %s at %d dpi",
             width_pt, height_pt, fit, dpi, megapixels(max_pixels), dpi)
    return fit


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


def load_image(path: str | Path, *, max_pixels: int | None = None, max_frames: int | None = None) -> list[Image.Image]:
    """Each frame of an image file as an upright grayscale page image (the first
    ``max_frames``), ``LimitExceeded`` for a frame over ``max_pixels``.

    Multi-frame TIFFs give one image per frame; EXIF orientation is applied; the
    resolution read from the file (300 dpi when absent) is kept in ``info["dpi"]``.
    """
    pages = []
    with open_image(path, max_pixels) as img:
        for k, frame in enumerate(itertools.islice(ImageSequence.Iterator(img), max_frames)):
            pages.append(_page_of(frame, k, max_pixels))
    log.debug("loaded %d page image(s) from %s", len(pages), path)
    return pages


def load_frame(path: str | Path, index: int, *, max_pixels: int | None = None) -> Image.Image:
    """Frame ``index`` (0-based) of an image file, as ``load_image`` gives it, the others
    not decoded (nor checked: an oversized first frame costs only itself)."""
    with open_image(path) as img:
        img.seek(index)
        return _page_of(img, index, max_pixels)


def frame_sizes(path: str | Path, *, max_frames: int | None = None) -> list[tuple[int, int]]:
    """The size each frame of an image file declares (the first ``max_frames``), nothing decoded."""
    with open_image(path) as img:
        return [frame.size for frame in itertools.islice(ImageSequence.Iterator(img), max_frames)]


def _page_of(frame: Image.Image, k: int, max_pixels: int | None) -> Image.Image:
    if max_pixels is not None:
        check_pixels(*frame.size, max_pixels, "image" if k == 0 else f"frame {k + 1}")
    dpi = image_dpi(frame)
    page = ImageOps.exif_transpose(frame.copy())
    bilevel = page.mode == "1"  # a fax's TIFF (G3, G4), a 1-bit scan
    native = dpi
    if bilevel:
        page, dpi = _fax_frame(page, dpi, max_pixels)
    elif page.mode not in ("L",):
        page = _to_gray(page)
    page.info["dpi"] = (dpi, dpi)
    if bilevel:
        page.info[BILEVEL] = native
    return page


def _fax_frame(page: Image.Image, dpi: int, max_pixels: int | None) -> tuple[Image.Image, int]:
    """A 1-bit frame (a G3/G4 TIFF) cleaned at its own resolution and, below DEFAULT_DPI,
    smoothed and enlarged to it as a fax PDF's page is (``stored_fax``); its new dpi. One
    that would pass ``max_pixels`` enlarged is left to ``preprocess.upscale``'s limit."""
    from extract.imaging.fax import clean_bilevel, enlarge

    page = clean_bilevel(page, dpi=dpi)
    if dpi >= DEFAULT_DPI * 0.9:
        return page, dpi
    size = (round(page.width * DEFAULT_DPI / dpi), round(page.height * DEFAULT_DPI / dpi))
    if max_pixels is not None and size[0] * size[1] > max_pixels:
        return page, dpi
    return enlarge(page, size), DEFAULT_DPI


def _to_gray(image: Image.Image) -> Image.Image:
    # Transparent pixels become white paper rather than black.
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    from extract.imaging.binarize import drop_colour_ink

    return drop_colour_ink(image)


def _render_size(width_pt: float, height_pt: float, dpi: int) -> tuple[int, int]:
    # pypdfium2 renders a page of w pt at scale s to ceil(w * s) pixels.
    import math

    return math.ceil(width_pt * dpi / 72), math.ceil(height_pt * dpi / 72)
