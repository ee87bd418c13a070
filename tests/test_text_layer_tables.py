"""Text-layer tables the held-out matrix (bench_fidelity, seed 50000) read wrong (issue 11):
a cell's two lines read letter by letter in turn, a locality header given two columns
more, a row of indicator numbers taken for values, a rule drawn a cell at a time, and a
column of one line a row swallowed by the white space beside it."""
from __future__ import annotations

from extract.documents.pdf import chars_to_words
from extract.layout.blocks import segments_to_blocks
from extract.layout.borderless import BorderlessSettings
from extract.layout.columns import Segment, narrow_spans, region_to_columns, value_lines
from extract.layout.row_rules import drawn_columns, row_rules
from extract.model import Page, Ruling, Word

H = 8.0  # word height, points


def _chars(text: str, x0: float, top: float, size: float = 6.0) -> list[dict]:
    """Characters of one line of a text layer, 3.6 points each (a 6-point bold font)."""
    out = []
    for i, ch in enumerate(text):
        x = x0 + 3.6 * i
        out.append({"text": ch, "x0": x, "x1": x + 3.6, "top": top, "bottom": top + size, "doctop": top,
                    "upright": True, "fontname": "DejaVuSansCondensed-Bold", "size": size,
                    "matrix": (1.0, 0.0, 0.0, 1.0, x, 600.0 - top)})
    return out


def test_two_lines_of_one_cell_stay_two_lines_when_cells_beside_them_sit_between():
    # One locality wraps over two lines 7.2 points apart; the one-line headers beside it
    # are centred half a line lower, and lower still: each top within 3 points of the next,
    # pdfplumber chained them into one line and read "P Q u ảng" over "T h ắ n g".
    chars = (_chars("Hóa (P. Quảng", 492.0, 65.39) + _chars("Thắng)", 503.5, 72.59)
             + _chars("Thiệu Hóa", 555.0, 67.79) + _chars("Bá Thước", 620.0, 70.19))
    texts = [w.text for w in chars_to_words(chars, 1)]
    assert "Quảng" in texts and "Thắng)" in texts
    assert not [t for t in texts if len(t) == 1 and t.isalpha()]


def _word(text: str, x0: float, x1: float, top: float) -> Word:
    return Word(text, (x0, top, x1, top + H), 100.0, 1, "text")


def _segment(text: str, x0: float, x1: float, line: int, cols: tuple[int, int]) -> Segment:
    g = Segment([_word(text, x0, x1, 10.0 * line)], line)
    g.cols = cols
    return g


def test_a_header_over_a_pair_keeps_that_pair_however_its_neighbours_centre_it():
    # "Quảng Xương (xã Quảng Trạch)" starts in the white space before its pair and was
    # given one column more each side, as well centred over four columns as over two.
    own = [_segment("Sau", 325.0, 350.0, 3, (3, 3)), _segment("Trước", 392.0, 420.0, 3, (4, 4)),
           _segment("Sau", 483.0, 505.0, 3, (5, 5)), _segment("Trước", 548.0, 574.4, 3, (6, 6))]
    header = _segment("Quảng Xương (xã Quảng Trạch)", 370.1, 529.3, 1, (3, 6))
    narrow_spans(own + [header])
    assert header.cols == (4, 5)


def test_a_wrapped_headers_short_last_line_stays_over_its_pair():
    own = [_segment("Trước", 271.0, 300.0, 3, (2, 2)), _segment("Sau", 327.0, 346.0, 3, (3, 3))]
    tail = _segment("Lộc)", 301.1, 322.4, 2, (2, 3))
    narrow_spans(own + [tail])
    assert tail.cols == (2, 3)


def test_a_row_of_indicator_numbers_is_no_line_of_values():
    segments = [_segment("3", 231.8, 237.3, 0, (0, 0)), _segment("9", 351.4, 357.0, 0, (0, 0)),
                _segment("14", 482.4, 493.5, 0, (0, 0)),
                _segment("1", 38.6, 44.2, 1, (0, 0)), _segment("100%", 191.7, 217.3, 1, (0, 0)),
                _segment("86,8%", 315.9, 344.0, 1, (0, 0)), _segment("59%", 517.7, 537.7, 1, (0, 0)),
                _segment("70%", 478.0, 498.0, 2, (0, 0)), _segment("9", 520.0, 530.0, 2, (0, 0)),
                _segment("3", 560.0, 570.0, 2, (0, 0))]
    # (a line of numbers not rising is a line of values: "70% 9 3")
    assert value_lines(segments, 3) == {1, 2}
    # a row of bare values rising beside its commune's name is values, not numbering
    row = [_segment("1", 38.6, 44.2, 3, (0, 0)), _segment("Xã Hà Lai", 60.0, 100.0, 3, (0, 0)),
           _segment("45", 231.8, 240.0, 3, (0, 0)), _segment("90", 351.4, 360.0, 3, (0, 0))]
    assert value_lines(segments + row, 3) == {1, 2, 3}


def _cell_rule(y: float, edges: list[float]) -> list[Ruling]:
    """A rule as Chromium draws it: each cell's border a rectangle of its own (two edges)."""
    return [Ruling("h", a, y + dy, b, y + dy) for a, b in zip(edges, edges[1:]) for dy in (0.0, 0.75)]


