"""The review's pictures: the page around a value, drawn in the frame its box was read in."""
from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from chitieu import pictures
from chitieu.pictures import NoPicture, crop, crop_scale, crop_window, mark_box, page_image

PERCENT = re.compile(r"\d+(?:[,.]\d+)?\s?%")


def _decoded(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def _red(rgb: np.ndarray) -> tuple[int, int, int, int]:
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    ys, xs = np.nonzero((r > 150) & (g < 90) & (b < 90))
    assert len(xs), "no red mark"
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


def _ink_inside(rgb: np.ndarray, box, *, keep: float = 0.5) -> int:
    """Dark pixels in the middle ``keep`` of ``box`` (the marked cell's rules, at its edges, left out)."""
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) * (1 - keep) / 2, (y1 - y0) * (1 - keep) / 2
    gray = rgb.mean(axis=2)[int(y0 + dy):int(y1 - dy), int(x0 + dx):int(x1 - dx)]
    return int((gray < 140).sum())


def _expected_mark(bbox, page_size, scale=pictures.PICTURE_SCALE):
    window = crop_window(bbox, page_size)
    return mark_box(bbox, window, crop_scale(window, scale))


# Text-layer PDF: pdfplumber's frame


def test_text_pdf_word_is_marked_where_it_stands(samples):
    import pdfplumber

    path = samples / "deck_2023_summary_text.pdf"
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        size = (float(page.width), float(page.height))
        words = [w for w in page.extract_words() if PERCENT.fullmatch(w["text"])]
    for word in (words[3], words[-1]):  # one near the top, one near the bottom of the page
        bbox = (word["x0"], word["top"], word["x1"], word["bottom"])
        data = crop(path, 1, "text", bbox, page_size=size)
        rgb = _decoded(data)
        assert rgb.shape[1] <= pictures.MAX_WIDTH and rgb.shape[0] <= pictures.MAX_HEIGHT
        expected = _expected_mark(bbox, size)
        assert np.allclose(_red(rgb), expected, atol=2), (_red(rgb), expected)
        assert _ink_inside(rgb, expected, keep=0.8) > 20  # the word's own ink, framed
        assert 2_000 < len(data) < 40_000


def test_text_pdf_page_turned_and_cropped_keeps_pdfplumbers_frame(samples, tmp_path):
    # /Rotate 90, and a CropBox inside the MediaBox: pdfplumber's boxes are in the
    # turned MediaBox, which is what is drawn.
    import pdfplumber
    import pypdfium2 as pdfium

    src, dst = pdfium.PdfDocument(str(samples / "deck_2023_summary_text.pdf")), pdfium.PdfDocument.new()
    dst.import_pages(src, pages=[0])
    page = dst[0]
    page.set_rotation(90)
    left, bottom, right, top = page.get_mediabox()
    page.set_cropbox(left + 20, bottom + 20, right - 20, top - 20)
    path = tmp_path / "turned.pdf"
    dst.save(str(path))
    page.close(), dst.close(), src.close()
    with pdfplumber.open(path) as pdf:
        size = (float(pdf.pages[0].width), float(pdf.pages[0].height))
        word = [w for w in pdf.pages[0].extract_words() if PERCENT.fullmatch(w["text"])][7]
    bbox = (word["x0"], word["top"], word["x1"], word["bottom"])
    rgb = _decoded(crop(path, 1, "text", bbox, page_size=size))
    expected = _expected_mark(bbox, size)
    assert np.allclose(_red(rgb), expected, atol=2)
    assert _ink_inside(rgb, expected, keep=0.8) > 20


def test_a_slide_is_cropped_across_its_whole_width():
    # 720 pt: the row's label, at its left end, stays in the picture
    assert crop_window((500, 100, 520, 110), (720, 405))[::2] == (0.0, 720.0)
    left, top, right, bottom = crop_window((800, 300, 830, 310), (842, 595))  # A4 landscape: a window
    assert right - left == pytest.approx(pictures.FULL_WIDTH) and right == 842
    assert (top, bottom) == pytest.approx((300 - pictures.MARGIN, 310 + pictures.MARGIN))


