#!/usr/bin/env python3
"""Fidelity of chitieu on documents it has never seen (issue 11): generated variants vs their truth.

    python bench/bench_fidelity.py --n 12 --seed 1 [--keep DIR] [--jobs J]
    python bench/bench_fidelity.py --folder DIR [--kinds text,fax]   # re-score variants already made
    python bench/bench_fidelity.py --n 100 --seed 1 --prose docx,pdf,scan    # prose reports (issue 13)
    python bench/bench_fidelity.py --n 60 --seed 1 --sheets xlsx,ods,xls,csv # spreadsheets and their twins
    python bench/bench_fidelity.py --n 40 --seed 25 --reform all   # written after the July 2025 reform (issue 17)
    python bench/bench_fidelity.py --n 30 --seed 5 --kinds photo   # phone photos (issue 12: --prose photo, --templates photo)

Generates the variants (scripts/make_variants.py) into a temporary folder or DIR, reads
them all with one chitieu.read (no cache), and prints per family × damage class (the issue's
targets: text; scan = 200-400 dpi gray or colour, skewed, turned or stamped; lowres = gray
150 dpi; fax) and again per damage kind across families: truth cells, right, wrong but
flagged, wrong and silent, missing, spurious (flagged / silent), and documents with no
record; then how the value cells under a seal or a signature came out; then, for phone photos
(damage kind photo, variants/photo.py), the cells right by the photo's blur σ (0, 0.5, 1.0,
1.5 px, the nearest), by its width (1200-2000, 2000-3000, 3000-4000 px) and by its file (jpg,
webp, heic, with an EXIF Orientation tag or not; a PDF of a photo per page). Documents whose
truth names each value's unit by code and generation (make_variants --reform: the new
units after the July 2025 reform) are also scored on their units: a value is right only
with the truth's district, commune, code and generation, and a table per family gives the
share of their records whose unit is right, and the misattributions (a record given a unit
the document does not report), flagged or silent (issue 17: units right on ≥ 99.5% of
records, no silent misattribution). The failing cells go to fidelity_failures.csv (in DIR, or the
current folder). Always exits 0: this is a measure, not a test.
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import chitieu  # noqa: E402
import make_variants  # noqa: E402
from fidelity_keys import key, nfc, place, record_key, shared_names  # noqa: E402,F401  (key: the tests' too)
from variants import damage, photo  # noqa: E402

COLUMNS = ("truth", "right", "wrong_flagged", "wrong_silent", "missing",
           "spurious_flagged", "spurious_silent", "docs", "docs_empty")
# damage classes (the targets: text, scan, lowres, fax), then the kinds that only scan has
ORDER = ("text", "scan", "lowres", "fax", "turned", "stamped", "photo", "sheet", "twin")
FAILURE_COLUMNS = ("source_file", "group", "kind", "district", "commune", "indicator_id", "phase",
                   "truth_value", "truth_status", "truth_raw", "got_value", "got_status", "got_raw",
                   "needs_review", "note", "truth_code", "truth_generation", "got_district", "got_code",
                   "got_generation")


def kind_of(a: dict) -> str:
    """A document's damage kind (variants.csv before the kinds had only damage = none | scan)."""
    return a.get("kind") or ("scan" if a.get("damage") == "scan" else "text")


def twin_of(name: str) -> str:
    """The PDF twin of a spreadsheet variant (make_variants --sheets)."""
    return name.split(".")[0] + ".twin.pdf"


def load_truth(folder: Path, twins: bool = False) -> tuple[dict, dict, dict]:
    """Truth cells by key, each document's group (family × damage class), and its axes;
    with ``twins``, a spreadsheet's PDF twin too, as a document of kind "twin"."""
    rows, groups, docs = [], {}, {}
    with (folder / "variants.csv").open(encoding="utf-8", newline="") as fh:
        for a in csv.DictReader(fh):
            names = [a["name"]]
            if twins and kind_of(a) == "sheet":
                names.append(twin_of(a["name"]))
                docs[names[1]] = a | {"name": names[1], "kind": "twin"}
                groups[names[1]] = f"{a['family']} × twin"
            docs[a["name"]] = a
            groups[a["name"]] = f"{a['family']} × {damage.damage_class(kind_of(a))}"
            with (folder / (a["name"].split(".")[0] + ".truth.csv")).open(encoding="utf-8", newline="") as t:
                for r in csv.DictReader(t):
                    for name in names:
                        rows.append((key(name, r["commune"], r["indicator_id"], r["phase"]), r))
    shared = shared_names(rows)  # two communes of one name: told apart by their district
    truth = {key(k[0], place(shared, k[0], t["commune"], t["district"]), k[2], k[3]): t for k, t in rows}
    return truth, groups, docs


