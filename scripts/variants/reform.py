"""Documents written after the July 2025 reform (issue 17): the province's new communes and
wards, with no district, in reports dated 2025 or 2026.

Since 1 July 2025 Thanh Hóa is the province and its 166 new units, most of them old
communes merged. What a reader must get right is which generation a name belongs to:
many new names were old ones with another meaning ("Xã Quảng Bình" was 16468 of Quảng
Xương, it is now 16543, which took Quảng Lưu and others over; "Xã Thường Xuân" was a
district and its town), so a document's date decides. The units are drawn with such
names over-represented (TWIN_SHARE), and printed, where the family allows, stripped of
their diacritics or garbled as a scan gives them.

Three families, each with its truth: the unit is the NEW one (its name and code, district
empty) and ``unit_generation`` is "2025".

reform_template   the commune template (variants/templates.py) of a new unit: letterhead
                  "UBND TỈNH THANH HÓA / UBND XÃ …", "UBND XÃ …" alone, or the unit field;
                  the intro may say which old units it was made from (reform_docs.py)
reform_communes   a district-free consolidation of the province's new communes: a row per
                  unit, a column or before/after pair per indicator, maybe "Toàn tỉnh"
reform_prose      a new commune's prose report (variants/prose_text.py), dated 2025/2026
"""
from __future__ import annotations

import csv
import functools
import random
import re
import unicodedata
from dataclasses import dataclass

from unidecode import unidecode

from variants.content import DATA, PHASE_HEADERS, Cell, Content, Place, catalogue, common_axes, district_header, \
    fill, target_cell

GENERATION = "2025"  # Record.unit_generation of the units in force from 1 July 2025
YEARS = (2025, 2026)
TWIN_SHARE = 0.5  # units drawn from those whose name meant another unit before the reform
NAME_STYLES = {"clean": 0.6, "stripped": 0.2, "garbled": 0.2}  # how a consolidation prints a name
PLACE_HEADERS = ("Xã, phường", "Tên xã, phường", "Đơn vị")
TOTAL = "Toàn tỉnh"
# A province's table is usually annexed to a dated report ("Kèm theo Báo cáo số … ngày …"): a
# table of "năm 2025" without it could speak of either side of 1 July, which a reader must flag.
ANNEX_SHARE = 0.6
# What scans make of letters with marks (the seeds' OCR: "Quing Xwong" for "Quảng Xương"),
# applied to some of a name's marked letters; the others lose their tone mark only.
MISREADS = {"ư": "w", "ơ": "o", "Đ": "D", "đ": "d", "ả": "a", "ã": "a", "ệ": "é", "ộ": "ô", "ậ": "â"}
TRUTH_EXTRA = ("commune_code", "unit_generation")


@dataclass(frozen=True)
class NewUnit:
    name: str  # "Xã Quảng Bình"
    short: str  # "Quảng Bình"
    type: str  # "Xã" or "Phường"
    code: str
    took_over: tuple[tuple[str, str], ...]  # the old communes it was made from: (commune, district)
    twin: bool  # its name meant another unit (a commune, a town, a district) before the reform


PROVINCE_TOTAL = NewUnit("", "", "", "", (), False)  # the row "Toàn tỉnh": the province's own figure


def _successors(row: dict) -> list[tuple[str, str]]:
    """(name, code) of the new units an old commune went to ("A (code)|B (code)" for a split)."""
    found = re.findall(r"([^|]+?) \((\d+)\)", row["successors"])
    return found or [(row["successor_commune"], row["successor_code"])]


