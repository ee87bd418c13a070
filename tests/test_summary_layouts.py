"""A summary table read across: a row per locality, a column (or a pair of before/after
columns) per indicator, as a district consolidating its communes' reports lays it out."""
from __future__ import annotations

import pytest

from helpers import make_table
from normalize.readers.summary import grid_to_summary
from normalize.readers.summary_records import summary_to_records

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

# Short names as a district office would print them, and the ids they stand for.
INDICATORS = [
    (6, "Tỷ lệ người dân có điện thoại thông minh"),
    (7, "Tỷ lệ người dân trên 15 tuổi có tài khoản thanh toán"),
    (8, "Tỷ lệ người dân có tài khoản định danh điện tử"),
    (15, "Tỷ lệ hộ thanh toán tiền điện không dùng tiền mặt"),
]
COMMUNES = ["Xã Nga Liên", "Thị trấn Hậu Lộc", "Xã Hoằng Đạo"]
VALUES = [["83%", "71%", "64,5%", "90%"], ["80%", "75%", "70%", "88%"], ["92%", "60%", "55%", "93,2%"]]


def _by_key(records):
    return {(r.indicator_id, r.commune, r.phase): (r.value, r.qualifier, r.needs_review) for r in records}


def test_one_row_per_commune_one_column_per_indicator():
    rows = [["TT", "Đơn vị", *[name for _, name in INDICATORS]]]
    rows += [[str(i + 1), commune, *VALUES[i]] for i, commune in enumerate(COMMUNES)]
    summary = grid_to_summary(make_table(rows))
    records = summary_to_records(summary, source_file="tonghop.pdf", year=2024)
    got = _by_key(records)
    assert len(records) == len(INDICATORS) * len(COMMUNES)
    assert got[(6, "Xã Nga Liên", "reported")] == (83.0, "", False)
    assert got[(8, "Thị trấn Hậu Lộc", "reported")] == (70.0, "", False)
    assert got[(15, "Xã Hoằng Đạo", "reported")] == (93.2, "", False)
    assert {r.district for r in records} == {"Nga Sơn", "Hậu Lộc", "Hoằng Hóa"}


def test_before_and_after_under_each_indicator_and_a_row_of_targets():
    names = ["Chỉ tiêu 6", "Chỉ tiêu 7", "Chỉ tiêu 8"]  # numbered, not named
    top = ["TT", "Xã, thị trấn"]
    for name in names:
        top += [name, None]
    rows = [top, ["", "", *["Trước", "Sau"] * 3], ["", "Chỉ tiêu", "80% trở lên", "", "70%", "", "75%", ""]]
    rows += [["1", "Xã Nga Liên", "60%", "83%", "40%", "71%", "50%", "64,5%"],
             ["2", "Thị trấn Hậu Lộc", "55%", "80%", "45%", "75%", "52%", "70%"]]
    spans = {(0, 2 + 2 * i): 2 for i in range(3)} | {(2, 2): 2, (2, 4): 2, (2, 6): 2}
    rows[2] = ["", "Chỉ tiêu", "80% trở lên", None, "70%", None, "75%", None]
    summary = grid_to_summary(make_table(rows, spans))
    got = _by_key(summary_to_records(summary, source_file="tonghop.pdf", year=2024))
    assert got[(6, "Xã Nga Liên", "before")][0] == 60.0 and got[(6, "Xã Nga Liên", "after")][0] == 83.0
    assert got[(8, "Thị trấn Hậu Lộc", "after")][0] == 70.0
    assert got[(6, "", "target")][:2] == (80.0, ">=")
    assert len(got) == 3 * (1 + 2 * 2)


def test_a_target_centred_over_its_pair_is_read_from_either_column():
    """A borderless table has no merged cell: the target centred over "Trước | Sau" falls in
    one column or the other (its spreadsheet twin merges them, issue 13)."""
    top = ["TT", "Xã, thị trấn"]
    for name in ("Chỉ tiêu 6", "Chỉ tiêu 7", "Chỉ tiêu 8"):
        top += [name, None]
    rows = [top, ["", "", *["Trước", "Sau"] * 3], ["", "Chỉ tiêu", "80% trở lên", "", "", "70%", "", "75%"]]
    rows += [["1", "Xã Nga Liên", "60%", "83%", "40%", "71%", "50%", "64,5%"],
             ["2", "Thị trấn Hậu Lộc", "55%", "80%", "45%", "75%", "52%", "70%"]]
    summary = grid_to_summary(make_table(rows, {(0, 2 + 2 * i): 2 for i in range(3)}))
    got = _by_key(summary_to_records(summary, source_file="tonghop.pdf", year=2024))
    assert [got[(i, "", "target")][:2] for i in (6, 7, 8)] == [(80.0, ">="), (70.0, ""), (75.0, "")]


