"""What deserves a second reading: the rule normalize hands to the OCR's cell pass."""
from __future__ import annotations

import pytest

from extract.model import Cell, Table
from extract.ocr.cells import _value_columns
from normalize.indicators.cells import PERCENT_CELLS


@pytest.mark.parametrize("text,plausible", [
    ("67,50%", True), ("100%", True), ("0 %", True), ("99.5%", True),
    ("6750%", False), ("101%", False), ("67,505%", False), ("Chưa có", False), ("", False),
])
def test_plausible_percent(text, plausible):
    assert PERCENT_CELLS.plausible(text) is plausible


@pytest.mark.parametrize("text,doubtful", [
    ("6750%", True), ("67,5,0", True), ("101 %", True),
    ("67,50%", False), ("Chưa có", False), ("Lãnh đạo", False), ("%", False),
])
def test_doubtful_value(text, doubtful):
    assert PERCENT_CELLS.doubtful(text) is doubtful


def _table(columns: list[list[str]]) -> Table:
    cells = tuple(Cell(r, c, 1, 1, text, (c * 10.0, r * 10.0, c * 10.0 + 10, r * 10.0 + 10), 90.0)
                  for c, col in enumerate(columns) for r, text in enumerate(col))
    return Table((1, 1), cells, max(len(c) for c in columns), len(columns))


def test_value_columns_are_those_of_percentages():
    table = _table([["1", "2", "3", "4"], ["Tỷ lệ a", "Tỷ lệ b", "Tỷ lệ c", "Tỷ lệ d"],
                    ["80%", "6750%", "Chưa có", "90%"], ["80%", "", "", "70"]])
    assert _value_columns(table, PERCENT_CELLS) == {2}
    assert _value_columns(table, None) == set()  # no rule, no value column: only empty cells are read again


def test_a_column_of_words_and_a_few_percentages_is_a_value_column():
    # a template's "before" column: most indicators had nothing before ("Chưa có", "Không")
    before = ["Trước triển khai", "Chưa có", "Chưa có", "55%", "Không", "Chưa thực hiện", "12%"]
    words_only = ["Hồ sơ", "Chưa có", "Không", "Chưa có"]
    notes = ["Ghi chú", "Văn bản 12", "Quyết định", "55%", "Công văn"]  # prose with one percentage
    table = _table([["STT", "1", "2", "3", "4", "5", "6"], before, words_only, notes])
    assert _value_columns(table, PERCENT_CELLS) == {1}


@pytest.mark.parametrize("text, doubtful", [
    ("8ê 0%.", True), ("S5 19%", True), ("88 S?%", True), ("71 5%", True),  # a 150 dpi fax's values
    ("71.5%", False), ("Lãnh đạo", False), ("Chưa thực hiện", False), ("sa%", False),
    ("26,32% (10/38)", False), ("Xã 2", False), ("CT3", False),
])
def test_a_value_with_letters_among_its_digits_is_read_again(text, doubtful):
    assert PERCENT_CELLS.doubtful(text) is doubtful


def test_a_value_with_its_qualifier_is_not_read_again_as_bare_digits():
    """Read again with digits only, "≥95%" would come back "95%": its qualifier lost, unflagged."""
    from normalize.indicators.cells import PERCENT_CELLS

    for text in (">95%", "≥95%", "> 90%", "<50%", "~95%"):
        assert not PERCENT_CELLS.doubtful(text), text
    assert PERCENT_CELLS.doubtful("8ê 0%.")
