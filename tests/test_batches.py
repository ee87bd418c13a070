"""Pages read in batches, one Tesseract process for several pages: the same pages as
read one by one, and a bad page fails alone."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.ocr import TesseractEngine
from extract.scan import OcrTask, read_pages, run_each, run_ocr_batch, run_ocr_task

SCAN = Path(__file__).resolve().parents[1] / "samples" / "deck_2023_scan.pdf"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _words(page):
    return [(w.text, w.bbox, w.conf) for w in page.words]


@pytest.mark.tesseract
def test_a_batch_reads_each_page_as_alone():
    # A title slide and the first slide of the summary table (ruled, re-read cells).
    tasks = (OcrTask(str(SCAN), 0, "pdf"), OcrTask(str(SCAN), 9, "pdf"))
    together = read_pages(tasks)
    alone = [run_ocr_task(t) for t in tasks]
    assert [_words(p) for p in together] == [_words(p) for p in alone]
    assert [p.rulings for p in together] == [p.rulings for p in alone]
    assert len(together[1].rulings) > 10 and len(together[1].words) > 100


@pytest.mark.tesseract
def test_a_bad_page_fails_alone(tmp_path):
    tasks = (OcrTask(str(SCAN), 0, "pdf"), OcrTask(str(SCAN), 99, "pdf"), OcrTask(str(tmp_path / "gone.png"), 0, "image"))
    out = run_ocr_batch(tasks)
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
    def ocr(task):
        if task.index == 1:
            raise ValueError("page 2 is torn")
        return task.index

    out = run_each(ocr, (OcrTask("a.pdf", 0, "pdf"), OcrTask("a.pdf", 1, "pdf"), OcrTask("a.pdf", 2, "pdf")))
    assert out == [(0, ""), (None, "ValueError: page 2 is torn"), (2, "")]
