"""A summary table's cells → records: the one place that decides ids, values, places
and review flags (``normalize.readers.summary`` reads the tables)."""
from __future__ import annotations

import logging
import re

from normalize.indicators.catalogue import load_catalogue
from normalize.indicators.matcher import match_rows
from normalize.places.dating import Dating
from normalize.places.locality import parse_locality
from normalize.readers.summary import CLEAR_MARGIN, CLEAR_SCORE, MIN_MATCH_SCORE, MIN_OCR_CONF, NUMBER_ONLY, PROVINCE, SummaryTable, _locality
from normalize.readers.summary_parts import indicator_code
from normalize.readers.summary_rows import row_locality
from normalize.record import Record
from normalize.text.fold import fold_ocr, nfc
from normalize.text.values import parse_value

log = logging.getLogger(__name__)


def _target_note(indicator_id: int, year: int | None, parsed) -> str:
    if year is None:
        return ""
    expected = load_catalogue().target(indicator_id, year)
    if not expected:
        return ""
    want = parse_value(expected)
    if want.value is not None and parsed.value is not None and (
        abs(want.value - parsed.value) > 1e-6 or want.qualifier != parsed.qualifier
    ):
        return f"target differs from the catalogue's {year} target ({expected})"
    return ""


def _by_number(row, match) -> bool:
    """A row (or column) headed by nothing but its indicator's number, which the match took."""
    return row.number == match.indicator_id and bool(NUMBER_ONLY.fullmatch(fold_ocr(row.label).strip()))


def _by_damaged_code(row, match) -> bool:
    """A row (or column) headed by an indicator's code as OCR damaged it ("cr2", "c?5"),
    whose number the match took: the number is a reading of damaged glyphs (a fax's
    "CT8" read "c?5"), so its values are flagged."""
    return row.number == match.indicator_id and indicator_code(row.label) == row.number


def _numbered_by_id(rows, matches) -> bool:
    """Whether the table numbers its rows by indicator id ("TT" 1 … 16), so that a row
    whose number is missing or another is a row whose cells may have come apart."""
    pairs = [(r.number, m.indicator_id) for r, m in zip(rows, matches) if m is not None]
    agree = sum(n == i for n, i in pairs)
    return len(pairs) >= 3 and agree >= 0.7 * len(pairs)


def _repeated_phases(columns) -> dict[int, str]:
    """Notes for the columns whose locality has another column of the same phase.

    A locality's columns alternate before / after; two "before" under one locality is a
    phase header read wrong (or placed under the wrong locality), and a value under it
    could be either phase, even when it equals the other column's."""
    seen: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(columns):
        if c.locality_raw and c.phase in ("before", "after"):
            seen.setdefault((" ".join(c.locality_raw.split()), c.phase), []).append(i)
    return {i: f"{len(cols)} '{phase}' columns under {place!r}: a phase header read wrong?"
            for (place, phase), cols in seen.items() if len(cols) > 1 for i in cols}


def _percent_table(table: SummaryTable) -> bool:
    """Whether the table writes its values as percentages: nine in ten of its cells
    with a number carry a "%" (of at least eight), so that one without it was misread."""
    numbers = [c.text for r in table.rows for c in r.cells if any(ch.isdigit() for ch in c.text)]
    return len(numbers) >= 8 and sum("%" in t for t in numbers) >= 0.9 * len(numbers)


_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%")


def _run_together(table: SummaryTable) -> list[tuple[int | None, float, float]]:
    """(page, top, bottom) of the source rows that hold a cell with two percentages or
    more: two rows of a borderless table set too close to part ("4%\n4%", "36,5%\n100%").
    A cell of such a row holding one value may hold the other row's (8 pt lines at 150
    dpi, v0015 of make_variants --n 24 --seed 7100 --kinds lowres: indicator 7's "99,5%"
    taken for indicator 6's, unflagged, beside six cells of two values)."""
    return [(c.page or r.page, c.bbox[1], c.bbox[3]) for r in table.rows for c in r.cells
            if c.bbox is not None and len(_PERCENT.findall(c.text)) >= 2]


def _in_run_together(cell, page: int | None, bands) -> bool:
    if cell.bbox is None:
        return False
    top, bottom = cell.bbox[1], cell.bbox[3]
    return any(p == page and min(bottom, b) - max(top, t) > 0.5 * min(bottom - top, b - t) for p, t, b in bands)


