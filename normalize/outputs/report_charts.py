"""The report's two views of consolidated.csv: the completeness matrix (units × the 16
indicators) and a before/after bar chart per indicator and year.

Both are computed here as plain geometry and states; the template draws them (the SVG
elements included), so every piece of text goes through Jinja2's escaping.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from normalize.indicators.catalogue import load_catalogue
from normalize.text.fold import fold
from normalize.text.values import parse_value

PHASES = ("before", "after", "reported")
# Worst first: a cell takes the worst state among its phases.
STATES = ("conflict", "flagged", "ok", "missing")
QUALIFIER_SIGNS = {">=": "≥", "~": "~"}
# A word cell in a matrix cell two digits wide; the tooltip keeps the status in full.
STATUS_SHORT = {"partial": "part.", "not_available": "n/a", "none": "none", "not_implemented": "n/impl.",
                "unreadable": "?"}


@dataclass(frozen=True, order=True)
class Unit:
    district: str
    commune: str  # "" for a district-level figure
    year: str

    @property
    def sort_key(self) -> tuple:
        # Folded, so "Đông Sơn" sorts with the D's; the district's own figures before its communes;
        # names that fold alike (Xã Hoằng Quý, Xã Hoằng Quỳ) by their letters, not by the order of
        # a set, which changes with the process's hash seed.
        return (fold(self.district), self.commune != "", fold(self.commune), self.year, self.district, self.commune)

    @property
    def label(self) -> str:
        return self.commune or f"{self.district} (district)"


@dataclass(frozen=True)
class MatrixCell:
    indicator_id: int
    state: str  # one of STATES
    text: str  # what the cell shows: the latest phase's value
    title: str  # the tooltip: each phase's value, and why the cell has its state
    incomplete: bool  # completeness.csv names a phase of it as missing while another was found


@dataclass(frozen=True)
class MatrixRow:
    unit: Unit
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class Bar:
    phase: str
    x: float
    y: float
    width: float
    height: float
    label: str  # the value as written ("≥80"), or the word of a word cell
    label_x: float
    classes: str  # phase, and flagged / conflict / below (the target missed)


@dataclass(frozen=True)
class ChartRow:
    label: str
    title: str  # the unit in full, for the tooltip
    y: float  # baseline of the label
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Heading:
    label: str  # a district's name, over its units, when a chart spans several districts
    y: float


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    indicator_id: int
    indicator_name: str
    year: str
    target_text: str  # "80% trở lên", or "" when unknown
    target_x: float | None
    phases: tuple[str, ...]
    rows: tuple[ChartRow, ...]
    headings: tuple[Heading, ...]
    ticks: tuple[Tick, ...]
    width: float
    height: float
    plot_left: float
    plot_top: float
    plot_bottom: float
    below: int  # units whose latest value misses the target


def units_of(consolidated: pd.DataFrame, completeness: pd.DataFrame) -> list[Unit]:
    """Every unit and year either frame names, in the order a reader looks for them."""
    seen = {Unit(r.district, r.commune, r.year) for r in consolidated.itertuples(index=False)}
    seen |= {Unit(r.district, r.commune, r.year) for r in completeness.itertuples(index=False)}
    return sorted(seen, key=lambda u: u.sort_key)


def shown_value(row) -> str:
    """A consolidated value as a person reads it: "≥80", "~95.5", or the cell's word."""
    if row.value:
        return QUALIFIER_SIGNS.get(row.qualifier, "") + row.value
    return row.status or "?"


def _row_state(row) -> str:
    if row.conflict == "true":
        return "conflict"
    if row.needs_review == "true":
        return "flagged"
    return "ok"


def _missing_phases(completeness: pd.DataFrame) -> dict[tuple[Unit, int], list[str]]:
    out: dict[tuple[Unit, int], list[str]] = defaultdict(list)
    for r in completeness.itertuples(index=False):
        for part in r.missing.replace(";", ",").split(","):
            if part.strip().isdigit():
                out[(Unit(r.district, r.commune, r.year), int(part))].append(r.phase)
    return out


def _cell(indicator_id: int, rows: list, missing: list[str]) -> MatrixCell:
    if not rows:
        why = "missing" + (f" ({', '.join(missing)})" if missing else "")
        return MatrixCell(indicator_id, "missing", "", why, False)
    states = [_row_state(r) for r in rows]
    state = min(states, key=STATES.index)
    by_phase = {r.phase: r for r in rows}
    latest = next((by_phase[p] for p in ("after", "reported", "before") if p in by_phase), rows[0])
    parts = [f"{r.phase} {shown_value(r)}" + (f" [{r.checks}]" if r.checks else "") for r in rows]
    if missing:
        parts.append("missing: " + ", ".join(missing))
    text = shown_value(latest) if latest.value else STATUS_SHORT.get(latest.status, shown_value(latest))
    return MatrixCell(indicator_id, state, text, "; ".join(parts), bool(missing))


