"""Tables of a row per commune whose name cells wrap over several lines, inside a word
too (issue 11 class 2, issue 17): "Xã Yên / Khươ / ng" is Xã Yên Khương; a line of a
name the scan's page pass lost is read again from the ink; a line of a name set apart
from its row by such a hole joins its row again."""
from __future__ import annotations

import pytest

from helpers import make_table
from extract.layout.borderless import page_to_borderless_tables
from extract.model import Page, Word
from normalize.places.wrapped import unwrap
from normalize.readers.summary import grid_to_summary
from normalize.readers.summary_records import summary_to_records


def test_a_word_cut_by_the_wrap_is_made_whole_and_words_apart_stay_apart():
    assert unwrap("Xã Yên\nKhươ\nng") == "Xã Yên Khương"  # a piece with no vowel is no syllable
    assert unwrap("Phườn\ng Hàm\nRồng") == "Phường Hàm Rồng"
    assert unwrap("Trườ\nng\nLâm") == "Trường Lâm"
    assert unwrap("Xã Khư\nơng") == "Xã Khương"  # two pieces with vowels: a syllable of the names, glued
    assert unwrap("Thị\ntrấn Ngọc Lặc") == "Thị trấn Ngọc Lặc"  # two words
    assert unwrap("Xã\nHoằng\nSơn") == "Xã Hoằng Sơn"
    assert unwrap("Quảng Xương\n(xã Quảng Lưu)") == "Quảng Xương (xã Quảng Lưu)"
    assert unwrap("TP\nThanh Hóa") == "TP Thanh Hóa"


def test_a_district_table_whose_names_wrap_inside_a_word_names_each_commune():
    # v0000 and v0021 of make_variants --n 60 --seed 32000 --kinds text: 6-point names in a
    # narrow column, read "Xã Yên Khươ Ng" (in no gazetteer) and flagged, their values lost.
    rows = [["TT", "Đơn vị", "CT2", None, "CT4", None, "CT9", None],
            ["", "", "Trước", "Sau", "Trước", "Sau", "Trước", "Sau"],
            ["1", "Tam\nVăn", "10%", "20%", "30%", "40%", "50%", "60%"],
            ["2", "Yên\nKhươ\nng", "11%", "21%", "31%", "41%", "51%", "61%"],
            ["3", "Lâm\nPhú", "12%", "22%", "32%", "42%", "52%", "62%"]]
    table = make_table(rows, {(0, 2): 2, (0, 4): 2, (0, 6): 2})
    records = summary_to_records(grid_to_summary(table), source_file="x.pdf", year=2024)
    got = {(r.commune, r.indicator_id, r.phase): (r.value, r.needs_review) for r in records}
    assert got[("Xã Yên Khương", 9, "after")] == (61.0, False)
    assert {c for c, _, _ in got} == {"Xã Tam Văn", "Xã Yên Khương", "Xã Lâm Phú"}


def _ocr_word(text: str, box: tuple[float, float, float, float]) -> Word:
    return Word(text, box, 95.0, 1, "ocr")


def _turned_page(label_lines: list[list[Word]]) -> Page:
    """The words of v0036 of make_variants --n 40 --seed 25 --reform all (6-point
    DejaVu Serif, turned, 200 dpi, read at 300 dpi) around "Phường Đông Tiến": its name over
    four lines, its values centred on them, the rows above and below."""
    words = [w for line in label_lines for w in line]
    header = [("Tên", 39.0), ("Trước", 120.0), ("Sau", 180.0), ("Trước", 240.0), ("Sau", 300.0)]
    words += [_ocr_word(t, (x, 60.0, x + 14.0, 65.3)) for t, x in header]
    for top, values in ((265.0, ("100%", "100%", "14%", "33%")), (291.4, ("90,7%", "99%", "92%", "94,98%")),
                        (316.6, ("61,13%", "81,20%", "1,9%", "96,45%"))):
        words += [_ocr_word(v, (x, top, x + 16.0, top + 5.2)) for v, x in zip(values, (120.0, 180.0, 240.0, 300.0))]
    return Page(1, (842.0, 595.0), tuple(words), source="ocr", image_dpi=300)


