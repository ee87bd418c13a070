"""The consolidated dataset (one row per unit × indicator × year × phase, across every
input) and the completeness of what was found against what is expected.

A value is chosen among its sources, never averaged: the one most sources give, counting
first the sources no doubt hangs over, then all of them, then a text layer before an OCR'd
page, then input order. When sources disagree the row is a ``conflict``: flagged, with every
source and its value in ``sources``, and review.csv asks a human to choose. Targets are
not consolidated (they are the documents' own, listed in indicators.csv).
"""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from dataclasses import dataclass
from typing import Sequence

from normalize.outputs.checks import unit_key, value_key
from normalize.outputs.reasons import doubted
from normalize.outputs.table import Table
from normalize.record import Record

CONSOLIDATED_COLUMNS = (
    "province", "district", "commune", "district_code", "commune_code", "unit_generation", "year", "indicator_id",
    "indicator_name", "phase", "value", "qualifier", "status", "met_target", "checks", "needs_review", "conflict", "sources_n",
    "sources", "decided_by",
)
COMPLETENESS_COLUMNS = ("district", "commune", "commune_code", "unit_generation", "year", "phase", "expected",
                        "found", "missing_n", "missing")
INDICATORS = tuple(range(1, 17))


@dataclass(frozen=True)
class Consolidated:
    """One unit × indicator × year × phase: the record chosen and all that gave it."""

    key: tuple
    chosen: Record
    records: tuple[Record, ...]  # every source's record, in input order
    conflict: bool


def _where(r: Record) -> str:
    return f"{r.source_file} p.{r.page}" if r.page is not None else r.source_file


def shown(r: Record) -> str:
    """A record's value as a reader says it: the number (with its qualifier) or the status word."""
    from normalize.outputs.datasets import format_value

    if r.value is None:
        return r.status
    return f"{r.qualifier}{format_value(r.value)}" if r.qualifier in (">=", "~") else format_value(r.value)


def source_list(records: Sequence[Record], sep: str = "; ") -> str:
    """Each record's input, page and value; a corrected value says what was read."""
    return sep.join(f"{_where(r)} = {shown(r)}" + (f" (corrected; read {r.value_raw!r})" if _corrected(r) else "")
                    for r in records)


def _corrected(r: Record) -> bool:
    return bool(r.decided_by) and "corrected from " in r.note


def consolidate(records: Sequence[Record]) -> list[Consolidated]:
    """The groups of records that report the same unit × indicator × year × phase; records
    with no unit at all are left out (errors.csv names their documents)."""
    groups: dict[tuple, list[Record]] = defaultdict(list)
    for r in records:
        if r.phase != "target" and (r.commune or r.district):
            groups[(unit_key(r), r.year, r.indicator_id, r.phase)].append(r)
    out = []
    for key, rs in groups.items():
        out.append(Consolidated(key, _choose(rs), tuple(rs), disagree(rs)))
    return sorted(out, key=lambda c: (c.chosen.district, c.chosen.commune, str(c.chosen.year), c.chosen.indicator_id,
                                      ("before", "after", "reported").index(c.chosen.phase)))


def disagree(rs: Sequence[Record]) -> bool:
    """Whether two inputs give different values. An unreadable cell says nothing, so it
    disagrees with no one; one input's two values are its own question (stated_twice)."""
    said = [(value_key(r), r.source_file) for r in rs if r.status != "unreadable"]
    return any(v1 != v2 and f1 != f2 for (v1, f1), (v2, f2) in combinations(said, 2))


def _choose(rs: Sequence[Record]) -> Record:
    decided = [r for r in rs if r.decided_by]
    if decided:  # a human chose: that is the value
        return decided[0]
    votes: dict[tuple, list[int]] = defaultdict(list)
    readable = [k for k, r in enumerate(rs) if r.status != "unreadable"] or list(range(len(rs)))
    for k in readable:
        votes[value_key(rs[k])].append(k)

    def rank(item):
        _, ks = item
        sure = sum(not doubted(rs[k]) for k in ks)
        text = any(rs[k].source == "text" for k in ks)
        return (-sure, -len(ks), not text, ks[0])

    _, ks = min(votes.items(), key=rank)
    return min((rs[k] for k in ks), key=lambda r: (doubted(r), r.value is None and r.status == "unreadable"))


