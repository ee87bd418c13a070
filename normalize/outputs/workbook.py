"""``OUT/chitieu.xlsx``: every dataset as a sheet a spreadsheet opens as it is — numbers
stored as numbers, percentages shown with a "%", status words and names as text, the
header row frozen, a filter on it, columns fitted to their content — plus one sheet
per commune. Written whole or not at all, with the CSVs (datasets.dataset_files).

XlsxWriter writes it: it sets formats, freeze panes, autofilters and column widths
while it streams rows out (``constant_memory``: a sheet's rows go to a temporary file
as they are written, not into a cell table in memory; a small workbook is built in
memory instead, ``IN_MEMORY_CELLS``), and it is well kept.

Values stay in percent units, as in the CSVs and ``chitieu.read`` (99.5 is 99.5%),
under the number format ``General"%"``: a formula or a pivot gets the numbers the
README's contract gives, the targets (80) compare as written, and no value turns into
0.6755000000000001 on its way through ``/ 100``. ``General`` rather than ``0.##``:
Excel shows 100 as "100." under ``0.##``.
"""
from __future__ import annotations

import io
import logging
import math
import re
import unicodedata
from datetime import datetime, timezone
from typing import Collection, Iterator, Sequence

from normalize.outputs.csv_cells import is_numeric_column
from normalize.outputs.table import Table

log = logging.getLogger(__name__)

PERCENT_FORMAT = 'General"%"'
SHEET_NAME_MAX = 31  # UTF-16 code units, as Excel counts them
MIN_WIDTH, MAX_WIDTH = 8, 60  # column widths, in characters
MAX_DATA_ROWS = 1_048_575  # Excel's rows less the header; a longer frame continues on a second sheet
# Cells up to which the workbook is built in memory rather than streamed through a
# temporary file per sheet: the deck sample's 10,800 cells on 13 sheets take 0.23 s of
# wall time streamed (34 files made and deleted) and 0.12 s in memory (CPU 0.10 → 0.07 s),
# and building 100,000 cells in memory peaks at 29 MB (tracemalloc, ~300 bytes a cell); a
# province's consolidation (500 communes, 16 indicators, two phases: 320,000 cells in
# indicators alone) is streamed, its memory flat.
IN_MEMORY_CELLS = 100_000
# Excel refuses these in a sheet name; control characters, lone surrogates and U+FFFE/U+FFFF
# would make the workbook's XML invalid (XlsxWriter escapes them in cells, not in names).
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_RESERVED_SHEET_NAMES = frozenset({"history"})  # Excel keeps it for its change tracking
_PERCENT_COLUMNS = frozenset({"value", "target", "before", "after", "reported"})
_WIDE_VALUE = re.compile(r"i\d{2}_(?:before|after|reported)")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
# The file's creation date is fixed, so that the same inputs give the same bytes (as the
# CSVs do: snapshot_outputs.py compares every file); the file's mtime says when it was written.
_CREATED = datetime(1980, 1, 1, tzinfo=timezone.utc)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _cut(text: str, limit: int) -> str:
    text = text[:limit]
    while _utf16_len(text) > limit:  # a character beyond U+FFFF counts twice
        text = text[:-1]
    # Excel refuses a name that begins or ends with an apostrophe.
    return text.strip().strip("'").strip()


def sheet_name(text: str, taken: Collection[str] = ()) -> str:
    """``text`` as a sheet name Excel accepts: NFC, its forbidden characters as spaces, at
    most 31 characters, neither empty nor "History", and unlike every name in ``taken``
    (Excel compares them ignoring case); a clash gets " (2)", " (3)", … within the 31."""
    base = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", unicodedata.normalize("NFC", text)).split())
    base = _cut(base, SHEET_NAME_MAX) or "sheet"
    refused = {t.casefold() for t in taken} | _RESERVED_SHEET_NAMES
    name, n = base, 1
    while name.casefold() in refused:
        n += 1
        suffix = f" ({n})"
        name = (_cut(base, SHEET_NAME_MAX - len(suffix)) or "sheet") + suffix
    return name