def test_the_deck_layout_is_still_read_down():
    # Indicators down, localities across: the localities head the columns, not the rows.
    rows = [["TT", "Nội dung", "Xã Nga Liên", None, "Thị trấn Hậu Lộc", None],
            ["", "", "Trước", "Sau", "Trước", "Sau"]]
    rows += [[str(k), name, "50%", "60%", "55%", "65%"] for k, name in INDICATORS]
    summary = grid_to_summary(make_table(rows, {(0, 2): 2, (0, 4): 2}))
    assert [c.locality_raw for c in summary.columns] == ["Xã Nga Liên"] * 2 + ["Thị trấn Hậu Lộc"] * 2
    assert [r.label for r in summary.rows] == [name for _, name in INDICATORS]


def test_a_list_of_indicators_gives_their_targets():
    rows = [["TT", "Nội dung", "Chỉ tiêu năm 2024"]] + [[str(k), name, "80%"] for k, name in INDICATORS]
    summary = grid_to_summary(make_table(rows))
    assert [(c.phase, c.locality_raw) for c in summary.columns] == [("target", "")]
    assert [r.label for r in summary.rows] == [name for _, name in INDICATORS]
    records = summary_to_records(summary, source_file="x.pdf", year=2024)
    assert {(r.phase, r.commune, r.district, r.value) for r in records} == {("target", "", "", 80.0)}


def test_a_list_of_indicators_with_other_columns_is_no_summary():
    # a template's result column beside the targets: normalize.readers.templates reads it
    rows = [["TT", "Nội dung", "Chỉ tiêu năm 2024", "Kết quả thực hiện"]] + [[str(k), name, "80%", "75%"]
                                                                              for k, name in INDICATORS]
    assert grid_to_summary(make_table(rows)) is None


def _pdf(path, rows):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    pdfmetrics.registerFont(TTFont("DejaVuSans", FONT))
    style = ParagraphStyle("cell", fontName="DejaVuSans", fontSize=10, leading=12)
    data = [[Paragraph(text, style) for text in row] for row in rows]
    table = RLTable(data, colWidths=[30, 140] + [140] * (len(rows[0]) - 2))
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.8, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build([Paragraph("BẢNG TỔNG HỢP KẾT QUẢ CÁC XÃ NĂM 2024", style),
                                                              table])


@pytest.mark.tesseract
def test_read_across_from_a_text_pdf_and_its_scan(tmp_path):
    from chitieu import runner
    from extract.imaging.render import render_pdf_page

    rows = [["TT", "Đơn vị", *[name for _, name in INDICATORS]]]
    rows += [[str(i + 1), commune, *VALUES[i]] for i, commune in enumerate(COMMUNES)]
    text_pdf = tmp_path / "tonghop.pdf"
    _pdf(text_pdf, rows)
    scan = tmp_path / "tonghop_scan.pdf"
    render_pdf_page(text_pdf, 0, dpi=300).rotate(0.6, fillcolor=255).save(scan, "PDF", resolution=300)
    want = {(k, commune, "reported"): float(VALUES[i][j].rstrip("%").replace(",", "."))
            for i, commune in enumerate(COMMUNES) for j, (k, _) in enumerate(INDICATORS)}
    for path, source in ((text_pdf, "text"), (scan, "ocr")):
        records = runner.run([str(path)], runner.Settings(jobs=2)).records
        got = {(r.indicator_id, r.commune, r.phase): r.value for r in records}
        assert got == want, path.name
        assert {r.source for r in records} == {source} and {r.year for r in records} == {2024}


def test_a_row_of_indicator_numbers_heads_the_columns_and_is_no_data():
    # A district's table headed "3 … 15" over before/after pairs; with no lines to span
    # them, a number centred over its pair lands on either column (15 over "Sau").
    rows = [["", "", "3", "", "13", "", "", "15"],
            ["TT", "Đơn vị", "Trước", "Sau", "Trước", "Sau", "Trước", "Sau"]]
    rows += [[str(i + 1), commune, "10%", "20%", "30%", "40%", "50%", "60%"] for i, commune in enumerate(COMMUNES)]
    summary = grid_to_summary(make_table(rows))
    assert [r.number for r in summary.rows] == [3, 13, 15]
    records = summary_to_records(summary, source_file="x.pdf", year=2024)
    got = {(r.indicator_id, r.commune, r.phase): r.value for r in records}
    assert got[(15, COMMUNES[0], "before")] == 50.0 and got[(15, COMMUNES[-1], "after")] == 60.0
    # a header that is nothing but the indicator's number names it: nothing to review
    assert not any(r.needs_review for r in records), [r.note for r in records if r.needs_review]


