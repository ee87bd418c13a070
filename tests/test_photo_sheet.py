"""A phone photo's sheet found on a light desk, flattened when bowed, and enlarged by its text
size (issue 12, items 1 and 2).

The photos are made here: a page of figures and a ruled table is drawn, bent (a sag of its
middle) and seen in perspective on a light laminate-like desk, with the soft shadow the sheet
casts, sensor noise and a little blur. The reading goes through the real Tesseract.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.imaging import photo
from extract.imaging.photo_text import text_height
from extract.imaging.preprocess import prepare_page

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PAGE = (1200, 850)  # px of the drawn page (A4 landscape at about 100 dpi)
CORNERS = [(310.0, 240.0), (1530.0, 300.0), (1470.0, 1120.0), (260.0, 1060.0)]  # where its corners land
FIGURES = ["45,6%", "72,18%", "100%", "8,25%", "63,0%", "91,4%"]


def _page(font_px: int) -> np.ndarray:
    page = Image.new("L", PAGE, 250)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, font_px)
    draw.text((60, 40), "BẢNG TỔNG HỢP KẾT QUẢ", font=font, fill=20)
    top, rows = 140, 6
    for r in range(rows + 1):  # a table ruled both ways
        draw.line([(60, top + r * 100), (1140, top + r * 100)], fill=20, width=3)
    for c in range(4):
        draw.line([(60 + c * 360, top), (60 + c * 360, top + rows * 100)], fill=20, width=3)
    for r, figure in enumerate(FIGURES):
        for c in range(3):
            draw.text((90 + c * 360, top + r * 100 + 30), figure if c else f"Xã số {r + 1}", font=font, fill=20)
    return np.asarray(page)


def _photo(page: np.ndarray, *, bow: float = 0.0, scale: float = 1.0, seed: int = 3) -> Image.Image:
    """``page`` bent by ``bow`` of its height, in perspective on a light desk, ``scale`` times the
    camera's resolution."""
    h, w = page.shape
    alpha = np.ones((h, w), np.float32)
    if bow:  # the sheet's middle sags by bow × its height, its corners stay: outline and print alike
        m = int(abs(bow) * h) + 2
        page, alpha = (np.pad(a, ((m, m), (0, 0))) for a in (page.astype(np.float32), alpha))
        ys, xs = np.mgrid[0:h + 2 * m, 0:w].astype(np.float32)
        sag = (4 * bow * h * (xs / w) * (1 - xs / w)).astype(np.float32)
        page, alpha = (cv2.remap(a, xs, ys - sag, cv2.INTER_LINEAR, borderValue=0) for a in (page, alpha))
        h += 2 * m
    rng = np.random.default_rng(seed)
    size = (round(1800 * scale), round(1350 * scale))
    desk = np.full((size[1], size[0]), 222, np.float32) + rng.normal(0, 3, (size[1], size[0]))
    corners = np.float32(CORNERS) * scale
    matrix = cv2.getPerspectiveTransform(np.float32([(0, 0), (w, 0), (w, h), (0, h)]), corners)
    sheet = cv2.warpPerspective(page.astype(np.float32), matrix, size, flags=cv2.INTER_LINEAR)
    alpha = cv2.warpPerspective(alpha, matrix, size, flags=cv2.INTER_LINEAR)
    shadow = cv2.GaussianBlur(np.roll(alpha, (int(12 * scale), int(8 * scale)), (0, 1)), (0, 0), 10 * scale)
    desk *= 1 - 0.35 * shadow
    out = desk * (1 - alpha) + sheet * alpha + rng.normal(0, 3, desk.shape)
    out = cv2.GaussianBlur(out, (0, 0), 0.6)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), mode="L")


@pytest.fixture(scope="module")
def page():
    return _page(30)


def test_the_sheet_is_found_on_a_light_desk(page):
    quad = photo.find_sheet(_photo(page))
    assert quad is not None
    for (x, y), (tx, ty) in zip(quad, CORNERS):  # within 1% of the photo's width (18 px)
        assert abs(x - tx) < 18 and abs(y - ty) < 18, (quad, CORNERS)


def test_a_page_with_a_table_on_white_is_no_sheet(page):
    # A scan: the table's ruled box stands out by its edges, but the paper around it is as
    # bright as the paper inside: it is no sheet on a desk.
    scan = np.full((1400, 1800), 250, np.uint8)
    scan[200:1050, 300:1500] = page
    assert photo.find_sheet(Image.fromarray(scan)) is None


def _ruling_bend(image: Image.Image) -> float:
    """The px the table's bottom ruling rises and falls across the page: in each of 8 strips
    across its middle, the median over the strip's columns of the lowest ink above the margin."""
    a = np.asarray(image)
    h, w = a.shape
    ink = a[int(h * 0.5):int(h * 0.93)] < 128
    lowest = np.array([np.nonzero(ink[:, x])[0].max() if ink[:, x].any() else -1 for x in range(w)])
    strips = np.array_split(np.arange(int(w * 0.15), int(w * 0.85)), 8)
    rows = [np.median(lowest[cols][lowest[cols] >= 0]) for cols in strips]
    return float(np.ptp(rows))


@pytest.mark.parametrize("bow", [0.03, -0.025])
def test_a_bowed_sheet_is_flattened(page, bow):
    out, _, _ = photo.rectify_photo(_photo(page, bow=bow))
    flat_bend = _ruling_bend(out)
    bent, _, _ = photo.rectify_photo(_photo(page, bow=bow), bow=False)
    assert _ruling_bend(bent) > 10  # the four corners alone leave it bent
    assert flat_bend <= 0.3 * _ruling_bend(bent)


@pytest.mark.parametrize("camera", [0.6, 1.0, 1.6])
def test_the_text_is_enlarged_to_its_target_height_whatever_the_camera(camera):
    image, _, scale = photo.rectify_photo(_photo(_page(24), scale=camera))
    measured = text_height(np.asarray(image))
    if scale > 1.0 + 1e-6:  # enlarged: to about the height Tesseract reads best
        assert abs(measured - photo.TARGET_HEIGHT) <= 0.3 * photo.TARGET_HEIGHT, (camera, measured)
    else:  # large enough already: never reduced
        assert measured >= 0.7 * photo.TARGET_HEIGHT


def test_small_figures_are_read_after_the_photo_is_prepared():
    from extract.ocr.page import read_page

    prepared = prepare_page(_photo(_page(22), scale=0.6), 300, photo=True, straighten=True)
    assert "perspective corrected" in prepared.steps
    page, _ = read_page(prepared.image, page_no=1, dpi=prepared.dpi, reread_cells=False)
    text = " ".join(w.text for w in page.words)
    found = [f for f in FIGURES if f in text]
    assert len(found) >= 5, text

