"""Summary tables (indicator rows × localities × phases) and how they become records.

A summary table arrives from two directions: a grid of cells built from a PDF page
(`grid_to_summary`) or lines of a text dump (`normalize.readers.dump_tables`). Both are turned
into the same `SummaryTable`, and `normalize.readers.summary_records` is the one place
that decides ids, values, places and review flags.
"""
from __future__ import annotations

import re
from functools import lru_cache

from extract.model import Table

from normalize.text.fold import fold_ocr
from normalize.indicators.matcher import match_label
from normalize.places.dating import AS_BEFORE, Dating
from normalize.places.locality import parse_locality
from normalize.places.wrapped import unwrap
from normalize.readers.boxes import cell_box_at
from normalize.readers.head_doubts import merged_head, unsure_number
from normalize.readers.number_heads import mend_numbers, number_like, numbers_row
from normalize.readers.pairs import split_paired_columns
from normalize.readers.summary_parts import (  # noqa: F401  (re-exported: the readers import them from here)
    CLEAR_MARGIN, CLEAR_SCORE, PROVINCE, MIN_MATCH_SCORE, MIN_OCR_CONF, Column, RawCell, RawRow, SummaryTable,
    phase_of, paired_phase, phase_remnant, is_target_header, is_label_header, is_number_header, is_value_like, row_number, indicator_code,
    numbered_unit, spilled_cell, phase_row, place_text, is_scrap, head_word, NUMBER_ONLY)


# ---------------------------------------------------------------- grid tables

def _header_rows(rows, n_cols: int) -> tuple[int, int]:
    """(first, end) row indices of the header; end is the first data row."""
    first_data = None
    for i, row in enumerate(rows):
        if _numbers_indicators(row):
            continue
        if sum(1 for c in row if is_value_like(c.text)) >= 2 or (i and numbered_unit(row)):
            first_data = i
            break
    if first_data is None:
        return 0, 0
    return 0, first_data


def _numbers_indicators(row) -> bool:
    """A header row of indicator numbers ("1 … 16" over a district's columns): bare
    numbers of the catalogue, rising left to right, no percentage among them; a few of
    them damaged by the OCR ("+1", "43") where the others place them (``number_heads``)."""
    # "TT", "Đơn vị" beside them; folded as OCR'd text is: a speck before a number ("—15") dropped
    return numbers_row([c.text for c in row if is_value_like(c.text) or number_like(c.text)])


def _repeated_header(row) -> bool:
    """The header repeated on a table's next page ("TT | Tên xã, phường | 2 | 3 | …"): the head
    of the column of units beside the indicators' numbers, or beside no value; no unit's row."""
    return any(head_word(c.text) for c in row) and (
        _numbers_indicators(row) or not any(is_value_like(c.text) for c in row))


