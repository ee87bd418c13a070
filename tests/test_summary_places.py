"""Places and phases a summary table gets from its document (issue 11): communes named
alone, resolved in the district the title names; letter-spaced names; two columns of
one phase under one locality flagged."""
from __future__ import annotations

from extract.model import Line, PageResult
from helpers import make_table
from normalize.places.resolve import resolve_commune
from normalize.readers.document import document_records
from normalize.readers.meta import detect_district
from normalize.readers.summary import grid_to_summary
from normalize.readers.summary_records import summary_to_records

BIM_SON = "381"  # Thị xã Bỉm Sơn


def test_the_district_a_title_names():
    assert detect_district("BẢNG TỔNG HỢP CÁC XÃ, THỊ TRẤN HUYỆN HÀ TRUNG NĂM 2024") == "392"
    assert detect_district("KẾT QUẢ CÁC XÃ, PHƯỜNG THỊ XÃ BỈM SƠN\nNĂM 2023") == BIM_SON
    assert detect_district("BẢNG TỔNG HỢP KẾT QUẢ THÍ ĐIỂM MÔ HÌNH 3 KHÔNG NĂM 2024") == ""
    # two districts named: the document is about neither alone
    assert detect_district("HUYỆN HÀ TRUNG\nHUYỆN NGA SƠN") == ""


def test_a_title_wrapped_inside_the_district_name_still_names_it():
    assert detect_district("BẢNG TỔNG HỢP … CÁC XÃ, THỊ TRẤN HUYỆN THỌ\nXUÂN NĂM 2024\nTT Đơn vị") == "395"
    assert detect_district("… CÁC XÃ, PHƯỜNG THÀNH PHỐ\nSẦM SƠN NĂM 2024") == "382"
    assert detect_district("UBND HUYỆN HÀ TRUNG\nSố: 12/BC-UBND") == "392"  # the next line is no part of it


def _district_rows(names):
    rows = [["TT", "Đơn vị", "Chỉ tiêu 1", "Chỉ tiêu 2", "Chỉ tiêu 5"]]
    rows += [[str(i + 1), name, f"{10 + i}%", f"{20 + i}%", f"{30 + i}%"] for i, name in enumerate(names)]
    return rows


def _page(rows, title):
    return PageResult(1, "text", "text layer", (make_table(rows),), (Line(title, 1), Line("", 1)), title)


def test_communes_named_alone_resolve_in_the_titles_district():
    # Ngọc Trạo, Quang Trung and Bắc Sơn each exist in two or three districts.
    names = ["Ngọc Trạo", "Quang Trung", "Bắc Sơn", "Ba Đình"]
    title = "BẢNG TỔNG HỢP KẾT QUẢ CÁC XÃ, PHƯỜNG THỊ XÃ BỈM SƠN NĂM 2023"
    records = document_records([_page(_district_rows(names), title)], source_file="x.pdf", year=None).records
    by_place = {(r.district_code, r.commune) for r in records if r.phase != "target"}
    assert {d for d, _ in by_place} == {BIM_SON}
    assert len(by_place) == 4
    assert not any(r.needs_review for r in records if r.phase != "target")


def test_communes_named_alone_without_a_district_are_kept_and_flagged():
    names = ["Ngọc Trạo", "Quang Trung", "Bắc Sơn", "Ba Đình"]
    records = document_records([_page(_district_rows(names), "BẢNG TỔNG HỢP NĂM 2023")], source_file="x.pdf",
                               year=None).records
    values = [r for r in records if r.phase != "target"]
    assert len(values) == 12  # no row dropped
    assert all(r.needs_review and "ambiguous" in r.note for r in values)


def test_a_letter_spaced_name_is_the_unit_spelled_without_the_spaces():
    m = resolve_commune("Xã T h à nh M in h", district="Thạch Thành")
    assert m.unit is not None and m.unit.name == "Xã Thành Minh"
    assert "letter-spaced" in m.note
    assert resolve_commune("Xã T h à nh M in h", district="Hà Trung").unit is None


