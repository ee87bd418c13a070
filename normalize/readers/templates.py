"""The report template every commune fills in: one row per indicator, with the target
("Chỉ tiêu giao"), the results before and after ("Kết quả thực hiện: Trước / Sau triển
khai") and the evidence ("Hồ sơ minh chứng").

Unlike the provincial summary table, the columns name no locality: the unit is the
one the document reports for. A template arrives as a grid (a ruled table in a PDF or
a scan, a .docx table) or as lines of a text dump; both become a `SummaryTable` whose
columns are target/before/after, and a column nobody filled in is left out, so a
blank template yields its targets and no invented results.
"""
from __future__ import annotations

import logging
import re
from typing import Sequence

from extract.model import BBox, Line, Table

from normalize.text.fold import fold_ocr
from normalize.readers.boxes import Segments, find_span
from normalize.readers.summary import (Column, RawCell, RawRow, SummaryTable, grid_rows, is_label_header, is_number_header,
                      is_target_header, phase_of, row_number)
from normalize.text.values import _qualifier_words, status_of

log = logging.getLogger(__name__)

_SECTION = re.compile(r"^\s*(?:[IVX]{1,4}|[AB])\s*\.?\s*$")
_PERCENT = re.compile(r"(?:≥|>=)?\s*\d+(?:[.,]\d+)?\s*%")
MAX_HEADER_LINES = 16
MAX_ROW_LINES = 12  # a row never wraps over more lines than this in a dump


def _is_result_header(text: str) -> bool:
    return "ket qua" in fold_ocr(text)


def _drop_empty_columns(columns: list[Column], rows: list[RawRow]) -> tuple[tuple[Column, ...], tuple[RawRow, ...]]:
    keep = [k for k in range(len(columns)) if any(r.cells[k].text.strip() for r in rows)]
    if not keep:
        return (), ()
    out_rows = tuple(
        RawRow(r.number, r.label, r.match_text, tuple(r.cells[k] for k in keep), r.page)
        for r in rows if any(r.cells[k].text.strip() for k in keep)
    )
    return tuple(columns[k] for k in keep), out_rows


# ---------------------------------------------------------------- grids


