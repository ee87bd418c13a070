"""Cases a review of the prose, unit, spreadsheet and continuation changes found (issue 13):
each a way a value went wrong silently or was lost, held here."""
from __future__ import annotations

import zipfile

import pytest

from extract.documents.sheet_layout import Sheet, SheetCell, sheet_to_result
from extract.layout.continuation import continue_tables
from extract.model import Cell, Table
from normalize.places.unit import detect_unit, find_mentions
from normalize.readers.prose import Line, classify, lines_to_statements, statement_to_figures

PHONE = "Tỷ lệ người dân có điện thoại thông minh"


def _taken(text: str) -> list[tuple[int | None, float | None, bool]]:
    out = []
    for st in lines_to_statements([Line(text, 1)]):
        for fig in statement_to_figures(st):
            out.append((classify(fig).indicator_id, fig.parsed.value, fig.parsed.doubtful or fig.parsed.repaired))
    return out


@pytest.mark.parametrize("text", [f"{PHONE} tăng 5% so với năm 2023.", f"- {PHONE} tăng 5%."])
def test_a_change_is_no_level(text):
    assert [t for t in _taken(text) if t[0] is not None] == []


def test_figures_of_several_years_are_doubtful():
    (phone, later) = _taken(f"{PHONE} năm 2023 là 80%, năm 2024 là 85%.")
    assert phone == (6, 80.0, True) and later[0] is None


def test_a_lettered_value_after_an_equals_sign():
    assert _taken(f"- {PHONE} = S5%") == [(6, 55.0, True)]


def test_a_formula_in_brackets_is_one_value():
    assert _taken(f"- {PHONE} (2381/2500 = 95,24%)") == [(6, 95.24, False)]


def test_a_commune_of_one_word_and_no_type_in_a_sentence():
    unit = detect_unit(["UBND HUYỆN TRIỆU SƠN", "UBND THỊ TRẤN NƯA", "BÁO CÁO",
                        "Kết quả triển khai trên địa bàn thị trấn Nưa năm 2024"])
    assert (unit.district, unit.commune) == ("Triệu Sơn", "Thị trấn Nưa")
    assert find_mentions(["các địa phương Thường Xuân và từ xa Xuân Dương đến"]) == []


def test_an_ods_hidden_sheet_is_skipped_and_said(tmp_path):
    from extract.documents.sheets import read_workbook

    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    row = '<table:table-row><table:table-cell><text:p>1</text:p></table:table-cell></table:table-row>'
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:automatic-styles>'
               '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/>'
               '</style:style></office:automatic-styles><office:body><office:spreadsheet>'
               f'<table:table table:name="Tổng hợp">{row}</table:table>'
               f'<table:table table:name="Nháp" table:style-name="ta2">{row}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    path = tmp_path / "a.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    book = read_workbook(path, max_unzipped=1 << 30)
    assert [s.name for s in book.sheets] == ["Tổng hợp"] and "'Nháp'" in book.sheets[0].notes[0]


def test_a_sheets_header_row_of_two_merged_cells_stays_with_its_table():
    cells = [SheetCell(0, 0, 2, 1, "TT"), SheetCell(0, 1, 2, 1, "Nội dung"), SheetCell(0, 2, 1, 2, "Kết quả"),
             SheetCell(1, 2, 1, 1, "Trước"), SheetCell(1, 3, 1, 1, "Sau"),
             SheetCell(2, 0, 1, 1, "1"), SheetCell(2, 1, 1, 1, PHONE), SheetCell(2, 2, 1, 1, "50%"),
             SheetCell(2, 3, 1, 1, "70%")]
    page = sheet_to_result(Sheet("s", tuple(cells)), 1)
    (table,) = page.tables
    assert table.n_rows == 3 and not [line.text for line in page.lines if line.text]


def _table(page: int, rows: list[list[str]]) -> Table:
    cells = tuple(Cell(r, c, 1, 1, t, (c * 10.0, r * 10.0, c * 10.0 + 10, r * 10.0 + 10), 95.0, page)
                  for r, row in enumerate(rows) for c, t in enumerate(row))
    return Table((page, page), cells, len(rows), len(rows[0]), "text", ((page, "text"),), True)


def test_a_row_cut_by_the_page_break_is_joined_and_a_row_of_its_own_is_not():
    first = _table(1, [["TT", "Chỉ tiêu", "Kết quả"], ["1", "Tỷ lệ người dân/doanh", "81%"]])
    cut = _table(2, [["", "nghiệp sử dụng nền tảng số", ""], ["2", "Tỷ lệ người dân có chữ ký số", "40%"]])
    (joined,) = continue_tables([[first], [cut]])
    assert joined.n_rows == 3
    assert [c.text for c in joined.rows()[1]][1] == "Tỷ lệ người dân/doanh\nnghiệp sử dụng nền tảng số"
    own = _table(2, [["", "Tỷ lệ người dân có chữ ký số", "40%"]])  # its number lost, its value there
    (kept,) = continue_tables([[first], [own]])
    assert kept.n_rows == 3 and kept.rows()[2][2].text == "40%"


@pytest.mark.parametrize("note,code,scope", [
    ("its header 'CT8' was read unsure (OCR confidence 55): which indicator it is may be another",
     "label_uncertain", "row"),
    ("read from a line of a page whose table gave no value: it may be a table's cell, of another column",
     "unit_uncertain", "value"),
    ("read 'Xã “ Hiệu Giang' as Xã Thiệu Giang: 'Hiệu Giang' is closest to it among the communes of Thiệu Hóa "
     "(80, next 62): the OCR may have garbled the header", "place_read_closest", "place"),
    ("'Xã Tượng Lich' read as the closest 2025 unit, Xã Tượng Lĩnh (88, next 70)", "place_read_closest", "place"),
])
def test_the_doubts_about_garbled_names_headers_and_unread_tables_have_their_codes(note, code, scope):
    from normalize.outputs.reasons import reasons_of

    assert [(r.code, r.scope) for r in reasons_of(note)] == [(code, scope)]
