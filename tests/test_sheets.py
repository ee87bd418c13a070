"""Spreadsheet inputs (issue 13, item 3): .xlsx, .xls, .ods and .csv read as their tables,
numbers from their values and formats, merges as merges, hidden parts skipped and said."""
from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from extract.documents.sheet_cells import cell_text, decode_text, number_text
from extract.documents.sheet_layout import SheetCell
from extract.documents.sheet_merges import restore_merges
from extract.documents.sheets import _delimiter, read_workbook

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "bench"))

from variants.sheets import cp1258  # noqa: E402

BIG = 200 * 1024 * 1024
TITLE = "BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN MÔ HÌNH 3 KHÔNG CÁC XÃ HUYỆN HOẰNG HÓA NĂM 2024"
# a district's table as its office lays it out: a pair of columns under each indicator's number
HEAD = [["TT", "Đơn vị", "Chỉ tiêu 1", None, "Chỉ tiêu 4", None, "Chỉ tiêu 9", None],
        [None, None, "Trước", "Sau", "Trước", "Sau", "Trước", "Sau"]]
ROWS = [["1", "Hoằng Phụ", 0.5, 0.875, "40%", "Chưa có", 0.1, 0.45],
        ["2", "Hoằng Đông", 0.3, 1, "12,5%", "90%", 0.2, 0.4],
        ["3", "Hoằng Thanh", 0.25, 0.6, "10%", "70,25%", 0.3, 0.35]]
TRUTH = {("Xã Hoằng Phụ", 1, "before"): 50.0, ("Xã Hoằng Phụ", 1, "after"): 87.5,
         ("Xã Hoằng Phụ", 4, "before"): 40.0, ("Xã Hoằng Đông", 1, "before"): 30.0,
         ("Xã Hoằng Đông", 1, "after"): 100.0, ("Xã Hoằng Đông", 4, "before"): 12.5,
         ("Xã Hoằng Đông", 4, "after"): 90.0, ("Xã Hoằng Thanh", 1, "before"): 25.0,
         ("Xã Hoằng Thanh", 1, "after"): 60.0, ("Xã Hoằng Thanh", 4, "before"): 10.0,
         ("Xã Hoằng Thanh", 4, "after"): 70.25,
         ("Xã Hoằng Phụ", 9, "before"): 10.0, ("Xã Hoằng Phụ", 9, "after"): 45.0,
         ("Xã Hoằng Đông", 9, "before"): 20.0, ("Xã Hoằng Đông", 9, "after"): 40.0,
         ("Xã Hoằng Thanh", 9, "before"): 30.0, ("Xã Hoằng Thanh", 9, "after"): 35.0}


@pytest.mark.parametrize("value, fmt, text", [
    (0.875, "0.0%", "87,5%"),
    (0.8754, "0%", "87,54%"),  # Excel shows 88%: the value is what was reported
    (0.8, "0.00%", "80,00%"),
    (0.07, "0%", "7%"),  # 7.000000000000001 is the float's noise
    (87.5, '0.0"%"', "87,5%"),  # a percentage typed as such under a literal %
    (2381.0, "General", "2381"),
    (99.5, None, "99,5"),
    (1, "0%", "100%"),
])
def test_a_number_is_its_value_in_its_format(value, fmt, text):
    assert cell_text(value, fmt) == text


def test_other_values_as_a_reader_sees_them():
    assert cell_text(dt.datetime(2024, 12, 15)) == "15/12/2024"
    assert cell_text("  Xã Hoằng Phụ ") == "Xã Hoằng Phụ"
    assert cell_text(None) == "" and cell_text(True) == "TRUE"
    assert number_text(1e-12) == "0" and number_text(12345678.5) == "12345678,5"


def test_csv_text_in_every_encoding_excel_writes():
    text = "Huyện Thọ Xuân;Trước;Sau\r\nXã Xuân Hòa;87,5%;ước đạt 90%\r\n"
    for data in (text.encode("utf-8-sig"), text.encode("utf-8"), text.encode("utf-16"), cp1258(text)):
        assert decode_text(data) == text
    assert cp1258("ệ") == "ê".encode("cp1258") + b"\xf2"  # a tone as a combining mark after its letter


