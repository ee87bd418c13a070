"""150 dpi scans of summary tables (issue 11, damage class "lowres"): a phase header that
lost its first line or letter, rows of a borderless table set too close to part, a row
of run together values, a misread digit beside a fraction. No OCR here: tables and words
are built as the scans' readings were."""
from __future__ import annotations

from helpers import make_table
from extract.layout.borderless import page_to_borderless_tables
from extract.model import Page, Word
from normalize.readers.summary import grid_to_summary
from normalize.readers.summary_parts import paired_phase
from normalize.readers.summary_records import summary_to_records

COMMUNES = ["Xã Nga Liên", "Thị trấn Hậu Lộc", "Xã Hoằng Đạo"]


def _district(first_phase: str) -> list:
    """A district's table of CT2 / CT10 / CT15 pairs whose first "Trước" reads ``first_phase``."""
    top = ["TT", "Đơn vị"]
    for code in ("CT2", "CT10", "CT15"):
        top += [code, None]
    rows = [top, ["", "", first_phase, "Sau thí\nđiểm", "Trước thí\nđiểm", "Sau thí\nđiểm", "Trước", "Sau"]]
    rows += [[str(i + 1), c, f"{10 + i}%", f"{20 + i}%", f"{30 + i}%", f"{40 + i}%", f"{50 + i}%", f"{60 + i}%"]
             for i, c in enumerate(COMMUNES)]
    return rows


SPANS = {(0, 2): 2, (0, 4): 2, (0, 6): 2}


def test_a_phase_header_that_lost_its_first_line_is_told_by_its_pair():
    for damaged in ("thí\nđiểm", "rước", ""):
        summary = grid_to_summary(make_table(_district(damaged), SPANS))
        assert summary is not None, damaged
        got = {(r.indicator_id, r.commune, r.phase): (r.value, r.needs_review)
               for r in summary_to_records(summary, source_file="x.pdf", year=2024)}
        assert got[(2, "Xã Nga Liên", "before")] == (10.0, False), damaged
        assert got[(2, "Xã Hoằng Đạo", "after")] == (22.0, False), damaged
        assert got[(15, "Thị trấn Hậu Lộc", "before")] == (51.0, False), damaged
        assert len(got) == 3 * 2 * 3


def test_a_header_that_says_something_else_is_no_phase():
    header = [[(1, "TT")], [(1, "Đơn vị")], [(2, "CT2"), (1, "Chỉ tiêu")], [(2, "CT2"), (1, "Sau")],
              [(2, "CT3"), (1, "Trước")], [(2, "CT3"), (1, "")], [(1, "Tỷ lệ người dân có điện thoại thông minh")],
              [(1, "Sau")]]
    assert paired_phase(header, 2) is None  # a target column beside an "after" one
    assert paired_phase(header, 5) == "after"  # under one merged cell with its "before"
    assert paired_phase(header, 6) is None  # an indicator's name beside a "Sau" of no pair
    assert paired_phase(header, 1) is None
    for own in ("Mục tiêu", "Kế hoạch", "KH giao", "Năm 2023", "Đầu kỳ"):  # a column of its own beside an "after"
        header = [[(1, "TT")], [(1, "Xã")], [(2, "Tỷ lệ hồ sơ trực tuyến"), (1, own)],
                  [(2, "Tỷ lệ hồ sơ trực tuyến"), (1, "Sau thí điểm")]]
        assert paired_phase(header, 2) is None, own


def test_the_last_column_has_no_pair_after_it():
    # A before/after pair whose "after" lost its header, at the table's right edge: the
    # neighbour after it was looked up past the end (an IndexError, the document lost).
    header = [[(1, "TT")], [(1, "Đơn vị")], [(2, "CT1"), (1, "Trước")], [(2, "CT1"), (1, "")]]
    assert paired_phase(header, 3) == "after"


