"""Excel-ready outputs: OUT/chitieu.xlsx (a sheet per dataset and per commune, numbers as
numbers, percentages with a "%", header frozen and filtered), CSVs with a UTF-8 BOM
unless --no-bom, and summary_wide.csv with numbers only in its value columns."""
from __future__ import annotations

import io
import os
import re
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

import chitieu
from normalize.outputs import workbook
from normalize.outputs.datasets import format_value, write_outputs
from normalize.outputs.table import Table
from normalize.outputs.workbook import (MAX_WIDTH, MIN_WIDTH, PERCENT_FORMAT, SHEET_NAME_MAX, column_width,
                                        sheet_name, workbook_bytes)
from normalize.record import STATUSES, Record
from pipeline import main

DECK = "deck_2023_summary_text.pdf"  # a text PDF: 176 values, 5 communes, word cells among them
DATASETS = ("consolidated", "indicators", "review", "completeness", "errors", "summary_wide", "inputs", "other_figures")
BOM = b"\xef\xbb\xbf"
WIDE_VALUE = re.compile(r"i\d{2}_(before|after|reported)")
RECORD = Record(source_file="a.txt", page=1, province="Thanh Hóa", district="Quảng Xương", commune="Xã Quảng Lưu",
                district_code="388", commune_code="16543", year=2024, indicator_id=5,
                indicator_name="Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến", phase="after", value=99.5,
                qualifier="", status="ok", value_raw="99,5%", label_raw="Tỷ lệ tiếp nhận", match_score=100.0,
                ocr_conf=None, needs_review=False, note="")


@pytest.fixture(scope="module")
def outputs(samples, tmp_path_factory) -> dict[str, Path]:
    """The deck run by the command line with the BOM (the default) and with --no-bom."""
    root = tmp_path_factory.mktemp("workbook")
    for name, extra in (("bom", []), ("no_bom", ["--no-bom"])):
        result = CliRunner().invoke(main, ["run", str(samples / DECK), "-o", str(root / name), "--no-cache",
                                           "--no-progress", *extra])
        assert result.exit_code == 0, result.output
    return {"bom": root / "bom", "no_bom": root / "no_bom"}


@pytest.fixture(scope="module")
def book(outputs):
    return openpyxl.load_workbook(outputs["bom"] / "chitieu.xlsx")


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _sheet_as_csv_text(sheet) -> pd.DataFrame:
    """A sheet's cells as the CSV writes them: numbers through format_value, blanks empty."""
    rows = list(sheet.iter_rows(values_only=True))
    cells = [["" if v is None else format_value(v) if isinstance(v, (int, float)) else v for v in row]
             for row in rows[1:]]
    return pd.DataFrame(cells, columns=list(rows[0]), dtype=str)


# ---------------------------------------------------------------- the workbook of a real run


def test_the_workbook_holds_every_dataset_and_a_sheet_per_commune(outputs, book):
    communes = sorted((outputs["bom"] / "communes").glob("*.csv"))
    assert len(communes) == 5
    n = len(DATASETS)
    assert book.sheetnames[:n] == list(DATASETS) and len(book.sheetnames) == n + len(communes)
    by_title = {_csv(p)["commune"].iloc[0]: p for p in communes}
    assert sorted(book.sheetnames[n:]) == sorted(by_title)
    for title, path in by_title.items():
        pd.testing.assert_frame_equal(_sheet_as_csv_text(book[title]), _csv(path), check_dtype=False)
    for name in DATASETS:  # the same cells as the CSV (none of this deck's text needed defusing)
        pd.testing.assert_frame_equal(_sheet_as_csv_text(book[name]), _csv(outputs["bom"] / f"{name}.csv"),
                                      check_dtype=False, obj=name)


def test_percent_cells_are_numbers_in_percent_units_with_a_percent_format(outputs, book):
    sheet = book["indicators"]
    header = [c.value for c in sheet[1]]
    value, status, score = (header.index(c) + 1 for c in ("value", "status", "match_score"))
    tidy = _csv(outputs["bom"] / "indicators.csv")
    numbers = 0
    for row, (csv_value, csv_status) in enumerate(zip(tidy["value"], tidy["status"]), start=2):
        cell = sheet.cell(row, value)
        assert sheet.cell(row, status).value == csv_status and sheet.cell(row, status).data_type == "s"
        if csv_value:
            numbers += 1
            assert cell.data_type == "n" and cell.value == float(csv_value)  # 99.5 is 99.5%, not 0.995
            assert cell.number_format == PERCENT_FORMAT == 'General"%"'
        else:
            assert cell.value is None and csv_status != "ok"
        assert sheet.cell(row, score).data_type == "n" and sheet.cell(row, score).number_format == "General"
    assert numbers > 100 and numbers < len(tidy)  # word cells too