@pytest.mark.parametrize("head", ["CT{}", "Chỉ tiêu {}", "{}"])
def test_indicators_headed_by_number_or_code(head):
    rows = [["TT", "Đơn vị", *[head.format(k) for k, _ in INDICATORS]]]
    rows += [[str(i + 1), commune, *VALUES[i]] for i, commune in enumerate(COMMUNES)]
    records = summary_to_records(grid_to_summary(make_table(rows)), source_file="x.pdf", year=2024)
    assert sorted({r.indicator_id for r in records}) == [k for k, _ in INDICATORS]
    assert {r.commune for r in records} == set(COMMUNES) and not any(r.needs_review for r in records)


def test_indicator_names_over_phase_pairs_are_indicators_not_places():
    # Read down, the names over the pairs would be localities; they are the catalogue's names.
    names = [name for _, name in INDICATORS[:3]]
    rows = [["TT", "Đơn vị", names[0], None, names[1], None, names[2], None],
            ["", "", "Trước", "Sau", "Trước", "Sau", "Trước", "Sau"]]
    rows += [[str(i + 1), commune, "10%", "20%", "30%", "40%", "50%", "60%"] for i, commune in enumerate(COMMUNES)]
    summary = grid_to_summary(make_table(rows, {(0, 2): 2, (0, 4): 2, (0, 6): 2}))
    assert {c.locality_raw for c in summary.columns} == set(COMMUNES)


