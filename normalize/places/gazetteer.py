"""One province's official units, loaded once from the committed gazetteer.

The gazetteer is committed data built by `scripts/build_gazetteer.py`: both generations
of units, `data/gazetteer_<province>.csv` the districts and communes as of 2024 with their
codes and their successor(s) after the July-2025 reform, `data/gazetteer_<province>_2025.csv`
the communes and wards in force from 1 July 2025 (no district) with the 2024 units each took
over. A code may name a unit of each generation (14797: Phường Đông Hải, then Phường Hạc
Thành), so each generation has its own table. Names are resolved against it by
`normalize.places.resolve`, locality headers by `normalize.places.locality`.
"""
from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from normalize.places.dating import NEW, OLD
from normalize.places.names import canon, skeleton, split_type

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DEFAULT_PROVINCE = "thanh_hoa"


@dataclass(frozen=True)
class Unit:
    code: str
    name: str  # with its type: "Xã Quảng Lưu", "Huyện Quảng Xương"
    short: str
    type: str
    district_code: str  # a district's own code for a district
    district: str = ""  # for a commune, its district's contract name
    successor: str = ""
    successor_code: str = ""
    successor_split: bool = False
    # "2024": in force until 30 June 2025; "2025": from 1 July 2025, with no district
    generation: str = OLD
    successors: tuple[str, ...] = ()  # a 2024 commune's successors' codes, the main one first
    predecessors: tuple[str, ...] = ()  # the codes of the 2024 communes a 2025 unit took over

    @property
    def contract_name(self) -> str:
        """The name the output contract wants: bare for a huyện, typed otherwise."""
        return self.short if self.type == "Huyện" else self.name


class NameIndex:
    """Canonical keys of one scope (the districts, or the communes of one district)."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys  # unit code -> key
        self.exact: dict[str, list[str]] = {}
        self.frames: dict[str, list[str]] = {}
        for code, key in keys.items():
            self.exact.setdefault(key, []).append(code)
            self.frames.setdefault(skeleton(key), []).append(code)


class Gazetteer:
    """One province's units with their keys computed once; lookups are memoised."""

    def __init__(self, rows: list[dict], rows_2025: list[dict] = ()) -> None:
        self.districts: dict[str, Unit] = {}
        self.communes: dict[str, Unit] = {}  # the 2024 communes
        for r in rows:
            dc = r["district_code"]
            if dc not in self.districts:
                self.districts[dc] = Unit(dc, r["district"], r["district_short"], r["district_type"], dc)
            self.communes[r["commune_code"]] = Unit(
                r["commune_code"], r["commune"], r["commune_short"], r["commune_type"], dc,
                self.districts[dc].contract_name, r["successor_commune"], r["successor_code"],
                r["successor_split"].strip().lower() == "true", successors=_codes(r.get("successors", "")))
        self.communes_2025: dict[str, Unit] = {  # the communes and wards from 1 July 2025
            r["commune_code"]: Unit(r["commune_code"], r["commune"], r["commune_short"], r["commune_type"], "",
                                    generation=NEW, predecessors=_codes(r["predecessors"]))
            for r in rows_2025}
        self.index_2025 = NameIndex({c: canon(u.short) for c, u in self.communes_2025.items()})
        self.district_index = NameIndex({c: canon(u.short) for c, u in self.districts.items()})
        keys: dict[str, dict[str, str]] = {"": {}}  # district code ("" for all) -> code -> key
        for u in self.communes.values():
            keys.setdefault(u.district_code, {})[u.code] = keys[""][u.code] = canon(u.short)
        self.commune_indexes = {scope: NameIndex(k) for scope, k in keys.items()}
        # The name and district a unit bore in 2025 before July (Thanh Hóa: from 1 Jan 2025).
        self.names_2025: dict[tuple[str, str], list[Unit]] = {}
        by_name = {u.name: c for c, u in self.districts.items()}
        for r in rows:
            if r.get("unit_2025_06") and (r["unit_2025_06"], r["district_2025_06"]) != (r["commune"], r["district"]):
                k = canon(split_type(r["unit_2025_06"])[2])
                for scope in (by_name.get(r["district_2025_06"], "?"), ""):
                    self.names_2025.setdefault((scope, k), []).append(self.communes[r["commune_code"]])
        self._cache: dict[tuple, object] = {}

    @classmethod
    def load(cls, province: str = DEFAULT_PROVINCE) -> Gazetteer:
        new = DATA_DIR / f"gazetteer_{province}_2025.csv"
        return cls(_read(DATA_DIR / f"gazetteer_{province}.csv"), _read(new) if new.exists() else [])

    def units(self, generation: str) -> dict[str, Unit]:
        """The communes (and wards) of one generation, by code."""
        return self.communes_2025 if generation == NEW else self.communes

    def same_unit(self, old: Unit, new: Unit) -> bool:
        """Whether a 2024 commune went on unchanged as a 2025 one: same code, same name,
        nothing else taken over. Then a figure of either is a figure of one place."""
        return (old.code, old.name) == (new.code, new.name) and new.predecessors == (old.code,)

    def took_over_in(self, new: Unit, district_code: str) -> bool:
        """Whether a 2025 unit took over a commune of that 2024 district."""
        return any(self.communes[c].district_code == district_code for c in new.predecessors if c in self.communes)

    def listing(self, codes: tuple[str, ...], generation: str) -> str:
        units = self.units(generation)
        return ", ".join(f"{units[c].name} ({c})" for c in codes if c in units)

    def memo(self, key: tuple, compute):
        """The lookup ``key`` of this gazetteer, computed once."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _codes(listing: str) -> tuple[str, ...]:
    """The codes of a "Xã A (16468)|Xã B (16543)" listing, in its order."""
    return tuple(re.findall(r"\((\d+)\)(?=\||$)", listing))


def gazetteer(province: str = DEFAULT_PROVINCE) -> Gazetteer:
    """The province's gazetteer, loaded once: ``gazetteer()`` and ``gazetteer("thanh_hoa")``
    are the same one (an lru_cache on this function, keyed by its arguments as given, held
    them apart: a text PDF's run loaded it twice, 0.03 s of CPU)."""
    return _loaded(province)


@functools.lru_cache(maxsize=None)
def _loaded(province: str) -> Gazetteer:
    return Gazetteer.load(province)


gazetteer.cache_clear = _loaded.cache_clear  # type: ignore[attr-defined]  # as lru_cache's (bench_places)
