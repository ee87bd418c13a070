"""Pages read in batches, one Tesseract process for several pages: the same pages as
read one by one, and a bad page fails alone."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.ocr.engine import TesseractEngine
from extract.ocr.tasks import OcrTask, read_pages, run_each, run_ocr_batch, run_ocr_task
from normalize.indicators.cells import PERCENT_CELLS

# Never played back (conftest): how one Tesseract process reads a list of pages is what these test.
pytestmark = pytest.mark.real_tesseract

SCAN = Path(__file__).resolve().parents[1] / "samples" / "deck_2023_scan.pdf"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.mark.tesseract
def test_a_batch_reads_each_page_as_alone():
    # A title slide and the first slide of the summary table (ruled, re-read cells).
    tasks = (OcrTask(str(SCAN), 0, "pdf"), OcrTask(str(SCAN), 9, "pdf"))
    together = read_pages(tasks, rule=PERCENT_CELLS)
    alone = [run_ocr_task(t, rule=PERCENT_CELLS) for t in tasks]
    assert together == alone  # tables (cells' text, boxes, confidence), lines and text alike
    (table,) = together[1].tables
    assert table.n_rows > 5 and len(together[1].text.split()) > 100


@pytest.mark.tesseract
def test_a_bad_page_fails_alone(tmp_path):
    tasks = (OcrTask(str(SCAN), 0, "pdf"), OcrTask(str(SCAN), 99, "pdf"), OcrTask(str(tmp_path / "gone.png"), 0, "image"))
    out = run_ocr_batch(tasks, rule=PERCENT_CELLS)
    assert out[0][0] is not None and out[0][1] == ""
    assert out[1][0] is None and out[1][1]
    assert out[2][0] is None and "gone.png" in out[2][1]


@pytest.mark.tesseract
def test_files_to_words_splits_the_reading_by_image(tmp_path):
    paths = []
    for k, text in enumerate(["Xã Nga Liên 85%", "", "Thị trấn Hậu Lộc 72%"]):
        img = Image.new("L", (900, 120), 255)
        if text:
            ImageDraw.Draw(img).text((20, 30), text, fill=0, font=ImageFont.truetype(FONT, 40))
        paths.append(str(tmp_path / f"{k}.bmp"))
        img.save(paths[-1])
    words = TesseractEngine().files_to_words(paths, lang="vie", psm=11)
    assert len(words) == 3
    assert "85%" in [w.text for w in words[0]] and words[1] == []
    assert "72%" in [w.text for w in words[2]]


def test_run_each_keeps_the_error_of_each_page():
    from extract.model import Page

    def ocr(task):
        if task.index == 1:
            raise ValueError("page 2 is torn")
        return Page(task.page_no, (100.0, 100.0), ())

    out = run_each(ocr, (OcrTask("a.pdf", 0, "pdf"), OcrTask("a.pdf", 1, "pdf"), OcrTask("a.pdf", 2, "pdf")))
    assert [(p and p.no, e) for p, e in out] == [(1, ""), (None, "ValueError: page 2 is torn"), (3, "")]


@pytest.mark.parametrize("n,workers", [(0, 1), (1, 1), (2, 1), (14, 1), (14, 2), (60, 2), (200, 2), (200, 8)])
def test_batches_cover_the_tasks_in_order_and_shrink(n, workers):
    from chitieu.batches import batch_spans

    spans = batch_spans(n, workers, 8)
    assert [k for a, b in spans for k in range(a, b)] == list(range(n))
    sizes = [b - a for a, b in spans]
    assert all(1 <= s <= 8 for s in sizes) and sizes == sorted(sizes, reverse=True)
    if n >= 24 * workers:
        assert sizes[0] == 8 and sizes[-1] == 1  # the model loaded once for 8 pages; a short tail
    if n <= 3 * workers:
        assert set(sizes) <= {1}