# OCR'd pages: the pipeline's prepared image, straightened and turned


@pytest.mark.parametrize("name", ["deck_2023_summary_scan_200dpi.pdf", "deck_2023_summary_photo_1.jpg"])
def test_scan_is_drawn_in_the_frame_the_pipeline_read(run_sample, samples, name):
    from extract.documents.plan import DocKind, kind_of
    from extract.ocr.tasks import OcrTask, run_ocr_task
    from normalize.indicators.cells import PERCENT_CELLS

    _, result = run_sample(name)
    (_, facts), = result.accounts
    for f in facts:
        picture = page_image(samples / name, f.page, f.read_as, turned=f.turned)
        drawn = (picture.image.width / picture.scale, picture.image.height / picture.scale)
        assert drawn == pytest.approx(f.size, abs=1.0)
    kind = "image" if kind_of(samples / name) is DocKind.IMAGE else "pdf"
    read = run_ocr_task(OcrTask(str(samples / name), 0, kind), rule=PERCENT_CELLS)  # played back: the same readings
    boxes = [r.bbox for r in result.records if r.page == 1 and r.bbox is not None]
    boxes += [c.bbox for t in read.tables for c in t.cells if PERCENT.fullmatch(c.text)]
    for bbox in boxes[:3] + boxes[-3:]:
        rgb = _decoded(crop(samples / name, 1, "ocr", bbox, page_size=facts[0].size, turned=facts[0].turned))
        expected = _expected_mark(bbox, facts[0].size)
        assert np.allclose(_red(rgb), expected, atol=3)
        assert _ink_inside(rgb, expected, keep=0.7) > 20, bbox


