"""A photo that gave nothing says why (issue 12, item 4), and a PDF page that is one photo is
read as a photo (issue 12).

The cases are made here from samples/deck_2023_summary_photo_1.jpg (a desk photo of the
deck's summary table, which reads whole): blurred by σ 4 px, reduced to a quarter of its
width, and a desk with no sheet on it. What a photo is found to be like needs no OCR; the
command-line run reads them with Tesseract (played back from tests/ocr_replay when recorded).
"""
from __future__ import annotations

import csv

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageFilter

from extract.errors import ExitCode
from extract.imaging.photo_check import TOO_BLURRED, TOO_SMALL, describe, character_marks, edge_blur, faults
from extract.imaging.preprocess import prepare_page
from extract.imaging.render import PICTURE, render_pdf_page
from extract.model import PageResult, PhotoFacts
from extract.ocr.tasks import OcrTask, _photo_facts, prepared_page
from normalize.outputs.gaps import unread_parts
from normalize.record import Record

PHOTO = "deck_2023_summary_photo_1.jpg"


@pytest.fixture(scope="module")
def photos(tmp_path_factory, samples):
    """The sample photo, and the three made from it, as files (PNG: the same bytes on every run)."""
    folder = tmp_path_factory.mktemp("photos")
    sharp = Image.open(samples / PHOTO).convert("RGB")
    made = {
        "sharp": sharp,
        "blurred": sharp.filter(ImageFilter.GaussianBlur(4)),
        "tiny": sharp.resize((sharp.width // 4, sharp.height // 4), Image.LANCZOS),
        "desk": _desk(sharp.size),
    }
    for name, image in made.items():
        image.save(folder / f"{name}.png")
    return folder


def _desk(size: tuple[int, int]) -> Image.Image:
    """A brown desk's grain, smooth and noisy, and no sheet on it."""
    rng = np.random.default_rng(12)
    grain = Image.fromarray(rng.integers(0, 255, (size[1] // 8, size[0] // 8), dtype=np.uint8))
    grain = np.asarray(grain.resize(size, Image.BICUBIC).filter(ImageFilter.GaussianBlur(3)), dtype=np.float32)
    gray = 90 + 0.25 * (grain - 128) + rng.normal(0, 4, grain.shape)
    rgb = np.stack([gray * 1.15, gray * 0.9, gray * 0.7], axis=-1)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def _facts(path) -> PhotoFacts | None:
    prepared, _ = prepared_page(OcrTask(str(path), 0, "image"))
    return _photo_facts(prepared.image, prepared)


def test_the_sharp_photo_has_no_fault(photos):
    facts = _facts(photos / "sharp.png")
    assert facts.sheet and facts.text_height >= TOO_SMALL and facts.blur < TOO_BLURRED
    assert faults(facts, tables=1) == []
    assert describe(facts, tables=1).startswith("photo: no fault found (characters ")


def test_a_heavily_blurred_photo_is_too_blurred(photos):
    facts = _facts(photos / "blurred.png")
    assert facts.sheet and facts.blur >= TOO_BLURRED
    assert [what for what, _ in faults(facts, tables=0)] == ["too blurred"]


def test_a_photo_of_tiny_text_has_text_too_small(photos):
    facts = _facts(photos / "tiny.png")
    assert facts.blur < TOO_BLURRED and 0 < facts.text_height < TOO_SMALL
    assert [what for what, _ in faults(facts, tables=1)] == ["text too small"]
    assert f"characters {facts.text_height:.1f} px high" in describe(facts, tables=1)


def test_a_photo_with_no_sheet_has_no_sheet_or_table(photos):
    facts = _facts(photos / "desk.png")
    assert not facts.sheet
    assert ("no sheet or table found", "") in faults(facts, tables=0)


def test_blur_is_measured_as_the_sigma_it_was_blurred_by():
    """A page of thick black bars on white, blurred by a known σ, measures about that σ."""
    page = Image.new("L", (600, 400), 255)
    a = np.asarray(page).copy()
    for x in range(40, 560, 40):
        a[40:360, x:x + 20] = 0
    for sigma in (1.0, 2.0, 3.0):
        blurred = np.asarray(Image.fromarray(a).filter(ImageFilter.GaussianBlur(sigma)))
        assert edge_blur(blurred, window=30) == pytest.approx(sigma, abs=0.3)
    assert edge_blur(a, window=30) < 0.5


def test_characters_are_measured_and_rulings_left_out():
    from PIL import ImageDraw, ImageFont

    page = Image.new("L", (1200, 800), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    for row in range(8):
        draw.text((60, 60 + 80 * row), "12,5% 87% 100% 3,75%", font=font, fill=0)
        draw.line((40, 50 + 80 * row, 1160, 50 + 80 * row), fill=0, width=3)  # a table's rulings
    heights = character_marks(np.asarray(page))[:, 3]
    assert 25 <= np.median(heights) <= 32  # DejaVu's digits at 40 px: 29 px high


def _photo_page(no: int, facts: PhotoFacts | None, tables: tuple = (), text: str = "") -> PageResult:
    return PageResult(no, "ocr", "page is an image", tables, (), text, photo=facts)


BLURRED = PhotoFacts(True, 14.0, 2.6, 300)
TINY = PhotoFacts(True, 4.5, 0.4, 500)
FINE = PhotoFacts(True, 20.0, 0.5, 900)
RECORD = Record(source_file="a.pdf", page=1, province="Thanh Hóa", district="Quảng Xương", commune="Xã Quảng Lưu",
                district_code="", commune_code="", year=2023, indicator_id=6, indicator_name="x", phase="before",
                value=70.0, qualifier="", status="ok", value_raw="70%", label_raw="x", match_score=100.0,
                ocr_conf=None, needs_review=False, note="")


def test_a_photo_with_no_value_says_why_on_the_document():
    rows = unread_parts([_photo_page(1, BLURRED, text="BAO CAO")], [], [], source_file="a.jpg")
    assert [(r.page, r.kind) for r in rows] == [(None, "no_value")]
    assert rows[0].reason.startswith("no indicator value in the document (1 page(s)")
    assert rows[0].reason.endswith("; photo: too blurred (edge blur σ 2.60 px; under 1.0 reads)")


def test_a_photo_page_that_shows_a_table_says_why_on_its_row():
    percents = " ".join(f"{k}5%" for k in range(8))
    rows = unread_parts([_photo_page(1, TINY, text=percents)], [], [], source_file="a.jpg")
    assert [(r.page, r.kind) for r in rows] == [(1, "no_record"), (None, "no_value")]
    assert rows[0].reason.endswith("; photo: text too small (characters 4.5 px high; 8 or more read)")


def test_the_photos_of_a_pdf_are_said_by_page():
    no_sheet = PhotoFacts(False, 20.0, 0.5, 900)
    pages = [_photo_page(1, BLURRED, text="BAO CAO"), _photo_page(2, no_sheet), _photo_page(3, BLURRED),
             _photo_page(4, None), _photo_page(5, FINE)]
    rows = unread_parts(pages, [], [], source_file="a.pdf")
    assert rows[-1].reason == ("no indicator value in the document (5 page(s), 0 table(s), 0 percentage(s) in its "
                               "text); photos: too blurred on page(s) 1, 3; no sheet or table found on page(s) 2; "
                               "no fault found on page(s) 5")


def test_a_faulty_photo_page_of_a_document_that_gave_values_has_its_row():
    pages = [_photo_page(1, FINE), _photo_page(2, TINY), _photo_page(3, FINE)]
    rows = unread_parts(pages, [RECORD], [], source_file="a.pdf")
    assert [(r.page, r.reason) for r in rows] == [
        (2, "no indicator value was read from the page; photo: text too small (characters 4.5 px high; 8 or more read)")]


def test_a_page_that_is_no_photo_is_said_as_before():
    rows = unread_parts([_photo_page(1, None)], [], [], source_file="a.pdf")
    assert rows[0].reason == "no indicator value: no text was found in the document (blank, or an image OCR could not read)"
    shown = " ".join(f"{k}5%" for k in range(8))
    rows = unread_parts([_photo_page(1, None, text=shown), _photo_page(2, None)], [], [], source_file="a.pdf")
    assert rows[0].reason == "the page shows 8 percentage(s) but no indicator value was read from it"
    assert rows[1].reason == "no indicator value in the document (2 page(s), 0 table(s), 8 percentage(s) in its text)"


def test_a_pdf_page_that_is_a_photo_is_read_as_one(photos, tmp_path):
    sharp = Image.open(photos / "sharp.png")
    sharp.save(tmp_path / "photos.pdf", "PDF", resolution=300, save_all=True, append_images=[sharp], quality=90)
    rendered = render_pdf_page(tmp_path / "photos.pdf", 1)
    assert rendered.info.get(PICTURE)
    prepared, _ = prepared_page(OcrTask(str(tmp_path / "photos.pdf"), 1, "pdf"))
    assert prepared.sheet and prepared.photo_scale > 1 and "perspective corrected" in prepared.steps
    as_image, _ = prepared_page(OcrTask(str(photos / "sharp.png"), 0, "image"))
    assert abs(prepared.image.width - as_image.image.width) <= 2  # the same sheet found in both


@pytest.mark.parametrize("name,page", [("deck_2023_scan.pdf", 0), ("report_thuongxuan_2024_scan.pdf", 1)])
def test_a_scanned_page_is_prepared_as_before(samples, name, page):
    """A scan is one picture too, but its paper fills it: no sheet is found, nothing changes."""
    task = OcrTask(str(samples / name), page, "pdf", dpi=150)
    image = render_pdf_page(task.path, page, dpi=150)
    assert image.info.get(PICTURE)
    prepared, _ = prepared_page(task)
    before = prepare_page(image, 150, photo=False, straighten=False)
    assert not prepared.sheet and prepared.photo_scale == 0
    assert prepared.steps == before.steps and prepared.image.tobytes() == before.image.tobytes()


def test_a_text_page_is_no_picture(samples):
    assert not render_pdf_page(samples / "deck_2023_text.pdf", 0, dpi=50).info.get(PICTURE)


def test_the_command_line_says_why_each_photo_gave_nothing(photos, tmp_path):
    from pipeline import main

    inputs = [str(photos / f"{name}.png") for name in ("blurred", "tiny", "desk")]
    result = CliRunner().invoke(main, ["run", *inputs, "-o", str(tmp_path / "out"), "--no-cache"])
    assert result.exit_code == ExitCode.SOME_INPUTS_FAILED, result.output
    with (tmp_path / "out" / "errors.csv").open(encoding="utf-8-sig") as fh:
        said = {(e["source_file"], e["page"]): e["reason"] for e in csv.DictReader(fh)}
    assert "photo: too blurred (edge blur σ" in said[("blurred.png", "")]
    assert "photo: text too small (characters" in said[("tiny.png", "")]
    assert said[("desk.png", "")].endswith("photo: no text found; no sheet or table found")
    for name in ("blurred.png", "tiny.png", "desk.png"):
        assert f"error: {name}: no indicator value" in result.output  # on stderr too


def test_small_characters_put_every_value_of_the_photo_in_doubt():
    from extract.imaging.photo_check import CHECK_BELOW, doubt
    from extract.model import PhotoFacts

    assert "8.8 px high" in doubt(PhotoFacts(True, 8.8, 0.5, 400))
    assert doubt(PhotoFacts(True, CHECK_BELOW + 2, 0.5, 400)) == ""
    assert doubt(PhotoFacts(False, 0.0, 0.0, 0)) == ""  # no text: said as a fault, not as a doubt
    assert doubt(None) == ""


def test_paper_to_edges_tells_a_scan_from_a_photo_of_a_sheet():
    """A scanned page's paper reaches its edges; a sheet photographed on a desk does not,
    even when the desk is light (the sheet is only looked for when it may be there)."""
    from PIL import Image, ImageDraw

    from extract.imaging.preprocess import paper_to_edges

    scan = Image.new("L", (1200, 1700), 250)
    ImageDraw.Draw(scan).text((100, 100), "Xã Hoằng Châu 75%", fill=0)
    assert paper_to_edges(scan)
    for desk in (60, 150, 205):
        photo = Image.new("RGB", (1600, 1200), (desk, desk - 10, desk - 20))
        ImageDraw.Draw(photo).polygon([(300, 150), (1300, 120), (1350, 1100), (250, 1080)], fill=(245, 245, 240))
        assert not paper_to_edges(photo), desk


def test_paper_to_edges_takes_any_image_mode():
    from PIL import Image

    from extract.imaging.preprocess import paper_to_edges

    assert paper_to_edges(Image.new("1", (900, 1200), 1))
    assert paper_to_edges(Image.new("L", (900, 1200), 250).convert("P"))
