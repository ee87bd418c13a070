"""Pages scanned upside down are turned upright before they are read."""
from __future__ import annotations

import pytest
from PIL import Image

from extract.model import Page, Word
from extract.ocr.tasks import read_poorly
from golden_compare import compare


def _page(confs):
    return Page(1, (100.0, 100.0), tuple(Word("x", (0, 0, 1, 1), c, 1, "ocr") for c in confs), source="ocr")


def test_read_poorly_is_about_most_words():
    assert read_poorly(_page([20, 30, 35, 90, 10, 40]))
    assert not read_poorly(_page([95, 90, 30, 96, 92, 88]))
    assert read_poorly(_page([69, 70, 96, 60, 75]))
    assert not read_poorly(_page([]))


@pytest.mark.tesseract
def test_upside_down_scan_reads_like_the_upright_one(samples, tmp_path):
    from chitieu import runner
    from extract.imaging.render import render_pdf_page
    from normalize.outputs.datasets import records_to_frame

    pages = [render_pdf_page(samples / "deck_2023_scan.pdf", i, dpi=300).rotate(180) for i in (9, 10)]
    path = tmp_path / "upside_down.pdf"
    pages[0].save(path, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    result = runner.run([str(path)], runner.Settings(jobs=2))
    frame = records_to_frame(result.records)
    merged = compare(frame)
    assert merged["right"].sum() >= 171
    assert (merged.loc[~merged["right"], "needs_review"] == "true").all()


@pytest.mark.tesseract
@pytest.mark.parametrize("angle", [1.5, 6.0])
def test_a_leaning_scan_reads_like_the_straight_one(samples, tmp_path, angle):
    # Up to preprocess.MAX_LEAN the page is read as it leans, beyond it is straightened first.
    from chitieu import runner
    from extract.imaging.render import render_pdf_page
    from normalize.outputs.datasets import records_to_frame

    pages = [render_pdf_page(samples / "deck_2023_scan.pdf", i, dpi=300).rotate(angle, resample=Image.BICUBIC,
                                                                               fillcolor=255) for i in (9, 10)]
    path = tmp_path / "leaning.pdf"
    pages[0].save(path, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    merged = compare(records_to_frame(runner.run([str(path)], runner.Settings(jobs=2)).records))
    assert merged["right"].sum() >= 171
    assert (merged.loc[~merged["right"], "needs_review"] == "true").all()


@pytest.mark.tesseract
@pytest.mark.parametrize("turn", [90, 270])
def test_orientation_gives_the_turn_back_to_upright(samples, turn):
    # Tesseract's "Rotate" is clockwise; taken as counter-clockwise, a page turned a
    # quarter either way came out upside down.
    from extract.imaging.preprocess import osd_rotation
    from extract.imaging.render import render_pdf_page

    page = render_pdf_page(samples / "deck_2023_scan.pdf", 9, dpi=300).rotate(turn, expand=True, fillcolor=255)
    assert (osd_rotation(page, min_confidence=0.0) + turn) % 360 == 0


@pytest.mark.tesseract
@pytest.mark.parametrize("turn", [90, 270])
def test_a_scan_turned_a_quarter_reads_like_the_upright_one(samples, tmp_path, turn):
    from chitieu import runner
    from extract.imaging.render import render_pdf_page
    from normalize.outputs.datasets import records_to_frame

    pages = [render_pdf_page(samples / "deck_2023_scan.pdf", i, dpi=300).rotate(turn, expand=True, fillcolor=255)
             for i in (9, 10)]
    path = tmp_path / f"turned_{turn}.pdf"
    pages[0].save(path, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    merged = compare(records_to_frame(runner.run([str(path)], runner.Settings(jobs=2)).records))
    assert merged["right"].sum() >= 171
    assert (merged.loc[~merged["right"], "needs_review"] == "true").all()
