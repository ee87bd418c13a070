"""What a variant document says: its localities, indicators, cell texts, and their truth.

Names come from the project's own data (normalize/data/indicators.json and the
gazetteer CSV), so every locality is a real unit and every label a catalogue name.
The truth speaks the output contract: communes with their type ("Xã Quảng Lưu"),
districts bare for a huyện and typed otherwise, target rows without a locality.
"""
from __future__ import annotations

import csv
import functools
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "normalize" / "data"

# Word cells and the status the README's Outputs section gives them.
WORDS = (("Chưa có", "not_available"), ("Không", "none"), ("Lãnh đạo", "partial"),
         ("Chưa thực hiện", "not_implemented"))
COMMUNE_WORDS = {"Xã": ("xã", "xã"), "Phường": ("phường", "P."), "Thị trấn": ("thị trấn", "TT")}
DISTRICT_WORDS = {"Huyện": ("", ""), "Thành phố": ("TP ", "Thành phố "), "Thị xã": ("TX ", "Thị xã ")}
PHASE_HEADERS = {"full": ("Trước thí điểm", "Sau thí điểm"), "short": ("Trước", "Sau")}


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | None
    status: str


@dataclass(frozen=True)
class Place:
    district: str  # contract name: "Quảng Xương", "Thành phố Thanh Hóa"
    district_short: str
    district_type: str
    commune: str  # "Xã Quảng Lưu"
    commune_short: str
    commune_type: str


@dataclass
class Content:
    family: str
    year: int
    title: str
    localities: list[tuple[str, Place]]  # (text as printed, unit)
    indicators: list[tuple[int, str]]  # (id, header or label as printed)
    phases: tuple[str, ...]  # ("before", "after") or ("reported",)
    phase_texts: tuple[str, ...]
    targets: dict[int, Cell] | None
    cells: dict[tuple[int, int, str], Cell] = field(default_factory=dict)  # (locality, id, phase)
    axes: dict = field(default_factory=dict)


@functools.cache
def catalogue() -> list[dict]:
    return json.loads((DATA / "indicators.json").read_text(encoding="utf-8"))["indicators"]


