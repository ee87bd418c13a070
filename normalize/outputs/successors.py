"""Time series across the July 2025 reform: figures of the old units under the unit that
took them over (``chitieu run --as-of 2025`` → ``OUT/as_of_2025.csv``).

A new commune or ward that took over several old communes has, for a year before the
reform, several figures and none of its own. They are listed side by side, never summed
or averaged: an average of merged communes is a figure nobody reported. Only when the user
gives weights (``--weights FILE``: a CSV of ``commune_code,weight``, e.g. the population of
each old commune) is a weighted mean computed, and the row names the weights it used; a
predecessor without a weight or without a value leaves it empty, and ``note`` says which.
An old commune split between several new units is listed under the one the gazetteer
names as its successor, marked "split": part of its area went elsewhere.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path
from typing import Mapping, Sequence

from extract.errors import BadCorrections
from normalize.outputs.consolidated import Consolidated, shown
from normalize.outputs.table import Table
from normalize.record import Record

AS_OF_COLUMNS = (
    "commune", "commune_code", "year", "indicator_id", "indicator_name", "phase", "value", "status",
    "units_n", "replaces", "values", "weighted_value", "note",
)


def read_weights(path: Path) -> dict[str, float]:
    """``commune_code,weight`` rows (a header row first); BadCorrections naming the line when one is not."""
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadCorrections(f"cannot read the weights file {path}: {exc}") from exc
    out = {}
    for k, row in enumerate(rows[1:], 2):
        if not row or not "".join(row).strip():
            continue
        try:
            code, weight = row[0].strip(), float(row[1])
        except (IndexError, ValueError):
            raise BadCorrections(f"{path} line {k}: expected commune_code,weight, got {','.join(row)!r}") from None
        if weight < 0:
            raise BadCorrections(f"{path} line {k}: a weight is not negative ({weight})")
        out[code] = weight
    return out


def _successor(r: Record) -> tuple[str, str]:
    """The unit ``r``'s figure belongs to after the reform (itself, for a new unit or one the
    gazetteer knows no successor of): name and code."""
    if r.unit_generation == "2025" or not r.successor_code:
        return r.commune, r.commune_code
    return r.successor_commune, r.successor_code


def split_communes() -> frozenset[str]:
    """Codes of the old communes split between several new units."""
    from normalize.places.gazetteer import gazetteer

    return frozenset(c for c, u in gazetteer().communes.items() if u.successor_split)


def as_of_2025(groups: Sequence[Consolidated], weights: Mapping[str, float] | None = None,
               split_codes: frozenset[str] = frozenset()) -> Table:
    """One row per new unit × year × indicator × phase; ``groups``: the consolidated values;
    ``split_codes``: old communes split between several new units."""
    from normalize.outputs.datasets import format_value

    by_key: dict[tuple, list[Consolidated]] = defaultdict(list)
    names: dict[str, str] = {}
    for g in groups:
        r = g.chosen
        if not r.commune:
            continue  # a district's figure has no successor: the districts are gone
        name, code = _successor(r)
        names[code or name] = name
        by_key[(code or name, r.year, r.indicator_id, r.phase)].append(g)
    rows = []
    for (unit, year, indicator, phase), gs in sorted(by_key.items(), key=lambda kv: (
            names[kv[0][0]], str(kv[0][1]), kv[0][2], ("before", "after", "reported").index(kv[0][3]))):
        rs = [g.chosen for g in gs]
        one = len(rs) == 1 and rs[0].commune_code not in split_codes
        listed = [f"{r.commune} ({r.commune_code or 'no code'})"
                  + (" split" if r.commune_code in split_codes else "") for r in rs]
        weighted, note = _weighted(rs, weights) if weights is not None and len(rs) > 1 else ("", "")
        if not one and weights is None and len(rs) > 1:
            note = f"{len(rs)} old units: their figures are side by side in values, not combined"
        rows.append({
            "commune": names[unit], "commune_code": unit if unit != names[unit] else "",
            "year": "" if year is None else str(year), "indicator_id": str(indicator),
            "indicator_name": rs[0].indicator_name, "phase": phase,
            "value": format_value(rs[0].value) if one else "", "status": rs[0].status if one else "",
            "units_n": str(len(rs)), "replaces": "; ".join(listed),
            "values": "; ".join(f"{r.commune} = {shown(r)}" for r in rs), "weighted_value": weighted, "note": note,
        })
    return Table.of(rows, AS_OF_COLUMNS)


def _weighted(rs: Sequence[Record], weights: Mapping[str, float]) -> tuple[str, str]:
    from normalize.outputs.datasets import format_value

    missing = [r.commune for r in rs if r.commune_code not in weights]
    empty = [r.commune for r in rs if r.value is None]
    if missing or empty:
        why = [f"no weight for {', '.join(missing)}" if missing else "", f"no value for {', '.join(empty)}" if empty
               else ""]
        return "", "weighted mean not computed: " + "; ".join(w for w in why if w)
    total = sum(weights[r.commune_code] for r in rs)
    if total <= 0:
        return "", "weighted mean not computed: the weights sum to 0"
    value = sum(weights[r.commune_code] * r.value for r in rs) / total
    used = ", ".join(f"{r.commune} {format_value(weights[r.commune_code])}" for r in rs)
    return format_value(round(value, 2)), f"weighted by the weights given: {used}"