def same(t: dict, got) -> bool:
    if nfc(got.status) != t["status"]:
        return False
    if t.get("unit_generation") and not same_unit(unit_of_truth(t), unit_of(got)):
        return False  # the right name of the wrong generation ("Xã Quảng Bình" 16468 for 16543)
    if "qualifier" in t and nfc(got.qualifier) != t["qualifier"]:  # prose truth says its qualifier
        return False
    if t["value"] == "":
        return got.value is None or (isinstance(got.value, float) and math.isnan(got.value))
    try:
        return abs(float(got.value) - float(t["value"])) < 1e-6
    except (TypeError, ValueError):
        return False


def unit_of(rec) -> tuple[str, str, str, str]:
    """A record's unit: district, commune, commune code, generation."""
    return (nfc(rec.district), nfc(rec.commune), nfc(rec.commune_code), nfc(getattr(rec, "unit_generation", "")))


def unit_of_truth(t: dict) -> tuple[str, str, str, str]:
    return (t["district"], t["commune"], t.get("commune_code", ""), t.get("unit_generation", ""))


def same_unit(want: tuple, got: tuple) -> bool:
    """The truth's unit: district and commune always, code and generation when it says them
    (a province's total row says neither)."""
    return want[:2] == got[:2] and all(not w or w == g for w, g in zip(want[2:], got[2:]))


def unit_scores(truth: dict, groups: dict, records) -> dict:
    """Per group of the documents whose truth names units by generation: their records
    ("records", targets aside), those whose unit is one the document reports ("right"), the
    others ("misattributed_flagged" / "_silent"); and the truth's values ("values") found
    under their unit ("found"). A record's unit is judged apart from its value: a value
    misread under the right unit is the value's fault, not the unit's."""
    units_of = defaultdict(set)  # document -> the units its truth reports
    for k, t in truth.items():
        if "unit_generation" in t and k[3] != "target":
            units_of[k[0]].add(unit_of_truth(t))
    out = defaultdict(Counter)
    found = set()
    shared = shared_names(truth)
    for rec in records.itertuples(index=False):
        source = nfc(rec.source_file)
        if source not in units_of or nfc(rec.phase) == "target":
            continue
        s = out[groups[source]]
        s["records"] += 1
        k = record_key(rec, shared)
        # a record with no unit is the province's total only where the truth has one, once
        province = not any(unit_of(rec)[:2])
        if any(same_unit(u, unit_of(rec)) for u in units_of[source]) and (
                not province or (k in truth and k not in found)):
            s["right"] += 1
            found.add(k)
        else:
            s["misattributed_" + ("flagged" if rec.needs_review else "silent")] += 1
    for k, t in truth.items():
        if k[0] in units_of and k[3] != "target":
            out[groups[k[0]]]["values"] += 1
            out[groups[k[0]]]["found"] += k in found
    return dict(sorted(out.items(), key=lambda kv: group_order(kv[0])))


def unit_share(scores: dict) -> float | None:
    """Percent of the records whose unit is right, over all the groups scored."""
    total = Counter()
    for s in scores.values():
        total.update(s)
    return 100.0 * total["right"] / total["records"] if total["records"] else None


def print_units(scores: dict) -> None:
    if not scores:
        return
    print("\nunits (documents whose truth names each unit by code and generation)")
    total = Counter()
    for s in scores.values():
        total.update(s)
    for g, s in [*scores.items(), ("all", total)]:
        share = 100 * s["right"] / s["records"] if s["records"] else 0.0
        wrong = s["misattributed_flagged"] + s["misattributed_silent"]
        print(f"{g:<28} records {s['records']:>6}  unit right {s['right']:>6} ({share:6.2f}%)  "
              f"misattributed {wrong:>5} (silent {s['misattributed_silent']:>4})  "
              f"truth values under their unit {s['found']}/{s['values']}")


def failure(kind: str, group: str, k: tuple, t: dict | None, got) -> dict:
    row = {"source_file": k[0], "group": group, "kind": kind, "commune": k[1], "indicator_id": k[2], "phase": k[3]}
    if t:
        row |= {"district": t["district"], "truth_value": t["value"], "truth_status": t["status"],
                "truth_raw": t["value_raw"], "truth_code": t.get("commune_code", ""),
                "truth_generation": t.get("unit_generation", "")}
    if got is not None:
        row |= {"district": row.get("district") or nfc(got.district), "got_value": got.value,
                "got_status": got.status, "got_raw": nfc(got.value_raw),
                "needs_review": bool(got.needs_review), "note": nfc(got.note), "got_district": nfc(got.district),
                "got_code": nfc(got.commune_code), "got_generation": nfc(getattr(got, "unit_generation", ""))}
    return row


