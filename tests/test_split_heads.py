"""A deck's locality header that a borderless table cut in two (issue 11, scans): the pair is
read again whole, across both columns, and the reader joins its halves again
(v0063 and v0105 of make_variants --n 300 --seed 2612: "Quảng Xương" | "Iz (xã Quảng I3)"
for "Quảng Xương (xã Quảng Lộc)", "ng" | "ii Hoằng" for "Hoằng Hóa (xã Hoằng Thanh)")."""
from __future__ import annotations

from dataclasses import replace

from PIL import Image, ImageDraw

from helpers import make_table
from extract.layout.ruled import refill
from extract.model import Page, Table, Word
from extract.ocr.engine import OcrWord
from extract.ocr.split_heads import in_lines, reread_split_heads, split_pairs
from normalize.readers.summary import grid_to_summary
from normalize.readers.summary_records import summary_to_records

PAGE = Page(1, (80.0, 30.0), ())
PHASES = ["", "", "Trước", "Sau", "Trước", "Sau", "Trước", "Sau"]
VALUES = ["1", "Tỷ lệ cán bộ, công chức cấp xã xử lý công việc hoàn toàn trên môi trường điện tử",
          "10%", "20%", "30%", "40%", "50%", "60%"]


def _deck(left: str, right: str, conf: float = 95.0) -> Table:
    """Three localities over before / after pairs; the second's header cut in two."""
    rows = [["TT", "Nội dung", "Cẩm Thủy (xã Cẩm Châu)", None, left, right, "Như Thanh (xã Yên Lạc)", None],
            PHASES, VALUES]
    table = make_table(rows, {(0, 2): 2, (0, 6): 2})
    cells = tuple(replace(c, conf=conf) if c.row == 0 and c.col in (4, 5) else c for c in table.cells)
    return replace(table, cells=cells)


def _ocr(text: str, x0: int, top: int) -> OcrWord:
    return OcrWord(text, 93.0, x0, top, x0 + 12 * len(text), top + 30)


class _Engine:
    """Answers the block reading (psm 6) and the sparse one (psm 11) as told; counts calls."""

    name = "fake"

    def __init__(self, block: list[OcrWord], sparse: list[OcrWord]) -> None:
        self.answers = {6: block, 11: sparse}
        self.calls: list[int] = []

    def image_to_words(self, image, *, lang: str, psm: int, config: str = "") -> list[OcrWord]:
        self.calls.append(psm)
        return self.answers[psm]


class _Gray:
    """The page image at 72 dpi (a point a pixel): ink where the header is."""

    def __init__(self) -> None:
        self.image = Image.new("L", (80, 30), 255)
        ImageDraw.Draw(self.image).rectangle((42, 2, 57, 7), fill=0)

    def get(self) -> Image.Image:
        return self.image


def _words(table: Table) -> list[Word]:
    """A word a cell, its box inside the cell's."""
    return [Word(c.text, (c.bbox[0] + 2, c.bbox[1] + 2, c.bbox[2] - 2, c.bbox[3] - 2), c.conf, 1, "ocr")
            for c in table.cells if c.text]


def _records(table: Table):
    got = summary_to_records(grid_to_summary(table), source_file="x.pdf", year=2024)
    return {(r.commune, r.phase): r for r in got if r.indicator_id == 1}


WHOLE = [_ocr("Hoằng", 0, 0), _ocr("Hóa", 80, 0), _ocr("(xã", 130, 2), _ocr("Hoằng", 180, 0),
         _ocr("Thanh)", 90, 40)]
GARBLED = [_ocr("ó", 0, 0), _ocr("loằng", 20, 0), _ocr("Hóa", 90, 0), _ocr("(xã", 130, 0), _ocr("H:", 180, 0),
           _ocr("Thanh)", 90, 40)]


def test_a_header_cut_in_two_where_a_pair_stands_is_found_and_a_whole_one_is_not():
    (pair,) = split_pairs(_deck("Quảng Xương", "(xã Quảng"))
    assert [(c.row, c.col) for c in pair] == [(0, 4), (0, 5)]
    assert len(split_pairs(_deck("ng", ""))) == 1  # one half lost altogether
    assert split_pairs(_deck("Quảng Xương", "(xã Quảng Lộc)")) == []  # read whole and surely: left alone
    assert len(split_pairs(_deck("Quảng Xương", "(xã Quảng Lộc)", conf=40.0))) == 1  # unsure: read again
    # its phase header damaged with it ("thí\nđiểm" for "Trước thí điểm", v0063): the other still tells
    damaged = _deck("Quảng Xương", "(xã Quảng")
    damaged = replace(damaged, cells=tuple(replace(c, text="thí\nđiểm") if (c.row, c.col) == (1, 4) else c
                                           for c in damaged.cells))
    assert len(split_pairs(damaged)) == 1
    # the value rows' cells are never a header's halves; a row with no spanning header has no pair
    rows = [["TT", "Đơn vị", "CT1", "CT2", "CT3", "CT4"], ["1", "Xã Yên Lạc", "10%", "20%", "30%", "40%"]]
    assert split_pairs(make_table(rows)) == []