def test_summary_wide_sheet_has_numbers_beside_status_words(book):
    sheet = book["summary_wide"]
    header = [c.value for c in sheet[1]]
    values = [i for i, h in enumerate(header) if WIDE_VALUE.fullmatch(h)]
    assert len(values) == 32 and all(header[i + 1] == f"{header[i]}_status" for i in values)
    for row in sheet.iter_rows(min_row=2):
        for i in values:
            assert row[i].value is None or (row[i].data_type == "n" and row[i].number_format == PERCENT_FORMAT)
            assert row[i + 1].value in STATUSES and row[i + 1].data_type == "s"


def test_vietnamese_text_round_trips(outputs, book):
    tidy = _csv(outputs["bom"] / "indicators.csv")
    sheet = _sheet_as_csv_text(book["indicators"])
    for column in ("district", "commune", "indicator_name"):
        assert list(sheet[column]) == list(tidy[column])
    assert "Xã Quảng Lưu" in set(sheet["commune"]) and "Xã Quảng Lưu" in book.sheetnames
    assert all(unicodedata.is_normalized("NFC", name) for name in book.sheetnames)


def test_every_sheet_has_its_header_frozen_filtered_and_columns_fitted(book):
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        last = get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", sheet.title
        assert all(c.font.b for c in sheet[1])
        widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, sheet.max_column + 1)]
        assert all(MIN_WIDTH <= w <= MAX_WIDTH + 1 for w in widths), (sheet.title, widths)  # + XlsxWriter's padding
    names = [c.value for c in book["indicators"][1]]
    width = {n: book["indicators"].column_dimensions[get_column_letter(i)].width for i, n in enumerate(names, 1)}
    assert width["page"] < width["indicator_id"] < width["indicator_name"] == max(width.values())


# ---------------------------------------------------------------- CSVs: BOM and summary_wide


def test_csvs_begin_with_a_bom_unless_told_not_to(outputs, samples, tmp_path):
    with_bom = sorted(p.relative_to(outputs["bom"]) for p in outputs["bom"].rglob("*.csv"))
    assert len(with_bom) == 13  # 8 datasets and 5 communes
    for rel in with_bom:
        data, plain = (outputs["bom"] / rel).read_bytes(), (outputs["no_bom"] / rel).read_bytes()
        assert data.startswith(BOM) and not plain.startswith(BOM) and data[3:] == plain, rel
    chitieu.read(samples / DECK).write(tmp_path / "api", bom=False)
    assert all((tmp_path / "api" / rel).read_bytes() == (outputs["no_bom"] / rel).read_bytes() for rel in with_bom)


def test_pandas_reads_the_bom_and_summary_wide_value_columns_as_numbers(outputs):
    wide = pd.read_csv(outputs["bom"] / "summary_wide.csv")
    assert list(wide.columns[:2]) == ["district", "commune"]  # no "\ufeffdistrict"
    values = [c for c in wide.columns if WIDE_VALUE.fullmatch(c)]
    assert len(values) == 32 and len(wide) == 5
    for column in values:
        assert pd.api.types.is_numeric_dtype(wide[column]), column
        assert set(wide[f"{column}_status"]) <= set(STATUSES)
        assert (wide.loc[wide[column].isna(), f"{column}_status"] != "ok").all()  # an empty value is a word cell
    assert wide[values].astype(float).isna().any(axis=None)  # word cells are empty here, their word beside


def test_a_word_cell_is_an_empty_value_and_its_status(tmp_path):
    word = replace(RECORD, indicator_id=6, value=None, status="not_available", value_raw="Chưa có")
    write_outputs(tmp_path, [RECORD, word], [])
    (row,) = pd.read_csv(tmp_path / "summary_wide.csv", dtype=str, keep_default_na=False).to_dict("records")
    assert (row["i05_after"], row["i05_after_status"]) == ("99.5", "ok")
    assert (row["i06_after"], row["i06_after_status"]) == ("", "not_available")


# ---------------------------------------------------------------- sheet names


HOSTILE = ["a[b]c:d*e?f/g\\h", "x" * 40, "'quoted'", "History", "HISTORY", "", "   ", "\x00\x1f", "''",
           unicodedata.normalize("NFD", "Xã Quảng Lưu"), "😀" * 20, "=cmd|' /C calc'!A0", "Xã " + "Quảng Lưu " * 5,
           "indicators", "INDICATORS", "x" * 40, "x" * 40 + "y", "sheet", "\ud800 lone", "a\ufffeb\uffff"]


def _valid(name: str) -> bool:
    return (0 < len(name.encode("utf-16-le", "surrogatepass")) // 2 <= SHEET_NAME_MAX
            and not re.search(r"[\[\]:*?/\\\x00-\x1f]", name) and not name.startswith("'")
            and not name.endswith("'") and name.casefold() != "history" and unicodedata.is_normalized("NFC", name))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_sheet_name_is_one_excel_takes(text):
    assert _valid(sheet_name(text))