def compare(truth: dict, groups: dict, records) -> tuple[dict, list[dict]]:
    by_key = defaultdict(list)
    shared = shared_names(truth)
    for rec in records.itertuples(index=False):
        by_key[record_key(rec, shared)].append(rec)
    stats = {g: Counter() for g in sorted(set(groups.values()), key=group_order)}
    failures = []
    for k, t in truth.items():
        g = groups[k[0]]
        stats[g]["truth"] += 1
        got = by_key.get(k, [None])[0]
        if got is None:
            stats[g]["missing"] += 1
            failures.append(failure("missing", g, k, t, None))
        elif same(t, got):
            stats[g]["right"] += 1
        else:
            kind = "wrong_flagged" if got.needs_review else "wrong_silent"
            stats[g][kind] += 1
            failures.append(failure(kind, g, k, t, got))
    for k, recs in by_key.items():
        g = groups.get(k[0], "?")
        extra = recs if k not in truth else recs[1:]  # a second value for one key is spurious too
        for rec in extra:
            kind = "spurious_flagged" if rec.needs_review else "spurious_silent"
            stats.setdefault(g, Counter())[kind] += 1
            failures.append(failure(kind, g, k, truth.get(k), rec))
    seen = {nfc(s) for s in records["source_file"]}
    for doc, g in groups.items():
        stats[g]["docs"] += 1
        stats[g]["docs_empty"] += doc not in seen
    return stats, failures


def share_right(stats: dict, damage_class: str) -> float | None:
    """Percent of the truth cells read right over the groups of one damage class ("text", "scan")."""
    total = Counter()
    for group, s in stats.items():
        if group.endswith(f" × {damage_class}"):
            total.update(s)
    return 100.0 * total["right"] / total["truth"] if total["truth"] else None


def group_order(g: str) -> tuple:
    """Families in order, and within one the damage classes (or kinds) in the issue's order."""
    head, _, tail = g.rpartition(" × ")
    return (head, ORDER.index(tail) if tail in ORDER else len(ORDER), tail)


def print_table(stats: dict, title: str = "family × damage") -> None:
    width = max(len(g) for g in [*stats, title, "all"])
    print(f"{title:<{width}}  " + "  ".join(f"{c:>16}" for c in COLUMNS))
    total = Counter()
    for g, s in stats.items():
        total.update(s)
        print_row(g, s, width)
    print_row("all", total, width)


def print_row(name: str, s: Counter, width: int) -> None:
    cells = []
    for c in COLUMNS:
        share = f" ({100 * s[c] / s['truth']:.1f}%)" if s["truth"] and c not in ("truth", "docs", "docs_empty") else ""
        cells.append(f"{s[c]}{share}")
    print(f"{name:<{width}}  " + "  ".join(f"{c:>16}" for c in cells))


def marked_cells(truth: dict, docs: dict, failures: list[dict], axis: str) -> Counter:
    """How the value cells under the seal (axis "stamped") or the signature ("signed") came out.

    A mark's cell is named by its text ("-1:3 45,2%"): it is its document's truth cell printed
    so when only one is; a text printed more than once (100%) is counted as ambiguous.
    """
    failed = {key(f["source_file"], f["commune"], f["indicator_id"], f["phase"]): f["kind"]
              for f in failures if f["kind"] in ("missing", "wrong_flagged", "wrong_silent")}
    printed = defaultdict(lambda: defaultdict(list))  # document -> first word printed -> truth keys
    for k, t in truth.items():
        printed[k[0]][(nfc(t["value_raw"]).split() or [""])[0]].append(k)
    out = Counter()
    for name, a in docs.items():
        for cell in filter(None, (a.get(axis) or "").split("; ")):
            keys = printed[name].get(nfc(cell.split(" ", 1)[-1]), [])
            out["cells"] += 1
            out["docs:" + name] = 1
            out[failed.get(keys[0], "right") if len(keys) == 1 else "ambiguous"] += 1
    out["docs"] = sum(1 for k in out if k.startswith("docs:"))
    return out


def print_marks(truth: dict, docs: dict, failures: list[dict]) -> None:
    for axis, what in (("stamped", "under the seal"), ("signed", "under the signature")):
        m = marked_cells(truth, docs, failures, axis)
        if m["cells"]:
            print(f"value cells {what}: {m['cells']} in {m['docs']} documents: right {m['right']}, "
                  f"wrong_flagged {m['wrong_flagged']}, wrong_silent {m['wrong_silent']}, missing {m['missing']}, "
                  f"ambiguous {m['ambiguous']} (text printed more than once)")