@functools.cache
def new_units() -> tuple[NewUnit, ...]:
    """The new units, by code (so draws are stable), from the gazetteer's successor columns."""
    with (DATA / "gazetteer_thanh_hoa.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names, took = {}, {}
    for r in rows:
        for name, code in _successors(r):
            names[code] = name
            took.setdefault(code, []).append((r["commune"], r["district"]))
    old: dict[str, set] = {}  # short name -> the old units of that name: (name, code), or a district's
    for r in rows:
        old.setdefault(short_of(r["commune"]), set()).add((r["commune"], r["commune_code"]))
        old.setdefault(r["district_short"], set()).add((r["district"], r["district_code"]))
    units = []
    for code in sorted(names, key=int):
        name = names[code]
        twin = bool(old.get(short_of(name), set()) - {(name, code)})
        units.append(NewUnit(name, short_of(name), name.split(" ", 1)[0], code, tuple(took[code]), twin))
    return tuple(units)


def short_of(name: str) -> str:
    for word in ("Thị trấn ", "Xã ", "Phường "):
        if name.startswith(word):
            return name[len(word):]
    return name


def as_place(u: NewUnit) -> Place:
    """A new unit where the families expect a Place: no district."""
    return Place("", "", "", u.name, u.short, u.type)


def draw_units(rng: random.Random, n: int) -> list[NewUnit]:
    """n distinct new units, about TWIN_SHARE of them with a name of the old generation."""
    twins = [u for u in new_units() if u.twin]
    others = [u for u in new_units() if not u.twin]
    k = min(len(twins), sum(rng.random() < TWIN_SHARE for _ in range(n)))
    return rng.sample(twins, k) + rng.sample(others, min(len(others), n - k))


def draw_unit(rng: random.Random) -> NewUnit:
    return draw_units(rng, 1)[0]


def _stripped_clash(text: str) -> bool:
    """Whether ``text`` stripped of its marks is another new unit's name stripped too."""
    key = unidecode(text).lower()
    return sum(1 for u in new_units() if key in (unidecode(u.name).lower(), unidecode(u.short).lower())) > 1


def garble(rng: random.Random, text: str) -> str:
    """Some of the marked letters misread, the others stripped of their tone, as a scan reads them."""
    out = []
    for ch in text:
        if ch.isascii() or rng.random() < 0.5:
            out.append(ch)
        elif ch in MISREADS and rng.random() < 0.5:
            out.append(MISREADS[ch])
        else:
            out.append(_untoned(ch))
    return "".join(out)


def _untoned(ch: str) -> str:
    parts = unicodedata.normalize("NFD", ch)
    return unicodedata.normalize("NFC", "".join(c for c in parts if c not in "\u0300\u0301\u0303\u0309\u0323"))


def printed_name(rng: random.Random, u: NewUnit, typed: bool, style: str) -> str:
    """The unit's name as a consolidation prints it: typed or bare, clean, stripped or garbled."""
    text = u.name if typed else u.short
    if style == "clean" or _stripped_clash(text):  # a stripped name two units share is no name
        return text
    return unidecode(text) if style == "stripped" else garble(rng, text)


def communes_content(rng: random.Random, communes: tuple[int, int] = (8, 30)) -> Content:
    """The province's consolidation of its new communes: a row per unit (``communes``: how
    many), a column (or pair) per indicator, no district anywhere, maybe a "Toàn tỉnh" row."""
    pairs = rng.random() < 0.5
    axes = common_axes(rng) | {
        "pairs": pairs, "header_kind": rng.choice(("name", "number", "chi_tieu", "code")),
        "target_row": rng.random() < 0.4, "phase_style": rng.choice(tuple(PHASE_HEADERS)),
        "commune_typed": rng.random() < 0.6, "place_header": rng.choice(PLACE_HEADERS),
        "name_style": rng.choices(tuple(NAME_STYLES), tuple(NAME_STYLES.values()))[0],
        "total_rows": int(rng.random() < 0.7)}
    year = rng.choice(YEARS)
    units = draw_units(rng, rng.randint(*communes))
    locs = [(printed_name(rng, u, axes["commune_typed"], axes["name_style"]), u) for u in units]
    locs += [(TOTAL, PROVINCE_TOTAL)] * axes["total_rows"]
    chosen = sorted(rng.sample(catalogue(), rng.randint(3, 6) if pairs else rng.randint(4, 12)),
                    key=lambda i: i["id"])
    inds = [(i["id"], district_header(rng, axes["header_kind"], i)) for i in chosen]
    targets = {i["id"]: target_cell(rng, i, 2024) for i in chosen} if axes["target_row"] else None
    title = f"BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN MÔ HÌNH 3 KHÔNG CÁC XÃ, PHƯỜNG TỈNH THANH HÓA NĂM {year}"
    phases = ("before", "after") if pairs else ("reported",)
    c = Content("reform_communes", year, title, locs, inds, phases, PHASE_HEADERS[axes["phase_style"]],
                targets, axes=axes)
    fill(rng, c)
    if rng.random() < ANNEX_SHARE:  # drawn last, so the draws above are those of a table without it
        c.title += f" (Kèm theo Báo cáo số {rng.randint(100, 999)}/BC-UBND {annex_date(rng, year)} của UBND tỉnh)"
    axes.update(n_localities=len(units), n_indicators=len(inds), generation=GENERATION, year=year,
                twins=sum(u.twin for u in units), dated="ngày" in c.title)
    return c


def annex_date(rng: random.Random, year: int) -> str:
    """The date of the report a table is annexed to: after the period, never before the reform."""
    if year == 2025 and rng.random() < 0.3:
        return f"ngày {rng.randint(1, 28)} tháng {rng.randint(1, 2)} năm 2026"
    return f"ngày {rng.randint(1, 28)} tháng {rng.randint(9, 12)} năm {year}"


def unit_row(u: NewUnit | None, i: int, phase: str, cell: Cell) -> dict:
    """A truth row of a value ``u`` reports (PROVINCE_TOTAL: the province's own; None: a target):
    the new unit's name and code, no district, generation "2025"."""
    u = u or PROVINCE_TOTAL
    return {"district": "", "commune": u.name, "commune_code": u.code,
            "unit_generation": GENERATION if u.code else "", "indicator_id": i, "phase": phase,
            "value": "" if cell.value is None else f"{cell.value:g}", "status": cell.status, "value_raw": cell.text}


def communes_truth(c: Content) -> list[dict]:
    rows = []
    for i, _ in c.indicators:
        if c.targets:
            rows.append(unit_row(None, i, "target", c.targets[i]))
        for k, (_, u) in enumerate(c.localities):
            rows += [unit_row(u, i, phase, c.cells[(k, i, phase)]) for phase in c.phases]
    return rows