def column_kind(name: str) -> str:
    """``percent``, ``number`` or ``text``: how a column's cells are stored."""
    if name in _PERCENT_COLUMNS or _WIDE_VALUE.fullmatch(name):
        return "percent"
    return "number" if is_numeric_column(name) else "text"


def cell_value(text: object, kind: str) -> float | str | None:
    """A CSV cell as the workbook stores it: a number in a numeric column when it is one,
    else its text (a lone surrogate as U+FFFD, as in the CSVs); None when empty."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    text = str(text)
    if not text:
        return None
    if kind != "text" and _NUMBER.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return number
    return _SURROGATE.sub("\ufffd", text)


def column_width(header: str, longest: int, kind: str = "text") -> int:
    """Characters wide enough for the header and its filter button and for the longest
    cell (``longest`` characters, and a "%"), within MIN_WIDTH..MAX_WIDTH: a long note is
    cut on screen, not in its cell."""
    longest += 1 if kind == "percent" else 0
    return max(MIN_WIDTH, min(MAX_WIDTH, max(len(header) + 3, longest + 1)))


def _row_chunks(table: Table, max_rows: int) -> Iterator[Table]:
    yield table.part(0, max_rows)
    for start in range(max_rows, len(table), max_rows):
        yield table.part(start, start + max_rows)


def _write_cells(sheet, rows: Sequence[Sequence[str]], kinds: list[str], formats: dict) -> tuple[list[int], int]:
    """The cells, row by row, left to right (the order constant_memory mode needs); the
    length of each column's longest text and how many cells Excel's limit cut."""
    longest, cut = [0] * len(kinds), 0
    percent = formats.get("percent")
    for row, cells in enumerate(rows, start=1):
        for col, text in enumerate(cells):
            if len(text) > longest[col]:
                longest[col] = len(text)
            value = cell_value(text, kinds[col])
            if isinstance(value, float):
                sheet.write_number(row, col, value, percent if kinds[col] == "percent" else None)
            elif value is not None:
                cut += sheet.write_string(row, col, value) == -2  # over Excel's 32,767 characters
    return longest, cut


def _write_sheet(sheet, table: Table, formats: dict) -> None:
    headers = list(table.columns)
    kinds = [column_kind(h) for h in headers]
    sheet.write_row(0, 0, headers, formats["header"])
    longest, cut = _write_cells(sheet, table.rows, kinds, formats)
    if cut:
        log.warning("chitieu.xlsx, sheet %s: %d cell(s) longer than Excel takes were cut (the CSV has them whole)",
                    sheet.name, cut)
    for col, (header, kind) in enumerate(zip(headers, kinds)):
        sheet.set_column(col, col, column_width(header, longest[col], kind))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(table), max(len(headers), 1) - 1)


def workbook_bytes(sheets: Sequence[tuple[str, Table]], *, max_rows: int = MAX_DATA_ROWS) -> bytes:
    """The workbook of ``sheets`` (title, table of CSV cells), in order; each title made a
    valid, unique sheet name (``sheet_name``)."""
    import xlsxwriter  # only the writing of outputs needs it

    buf = io.BytesIO()
    # Text is only ever text, never a formula or a link, whatever it begins with: cells go
    # through write_string, and these options say the same for the header's write_row.
    cells = sum(len(table.rows) * len(table.columns) for _, table in sheets)
    options = {"constant_memory": cells > IN_MEMORY_CELLS, "in_memory": cells <= IN_MEMORY_CELLS,
               "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(buf, options) as book:
        book.set_properties({"created": _CREATED})
        formats = {"header": book.add_format({"bold": True}), "percent": book.add_format({"num_format": PERCENT_FORMAT})}
        taken: list[str] = []
        for title, table in sheets:
            for part in _row_chunks(table, max_rows):
                taken.append(sheet_name(title, taken))
                _write_sheet(book.add_worksheet(taken[-1]), part, formats)
    return buf.getvalue()