def test_the_delimiter_is_the_one_that_splits_rows_alike():
    assert _delimiter("TT;Đơn vị;CT1\n1;Xã A;87,5%\n2;Xã B;90,25%") == ";"
    assert _delimiter('TT,Đơn vị,CT1\n1,Xã A,"87,5%"\n2,Xã B,"90,2%"') == ","
    assert _delimiter("TT\tĐơn vị\tCT1\n1\tXã A\t87,5%") == "\t"


def _cells(rows):
    return [SheetCell(r, c, 1, 1, t) for r, row in enumerate(rows) for c, t in enumerate(row) if t]


def test_merges_a_csv_lost_are_rebuilt_in_the_header_only():
    rows = [["TT", "Đơn vị", "Hoằng Hóa (xã Hoằng Phụ)", "", "Nga Sơn (xã Nga Liên)", ""],
            ["", "", "Trước", "Sau", "Trước", "Sau"],
            ["1", "Chỉ tiêu 1", "50%", "", "40%", "45%"],  # an empty value: no merge in data rows
            ["2", "Chỉ tiêu 2", "", "90%", "", ""]]
    got = {(c.row, c.col): (c.rowspan, c.colspan) for c in restore_merges(_cells(rows))}
    assert got[(0, 2)] == (1, 2) and got[(0, 4)] == (1, 2)
    assert got[(0, 0)] == (2, 1) and got[(0, 1)] == (2, 1)
    assert got[(2, 2)] == (1, 1) and got[(3, 3)] == (1, 1)


def _xlsx(path: Path, *, hidden_row=False, hidden_col=False, formula=False, hidden_sheet=False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    rows = [*HEAD, *ROWS]
    if hidden_row:  # a draft of the first commune, hidden before printing
        rows.insert(3, ["1", "Hoằng Phụ", 0.1, 0.2, "5%", "6%", 0.01, 0.02])
    shift = 1 if hidden_col else 0  # working figures in column C, hidden, the table's values after it
    col = lambda k: k + 1 + (shift if k >= 2 else 0)  # noqa: E731 - sheet column of the table's column k
    ws.cell(1, 1, TITLE)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=col(7))
    for i, row in enumerate(rows, start=3):
        for k, v in enumerate(row):
            if v is not None:
                cell = ws.cell(i, col(k), v)
                if isinstance(v, float | int) and k >= 2:
                    cell.number_format = "0.0%" if isinstance(v, float) else "0%"
        if hidden_col:
            ws.cell(i, 3, "33%")
    ws.merge_cells("A3:A4"), ws.merge_cells("B3:B4")
    for k in (2, 4, 6):  # each indicator over its pair of phases
        ws.merge_cells(start_row=3, start_column=col(k), end_row=3, end_column=col(k + 1))
    if hidden_row:
        ws.row_dimensions[6].hidden = True
    if hidden_col:
        ws.column_dimensions["C"].hidden = True
    if formula:
        ws.cell(20, 1, "Tổng")
        ws.cell(20, 3, "=AVERAGE(C5:C7)")
    if hidden_sheet:
        other = wb.create_sheet("Nháp")
        other.sheet_state = "hidden"
        other.append(["TT", "Đơn vị", "Chỉ tiêu 1"])
    wb.save(path)
    return path


def _read(paths, out: Path):
    import chitieu

    result = chitieu.read([str(p) for p in paths], jobs=1)
    result.write(out)
    return result, pd.read_csv(out / "inputs.csv"), pd.read_csv(out / "errors.csv")