def photo_curves(truth: dict, docs: dict, records) -> dict[str, dict]:
    """The photos' scores by blur σ, by width band and by file (format, EXIF tag or none):
    {curve title: {bin: Counter}}, every bin of the curve in order (an empty one with no counts)."""
    photos = {name: a for name, a in docs.items() if kind_of(a) == "photo"}
    if not photos:
        return {}
    ours = {k: t for k, t in truth.items() if k[0] in photos}
    mine = records[records["source_file"].map(nfc).isin(set(photos))]
    curves = {"photo blur σ (px)": (lambda a: f"σ {photo.blur_bin(a['blur']):.1f}",
                                    [f"σ {b:.1f}" for b in photo.BLUR_BINS]),
              "photo width (px)": (lambda a: photo.width_bin(a["width"]), list(photo.WIDTH_BINS)),
              "photo file": (lambda a: a["format"] + (" exif" if a["exif"] else ""),  # a PDF of photos: no EXIF
                             [f"{f}{e}" for f in photo.FORMATS[0] for e in ("", " exif")] + ["pdf"])}
    out = {}
    for title, (bin_of, bins) in curves.items():
        stats = compare(ours, {name: bin_of(a) for name, a in photos.items()}, mine)[0]
        out[title] = {b: stats.get(b, Counter()) for b in bins}
    return out


def print_curves(curves: dict[str, dict]) -> None:
    for title, stats in curves.items():
        print()
        print_table(stats, title)
        points = [f"{b} {100 * s['right'] / s['truth']:.1f}%" if s["truth"] else f"{b} —" for b, s in stats.items()]
        print(f"curve, cells right: {' · '.join(points)}")


def run(folder: Path, jobs: int | None, out_dir: Path, kinds: set[str] | None = None, dpi: int = 300) -> None:
    truth, groups, docs = load_truth(folder, twins=True)
    if kinds:  # only the documents of these damage kinds
        docs = {n: a for n, a in docs.items() if kind_of(a) in kinds}
        groups = {n: g for n, g in groups.items() if n in docs}
        truth = {k: t for k, t in truth.items() if k[0] in docs}
    t0 = time.monotonic()
    result = chitieu.read([str(folder / n) for n in sorted(docs)], jobs=jobs, progress=False, dpi=dpi)
    took = time.monotonic() - t0
    stats, failures = compare(truth, groups, result.records)
    print(f"{len(groups)} documents, {len(truth)} truth cells, read in {took:.1f} s; "
          f"{len(result.errors)} rows in errors")
    print_table(stats, "family × damage class")
    print()
    by_kind, _ = compare(truth, {name: kind_of(a) for name, a in docs.items()}, result.records)
    print_table(by_kind, "damage kind")
    print_marks(truth, docs, failures)
    print_curves(photo_curves(truth, docs, result.records))
    print_units(unit_scores(truth, groups, result.records))
    path = out_dir / "fidelity_failures.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FAILURE_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(failures)
    print(f"{len(failures)} failing cells in {path}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="generate into DIR and keep it (failures CSV goes there too)")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--dpi", type=int, default=300, help="chitieu's --dpi: scanned pages rendered at this resolution")
    ap.add_argument("--folder", type=Path, help="re-score the variants already in DIR (no generation)")
    ap.add_argument("--kinds", help="only these damage kinds, comma-separated (text, scan, turned, ..., photo): "
                                    "the ones generated, or the ones scored of --folder")
    ap.add_argument("--sheets", help="generate spreadsheets of these forms (xlsx,ods,xls,csv) with their PDF twins")
    ap.add_argument("--prose", help="generate prose reports in these forms (docx,pdf,scan,photo)")
    ap.add_argument("--templates", help="generate the 2024 commune template in these forms (docx,doc,pdf,scan,photo)")
    ap.add_argument("--reform", help="generate documents written after the July 2025 reform of these kinds "
                                     "(template,communes,prose, or all)")
    args = ap.parse_args(argv)
    kinds = set(args.kinds.split(",")) if args.kinds else None
    reform = make_variants.REFORM_KINDS if args.reform == "all" else args.reform
    made = {"forms": tuple(args.sheets.split(",")) if args.sheets else None,
            "prose": tuple(args.prose.split(",")) if args.prose else None,
            "templates_": tuple(args.templates.split(",")) if args.templates else None,
            "kinds": tuple(args.kinds.split(",")) if args.kinds else None,  # generated: only these kinds too
            "reform_": tuple(reform.split(",")) if isinstance(reform, str) else reform}
    try:
        if args.folder:
            run(args.folder, args.jobs, args.folder, kinds, args.dpi)
        elif args.keep:
            make_variants.generate(args.n, args.seed, args.keep, **made)
            run(args.keep, args.jobs, args.keep, dpi=args.dpi)
        else:
            with tempfile.TemporaryDirectory(prefix="fidelity-") as tmp:
                make_variants.generate(args.n, args.seed, Path(tmp), **made)
                run(Path(tmp), args.jobs, Path.cwd(), dpi=args.dpi)
    except Exception as exc:  # a measure reports what broke instead of failing the caller
        print(f"bench_fidelity: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