def test_two_columns_of_one_phase_under_one_locality_are_flagged_even_when_equal():
    rows = [["TT", "Nội dung", "Nga Sơn (xã Nga An)", None, "Hà Trung (xã Hà Sơn)", None],
            ["", "", "Trước", "Trước", "Trước", "Sau"],
            ["1", "Lãnh đạo, cán bộ, công chức được cấp chứng thư số", "99%", "99%", "40%", "50%"],
            ["2", "Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến", "10%", "20%", "60%", "70%"],
            ["3", "Tỷ lệ người dân có điện thoại thông minh", "30%", "30%", "80%", "90%"]]
    records = summary_to_records(grid_to_summary(make_table(rows, {(0, 2): 2, (0, 4): 2})), source_file="x.pdf", year=2024)
    nga_an = [r for r in records if r.commune == "Xã Nga An"]
    ha_son = [r for r in records if r.commune == "Xã Hà Sơn"]
    assert len(nga_an) == 6 and all(r.needs_review and "2 'before' columns" in r.note for r in nga_an)
    assert len(ha_son) == 6 and not any(r.needs_review for r in ha_son)


def test_a_number_without_its_percent_sign_in_a_scanned_table_of_percentages_is_flagged():
    from dataclasses import replace

    rows = [["TT", "Nội dung", "Nga Sơn (xã Nga An)", None, "Hà Trung (xã Hà Sơn)", None],
            ["", "", "Trước", "Sau", "Trước", "Sau"],
            ["1", "Lãnh đạo, cán bộ, công chức được cấp chứng thư số", "99%", "94.99", "40%", "50%"],
            ["2", "Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến", "10%", "20%", "60%", "70%"],
            ["3", "Tỷ lệ người dân có điện thoại thông minh", "30%", "31%", "80%", "90%"]]
    table = make_table(rows, {(0, 2): 2, (0, 4): 2})
    scanned = replace(table, source="ocr", page_sources=((1, "ocr"),))
    flagged = {(r.commune, r.indicator_id, r.phase) for r in
               summary_to_records(grid_to_summary(scanned), source_file="x.pdf", year=2024) if r.needs_review}
    assert flagged == {("Xã Nga An", 2, "after")}
    # a text layer prints what its author typed: not a misreading
    assert not any(r.needs_review for r in summary_to_records(grid_to_summary(table), source_file="x.pdf", year=2024))


def _across(head_tt: str, heads: list[str]):
    rows = [[head_tt, "Đơn vị", heads[0], None, heads[1], None, heads[2], None],
            ["", "", "Trước", "Sau", "Trước", "Sau", "Trước", "Sau"]]
    rows += [[str(i + 1), c, f"{10 + i}%", f"{20 + i}%", f"{30 + i}%", f"{40 + i}%", f"{50 + i}%", f"{60 + i}%"]
             for i, c in enumerate(["Xã Nga Liên", "Thị trấn Hậu Lộc", "Xã Hoằng Đạo"])]
    return make_table(rows, {(0, 2): 2, (0, 4): 2, (0, 6): 2})


def test_a_misread_number_header_left_of_the_places_is_no_indicator():
    records = summary_to_records(grid_to_summary(_across("[T", ["CT1", "CT5", "CT9"])), source_file="x.pdf", year=2024)
    assert {(r.indicator_id, r.phase) for r in records} == {(i, p) for i in (1, 5, 9) for p in ("before", "after")}
    assert not any(r.needs_review for r in records)


def test_one_indicator_header_read_twice_gives_two_flagged_groups_not_nothing():
    records = summary_to_records(grid_to_summary(_across("TT", ["CT1", "CT15", "CT15"])), source_file="x.pdf",
                                 year=2024)
    fifteen = [r for r in records if "CT15" in r.label_raw]  # the matcher gives the second another id
    assert len(fifteen) == 12 and all(r.needs_review and "heads 2" in r.note for r in fifteen)
    assert not any(r.needs_review for r in records if r.indicator_id == 1)


def test_a_header_cut_short_is_the_one_commune_it_begins_flagged():
    from normalize.places.locality import parse_locality

    cut = parse_locality("TX Bỉm Sơn (phường Ba")  # "… Ba / Đình)": the wrapped tail read elsewhere
    assert (cut.commune, cut.commune_code, cut.needs_review) == ("Phường Ba Đình", "14812", True)
    assert "cut short" in cut.note
    # several communes begin so ("Thăng Long", "Thăng Bình", …): kept as written, flagged
    many = parse_locality("Nông Cống (xã Thăng")
    assert many.commune_code == "" and many.needs_review
    # a closed bracket is a whole name: no guess
    assert parse_locality("TX Bỉm Sơn (phường Ba)").commune_code == ""