def test_a_line_of_a_name_cut_off_by_a_lost_line_joins_its_row():
    # The "g" line, read again from the ink, starts at its x-height: 3.4 points under
    # "Phườn", more than the leading of the name's other lines and nearer than the row above.
    lines = [[_ocr_word("Xã", (39.1, 256.1, 46.6, 260.9))], [_ocr_word("Phú", (39.4, 261.4, 50.6, 267.8))],
             [_ocr_word("Xuân", (39.1, 269.5, 54.2, 274.8))], [_ocr_word("Phườn", (39.1, 280.6, 58.1, 285.8))],
             [_ocr_word("g", (39.4, 289.2, 42.5, 293.8))], [_ocr_word("Đông", (39.4, 294.7, 55.0, 301.2))],
             [_ocr_word("Tiến", (38.9, 301.2, 52.3, 306.7))], [_ocr_word("Xã", (39.1, 313.0, 46.6, 317.8)),
                                                              _ocr_word("Hà", (49.0, 312.7, 57.4, 318.0))],
             [_ocr_word("Trung", (38.9, 319.7, 57.1, 326.2))]]
    (table,) = page_to_borderless_tables(_turned_page(lines))
    labels = [row[0].text.replace("\n", " ") for row in table.rows() if row[1].text.endswith("%")]
    assert labels == ["Xã Phú Xuân", "Phườn g Đông Tiến", "Xã Hà Trung"]


@pytest.mark.tesseract
def test_a_line_the_page_pass_lost_in_a_borderless_table_is_read_from_its_ink():
    from PIL import Image, ImageDraw, ImageFont

    from extract.ocr.engine import TesseractEngine
    from extract.ocr.unread import unread_words

    dpi, px = 300, 300 / 72.0
    image = Image.new("L", (round(300 * px), round(100 * px)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", round(6 * px))

    def write(text: str, x: float, top: float) -> Word:  # drawn, and read as the page pass read it
        draw.text((round(x * px), round(top * px)), text, font=font, fill=0)
        return _ocr_word(text, tuple(v / px for v in draw.textbbox((round(x * px), round(top * px)), text, font=font)))

    # Two names over three lines, their values on the middle one; the last line of each is
    # what the page pass of v0036 of make_variants --n 40 --seed 25 --reform all lost.
    read = [write(t, x, 8.0) for t, x in (("Tên", 10.0), ("Trước", 80.0), ("Sau", 140.0), ("Trước", 200.0))]
    for top, name in ((20.0, ("Xã", "Thượn", "g")), (44.0, ("Xã", "Thiết", "Ống"))):
        read += [write(t, 10.0, top + 7.0 * k) for k, t in enumerate(name)][:2]
        read += [write("95,5%", x, top + 7.0) for x in (80.0, 140.0, 200.0)]
    page = Page(1, (300.0, 100.0), tuple(read), source="ocr", image_dpi=dpi)
    tables = page_to_borderless_tables(page)
    found = unread_words(image, tables, page.words, page_no=1, dpi=dpi, lang="vie", engine=TesseractEngine())
    assert [(w.text, round(w.bbox[1])) for w in found] == [("g", 37), ("Ống", 58)]


def test_a_locality_header_wrapped_or_read_apart_inside_a_word_is_its_unit():
    """A deck's locality header: "Tân Pho" / "ng)" wrapped, or "Pho ng" as the page pass and
    extract.ocr.unread read it (seed 40000's v0007); the unit's own spaces are kept."""
    from normalize.places.locality import parse_locality

    for text in ("Quảng Xương (thị trấn Tân Pho\nng)", "Quảng Xương (thị trấn Tân\nPho ng", "Quảng Xương (thị trấn Tân Pho ng)"):
        assert parse_locality(text).commune_code == "16438", text
    assert unwrap("Hậu Lộc (xã Tiến\nLộc)") == "Hậu Lộc (xã Tiến Lộc)"
    assert unwrap("TP Thanh Hóa (P. Ba Đình)") == "TP Thanh Hóa (P. Ba Đình)"


def test_a_name_set_a_few_letters_a_line_is_whole_again():
    """A LibreOffice column of names 6 pt wide (seed 90000's v0037): "Ho / ằn / g / Tiế / n",
    and "Vư / ơng" whose halves are both syllables of other names; a lower-case word of its
    own ("Thị / trấn") and a lower-case reading no syllable ends stay words."""
    assert unwrap("Xã\nHo\nằn\ng\nTiế\nn") == "Xã Hoằng Tiến"
    assert unwrap("Xã\nHồ\nVư\nơng") == "Xã Hồ Vương"
    assert unwrap("Thị\ntrấn Vân Du") == "Thị trấn Vân Du"
    assert unwrap("Hồ\nvương") == "Hồ vương"


def test_an_abbreviation_ends_its_word_and_a_syllable_begun_after_thi_does_not():
    assert unwrap("TP\nthanh Hóa") == "TP thanh Hóa"  # OCR's case: no "TPthanh"
    assert unwrap("Xã\nThi\nên Phủ") == "Xã Thiên Phủ"  # "Thi" of "Thiên", not of "Thị trấn"