def test_a_cell_in_a_row_of_run_together_values_is_flagged():
    rows = [["TT", "Nội dung", "Xã Nga Liên", None, "Xã Hoằng Đạo", None], ["", "", "Trước", "Sau", "Trước", "Sau"],
            ["6", "Tỷ lệ người dân có điện thoại thông minh", "36,5%\n100%", "37%\n99,3%", "52%\n100%", "99,5%"],
            ["8", "Tỷ lệ người dân được cấp tài khoản định danh điện tử", "92,1%", "92,6%", "70,2%", "91%"]]
    records = summary_to_records(grid_to_summary(make_table(rows, {(0, 2): 2, (0, 4): 2})), source_file="x.pdf",
                                 year=2024)
    alone = next(r for r in records if r.indicator_id == 6 and r.commune == "Xã Hoằng Đạo" and r.phase == "after")
    assert alone.value == 99.5 and alone.needs_review and "run together" in alone.note
    assert not any(r.needs_review for r in records if r.indicator_id == 8)


def _ocr_words(top: float, items: list[tuple[float, str]], height: float) -> list[Word]:
    out = []
    for x0, text in items:
        x = x0
        for part in text.split():
            out.append(Word(part, (x, top, x + 4.0 * len(part), top + height), 90.0, 1, "ocr"))
            x += 4.0 * len(part) + 2.0
    return out


def test_tight_borderless_rows_whose_labels_wrap_around_their_values_stay_apart():
    # 8 pt rows at 150 dpi as Tesseract boxes them: a label's words 11 pt tall (accents,
    # descenders), the percentages 6 pt; a two-line label around its row's values, the
    # rows' lines 12 pt apart, so every row's text touches the next one's.
    cols = [(300.0, "Trước"), (360.0, "Sau"), (420.0, "Trước"), (480.0, "Sau")]
    words = _ocr_words(40.0, [(20.0, "Nội dung"), (300.0, "Xã Nga Liên"), (420.0, "Xã Hoằng Đạo")], 11.0)
    words += _ocr_words(53.0, cols, 11.0)
    labels = [["Lãnh đạo, cán bộ, công chức được cấp chứng thư số"],
              ["Văn bản, hồ sơ công việc được tạo lập, xử lý, ký số trên", "môi trường điện tử"],
              ["Cán bộ, công chức có hộp thư điện tử công vụ"],
              ["Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến"]]
    top, want = 70.0, []
    for k, label in enumerate(labels):
        for i, line in enumerate(label):
            words += _ocr_words(top + 12.0 * i, [(20.0, line)], 11.0)
        mid = top + 12.0 * (len(label) - 1) / 2 + 5.5
        values = [f"{10 * k + j + 1},5%" for j in range(4)]
        words += _ocr_words(mid - 3.0, [(x + 2.0, v) for (x, _), v in zip(cols, values)], 6.0)
        want.append(values)
        top += 12.0 * len(label)
    (table,) = page_to_borderless_tables(Page(1, (600.0, 400.0), tuple(words), source="ocr", image_dpi=150))
    grid = [[c.text.replace("\n", " ") for c in row] for row in table.rows()]
    body = [row for row in grid if any("%" in t for t in row)]
    assert [row[-4:] for row in body] == want
    assert [row[0].split()[0] for row in body] == ["Lãnh", "Văn", "Cán", "Tỷ"]


def test_the_percentage_before_a_fraction_is_read_twice():
    from extract.ocr.cells import _leading_percentage
    from normalize.indicators.cells import PERCENT_CELLS

    def w(text, x0, top=100.0):
        return Word(text, (x0, top, x0 + 4.0 * len(text), top + 7.0), 90.0, 1, "ocr")

    cell = [w("(11/16)", 250.0), w("68,76%", 210.0), w("lên", 212.0, 108.0)]
    assert _leading_percentage(cell, PERCENT_CELLS).text == "68,76%"
    assert _leading_percentage([w("Chưa", 210.0), w("có", 240.0)], PERCENT_CELLS) is None


def test_a_header_cut_short_is_completed_by_reading_it_whole_and_kept_when_not():
    from extract.ocr.cells import _completes, _cut_short

    assert _cut_short("TP Thanh Hóa (phường Thiệu") and _cut_short("Hậu Lộc (xã Hoa\n)")
    assert not _cut_short("Hà Trung (xã Hoạt Giang)") and not _cut_short("80% (4/5")
    assert _completes("Thị xã Nghi Sơn ¡(phường Ninh\nH", "Thị xã Nghi Sơn (phường Ninh Hải)")
    assert _completes("Hậu Lộc (xã Hoa\n)", "Hậu Lộc (xã Hoa Lộc)")
    assert not _completes("Nông Cống (xã Tượng\nVăn", "ng Công (xa Tượng Văn)")  # worse than the first reading
    assert not _completes("Nông Cống (xã Vạn", "IVƯNG XƯƠNG (AC V g1")


