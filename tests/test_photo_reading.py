"""A phone photo's page read as a page (issue 12): set upright by reading it, evened out under
a hard shadow, flagged only where coloured ink lay on the sheet, doubted when blurred.

The photos are made as in test_photo_sheet.py: a page of figures in a ruled table, seen in
perspective on a light desk. A grid's rulings hide the blank columns a sideways page of text
shows, and Tesseract's orientation detection misjudges such a page; a shadow's sharp edge
across the sheet used to leave a gray band over the characters; a red pen on the desk used
to flag the whole page. The reading goes through the real Tesseract.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image
from test_photo_sheet import FIGURES, _page, _photo

from extract.imaging.photo_light import even_light
from extract.imaging.photo_orient import upright_turn
from extract.imaging.preprocess import prepare_page


@pytest.fixture(scope="module")
def page():
    return _page(30)


def _read(image: Image.Image, dpi: int) -> str:
    from extract.ocr.page import read_page

    words, _ = read_page(image, page_no=1, dpi=dpi, reread_cells=False)
    return " ".join(w.text for w in words.words)


@pytest.mark.parametrize("quarter", [1, 3])  # the page turned a quarter either way on the desk
def test_a_sideways_photo_of_a_ruled_table_is_set_upright(page, quarter):
    photo = _photo(page).rotate(90 * quarter, expand=True)  # the phone held sideways
    prepared = prepare_page(photo, 300, photo=True)
    assert "perspective corrected" in prepared.steps
    assert prepared.rotated == (360 - 90 * quarter) % 360, prepared.steps
    text = _read(prepared.image, prepared.dpi)
    assert len([f for f in FIGURES if f in text]) >= 5, text


def test_an_upright_photo_is_left_as_it_is(page):
    prepared = prepare_page(_photo(page), 300, photo=True)
    assert prepared.rotated == 0 and not any(s.startswith("rotated") for s in prepared.steps)


def test_a_blank_sheet_is_not_turned():
    blank = Image.fromarray(np.full((900, 1200), 245, np.uint8))
    assert upright_turn(blank) == 0


def _shadowed(image: Image.Image) -> Image.Image:
    """``image`` with the hard shadow of something held close over the sheet: a slanting band
    across the sheet (not the desk, so the sheet's outline stays as it was) where the light
    falls by 40%, its edges blurred by 1.5 px."""
    from test_photo_sheet import CORNERS

    a = np.asarray(image, dtype=np.float32)
    h, w = a.shape
    ys, xs = np.mgrid[0:h, 0:w]
    band = xs + 0.6 * ys
    sheet = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(sheet, np.int32(CORNERS), 1)
    shade = ((band > 0.75 * w) & (band < 0.95 * w) & (sheet > 0)).astype(np.float32)
    shade = cv2.GaussianBlur(shade, (0, 0), 1.5)
    return Image.fromarray(np.clip(a * (1 - 0.4 * shade), 0, 255).astype(np.uint8), mode="L")


def _largest_gray(a: np.ndarray) -> float:
    """The share of the page the largest patch of mid-gray (neither paper nor ink) covers."""
    gray = ((a > 90) & (a < 215)).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(gray, connectivity=8)
    return float(stats[1:, cv2.CC_STAT_AREA].max()) / a.size if n > 1 else 0.0


def test_a_hard_shadow_across_the_sheet_leaves_white_paper_both_sides(page):
    prepared = prepare_page(_shadowed(_photo(page)), 300, photo=True)
    assert "perspective corrected" in prepared.steps
    # The characters' anti-aliased edges are small patches; a band along the shadow's edge is
    # one long one (3% of the page where the paper was taken tile by tile, flatten_illumination).
    assert _largest_gray(np.asarray(prepared.image)) < 0.01
    text = _read(prepared.image, prepared.dpi)
    assert len([f for f in FIGURES if f in text]) >= 5, text


def test_even_light_keeps_the_characters():
    a = np.full((400, 600), 200, np.uint8)
    cv2.putText(a, "45,6%", (40, 200), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 30, 5)
    out = np.asarray(even_light(Image.fromarray(a), text_height=50))
    assert out[a == 200].min() >= 240  # the paper white
    assert np.median(out[a < 60]) < 60  # the ink still dark


def _coloured(photo: Image.Image, *, stamp: bool) -> Image.Image:
    """``photo`` in colour: a red pen on the desk beside the sheet, and with ``stamp`` a red
    seal on the sheet, over its table's top-left cell (a third of the way to the far corner)."""
    from test_photo_sheet import CORNERS

    rgb = np.repeat(np.asarray(photo)[..., None], 3, axis=2).copy()
    cv2.rectangle(rgb, (60, 1200), (420, 1214), (190, 30, 30), cv2.FILLED)
    if stamp:
        centre = tuple(int(v) for v in np.mean([CORNERS[0], CORNERS[0], CORNERS[2]], axis=0))
        cv2.circle(rgb, centre, 70, (200, 40, 40), 8)
    return Image.fromarray(rgb, mode="RGB")


@pytest.mark.parametrize("stamp", [False, True])
def test_ink_on_the_desk_flags_nothing_and_a_seal_on_the_sheet_its_place(page, stamp, tmp_path):
    from extract.ocr.tasks import OcrTask, prepared_page

    path = tmp_path / "photo.png"
    _coloured(_photo(page), stamp=stamp).save(path)
    prepared, warnings = prepared_page(OcrTask(str(path), 0, "image"))
    assert prepared.sheet and not warnings  # never the whole page for ink on the desk
    if not stamp:
        assert prepared.inked == ()
        return
    assert len(prepared.inked) == 1
    x0, y0, x1, y1 = prepared.inked[0]  # a third of the way from the top-left corner of the sheet
    assert x0 < 1 / 3 < x1 and y0 < 1 / 3 < y1 and (x1 - x0) < 0.25 and (y1 - y0) < 0.3


def test_a_photo_blurred_for_its_characters_puts_every_value_in_doubt():
    from extract.imaging.photo_check import CHECK_BLUR_SHARE, doubt
    from extract.model import PhotoFacts

    # seed 5's v0028: σ 0.94 px over 16.9 px characters read "89%" as "8%", unflagged
    assert "blurred" in doubt(PhotoFacts(True, 16.9, 0.94, 1157))
    assert doubt(PhotoFacts(True, 21.9, 0.99 * CHECK_BLUR_SHARE * 21.9, 789)) == ""  # sharp enough for its size
    assert "px high" in doubt(PhotoFacts(True, 8.0, 0.9, 400))  # small: said as small


def test_a_small_photo_whose_every_value_is_unreadable_is_named_in_errors():
    # A photo of 4.5-px characters, enlarged and evened, reads cells of noise ("\\ê", "ba)"):
    # they are in indicators.csv as unreadable, and the photo is still said to give nothing.
    from dataclasses import replace

    from test_photo_reasons import RECORD, TINY, _photo_page

    from normalize.outputs.gaps import unread_parts

    noise = replace(RECORD, value=None, status="unreadable", value_raw="ba)", needs_review=True)
    rows = unread_parts([_photo_page(1, TINY, text="ba) \\ê")], [noise], [], source_file="tiny.png")
    assert [(r.page, r.kind) for r in rows] == [(None, "no_value")]
    assert "text too small" in rows[0].reason
    read = replace(noise, value=70.0, status="ok", value_raw="70%")  # one value read: the page gave it
    assert unread_parts([_photo_page(1, TINY)], [noise, read], [], source_file="tiny.png") == ()
