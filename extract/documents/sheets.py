"""Spreadsheets (.xlsx, .xlsm, .xls, .ods, .csv) as sheets of cell texts.

Every visible sheet is read, each a page of its own (``sheet_layout``), each cell as
the text of its value (``sheet_cells``); a formula is its value as the program that
saved the file computed it. The format is told by the file's content, not its suffix
(an old .xls renamed .xlsx is still read).

    .xlsx .xlsm  openpyxl: values, number formats, merged ranges, hidden rows/columns/sheets
    .xls         xlrd: the same from the BIFF format
    .ods         its content.xml read here (value types, spans, collapsed rows/columns)
    .csv         one sheet; UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1258

A formula whose value was never saved (a file written by a program, never opened in
a spreadsheet) has no value to read: each such cell is named in errors.csv.
"""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from extract.documents.sheet_cells import Workbook, cell_text, decode_text, hidden_notes, looks_binary, nfc
from extract.documents.sheet_layout import Sheet, SheetCell, blocks
from extract.documents.sheet_merges import restore_merges
from extract.documents.zipped import check_unzipped
from extract.errors import InputError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls, or an encrypted .xlsx (both OLE2 files)
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def read_workbook(path: str | Path, *, max_unzipped: int) -> Workbook:
    """The sheets of the spreadsheet at ``path``; ``InputError`` saying why when it cannot be read."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(8)
    if path.suffix.lower() == ".csv" and not head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return Workbook((read_csv(path),))
    if head.startswith(OLE_MAGIC):
        return _xls(path)
    if not head.startswith(ZIP_MAGIC):
        raise InputError("not a spreadsheet: the file is neither an Excel nor an OpenDocument workbook")
    check_unzipped(path, max_unzipped, "the workbook")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"unreadable workbook: {exc}") from exc
    if mimetype == ODS_MIMETYPE:
        from extract.documents.ods import read_ods

        return read_ods(path)
    if "xl/workbook.xml" not in names:
        raise InputError("not a spreadsheet: a zip archive with no Excel workbook in it")
    return _xlsx(path)


def _xlsx(path: Path) -> Workbook:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise InputError("reading .xlsx needs openpyxl: pip install openpyxl") from exc
    try:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl and lxml raise many types for a broken file
        raise InputError(f"unreadable workbook: {type(exc).__name__}: {exc}") from exc
    sheets, unread, no = [], [], 0
    hidden_sheets = [ws.title for ws in values.worksheets if ws.sheet_state != "visible"]
    for ws, wf in zip(values.worksheets, formulas.worksheets):
        if ws.sheet_state != "visible":
            continue
        no += 1
        merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        inside = {(r, c) for m in merged.values() for r in range(m.min_row, m.max_row + 1)
                  for c in range(m.min_col, m.max_col + 1)} - set(merged)
        cells, missing = [], []
        for row in ws.iter_rows():
            for cell in row:
                if (cell.row, cell.column) in inside:
                    continue
                text = cell_text(cell.value, cell.number_format)
                if cell.value is None:
                    f = wf.cell(cell.row, cell.column).value
                    if isinstance(f, str) and f.startswith("="):
                        missing.append(cell.coordinate)
                m = merged.get((cell.row, cell.column))
                span = (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1) if m else (1, 1)
                if text or m:
                    cells.append(SheetCell(cell.row - 1, cell.column - 1, *span, text))
        hidden_rows = frozenset(r - 1 for r, d in ws.row_dimensions.items() if d.hidden)
        hidden_cols = frozenset(k - 1 for d in ws.column_dimensions.values() if d.hidden
                                for k in range(d.min or 1, (d.max or d.min or 1) + 1))
        notes = hidden_notes(hidden_rows, hidden_cols)
        if no == 1 and hidden_sheets:
            notes += (f"hidden sheet(s) not read: {', '.join(map(repr, hidden_sheets))}",)
        sheets.append(Sheet(nfc(ws.title), tuple(cells), hidden_rows, hidden_cols, notes))
        if missing:
            unread.append((no, _formula_reason(missing)))
    return Workbook(tuple(sheets), tuple(unread))


def _formula_reason(cells: list[str]) -> str:
    shown = ", ".join(cells[:8]) + (", …" if len(cells) > 8 else "")
    return (f"{len(cells)} formula cell(s) with no saved value, not read: {shown} "
            "(a formula that gives nothing, or a file written by a program and never saved by a "
            "spreadsheet: open and save it)")


def _xls(path: Path) -> Workbook:
    try:
        import xlrd
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise InputError("reading .xls needs xlrd: pip install xlrd") from exc
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower() or "workbook in ole2" in str(exc).lower():
            raise InputError("the workbook is password-protected (encrypted): save it without a password") from exc
        raise InputError(f"unreadable .xls: {exc}") from exc
    except Exception as exc:  # xlrd raises assorted types for a broken file
        raise InputError(f"unreadable .xls: {type(exc).__name__}: {exc}") from exc
    try:
        return _xls_sheets(book, xlrd)
    finally:
        book.release_resources()


def _xls_sheets(book, xlrd) -> Workbook:
    sheets, hidden_sheets = [], []
    for index in range(book.nsheets):
        sh = book.sheet_by_index(index)
        if sh.visibility:
            hidden_sheets.append(sh.name)
            continue
        merged = {(r0, c0): (r1 - r0, c1 - c0) for r0, r1, c0, c1 in sh.merged_cells}
        inside = {(r, c) for (r0, c0), (rs, cs) in merged.items() for r in range(r0, r0 + rs)
                  for c in range(c0, c0 + cs)} - set(merged)
        cells = []
        for r in range(sh.nrows):
            for c in range(sh.ncols):
                if (r, c) in inside:
                    continue
                text = _xls_text(book, sh.cell(r, c), xlrd)
                if text or (r, c) in merged:
                    cells.append(SheetCell(r, c, *merged.get((r, c), (1, 1)), text))
        rows = frozenset(r for r, info in sh.rowinfo_map.items() if info.hidden)
        cols = frozenset(c for c, info in sh.colinfo_map.items() if info.hidden)
        notes = hidden_notes(rows, cols)
        sheets.append(Sheet(nfc(sh.name), tuple(cells), rows, cols, notes))
    if sheets and hidden_sheets:
        first = sheets[0]
        sheets[0] = Sheet(first.name, first.cells, first.hidden_rows, first.hidden_cols,
                          first.notes + (f"hidden sheet(s) not read: {', '.join(map(repr, hidden_sheets))}",))
    return Workbook(tuple(sheets))


def _xls_text(book, cell, xlrd) -> str:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
        fmt = book.format_map.get(xf.format_key) if xf else None
        return cell_text(cell.value, fmt.format_str if fmt else None)
    return cell_text(cell.value)


def read_csv(path: Path) -> Sheet:
    """A table exported as CSV: one sheet, the delimiter the file uses (',', ';' as a
    Vietnamese Excel writes, or a tab), its header's merged cells rebuilt (``sheet_merges``)."""
    with open(path, "rb") as fh:
        data = fh.read()
    if looks_binary(data):
        raise InputError("binary file, not a CSV table")
    try:
        text = decode_text(data)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    delimiter = _delimiter("\n".join(text.splitlines()[:50]))
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    cells = [SheetCell(r, c, 1, 1, nfc(v)) for r, row in enumerate(rows) for c, v in enumerate(row) if v.strip()]
    return Sheet(path.stem, tuple(c for block in blocks(cells) for c in restore_merges(block)),
                 notes=("a CSV table: merged header cells rebuilt from the empty cells beside them",))


def _delimiter(sample: str) -> str:
    """The delimiter that splits the most rows into the same number of fields (more than
    one): counting characters would take the decimal commas of "87,5;90,2" for one."""
    def score(d: str) -> tuple[int, int]:
        widths = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=d) if any(v.strip() for v in r)]
        common = max(set(widths), key=widths.count, default=1)
        return (widths.count(common) if common > 1 else 0, common)
    return max((";", "\t", ","), key=score)  # a tie (one column): not the decimal comma
