"""Page images made fit for recognition: light evened out, upright, large enough.

Each step is a pure function image → image (plus what it measured), so a step can be
tested alone and the chain in ``prepare_page`` only wires them:

- ``flatten_illumination``: divides the page by its own paper brightness, estimated
  with a large max filter, so a photocopier's dark edge or a phone's shadow becomes
  white paper before any global threshold is taken.
- ``orientation``: Tesseract's orientation detection (``--psm 0``), guarded: its
  answer is taken only when confident, and a page it cannot judge stays as it is.
- ``upscale``: pages below 300 dpi are enlarged; Tesseract reads small glyphs poorly.
- deskew (``extract.imaging.deskew``) by any small angle, photos (``extract.imaging.photo``) by their
  page's quadrilateral; a rectified photo's light is evened by ``photo_light`` (hard shadows
  too) and its way up found by reading a piece of it (``photo_orient``).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from extract.imaging.binarize import as_gray

log = logging.getLogger(__name__)

TARGET_DPI = 300
MIN_OSD_CONFIDENCE = 2.0  # Tesseract's orientation confidence below which we keep the page as it is
# Tesseract follows text lines leaning this much (the deck's table slides read 172/176
# cells at 3°) but not much more (104/176 at 6°): beyond, pages are straightened.
MAX_LEAN = 2.0
EVEN_LIGHT = 12  # grey levels between the darkest and brightest paper below which light is even


@dataclass(frozen=True)
class Prepared:
    image: Image.Image
    dpi: int
    steps: tuple[str, ...]  # what was done, for the log
    skew: float = 0.0  # degrees still to undo (``straighten=False``), as ``deskew.estimate_skew``
    photo_scale: float = 0.0  # prepared as a photo: pixels of ``image`` per pixel of the photo; 0: not a photo
    sheet: bool = False  # prepared as a photo whose sheet was found on its background and rectified
    rotated: int = 0  # degrees the page was turned counter-clockwise (OSD; a rectified photo's by reading)
    inked: tuple = ()  # where coloured ink was dropped, as ``inked.Region`` of the prepared page
    straightened: float = 0.0  # degrees the page was turned straight by (``deskew.Skew``), 0: not
    sheet_map: tuple = ()  # a rectified photo: its fractions to the sheet's (``photo.SHEET_MAP``)
    bowed: bool = False  # a rectified photo whose sheet was flattened by its bowed outline


def flatten_illumination(gray: Image.Image, *, dpi: int = TARGET_DPI) -> Image.Image:
    """The page divided by its paper brightness: uneven light and shadows become white.

    The paper's brightness is the brightest pixel of each block larger than any stroke
    (about a tenth of an inch) of a copy reduced four times, smoothed and enlarged
    again. Mostly dark pages (inverted slides) are returned unchanged, and so are
    evenly lit ones, which most scans are: the test costs a few milliseconds.
    """
    gray = as_gray(gray)
    factor = 4
    small = np.asarray(gray.reduce(factor))
    if small.size == 0 or np.median(small) < 100:
        return gray
    block = max(3, int(round(dpi / 10 / factor)))
    paper = _block_max(small, block)
    background = Image.fromarray(paper, mode="L").filter(ImageFilter.GaussianBlur(1))
    lo, hi = np.percentile(np.asarray(background), [2, 98])
    if hi - lo < EVEN_LIGHT:
        return gray  # the light is even already: dividing by it changes nothing but costs time
    background = background.resize(gray.size, Image.BILINEAR)
    a = np.asarray(gray, dtype=np.float32)
    bg = np.maximum(np.asarray(background, dtype=np.float32), 1.0)
    out = np.clip(a / bg * 255.0, 0, 255).astype(np.uint8)
    image = Image.fromarray(out, mode="L")
    image.info.update(gray.info)
    return image


def _block_max(a: np.ndarray, block: int) -> np.ndarray:
    """The maximum of each ``block`` × ``block`` tile of ``a`` (edge tiles padded with their edge)."""
    h, w = a.shape
    ph, pw = -h % block, -w % block
    if ph or pw:
        a = np.pad(a, ((0, ph), (0, pw)), mode="edge")
    tiles = a.reshape(a.shape[0] // block, block, a.shape[1] // block, block)
    return tiles.max(axis=(1, 3))


def upscale(image: Image.Image, dpi: int, *, target: int = TARGET_DPI,
            max_pixels: int | None = None) -> tuple[Image.Image, int]:
    """The image enlarged to ``target`` dpi when below it (Lanczos), and its new dpi;
    never past ``max_pixels`` (it is then enlarged as far as they allow)."""
    if dpi >= target * 0.9:
        return image, dpi
    factor = target / dpi
    if max_pixels is not None and image.width * image.height * factor * factor > max_pixels:
        factor = (max_pixels / (image.width * image.height)) ** 0.5
        if factor < 1.1:  # not worth a resampling
            return image, dpi
        target = int(dpi * factor)
        factor = target / dpi
    out = image.resize((round(image.width * factor), round(image.height * factor)), Image.LANCZOS)
    out.info.update(image.info)
    out.info["dpi"] = (target, target)
    return out, target


def osd_rotation(image: Image.Image, *, min_confidence: float = MIN_OSD_CONFIDENCE,
                 timeout: float | None = None) -> int:
    """Degrees (0, 90, 180, 270) to rotate the page counter-clockwise to make it upright.

    Tesseract's OSD on a reduced copy; 0 when Tesseract cannot judge (too little text)
    or is not confident, so a failure here never costs more than the check.
    ``timeout``: the user's ``--page-timeout`` (None: scaled to the pixels).
    """
    from extract.ocr.tesseract import TesseractTimeout, image_to_osd

    try:
        small = image
        # Only very large images are reduced: OSD's confidence drops on a resampled
        # page (an upside-down slide: 4.1 at 3000 px wide, 0.8 at 2400).
        if image.width > 4000:
            f = 4000 / image.width
            small = image.resize((4000, round(image.height * f)), Image.BILINEAR)
        info = image_to_osd(small, timeout=timeout)
    except TesseractTimeout as exc:  # a Tesseract that hangs: the page's reading will say so too
        log.warning("orientation not checked: %s", exc)
        return 0
    except Exception as exc:  # "Too few characters", a missing osd.traineddata, …
        log.debug("orientation not detected: %s", exc)
        return 0
    # OSD's "Rotate" turns the page clockwise (a page it reads as "Orientation 270"
    # needs "Rotate: 90", and Pillow's rotate(270) makes it upright): the same turn
    # counter-clockwise is its negative. Taken as counter-clockwise, a page turned 90°
    # either way came out upside down, and only a second reading that found it poor
    # (``tasks._finish``) turned it again.
    rotate = -int(info.get("rotate", 0)) % 360
    confidence = float(info.get("orientation_conf", 0.0))
    if rotate and confidence < min_confidence:
        log.debug("orientation %d° ignored (confidence %.1f)", rotate, confidence)
        return 0
    return rotate


def looks_sideways(gray: Image.Image) -> bool:
    """Whether text lines run vertically: inside the ink's extent, blank columns (the
    gaps between lines) are common and blank rows rare, the reverse of an upright page."""
    from extract.imaging.binarize import image_to_ink

    small = as_gray(gray)
    factor = max(1, round(small.width / 800))
    if factor > 1:
        small = small.reduce(factor)
    ink = image_to_ink(small)
    ys, xs = np.nonzero(ink)
    if len(xs) < 100:
        return False
    ink = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    blank_rows = float(np.mean(~ink.any(axis=1)))
    blank_cols = float(np.mean(~ink.any(axis=0)))
    return blank_cols > 0.15 and blank_cols > 2 * blank_rows


# A scanned page's paper reaches the frame's edges; a photo's sheet lies on a desk. Share
# of a band along the edges (3% of each side) within 40 grey levels of the paper (the
# image's 90th percentile): over 811 pages that are one picture in the photo sets of
# make_variants (seeds 5, 9, 21000, 46000, 93000, 97000 and others) every page whose
# sheet was found is at most 0.945; the scans of samples/ and of seeds 2612 and 40000
# are 0.52-1.00 (62% of them 0.99 or more). A page at or above it is not looked at for
# a sheet, which costs a scanned page a tenth of its preparation.
PAPER_TO_EDGES = 0.98


def paper_to_edges(image: Image.Image, *, band: float = 0.03) -> bool:
    """Whether the paper fills the frame: a scan, no photo of a sheet on a background."""
    image = image if image.mode in ("L", "RGB") else image.convert("L")  # reduce takes no "1" or "P"
    a = np.asarray(as_gray(image.reduce(max(1, image.width // 300))))
    h, w = a.shape
    bh, bw = max(1, round(h * band)), max(1, round(w * band))
    border = np.concatenate([a[:bh].ravel(), a[-bh:].ravel(), a[:, :bw].ravel(), a[:, -bw:].ravel()])
    return bool(np.mean(border >= np.percentile(a, 90) - 40) >= PAPER_TO_EDGES)


def rotate_upright(image: Image.Image, rotate: int) -> Image.Image:
    if not rotate:
        return image
    out = image.rotate(rotate, expand=True, fillcolor=255)  # counter-clockwise, as osd_rotation gives it
    out.info.update(image.info)
    return out


def _engine(timeout: float | None):
    from extract.ocr.engine import TesseractEngine

    return TesseractEngine(timeout=timeout)


def prepare_page(
    image: Image.Image, dpi: int, *, photo: bool = False, check_orientation: bool = True, straighten: bool = True,
    max_pixels: int | None = None, page_timeout: float | None = None,
) -> Prepared:
    """Everything done to a page image before OCR: perspective, light, orientation, size, skew.

    With ``straighten=False`` a skew up to ``MAX_LEAN`` is measured, not undone: it is
    left in ``skew`` for a caller that turns coordinates instead of pixels. A page is
    not enlarged past ``max_pixels``; ``page_timeout`` bounds its orientation check as
    it bounds the reading (``--page-timeout``)."""
    from extract.imaging.deskew import MIN_ROTATION, Skew, estimate_skew

    steps = []
    image = as_gray(image)
    scale, sheet = 1.0, {}  # ``sheet``: a rectified photo's map to its sheet, empty for any other page
    if photo:
        from extract.imaging.photo import BOWED, SHEET_MAP, rectify_photo

        rectified = rectify_photo(image, max_pixels=max_pixels)
        if rectified is not None:
            image, dpi, scale = rectified
            steps.append("perspective corrected")
            sheet = {"sheet_map": image.info[SHEET_MAP], "bowed": image.info[BOWED]}
    if sheet:  # a hard shadow may cross a photo's sheet
        from extract.imaging.photo_light import even_light

        image = even_light(image)
    else:
        image = flatten_illumination(image, dpi=dpi)
    image, dpi2 = upscale(image, dpi, max_pixels=max_pixels)
    if dpi2 != dpi:
        steps.append(f"upscaled {dpi}→{dpi2} dpi")
        scale, dpi = scale * dpi2 / dpi, dpi2
    rotated = 0
    if check_orientation and sheet:  # a sheet rectified: read which way up
        from extract.imaging.photo_orient import upright_turn

        rotated = upright_turn(image, engine=_engine(page_timeout))
        if rotated:
            image = rotate_upright(image, rotated)
            steps.append(f"rotated {rotated}°")
    elif check_orientation and looks_sideways(image):
        rotated = osd_rotation(image, timeout=page_timeout)
        if rotated:
            image = rotate_upright(image, rotated)
            steps.append(f"rotated {rotated}°")
    skew, angle, straightened = 0.0, estimate_skew(image), 0.0
    if abs(angle) >= MIN_ROTATION:
        if straighten or abs(angle) > MAX_LEAN:
            image = Skew(angle, image.width, image.height).straighten(image)
            steps.append(f"deskewed {angle:+.2f}°")
            straightened = angle
        else:
            skew = angle
            steps.append(f"skew {angle:+.2f}° measured")
    image.info["dpi"] = (dpi, dpi)
    return Prepared(image, dpi, tuple(steps), skew, scale if photo else 0.0, bool(sheet), rotated,
                    straightened=straightened, **sheet)
