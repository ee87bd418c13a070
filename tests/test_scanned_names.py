"""District tables read from scans (issue 11): the column of communes as the OCR leaves it —
a letter or a mark misread, a wrapped line dropped or read into the one above, the "Thị"
of a thị trấn lost, the number's header run into the places' — still names its communes."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from extract.model import Line, PageResult, Word
from extract.ocr.wrapped import _fuller, _read_short
from helpers import make_table
from normalize.places.locality import parse_locality
from normalize.readers.document import document_records
from normalize.readers.summary import grid_to_summary

BIM_SON, SAM_SON, HOANG_HOA = "381", "382", "399"


def test_a_name_one_letter_off_is_the_commune_of_the_documents_district_flagged():
    loc = parse_locality("Xã Ouảng Minh", district=SAM_SON, ocr=True)  # Q read O
    assert (loc.commune, loc.commune_code, loc.needs_review) == ("Xã Quảng Minh", "16513", True)
    assert "Ouảng Minh" in loc.note
    # without the document's district there is nowhere to look: kept as written, flagged
    alone = parse_locality("Xã Ouảng Minh", ocr=True)
    assert alone.commune_code == "" and alone.needs_review
    # a typed name is as its writer typed it: never read as another
    typed = parse_locality("Xã Ouảng Minh", district=SAM_SON)
    assert typed.commune_code == "" and typed.needs_review


def test_a_total_is_no_commune_one_letter_off():
    # "Tổng cộng" folds one letter from "Nông Cống" (its town, Thị trấn Nông Cống)
    for text in ("Tổng cộng", "Xã Tổng Cộng", "Bình quân chung", "Số lượng"):
        for ocr in (False, True):
            assert parse_locality(text, district="404", ocr=ocr).commune_code == "", (text, ocr)


def test_a_mark_misread_is_told_by_the_marks_left():
    # "Hoãng Đồng" folds to Hoằng Đồng and to Hoằng Đông alike: its "Đồng" says which
    loc = parse_locality("Xã Hoãng Đồng", district=HOANG_HOA, ocr=True)
    assert (loc.commune, loc.needs_review) == ("Xã Hoằng Đồng", True)


def test_a_name_cut_short_or_far_off_is_not_guessed():
    # "Hoằng" alone could be any of a dozen communes of Hoằng Hóa
    for name in ("Xã Hoằng", "Xã Hoàng", "Xã Sại Tấn Phong"):
        loc = parse_locality(name, district=HOANG_HOA, ocr=True)
        assert loc.commune_code == "" and loc.needs_review, name


def test_a_thi_tran_whose_thi_was_lost_is_still_a_thi_tran():
    loc = parse_locality("trấn Cành Nàng")
    assert (loc.commune, loc.commune_code) == ("Thị trấn Cành Nàng", "14923")


def test_a_districts_name_in_another_districts_table_is_its_commune_flagged():
    loc = parse_locality("Đông Sơn", district=BIM_SON)  # Bỉm Sơn's Phường Đông Sơn, not Huyện Đông Sơn
    assert (loc.commune, loc.district_code, loc.needs_review) == ("Phường Đông Sơn", BIM_SON, True)
    assert parse_locality("Đông Sơn").commune == ""  # no document's district: the district
    assert parse_locality("Hà Trung", district="386").district_code == "392"  # Bá Thước has no Hà Trung


def test_the_numbers_header_run_into_the_places_still_heads_them():
    """A borderless scan with its rows unnumbered reads "TT" and "Đơn vị" as one header."""
    rows = [["TT Đơn vị", "CT1", "CT4", "CT5"], ["Chỉ tiêu", "70% trở lên", "50% trở lên", "80%"]]
    names = ["Ba Đình", "Bắc Sơn", "Lam Sơn"]  # no unit word: only the header says they are places
    rows += [[name, f"{10 + i}%", f"{20 + i}%", f"{30 + i}%"] for i, name in enumerate(names)]
    s = grid_to_summary(make_table(rows))
    assert s is not None and [c.locality_raw for c in s.columns if c.locality_raw] == names
    title = "BẢNG TỔNG HỢP KẾT QUẢ CÁC XÃ, PHƯỜNG THỊ XÃ BỈM SƠN NĂM 2023"
    page = PageResult(1, "text", "text layer", (make_table(rows),), (Line(title, 1),), title)
    records = document_records([page], source_file="x.pdf", year=None).records
    assert {r.commune for r in records if r.phase != "target"} == {f"Phường {n}" for n in names}


def _cell_of_three_lines() -> Image.Image:
    """A 200 × 100 crop with three lines of ink, rows 10-29, 40-59 and 70-89."""
    image = Image.new("L", (200, 100), 255)
    draw = ImageDraw.Draw(image)
    for top in (10, 40, 70):
        draw.rectangle((20, top, 120, top + 19), fill=0)
    return image


def _word(text: str, top: float, bottom: float) -> Word:
    return Word(text, (10.0, top, 50.0, bottom), 90.0, 1, "ocr")  # points, at 72 dpi: one pixel each


def test_a_line_of_ink_no_word_covers_is_read_short():
    crop, box = _cell_of_three_lines(), (0, 0, 200, 100)
    two = [_word("Xã", 10, 30), _word("Hoằng", 40, 60)]
    assert _read_short(crop, box, two, 1.0, 20.0)
    assert not _read_short(crop, box, two + [_word("Đạo", 70, 90)], 1.0, 20.0)
    # the last two lines read as one tall word
    assert _read_short(crop, box, [_word("Xã", 10, 30), _word("Hoàng", 40, 90)], 1.0, 20.0)
    assert np.asarray(crop).min() == 0


def test_a_second_reading_is_kept_only_when_it_reads_more():
    assert _fuller("Xã Hoằng", "Xã Hoằng Đạo")
    assert _fuller("Xã Hoàng", "Xã Hoằng Châu")
    assert not _fuller("Xã Hoằng Quý", "Xã Hoằng Quý")
    assert not _fuller("Xã Hoằng", "Xã Hoằng 5%")  # a figure is no part of a name
    assert not _fuller("Xã Hoằng", "Xã Hoằng xqzk brrt")  # letters that are no syllables


def test_a_label_of_many_words_is_not_cut_out_to_be_read_again():
    """Names wrap and are read again when read short; an indicator's label (more words than
    any unit's name) is not even cut out: on the deck sample every such reading was refused."""
    from extract.model import Cell, Page, Table, Word
    from extract.ocr.wrapped import MAX_WORDS, reread_wrapped

    cut = []

    class Image:
        def get(self):
            return self

        def crop(self, box):
            cut.append(box)
            return None  # clear_cell_borders is never reached for the label

    label = "Tỷ lệ người dân có điện thoại thông minh".split()
    assert len(label) > MAX_WORDS
    words = [Word(t, (10 + 30 * k, 10, 36 + 30 * k, 20), 90, 1, "ocr") for k, t in enumerate(label)]
    cell = Cell(0, 0, 1, 1, " ".join(label), (5, 5, 300, 60), 90, 1)
    table = Table((1, 1), (cell,), 1, 1, source="ocr")
    out, changed = reread_wrapped(Page(1, (400, 100), tuple(words), source="ocr", image_dpi=72), [table], words,
                                  Image(), dpi=72, lang="vie", engine=None)
    assert (out, changed, cut) == (words, 0, [])