def test_a_borderless_table_of_one_line_rows_keeps_its_rows(tmp_path):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from reportlab.platypus import Table as RLTable

    from chitieu import runner

    pdfmetrics.registerFont(TTFont("DejaVuSans", FONT))
    style = ParagraphStyle("cell", fontName="DejaVuSans", fontSize=9, leading=11)
    # One header wraps to two lines ("Chỉ tiêu / 5"), every other cell is one line: the
    # space between rows is all the table shows, and no row may merge with the next.
    heads = ["TT", "Đơn vị", "Chỉ tiêu 1", "Chỉ tiêu 2", "Chỉ tiêu 5"]
    communes = ["Xã Ngọc Sơn", "Xã Cao Thịnh", "Xã Thạch Lập", "Xã Nguyệt Ấn", "Xã Lam Sơn", "Xã Kiên Thọ"]
    values = [[f"{10 * i + j}%" for j in (1, 2, 5)] for i in range(len(communes))]
    rows = [heads] + [[str(i + 1), commune, *values[i]] for i, commune in enumerate(communes)]
    data = [[Paragraph(text, style) for text in row] for row in rows]
    table = RLTable(data, colWidths=[25, 120, 60, 60, 45], style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    path = tmp_path / "borderless.pdf"
    title = ParagraphStyle("title", fontName="DejaVuSans", fontSize=13, leading=16)
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build([Paragraph("TỔNG HỢP CÁC XÃ NĂM 2024", title), table])
    records = runner.run([str(path)], runner.Settings(jobs=1)).records
    got = {(r.indicator_id, r.commune): r.value for r in records}
    want = {(k, commune): float(10 * i + k) for i, commune in enumerate(communes) for k in (1, 2, 5)}
    assert got == want


def test_a_header_word_cut_into_an_empty_column_stays_with_its_indicator():
    # The white space of a borderless table cut "minh" off its header into a column of its own.
    rows = [["TT", "Đơn vị", "Tỷ lệ người dân có điện thoại thông", "minh", "", INDICATORS[1][1], None,
             INDICATORS[3][1], None],
            ["", "", "Trước", "", "Sau", "Trước", "Sau", "Trước", "Sau"]]
    rows += [[str(i + 1), commune, "10%", "", "20%", "30%", "40%", "50%", "60%"] for i, commune in enumerate(COMMUNES)]
    records = summary_to_records(grid_to_summary(make_table(rows, {(0, 5): 2, (0, 7): 2})), source_file="x.pdf", year=2024)
    got = {(r.indicator_id, r.phase): r.value for r in records if r.commune == COMMUNES[0]}
    assert got == {(6, "before"): 10.0, (6, "after"): 20.0, (7, "before"): 30.0, (7, "after"): 40.0,
                   (15, "before"): 50.0, (15, "after"): 60.0}


def test_a_row_whose_number_went_astray_is_flagged():
    # Rows numbered by indicator; the cut between two rows went wrong, so one row has the
    # label and no number and the next the number and no label: never a silent choice.
    names = {1: "Lãnh đạo, cán bộ, công chức được cấp chứng thư số", 5: "Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến",
             6: "Tỷ lệ người dân có điện thoại thông minh", 8: "Tỷ lệ người dân được cấp tài khoản định danh điện tử",
             9: "Tỷ lệ người dân có chữ ký điện tử cá nhân"}
    rows = [["TT", "Nội dung", "Xã Nga Liên", None], ["", "", "Trước", "Sau"]]
    rows += [["5", names[5], "10%", "20%"], ["", names[6], "30%", "40%"], ["6", "", "50%", "60%"],
             ["8", names[8], "70%", "80%"], ["9", names[9], "85%", "90%"]]
    records = summary_to_records(grid_to_summary(make_table(rows, {(0, 2): 2})), source_file="x.pdf", year=2024)
    by_label = {r.label_raw: r for r in records}
    assert by_label[names[6]].needs_review and "slid" in by_label[names[6]].note
    assert not by_label[names[8]].needs_review and not by_label[names[5]].needs_review


def test_phase_headers_spaced_letter_by_letter_are_phases():
    from normalize.readers.summary import phase_of

    assert phase_of("S a u\nt h í\nđiểm") == "after" and phase_of("Tr ư ớ c\nt h í\nđiểm") == "before"
    assert phase_of("Đơn vị") is None


def test_indicators_named_by_number_are_never_localities():
    # "Chỉ tiêu 4" over a pair whose phases OCR garbled ("T Z"): not a place to read down.
    rows = [["TT", "Đơn vị", "Chỉ tiêu 1", None, "Chỉ tiêu 3", None, "Chỉ tiêu 4", None],
            ["", "", "Trước", "Sau", "T Z", "Sau", "Trước", "Sau"]]
    rows += [[str(i + 1), commune, "10%", "20%", "30%", "40%", "50%", "60%"] for i, commune in enumerate(COMMUNES)]
    summary = grid_to_summary(make_table(rows, {(0, 2): 2, (0, 4): 2, (0, 6): 2}))
    assert summary is None or not any("Chỉ tiêu" in c.locality_raw for c in summary.columns)


def test_a_row_of_numbers_read_with_a_dot_heads_the_columns():
    rows = [["", "", "3", "13", "15."], ["TT", "Đơn vị", "", "", ""]]
    rows += [[str(i + 1), commune, "10%", "20%", "30%"] for i, commune in enumerate(COMMUNES)]
    summary = grid_to_summary(make_table(rows))
    assert [r.number for r in summary.rows] == [3, 13, 15]


def test_a_title_cut_into_cells_above_the_head_names_no_locality():
    # a fax of a table ruled only across, as the OCR made its grid: the title's lines came
    # into it, cut by the columns' gaps, and the indicators' numbers were mostly lost; its
    # title's pieces were read as localities (v0030 of make_variants --n 60 --seed 81000
    # --reform all: 154 values under "Phường Tỉnh Thanh Hóa Năm 2026" and the like)
    from normalize.readers.summary import grid_to_summary

    rows = [
        ["BẰNG TỐNG HỢP KẾT", None, "QUẢ THỰC", ", HIỆN lv",
         "MÔ HÌNH 3 KHÔNG CÁC XÃ, PHƯỜNG TỈNH THANH HÓA NĂM 2026 (Kèm theo Báo cáo sổ 619/BC-UBND ngày 6 tháng 9 năm",
         *[None] * 9],
        ["", "", "", "", "", "", "2026 của UBND tỉnh)", None, None, "", "", "", "", ""],
        ["TT", "tứntẵỗ .a. 9Ð", "", "", "", "", "4", "", "", "", "10", "", "", "15"],
        ["", "Đơn vị", "Trước", "Sau", "Trước", "Sau", "Trước", "Sau", "“Trước", "San", "rước", "Sau", "Trước", "Sau"],
        ["", "Chỉ tiêu", "100%", None, "", "100%", "100%", "", "", "", "8ữ% trớ lên", None, "b9% trở lên", None],
        ["H", "Phường Nghí Sơn", "Không", "2.9%", "27.7%", "41.2%", "74%", "98.2%", "68%", "71%", "34.2%", "34%",
         "100%", "Chufa có"],
        ["2", "Xã Giao Án", "95%", "96.1%", "100%", "99%", "92.3%", "Kl:ông", "100%", "", "3.B6%", "100%", "30.6%",
         "5%"],
        ["3 ˆ", "Xá Thiệu Quang", "40%", "S7.2%", "", "96.3%", "87%", "94%", "100%", "", "83.1%", "Chưa có",
         "Lãnh đạo", "91%"],
    ]
    table = make_table(rows, spans={(0, 0): 2, (0, 4): 10, (1, 6): 3, (4, 2): 2, (4, 10): 2, (4, 12): 2})
    # its indicators' numbers mostly lost, it is read as nothing (said in errors.csv), not as
    # a table whose localities are the title's pieces
    assert grid_to_summary(table) is None
