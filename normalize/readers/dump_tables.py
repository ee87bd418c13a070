"""Summary tables in text dumps: a text layer or OCR output with no geometry.

In a dump a table row is a run of lines: the wrapped indicator label, and one line
that ends in the row's value cells (the anchor). OCR output centres the anchor in
the middle of the label, so label lines sit both before and after it; a line
starting in lower case continues the label above it, a line starting with a digit
or a capital starts the next row. The header gives the localities ("X (xã Y)") and
the phases ("Trước/Sau thí điểm") in reading order.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from extract.layout.notional import span_box
from extract.model import BBox, Line, PageResult

from normalize.text.fold import fold_ocr
from normalize.readers.boxes import Segments, find_span
from normalize.readers.summary import Column, RawCell, RawRow, SummaryTable, phase_of
from normalize.text.values import parse_value, split_label_and_values

MIN_ANCHOR_CELLS = 4  # a line with fewer value cells is prose or a one-value list item
MAX_GAP_LINES = 12  # more non-anchor lines than this end a table
HEADER_LOOKBACK = 60
_UNIT_PREFIX = re.compile(r"^(xa|phuong|thi tran|thi xa|tp|thanh pho|huyen)\s+\w")


@dataclass
class _Anchor:
    index: int  # into the list of lines
    label: str
    values: list[str]


def pages_to_lines(pages: Sequence[PageResult]) -> list[Line]:
    """The non-empty lines of a dump's pages, stripped (and their boxes with them)."""
    return [_stripped(t, p.no) for p in pages for t in p.lines if t.text.strip()]


def _stripped(line: Line, page_no: int) -> Line:
    text = line.text.strip()
    lead = len(line.text) - len(line.text.lstrip())
    box = span_box(line.bbox, lead, lead + len(text)) if line.bbox is not None else None
    return Line(text, page_no, None, box)


def _strip_noise(text: str) -> str:
    return text.strip(" \t|[]'‘’\"“”`.,;:_-—~")


def _starts_row(text: str) -> bool:
    """A line that begins a row: a digit or a capital letter after leading noise."""
    t = _strip_noise(text)
    if re.match(r"^\d{3,}", t):
        return False  # "1829", the end of a wrapped "Theo QĐ số 1829"
    return bool(t) and (t[0].isdigit() or t[0].isupper())


def is_section_line(text: str) -> bool:
    key = fold_ocr(text)
    return bool(re.match(r"^([ivx]+|[ab])?\s*doi voi\b", key)) and text.upper() == text


def _value_cells(text: str) -> tuple[str, list[str]]:
    label, values = split_label_and_values(text)
    return label, values


def find_anchors(lines: list[Line]) -> list[_Anchor]:
    anchors = []
    for i, line in enumerate(lines):
        label, values = _value_cells(line.text)
        numeric = sum(1 for v in values if re.search(r"\d", v))
        if len(values) >= MIN_ANCHOR_CELLS and numeric >= 2:
            anchors.append(_Anchor(i, label, list(values)))
    return anchors


def group_anchors(anchors: list[_Anchor]) -> list[list[_Anchor]]:
    groups: list[list[_Anchor]] = []
    for a in anchors:
        if groups and a.index - groups[-1][-1].index <= MAX_GAP_LINES + 1:
            groups[-1].append(a)
        else:
            groups.append([a])
    return [g for g in groups if len(g) >= 2]


def _is_phase_line(text: str) -> bool:
    return phase_of(text) is not None and len(fold_ocr(text).split()) <= 4


def parse_header(lines: list[Line]) -> tuple[list[str], list[str], bool, int]:
    """Localities, phases, whether a target column is named, and the header's last line."""
    localities: list[str] = []
    phases: list[str] = []
    target = False
    last = -1
    for i, line in enumerate(lines):
        text = line.text
        key = fold_ocr(text)
        if _is_phase_line(text):
            phases.append(phase_of(text))
            last = i
        elif re.match(r"^\(.*\)$", text.strip()) and i > 0:
            prev = lines[i - 1].text
            head = prev if not _is_phase_line(prev) and "(" not in prev else ""
            if head and localities and localities[-1] == head:
                localities.pop()
            localities.append(f"{head}\n{text.strip()}".strip())
            last = i
        elif re.search(r"\S\s*\([^)]*\w[^)]*\)\s*$", text) and len(key.split()) <= 8:
            localities.append(text.strip())
            last = i
        elif _UNIT_PREFIX.match(key) and len(key.split()) <= 6 and "," not in text:
            localities.append(text.strip())  # "Xã Quảng Lưu" with no district beside it
            last = i
        elif key.count("chi tieu") > key.count("noi dung chi tieu") or key.strip() == "chi tieu":
            target = True
            last = max(last, i)
    # The phase's wrapped second line ("thí điểm", "điểm") still belongs to the header.
    while 0 <= last < len(lines) - 1 and phases and not _starts_row(lines[last + 1].text) \
            and len(lines[last + 1].text.split()) <= 2:
        last += 1
    return localities, phases, target, last