@functools.cache
def places() -> dict[str, list[Place]]:
    """Communes by district code, in the gazetteer's order (so draws are stable)."""
    out: dict[str, list[Place]] = {}
    with (DATA / "gazetteer_thanh_hoa.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            district = r["district_short"] if r["district_type"] == "Huyện" else r["district"]
            out.setdefault(r["district_code"], []).append(Place(
                district, r["district_short"], r["district_type"], r["commune"],
                r["commune_short"], r["commune_type"]))
    return out


def locality_header(rng: random.Random, p: Place) -> str:
    """'Quảng Xương (xã Quảng Lưu)', 'TP Thanh Hóa (P. Điện Biên)', as decks write them."""
    d = rng.choice(DISTRICT_WORDS[p.district_type]) + p.district_short
    c = rng.choice(COMMUNE_WORDS[p.commune_type])
    return f"{d} ({c} {p.commune_short})"


def percent(rng: random.Random, lo: float, decimal: str) -> tuple[str, float]:
    digits = rng.choices((0, 1, 2), (0.45, 0.4, 0.15))[0]
    v = round(rng.uniform(lo, 100.0), digits) if rng.random() > 0.15 else 100.0
    text = f"{v:.{digits}f}" if v != 100.0 else "100"
    if decimal == "comma":
        text = text.replace(".", ",")
    return text + "%", float(text.replace(",", "."))


def value_cell(rng: random.Random, axes: dict, lo: float = 0.0) -> Cell:
    if rng.random() < axes["word_share"]:
        text, status = rng.choice(WORDS)
        return Cell(text, None, status)
    text, v = percent(rng, lo, axes["decimal"])
    if axes["fractions"] and rng.random() < 0.15:
        d = rng.randint(4, 40)
        n = rng.randint(0, d)
        v = round(100.0 * n / d, 2)
        shown = f"{v:g}".replace(".", "," if axes["decimal"] == "comma" else ".")
        return Cell(f"{shown}% ({n}/{d})", float(f"{v:g}"), "ok")
    return Cell(text, v, "ok")


def target_cell(rng: random.Random, ind: dict, year: int) -> Cell:
    if rng.random() < 0.6:
        text = ind["targets"][str(year)]
    else:
        text = f"{rng.choice((50, 60, 70, 75, 80, 85, 90, 95))}%" + rng.choice((" trở lên", ""))
    return Cell(text, float(text.split("%")[0]), "ok")


def label(rng: random.Random, ind: dict) -> str:
    if ind["variants"] and rng.random() < 0.3:
        return ind["variants"][0]
    return ind["name"]


def common_axes(rng: random.Random) -> dict:
    return {"decimal": rng.choice(("comma", "point")),
            "word_share": rng.choice((0.0, 0.05, 0.12)),
            "fractions": rng.random() < 0.25}


def deck_content(rng: random.Random) -> Content:
    """Indicators down, 3-6 pilot localities across, each over a before/after pair."""
    axes = common_axes(rng) | {"target_col": rng.random() < 0.6,
                               "phase_style": rng.choice(tuple(PHASE_HEADERS)),
                               "sections": rng.random() < 0.5}
    year = rng.choice((2023, 2024))
    pool = places()
    codes = rng.sample(sorted(pool), rng.randint(3, 6))  # one pilot commune per district
    locs = [(locality_header(rng, p), p) for p in (rng.choice(pool[c]) for c in codes)]
    inds = [(i["id"], label(rng, i)) for i in catalogue()]
    targets = {i["id"]: target_cell(rng, i, year) for i in catalogue()} if axes["target_col"] else None
    c = Content("deck", year, f"BẢNG TỔNG HỢP KẾT QUẢ THÍ ĐIỂM MÔ HÌNH 3 KHÔNG NĂM {year}", locs, inds,
                ("before", "after"), PHASE_HEADERS[axes["phase_style"]], targets, axes=axes)
    fill(rng, c)
    axes.update(n_localities=len(locs), n_indicators=len(inds))
    return c


def district_header(rng: random.Random, kind: str, ind: dict) -> str:
    if kind == "name":
        return label(rng, ind)
    if kind == "number":
        return str(ind["id"])
    return {"chi_tieu": f"Chỉ tiêu {ind['id']}", "code": f"CT{ind['id']}"}[kind]


def district_content(rng: random.Random, communes: tuple[int, int] = (3, 12)) -> Content:
    """A district's consolidation: a row per commune (``communes``: how many, at least and
    at most), a column (or pair) per indicator."""
    pairs = rng.random() < 0.5
    axes = common_axes(rng) | {"pairs": pairs, "header_kind": rng.choice(("name", "number", "chi_tieu", "code")),
                               "target_row": rng.random() < 0.4, "phase_style": rng.choice(tuple(PHASE_HEADERS)),
                               "commune_typed": rng.random() < 0.7}
    year = rng.choice((2023, 2024))
    pool = places()
    code = rng.choice([c for c in sorted(pool) if len(pool[c]) >= 3])
    chosen_communes = rng.sample(pool[code], min(len(pool[code]), rng.randint(*communes)))
    typed = axes["commune_typed"]
    locs = [(p.commune if typed else p.commune_short, p) for p in chosen_communes]
    chosen = sorted(rng.sample(catalogue(), rng.randint(3, 6) if pairs else rng.randint(4, 12)), key=lambda i: i["id"])
    inds = [(i["id"], district_header(rng, axes["header_kind"], i)) for i in chosen]
    targets = {i["id"]: target_cell(rng, i, year) for i in chosen} if axes["target_row"] else None
    p0 = chosen_communes[0]
    unit = (DISTRICT_WORDS[p0.district_type][1] or "HUYỆN ") + p0.district_short
    title = f"BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN MÔ HÌNH 3 KHÔNG CÁC XÃ, THỊ TRẤN {unit.upper()} NĂM {year}"
    phases = ("before", "after") if pairs else ("reported",)
    c = Content("district", year, title, locs, inds, phases, PHASE_HEADERS[axes["phase_style"]], targets, axes=axes)
    fill(rng, c)
    axes.update(n_localities=len(locs), n_indicators=len(inds), district=p0.district)
    return c


def fill(rng: random.Random, c: Content) -> None:
    for k in range(len(c.localities)):
        for i, _ in c.indicators:
            before = None
            for phase in c.phases:
                cell = value_cell(rng, c.axes, lo=0.0 if before is None else before)
                c.cells[(k, i, phase)] = cell
                if phase == "before" and cell.value is not None:
                    before = min(cell.value, 99.0)


def truth_rows(c: Content) -> list[dict]:
    rows = []
    for i, _ in c.indicators:
        if c.targets:
            t = c.targets[i]
            rows.append(row("", "", i, "target", t))
        for k, (_, p) in enumerate(c.localities):
            for phase in c.phases:
                rows.append(row(p.district, p.commune, i, phase, c.cells[(k, i, phase)]))
    return rows


def row(district: str, commune: str, i: int, phase: str, cell: Cell) -> dict:
    value = "" if cell.value is None else f"{cell.value:g}"
    return {"district": district, "commune": commune, "indicator_id": i, "phase": phase,
            "value": value, "status": cell.status, "value_raw": cell.text}