def _values(records: pd.DataFrame, source: str) -> dict:
    mine = records[(records.source_file == source) & (records.phase != "target")]
    return {(r.commune, int(r.indicator_id), r.phase): r.value for r in mine.itertuples() if r.status == "ok"}


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_an_xlsx_reads_values_formats_and_merges(tmp_path, suffix):
    path = _xlsx(tmp_path / f"hoang_hoa{suffix}")
    result, inputs, _ = _read([path], tmp_path / "out")
    rec = result.records
    assert _values(rec, path.name) == TRUTH
    assert set(rec.district) == {"Hoằng Hóa"} and set(rec.year) == {2024}
    assert rec.loc[rec.value_raw == "87,5%", "value"].tolist() == [87.5]
    assert (rec.loc[rec.commune == "Xã Hoằng Phụ"].query("indicator_id == 4 and phase == 'after'").status
            == "not_available").all()
    assert inputs.how.tolist() == ["spreadsheet sheet 'Tổng hợp'"]


def test_hidden_rows_columns_and_sheets_are_skipped_and_said(tmp_path):
    path = _xlsx(tmp_path / "an.xlsx", hidden_row=True, hidden_col=True, hidden_sheet=True)
    result, inputs, _ = _read([path], tmp_path / "out")
    assert _values(result.records, "an.xlsx") == TRUTH  # not the draft's 10%, not the working 33%
    how = inputs.how.iloc[0]
    assert "hidden row(s) not read: 6" in how and "hidden column(s) not read: C" in how
    assert "hidden sheet(s) not read: 'Nháp'" in how


def test_a_formula_never_computed_is_named(tmp_path):
    path = _xlsx(tmp_path / "written_by_a_program.xlsx", formula=True)
    result, _, errors = _read([path], tmp_path / "out")
    assert _values(result.records, "written_by_a_program.xlsx") == TRUTH
    said = errors[errors.source_file == "written_by_a_program.xlsx"].reason.tolist()
    assert len(said) == 1 and "C20" in said[0] and "no saved value" in said[0]


def test_a_csv_export_gives_the_records_of_its_workbook(tmp_path):
    """The same table saved by Excel as CSV (merges lost, ';', Windows-1258) reads as the .xlsx."""
    shown = [[cell_text(v, "0.0%" if isinstance(v, float) else "0%") if isinstance(v, float | int) else v
              for v in row] for row in ROWS]
    lines = [TITLE, "", *(";".join(v or "" for v in row) for row in [*HEAD, *shown])]
    (tmp_path / "hoang_hoa.csv").write_bytes(cp1258("\r\n".join(lines) + "\r\n"))
    _xlsx(tmp_path / "hoang_hoa.xlsx")
    result, inputs, _ = _read([tmp_path / "hoang_hoa.csv", tmp_path / "hoang_hoa.xlsx"], tmp_path / "out")
    cols = ["district", "commune", "indicator_id", "phase", "value", "status", "qualifier", "needs_review", "year"]
    rec = result.records
    from_csv = rec[rec.source_file == "hoang_hoa.csv"][cols].reset_index(drop=True)
    from_xlsx = rec[rec.source_file == "hoang_hoa.xlsx"][cols].reset_index(drop=True)
    assert len(from_csv) == 18
    pd.testing.assert_frame_equal(from_csv, from_xlsx)


def _ods(path: Path, body: str) -> Path:
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>' \
              f'<office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return path


def test_ods_spans_covered_cells_repeats_and_collapsed_rows(tmp_path):
    def cell(text, attrs=""):
        return f"<table:table-cell {attrs}><text:p>{text}</text:p></table:table-cell>"
    covered = "<table:covered-table-cell/>"
    pct = 'office:value-type="percentage" office:value="0.875"'
    spanned = 'table:number-columns-spanned="2"'
    body = ('<table:table table:name="Tổng hợp">'
            '<table:table-column table:number-columns-repeated="2"/>'
            '<table:table-column table:visibility="collapse"/><table:table-column/>'
            f'<table:table-row>{cell("TT")}{cell("Chỉ tiêu 1", spanned)}{covered}'
            f'{cell("x")}</table:table-row>'
            f'<table:table-row table:visibility="collapse">{cell("1")}{cell("5%")}</table:table-row>'
            f'<table:table-row>{cell("1")}{cell("87,5 %", pct)}{cell("9%")}{cell("2%")}</table:table-row>'
            '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
            'table:number-columns-repeated="16384"/></table:table-row></table:table>')
    book = read_workbook(_ods(tmp_path / "a.ods", body), max_unzipped=BIG)
    (sheet,) = book.sheets
    got = {(c.row, c.col): (c.colspan, c.text) for c in sheet.cells}
    assert got == {(0, 0): (1, "TT"), (0, 1): (2, "Chỉ tiêu 1"), (0, 3): (1, "x"), (1, 0): (1, "1"),
                   (1, 1): (1, "5%"), (2, 0): (1, "1"), (2, 1): (1, "87,5%"), (2, 2): (1, "9%"), (2, 3): (1, "2%")}
    assert sheet.hidden_rows == {1} and sheet.hidden_cols == {2}


