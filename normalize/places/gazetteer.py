"""One province's official units, loaded once from the committed gazetteer.

The gazetteer is committed data (`data/gazetteer_<province>.csv`, built by
`scripts/build_gazetteer.py`): districts and communes as of 2024 with their codes and
their successor after the July-2025 reform. Names are resolved against it by
`normalize.places.resolve`, locality headers by `normalize.places.locality`.
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

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

    def __init__(self, rows: list[dict]) -> None:
        self.districts: dict[str, Unit] = {}
        self.communes: dict[str, Unit] = {}
        for r in rows:
            dc = r["district_code"]
            if dc not in self.districts:
                self.districts[dc] = Unit(dc, r["district"], r["district_short"], r["district_type"], dc)
            self.communes[r["commune_code"]] = Unit(
                r["commune_code"], r["commune"], r["commune_short"], r["commune_type"], dc,
                self.districts[dc].contract_name, r["successor_commune"], r["successor_code"],
                r["successor_split"].strip().lower() == "true")
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
        with open(DATA_DIR / f"gazetteer_{province}.csv", encoding="utf-8", newline="") as fh:
            return cls(list(csv.DictReader(fh)))

    def memo(self, key: tuple, compute):
        """The lookup ``key`` of this gazetteer, computed once."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


@functools.lru_cache(maxsize=None)
def gazetteer(province: str = DEFAULT_PROVINCE) -> Gazetteer:
    return Gazetteer.load(province)