def test_a_rule_drawn_cell_by_cell_gives_the_columns_and_parts_rows_only_where_drawn():
    edges = [18.0, 44.2, 251.2, 314.2, 367.5, 420.0, 466.5]
    rulings = (*_cell_rule(48.7, edges[3:]), *_cell_rule(91.5, edges), *_cell_rule(134.2, edges))
    segments = [_segment("TT", 20.0, 32.0, 4, (0, 0)), _segment("16", 25.0, 35.0, 11, (0, 0)),
                _segment("Có điểm phát Wifi công cộng", 46.0, 240.0, 11, (1, 1)),
                _segment("100%", 320.0, 340.0, 11, (3, 3)), _segment("Không", 420.5, 460.0, 11, (5, 5))]
    page = Page(1, (720.0, 400.0), (), rulings)
    rules = row_rules(page, segments)
    assert [round(y, 1) for y, _ in rules] == [91.9]  # the header's rule is under its right half only
    assert drawn_columns(rules, segments, 3) == edges
    # one line drawn whole (reportlab, LibreOffice) says nothing of the columns
    whole = Page(1, (720.0, 400.0), (), (Ruling("h", 18.0, 91.5, 466.5, 91.5),))
    assert drawn_columns(row_rules(whole, segments), segments, 3) is None


def test_a_rule_under_some_columns_does_not_part_the_cells_beside_it():
    # "T / T" spans the header's rows; the rule under the indicators' names is not drawn under it.
    t1, t2 = _segment("T", 30.0, 34.0, 1, (0, 0)), _segment("T", 30.0, 34.0, 2, (0, 0))
    name, phase = _segment("Tỷ lệ", 150.0, 190.0, 1, (2, 3)), _segment("Trước", 150.0, 190.0, 2, (2, 3))
    rules = [(19.0, [(136.5, 175.5), (175.5, 215.2)])]
    blocks = segments_to_blocks([t1, t2, name, phase], 5.0, rules)
    assert sorted(len(b) for b in blocks) == [1, 1, 2]


def test_a_column_of_one_line_a_row_beside_labels_wrapped_over_many_is_a_column():
    # Four rows, each label over four to six lines, the row's number, target and values on
    # a line of their own amid them: counted over all lines the number's and the target's
    # columns were white space, and "TT", "Nội dung" and "Chỉ tiêu" one column.
    S = _segment
    segments = [S("Thành phố Thanh Hóa (phường Đông Lĩnh)", 202.3, 390.9, 0, (0, 0)), S("TT", 24.2, 37.5, 1, (0, 0)),
                S("Nội dung", 67.9, 107.1, 1, (0, 0)), S("Chỉ tiêu", 144.7, 178.8, 1, (0, 0))]
    segments += [S(t, x, x + 27.0, 2, (0, 0)) for t, x in (("Trước", 229.5), ("Sau", 339.8), ("Trước", 426.8),
                                                           ("Sau", 510.0))]
    line = 3
    for row, n in enumerate((6, 6, 5, 4)):
        for k in range(n + 1):
            if k == n // 2:
                segments += [S(str(11 + row), 25.8, 35.8, line, (0, 0)), S("80% trở lên", 138.3, 185.2, line, (0, 0))]
                segments += [S("71,4%", x, x + 26.0, line, (0, 0)) for x in (230.0, 338.0, 425.0, 505.0)]
            else:
                segments.append(S("tỷ lệ người dân", 48.9, 110.0 + 3 * k, line, (0, 0)))
            line += 1
    inner = region_to_columns(segments, line, 10.0, BorderlessSettings())[1:-1]
    assert any(37.5 < e < 48.9 for e in inner)  # TT | Nội dung
    assert any(128.0 < e < 138.3 for e in inner)  # Nội dung | Chỉ tiêu
    assert not any(48.9 < e < 128.0 for e in inner)
    assert any(185.2 < e < 229.5 for e in inner)  # Chỉ tiêu | the values


def test_a_locality_header_wrapped_around_its_neighbours_middle_line_stays_in_the_table():
    """Seed 2612's v0206 (reportlab, no rules): "Ngọc Lặc (xã / Nguyệt Ấn)" beside one-line
    headers centred between its lines; its last line sat 4.6 pt over the phases, a hair past
    the rows' joining gap, and being one cell wide it was not taken for the header's: the
    table lost its localities and gave nothing."""
    from extract.layout.borderless import page_to_borderless_tables

    def line(top, items):
        return [Word(t, (x, top, x + 4.2 * len(t), top + 8.0), 100.0, 1, "text") for x, t in items]

    words = line(36.4, [(300.0, "BẢNG"), (319.0, "TỔNG"), (338.0, "HỢP")])  # the title, one run
    words += line(59.4, [(380.0, "Ngọc"), (402.0, "Lặc"), (420.0, "(xã")])
    words += line(64.2, [(530.0 + 19.0 * k, w) for k, w in enumerate("Thiệu Hóa (xã Thiệu Ngọc)".split())]
                  + [(690.0 + 19.0 * k, w) for k, w in enumerate("Thường Xuân (xã Thọ".split())])  # two cells
    words += line(69.0, [(382.0, "Nguyệt"), (412.0, "Ấn)")])
    words += line(81.6, [(75.0, "TT"), (150.0, "Nội"), (168.0, "dung")] +
                  [(x, w) for k, x0 in enumerate((380.0, 530.0, 680.0)) for x, w in ((x0, "Trước"), (x0 + 70.0, "Sau"))])
    for r in range(6):
        top = 96.0 + 12.5 * r
        words += line(top, [(75.0, str(r + 1)), (150.0, "Tỷ"), (162.0, "lệ")] +
                      [(x0 + dx, f"{10 + r + k}%") for k, x0 in enumerate((380.0, 530.0, 680.0)) for dx in (0.0, 70.0)])
    tables = page_to_borderless_tables(Page(1, (842.0, 595.0), tuple(words)))
    assert tables and any("Nguyệt" in c.text for c in tables[0].cells)
    assert not any("BẢNG" in c.text for c in tables[0].cells)
