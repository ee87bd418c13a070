"""``read_layer`` takes a page's characters, image area and rulings from pdfminer's objects
without pdfplumber's per-object dicts: they must be pdfplumber's, to the last bit, or the
words, the triage and the tables would change. Checked against pdfplumber's own
``page.chars``, ``page.images`` and ``page.edges`` on every sample PDF, and on a page
drawn here with what the samples lack (curves, a diagonal line, a MediaBox away from 0, 0)."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from extract.documents.pdf_layer import read_layer
from extract.model import Ruling

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
KEYS = ("text", "fontname", "x0", "x1", "top", "bottom", "doctop", "upright")


def _reference_rulings(page) -> tuple[Ruling, ...]:
    """The rulings as chitieu took them from pdfplumber's ``page.edges`` before ``read_layer``."""
    out = []
    for e in page.edges:
        x0, top, x1, bottom = float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"])
        if e["orientation"] == "h" and x1 - x0 > 2:
            out.append(Ruling("h", x0, top, x1, top))
        elif e["orientation"] == "v" and bottom - top > 2:
            out.append(Ruling("v", x0, top, x0, bottom))
    return tuple(out)


def _same_as_pdfplumber(path) -> int:
    """Pages checked; fails on the first difference."""
    with pdfplumber.open(path) as pdf:
        for i, page in enumerate(pdf.pages):
            layer = read_layer(page, i)
            assert [{k: c[k] for k in KEYS} for c in page.chars] == list(layer.chars), (path, i)
            assert layer.rulings == _reference_rulings(page), (path, i)
            area = sum(abs((im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images)
            assert layer.image_area == area, (path, i)
            assert layer.size == (float(page.width), float(page.height))
        return len(pdf.pages)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.pdf")), ids=lambda p: p.name)
def test_the_layer_of_every_sample_is_pdfplumbers(path):
    assert _same_as_pdfplumber(path) > 0


def _drawn_page(path, *, mediabox=None):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image

    c = canvas.Canvas(str(path), pagesize=(400, 300))
    c.setFont("Helvetica", 10)
    c.drawString(40, 250, "Tỷ lệ 80% hộ gia đình")
    c.rect(40, 100, 200, 80)  # a rectangle: four sides
    c.line(40, 140, 240, 140)  # a horizontal and a vertical line
    c.line(140, 100, 140, 180)
    c.line(250, 100, 300, 150)  # diagonal: no ruling
    path_obj = c.beginPath()  # a curve of straight pieces and one bent
    path_obj.moveTo(260, 200)
    path_obj.lineTo(360, 200)
    path_obj.lineTo(360, 260)
    path_obj.curveTo(340, 280, 300, 280, 260, 260)
    c.drawPath(path_obj)
    c.drawImage(ImageReader(Image.new("L", (20, 10), 128)), 300, 40, width=60, height=30)
    c.showPage()
    c.save()
    if mediabox:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        doc[0].set_mediabox(*mediabox)
        moved = path.with_name("moved.pdf")
        doc.save(str(moved))
        doc.close()
        return moved
    return path


@pytest.mark.parametrize("mediabox", [None, (15.5, 20.25, 390, 290)], ids=["origin", "moved"])
def test_curves_lines_and_a_moved_mediabox_are_read_as_pdfplumber_reads_them(tmp_path, mediabox):
    path = _drawn_page(tmp_path / "drawn.pdf", mediabox=mediabox)
    assert _same_as_pdfplumber(path) == 1
    with pdfplumber.open(path) as pdf:
        layer = read_layer(pdf.pages[0], 0)
    assert {r.orientation for r in layer.rulings} == {"h", "v"} and layer.image_area > 0 and layer.chars


def test_streams_are_forgotten_page_by_page_and_the_fonts_dictionaries_kept():
    from pdfminer.pdftypes import PDFStream

    from extract.documents.pdf import close_pdf, forget_resolved_objects, open_pdf_pages

    pdf, pages = open_pdf_pages(str(SAMPLES / "deck_2023_text.pdf"), max_pages=2)
    try:
        read_layer(pages[0], 0)
        cached = pdf.doc._cached_objs
        assert any(isinstance(obj, PDFStream) for obj, _ in cached.values())  # the page's content, at least
        kept = {k for k, (obj, _) in cached.items() if not isinstance(obj, PDFStream)}
        forget_resolved_objects(pdf)
        assert set(cached) == kept and kept  # the fonts' dictionaries, resources, the page
    finally:
        close_pdf(pdf, pages)