def test_a_locality_header_cut_in_two_over_its_pair_is_one_locality():
    rows = [["TT", "Nội dung", "Hậu Lộc", "(xã Hải Lộc)", "Hà Trung (xã Hà Sơn)", None],
            ["", "", "Trước", "Sau", "Trước", "Sau"],
            ["1", "Lãnh đạo, cán bộ, công chức được cấp chứng thư số", "10%", "20%", "40%", "50%"],
            ["2", "Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến", "11%", "21%", "60%", "70%"],
            ["3", "Tỷ lệ người dân có điện thoại thông minh", "30%", "31%", "80%", "90%"]]
    records = summary_to_records(grid_to_summary(make_table(rows, {(0, 4): 2})), source_file="x.pdf", year=2024)
    hai_loc = {(r.indicator_id, r.phase): r.value for r in records if r.commune == "Xã Hải Lộc"}
    assert hai_loc == {(2, "before"): 10.0, (2, "after"): 20.0, (5, "before"): 11.0, (5, "after"): 21.0,
                       (6, "before"): 30.0, (6, "after"): 31.0}
    assert not any(r.needs_review for r in records)


def test_row_numbers_run_into_the_column_of_places_are_no_part_of_the_names():
    """A borderless table whose narrow "TT" column the white space did not part from the
    names (Chromium, "T / Đơn vị / T" over it): each name cell holds its row's digits."""
    names = ["Xa Nga\n1\nLien", "2 Xa Phu Le", "Xa Tho\n3\nBinh", "1 Xa Tay Do\n0", "1\nXa Xuan\n1\nChinh",
             "1 Xa Muong\n2 Ly"]
    rows = [["T\nĐơn vị\nT", "Chỉ tiêu 1", "Chỉ tiêu 2", "Chỉ tiêu 5"]]
    rows += [[name, f"{10 + i}%", f"{20 + i}%", f"{30 + i}%"] for i, name in enumerate(names)]
    records = document_records([_page(rows, "BẢNG TỔNG HỢP NĂM 2023")], source_file="x.pdf", year=None).records
    assert sorted({r.commune for r in records}) == sorted(
        ["Xã Nga Liên", "Xã Phú Lệ", "Xã Thọ Bình", "Xã Tây Đô", "Xã Xuân Chinh", "Xã Mường Lý"])
    assert len(records) == 18


def test_a_commune_spelled_like_a_district_but_for_its_marks_is_the_commune():
    """"Hạ Trung" in a table of Bá Thước's communes is its Xã Hạ Trung, not the district Hà
    Trung's town; the district's own spelling still names the district."""
    names = ["Hạ Trung", "Lũng Niêm", "Điền Lư", "Văn Nho"]
    title = "BẢNG TỔNG HỢP KẾT QUẢ CÁC XÃ, THỊ TRẤN HUYỆN BÁ THƯỚC NĂM 2024"
    records = document_records([_page(_district_rows(names), title)], source_file="x.pdf", year=None).records
    assert {r.commune_code for r in records if r.commune.endswith("Hạ Trung")} == {"14962"}
    assert not any(r.needs_review for r in records if r.phase != "target")
    from normalize.places.locality import parse_locality
    assert parse_locality("Hà Trung", district="386").district_code == "392"
    # no district to look in: a district's name with a mark misread is still the district's
    assert parse_locality("Thiệu Hòa").commune == "" and parse_locality("Hạ Trung").district_code == "392"