def test_a_page_turned_after_reading_is_drawn_turned(samples, tmp_path):
    # Upside down, the page is turned by OSD once read poorly (PageResult.turned = 180).
    from chitieu import runner
    from extract.imaging.render import render_pdf_page

    pages = [render_pdf_page(samples / "deck_2023_scan.pdf", i, dpi=300).rotate(180) for i in (9, 10)]
    path = tmp_path / "upside_down.pdf"
    pages[0].save(path, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    (_, facts), = runner.run([str(path)], runner.Settings()).accounts
    assert facts[0].turned == 180
    upright = np.asarray(page_image(samples / "deck_2023_scan.pdf", 10, "ocr").image, dtype=float)
    turned = np.asarray(page_image(path, 1, "ocr", turned=facts[0].turned).image, dtype=float)
    as_stored = np.asarray(page_image(path, 1, "ocr").image, dtype=float)
    assert turned.shape == upright.shape
    assert np.abs(turned - upright).mean() < 3 < np.abs(as_stored - upright).mean()


# Failures: a reason, never a traceback


def test_failures_say_why(samples, tmp_path):
    with pytest.raises(NoPicture, match="cannot be opened"):
        page_image(tmp_path / "gone.pdf", 1, "text")
    with pytest.raises(NoPicture, match="has no page 9: it has 2 pages"):
        page_image(samples / "deck_2023_summary_text.pdf", 9, "text")
    with pytest.raises(NoPicture, match="has no page 3: it has 1 frame"):
        page_image(samples / "deck_2023_summary_photo_1.jpg", 3, "ocr")
    with pytest.raises(NoPicture, match="not 595×842 pt as read"):
        crop(samples / "deck_2023_summary_text.pdf", 1, "text", (10, 10, 20, 20), page_size=(595, 842))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n")
    with pytest.raises(NoPicture, match="broken.pdf page 1 cannot be drawn"):
        page_image(broken, 1, "text")


def test_a_page_is_drawn_once(samples):
    first = page_image(samples / "deck_2023_summary_text.pdf", 2, "text")
    assert page_image(samples / "deck_2023_summary_text.pdf", 2, "text").image is first.image


# Text-only sources: their notional page drawn again

TEXT_SOURCES = ["deck_2023_text_layer.txt", "template_xuanduong_2024.docx", "report_thuongxuan_2024.docx"]


def _notional_records(run_sample, name, n=6):
    """Some of the records of a text-only sample with their page's facts (size, source)."""
    _, result = run_sample(name)
    (_, facts), = result.accounts
    if any(f.size is None for f in facts):
        pytest.skip("no notional geometry (extract/layout/notional.py): PageResult.size is None")
    by_page = {f.page: f for f in facts}
    records = [r for r in result.records if r.bbox is not None and PERCENT.search(r.value_raw)]
    assert records
    step = max(1, len(records) // n)
    return [(r, by_page[r.page or 1]) for r in records[::step]]


@pytest.mark.parametrize("name", TEXT_SOURCES)
def test_text_source_page_is_drawn_with_the_value_at_its_box(run_sample, samples, name):
    for record, facts in _notional_records(run_sample, name):
        data = crop(samples / name, record.page, facts.read_as, record.bbox, page_size=facts.size)
        rgb = _decoded(data)
        expected = _expected_mark(record.bbox, facts.size)
        assert np.allclose(_red(rgb), expected, atol=2)
        assert _ink_inside(rgb, expected, keep=0.9) > 20
        assert len(data) < 40_000


@pytest.mark.tesseract
@pytest.mark.real_tesseract
@pytest.mark.parametrize("name", TEXT_SOURCES)
def test_text_source_value_reads_back_from_its_box(run_sample, samples, name):
    for record, facts in _notional_records(run_sample, name, n=3):
        picture = page_image(samples / name, record.page, facts.read_as)
        assert _digits(record.value_raw) in _read_back(picture, record.bbox), record


def test_drawn_page_puts_each_character_in_its_cell():
    from extract.imaging.drawing import draw_page
    from extract.layout.notional import CHAR_WIDTH, NotionalPage, span_box
    from extract.model import Cell, Line, PageResult, Table

    layout = NotionalPage()
    text = "Tỷ lệ đạt 87,5%."
    line = Line(text, 1, None, layout.line(text))
    table = layout.table(Table((1, 1), (Cell(0, 0, 1, 1, "Chỉ tiêu", (0, 0, 0, 0), 100.0, 1),
                                        Cell(0, 1, 1, 1, "95,24%", (0, 0, 0, 0), 100.0, 1)), 1, 2))
    page = PageResult(1, "dump", "text dump", (table,), (line, Line("", 1)), text, size=layout.size)
    s = pictures.PICTURE_SCALE
    image = np.asarray(draw_page(page, s).convert("RGB")).astype(int)
    value = span_box(line.bbox, text.index("87"), text.index("%") + 1)
    assert _ink_inside(image, [v * s for v in value], keep=1.0) > 20
    after = (value[2] + CHAR_WIDTH, value[1], value[2] + 10 * CHAR_WIDTH, value[3])  # past the line's end
    assert _ink_inside(image, [v * s for v in after], keep=1.0) == 0
    assert _ink_inside(image, [v * s for v in table.cells[1].bbox], keep=0.6) > 20


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _read_back(picture, bbox) -> str:
    from extract.ocr.engine import TesseractEngine

    from PIL import ImageOps

    x0, top, x1, bottom = (round(v * picture.scale) for v in bbox)
    region = ImageOps.expand(picture.image.crop((x0 + 2, top + 2, x1 - 2, bottom - 2)), 12, fill=255)  # a cell's rules out
    region = region.resize((region.width * 2, region.height * 2), Image.LANCZOS)
    return _digits("".join(w.text for w in TesseractEngine().image_to_words(region, lang="vie", psm=7)))
