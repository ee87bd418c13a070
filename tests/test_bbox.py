"""Every record carries the box of its value on its page (issue 14, item 3): a table value
its cell's, a prose value its line's (or on a notional page its characters'), inside the
page as read; and the notional page of a source with no geometry (a text dump, a .docx,
a spreadsheet) draws its lines and cells where its metrics put them."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from extract.documents.docx import WordDocument, word_to_result
from extract.documents.dump import text_to_pages
from extract.documents.plan import plan_document
from extract.documents.sheet_layout import Sheet, SheetCell, sheet_to_result
from extract.layout.continuation import continue_tables
from extract.layout.notional import A4, CELL_PAD, CHAR_WIDTH, LINE_HEIGHT, MARGIN, NotionalPage, is_notional, span_box
from extract.model import Cell, Table
from normalize.readers.boxes import align, find_span

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
INPUTS = sorted(p.name for p in SAMPLES.iterdir()
                if p.suffix in (".pdf", ".txt", ".md", ".docx", ".jpg") and not p.name.isupper()
                and not p.name.endswith("SAMPLES.md") and p.name != "README.md")
TEXT_PDFS = ["deck_2023_summary_text.pdf", "deck_2023_summary_borderless.pdf", "deck_2023_text.pdf",
             "report_thuongxuan_2024_text.pdf"]
NOTIONAL = ["deck_2023_text_layer.txt", "deck_2023_ocr_scan.txt", "report_thuongxuan_2024.md",
            "report_thuongxuan_2024.docx", "template_xuanduong_2024.docx"]


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _inside(box, size) -> bool:
    x0, top, x1, bottom = box
    return 0 <= x0 <= x1 <= size[0] and 0 <= top <= bottom <= size[1]


@pytest.mark.parametrize("name", INPUTS)
def test_every_record_has_a_box_inside_its_page(run_sample, name):
    _, result = run_sample(name)
    sizes = {(src, f.page): f.size for src, facts in result.accounts for f in facts}
    pages = [f for src, facts in result.accounts for f in facts if src == name]
    assert all(f.size is not None for f in pages if f.read_as), f"{name}: a page read without its size"
    for r in result.records:
        size = sizes[(r.source_file, r.page)] if r.page is not None else pages[0].size  # a .docx: its one page
        assert r.bbox is not None, f"{name}: no box for {r.indicator_id} {r.phase} {r.value_raw!r}"
        assert _inside(r.bbox, size), f"{name}: {r.bbox} outside the page {size}"


def _words_in(page, box) -> str:
    """The text of a PDF page's words whose centre lies in ``box`` (a point of slack), top down."""
    x0, top, x1, bottom = box
    words = [w for w in page.extract_words() if x0 - 1 <= (w["x0"] + w["x1"]) / 2 <= x1 + 1
             and top - 1 <= (w["top"] + w["bottom"]) / 2 <= bottom + 1]
    return "".join(w["text"] for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])))


@pytest.mark.parametrize("name", TEXT_PDFS)
def test_a_text_pdf_value_box_holds_the_words_of_its_value(run_sample, name):
    _, result = run_sample(name)
    assert len(result.records) > 10
    prose = [r for r in result.records if r.phase == "reported"]
    with pdfplumber.open(SAMPLES / name) as pdf:
        for r in result.records:
            if not r.value_raw.strip():
                continue  # an empty cell: its box holds nothing to find
            text = _words_in(pdf.pages[r.page - 1], r.bbox)
            assert _squeezed(r.value_raw) in _squeezed(text), f"{r.page} {r.indicator_id} {r.phase}: {text!r}"
    if name.startswith("report_"):
        assert prose, "the report's values are stated in prose"


def _notional_text(page, box) -> str:
    """What a notional page shows in ``box``: the characters of its lines under it, or the
    text of the cell that is it."""
    out = [c.text for t in page.tables for c in t.cells if c.bbox == box]
    for line in page.lines:
        b = line.bbox
        if b is not None and b[1] < box[3] and box[1] < b[3]:
            a, e = round((box[0] - b[0]) / CHAR_WIDTH), round((box[2] - b[0]) / CHAR_WIDTH)
            out.append(line.text[max(a, 0):max(e, 0)])
    return " ".join(out)


@pytest.mark.parametrize("name", NOTIONAL)
def test_a_notional_page_value_box_is_where_its_value_is_drawn(run_sample, name):
    _, result = run_sample(name)
    pages = {p.no: p for p in plan_document(SAMPLES / name).pages}
    assert all(is_notional(p) for p in pages.values())
    checked = 0
    for r in result.records:
        if not r.value_raw.strip():
            continue
        text = _notional_text(pages[r.page or 1], r.bbox).replace("\\%", "%")  # "100\%" as Markdown writes it
        assert _squeezed(r.value_raw) in _squeezed(text), f"{r.page} {r.indicator_id} {r.phase}: {text!r}"
        checked += 1
    assert checked > 10


# ---------------------------------------------------------------- the notional page


def test_lines_stand_one_under_the_other_a_character_six_points_wide():
    page = NotionalPage()
    first, blank, third = page.line("Tỷ lệ 80%"), page.line("   "), page.line("  b")
    assert first == (MARGIN, MARGIN, MARGIN + 9 * CHAR_WIDTH, MARGIN + LINE_HEIGHT)
    assert blank is None  # a blank line has no box, but takes its height
    assert third == (MARGIN, MARGIN + 2 * LINE_HEIGHT, MARGIN + 3 * CHAR_WIDTH, MARGIN + 3 * LINE_HEIGHT)
    assert page.size == A4  # small content: an A4 page
    assert span_box(first, 6, 9) == (MARGIN + 36, MARGIN, MARGIN + 54, MARGIN + LINE_HEIGHT)
    page.line("x" * 200)
    assert page.size[0] == MARGIN + 200 * CHAR_WIDTH + MARGIN


