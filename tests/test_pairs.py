"""Two phase columns the white space did not part (normalize.readers.pairs): the last row of a
deck continued alone on its page, under "Trước thí điểm Sau thí điểm" read as one header."""
from __future__ import annotations

from extract.model import Cell, Line, PageResult, Table
from normalize.readers.document import document_records
from normalize.readers.pairs import split_paired_columns


def _cell(r, c, text, colspan=1):
    return Cell(r, c, 1, colspan, text, (c * 50.0, r * 12.0, (c + colspan) * 50.0, r * 12.0 + 12), 100.0, 2)


def _table(pair_cells=("92% 100%", "27% 60%"), ruled=False):
    cells = [_cell(0, 0, "TT"), _cell(0, 1, "Nội dung"), _cell(0, 2, "Hoằng Hóa (xã Hoằng Cát)", 2),
             _cell(0, 4, "Thành phố Sầm Sơn (xã Quảng\nMinh)"), _cell(0, 5, "Như Thanh (xã Phú Nhuận)")]
    cells += [_cell(1, 0, ""), _cell(1, 1, ""), _cell(1, 2, "Trước thí điểm"), _cell(1, 3, "Sau thí điểm"),
              _cell(1, 4, "Trước thí điểm Sau thí điểm"), _cell(1, 5, "Trước TĐ Sau TĐ")]
    cells += [_cell(2, 0, "16"), _cell(2, 1, "Có điểm phát Wifi công cộng tại các địa điểm quan trọng"),
              _cell(2, 2, "75,86% (22/29)"), _cell(2, 3, "84,7%"), _cell(2, 4, pair_cells[0]), _cell(2, 5, pair_cells[1])]
    return Table((2, 2), tuple(cells), 3, 6, ruled=ruled)


def _records(table):
    page = PageResult(2, "text", "text layer", (table,), (Line("", 2),), "")
    return document_records([page], source_file="x.pdf", year=2024).records


def test_a_column_headed_by_both_phases_is_cut_in_two():
    t = split_paired_columns(_table())
    assert t.n_cols == 8
    assert [c.text for c in t.rows()[2]][4:] == ["92%", "100%", "27%", "60%"]
    assert [c.text for c in t.rows()[1]][4:] == ["Trước thí điểm", "Sau thí điểm", "Trước TĐ", "Sau TĐ"]
    got = {(r.commune, r.phase): r.value for r in _records(_table())}
    assert got[("Xã Quảng Minh", "before")] == 92 and got[("Xã Quảng Minh", "after")] == 100
    assert got[("Xã Phú Nhuận", "before")] == 27 and got[("Xã Phú Nhuận", "after")] == 60
    assert got[("Xã Hoằng Cát", "before")] == 75.86


def test_a_value_that_splits_more_than_one_way_or_not_at_all_leaves_the_column_whole():
    assert split_paired_columns(_table(("92%", "27% 60%"))).n_cols == 7  # one value: which phase?
    assert split_paired_columns(_table(("92% 100%", "27% 60%"), ruled=True)).n_cols == 6  # a ruled grid's own
    records = _records(_table(("92%", "27% 60%")))
    assert all(r.needs_review for r in records if r.commune == "Xã Quảng Minh")