@pytest.mark.parametrize("data, reason", [
    (b"PK\x03\x04 not a zip", "unreadable workbook"),
    (b"\x00\x01\x02 random bytes" * 10, "not a spreadsheet"),
])
def test_a_broken_workbook_is_a_failed_input(tmp_path, data, reason):
    from extract.documents.plan import plan_document

    path = tmp_path / "tong_hop.xlsx"
    path.write_bytes(data)
    assert plan_document(path).failed.startswith(reason)


def test_a_zip_that_is_no_workbook(tmp_path):
    from extract.documents.plan import plan_document

    path = tmp_path / "tong_hop.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert "no Excel workbook" in plan_document(path).failed


SEED, N_TWINS = 13, 12
COLUMNS = ["district", "commune", "indicator_id", "phase", "value", "qualifier", "status", "year"]


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    """District consolidations of 5-30 communes as spreadsheets of every form this machine
    writes (.ods and .xls need LibreOffice), each with its PDF twin, all read in one run."""
    import chitieu
    import make_variants
    from variants import sheets

    folder = tmp_path_factory.mktemp("sheets")
    axes = make_variants.generate(N_TWINS, SEED, folder, fonts=("DejaVuSans", "DejaVuSerif"),
                                  forms=tuple(sheets.available_forms()), families=("district",))
    paths = [folder / a["name"] for a in axes] + [folder / twin_name(a["name"]) for a in axes]
    return folder, axes, chitieu.read([str(p) for p in paths], jobs=2).records


def twin_name(name: str) -> str:
    return name.split(".")[0] + ".twin.pdf"


def _frame(records: pd.DataFrame, source: str) -> pd.DataFrame:
    mine = records[records.source_file == source]
    return mine[COLUMNS + ["needs_review"]].sort_values(COLUMNS).reset_index(drop=True)


def test_the_twins_span_the_forms_and_sizes(twins):
    _, axes, _ = twins
    from variants import sheets

    assert {a["form"] for a in axes} == set(sheets.available_forms())
    sizes = [a["n_localities"] for a in axes]
    assert min(sizes) >= 5 and max(sizes) <= 30 and max(sizes) > 12


def test_every_spreadsheet_cell_is_read_right(twins):
    import bench_fidelity

    folder, axes, records = twins
    truth, groups, _ = bench_fidelity.load_truth(folder)
    sheets_only = records[records.source_file.isin([a["name"] for a in axes])]
    stats, failures = bench_fidelity.compare(truth, groups, sheets_only)
    assert not failures, failures[:5]
    assert sum(s["right"] for s in stats.values()) == sum(a["truth_cells"] for a in axes)


def test_a_spreadsheet_and_its_pdf_twin_give_the_same_records(twins):
    """Identical records from the sheet and from its PDF twin, ruled or borderless (where a
    target centred over a pair of phases lands in either column of the pair)."""
    _, axes, records = twins
    for a in axes:
        sheet, pdf = _frame(records, a["name"]), _frame(records, twin_name(a["name"]))
        pd.testing.assert_frame_equal(sheet, pdf, obj=f"{a['name']} ({a['layout']}) and its twin")