def consolidated_frame(groups: Sequence[Consolidated], checks: dict[int, tuple[str, str]],
                       asked: frozenset = frozenset()) -> Table:
    """``checks``: id(record) → (checks, met_target) of the tidy output; ``asked``: the keys
    of the groups whose conflict is an open question. A row is to review when a question is
    open on it: its conflict, or one about the value chosen."""
    from normalize.outputs.datasets import format_value

    rows = []
    for g in groups:
        r = g.chosen
        codes = []
        for x in g.records:
            codes.extend(c for c in checks.get(id(x), ("", ""))[0].split(";") if c)
        if g.conflict:
            codes.append("conflict")
        codes = list(dict.fromkeys(codes))
        rows.append({
            "province": r.province, "district": r.district, "commune": r.commune,
            "district_code": r.district_code, "commune_code": r.commune_code, "unit_generation": r.unit_generation,
            "year": "" if r.year is None else str(r.year), "indicator_id": str(r.indicator_id),
            "indicator_name": r.indicator_name, "phase": r.phase, "value": format_value(r.value),
            "qualifier": r.qualifier, "status": r.status, "met_target": checks.get(id(r), ("", ""))[1],
            "checks": ";".join(codes),
            "needs_review": "true" if g.key in asked or r.needs_review else "false",
            "conflict": "true" if g.conflict else "false", "sources_n": str(len(g.records)),
            "sources": source_list(g.records), "decided_by": r.decided_by,
        })
    return Table.of(rows, CONSOLIDATED_COLUMNS)


def completeness_frame(groups: Sequence[Consolidated]) -> Table:
    """Per unit, year and phase its documents use: the 16 indicators expected, those found
    (with a value or a status word; an unreadable cell is not found), the missing listed."""
    found: dict[tuple, set[int]] = defaultdict(set)
    names: dict[tuple, Record] = {}
    for g in groups:
        r = g.chosen
        key = (unit_key(r), r.year, r.phase)
        names.setdefault(key, r)
        if any(x.status != "unreadable" for x in g.records):
            found[key].add(r.indicator_id)
        else:
            found.setdefault(key, set())
    rows = []
    for key in sorted(names, key=lambda k: (names[k].district, names[k].commune, str(k[1]),
                                            ("before", "after", "reported").index(k[2]))):
        r, have = names[key], found[key]
        missing = [i for i in INDICATORS if i not in have]
        rows.append({"district": r.district, "commune": r.commune, "commune_code": r.commune_code,
                     "unit_generation": r.unit_generation, "year": "" if r.year is None else str(r.year),
                     "phase": r.phase, "expected": str(len(INDICATORS)),
                     "found": str(len(have)), "missing_n": str(len(missing)),
                     "missing": ", ".join(str(i) for i in missing)})
    return Table.of(rows, COMPLETENESS_COLUMNS)


def gaps_summary(completeness: Table, records: Sequence[Record]) -> list[str]:
    """Lines for the run's summary on stderr: units with indicators missing, values without a year."""
    lines = []
    short = [r for r in completeness.records() if r["missing_n"] != "0"]
    if short:
        units = sorted({(r["district"], r["commune"]) for r in short})
        named = ", ".join(c or f"{d} (district level)" for d, c in units[:6]) + (" …" if len(units) > 6 else "")
        lines.append(f"completeness: {len(units)} unit(s) lack indicators ({named}); see completeness.csv")
    no_year = [r for r in records if r.year is None and r.phase != "target"]
    if no_year:
        files = sorted({r.source_file for r in no_year})
        lines.append(f"year: {len(no_year)} value(s) from {len(files)} input(s) have no year "
                     f"({', '.join(files[:4])}{' …' if len(files) > 4 else ''}); give it with --year")
    return lines
