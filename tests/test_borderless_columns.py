"""Borderless tables as the variant matrix draws them (issue 11): columns told by the
lines of values, not by all lines; columns with nothing of their own given back; a
merged header's wrapped line kept with it; rows set apart by their padding."""
from __future__ import annotations

from extract.layout.blocks import row_gap_threshold
from extract.layout.borderless import page_to_borderless_tables
from extract.layout.columns import Segment
from extract.model import Page, Word

H = 8.0  # word height, points


def _words(line_top: float, items: list[tuple[float, str]]) -> list[Word]:
    """Words of one line: (x0, text), each word 4.5 points per character wide."""
    out = []
    for x0, text in items:
        x = x0
        for part in text.split():
            out.append(Word(part, (x, line_top, x + 4.5 * len(part), line_top + H), 100.0, 1, "text"))
            x += 4.5 * len(part) + 2.0  # a space
    return out


def _grid(table) -> list[list[str]]:
    return [[c.text.replace("\n", " ") for c in row] for row in table.rows()]


def _district_page(header_lines: list[list[tuple[float, str]]], rows: list[list[tuple[float, str]]]) -> Page:
    words, top = [], 50.0
    for line in header_lines:
        if line is None:  # the next header row
            top += 4.5
            continue
        words += _words(top, line)
        top += H + 1.5
    top += 6.0
    for line in rows:
        words += _words(top, line)
        top += H + 6.0
    return Page(1, (600.0, 400.0), tuple(words))


def test_a_tall_header_over_few_rows_does_not_merge_a_pair_of_phase_columns():
    # Four lines of indicator name span each pair; three communes' values below: counted
    # over all lines the header crosses the river between "Trước" and "Sau" more often than
    # the rows leave it open, and the pair would read "8% 100%" as one cell.
    name = [(150.0, "Tỷ lệ người dân có"), (150.0, "điện thoại thông"), (150.0, "minh smart phone"),
            (150.0, "di động cá nhân")]
    other = ["Tỷ lệ hộ gia đình", "thanh toán tiền", "điện không dùng", "tiền mặt hằng"]
    header = [[name[i], (290.0, other[i])] for i in range(4)]
    header.append([(20.0, "TT"), (50.0, "Đơn vị"), (150.0, "Trước"), (210.0, "Sau"), (290.0, "Trước"), (350.0, "Sau")])
    communes = ["Xã Phùng Minh", "Xã Vân Am", "Xã Cao Ngọc"]
    rows = [[(20.0, str(i + 1)), (50.0, c), (152.0, f"{i + 8}%"), (210.0, "100%"), (292.0, "12,1%"), (350.0, "98%")]
            for i, c in enumerate(communes)]
    (table,) = page_to_borderless_tables(_district_page(header, rows))
    grid = _grid(table)
    assert ["1", "Xã Phùng Minh", "8%", "100%", "12,1%", "98%"] in grid
    assert table.n_cols == 6


def test_a_column_with_nothing_of_its_own_goes_to_its_neighbour():
    # A wide "Chưa thực hiện" in the last "Sau" column and the header centred over the
    # pair break the river between "Trước" and "Sau" in two: no column between them.
    header = [[(20.0, "TT"), (50.0, "Đơn vị"), (150.0, "CT7"), (262.0, "CT13")],
              [(130.0, "Trước"), (180.0, "Sau"), (230.0, "Trước"), (300.0, "Sau")]]
    rows = [[(20.0, "1"), (50.0, "Xã Hà Sơn"), (130.0, "40%"), (180.0, "67%"), (230.0, "74%"), (262.0, "Chưa thực hiện")]]
    rows += [[(20.0, str(i + 2)), (50.0, f"Xã Hà {n}"), (130.0, "10%"), (180.0, "20%"), (230.0, "46%"), (300.0, "49%")]
             for i, n in enumerate(["Lai", "Châu", "Bình"])]
    (table,) = page_to_borderless_tables(_district_page(header, rows))
    assert table.n_cols == 6
    grid = _grid(table)
    assert grid[-3][-2:] == ["46%", "49%"]
    first = next(r for r in grid if r[0] == "1")
    assert first[-1] == "Chưa thực hiện" and first[-2] == "74%"


