"""Validation of every record, each rule a reason code in the ``checks`` column, and
whether the value meets its target (``met_target``).

Rules (codes, ";"-separated in ``checks``):
- ``percent_out_of_range``: a value outside 0-100;
- ``regression``: an ``after`` value below the ``before`` value of the same unit,
  indicator and year in the same input (reported, not an error: it may be true);
- ``stated_twice``: the same input gives another value for the unit, indicator, year and phase;
- ``conflict``: another input gives another value for them (consolidated.csv names both);
- ``year_missing``: the reporting year is not known (the document does not say; ``--year``).

``met_target``: ``true``/``false`` for a before, after or reported value against the
target its document gives for the indicator (else the catalogue's for its year), read with
its qualifier: a target "80% trở lên" (``>=`` 80) is met by 80 and above; a target without
a qualifier is a floor too (the decision's targets are all minimums). A word cell that says
there is none ("Chưa có", "Không", "Chưa thực hiện") does not meet it; one that cannot say
("Lãnh đạo", unreadable) and a value with no target known are left empty.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from normalize.indicators.catalogue import load_catalogue
from normalize.record import Record
from normalize.text.values import parse_value

NO_VALUE_STATUSES = ("not_available", "none", "not_implemented")
_EPS = 1e-9


def unit_key(r: Record) -> tuple[str, str, str]:
    """A unit by its generation and codes where resolved (the July 2025 reform gave some old
    codes to new units), else by its names as written."""
    return (r.unit_generation, r.district_code or r.district, r.commune_code or r.commune)


def value_key(r: Record) -> tuple:
    """What two records must share to say the same thing: the number (to a hundredth) or the word."""
    return (None if r.value is None else round(r.value, 2), r.status if r.value is None else "ok")


def targets_of(records: Sequence[Record]) -> dict[tuple, list[Record]]:
    """The targets each input gives, by (source_file, year, indicator); a target its reader
    doubted (read "0%" for "90%") is no measure: the catalogue's is used instead."""
    from normalize.outputs.reasons import doubted

    out: dict[tuple, list[Record]] = defaultdict(list)
    for r in records:
        if r.phase == "target" and r.value is not None and not doubted(r):
            out[(r.source_file, r.year, r.indicator_id)].append(r)
    return out


def target_value(r: Record, targets: dict[tuple, list[Record]]) -> float | None:
    """The target ``r`` is judged against: its input's for its year (one on its own page
    first), else the catalogue's."""
    found = targets.get((r.source_file, r.year, r.indicator_id))
    if found:
        return min(found, key=lambda t: t.page != r.page).value
    if r.year is None:
        return None
    raw = load_catalogue().target(r.indicator_id, r.year)
    return parse_value(raw).value if raw else None


def met_target(r: Record, target: float | None) -> str:
    if r.phase == "target" or target is None:
        return ""
    if r.value is None:
        return "false" if r.status in NO_VALUE_STATUSES else ""
    return "true" if r.value + _EPS >= target else "false"


def record_checks(records: Sequence[Record]) -> list[tuple[str, str]]:
    """(checks, met_target) of each record, in order."""
    targets = targets_of(records)
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for k, r in enumerate(records):
        if r.phase != "target" and (r.commune or r.district):
            by_key[(unit_key(r), r.year, r.indicator_id, r.phase)].append(k)
    before: dict[tuple, list[float]] = defaultdict(list)
    for r in records:
        if r.phase == "before" and r.value is not None:
            before[(r.source_file, unit_key(r), r.year, r.indicator_id)].append(r.value)
    out = []
    for k, r in enumerate(records):
        codes = []
        if r.value is not None and not 0 <= r.value <= 100:
            codes.append("percent_out_of_range")
        if r.phase == "after" and r.value is not None:
            earlier = before.get((r.source_file, unit_key(r), r.year, r.indicator_id), [])
            if earlier and r.value + _EPS < max(earlier):
                codes.append("regression")
        peers = [records[j] for j in by_key.get((unit_key(r), r.year, r.indicator_id, r.phase), []) if j != k]
        differ = [p for p in peers if value_key(p) != value_key(r) and "unreadable" not in (p.status, r.status)]
        if any(p.source_file == r.source_file for p in differ):
            codes.append("stated_twice")
        if any(p.source_file != r.source_file for p in differ):
            codes.append("conflict")
        if r.year is None:
            codes.append("year_missing")
        out.append((";".join(codes), met_target(r, target_value(r, targets))))
    return out
