"""No silent failure: what a document showed and did not give is named (issue 11, item 4)."""
from __future__ import annotations

import csv
from dataclasses import replace

from click.testing import CliRunner

from extract.errors import ExitCode
from extract.model import Cell, PageResult, Table
from normalize.outputs.gaps import PERCENTS_FOR_CONTENT, unread_parts
from normalize.record import Record
from pipeline import main


def _page(no: int, text: str = "", tables: tuple = ()) -> PageResult:
    return PageResult(no, "text", "text layer", tables, (), text)


def _grid(n_rows: int, n_cols: int) -> Table:
    cells = tuple(Cell(r, c, 1, 1, f"{r}{c}", (c, r, c + 1, r + 1), 100.0, 1)
                  for r in range(n_rows) for c in range(n_cols))
    return Table((1, 1), cells, n_rows, n_cols)


RECORD = Record(source_file="a.pdf", page=2, province="Thanh Hóa", district="Quảng Xương", commune="Xã Quảng Lưu",
                district_code="", commune_code="", year=2023, indicator_id=6, indicator_name="x", phase="before",
                value=70.0, qualifier="", status="ok", value_raw="70%", label_raw="x", match_score=100.0,
                ocr_conf=None, needs_review=False, note="")


def test_a_page_with_a_table_and_no_record_is_named():
    pages = [_page(1, "a letter"), _page(2, "70%", (_grid(4, 5),)), _page(3, "", (_grid(4, 5),))]
    rows = unread_parts(pages, [RECORD], [], source_file="a.pdf")
    assert [(r.page, r.stage, r.kind) for r in rows] == [(3, "layout", "no_record")]
    assert "4×5 ruled table" in rows[0].reason


def test_a_page_of_percentages_is_content_from_the_sixth_one():
    text = " ".join(f"{k}0%" for k in range(PERCENTS_FOR_CONTENT))
    fewer = " ".join(f"{k}0%" for k in range(PERCENTS_FOR_CONTENT - 1))
    rows = unread_parts([_page(1, text), _page(2, fewer), _page(3, "x", (_grid(3, 1),))], [replace(RECORD, page=9)],
                        [], source_file="a.pdf")
    assert [r.page for r in rows] == [1]  # a one-column box is no table either
    assert f"{PERCENTS_FOR_CONTENT} percentage(s)" in rows[0].reason


def test_a_document_with_no_value_is_named_once_for_itself():
    rows = unread_parts([_page(1, "Kính gửi: UBND huyện")], [], [], source_file="a.pdf")
    assert [(r.page, r.stage, r.kind) for r in rows] == [(None, "layout", "no_value")]
    blank = unread_parts([_page(1, "  ")], [], [], source_file="a.pdf")
    assert "no text was found" in blank[0].reason


def test_values_with_no_unit_are_named_but_targets_need_none():
    nowhere = replace(RECORD, district="", commune="")
    rows = unread_parts([_page(2, "70%")], [nowhere], [], source_file="a.pdf")
    assert [(r.page, r.stage, r.kind) for r in rows] == [(None, "unit", "no_unit")]
    target = replace(nowhere, phase="target")
    assert unread_parts([_page(2, "70%")], [target], [], source_file="a.pdf") == ()


def test_a_word_processor_file_has_records_of_its_one_page():
    rows = unread_parts([_page(1, "", (_grid(4, 5),))], [replace(RECORD, page=None)], [], source_file="a.docx")
    assert rows == ()


def test_the_command_line_names_the_pages_it_did_not_read_and_exits_3(samples, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(samples / "deck_2023_text_layer.txt"), "-o", str(out), "--no-cache"])
    assert result.exit_code == ExitCode.SOME_INPUTS_FAILED, result.output
    with (out / "errors.csv").open(encoding="utf-8-sig") as fh:
        errors = list(csv.DictReader(fh))
    assert [(e["page"], e["stage"]) for e in errors] == [("3", "layout"), ("4", "layout"), ("8", "layout")]
    assert "deck_2023_text_layer.txt page 3: the page shows" in result.output  # on stderr too
    assert "0 input(s) gave no value" in result.output
    with (out / "indicators.csv").open(encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == 176  # what was read is written all the same


def test_a_file_with_nothing_in_it_is_counted_in_the_summary(tmp_path):
    (tmp_path / "letter.txt").write_text("Kính gửi: Ủy ban nhân dân huyện\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(tmp_path / "letter.txt"), "-o", str(tmp_path / "o"), "--no-cache"])
    assert result.exit_code == ExitCode.SOME_INPUTS_FAILED, result.output
    assert "letter.txt: no indicator value in the document" in result.output
    assert "1 input(s) gave no value" in result.output


def test_the_values_of_a_page_the_second_reading_contradicts_are_all_flagged():
    from normalize.readers.document import _flag_warned

    warned = replace(_page(2, "70%"), warnings=("values unreliable: 9 of 20 values read differently",))
    rows = _flag_warned([RECORD, replace(RECORD, page=3)], [warned, _page(3, "70%")])
    assert rows[0].needs_review and "values unreliable" in rows[0].note
    assert not rows[1].needs_review