def completeness_matrix(consolidated: pd.DataFrame, completeness: pd.DataFrame,
                        ids: tuple[int, ...]) -> list[MatrixRow]:
    """A row per unit and year, a cell per indicator, each cell in its worst phase's state."""
    values: dict[tuple[Unit, int], list] = defaultdict(list)
    for r in consolidated.itertuples(index=False):
        if r.phase in PHASES and r.indicator_id.isdigit():
            values[(Unit(r.district, r.commune, r.year), int(r.indicator_id))].append(r)
    missing = _missing_phases(completeness)
    return [MatrixRow(unit, tuple(_cell(i, sorted(values.get((unit, i), []), key=lambda r: PHASES.index(r.phase)),
                                        missing.get((unit, i), []))
                                  for i in ids))
            for unit in units_of(consolidated, completeness)]


@lru_cache(maxsize=256)
def target_of(indicator_id: int, year: str) -> tuple[str, float | None]:
    """The catalogue's target for the year, as written and as a number (none for an unknown year)."""
    if not year.isdigit():
        return "", None
    try:
        raw = load_catalogue().target(indicator_id, int(year))
    except KeyError:
        return "", None
    return (raw, parse_value(raw).value) if raw else ("", None)


# Geometry of a chart, in CSS pixels: long Vietnamese names need a wide label column.
WIDTH, LABEL_W, PLOT_W, TOP, BOTTOM = 760.0, 230.0, 440.0, 34.0, 26.0
BAR_H, BAR_GAP, ROW_GAP, HEADING_H, LABEL_CHARS = 8.0, 2.0, 6.0, 18.0, 34


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _bars(rows_by_phase: dict, phases: tuple[str, ...], y: float, scale) -> tuple[Bar, ...]:
    bars = []
    for k, phase in enumerate(phases):
        r = rows_by_phase.get(phase)
        if r is None:
            continue
        value = float(r.value) if _is_number(r.value) else 0.0
        width = scale(value) - LABEL_W
        classes = [phase, _row_state(r)]
        if r.met_target == "false":
            classes.append("below")
        top = y + k * (BAR_H + BAR_GAP)
        bars.append(Bar(phase, LABEL_W, top, width, BAR_H, shown_value(r), LABEL_W + width + 3, " ".join(classes)))
    return tuple(bars)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _chart(indicator_id: int, name: str, year: str, by_unit: dict[Unit, dict]) -> Chart:
    phases = tuple(p for p in PHASES if any(p in rows for rows in by_unit.values()))
    target_text, target = target_of(indicator_id, year)
    top_value = max([100.0, target or 0.0] + [float(r.value) for rows in by_unit.values()
                                              for r in rows.values() if _is_number(r.value)])

    def scale(v: float) -> float:
        return LABEL_W + PLOT_W * max(0.0, v) / top_value

    group_h = max(len(phases) * (BAR_H + BAR_GAP), 12.0) + ROW_GAP
    # Communes of one name exist in several districts: a chart of several districts names each over its units.
    several = len({u.district for u in by_unit}) > 1
    rows, headings, y, district = [], [], TOP, None
    for unit in sorted(by_unit, key=lambda u: u.sort_key):
        if several and unit.district != district:
            district = unit.district
            headings.append(Heading(district, y + HEADING_H - 4))
            y += HEADING_H
        title = f"{unit.commune}, {unit.district}" if unit.commune else unit.label
        rows.append(ChartRow(_short(unit.label), title, y + group_h / 2 + 1, _bars(by_unit[unit], phases, y, scale)))
        y += group_h
    latest = [next((rs[p] for p in ("after", "reported", "before") if p in rs)) for rs in by_unit.values()]
    ticks = tuple(Tick(scale(v), f"{v:g}") for v in range(0, int(top_value) + 1, 20))
    return Chart(indicator_id, name, year, target_text, None if target is None else scale(target), phases,
                 tuple(rows), tuple(headings), ticks, WIDTH, y + BOTTOM, LABEL_W, TOP - 6, y,
                 sum(r.met_target == "false" for r in latest))


def before_after_charts(consolidated: pd.DataFrame) -> list[Chart]:
    """A chart per indicator and year that has at least one number: a bar per phase per unit."""
    names: dict[int, str] = {}
    groups: dict[tuple[int, str], dict[Unit, dict]] = defaultdict(lambda: defaultdict(dict))
    for r in consolidated.itertuples(index=False):
        if r.phase not in PHASES or not r.indicator_id.isdigit():
            continue
        key = (int(r.indicator_id), r.year)
        names.setdefault(key[0], r.indicator_name)
        # The first row of a unit and phase stands: consolidated.csv has one, a hand-made frame may not.
        groups[key][Unit(r.district, r.commune, r.year)].setdefault(r.phase, r)
    charts = []
    for (indicator_id, year), by_unit in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if any(r.value for rows in by_unit.values() for r in rows.values()):
            charts.append(_chart(indicator_id, names[indicator_id], year, by_unit))
    return charts
