"""Headers as a fax or a small scan reads them: an indicator's code with damaged
glyphs names the indicator (and its values are flagged), a phase word misread is
still the phase, and the words of the language near them stay what they are."""
from __future__ import annotations

from dataclasses import replace

import pytest

from extract.model import Cell

from normalize.readers.summary_parts import indicator_code, phase_of


@pytest.mark.parametrize("header, number", [
    ("CT3", 3), ("cr2", 2), ("cy2", 2), ("c?5", 5), ("cCr13", 13), ("CT1S", 15), ("C T 7", 7), ("CT16", 16),
    ("CỶ15", 15),
])
def test_a_damaged_code_names_its_indicator(header, number):
    assert indicator_code(header) == number


@pytest.mark.parametrize("header", ["Có 1", "Cơ 5", "Cò 3", "Cỏ 12"])
def test_a_word_with_its_marks_is_no_code(header):
    assert indicator_code(header) is None


@pytest.mark.parametrize("header", ["CT17", "CT0", "Cty", "cs", "r3", "Cấm Quý", "Chỉ tiêu", "80%", "C"])
def test_what_is_no_code_names_none(header):
    assert indicator_code(header) is None


@pytest.mark.parametrize("header, phase", [
    ("Trước", "before"), ("Trtưước", "before"), ("Tnước thí điểm", "before"), ("Saư", "after"), ("Sau", "after"),
])
def test_a_phase_misread_is_still_the_phase(header, phase):
    assert phase_of(header) == phase


@pytest.mark.parametrize("header", ["Thuộc", "Trực", "Trúc", "Trục", "Tước", "Trung", "Trong", "Tổng", "Tên"])
def test_words_near_truoc_are_no_phase(header):
    assert phase_of(header) is None


def test_values_under_a_damaged_code_are_flagged():
    from helpers import make_table
    from normalize.readers.meta import detect_district
    from normalize.readers.summary import grid_to_summary
    from normalize.readers.summary_records import summary_to_records

    table = make_table([
        ["TT", "Đơn vị", "c?5", None, "CT11", None, "CT13", None],  # "CT8" as a fax read it, and two clean codes
        ["", "", "Trước", "Sau", "Trước", "Sau", "Trước", "Sau"],
        ["1", "Xã Quảng Lộc", "13%", "15%", "22%", "77%", "57,9%", "61,6%"],
        ["2", "Xã Quảng Ninh", "8%", "75,8%", "33,4%", "35,0%", "6,45%", "11,76%"],
        ["3", "Xã Quảng Nhân", "14,0%", "88,22%", "47,37%", "81,3%", "15,83%", "23,08%"],
    ], spans={(0, 2): 2, (0, 4): 2, (0, 6): 2})
    summary = grid_to_summary(table)
    assert summary is not None
    records = summary_to_records(summary, source_file="x.pdf", year=2024,
                                 district=detect_district("HUYỆN QUẢNG XƯƠNG NĂM 2024"))
    by_id: dict[int, list] = {}
    for r in records:
        by_id.setdefault(r.indicator_id, []).append(r)
    assert set(by_id) == {5, 11, 13} and all(len(v) == 6 for v in by_id.values())
    assert all(r.needs_review and "damaged code 'c?5'" in r.note for r in by_id[5])
    assert not any("damaged code" in r.note for r in by_id[11] + by_id[13])


def test_a_column_whose_code_was_read_unsure_is_flagged():
    from normalize.readers.head_doubts import unsure_number as _unsure_number

    cell = Cell(0, 3, 1, 1, "CT8", (30.0, 0.0, 40.0, 10.0), 55.0)
    sure = replace(cell, conf=95.0)
    assert "read unsure (OCR confidence 55)" in _unsure_number([(cell,)], [(3, "reported")], 8, "CT8")
    assert _unsure_number([(sure,)], [(3, "reported")], 8, "CT8") == ""
    # a column named in words is the matcher's to tell, whatever its digits
    named = replace(cell, text="Tỷ lệ hồ sơ 8")
    assert _unsure_number([(named,)], [(3, "reported")], 8, "Tỷ lệ hồ sơ được xử lý trực tuyến") == ""


@pytest.mark.parametrize("header, remnant", [
    ("thí điểm", True), ("$& thí đếm", True), ("thi diêm", True),  # "Sau thí điểm" a 6-pt fax header lost
    ("Mục tiêu", False), ("Năm 2023", False), ("Thiệu Tiến", False), ("Kế hoạch", False),
])
def test_what_is_left_of_a_phase_a_letter_off(header, remnant):
    from normalize.readers.summary_parts import phase_remnant

    assert phase_remnant(header) is remnant