def test_a_merged_header_cell_keeps_its_wrapped_last_line():
    # "Bá Thước (xã Lương / Ngoại)": the short second line lies over the "Sau" column only.
    header = [[(168.0, "Hậu Lộc (xã"), (290.0, "Bá Thước (xã Lương")],
              [(172.0, "Đa Lộc)"), (345.0, "Ngoại)")], None,
              [(20.0, "TT"), (50.0, "Nội dung"), (150.0, "Trước"), (210.0, "Sau"), (290.0, "Trước"), (350.0, "Sau")]]
    labels = ["Điện thoại", "Thanh toán", "Wifi công cộng"]
    rows = [[(20.0, str(i + 1)), (50.0, lab), (152.0, "10%"), (210.0, "20%"), (292.0, "30%"), (350.0, "40%")]
            for i, lab in enumerate(labels)]
    (table,) = page_to_borderless_tables(_district_page(header, rows))
    heads = [c.text.replace("\n", " ") for c in table.cells if "Lương" in c.text or "Ngoại" in c.text]
    assert heads == ["Bá Thước (xã Lương Ngoại)"]


def _seg(line: int, top: float, x0: float = 10.0, x1: float = 60.0) -> Segment:
    return Segment([Word("x", (x0, top, x1, top + 6.3), 100.0, 1, "text")], line)


def test_rows_set_apart_by_their_padding_under_far_value_lines_are_rows():
    # A text layer's exact leading (1.3 pt), rows 5.5 pt apart, and value lines 9.3 pt
    # apart (wrapped labels beside them): the row gap is between the first two groups.
    segs, top, line = [], 0.0, 0
    for _ in range(6):
        for gap in (1.3, 1.3, 5.5):  # a three-line cell, then the next row
            segs.append(_seg(line, top))
            top += 6.3 + gap
            line += 1
        segs.append(_seg(line, top, 100.0, 120.0))  # a value, alone in its column
        segs.append(_seg(line + 1, top + 6.3 + 9.3, 100.0, 120.0))
        line += 2
    assert 1.3 < row_gap_threshold(segs, 6.3) < 5.5


def test_ocr_spread_leading_keeps_the_two_group_split():
    # OCR boxes spread the leading as wide as the gap to the next group: no crisp
    # sub-split, Otsu's stands.
    segs, top = [], 0.0
    gaps = [0.5, 2.8, 1.0, 4.4, 2.0, 5.2, 1.4, 3.9, 9.0, 9.4, 8.8, 9.6]
    for i, gap in enumerate(gaps):
        segs.append(_seg(i, top))
        top += 6.3 + gap
    t = row_gap_threshold(segs, 6.3)
    assert 5.2 < t < 8.8


def test_a_header_as_wide_as_its_cell_is_not_stretched_over_its_neighbours():
    # One long value in the column beside it ("Chưa thực hiện") reaches under the
    # header's end; the column's text typically lies elsewhere: the header is its own column's.
    from extract.layout.columns import columns_of, narrow_spans

    edges = [0.0, 100.0, 200.0, 300.0]

    def seg(x0, x1, line):
        return Segment([Word("x", (x0, line * 10.0, x1, line * 10.0 + 8.0), 100.0, 1, "text")], line)

    segments = [seg(40, 60, i) for i in range(1, 5)] + [seg(30, 98, 5)]
    segments += [seg(140, 160, i) for i in range(1, 6)] + [seg(240, 260, i) for i in range(1, 6)]
    header = seg(97, 190, 0)
    segments.append(header)
    for g in segments:
        g.cols = columns_of(g, edges)
    assert header.cols == (0, 1)
    narrow_spans(segments)
    assert header.cols == (1, 1)


def test_a_pair_whose_header_and_target_are_centred_between_its_values_is_two_columns():
    # "CT4" and the pair's target "100%" centred over "Trước" | "Sau" cut the river between
    # them in two; the line of indicator codes is no line of values (v0137 of seed 7).
    pairs = [(130.0, 190.0), (250.0, 310.0), (370.0, 430.0)]
    header = [[(20.0, "Đơn vị")] + [((a + b) / 2, f"CT{n}") for (a, b), n in zip(pairs, (4, 5, 9))],
              [x for a, b in pairs for x in ((a, "Trước"), (b, "Sau"))]]
    rows = [[(20.0, "Chỉ tiêu")] + [((a + b) / 2 + 2, "100%") for a, b in pairs]]
    # and a fraction as wide as its column reaches under them, in one row of each pair
    rows += [[(20.0, f"Xã {n}")] + [x for j, (a, b) in enumerate(pairs)
                                    for x in ((a, "16,67% (1/6)" if i == j else f"{10 + i}%"), (b, f"{20 + i}%"))]
             for i, n in enumerate(["Xuân Hòa", "Thọ Diên", "Thọ Lâm", "Nam Giang", "Thọ Hải"])]
    (table,) = page_to_borderless_tables(_district_page(header, rows))
    assert table.n_cols == 7
    grid = _grid(table)
    assert ["Xã Nam Giang", "13%", "23%", "13%", "23%", "13%", "23%"] in grid
    assert ["Xã Thọ Lâm", "12%", "22%", "12%", "22%", "16,67% (1/6)", "22%"] in grid
