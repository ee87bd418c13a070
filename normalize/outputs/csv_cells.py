"""CSV cells a spreadsheet will not run: a text cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is written with a leading apostrophe, which
Excel and LibreOffice take as "this is text" (CSV injection, OWASP). Numbers in the
numeric columns (a value of -5) are numbers and are written as they are.

Only the CSV files are changed: ``chitieu.read``'s frames keep the text as read.
"""
from __future__ import annotations

import re

from normalize.outputs.table import Table

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Columns whose cells are numbers (or empty): page and year, values, scores, counts.
NUMERIC_COLUMNS = frozenset({
    "page", "year", "indicator_id", "value", "match_score", "ocr_conf", "target", "before", "after", "reported",
    "numbers_seen", "records", "flagged", "nearest_indicator_id", "nearest_score",
    "sources_n", "values_n", "expected", "found", "missing_n",  # consolidated, review, completeness: counts
    "x0", "top", "x1", "bottom", "page_width", "page_height",  # review: the box, in points
})
_WIDE_VALUE = re.compile(r"i\d{2}_(?:before|after|reported)")  # summary_wide: a number or a status word
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def defuse(cell: str, *, numeric: bool = False) -> str:
    """``cell`` as a CSV cell no spreadsheet evaluates."""
    if not cell or not cell.startswith(TRIGGERS):
        return cell
    if numeric and _NUMBER.fullmatch(cell):
        return cell
    return "'" + cell


def is_numeric_column(name: str) -> bool:
    return name in NUMERIC_COLUMNS or _WIDE_VALUE.fullmatch(name) is not None


def defuse_table(table: Table) -> Table:
    """The table with every cell defused, by its column's kind."""
    numeric = [is_numeric_column(c) for c in table.columns]
    rows = tuple(row if not any(c.startswith(TRIGGERS) for c in row)
                 else tuple(defuse(c, numeric=n) for c, n in zip(row, numeric)) for row in table.rows)
    return Table(table.columns, rows)