def test_a_first_row_whose_values_joined_the_phase_headers_is_read_not_dropped():
    """A borderless Chromium table whose white space joined the first row's values to the
    phase headers above them ("Trước / 71%", spanning down into row "1 | Xã Hà Bình"): the
    row was taken for a header and dropped, unsaid."""
    from extract.model import Cell, Table

    def cell(r, c, text, rowspan=1, colspan=1):
        return Cell(r, c, rowspan, colspan, text, (c * 40.0, r * 12.0, (c + colspan) * 40.0, (r + rowspan) * 12.0), 100.0, 1)

    cells = [cell(0, 0, "TT", 2), cell(0, 1, "Đơn vị", 2), cell(0, 2, "2", 1, 2), cell(0, 4, "9", 1, 2),
             cell(0, 6, "11", 1, 2)]
    first = ("71%", "92%", "46%", "94%", "16%", "24%")
    cells += [cell(1, 2 + k, f"{'Trước' if k % 2 == 0 else 'Sau'}\n{v}", 2) for k, v in enumerate(first)]
    cells += [cell(2, 0, "1"), cell(2, 1, "Xã Hà Bình")]
    for r, (name, vals) in enumerate((("Xã Hà Ngọc", "8,2% 14% 77,08% 99% 22,0% 68,15%"),
                                     ("Xã Hà Hải", "43,9% 52,4% 2,3% 74% 10% 27,4%")), start=3):
        cells += [cell(r, 0, str(r - 1)), cell(r, 1, name)] + [cell(r, 2 + k, v) for k, v in enumerate(vals.split())]
    table = Table((1, 1), tuple(cells), 5, 8, ruled=False)
    title = "BẢNG TỔNG HỢP KẾT QUẢ CÁC XÃ, THỊ TRẤN HUYỆN HÀ TRUNG NĂM 2024"
    page = PageResult(1, "text", "text layer", (table,), (Line(title, 1), Line("", 1)), title)
    records = document_records([page], source_file="x.pdf", year=None).records
    got = {(r.indicator_id, r.phase): r.value for r in records if r.commune == "Xã Hà Bình"}
    assert got == {(2, "before"): 71, (2, "after"): 92, (9, "before"): 46, (9, "after"): 94,
                   (11, "before"): 16, (11, "after"): 24}
    assert len(records) == 18 and not any(r.needs_review for r in records)


def test_an_after_column_whose_header_holds_what_a_ruling_left_is_still_the_pair():
    """A turned Chromium scan (seed 40000's v0023): the underline of "CT4" read as text left
    '"san' over its "Trước" and "TA" over its "Sau"; the pair is still one indicator's."""
    rows = [["TT", "Đơn vị", "CT1", "", "CT4", "", "", "CT9"],
            ["", "", "", "|——————————e——=—=n", '"san', "TA", "——————--.———-ryrvrvr-rrrrrr", ""],
            ["", "", "Trước", "Sau", "Trước", "Sau", "Trước", "Sau"]]
    names = ["Quảng Tiến", "Quảng Châu", "Quảng Cư"]
    rows += [[str(i + 1), n, f"{10 + i}%", f"{20 + i}%", f"{30 + i}%", f"{40 + i}%", f"{50 + i}%", f"{60 + i}%"]
             for i, n in enumerate(names)]
    title = "BẢNG TỔNG HỢP KẾT QUẢ CÁC XÃ, PHƯỜNG THÀNH PHỐ SẦM SƠN NĂM 2023"
    records = document_records([_page(rows, title)], source_file="x.pdf", year=None).records
    got = {(r.commune, r.indicator_id, r.phase): r.value for r in records}
    assert got[("Phường Quảng Tiến", 4, "before")] == 30 and got[("Phường Quảng Tiến", 4, "after")] == 40
    assert got[("Phường Quảng Cư", 9, "before")] == 52 and got[("Phường Quảng Cư", 1, "after")] == 22
    assert len(records) == 18


def test_a_value_merged_over_two_rows_is_no_rows_spilled_value():
    """Only a header cell ending on the first data row gives it its last line; a value cell
    merged down over two communes (or a header over two rows) gives neither one a value."""
    from extract.model import Cell, Table
    from normalize.readers.summary_parts import spilled_cell

    def cell(r, c, text, rowspan=1):
        return Cell(r, c, rowspan, 1, text, (c * 40.0, r * 12.0, c * 40.0 + 40, (r + rowspan) * 12.0), 100.0, 1)

    table = Table((1, 1), (cell(0, 2, "Trước\n71%", 2), cell(2, 2, "Đạt\n100%", 2), cell(0, 3, "Sau\n9%", 3)), 5, 4)
    assert spilled_cell(table, 1, 2, 1).text == "71%"
    assert spilled_cell(table, 3, 2, 1) is None  # a data cell merged
    assert spilled_cell(table, 1, 3, 1) is None and spilled_cell(table, 2, 3, 1) is None  # spans past the row
