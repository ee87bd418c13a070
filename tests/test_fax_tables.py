"""A district's table headed by indicator numbers that a fax damaged ("+1" for 11, "43"
for 13: v0005 of make_variants --n 20 --seed 161000 --kinds fax gave nothing), a
decimal separator a fax read as a space ("71 5%"), and "Thị trấn" with its dot lost."""
from __future__ import annotations

import pytest

from helpers import make_table
from normalize.readers.number_heads import mend_numbers, numbers_row
from normalize.text.values import parse_value


def test_damaged_numbers_are_mended_between_their_neighbours():
    got = mend_numbers(["3", "4", "5", "6", "8", "10", "+1", "43"])
    assert [n for n, _ in got] == [3, 4, 5, 6, 8, 10, 11, 13]
    assert [bool(why) for _, why in got] == [False] * 6 + [True, True]
    assert "'43'" in got[7][1] and "taken for 13" in got[7][1]


def test_a_mended_number_bounds_the_next():
    # "30" alone could be 3 or 10; once "5s" is 5, only 10 fits before 11
    assert [n for n, _ in mend_numbers(["5s", "30", "11", "16"])] == [5, 10, 11, 16]


@pytest.mark.parametrize("texts, row", [
    (["3", "4", "5", "6", "8", "10", "+1", "43"], True),
    (["5s", "30", "11", "16"], True),
    (["1", "2", "3"], True),
    (["3", "4"], True),
    (["4", "3"], False),  # not rising
    (["56%", "12%", "100%"], False),  # a row of values
    (["1", "56", "61", "100"], False),  # a numbered row of bare values
    (["3", "1O", "4O", "12"], False),  # half of them damaged and "1O" is 1 or 10: no guess
    (["3", "4", "5", "CT6"], False),  # nothing an edit off "CT6" fits
])
def test_what_is_a_row_of_numbers(texts, row):
    assert numbers_row(texts) is row


def test_values_under_a_damaged_number_are_read_and_flagged():
    from normalize.readers.meta import detect_district
    from normalize.readers.summary import grid_to_summary
    from normalize.readers.summary_records import summary_to_records

    table = make_table([
        ["Tr", "Đơn vị", "3", "10", "+1", "43"],  # "TT", "11" and "13" as a 150 dpi fax read them
        ["1", "Phú Sơn", "56%", "100%", "37,6%", "61,62%"],
        ["2", "Phú Lệ", "12%", "27%", "54%", "17,1%"],
        ["3", "Thành Sơn", "100%", "66%", "30%", "34%"],
    ])
    summary = grid_to_summary(table)
    assert summary is not None
    records = summary_to_records(summary, source_file="x.pdf", year=2024,
                                 district=detect_district("CÁC XÃ, THỊ TRẤN HUYỆN QUAN HÓA NĂM 2024"))
    by_id: dict[int, list] = {}
    for r in records:
        by_id.setdefault(r.indicator_id, []).append(r)
    assert set(by_id) == {3, 10, 11, 13} and all(len(v) == 3 for v in by_id.values())
    assert [r.value for r in by_id[13]] == [61.62, 17.1, 34.0]
    assert all(r.needs_review and "is no indicator's number" in r.note for r in by_id[11] + by_id[13])
    assert not any("is no indicator's number" in r.note for r in by_id[3] + by_id[10])
    # one decision per column in review.csv: the label's, not each value's
    from normalize.outputs.reasons import reasons_of

    assert "label_uncertain" in {x.code for x in reasons_of(by_id[13][0].note)}


@pytest.mark.parametrize("raw, value", [("71 5%", 71.5), ("99 94%", 99.94), ("100 0%", 100.0), ("3 9%", 3.9)])
def test_a_space_for_a_decimal_separator_is_mended_and_flagged(raw, value):
    parsed = parse_value(raw)
    assert parsed.status == "ok" and parsed.value == value and parsed.repaired
    assert "taken for the decimal separator" in parsed.note


@pytest.mark.parametrize("raw", ["96 100%", "100% 100%", "150 5%", "7 123%"])
def test_two_numbers_stay_unread(raw):
    assert parse_value(raw).status == "unreadable"


@pytest.mark.parametrize("raw", ["Thi trấn Sơn Lư", "Thi Trấn Sơn Lư", "Thị trấn Sơn Lư"])
def test_thi_tran_with_its_dot_lost_is_still_the_type(raw):
    from normalize.places.locality import parse_locality

    loc = parse_locality(raw, ocr=True, year=2023)
    assert (loc.district, loc.commune) == ("Quan Sơn", "Thị trấn Sơn Lư")
