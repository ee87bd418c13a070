"""Coloured ink over a colour scan (a red seal, a blue signature) is dropped before reading."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from extract.imaging.binarize import as_gray, drop_colour_ink, has_colour

SEAL = np.array([205, 30, 40], dtype=np.float32) / 255  # the variants' seal ink
PEN = (12, 20, 62)  # a blue ballpoint as the variants' scans show it


def _ink(page: Image.Image, mask: Image.Image, colour: np.ndarray, alpha: float) -> Image.Image:
    """``colour`` multiplied onto the page where ``mask`` is set, as ink over paper and print."""
    a = np.asarray(page, dtype=np.float32)
    m = (np.asarray(mask, dtype=np.float32) / 255 * alpha)[:, :, None]
    return Image.fromarray((a * (1 - m + m * colour)).round().astype(np.uint8), mode="RGB")


def _page() -> tuple[Image.Image, Image.Image]:
    """A white page with two black bars (print), a red ring over one, a blue stroke over the
    other, and the mask of each part: print 1, seal alone 2, pen alone 3, print under the seal 4."""
    page = Image.new("RGB", (2000, 1500), "white")
    d = ImageDraw.Draw(page)
    d.rectangle((40, 100, 360, 110), fill=(20, 20, 20))
    d.rectangle((40, 200, 360, 210), fill=(20, 20, 20))
    seal = Image.new("L", page.size, 0)
    ImageDraw.Draw(seal).ellipse((60, 40, 200, 180), outline=255, width=14)
    page = _ink(page, seal, SEAL, 0.85)
    ImageDraw.Draw(page).line((50, 190, 350, 230), fill=PEN, width=4)
    parts = np.zeros((1500, 2000), dtype=np.uint8)
    parts[np.asarray(seal) > 0] = 2
    pen = Image.new("L", page.size, 0)
    ImageDraw.Draw(pen).line((50, 190, 350, 230), fill=255, width=4)
    parts[np.asarray(pen) > 0] = 3
    parts[100:111, 40:361] = np.where(parts[100:111, 40:361] == 2, 4, 1)
    parts[200:211, 40:361] = np.where(parts[200:211, 40:361] == 3, 3, 1)
    return page, Image.fromarray(parts)


def test_seal_and_pen_become_paper_and_print_stays_dark():
    page, parts = _page()
    gray = np.asarray(drop_colour_ink(page))
    p = np.asarray(parts)
    assert gray[p == 1].max() <= 40 and gray[p == 4].max() <= 40  # print, and print under the seal
    assert gray[p == 2].min() >= 200  # the seal alone: its lightest channel
    assert gray[p == 3].min() >= 230  # the pen alone: paper
    plain = np.asarray(as_gray(page))
    assert plain[p == 2].max() <= 110 and plain[p == 3].max() <= 40  # what a gray render would have read


def test_a_coloured_scene_is_converted_as_it_always_was():
    # A photo on a wooden desk: the colour is the scene's, and the sheet is found by its light.
    page, _ = _page()
    ImageDraw.Draw(page).rectangle((1000, 0, 2000, 1500), fill=(150, 100, 60))
    assert np.array_equal(np.asarray(drop_colour_ink(page)), np.asarray(as_gray(page)))


def test_a_page_without_colour_is_converted_as_it_always_was():
    page = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(page).rectangle((40, 100, 360, 110), fill=(90, 90, 90))
    assert not has_colour(page.reduce(8))
    assert np.array_equal(np.asarray(drop_colour_ink(page)), np.asarray(as_gray(page)))
    gray = as_gray(page)
    assert drop_colour_ink(gray) is gray


@pytest.mark.tesseract
def test_cells_under_a_red_seal_read_like_the_clean_page(samples, tmp_path):
    from chitieu import runner
    from extract.imaging.render import render_pdf_page
    from golden_compare import compare
    from normalize.outputs.datasets import records_to_frame

    pages = []
    for i in (9, 10):
        page = render_pdf_page(samples / "deck_2023_scan.pdf", i, dpi=300).convert("RGB")
        seal = Image.new("L", page.size, 0)
        w, h = page.size
        # A seal's ring as dense as the darkest the variants draw, over value cells of the middle rows.
        ring = (w * 0.45, h * 0.35, w * 0.6, h * 0.35 + w * 0.15)
        ImageDraw.Draw(seal).ellipse(ring, outline=255, width=round(w * 0.012))
        pages.append(_ink(page, seal, SEAL, 0.9))
    path = tmp_path / "sealed.pdf"
    pages[0].save(path, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    records = runner.run([str(path)], runner.Settings(jobs=2)).records
    merged = compare(records_to_frame(records))
    assert merged["right"].sum() >= 171
    # Read through the seal, but never let through unlooked at: an edge of it may take a stroke.
    under = [r for r in records if "under a seal" in r.note]
    assert under and all(r.needs_review for r in under)
    # Only there: a value well clear of the ring is not flagged for it.
    width = pages[0].width * 72 / 300
    clear = [r for r in records if r.bbox and (r.bbox[2] < 0.40 * width or r.bbox[0] > 0.65 * width)]
    assert clear and not any("under a seal" in r.note for r in clear)



@pytest.mark.parametrize("ccw", [0, 90, 180, 270])
def test_inked_regions_turn_with_the_page(ccw):
    from extract.imaging.inked import ink_regions, turn_regions

    mask = np.zeros((1200, 900), dtype=bool)
    mask[100:300, 600:800] = True  # a seal near the top right
    turned = np.asarray(Image.fromarray(mask).rotate(ccw, expand=True))
    expected = ink_regions(turned)
    got = turn_regions(ink_regions(mask), ccw)
    assert len(got) == len(expected) == 1
    assert np.allclose(got[0], expected[0], atol=0.02)


@pytest.mark.parametrize("mode", ["P", "CMYK", "RGBA"])
def test_a_page_in_any_colour_mode_is_converted(mode):
    page, parts = _page()
    page = page.convert("P", palette=Image.Palette.ADAPTIVE) if mode == "P" else page.convert(mode)
    gray = np.asarray(drop_colour_ink(page))
    assert gray.shape == (1500, 2000)
    assert gray[np.asarray(parts) == 1].max() <= 60  # print stays dark, whatever the mode


@pytest.mark.parametrize("lean", [1.5, 6.0])
def test_inked_regions_are_straightened_with_the_page(lean):
    # A page leaning 6° is straightened in pixels, one leaning 1.5° has its words turned
    # straight: either way the seal's region must still cover where the seal is then.
    from extract.imaging.preprocess import prepare_page
    from extract.imaging.render import _to_gray
    from extract.ocr.tasks import _inked

    page = Image.new("RGB", (2480, 3508), "white")
    d = ImageDraw.Draw(page)
    for y in range(300, 3300, 60):  # lines of print, for the skew to be measured by
        d.rectangle((200, y, 2280, y + 14), fill=(20, 20, 20))
    ring = (1600, 2400, 2200, 3000)  # near a corner, where a turn moves it most
    seal = Image.new("L", page.size, 0)
    ImageDraw.Draw(seal).ellipse(ring, outline=255, width=40)
    page = _ink(page, seal, SEAL, 0.85).rotate(lean, fillcolor="white")
    gray = _to_gray(page)
    prepared = prepare_page(gray, 300, straighten=False)
    (region,), said = _inked(gray, prepared)
    assert not said
    w, h = page.size
    x0, y0, x1, y1 = region
    assert x0 <= ring[0] / w and y0 <= ring[1] / h and x1 >= ring[2] / w and y1 >= ring[3] / h