def summary_to_records(table: SummaryTable, *, source_file: str, year: int | None,
                       district: str = "", when: Dating | None = None) -> list[Record]:
    """``district``: the code of the district the document is about, if it says (see
    ``meta.detect_district``); ``when``: the document's dating, which generation of units
    its localities mean (default: its ``year`` alone)."""
    when = when or Dating(year)
    catalogue = load_catalogue()
    repeated = _repeated_phases(table.columns)
    percent = _percent_table(table)
    matches = match_rows([(r.number, r.match_text) for r in table.rows], catalogue=catalogue)
    records: list[Record] = []
    numbered = _numbered_by_id(table.rows, matches)
    heads = [m.indicator_id for m in matches if m is not None]
    numbers = [r.number for r in table.rows if r.number is not None]
    merged = _run_together(table)
    for row, match in zip(table.rows, matches):
        if match is None:
            log.warning("%s: row %r matches no indicator", source_file, row.label[:60])
            continue
        row_notes = [row.note] if row.note else []
        twice = max(heads.count(match.indicator_id), numbers.count(row.number) if row.number is not None else 0)
        if twice > 1:  # which of them is the indicator is not for us to guess
            row_notes.append(f"indicator {match.indicator_id} heads {twice} rows (or column groups) "
                             f"of this table: a header read wrong?")
        if numbered and row.number != match.indicator_id:
            printed = "no number" if row.number is None else f"number {row.number}"
            row_notes.append(f"the row has {printed} where its rows are numbered by indicator, and its label is "
                             f"indicator {match.indicator_id}'s: a row may have slid into another")
        if _by_number(row, match):
            pass  # "3", "CT3", "Chỉ tiêu 3": the header names its indicator by number, nothing to match
        elif _by_damaged_code(row, match):
            row_notes.append(f"indicator {row.number} read from a damaged code {row.label!r}: its digits may be "
                             f"misread")
        elif match.score < MIN_MATCH_SCORE or getattr(match, "by_position", False):
            row_notes.append(f"label read poorly, matched by its place in the table (score {match.score:.0f})")
        elif match.score < CLEAR_SCORE and match.margin < CLEAR_MARGIN:
            row_notes.append(f"label {row.label!r} fits indicators {match.indicator_id} and {match.runner_up_id} "
                             f"alike ({match.score:.0f}/{match.runner_up_score:.0f}): part of it may be missing")
        for i, (column, cell) in enumerate(zip(table.columns, row.cells)):
            notes = row_notes + [repeated[i]] if i in repeated else row_notes
            if merged and _in_run_together(cell, cell.page or row.page, merged):
                notes = notes + ["a cell of its row holds two values: rows run together, this one may be another "
                                 "row's"]
            records.append(_cell_record(table, row, match, column, cell, notes, catalogue,
                                        source_file=source_file, year=year, district_hint=district,
                                        percent_table=percent, when=when))
    return records


def _unit_of(column, hint: str, when: Dating, ocr: bool = False) -> tuple[tuple[str, ...], list[str]]:
    """(district, commune, their codes, successor, its code, generation) of a column's
    locality, and the doubts about it ([] when none); ``ocr``: its header was read from an image."""
    if not column.locality_raw:
        return ("",) * 7, []
    if column.in_rows:  # a row of a table of communes: a total row, a bare district's name
        loc, row_note = row_locality(column.locality_raw, hint, when, ocr)
    else:
        loc, row_note = _locality(column.locality_raw, hint, when), ""
    if ocr and loc.commune and not loc.commune_code:  # a commune's name the OCR garbled: read again as such
        loc = parse_locality(column.locality_raw, district=hint, when=when, ocr=True)
    notes = [row_note] if row_note else []
    if loc.needs_review:
        notes.append(loc.note)
    return (loc.district, loc.commune, loc.district_code or "", loc.commune_code or "", loc.successor_commune,
            loc.successor_code, loc.unit_generation), notes


def _cell_record(table: SummaryTable, row, match, column, cell, row_notes: list[str], catalogue, *,
                 source_file: str, year: int | None, district_hint: str = "",
                 percent_table: bool = False, when: Dating | None = None) -> Record:
    """The record of one value cell, with every doubt about it in its note."""
    source = table.source_of(cell.page or row.page)
    parsed = parse_value(cell.text)
    notes = list(row_notes)
    review = bool(row_notes)
    unit, unit_notes = _unit_of(column, district_hint, when or Dating(year), source == "ocr")
    district, commune, district_code, commune_code, successor, successor_code, generation = unit
    if unit_notes:
        review = True
        notes.extend(unit_notes)
    if column.note:
        review = True
        notes.append(column.note)
    if column.phase != "target" and not column.locality_raw and any(c.locality_raw for c in table.columns):
        review = True
        notes.append("no unit: the locality over this column was not read")
    if parsed.status == "unreadable":
        review = True
        notes.append(f"cell unreadable: {cell.text!r}" if cell.text.strip() else "cell empty")
        if column.phase == "target":
            expected = catalogue.target(match.indicator_id, year) if year else None
            if expected:
                notes.append(f"catalogue target for {year}: {expected}")
    if parsed.repaired or parsed.doubtful:
        review = True
    if parsed.note:
        notes.append(parsed.note)
    if column.phase == "target" and parsed.value is not None:
        diff = _target_note(match.indicator_id, year, parsed)
        if diff:
            review = True
            notes.append(diff)
    if parsed.value is not None and not 0 <= parsed.value <= 100:
        review = True
        notes.append("percentage outside 0-100")
    if percent_table and source == "ocr" and parsed.value is not None and "%" not in cell.text:
        # OCR read the "%" as a digit or lost it ("94.9%" → "94.99", "100%" → "10"):
        # 2 of the 5 silent misreads of the scanned variants of bench_fidelity --n 300 --seed 1
        review = True
        notes.append("no % sign where the table's values have one: misread?")
    if cell.conf is not None and source == "ocr" and cell.conf < MIN_OCR_CONF:
        review = True
        notes.append(f"low OCR confidence ({cell.conf:.0f})")
    return Record(
        source_file=source_file, page=cell.page or row.page, province=PROVINCE, district=district, commune=commune,
        district_code=district_code, commune_code=commune_code, year=year, indicator_id=match.indicator_id,
        indicator_name=match.name, phase=column.phase, value=parsed.value, qualifier=parsed.qualifier,
        status=parsed.status, value_raw=nfc(cell.text.replace("\n", " ")), label_raw=nfc(row.label),
        match_score=round(match.score, 1),
        ocr_conf=None if cell.conf is None or source == "text" else round(cell.conf, 1),
        needs_review=review, note="; ".join(dict.fromkeys(n for n in notes if n)), source=source,
        successor_commune=successor, successor_code=successor_code, bbox=cell.bbox, unit_generation=generation,
    )
