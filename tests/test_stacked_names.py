"""Names set a letter per line in a district's narrow column of communes (issue 11, scans):
the stack's lines are laid side by side and read as one line, then spaced into syllables
(v0007 of make_variants --n 30 --seed 141000 --kinds scan,turned,stamped, v0029 of seed
229000's 30: "X Đ Y ã ô 9 ê n n" for "Xã Đông Yên", every row lost); and a sideways page
OSD turns upside down is turned the other way (v0003 of seed 229000's 30)."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.imaging.binarize import image_to_ink
from extract.model import Page, Word
from extract.ocr import tasks
from extract.ocr.stacked import side_by_side, spaced, stack_windows

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _stack(lines: list[str], *, size: int = 25, pitch: int = 33, number: str = "", width: int = 50) -> Image.Image:
    """A cell at 300 dpi with ``lines`` set one under another, left-aligned at x=14, and the
    row's number set before them, astride two lines at the cell's middle height."""
    font = ImageFont.truetype(FONT, size)
    image = Image.new("L", (width, pitch * len(lines) + 16), 255)
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(lines):
        draw.text((14, 8 + k * pitch), line, font=font, fill=0)
    if number:
        draw.text((0, 8 + len(lines) * pitch // 2 - pitch // 2), number, font=font, fill=0)
    return image


@pytest.mark.parametrize("letters, name", [
    ("XãĐôngYên", "Xã Đông Yên"),
    ("Chỉtiêu", "Chỉ tiêu"),  # a run that is no syllable: the fewest syllables, the first short
    ("ThịtrấnRừngThông", "Thị trấn Rừng Thông"),  # not "Thịt rấn"
    ("Đơnvị", "Đơn vị"),
    ("Thi1ệ0uVân", "Thiệu Vân"),  # the row's number read among the letters
    ("La,m'Sơn", "Lam Sơn"),
    ("XãĐÐôngHòa", "Xã Đông Hòa"),  # a capital read twice, once as an eth
])
def test_a_name_read_without_its_spaces_is_spaced_into_syllables(letters, name):
    assert spaced(letters) == name


@pytest.mark.parametrize("letters", ["Xqzt", "QuảngThnh", "", "12"])
def test_a_reading_that_is_not_all_syllables_is_refused(letters):
    assert spaced(letters) is None


def test_a_stack_of_letters_is_cut_at_its_pitch_into_one_window_a_line():
    lines = list("XãĐôngYên")
    pitch, windows = stack_windows(image_to_ink(_stack(lines), threshold=128))
    assert pitch == pytest.approx(33, abs=0.6)
    assert len(windows) == len(lines)


def test_the_lines_are_laid_side_by_side_without_the_rows_number():
    row, n = side_by_side(_stack(list("QuảngThành"), number="1"))
    assert n == 10
    ink = image_to_ink(row, threshold=128)
    assert row.height <= 35 and ink.any(axis=0).sum() < row.width  # one line, letters apart
    alone, _ = side_by_side(_stack(list("QuảngThành")))
    assert abs(row.width - alone.width) <= 2  # the "1" beside "g" was left out


def test_a_second_letter_on_a_line_is_kept():
    with_two, n = side_by_side(_stack(["C", "hỉ", "ti", "ê", "u"]))
    one_each, _ = side_by_side(_stack(list("Chiêu")))
    assert n == 5 and with_two.width > one_each.width + 10


@pytest.mark.parametrize("lines", [["Xã", "Thiệu", "Hóa"], ["Xã Đông Yên"], ["Lãnh đạo,", "cán bộ,", "công chức", "được cấp"]])
def test_a_name_wrapped_by_words_is_no_stack(lines):
    assert side_by_side(_stack(lines, width=160)) is None


def test_ink_that_does_not_repeat_is_no_stack():
    """A cell of one line of ink with a speck just under it: its rows' autocorrelation has
    no positive peak (a deck's cell in v0021 of seed 271000's 60 stopped its page): no
    stack, and no error."""
    image = Image.new("L", (55, 60), 255)
    ImageDraw.Draw(image).rectangle((5, 20, 50, 29), fill=0)
    ImageDraw.Draw(image).rectangle((20, 32, 22, 32), fill=0)
    assert side_by_side(image) is None
    rng = np.random.default_rng(7)
    for _ in range(40):  # whatever the ink, an answer, never an exception
        noise = Image.fromarray(np.where(rng.random((int(rng.integers(30, 300)), 40)) < 0.05, 0, 255).astype(np.uint8))
        side_by_side(noise)


def test_a_stack_reads_as_its_name():
    from extract.ocr.crops import prepare_crop, read_strip
    from extract.ocr.engine import TesseractEngine

    row, _ = side_by_side(_stack(list("XãĐôngThanh")))
    found = read_strip([prepare_crop(row, 300)], TesseractEngine(), "vie", gap=24)[0]
    assert spaced("".join(w.text for w in sorted(found, key=lambda w: w.x0))) == "Xã Đông Thanh"


def _page(conf: float) -> Page:
    return Page(1, (100.0, 100.0), tuple(Word("x", (0, 0, 1, 1), conf, 1, "ocr") for _ in range(9)), source="ocr")


def test_a_sideways_page_turned_upside_down_is_turned_the_other_way(monkeypatch):
    from extract.imaging import preprocess
    from extract.ocr import page as ocr_page

    confs = {90: 53.0, 270: 96.0}
    monkeypatch.setattr(preprocess, "osd_rotation", lambda image, **_: 90)
    monkeypatch.setattr(preprocess, "rotate_upright", lambda image, turn: turn)
    monkeypatch.setattr(ocr_page, "read_page", lambda turn, **_: (_page(confs[turn]), [turn]))
    task = tasks.OcrTask("x.pdf", 0, "pdf")
    image, page, grids, turned = tasks._turn_upright("page", _page(24.0), [], task, dpi=300, engine=None)
    assert (image, turned, grids) == (270, 270, [270]) and tasks.median_confidence(page) == 96.0


def test_a_turn_that_reads_well_is_not_tried_the_other_way(monkeypatch):
    from extract.imaging import preprocess
    from extract.ocr import page as ocr_page

    read: list[int] = []
    monkeypatch.setattr(preprocess, "osd_rotation", lambda image, **_: 270)
    monkeypatch.setattr(preprocess, "rotate_upright", lambda image, turn: turn)
    monkeypatch.setattr(ocr_page, "read_page", lambda turn, **_: (read.append(turn), (_page(95.0), []))[1])
    *_, turned = tasks._turn_upright("page", _page(24.0), [], tasks.OcrTask("x.pdf", 0, "pdf"), dpi=300, engine=None)
    assert turned == 270 and read == [270]
