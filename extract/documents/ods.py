"""OpenDocument spreadsheets (.ods): the sheets of content.xml, read here.

The format says what a cell is (``office:value-type``: float, percentage, date, …) and
keeps its value apart from its display, so nothing is guessed from a number format.
Rows and columns repeat (``number-rows-repeated``: LibreOffice writes a million empty
rows as one element), so empty repeats only advance the count; merged cells are a
spanned cell followed by covered ones; a row or column with ``visibility`` collapse
or filter is hidden.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from extract.documents.sheet_cells import Workbook, cell_text, hidden_notes, nfc
from extract.documents.sheet_layout import Sheet, SheetCell
from extract.errors import InputError

NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
      "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
MAX_REPEAT = 10_000  # a repeated run of cells with text longer than this is no report's table


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


T_TABLE, T_ROW, T_COL = _q("table", "table"), _q("table", "table-row"), _q("table", "table-column")
T_CELL, T_COVERED = _q("table", "table-cell"), _q("table", "covered-table-cell")
T_HEADER_COLS, T_COL_GROUP, T_COLS = (_q("table", n) for n in ("table-header-columns", "table-column-group",
                                                                  "table-columns"))
T_HEADER_ROWS, T_ROW_GROUP, T_ROWS = (_q("table", n) for n in ("table-header-rows", "table-row-group", "table-rows"))
TEXT_P, TEXT_S, TEXT_TAB, TEXT_BREAK = (_q("text", n) for n in ("p", "s", "tab", "line-break"))
A_REPEAT_R, A_REPEAT_C = _q("table", "number-rows-repeated"), _q("table", "number-columns-repeated")
A_SPAN_R, A_SPAN_C = _q("table", "number-rows-spanned"), _q("table", "number-columns-spanned")
A_VISIBILITY, A_NAME = _q("table", "visibility"), _q("table", "name")
A_TYPE, A_VALUE = _q("office", "value-type"), _q("office", "value")
A_DATE, A_BOOL = _q("office", "date-value"), _q("office", "boolean-value")


def read_ods(path: str | Path):
    try:
        with zipfile.ZipFile(path) as archive:
            root = ET.fromstring(archive.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ET.ParseError) as exc:
        raise InputError(f"unreadable .ods: {type(exc).__name__}: {exc}") from exc
    hidden_styles = _hidden_table_styles(root)
    tables = list(root.iter(T_TABLE))
    shown = [t for t in tables if t.get(_q("table", "style-name")) not in hidden_styles]
    sheets = [s for s in (_sheet(t) for t in shown) if s is not None]
    hidden = [nfc(t.get(A_NAME, "")) for t in tables if t not in shown]
    if sheets and hidden:  # said on the first sheet's page, as for an .xlsx
        first = sheets[0]
        sheets[0] = Sheet(first.name, first.cells, first.hidden_rows, first.hidden_cols,
                          first.notes + (f"hidden sheet(s) not read: {', '.join(map(repr, hidden))}",))
    return Workbook(tuple(sheets))


def _hidden_table_styles(root: ET.Element) -> set[str]:
    """The names of the table styles that hide their sheet (style:table-properties table:display="false")."""
    out = set()
    for style in root.iter(_q("style", "style")):
        props = style.find(_q("style", "table-properties"))
        if style.get(_q("style", "family")) == "table" and props is not None \
                and props.get(_q("table", "display")) == "false":
            out.add(style.get(_q("style", "name")))
    return out


def _children(el: ET.Element, tag: str, groups: tuple[str, ...]):
    """The ``tag`` children of ``el`` in order, those inside header and group elements included."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in groups:
            yield from _children(child, tag, groups)


def _repeat(el: ET.Element, attr: str) -> int:
    try:
        return max(1, int(el.get(attr, "1")))
    except ValueError:
        return 1


def _hidden(el: ET.Element) -> bool:
    return el.get(A_VISIBILITY, "visible") in ("collapse", "filter")


def _sheet(table: ET.Element) -> Sheet | None:
    hidden_cols, col = set(), 0
    for c in _children(table, T_COL, (T_HEADER_COLS, T_COL_GROUP, T_COLS)):
        n = _repeat(c, A_REPEAT_C)
        if _hidden(c):
            hidden_cols.update(range(col, col + min(n, MAX_REPEAT)))
        col += n
    cells, hidden_rows, r = [], set(), 0
    for row in _children(table, T_ROW, (T_HEADER_ROWS, T_ROW_GROUP, T_ROWS)):
        n = _repeat(row, A_REPEAT_R)
        found = _row_cells(row)
        if found:  # a repeated row with text is written once per repeat (rare, short)
            for k in range(min(n, MAX_REPEAT)):
                cells += [SheetCell(r + k, c, rs, cs, t) for c, rs, cs, t in found]
                if _hidden(row):
                    hidden_rows.add(r + k)
        r += n
    rows, cols = frozenset(hidden_rows), frozenset(hidden_cols)
    return Sheet(nfc(table.get(A_NAME, "")), tuple(cells), rows, cols, hidden_notes(rows, cols))


def _row_cells(row: ET.Element) -> list[tuple[int, int, int, str]]:
    out, col = [], 0
    for cell in row:
        if cell.tag not in (T_CELL, T_COVERED):
            continue
        n = _repeat(cell, A_REPEAT_C)
        if cell.tag == T_CELL:
            text = _cell_text(cell)
            rs, cs = _repeat(cell, A_SPAN_R), _repeat(cell, A_SPAN_C)
            if text or rs > 1 or cs > 1:
                out += [(col + k, rs, cs, text) for k in range(min(n, MAX_REPEAT))]
        col += n
    return out


def _cell_text(cell: ET.Element) -> str:
    kind = cell.get(A_TYPE)
    if kind in ("float", "currency", "percentage") and cell.get(A_VALUE) is not None:
        try:
            return cell_text(float(cell.get(A_VALUE)), "0%" if kind == "percentage" else None)
        except ValueError:
            pass
    if kind == "date" and cell.get(A_DATE):
        try:
            return cell_text(dt.datetime.fromisoformat(cell.get(A_DATE)))
        except ValueError:
            pass
    if kind == "boolean" and cell.get(A_BOOL):
        return cell_text(cell.get(A_BOOL) == "true")
    return nfc("\n".join(_paragraph(p) for p in cell.findall(TEXT_P)))


def _paragraph(p: ET.Element) -> str:
    """A text:p's text: spans followed, text:s as its count of spaces."""
    parts = [p.text or ""]
    for child in p:
        if child.tag == TEXT_S:
            parts.append(" " * _repeat(child, _q("text", "c")))
        elif child.tag == TEXT_TAB:
            parts.append("\t")
        elif child.tag == TEXT_BREAK:
            parts.append("\n")
        elif child.tag != TEXT_P:
            parts.append(_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)
