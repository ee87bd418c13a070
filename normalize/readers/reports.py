"""Reports and templates as a whole: the unit that reports, its template tables, its
prose figures, and which of them are indicator values.

A document whose indicators come in a table (a summary table, a filled or blank
template) has its numbers there; its prose repeats or summarises them, so its prose
figures go to `other_figures.csv`, not beside the table's values. A prose report with
no such table gives one `reported` value per indicator item.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields, replace
from typing import Iterable, Sequence

from normalize.indicators.catalogue import load_catalogue
from normalize.places.dating import Dating
from normalize.places.unit import detect_unit
from normalize.text.fold import nfc
from normalize.places.locality import Locality
from extract.model import Line
from normalize.readers.prose import classify, lines_to_statements, statement_to_figures
from normalize.record import Record
from normalize.readers.summary import MIN_OCR_CONF, PROVINCE, SummaryTable
from normalize.readers.summary_records import summary_to_records

log = logging.getLogger(__name__)

NO_UNIT = "the document names no reporting unit that resolves"
# a prose figure of an indicator the document's tables give (given_by_tables)
TABLE_FIRST = "the document gives its indicators in a table"


@dataclass(frozen=True)
class OtherFigure:
    """A percentage stated in prose that is not (or not taken as) an indicator value."""

    source_file: str
    page: int | None
    province: str
    district: str
    commune: str
    district_code: str
    commune_code: str
    year: int | None
    value: float | None
    qualifier: str
    value_raw: str
    sentence: str
    nearest_indicator_id: int | None
    nearest_score: float
    reason: str
    source: str = ""

    def as_row(self) -> dict:
        return asdict(self)


OTHER_COLUMNS = tuple(f.name for f in fields(OtherFigure))


def _place(unit: Locality | None) -> dict:
    if unit is None:
        return dict(district="", commune="", district_code="", commune_code="")
    return dict(district=unit.district, commune=unit.commune, district_code=unit.district_code,
                commune_code=unit.commune_code)


def _generation(unit: Locality | None) -> str:
    return unit.unit_generation if unit is not None else ""


def _unit_notes(unit: Locality | None) -> tuple[bool, list[str]]:
    if unit is None:
        return True, [NO_UNIT]
    if unit.needs_review:
        return True, [f"reporting unit: {unit.note}"]
    return False, []


def template_records(table: SummaryTable, unit: Locality | None, *, source_file: str, year: int | None) -> list[Record]:
    """A template's rows as records of the document's unit."""
    review, notes = _unit_notes(unit)
    out = []
    for r in summary_to_records(table, source_file=source_file, year=year):
        extra = notes if r.phase != "target" else []  # a target needs no unit to be right
        note = "; ".join(n for n in (r.note, *extra) if n)
        out.append(replace(r, **_place(unit), unit_generation=_generation(unit),
                           needs_review=r.needs_review or (review and r.phase != "target"), note=note))
    return out


def prose_figures(lines: Sequence[Line], unit: Locality | None, *, source_file: str, year: int | None,
                  source: str, table_ids: frozenset[int],
                  notional: bool = False) -> tuple[list[Record], list[OtherFigure]]:
    """``notional``: the lines are a notional page's, whose boxes place each character."""
    catalogue = load_catalogue()
    records: list[Record] = []
    others: list[OtherFigure] = []
    seen: dict[int, Record] = {}
    for st in lines_to_statements(lines, exact=notional):
        for fig in statement_to_figures(st):
            verdict = classify(fig, catalogue=catalogue)
            reason = verdict.reason or (TABLE_FIRST if verdict.indicator_id in table_ids else "")
            if reason:
                others.append(OtherFigure(
                    source_file, fig.page, PROVINCE, **_place(unit), year=year, value=fig.parsed.value,
                    qualifier=fig.parsed.qualifier, value_raw=fig.value_raw, sentence=nfc(fig.sentence),
                    nearest_indicator_id=verdict.indicator_id if verdict.indicator_id else verdict.runner_up_id,
                    nearest_score=round(verdict.score, 1), reason=reason, source=source))
                continue
            review, notes = _unit_notes(unit)
            parsed = fig.parsed
            if fig.formula is not None and fig.formula.verdict != "ok":
                review = True
                notes.append(fig.formula.note)
            if parsed.repaired or parsed.doubtful:
                review = True
            if parsed.note:
                notes.append(parsed.note)
            if parsed.value is not None and not 0 <= parsed.value <= 100:
                review = True
                notes.append("percentage outside 0-100")
            if source == "ocr" and fig.conf is not None and fig.conf < MIN_OCR_CONF:
                review = True
                notes.append(f"low OCR confidence ({fig.conf:.0f})")
            if verdict.indicator_id in seen:
                review = True
                notes.append(f"indicator {verdict.indicator_id} stated more than once in the document")
            record = Record(
                source_file=source_file, page=fig.page, province=PROVINCE, **_place(unit), year=year,
                indicator_id=verdict.indicator_id, indicator_name=catalogue.get(verdict.indicator_id).name,
                phase="reported", value=parsed.value, qualifier=parsed.qualifier, status=parsed.status,
                value_raw=fig.value_raw, label_raw=nfc(fig.label), match_score=round(verdict.score, 1),
                ocr_conf=None if source != "ocr" or fig.conf is None else round(fig.conf, 1),
                needs_review=review, note="; ".join(dict.fromkeys(n for n in notes if n)), source=source,
                bbox=fig.bbox, unit_generation=_generation(unit))
            seen.setdefault(verdict.indicator_id, record)
            records.append(record)
    return records, others


def given_by_tables(records: Sequence[Record]) -> frozenset[int]:
    """The indicators a document's tables give: its prose only repeats (or lists the targets
    of) those. Even a row in doubt counts: an OCR'd deck's rows are often flagged, and its
    prose list of the indicators with their targets is no statement of results."""
    return frozenset(r.indicator_id for r in records if r.phase != "target")


def report_records(lines: Sequence[Line], templates: Sequence[SummaryTable], *, source_file: str,
                   year: int | None, source: str, table_ids: Iterable[int],
                   notional: bool = False, when: Dating | None = None) -> tuple[list[Record], list[OtherFigure]]:
    """Records of a document's templates and prose, and its other figures; ``table_ids``: the
    indicators the document's summary tables give, which its prose only repeats; ``notional``:
    the document's pages are notional (``extract.layout.notional``); ``when``: the document's
    dating (default: its ``year`` alone)."""
    unit = detect_unit([line.text for line in lines], garbled=False if source == "text" else None,
                       when=when or Dating(year))
    records: list[Record] = []
    for table in templates:
        records.extend(template_records(table, unit, source_file=source_file, year=year))
    given = frozenset(table_ids) | given_by_tables(records)
    prose, others = prose_figures(lines, unit, source_file=source_file, year=year, source=source,
                                  table_ids=given, notional=notional)
    return records + prose, others