def _is_band(row, n_cols: int) -> bool:
    """A title or section row: one cell spans most of the table."""
    return any(c.colspan >= max(2, n_cols // 2) for c in row)


def _column_headers(rows, end: int, n_cols: int) -> list[list[tuple[int, str]]]:
    """(colspan, text) of the header cells above each column, top down; the title band left out."""
    header: list[list[tuple[int, str]]] = [[] for _ in range(n_cols)]
    # Rows between the row of phases and the first values are section titles
    # ("ĐỐI VỚI CHÍNH QUYỀN"), not the heads of the columns they cross.
    phased = [i for i, row in enumerate(rows[:end]) if any(phase_of(c.text) for c in row)]
    if phased:
        end = phased[-1] + 1
    heads = [i for i, row in enumerate(rows[:end]) if any(head_word(c.text) or is_number_header(c.text) for c in row)]
    for i, row in enumerate(rows[:end]):
        if heads and i < heads[0] and _title_line(row):
            continue  # the table's title above its head, cut into cells by the columns' gaps
        for c in row:
            if c.colspan >= n_cols - 1:
                continue  # the title band
            for k in range(c.col, c.col + c.colspan):
                header[k].append((c.colspan, c.text))
    return header


# The words of a table's title ("BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN … NĂM 2026 (Kèm theo Báo cáo
# số …/BC-UBND …)"), folded: a borderless or horizontally ruled fax took its lines for the
# heads of its columns, and the title's pieces for localities (v0030 of make_variants --n 60
# --seed 81000 --reform all: 154 values under "Phường Tỉnh Thanh Hóa Năm 2026").
_TITLE = re.compile(r"\b(bang tong hop|ket qua thuc hien|kem theo|bao cao so|ubnd|nam 20\d\d)\b")


def _title_line(row) -> bool:
    """A row of the table's title: its words, joined, name what a title names."""
    return bool(_TITLE.search(" ".join(fold_ocr(c.text) for c in row).lower()))


def grid_to_summary(table: Table) -> SummaryTable | None:
    """Read a grid whose columns are localities × phases, or whose rows are localities
    and columns indicators (× phases); None when it is neither."""
    table = split_paired_columns(table)
    rows = table.rows()
    _, end = _header_rows(rows, table.n_cols)
    if end == 0:
        return None
    header = _column_headers(rows, end, table.n_cols)
    down = _by_indicator_rows(table, rows, end, header)
    if down is not None and _rows_name_units(down):
        # Its rows are units ("Văn Nho"), not indicators: the heads it took for places are
        # the title's words. Read across if that reading holds.
        across = _across(table, rows, end, header)
        if across is not None:
            return across
    if down is not None:
        heads = {c.locality_raw for c in down.columns if c.locality_raw}
        places = [h for h in heads if _names_place(h) and not _names_indicator(h)]
        if 2 * len(places) > len(heads):  # most of the heads over the columns are places
            return down
        if 2 * sum(map(_names_indicator, heads)) > len(heads):
            down = None  # indicators over the columns: read across or not at all
    # Phase columns under indicator names look like phase columns under localities.
    return _across(table, rows, end, header) or down


def _rows_name_units(down: SummaryTable) -> bool:
    """Whether most row labels of a reading down are units of the gazetteer, none an indicator."""
    labels = [r.label for r in down.rows]
    units = [t for t in labels if _locality(t).commune_code and _locality(t).score >= 90]
    return len(units) >= max(2, len(labels) // 2 + 1) and not any(map(_names_indicator, units))


def _across(table: Table, rows, end: int, header) -> SummaryTable | None:
    """The table read across, else read again without the rows above its headings: a
    page drawn without rules (a low-resolution scan) lets the title's lines into the grid,
    where their words join the indicators' headers and break the groups of phases."""
    got = _by_locality_rows(table, rows, end, header)
    start = next((i for i, row in enumerate(rows[:end]) if _heads_columns(row)), 0)
    if got is None and 0 < start < end:
        got = _by_locality_rows(table, rows, end, _column_headers(rows[start:], end - start, table.n_cols))
    return got


def _heads_columns(row) -> bool:
    """A header row that names an indicator, a phase, the places or the numbering."""
    return any(c.text.strip() and (phase_of(c.text) or _names_indicator(c.text) or is_label_header(c.text)
                                   or is_number_header(c.text) or _PLACE_HEADER.match(fold_ocr(c.text).strip()))
               for c in row)


def _by_indicator_rows(table: Table, rows, end: int, header) -> SummaryTable | None:
    roles: dict[int, Column] = {}
    label_col = number_col = None
    for k, parts in enumerate(header):
        texts = [t for _, t in parts if t.strip()]
        joined = " ".join(texts)
        phase = next((phase_of(t) for _, t in parts if phase_of(t)), None) or paired_phase(header, k)
        if phase:
            spanning = [t for span, t in parts if span > 1 and not phase_of(t) and t.strip()]
            locality = spanning[-1] if spanning else ""
            if "ket qua" in fold_ocr(locality):
                locality = ""
            roles[k] = Column(phase, locality)
        elif is_label_header(joined):
            label_col = k
        elif is_number_header(joined):
            number_col = k
        elif is_target_header(joined):
            roles[k] = Column("target", "")
    _join_split_localities(roles, header)
    # The list of the model's indicators with their targets, and nothing else beside them
    # (a template's result columns make it a template, read by normalize.readers.templates).
    valued = {c.col for row in rows[end:] for c in row
              if c.col != label_col and row_number(c.text) is None and is_value_like(c.text)}
    targets_only = (label_col is not None and [c.phase for c in roles.values()] == ["target"]
                    and valued <= set(roles))
    if not targets_only and not any(col.locality_raw for col in roles.values()):
        return None  # not a per-locality table, nor the list of indicators with their targets
    if label_col is None:
        label_col = 1 if number_col == 0 else 0
    value_cols = sorted(roles)
    raw_rows = grid_rows(table, rows[end:], label_col=label_col, number_col=number_col, value_cols=value_cols)
    if not raw_rows:
        return None
    return SummaryTable(tuple(roles[k] for k in value_cols), tuple(raw_rows), table.source, table.page_sources)


def _join_split_localities(roles: dict[int, Column], header) -> None:
    """A before / after pair with no header spanning both, each with a piece of the
    locality's name over it ("Hậu Lộc" | "(xã Hải Lộc)": a merged cell whose text the
    scan's white space or a stamp cut in two): both columns get the name joined."""
    def own(k: int) -> str:
        return " ".join(t for span, t in header[k] if span == 1 and t.strip() and not phase_of(t)
                        and not phase_remnant(t))

    for k, col in list(roles.items()):
        after = roles.get(k + 1)
        if (col.phase == "before" and not col.locality_raw and after is not None and after.phase == "after"
                and not after.locality_raw and own(k) and own(k + 1)):
            name = " ".join(f"{own(k)} {own(k + 1)}".split())
            roles[k], roles[k + 1] = Column("before", name), Column("after", name)


_UNIT_WORDS = ("xa ", "phuong ", "thi tran ", "huyen ", "thi xa ", "thanh pho ")
_TARGET_ROW = re.compile(r"^(chi tieu|muc tieu|ke hoach)\b")
_INDICATOR_NUMBER = re.compile(r"^(?:chi tieu|ct|tieu chi)?\s*\(?(\d{1,2})(?!\w)\)?\s*[.:]?\s*")  # not "ct1s" (CT15 misread)


# Indicator names score 100 against the catalogue and locality headers 35-55 ("Quảng
# Xương (xã Quảng Lưu)" 46, "TP Thanh Hóa (P. Điện Biên)" 53): 80 lies well between,
# and keeps an OCR-damaged indicator name on the indicator side.
INDICATOR_HEADER_SCORE = 80.0


@lru_cache(maxsize=256)
def _names_indicator(text: str) -> bool:
    """A header that is an indicator's name (a district table's column), not a place."""
    key = fold_ocr(text).strip()
    if key.startswith(("chi tieu", "ct", "tieu chi")) and NUMBER_ONLY.fullmatch(key):
        return True  # "Chỉ tiêu 4", "CT4" (a bare "4" is a number, read as such elsewhere)
    if indicator_code(text) is not None:
        return True  # "CT4" misread: "cr4", "C T 4"
    m = match_label(text)
    return m is not None and m.score >= INDICATOR_HEADER_SCORE


def _names_place(text: str) -> bool:
    """A cell that names a commune or district: a known one, or any with its unit word."""
    if not text.strip() or is_value_like(text):
        return False
    text = unwrap(text)
    key = fold_ocr(text).strip() + " "
    return key.startswith(_UNIT_WORDS) or bool(_locality(text).district)


def _by_locality_rows(table: Table, rows, end: int, header) -> SummaryTable | None:
    """The same summary read across: a row per locality, a column (or a group of phase
    columns) per indicator, maybe a row of targets. It becomes the usual SummaryTable,
    each indicator column a row, each locality × phase a column."""
    kept = [i for i, row in enumerate(rows[end:], start=end)
            if not _is_band(row, table.n_cols) and not phase_row(row) and not _repeated_header(row)]
    data, at = [{c.col: c for c in rows[i]} for i in kept], kept  # each data row and its index
    if len(data) < 2:
        return None
    named = {k: sum(1 for r in data if k in r and _names_place(place_text(r[k].text))) for k in range(table.n_cols)}
    place_col = max(named, key=lambda k: (named[k], -k))
    if named[place_col] < max(2, len(data) // 2):
        place_col = _headed_place_col(header, data)
        if place_col is None:
            return None
    empty = {k for k in range(table.n_cols) if not any(k in r and r[k].text.strip() for r in data)}
    groups = _indicator_groups(header, place_col, empty)
    phases = {tuple(p for _, p in cols) for _, cols in groups}
    if len(groups) < 3 or len(phases) != 1:
        return None  # too few indicators to be sure, or groups of different shapes
    (group_phases,) = phases
    columns: list[Column] = []
    picks: list[tuple[dict, int | None, int]] = []  # (data row, position in the group (None: any), row) per column
    for r, row_at in zip(data, at):
        label = place_text(r[place_col].text) if place_col in r else ""  # "Xã Thượn" / "g Ninh": one name
        if _TARGET_ROW.match(fold_ocr(label)):
            columns.append(Column("target", ""))
            picks.append((r, None, row_at))  # one target over the group's phases: where its text landed
        elif _names_place(label) or _bare_name(label):
            for i, phase in enumerate(group_phases):
                columns.append(Column(phase, label, in_rows=True))
                picks.append((r, i, row_at))
    out = []
    names = [name for name, _ in groups]
    mended = mend_numbers(names) if numbers_row(names) else [(None, "")] * len(groups)
    for (name, cols), (fixed, why) in zip(groups, mended):  # why: a damaged number mended
        cells = []
        for r, i, row_at in picks:
            if i is None:  # a borderless table centres it between the phases: it falls in either
                cell = next((r[k] for k, _ in cols if k in r and r[k].text.strip()), r.get(cols[0][0]))
            else:
                cell = r.get(cols[i][0]) or spilled_cell(table, row_at, cols[i][0], end)
            cells.append(RawCell(cell.text, cell.page_no or None, cell.conf, cell.bbox) if cell
                         else RawCell("", None, None, _empty_box(table, r, row_at, cols[i or 0][0])))
        m = _INDICATOR_NUMBER.match(fold_ocr(name))
        number = fixed if why else int(m.group(1)) if m and m.group(1) else indicator_code(name)
        page = next((c.page for c in cells if c.page), None)
        if any(c.text.strip() for c in cells):
            doubt = why or merged_head(header, cols) or unsure_number(rows[:end], cols, number, name)
            out.append(RawRow(number, name, str(number) if why else name, tuple(cells), page, doubt))
    if not out or not any(col.locality_raw for col in columns):
        return None
    return SummaryTable(tuple(columns), tuple(out), table.source, table.page_sources)


def _empty_box(table: Table, row: dict, row_at: int, col: int):
    """The box of a value cell a row of localities lacks, on the page of the row's cells."""
    page_no = next(iter(row.values())).page_no if row else table.page_span[0]
    return cell_box_at(table, row_at, col, page_no)


# "TT Đơn vị": a borderless scan whose column of numbers is empty (its rows unnumbered) joins
# the number's header to the places' (v0014 of make_variants --n 30 --seed 40000 --kinds scan).
_PLACE_HEADER = re.compile(r"^(s?tt )?(ten )?(don vi|dia phuong|dia ban|xa|xa, phuong, thi tran|xa, thi tran)$")


def _bare_name(label: str) -> bool:
    """A row label in the column of places that is a name with no unit word ("Quang
    Trung", which several districts have): a place, resolved with the document's
    district or flagged. A figure or a sentence is not."""
    return bool(label) and not is_value_like(label) and len(label.split()) <= 5 and not any(ch.isdigit() for ch in label)


def _headed_place_col(header, data: list[dict]) -> int | None:
    """The column headed "Đơn vị" (or "Địa phương", "Xã") whose cells are mostly names,
    when the names carry no unit word for ``_names_place`` to see."""
    for k, parts in enumerate(header):
        joined = " ".join(fold_ocr(t).strip() for _, t in parts if t.strip())
        if _PLACE_HEADER.match(" ".join(joined.split())):
            if sum(1 for r in data if k in r and _bare_name(unwrap(r[k].text))) >= max(2, len(data) // 2):
                return k
    return None


def _indicator_groups(header, place_col: int, empty: set[int] = frozenset()) -> list[tuple[str, list[tuple[int, str]]]]:
    """(indicator header, its (column, phase)s), left to right.

    A "before" column opens a group and the "after" next to it joins it, whichever of
    the two carries the indicator's header: a header centred over the pair lands on
    either column when the table has no lines to span it. A column with no value
    below (a header's word the white space cut off) gives its words to the group
    before it."""
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for k, parts in enumerate(header):
        joined = " ".join(t for _, t in parts if t.strip())
        own = " ".join(t for span, t in parts if span == 1 and t.strip())
        if k in empty and groups and own and not phase_of(own):
            groups[-1] = (" ".join(f"{groups[-1][0]} {own}".split()), groups[-1][1])
            continue
        if k == place_col or not joined or is_number_header(joined) or is_label_header(joined) or k in empty:
            continue
        phase = next((phase_of(t) for _, t in parts if phase_of(t)), None)
        inferred = phase is None and (phase := paired_phase(header, k)) is not None
        # An inferred phase's own header is what is left of the phase ("thí / điểm"), no name.
        name = " ".join(" ".join(t for span, t in parts if t.strip() and not phase_of(t)
                                 and not (inferred and span == 1)).split())
        last = groups[-1] if groups else None
        # an "after" beside a lone "before" is its pair when its own header is its pair's, or
        # a scrap that names nothing (what a ruling read as text leaves there: '"san', "TA")
        scrap = [bool(t) and is_scrap(t) and not _names_indicator(t) for t in (name, last[0] if last else "")]
        if (phase == "after" and last and [p for _, p in last[1]] == ["before"]
                and (not name or not last[0] or name in last[0] or last[0] in name or any(scrap))):
            groups[-1] = (name if scrap[1] and name and not scrap[0] else last[0] or name, last[1] + [(k, phase)])
        else:
            groups.append((name if phase else name or " ".join(joined.split()), [(k, phase or "reported")]))
    out: list[tuple[str, list[tuple[int, str]]]] = []
    for name, cols in groups:
        if _left_of(cols, place_col):
            continue  # left of the places ("TT" read as "[T"): no indicator's column
        same = next((c for n, c in out if n == name and not {p for _, p in c} & {p for _, p in cols}), None)
        if same is not None:
            same.extend(cols)  # one indicator's phases apart
        else:
            out.append((name, cols))  # a header read twice alike ("CT15" for "CT13"): two groups, flagged
    return out


def _left_of(cols: list[tuple[int, str]], place_col: int) -> bool:
    return all(k < place_col for k, _ in cols)


def grid_rows(table: Table, rows, *, label_col: int, number_col: int | None, value_cols: list[int],
              keep_blank: bool = False) -> list[RawRow]:
    """The indicator rows of a grid below its header: label, number and value cells.

    Bands (title, "II ĐỐI VỚI NGƯỜI DÂN …") are skipped; a row with no value is kept
    only with `keep_blank` and a printed number (a template nobody filled in)."""
    out = []
    for row in rows:
        by_col = {c.col: c for c in row}
        label_cell = by_col.get(label_col)
        if label_cell is None or _is_band(row, table.n_cols):
            continue
        page = label_cell.page_no or None
        cells = tuple(
            RawCell(by_col[k].text, by_col[k].page_no or None, by_col[k].conf, by_col[k].bbox) if k in by_col
            else RawCell("", page, None, cell_box_at(table, label_cell.row, k, label_cell.page_no))
            for k in value_cols
        )
        number = row_number(by_col[number_col].text) if number_col is not None and number_col in by_col else None
        label = " ".join(label_cell.text.split())
        blank = not any(c.text.strip() for c in cells)
        if not label or (blank and not (keep_blank and number is not None)):
            continue
        out.append(RawRow(number, label, label, cells, page))
    return out


# ---------------------------------------------------------------- records

@lru_cache(maxsize=256)
def _locality(raw: str, district: str = "", when: Dating = AS_BEFORE):
    return parse_locality(raw, district=district, when=when)
