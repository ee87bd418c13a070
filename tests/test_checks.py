"""The rules behind consolidated.csv, the checks column and the review queue, on small cases."""
from __future__ import annotations

from dataclasses import replace

from normalize.outputs.checks import met_target, record_checks
from normalize.outputs.consolidated import completeness_frame, consolidate
from normalize.outputs.reasons import reasons_of
from normalize.outputs.review import clamp_box, decisions
from normalize.outputs.trust import settle
from normalize.record import Record

R = Record(source_file="a.pdf", page=1, province="Thanh Hóa", district="Quảng Xương", commune="Xã Quảng Lưu",
           district_code="388", commune_code="16468", year=2024, indicator_id=6,
           indicator_name="Tỷ lệ người dân có điện thoại thông minh", phase="after", value=80.0, qualifier="",
           status="ok", value_raw="80%", label_raw="Tỷ lệ người dân có điện thoại thông minh", match_score=100.0,
           ocr_conf=None, needs_review=False, note="", bbox=(100.0, 200.0, 140.0, 212.0))


def test_met_target_reads_the_qualifier_and_the_word_cells():
    assert met_target(R, 80.0) == "true"  # ">= 80" is met by 80
    assert met_target(replace(R, value=79.99), 80.0) == "false"
    assert met_target(replace(R, value=None, status="not_available"), 80.0) == "false"
    assert met_target(replace(R, value=None, status="partial"), 80.0) == ""  # "Lãnh đạo" cannot say
    assert met_target(R, None) == "" and met_target(replace(R, phase="target"), 80.0) == ""


def test_checks_name_each_rule():
    before = replace(R, phase="before", value=90.0)
    odd = replace(R, indicator_id=7, value=120.0, year=None)
    other = replace(R, source_file="b.pdf", value=60.0)
    twice = replace(R, page=2, value=70.0)
    checks = [c for c, _ in record_checks([R, before, odd, other, twice])]
    assert set(checks[0].split(";")) == {"regression", "stated_twice", "conflict"}
    assert checks[1] == ""
    assert set(checks[2].split(";")) == {"percent_out_of_range", "year_missing"}
    assert checks[3] == "conflict"


def test_an_unreadable_cell_disagrees_with_no_one():
    blank = replace(R, source_file="b.pdf", value=None, status="unreadable", needs_review=True,
                    note="cell unreadable: 'gqe'")
    (group,) = consolidate([R, blank])
    assert not group.conflict and group.chosen is R
    assert [c for c, _ in record_checks([R, blank])] == ["", ""]


DOUBTED = [replace(R, source_file=f"Scan{k}.pdf", value=30.0, needs_review=True, note="low OCR confidence (40)")
           for k in range(3)]
SURE = replace(R, source_file="Text.pdf", value=80.0, source="text")


def test_the_value_most_sure_sources_give_is_chosen_and_the_rest_named():
    settled = settle([*DOUBTED, SURE])
    (group,) = settled.groups
    assert group.conflict and group.chosen.source_file == "Text.pdf"  # one sure source outweighs three in doubt
    (conflict,) = [d for d in settled.open if d.scope == "conflict"]
    assert "Text.pdf p.1 = 80" in conflict.notes[0] and "Scan0.pdf p.1 = 30" in conflict.notes[0]
    assert conflict.severity == "warning"  # every dissent is doubted by its reader already
    # the conflict's note on each record is one reason, whatever the file names look like
    assert {d.reason for d in settled.open} == {"conflict", "low_ocr_confidence"}
    assert len(settled.open) == 4


def test_an_answer_to_a_conflict_keeps_the_value_chosen_and_an_accept_elsewhere_picks_nothing():
    from normalize.outputs.corrections import Correction

    first = settle([*DOUBTED, SURE])
    (conflict,) = [d for d in first.open if d.scope == "conflict"]
    accepted = settle([*DOUBTED, SURE], [Correction(conflict.decision_id, "accept")])
    (group,) = accepted.groups
    assert group.chosen.value == 80.0 and group.chosen.decided_by and not accepted.asked
    doubt = next(d for d in first.open if d.scope == "value")
    only_value = settle([*DOUBTED, SURE], [Correction(doubt.decision_id, "accept")])
    (group,) = only_value.groups
    assert group.chosen.value == 80.0 and not group.chosen.decided_by and only_value.asked  # still asked


def test_one_inputs_two_values_are_its_own_question_not_a_conflict_between_inputs():
    twice = [R, replace(R, page=2, value=70.0)]
    (group,) = consolidate(twice)
    assert not group.conflict
    assert [c for c, _ in record_checks(twice)] == ["stated_twice", "stated_twice"]


