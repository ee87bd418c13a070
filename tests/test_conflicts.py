"""Two values for one unit × indicator × phase × year in one document never pass unflagged."""
from __future__ import annotations

from dataclasses import replace

from normalize.readers.document import flag_conflicts
from normalize.record import Record

BASE = Record("a.pdf", 1, "Thanh Hóa", "Quảng Xương", "Xã Quảng Lưu", "406", "16468", 2023, 6, "Tỷ lệ …",
              "before", 70.0, "", "ok", "70%", "Tỷ lệ …", 100.0, None, False, "")


def test_two_values_for_one_key_are_both_flagged_naming_the_other():
    second = replace(BASE, page=2, value=75.0, value_raw="75%")
    out = flag_conflicts([BASE, second])
    assert [r.needs_review for r in out] == [True, True]
    assert "75% (page 2)" in out[0].note and "70% (page 1)" in out[1].note


def test_the_same_value_twice_and_other_keys_are_left_alone():
    same = replace(BASE, page=2)
    after = replace(BASE, phase="after", value=82.0, value_raw="82%")
    other_commune = replace(BASE, commune="Xã Nga Liên", commune_code="16159", value=10.0)
    records = [BASE, same, after, other_commune]
    assert flag_conflicts(records) == records


def test_a_word_against_a_number_is_a_conflict_and_keeps_earlier_notes():
    word = replace(BASE, value=None, status="not_available", value_raw="Chưa có", note="low OCR confidence (40)",
                   needs_review=True)
    out = flag_conflicts([BASE, word])
    assert out[1].note.startswith("low OCR confidence (40); ") and "70%" in out[1].note
    assert "Chưa có" in out[0].note