def test_a_table_is_a_grid_whose_columns_fit_their_text_and_merges_widen_the_last_column():
    cells = (Cell(0, 0, 1, 2, "Kết quả thực hiện năm 2024", (0, 0, 2, 1), 100.0),
             Cell(1, 0, 1, 1, "Trước", (0, 1, 1, 2), 100.0), Cell(1, 1, 1, 1, "80%", (1, 1, 2, 2), 100.0),
             Cell(2, 0, 1, 1, "a\nbb", (0, 2, 1, 3), 100.0), Cell(2, 1, 1, 1, "", (1, 2, 2, 3), 100.0))
    page = NotionalPage()
    page.line("title")
    table = page.table(Table((1, 1), cells, 3, 2))
    head, before, value, two_lines, empty = (c.bbox for c in table.cells)
    top = MARGIN + LINE_HEIGHT
    assert before == (MARGIN, top + LINE_HEIGHT + 2 * CELL_PAD, MARGIN + 5 * CHAR_WIDTH + 2 * CELL_PAD,
                      top + 2 * (LINE_HEIGHT + 2 * CELL_PAD))
    assert head[2] - head[0] == 26 * CHAR_WIDTH + 2 * CELL_PAD  # the merged cell's text fits its span
    assert value[0] == before[2] and value[2] == head[2]  # the missing width went to the last column
    assert two_lines[3] - two_lines[1] == 2 * LINE_HEIGHT + 2 * CELL_PAD
    assert empty[1] == two_lines[1] and empty[0] == value[0]
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells] == \
        [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in cells]
    assert page.line("after")[1] == two_lines[3]  # the next line under the table


def test_a_dump_page_has_a_size_and_a_box_on_every_line():
    (page,) = text_to_pages("BÁO CÁO\n\n   - Tỷ lệ hồ sơ trực tuyến: 95%\n")
    assert page.size == A4
    for line in page.lines:
        assert (line.bbox is None) == (not line.text.strip())
        if line.bbox:
            assert line.bbox[2] - line.bbox[0] == len(line.text) * CHAR_WIDTH


def test_a_docx_table_stands_between_the_paragraphs_around_it():
    table = Table((0, 0), (Cell(0, 0, 1, 1, "TT", (0, 0, 1, 1), 100.0), Cell(0, 1, 1, 1, "90%", (1, 0, 2, 1), 100.0)),
                  1, 2)
    page = word_to_result(WordDocument(("Trước bảng", "", "Sau bảng"), (table,), (1,)))
    before, after = (line for line in page.lines if line.text.strip())
    (placed,) = page.tables
    assert before.bbox[3] <= min(c.bbox[1] for c in placed.cells)
    assert max(c.bbox[3] for c in placed.cells) <= after.bbox[1]
    assert [line.text for line in page.lines] == ["Trước bảng", "", "", "", "Sau bảng", "", ""]
    assert all(_inside(c.bbox, page.size) for c in placed.cells)


def _sheet(title: str, rows: list[list[str]]) -> Sheet:
    cells = [SheetCell(0, 0, 1, 1, title)] + [SheetCell(r + 2, c, 1, 1, t) for r, row in enumerate(rows)
                                             for c, t in enumerate(row) if t]
    return Sheet("s", tuple(cells))


def test_a_sheet_is_drawn_in_its_order_and_two_sheets_continue_as_their_grids_do():
    rows = [["TT", "Đơn vị", "Trước", "Sau"], ["1", "Xã Hoằng Phụ", "50%", "87,5%"]]
    first = sheet_to_result(_sheet("BẢNG TỔNG HỢP", rows), 1)
    (title,) = (line for line in first.lines if line.text)
    (table,) = first.tables
    assert title.bbox[3] <= min(c.bbox[1] for c in table.cells)
    assert all(_inside(c.bbox, first.size) for c in table.cells)
    # a second sheet of as many columns, its widths other than the first's: continued, as
    # before its cells had boxes in points (a sheet's columns are compared by its grid)
    second = sheet_to_result(_sheet("tiếp", [["2", "Xã Hoằng Đông, huyện Hoằng Hóa", "30%", "100%"],
                                             ["3", "Xã Hoằng Thanh", "25%", "60%"]]), 2)
    assert second.tables[0].cells[1].bbox[2] != table.cells[1].bbox[2]
    assert len(continue_tables([list(first.tables), list(second.tables)])) == 2  # had they been measured
    (joined,) = continue_tables([list(first.tables), list(second.tables)], notional=frozenset({1, 2}))
    assert joined.n_rows == 4


def test_a_value_is_found_again_in_the_text_it_was_read_from():
    assert find_span("6 Tỷ lệ 80% trở lên 83%Chưa có", "83%") == (20, 23)
    assert find_span("a 80% b 80%", "80%", last=True) == (8, 11)
    assert find_span("30% trở\nlên", "30% trở lên") == (0, 11)
    assert find_span("abc", "") is None
    raw = "- **Tỷ lệ**:  đạt 95%"
    where = align("- Tỷ lệ: đạt 95%", raw)
    assert raw[where[13]:where[15] + 1] == "95%"
    assert align("×", "\\times") is None