def _is_section_band(row, n_cols: int) -> bool:
    """"I | ĐỐI VỚI CHÍNH QUYỀN" across the table, even when OCR lost the "I", or a scan's
    ruling finder cut the merged cell in two ("ĐỐI VỚI CH" | "NH QUYỀN"): no value in it."""
    if any(_PERCENT.search(c.text or "") for c in row):
        return False
    return any((c.colspan >= max(2, n_cols // 2) or c.col <= 2) and "doi voi" in fold_ocr(c.text) for c in row)


def _first_data_row(rows, n_cols: int) -> int | None:
    for i, row in enumerate(rows):
        if i and _is_section_band(row, n_cols):
            return i
        for c in row[:2]:
            if row_number(c.text) is not None or _SECTION.match(c.text or ""):
                return i
    return None


def grid_to_template(table: Table) -> SummaryTable | None:
    """Read a ruled template; None when the grid is not one (no target column, no
    before/after column, or columns that name localities: a summary table)."""
    rows = table.rows()
    end = _first_data_row(rows, table.n_cols)
    if not end:
        return None
    header: list[list[tuple[int, str]]] = [[] for _ in range(table.n_cols)]
    for row in rows[:end]:
        for c in row:
            for k in range(c.col, c.col + c.colspan):
                header[k].append((c.colspan, c.text))
    roles: dict[int, str] = {}
    label_col = number_col = None
    results: list[int] = []
    for k, parts in enumerate(header):
        texts = [t for _, t in parts if t.strip()]
        phase = next((phase_of(t) for t in texts if phase_of(t)), None)
        if phase:
            others = [t for span, t in parts if span > 1 and t.strip() and not phase_of(t)]
            if any(not _is_result_header(t) for t in others):
                return None  # a locality above the phases: the summary table's layout
            roles[k] = phase
        elif is_label_header(" ".join(texts)):
            label_col = k
        elif is_number_header(" ".join(texts)):
            number_col = k
        elif is_target_header(" ".join(texts)):
            roles[k] = "target"
        elif _is_result_header(" ".join(texts)):
            results.append(k)
    label_col = _results_table(roles, results, rows[end:], label_col)
    phases = list(roles.values())
    if phases != ["reported"] and ("target" not in phases or not ({"before", "after"} & set(phases))):
        return None
    if any(phases.count(p) > 1 for p in set(phases)):
        return None
    if label_col is None:
        label_col = 1 if number_col == 0 else 0
    if phases == ["reported"]:
        number_col = None  # a report's table numbers its rows 1, 2, …, not by the indicators' ids
    value_cols = sorted(roles)
    raw_rows = grid_rows(table, rows[end:], label_col=label_col, number_col=number_col, value_cols=value_cols,
                         keep_blank=True)
    columns, kept = _drop_empty_columns([Column(roles[k]) for k in value_cols], raw_rows)
    if not kept:
        return None
    return SummaryTable(columns, kept, table.source)


def _results_table(roles: dict[int, str], results: list[int], body, label_col: int | None) -> int | None:
    """A report's table of results ("TT | Chỉ tiêu | Kết quả năm 2024"): one column of
    results and no phases, read as each indicator's reported value; its "Chỉ tiêu" column
    holds the indicators' names (no value in it), not targets. Returns the label column."""
    if len(results) != 1 or {"before", "after"} & set(roles.values()):
        return label_col
    named = [k for k, role in roles.items() if role == "target"
             and not any(c.col == k and _PERCENT.search(c.text or "") for row in body for c in row)]
    if label_col is None and len(named) == 1 and len(roles) == 1:
        roles.clear()
        label_col = named[0]
    if not roles:
        roles[results[0]] = "reported"
    return label_col


# ---------------------------------------------------------------- text dumps


def _header_end(texts: Sequence[str]) -> int | None:
    """Index of the header's last line, or None when no template header is found."""
    for i, text in enumerate(texts):
        key = fold_ocr(text)
        if "chi tieu giao" not in key and "chi tieu duoc giao" not in key:
            continue
        window = texts[i:i + MAX_HEADER_LINES]
        found, last = set(), None
        for j, t in enumerate(window):
            p = phase_of(t)
            if p and len(fold_ocr(t).split()) <= 4:
                found.add(p)
                last = i + j
        if found == {"before", "after"}:
            # "Sau" may wrap: its "triển khai" belongs to the header too
            while last + 1 < len(texts) and len(texts[last + 1].split()) <= 2 and row_number(texts[last + 1]) is None \
                    and not _SECTION.match(texts[last + 1]):
                last += 1
            return last
    return None


def _row_start(text: str, expected: int) -> str | None:
    """The rest of a line that opens row `expected` ("6 Tỷ lệ …", or "10" alone)."""
    m = re.match(r"^\s*(\d{1,2})(?:\s*[.)])?(?:\s+(?P<rest>\S.*))?\s*$", text)
    if not m or int(m.group(1)) != expected:
        return None
    rest = (m.group("rest") or "").strip()
    if rest and not (rest[0].isupper() or rest[0].isdigit()):
        return None  # "15 tuổi …": a wrapped label, not a row
    return rest


def _is_section(text: str) -> bool:
    key = fold_ocr(text)
    return bool(re.match(r"^([ivx]+|[ab])\.?\s+doi voi\b", key))


def _cells(text: str) -> tuple[str, list[str]]:
    """Label and value cells of a row's joined text: the target first, then results;
    words after the last value are the evidence column, except after a lone target,
    where they qualify it ("40% trở lên (năm 2024) Theo Quyết định số 1829")."""
    first = _PERCENT.search(text)
    if not first:
        return text.strip(), []
    label = text[:first.start()].strip()
    tokens = text[first.start():].split()
    cells: list[list[str]] = []
    loose: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        window = tokens[i:i + 3]
        size = next((n for n in range(len(window), 0, -1) if status_of(" ".join(window[:n]))), 0) if cells else 0
        if _PERCENT.fullmatch(tok.rstrip(".,;")) or (tok.endswith("%") and re.search(r"\d", tok)):
            used = _qualifier_words(tokens[i + 1:i + 3])
            cells.append(tokens[i:i + 1 + used])
            loose = []
            i += 1 + used
        elif size:
            cells.append(tokens[i:i + size])
            loose = []
            i += size
        else:
            if len(cells) == 1:
                cells[0].append(tok)  # words after the target: "(năm 2024)", "Theo QĐ …"
            else:
                loose.append(tok)
            i += 1
    if len(cells) > 1 and len(cells[0]) > 1:
        # words were attached to the target before a result came: keep only its qualifier
        head = cells[0][:1 + _qualifier_words(cells[0][1:3])]
        cells[0] = head
    return label, [" ".join(c) for c in cells]


def lines_to_template(lines: Sequence[tuple[int | None, str]], source: str = "dump") -> SummaryTable | None:
    """A template in a text dump: (page, text) lines in reading order."""
    return find_template(lines, source)[0]


def find_template(lines: Sequence[tuple[int | None, str]], source: str = "dump",
                  boxes: Sequence[BBox | None] = ()) -> tuple[SummaryTable | None, range]:
    """The template in a text dump and the indices of the lines it takes (header included);
    ``boxes``: each line's box on its notional page, which places each value."""
    texts = [t for _, t in lines]
    end = _header_end(texts)
    if end is None:
        return None, range(0)
    start = max(i for i in range(end + 1) if "chi tieu giao" in fold_ocr(texts[i]) or "chi tieu duoc giao" in fold_ocr(texts[i]))
    rows: list[tuple[int, int | None, list[str], list[int]]] = []  # number, page, texts, their lines
    expected = 1
    last = end
    for i, (page, text) in enumerate(lines[end + 1:], start=end + 1):
        if not text.strip():
            continue
        rest = _row_start(text, expected)
        if rest is not None:
            rows.append((expected, page, [rest] if rest else [], [i]))
            expected += 1
            last = i
            continue
        if _is_section(text) or not rows:
            last = i if rows or _is_section(text) else last
            continue
        if len(rows[-1][2]) >= MAX_ROW_LINES:
            break  # past the table
        rows[-1][2].append(text.strip())
        rows[-1][3].append(i)
        last = i
    raw_rows = []
    for number, page, parts, at in rows:
        label, values = _cells(" ".join(parts))
        if len(values) == 2:
            log.warning("template row %d: one result without its column (before or after?)", number)
            values = [values[0], "", ""]
        values = (values + ["", "", ""])[:3]
        placed = _value_boxes(values, [Line(lines[i][1], page, None, boxes[i] if i < len(boxes) else None)
                                       for i in at if lines[i][0] == page])  # a row the page break cut: its page's part
        raw_rows.append(RawRow(number, label, label, tuple(RawCell(v, page, None, b) for v, b in zip(values, placed)),
                               page))
    columns, kept = _drop_empty_columns([Column("target"), Column("before"), Column("after")], raw_rows)
    if not kept:
        return None, range(0)
    return SummaryTable(columns, kept, source), range(start, last + 1)


def _value_boxes(values: Sequence[str], lines: Sequence[Line]) -> list[BBox | None]:
    """The box of each value of a row of a dump's template, found in the row's lines in
    order (its label has no percentage, so the first is not found in it); an empty or
    unfound value gets the box of the row's first line."""
    seg = Segments(lines, exact=True)
    first = next((line.bbox for line in lines if line.bbox is not None), None)
    out, cursor = [], 0
    for v in values:
        span = find_span(seg.text, v, cursor) if v.strip() else None
        if span is None:
            out.append(first)
            continue
        out.append(seg.box(*span) or first)
        cursor = span[1]
    return out
