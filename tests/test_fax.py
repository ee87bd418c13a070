"""Bilevel pages (faxes): their line noise cleaned at their own resolution before OCR
(extract.imaging.fax), on small drawn cases and on generated fax variants read through
the real Tesseract against the same pages rendered as they are."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from extract.imaging import render
from extract.imaging.fax import clean_bilevel, fill_holes, is_bilevel, mend_rulings, remove_specks

REPO = Path(__file__).resolve().parents[1]


def blank(h=60, w=200) -> np.ndarray:
    return np.zeros((h, w), dtype=bool)


def test_a_hole_in_a_stroke_is_filled_and_the_gap_between_strokes_is_not():
    ink = blank()
    ink[10:20, 10:20] = True
    ink[14, 14] = False  # a hole in a blot
    ink[10:20, 30:32] = ink[10:20, 34:36] = True  # two stems 2 px apart ('n', 'u')
    out = fill_holes(ink)
    assert out[14, 14]
    assert not out[10:20, 32:34].any()


def test_specks_go_and_a_diacritic_beside_its_letter_stays():
    ink = blank()
    ink[30, 100] = ink[5, 5] = True  # line noise, alone on paper
    ink[20:30, 150:156] = True  # a letter ...
    ink[31, 152] = True  # ... and the dot under it ('ạ'), a blank row below
    out = remove_specks(ink)
    assert not out[30, 100] and not out[5, 5]
    assert out[31, 152] and out[20:30, 150:156].all()


def test_a_dotted_rule_is_drawn_whole_and_a_row_of_text_is_not():
    rng = np.random.default_rng(3)
    ink = blank(80, 400)
    ink[20, 10:390] = rng.random(380) > 0.22  # a 1-px rule that lost 22% of its pixels
    ink[20, 200:205] = False  # and one gap of 5 px
    for x in range(20, 380, 9):  # a row of letters: 6 px glyphs 3 px apart, 10 px tall
        ink[50:60, x:x + 6] = rng.random((10, 6)) > 0.3
    out = mend_rulings(ink, dpi=150)
    first, last = np.flatnonzero(ink[20])[[0, -1]]
    assert out[20, first:last + 1].all()
    assert (out[50:60] == ink[50:60]).all()


def test_a_vertical_rule_is_mended_too():
    ink = blank(300, 60)
    ink[10:290, 30] = True
    ink[100:104, 30] = False
    assert mend_rulings(ink, dpi=150)[10:290, 30].all()


def test_clean_bilevel_keeps_the_size_and_gives_black_and_white():
    img = Image.new("1", (120, 80), 1)
    ImageDraw.Draw(img).rectangle((10, 10, 60, 40), fill=0)
    img.putpixel((100, 70), 0)
    out = clean_bilevel(img, dpi=150)
    assert out.mode == "L" and out.size == img.size and is_bilevel(out)
    assert out.getpixel((100, 70)) == 255 and out.getpixel((30, 20)) == 0
    assert not is_bilevel(Image.new("L", (4, 4), 128))


def test_a_one_bit_pdf_page_is_cleaned_and_a_gray_one_is_not(tmp_path):
    page = Image.new("1", (1240, 1754), 1)  # A4 at 150 dpi
    draw = ImageDraw.Draw(page)
    draw.text((200, 200), "Xã Cẩm Quý 82%", fill=0)
    for x, y in ((600, 900), (700, 1300), (100, 1600)):
        page.putpixel((x, y), 0)  # pepper
    fax = tmp_path / "fax.pdf"
    page.save(fax, resolution=150)
    image = render.render_pdf_page(fax, 0, dpi=300)
    assert image.size in ((2480, 3508), (2481, 3508)) and image.info["dpi"] == (300, 300)  # pdfium rounds up
    a = np.asarray(image)
    assert a[1800, 1200] == 255 and a[2600, 1400] == 255  # the specks are gone
    assert (a[390:440, 390:700] < 128).any()  # the text is not
    assert not is_bilevel(image)  # smoothed as it was enlarged: gray edges
    gray = tmp_path / "gray.pdf"
    page.convert("L").save(gray, resolution=150)  # a gray scan: rendered as it is, specks and all
    assert np.asarray(render.render_pdf_page(gray, 0, dpi=300))[1799:1803, 1199:1203].min() < 200


@pytest.mark.tesseract
@pytest.mark.real_tesseract
def test_fax_variants_read_more_cells_right_cleaned_than_as_they_are(tmp_path, monkeypatch):
    """Four generated faxes (reportlab, DejaVu: what every machine has), read serially
    cleaned and as pdfium renders them: cleaned reads more cells right, and neither
    way lets a wrong value through unflagged."""
    sys.path.insert(0, str(REPO / "scripts"))
    sys.path.insert(0, str(REPO / "bench"))
    import bench_fidelity
    import make_variants

    import chitieu

    make_variants.generate(4, 5, tmp_path, fonts=("DejaVuSans", "DejaVuSerif"), engines_=("reportlab",), kinds=("fax",))
    truth, groups, _ = bench_fidelity.load_truth(tmp_path)
    inputs = [str(p) for p in sorted(tmp_path.glob("v*.pdf"))]

    def score() -> Counter:
        result = chitieu.read(inputs, jobs=1, executor="serial")
        stats, failures = bench_fidelity.compare(truth, groups, result.records)
        total = sum((Counter(s) for s in stats.values()), Counter())
        total["silent"] = sum(f["kind"].endswith("_silent") for f in failures)
        return total

    cleaned = score()
    monkeypatch.setattr(render, "stored_fax", lambda *args, **kwargs: None)
    raw = score()
    assert raw["right"] > 0, raw  # read as rendered, not failed
    assert cleaned["right"] > raw["right"], (cleaned, raw)
    assert cleaned["silent"] == 0, cleaned


def _one_image_pdf(path: Path, image_dict: str, data: bytes, w: int, h: int, dpi: int = 150) -> None:
    """A PDF of one page that is one image of w × h pixels at ``dpi`` (Flate-compressed)."""
    import zlib

    pw, ph = 72 * w / dpi, 72 * h / dpi
    content = f"q 0 g {pw:g} 0 0 {ph:g} 0 0 cm /Im0 Do Q".encode()
    packed = zlib.compress(data)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:g} {ph:g}] /Resources << /XObject << /Im0 5 0 R >> >> "
        f"/Contents 4 0 R >>".encode(),
        b"<< /Length %d >>stream\n" % len(content) + content + b"\nendstream",
        f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} {image_dict} /Filter /FlateDecode "
        f"/Length {len(packed)} >>stream\n".encode() + packed + b"\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(out)


def test_a_stencil_mask_page_is_rendered_not_taken_as_a_fax(tmp_path):
    """An /ImageMask page is 1 bit too, but pdfium hands over the mask (ink as white):
    it is rendered, the bar black on white paper, as before the fax path."""
    w, h = 300, 200
    ink = np.zeros((h, w), dtype=bool)
    ink[50:60, 50:250] = True
    gray, mask = tmp_path / "gray1.pdf", tmp_path / "mask.pdf"
    _one_image_pdf(gray, "/ColorSpace /DeviceGray /BitsPerComponent 1", np.packbits(~ink, axis=1).tobytes(), w, h)
    _one_image_pdf(mask, "/ImageMask true", np.packbits(~ink, axis=1).tobytes(), w, h)
    for path in (gray, mask):
        a = np.asarray(render.render_pdf_page(path, 0, dpi=300))
        assert a[105:115, 110:490].mean() < 60 and a[300:380, 100:500].mean() > 230, path.name
    assert render.stored_fax(_page(gray), 300) is not None
    assert render.stored_fax(_page(mask), 300) is None
    assert render.stored_fax(_page(gray), 300, max_pixels=1000) is None  # over the limit: rendered within it


def _page(path: Path):
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(str(path))[0]


def test_enlarge_gives_gray_edges_and_keeps_ink_black_and_paper_white():
    """The cleaned page is smoothed as it is enlarged: its strokes' edges come out gray
    (what Tesseract's LSTM reads best), their middle black and the paper white."""
    from extract.imaging.fax import enlarge

    img = Image.new("L", (100, 60), 255)
    ImageDraw.Draw(img).rectangle((20, 20, 59, 39), fill=0)
    img.info["dpi"] = (150, 150)
    out = enlarge(img, (200, 120))
    a = np.asarray(out)
    assert out.mode == "L" and out.size == (200, 120) and out.info["dpi"] == (150, 150)
    assert a[55:65, 60:100].max() == 0 and a[:20].min() == 255 and a[100:].min() == 255
    edge = a[60, 30:50]  # across the left edge: a ramp of gray 3 px and more wide (Lanczos on
    assert ((edge > 20) & (edge < 235)).sum() >= 4, edge  # the bare pixels gives 2: a step)
    assert not is_bilevel(out)


def test_a_thin_ruling_stays_a_ruling_once_smoothed_and_enlarged():
    """Smoothing must not fade a 1-px rule (at 150 dpi) below what the ruling finder
    sees: a grid of them is still found, every line, on the page the engine gets."""
    from extract.imaging.fax import enlarge
    from extract.ocr.page import page_for_engine

    page = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(page)
    for y in (50, 100, 150, 200):
        draw.line((50, y, 550, y), fill=0)
    for x in (50, 200, 400, 550):
        draw.line((x, 50, x, 200), fill=0)
    draw.text((70, 70), "Xã Cẩm Quý 82%", fill=0)
    _, rulings = page_for_engine(enlarge(page, (1200, 600)), dpi=300)
    assert sorted(Counter(r.orientation for r in rulings).items()) == [("h", 4), ("v", 4)], rulings


def test_a_fax_tiff_is_smoothed_and_enlarged_as_a_fax_pdf_is(tmp_path):
    # A G4 TIFF at 150 dpi: cleaned at its own resolution, then enlarged to 300 dpi in gray
    # (fax.enlarge), as stored_fax does for a PDF's page; its fax warning keeps the 150.
    from PIL import ImageDraw

    from extract.imaging.render import BILEVEL, load_frame

    page = Image.new("1", (600, 400), 1)
    ImageDraw.Draw(page).rectangle((100, 100, 500, 130), fill=0)
    path = tmp_path / "fax.tif"
    page.save(path, compression="group4", dpi=(150, 150))
    frame = load_frame(path, 0)
    assert frame.size == (1200, 800) and frame.info["dpi"] == (300, 300) and frame.info[BILEVEL] == 150
    levels = set(np.unique(np.asarray(frame)).tolist())
    assert len(levels) > 2  # gray edges, not a blown-up 1-bit page


def test_a_row_of_small_bold_text_is_not_mended_into_a_rule():
    """Letters of 7 px (6-pt text at 150 dpi) with a bar at their middle and bars three rows
    above and below: their middle row is dense and the rows two away nearly paper, as
    beside a rule, but the rows three away are ink. Drawn whole, the line struck through
    the text ("95% trở lên" of v0011 of make_variants --n 12 --seed 31 --kinds fax)."""
    ink = blank(40, 400)
    for x in range(10, 390, 6):  # glyphs 5 px wide, 1 px apart: 'B'-like, 7 rows tall
        ink[17, x:x + 5] = ink[20, x:x + 5] = ink[23, x:x + 5] = True
        ink[17:24, x] = True
    out = mend_rulings(ink, dpi=150)
    assert (out == ink).all()
    rule = blank(40, 400)
    rule[20, 10:390] = True
    rule[20, 100:103] = False  # a rule with a gap, alone on paper, is still mended
    assert mend_rulings(rule, dpi=150)[20, 10:390].all()


def _header_page(text: str):
    from PIL import ImageFont

    dpi, px = 150, 150 / 72.0
    image = Image.new("L", (round(120 * px), round(30 * px)), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", round(9 * px))
    ImageDraw.Draw(image).text((round(20 * px), round(8 * px)), text, font=font, fill=0)
    return image, dpi


def _unsure(first_text: str, conf: float, image, dpi, engine):
    from extract.model import Cell, Page, Table, Word
    from extract.ocr.cells import _Deferred, reread_unsure_text

    first = [Word(first_text, (20.0, 8.0, 60.0, 20.0), conf, 1, "ocr")]
    cell = Cell(0, 0, 1, 1, first_text, (2.0, 2.0, 118.0, 28.0), conf, 1)
    page = Page(1, (120.0, 30.0), tuple(first), source="ocr", image_dpi=dpi)
    return reread_unsure_text(page, [Table((1, 1), (cell,), 1, 1)], list(first), _Deferred(image), dpi=dpi,
                              lang="vie", engine=engine, rule=None)


@pytest.mark.tesseract
def test_a_header_read_unsure_is_read_again_alone_and_kept_only_when_surer():
    from extract.ocr.engine import OcrWord, TesseractEngine

    image, dpi = _header_page("Trước")
    words, done = _unsure("T z", 64.0, image, dpi, TesseractEngine())  # the page pass's reading
    assert done == 1 and [w.text for w in words] == ["Trước"]

    class Unsure:  # a second reading no surer than the first
        name = "fake"

        def image_to_words(self, image, *, lang, psm, config=""):
            return [OcrWord("Trưóc", 50.0, 60, 20, 160, 50, 1)]

    words, done = _unsure("T z", 64.0, image, dpi, Unsure())
    assert done == 0 and [w.text for w in words] == ["T z"]
    words, done = _unsure("Trước", 96.0, image, dpi, Unsure())  # read surely: not read again
    assert done == 0