def test_the_pair_read_again_whole_gives_the_reader_the_place_of_both_columns():
    table = _deck("ng", "")
    assert ("Xã Hoằng Thanh", "before") not in _records(table)  # as the page pass left it
    engine = _Engine(WHOLE, [])
    words, done = reread_split_heads(PAGE, [table], _words(table), _Gray(), dpi=72, lang="vie", engine=engine)
    assert done == 1 and engine.calls == [6]
    table = refill(table, words)
    assert [c.text for c in table.rows()[0] if c.col in (4, 5)] == ["Hoằng Hóa", "(xã Hoằng Thanh)"]
    got = _records(table)
    assert got[("Xã Hoằng Thanh", "before")].value == 30.0
    assert got[("Xã Hoằng Thanh", "after")].value == 40.0


def test_a_block_reading_garbled_is_read_again_sparse_and_kept_only_when_it_names_a_place():
    table = _deck("Quảng Xương", "(xã Quảng")
    engine = _Engine(GARBLED, WHOLE)
    words, done = reread_split_heads(PAGE, [table], _words(table), _Gray(), dpi=72, lang="vie", engine=engine)
    assert done == 1 and engine.calls == [6, 11]
    assert {w.text for w in words} >= {"Hoằng Hóa", "(xã Hoằng Thanh)"}
    # neither reading names a place whole (a figure, a parenthesis left open): the words stay
    for sparse in ([_ocr("Hoằng", 0, 0), _ocr("(xã", 80, 0), _ocr("H3)", 130, 0)],
                   [_ocr("Hoằng", 0, 0), _ocr("Hóa", 80, 0), _ocr("(xã", 130, 0), _ocr("Hoằng", 180, 0)]):
        words, done = reread_split_heads(PAGE, [table], _words(table), _Gray(), dpi=72, lang="vie",
                                         engine=_Engine(GARBLED, sparse))
        assert done == 0 and words == _words(table)


def test_a_city_s_ward_cut_in_two_is_mended_too():
    # the units' abbreviations are no Vietnamese syllables, yet a name's own words
    table = _deck("TP Sầm", "Sơn (P.")
    tp = [_ocr("TP", 0, 0), _ocr("Sầm", 40, 0), _ocr("Sơn", 90, 0), _ocr("(P.", 140, 0), _ocr("Quảng", 180, 0),
          _ocr("Vinh)", 90, 40)]
    words, done = reread_split_heads(PAGE, [table], _words(table), _Gray(), dpi=72, lang="vie", engine=_Engine(tp, []))
    assert done == 1
    assert [c.text for c in refill(table, words).rows()[0] if c.col in (4, 5)] == ["TP Sầm Sơn", "(P. Quảng Vinh)"]


def test_words_read_sparse_come_back_in_reading_order():
    found = [_ocr("Thanh)", 90, 42), _ocr("(xã", 130, 3), _ocr("Hoằng", 0, 0), _ocr("Hoằng", 180, 1),
             _ocr("Hóa", 80, 2)]
    assert in_lines(found) == "Hoằng Hóa (xã Hoằng Thanh)"


def test_a_spanning_header_read_short_is_read_again_and_kept_only_when_it_mends_the_name():
    # v0009 of make_variants --n 30 --seed 187000 --kinds scan,turned,stamped: "Sơn)" read ")"
    rows = [["TT", "Nội dung", "Cẩm Thủy (xã Cẩm Châu)", None, "Thường Xuân (xã Lương\n)", None,
             "Như Thanh (xã Yên Lạc)", None], PHASES, VALUES]
    table = make_table(rows, {(0, 2): 2, (0, 4): 2, (0, 6): 2})
    (unit,) = split_pairs(table)
    assert [(c.row, c.col, c.colspan) for c in unit] == [(0, 4, 2)]
    mended = [_ocr("Thường", 0, 0), _ocr("Xuân", 80, 0), _ocr("(xã", 140, 0), _ocr("Lương", 190, 0),
              _ocr("Sơn)", 100, 40)]
    words, done = reread_split_heads(PAGE, [table], _words(table), _Gray(), dpi=72, lang="vie",
                                     engine=_Engine(mended, []))
    assert done == 1
    table = refill(table, words)
    assert [c.text for c in table.rows()[0] if c.col == 4] == ["Thường Xuân (xã Lương Sơn)"]
    assert _records(table)[("Xã Lương Sơn", "after")].value == 40.0
    # another place read whole is no mending of this one: kept as read
    other = [_ocr("Hoằng", 0, 0), _ocr("Hóa", 80, 0), _ocr("(xã", 140, 0), _ocr("Hoằng", 190, 0), _ocr("Thanh)", 100, 40)]
    table = make_table(rows, {(0, 2): 2, (0, 4): 2, (0, 6): 2})
    words, done = reread_split_heads(PAGE, [table], _words(table), _Gray(), dpi=72, lang="vie",
                                     engine=_Engine(other, other))
    assert done == 0