def test_a_doubted_target_is_no_measure():
    target = replace(R, phase="target", value=0.0, needs_review=True, note="low OCR confidence (40)",
                     commune="", district="", commune_code="", district_code="")
    before = replace(R, phase="before", value=60.0, indicator_id=5)
    (_, (_, met)) = record_checks([replace(target, indicator_id=5), before])
    assert met == "false"  # against the catalogue's 90% for 2024, not the "0%" misread


def test_one_decision_per_place_however_many_values():
    unknown = [replace(R, commune="Xã Thiệu Chung", commune_code="", district="Thiệu Hóa", district_code="",
                       indicator_id=i, needs_review=True,
                       note="commune: not in gazetteer; closest in Thiệu Hóa: Xã Thiệu Trung (15841, 96)")
               for i in range(1, 17)]
    found = decisions(unknown, consolidate(unknown))
    assert len(found) == 1 and found[0].reason == "place_not_in_gazetteer" and len(found[0].records) == 16


def test_a_name_that_could_be_several_units_is_one_question():
    unknown = [replace(R, commune="Hoang Quv", commune_code="", indicator_id=i, needs_review=True,
                       note="'Hoang Quv' could be any of: Xã Hoằng Quý, Xã Hoằng Quỳ") for i in range(1, 17)]
    found = decisions(unknown, consolidate(unknown))
    assert [(d.reason, len(d.records)) for d in found] == [("place_ambiguous", 16)]


def test_doubts_of_one_value_are_one_decision_with_the_worst_severity():
    r = replace(R, needs_review=True, note="low OCR confidence (40); percentage outside 0-100", value=180.0)
    (d,) = decisions([r], consolidate([r]))
    assert (d.reason, d.severity) == ("percent_out_of_range", "error")


def test_every_note_part_of_the_readers_has_a_code():
    notes = ["label read poorly, matched by its place in the table (score 64)",
             "read '6750%', decimal comma assumed: 67,50%", "no % sign where the table's values have one: misread?",
             "page: values unreliable: 72 of 131 values read differently by the second reading",
             "the document gives other values for this unit, indicator and phase: 80 (p.2)",
             "cell unreadable: 'gqe'", "catalogue target for 2023: 80% trở lên"]
    codes = [reasons_of(n)[0].code for n in notes]
    assert codes == ["label_uncertain", "value_repaired", "value_repaired", "page_warning", "stated_twice",
                     "cell_unreadable", "target_differs"]


def test_needs_review_is_exactly_being_covered_by_an_open_decision():
    flagged = replace(R, needs_review=True, note="low OCR confidence (40)")
    other = replace(R, source_file="b.pdf", value=60.0)
    settled = settle([flagged, other])
    assert [r.needs_review for r in settled.records] == [True, True]  # the conflict covers both
    assert "conflict: b.pdf p.1 = 60" in settled.records[0].note
    assert {d.scope for d in settled.open} == {"value", "conflict"}


def test_completeness_counts_what_each_unit_lacks():
    rows = [replace(R, indicator_id=i) for i in (1, 2, 5)] + [replace(R, indicator_id=3, value=None,
                                                                      status="unreadable")]
    frame = completeness_frame(consolidate(rows))
    (row,) = frame.records()
    assert (row["found"], row["missing_n"]) == ("3", "13") and row["missing"].startswith("3, 4, 6")


def test_a_box_is_kept_inside_its_page():
    assert clamp_box((-1.0, 5.0, 700.0, 20.0), (595.0, 842.0)) == (0.0, 5.0, 595.0, 20.0)
    assert clamp_box(None, (595.0, 842.0)) == (0.0, 0.0, 595.0, 842.0)


def test_a_code_the_reform_gave_to_a_new_unit_is_two_units(tmp_path):
    """15646 was Thị trấn Thường Xuân (district Thường Xuân) and is Xã Thường Xuân since July 2025."""
    from normalize.outputs.datasets import commune_frames

    old = replace(R, district="Thường Xuân", district_code="399", commune="Thị trấn Thường Xuân",
                  commune_code="15646", unit_generation="2024", year=2024)
    new = replace(old, district="", district_code="", commune="Xã Thường Xuân", unit_generation="2025", year=2026,
                  source_file="b.pdf")
    groups = consolidate([old, new])
    assert len(groups) == 2 and not any(g.conflict for g in groups)
    assert sorted(commune_frames([old, new])) == ["15646", "2025-15646"]