def test_the_wrapped_word_of_a_header_is_read_again_from_the_scan():
    from PIL import Image, ImageDraw, ImageFont

    from extract.ocr.cells import _Deferred, reread_cut_short
    from extract.ocr.engine import TesseractEngine
    from extract.model import Cell, Table

    dpi, px = 150, 150 / 72.0
    image = Image.new("L", (round(200 * px), round(40 * px)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", round(9 * px))
    draw.text((round(10 * px), round(6 * px)), "TP Thanh Hóa (phường Thiệu", font=font, fill=0)
    draw.text((round(70 * px), round(19 * px)), "Khánh)", font=font, fill=0)
    first = [Word(t, (x, 6.0, x + 5.0 * len(t), 15.0), 90.0, 1, "ocr")
             for t, x in (("TP", 10.0), ("Thanh", 24.0), ("Hóa", 54.0), ("(phường", 74.0), ("Thiệu", 116.0))]
    cell = Cell(0, 0, 1, 2, "TP Thanh Hóa (phường Thiệu", (2.0, 2.0, 198.0, 36.0), 90.0, 1)
    page = Page(1, (200.0, 40.0), tuple(first), source="ocr", image_dpi=dpi)
    words, done = reread_cut_short(page, [Table((1, 1), (cell,), 1, 2)], list(first), _Deferred(image), dpi=dpi,
                                   lang="vie", engine=TesseractEngine())
    assert done == 1 and [w.text for w in words] == ["TP Thanh Hóa (phường Thiệu Khánh)"]


def test_a_deck_whose_scan_lost_a_space_a_phase_and_a_merged_cell_is_read_whole():
    rows = [["TT", "Nội dung", "Chitiêu —", "Hậu Lộc (xã Hoa Lộc)", None, "Thị xã Bỉm Sơn (", "phường Bắc Sơn)"],
            ["", "", "", "Trước", "Sau", "điểm", "Sau thí\nđiểm"],
            ["6", "Tỷ lệ người dân có điện thoại thông minh", "95%", "10%", "20%", "30%", "40%"],
            ["8", "Tỷ lệ người dân được cấp tài khoản định danh điện tử", "60%", "11%", "21%", "31%", "41%"],
            ["9", "Tỷ lệ người dân có chữ ký số cá nhân", "40%", "12%", "22%", "32%", "42%"]]
    records = summary_to_records(grid_to_summary(make_table(rows, {(0, 3): 2})), source_file="x.pdf", year=2024)
    got = {(r.indicator_id, r.commune, r.phase): (r.value, r.needs_review) for r in records}
    assert got[(6, "", "target")][0] == 95.0
    assert got[(8, "Phường Bắc Sơn", "before")][0] == 31.0 and got[(9, "Phường Bắc Sơn", "after")][0] == 42.0
    assert got[(9, "Xã Hoa Lộc", "after")] == (22.0, False)
    assert len(got) == 3 * 5


def test_one_header_run_over_two_columns_of_values_flags_both():
    # A borderless scan ran the headers of indicators 8 and 10 into one cell over both columns.
    rows = [["TT", "Đơn vị", "Tỷ lệ người dân có điện thoại thông minh",
             "Tỷ lệ người Tỷ lệ người dân/doanh nghiệp dân được được thông tin, tuyên truyền, cấp tài khoản", None,
             "Tỷ lệ hộ gia đình thanh toán tiền điện không dùng tiền mặt"]]
    rows += [[str(i + 1), c, f"{10 + i}%", f"{20 + i}%", f"{30 + i}%", f"{40 + i}%"] for i, c in enumerate(COMMUNES)]
    records = summary_to_records(grid_to_summary(make_table(rows, {(0, 3): 2})), source_file="x.pdf", year=2024)
    under = [r for r in records if r.value is not None and 20 <= r.value < 40]
    assert len(under) == 6 and all(r.needs_review and "one cell over several columns" in r.note for r in under)
    assert not any(r.needs_review for r in records if r.indicator_id in (6, 15))