def test_sheet_names_are_unique_ignoring_case_and_keep_what_they_can():
    taken: list[str] = []
    for text in HOSTILE:
        taken.append(sheet_name(text, taken))
    assert len({t.casefold() for t in taken}) == len(HOSTILE)
    assert taken[:5] == ["a b c d e f g h", "x" * 31, "quoted", "History (2)", "HISTORY (3)"]
    assert taken[9] == "Xã Quảng Lưu" and taken[14] == "INDICATORS (2)" and taken[15] == "x" * 27 + " (2)"


def test_xlsxwriter_and_openpyxl_take_every_hostile_name():
    table = Table(("commune",), (("Xã Quảng Lưu",),))
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([(t, table) for t in HOSTILE])))
    assert len(book.sheetnames) == len(HOSTILE) and all(map(_valid, book.sheetnames))


@given(st.lists(st.text(max_size=40), max_size=12))
def test_any_names_give_valid_distinct_sheet_names(texts):
    taken: list[str] = []
    for text in texts:
        taken.append(sheet_name(text, taken))
    assert all(map(_valid, taken)) and len({t.casefold() for t in taken}) == len(texts)


# ---------------------------------------------------------------- the writing


def test_column_widths_are_bounded_and_fit_the_longest_cell():
    assert column_width("page", 2) == MIN_WIDTH
    assert column_width("note", 500) == MAX_WIDTH
    assert column_width("indicator_name", 30) == 31 and column_width("indicator_name", 2) == len("indicator_name") + 3
    assert column_width("value", 20, "percent") == column_width("value", 21) == 22


def test_text_that_looks_like_a_formula_is_text(tmp_path):
    write_outputs(tmp_path, [replace(RECORD, commune="=cmd|'/C calc'!A0", commune_code="", note="@SUM(1+1)")], [])
    sheet = openpyxl.load_workbook(tmp_path / "chitieu.xlsx")["indicators"]
    header = [c.value for c in sheet[1]]
    commune, note = (sheet.cell(2, header.index(c) + 1) for c in ("commune", "note"))
    assert (commune.value, commune.data_type) == ("=cmd|'/C calc'!A0", "s")  # as read, not defused: it is text
    assert (note.value, note.data_type) == ("@SUM(1+1)", "s")


def test_a_frame_longer_than_a_sheet_continues_on_the_next(tmp_path):
    table = Table(("value",), (("1",), ("2",), ("3",), ("4",), ("5",)))
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([("indicators", table)], max_rows=2)))
    assert book.sheetnames == ["indicators", "indicators (2)", "indicators (3)"]
    assert [[c for (c,) in s.iter_rows(min_row=2, values_only=True)] for s in book.worksheets] == [[1, 2], [3, 4], [5]]


def test_the_workbook_is_written_whole_with_the_users_umask_and_the_same_bytes(tmp_path, monkeypatch):
    old = os.umask(0o027)
    try:
        write_outputs(tmp_path, [RECORD], [])
    finally:
        os.umask(old)
    path = tmp_path / "chitieu.xlsx"
    first = path.read_bytes()
    assert path.stat().st_mode & 0o777 == 0o640
    time.sleep(1.1)  # the clock's next second
    write_outputs(tmp_path, [RECORD], [])
    assert path.read_bytes() == first  # no clock in the file: same inputs, same bytes

    def broken(sheet, frame, formats):
        raise RuntimeError("disk full")

    monkeypatch.setattr(workbook, "_write_sheet", broken)
    with pytest.raises(RuntimeError):
        write_outputs(tmp_path, [replace(RECORD, value=10.0)], [])
    assert path.read_bytes() == first and not list(tmp_path.glob(".*.tmp"))


def test_a_workbook_built_in_memory_holds_what_a_streamed_one_does(monkeypatch):
    """Small workbooks are built in memory, large ones streamed (IN_MEMORY_CELLS): the
    sheets read back the same either way."""
    import io

    import openpyxl

    import normalize.outputs.workbook as wb
    from normalize.outputs.table import Table

    table = Table(("commune", "value", "unit"), tuple((f"Xã Hoằng Châu {k}", str(k / 4), "%") for k in range(200)))

    def cells(data: bytes):
        book = openpyxl.load_workbook(io.BytesIO(data))
        return [[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]

    small = wb.workbook_bytes([("indicators", table)])
    monkeypatch.setattr(wb, "IN_MEMORY_CELLS", 10)
    streamed = wb.workbook_bytes([("indicators", table)])
    assert small != streamed and cells(small) == cells(streamed)
    assert cells(small)[1] == ["Xã Hoằng Châu 0", 0, "%"]
