"""A phone photo's sheet found whole where a shadow crosses it, where it lies in shadow on a lit
desk, and a slide found inside its screen's black frame (issue 12: the sheet not found, or
found cut short, was the largest loss on make_variants --kinds photo).

The photos are drawn here: a page of text and a ruled table, seen in perspective on a desk.
"""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from extract.imaging import photo

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SIZE = (1800, 1350)  # px of the photo
CORNERS = [(420.0, 300.0), (1450.0, 340.0), (1400.0, 1080.0), (380.0, 1030.0)]  # the sheet's, in the photo


def _page(paper: int = 245) -> np.ndarray:
    page = Image.new("L", (1100, 800), paper)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 26)
    draw.text((60, 40), "BẢNG TỔNG HỢP KẾT QUẢ", font=font, fill=20)
    for r in range(7):
        draw.line([(60, 140 + r * 90), (1040, 140 + r * 90)], fill=20, width=3)
        if r < 6:
            draw.text((90, 170 + r * 90), f"Xã số {r + 1}   45,6%   72,18%", font=font, fill=20)
    return np.asarray(page, np.float32)


def _scene(page: np.ndarray, desk: float, *, corners=CORNERS, seed: int = 5) -> np.ndarray:
    """``page`` in perspective at ``corners`` on a desk of level ``desk`` (float, before light)."""
    rng = np.random.default_rng(seed)
    h, w = page.shape
    out = np.full((SIZE[1], SIZE[0]), desk, np.float32) + rng.normal(0, 3, (SIZE[1], SIZE[0]))
    matrix = cv2.getPerspectiveTransform(np.float32([(0, 0), (w, 0), (w, h), (0, h)]), np.float32(corners))
    sheet = cv2.warpPerspective(page, matrix, SIZE, flags=cv2.INTER_LINEAR)
    alpha = cv2.warpPerspective(np.ones_like(page), matrix, SIZE, flags=cv2.INTER_LINEAR)
    return out * (1 - alpha) + sheet * alpha


def _band(scene: np.ndarray, light: float, *, offset: float = 0.0, width: float = 260.0) -> np.ndarray:
    """A hard shadow band (the light falling to ``light``, over 10 px at its edges, as
    make_variants draws it) running diagonally across the photo."""
    ys, xs = np.mgrid[0:SIZE[1], 0:SIZE[0]].astype(np.float32)
    across = (xs - ys * 0.8 - 700 - offset) / np.hypot(1, 0.8)
    dark = np.clip((width / 2 - np.abs(across)) / 10.0 + 0.5, 0.0, 1.0)
    return scene * (1.0 - (1.0 - light) * dark)


def _image(a: np.ndarray) -> Image.Image:
    a = cv2.GaussianBlur(a, (0, 0), 0.8) + np.random.default_rng(1).normal(0, 2, a.shape)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), mode="L")


def _assert_corners(quad, corners=CORNERS, tolerance: float = 18.0) -> None:
    assert quad is not None
    for (x, y), (tx, ty) in zip(quad, corners):  # within 1% of the photo's width
        assert abs(x - tx) < tolerance and abs(y - ty) < tolerance, (quad, corners)


def test_a_sheet_crossed_by_a_shadow_band_is_found_whole():
    # The band's edges run on over the desk from the sheet's: the brightness alone finds the lit
    # part of the sheet, the edges a region with the band's edges clinging to it.
    _assert_corners(photo.find_sheet(_image(_band(_scene(_page(), 120.0), 0.45))))


def test_a_sheet_in_shadow_on_a_lit_desk_is_found():
    # The sheet no brighter than the desk about it (its upper quartile below the desk's median),
    # but its edge is a step all round.
    scene = _scene(_page(paper=150), 175.0)
    _assert_corners(photo.find_sheet(_image(scene)))


def test_a_slide_is_found_inside_its_screens_black_frame():
    frame = [(300.0, 200.0), (1560.0, 240.0), (1500.0, 1180.0), (260.0, 1130.0)]
    scene = _scene(np.full((900, 1200), 25, np.float32), 90.0, corners=frame)  # the monitor
    slide = _scene(_page(paper=235), 0.0)
    lit = slide > 1
    scene[lit] = slide[lit]
    _assert_corners(photo.find_sheet(_image(scene)))


def test_a_ruling_on_paper_is_no_step_a_sheets_edge_is():
    small = np.full((400, 600), 240, np.uint8)
    quad = [(100.0, 100.0), (500.0, 100.0), (500.0, 300.0), (100.0, 300.0)]
    cv2.polylines(small, [np.int32(quad)], True, 20, 2)  # a table's box drawn on a scan
    assert photo._edge_step(small, quad) < photo.MIN_EDGE_STEP
    small[:] = 120
    small[100:300, 100:500] = 200  # a sheet on a desk
    assert photo._edge_step(small, quad) >= photo.MIN_EDGE_STEP


def test_a_strip_clinging_to_a_region_is_cut_its_corners_kept():
    mask = np.zeros((300, 400), np.uint8)
    mask[50:250, 60:340] = 255  # a sheet
    cv2.line(mask, (340, 150), (399, 20), 255, 5)  # a shadow's edge running on from its side
    out = photo._without_lines(mask)
    _, labels = cv2.connectedComponents(out)
    sheet = labels == labels[150, 200]
    assert not sheet[:, 340 + photo.LINE:].any()  # the strip is cut off within the opening's reach
    assert sheet[50:250, 60:340].all()  # the sheet keeps every pixel, its corners too