def _columns(localities: list[str], phases: list[str], target: bool, expected: int) -> list[Column] | None:
    if not localities or not phases or len(phases) % len(localities):
        return None
    per = len(phases) // len(localities)
    cols = [Column(p, localities[j // per]) for j, p in enumerate(phases)]
    extra = expected - len(cols)
    if extra == 1 and target:
        cols.insert(0, Column("target", ""))
    elif extra != 0:
        return None
    return cols


def _recover_first_cell(head: list[str]) -> tuple[str | None, list[str]]:
    """A cell wrapped onto the lines just above the anchor ("30% trở lên / Theo QĐ số / 1829")."""
    for j in range(len(head) - 1, max(-1, len(head) - 5), -1):
        label, values = _value_cells(_strip_noise(head[j]))
        if values and not _strip_noise(label):
            return " ".join([_strip_noise(head[j])] + head[j + 1 :]), head[:j]
    return None, head


def _row_number(texts: list[str]) -> int | None:
    for t in texts:
        m = re.match(r"^\s*(\d{1,2})(?!\s*[%,.\d])\b", _strip_noise(t))
        if m:
            return int(m.group(1))
    return None


def _fit(values: list[str], expected: int, text: str) -> tuple[list[str], str]:
    """Exactly `expected` cells; extra leading ones go back to the label."""
    if len(values) > expected:
        return values[-expected:], " ".join(values[:-expected])
    if len(values) < expected:
        _, values2 = split_label_and_values(text, expected=expected)
        if len(values2) == expected:
            return list(values2), ""
        return [""] * (expected - len(values)) + values, ""
    return values, ""


def group_to_table(lines: list[Line], group: list[_Anchor], start: int) -> SummaryTable | None:
    counts = Counter(len(a.values) for a in group)
    expected = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    header_lines = lines[max(start, group[0].index - HEADER_LOOKBACK) : group[0].index]
    # The header sits on the table's first page: prose of earlier pages may name places too.
    same_page = [l for l in header_lines if l.page_no == lines[group[0].index].page_no]
    if same_page and _columns(*parse_header(same_page)[:3], expected) is not None:
        header_lines = header_lines[len(header_lines) - len(same_page):]
    localities, phases, target, last = parse_header(header_lines)
    if _columns(localities, phases, target, expected) is None and expected - 1 > 0:
        # the commonest count may be a row short of its target cell
        if _columns(localities, phases, target, expected + 1) is not None:
            expected += 1
    columns = _columns(localities, phases, target, expected)
    if columns is None:
        return None
    body_start = group[0].index - len(header_lines) + last + 1
    # Split every gap between anchors into the tail of the row above and the head of the next.
    heads: list[list[Line]] = []
    tails: list[list[Line]] = []
    bounds = [body_start] + [a.index for a in group]
    for k, a in enumerate(group):
        gap = [l for l in lines[bounds[k] + (0 if k == 0 else 1) : a.index] if not is_section_line(l.text)]
        split = next((s for s, l in enumerate(gap) if _starts_row(l.text)), len(gap)) if k > 0 else 0
        if k > 0:
            tails[k - 1].extend(gap[:split])
        heads.append(gap[split:])
        tails.append([])
    end = group[-1].index + 1
    while end < len(lines) and end - group[-1].index <= 3 and not _starts_row(lines[end].text):
        tails[-1].append(lines[end])
        end += 1
    rows = []
    for k, a in enumerate(group):
        head, tail = [l.text for l in heads[k]], [l.text for l in tails[k]]
        values, label = list(a.values), a.label
        merged_tail = False
        incomplete = bool(values) and parse_value(values[-1]).status == "unreadable"
        if len(values) < expected and tail and incomplete:  # "Chưa" / "thực hiện 91%"
            merged_label, merged = _value_cells(a.label + " " + " ".join(a.values) + " " + tail[0])
            if len(values) < len(merged) <= expected:
                values, label, tail, merged_tail = merged, merged_label, tail[1:], True
        if len(values) == expected - 1:
            cell, rest = _recover_first_cell(head)
            if cell is not None:
                values, head = [cell] + values, rest
        values, extra = _fit(values, expected, label + " " + " ".join(values))
        label_lines = head + [label, extra]
        number = _row_number(label_lines)
        text = " ".join(t for t in label_lines if t)
        label_clean = re.sub(r"^\s*\d{1,2}\s*[|\[]?\s*", "", text) if number is not None else text
        page = lines[a.index].page_no
        row_lines = [l for l in (*heads[k], lines[a.index], *tails[k][:1 if merged_tail else 0]) if l.page_no == page]
        boxes = _value_boxes(values, row_lines, lines[a.index].bbox)
        cells = tuple(RawCell(v, page, None, b) for v, b in zip(values, boxes))
        rows.append(RawRow(number, label_clean.strip(), " ".join([text] + tail), cells, page))
    return SummaryTable(tuple(columns), tuple(rows), "dump")


def _value_boxes(values: Sequence[str], row_lines: Sequence[Line], anchor: BBox | None) -> list[BBox | None]:
    """The box of each value cell of a row, found right to left in the row's lines (its
    cells end the row: the anchor line, or the line wrapped under it that completes the
    last); an empty or unfound cell gets the anchor line's box."""
    seg = Segments(row_lines, exact=True)
    out: list[BBox | None] = []
    hi = len(seg.text)
    for v in reversed(values):
        span = find_span(seg.text, v, 0, hi, last=True) if v.strip() else None
        if span is None:
            out.append(anchor)
            continue
        out.append(seg.box(*span) or anchor)
        hi = span[0]
    return out[::-1]


def pages_to_summaries(pages: Sequence[PageResult]) -> list[SummaryTable]:
    lines = pages_to_lines(pages)
    tables = []
    start = 0
    for group in group_anchors(find_anchors(lines)):
        table = group_to_table(lines, group, start)
        if table is not None:
            tables.append(table)
        start = group[-1].index + 1
    return tables
