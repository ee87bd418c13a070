#!/usr/bin/env python3
"""Which Tesseract model reads the scans best, measured per pass (issue 11, item 6).

    .venv/bin/python bench/bench_fidelity.py --n 300 --seed 1 --keep VARIANTS/   # once
    .venv/bin/python bench/bench_models.py --folder VARIANTS/ [--n 40] [--jobs 2]
        [--langs vie,Vietnamese,vie+eng,Vietnamese+eng,vie:Vietnamese]

Reads a fixed subset of the scanned variants in FOLDER (made earlier by
scripts/make_variants.py or bench_fidelity.py --keep: v*.pdf, v*.truth.csv, variants.csv)
once per setting with ``chitieu.read(paths, lang=..., jobs=J)`` (no cache), and scores each
run against the truth with bench_fidelity.compare. The subset: N documents of the scanned
kinds (scan, lowres, turned, stamped, fax), taken in name order one kind after the other
(N=40: the first 8 of each kind), so every kind weighs alike and runs are comparable.

A setting is ``PAGE[:CELLS[:VERIFY]]``, each a Tesseract language (``vie``, ``Vietnamese``
for Debian's tesseract-ocr-script-viet, ``vie+eng``...; ``script/Vietnamese`` is taken as
``Vietnamese`` when the model lies at the top of tessdata, as Debian puts it):
  PAGE    the page pass (and the page read again when turned): what ``lang`` sets today;
  CELLS   the cells read again (lone cells of a grid, empty-but-inked and doubtful cells);
          default PAGE;
  VERIFY  the second, checking reading of the values; default what chitieu picks
          (extract.ocr.cells._second_model: eng when installed).
chitieu does not accept the script model yet (pytesseract filters the names of the
installed languages to lower case), so this bench widens that filter in its own process.
CELLS and VERIFY are set by replacing, in this process only, the functions chitieu calls
(the pool's workers are forked, so they inherit them); PAGE alone needs no patch.

Prints, per setting, the truth cells, right (%), wrong_flagged, wrong_silent, missing,
spurious_flagged, spurious_silent and wall time; then the same per damage kind and setting.
Always exits 0: this is a measure, not a test.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "scripts"))

import pytesseract.pytesseract  # noqa: E402

# pytesseract lists only the languages named ^[a-z_]+$, so chitieu (extract/ocr/engine.py) sees
# neither Debian's script model "Vietnamese" nor "script/Vietnamese" and refuses them; here
# the names Tesseract itself lists are let through (this process and its forked workers only).
pytesseract.pytesseract.LANG_PATTERN = re.compile(r"^[A-Za-z0-9_/-]+$")

import bench_fidelity  # noqa: E402
import chitieu  # noqa: E402
from extract.ocr import cells as ocr_cells  # noqa: E402
from extract.ocr import page as ocr_page  # noqa: E402
from extract.ocr.engine import installed_languages  # noqa: E402

SCANNED = ("scan", "lowres", "turned", "stamped", "fax")
DEFAULT_LANGS = "vie,Vietnamese,vie+eng,Vietnamese+eng"
COLUMNS = ("right", "wrong_silent", "spurious_silent", "wrong_flagged", "missing", "spurious_flagged")


def pick(docs: dict, n: int) -> list[str]:
    """N scanned documents: in name order within each kind, the kinds taken in turn."""
    by_kind = {k: sorted(name for name, a in docs.items() if bench_fidelity.kind_of(a) == k) for k in SCANNED}
    out: list[str] = []
    depth = 0
    while len(out) < n and any(depth < len(v) for v in by_kind.values()):
        out += [v[depth] for v in by_kind.values() if depth < len(v)][: n - len(out)]
        depth += 1
    return sorted(out)


def model(code: str) -> str:
    """One language of a setting as Tesseract knows it here (raises when it is not installed)."""
    installed = installed_languages()
    parts = []
    for part in code.split("+"):
        if part not in installed and part.rsplit("/", 1)[-1] in installed:
            part = part.rsplit("/", 1)[-1]  # Debian: script/Vietnamese lies at tessdata/Vietnamese
        if part not in installed:
            raise SystemExit(f"bench_models: no language data for {part!r} (have {', '.join(sorted(installed))})")
        parts.append(part)
    return "+".join(parts)


def parse_setting(text: str) -> tuple[str, str, str]:
    """``PAGE[:CELLS[:VERIFY]]`` → (page, cells, verify) models, the defaults filled in."""
    parts = [model(p) for p in text.split(":")]
    if len(parts) > 3:
        raise SystemExit(f"bench_models: {text!r}: at most PAGE:CELLS:VERIFY")
    page = parts[0]
    cells = parts[1] if len(parts) > 1 else page
    verify = parts[2] if len(parts) > 2 else ocr_cells._second_model(cells)
    return page, cells, verify


@contextmanager
def passes(page: str, cells: str, verify: str):
    """Make chitieu read the cells with ``cells`` and verify with ``verify`` (page pass: ``lang``)."""
    saved = ocr_page.lone_cell_words, ocr_cells.reread_cells, ocr_cells._second_model
    lone, reread, _ = saved

    def lone_cells(*args, **kw):
        return lone(*args, **{**kw, "lang": cells})

    def reread_cells(*args, **kw):
        return reread(*args, **{**kw, "lang": cells})

    if cells != page:
        ocr_page.lone_cell_words, ocr_cells.reread_cells = lone_cells, reread_cells
    ocr_cells._second_model = lambda lang: verify
    try:
        yield
    finally:
        ocr_page.lone_cell_words, ocr_cells.reread_cells, ocr_cells._second_model = saved


def run_setting(setting: str, folder: Path, names: list[str], truth: dict, kinds: dict, jobs: int) -> dict:
    """Read the documents with one setting; its counts per kind, in total, and its wall time."""
    page, cells, verify = parse_setting(setting)
    print(f"{setting}: page pass {page}, cells {cells}, verify {verify} ...", file=sys.stderr, flush=True)
    with passes(page, cells, verify):
        t0 = time.monotonic()
        result = chitieu.read([str(folder / n) for n in names], lang=page, jobs=jobs)
        took = time.monotonic() - t0
    by_kind, _ = bench_fidelity.compare(truth, kinds, result.records)
    total = sum(by_kind.values(), Counter())
    print(f"{setting}: {took:.0f} s, {total['right']} of {total['truth']} right, "
          f"{len(result.errors)} rows in errors", file=sys.stderr, flush=True)
    return {"setting": setting, "models": f"{page} | {cells} | {verify}", "seconds": took,
            "total": total, "by_kind": by_kind, "errors": len(result.errors)}


def cells_of(s: Counter) -> list[str]:
    right = f"{s['right']} ({100 * s['right'] / s['truth']:.1f}%)" if s["truth"] else "0"
    return [right, *(str(s[c]) for c in COLUMNS[1:])]


def print_totals(runs: list[dict]) -> None:
    width = max(len(r["setting"]) for r in runs + [{"setting": "setting"}])
    mwidth = max(len(r["models"]) for r in runs + [{"models": "page | cells | verify"}])
    print(f"{'setting':<{width}}  {'page | cells | verify':<{mwidth}}  {'truth':>6}  "
          + "  ".join(f"{c:>16}" for c in COLUMNS) + f"  {'errors':>6}  {'seconds':>7}")
    for r in runs:
        print(f"{r['setting']:<{width}}  {r['models']:<{mwidth}}  {r['total']['truth']:>6}  "
              + "  ".join(f"{c:>16}" for c in cells_of(r["total"])) + f"  {r['errors']:>6}  {r['seconds']:>7.0f}")


def print_by_kind(runs: list[dict], docs_per_kind: Counter) -> None:
    width = max(len(r["setting"]) for r in runs + [{"setting": "setting"}])
    print(f"{'kind':<12}  {'setting':<{width}}  {'truth':>6}  " + "  ".join(f"{c:>16}" for c in COLUMNS))
    for kind in SCANNED:
        for r in runs:
            s = r["by_kind"].get(kind)
            if s and s["truth"]:
                label = f"{kind} ({docs_per_kind[kind]})"
                print(f"{label:<12}  {r['setting']:<{width}}  {s['truth']:>6}  "
                      + "  ".join(f"{c:>16}" for c in cells_of(s)))
        print()


def write_csv(path: Path, runs: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["setting", "models", "kind", "truth", *COLUMNS, "seconds"])
        for r in runs:
            for kind, s in [("all", r["total"]), *r["by_kind"].items()]:
                w.writerow([r["setting"], r["models"], kind, s["truth"], *(s[c] for c in COLUMNS),
                            f"{r['seconds']:.1f}" if kind == "all" else ""])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", type=Path, required=True, help="variants made by bench_fidelity.py --keep")
    ap.add_argument("--n", type=int, default=40, help="scanned documents to read (default 40)")
    ap.add_argument("--langs", default=DEFAULT_LANGS, help=f"settings, comma separated (default {DEFAULT_LANGS})")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--csv", type=Path, help="also write the counts per setting and kind to this CSV")
    args = ap.parse_args(argv)
    settings = [s.strip() for s in args.langs.split(",") if s.strip()]
    for s in settings:
        parse_setting(s)  # every model there before the first long run
    truth, _, docs = bench_fidelity.load_truth(args.folder)
    names = pick(docs, args.n)
    chosen = set(names)
    truth = {k: t for k, t in truth.items() if k[0] in chosen}
    kinds = {n: bench_fidelity.kind_of(docs[n]) for n in names}
    per_kind = Counter(kinds.values())
    print(f"{len(names)} scanned documents of {args.folder} ({', '.join(f'{k} {per_kind[k]}' for k in SCANNED)}), "
          f"{len(truth)} truth cells, jobs {args.jobs}\n")
    runs = []
    for s in settings:
        try:
            runs.append(run_setting(s, args.folder, names, truth, kinds, args.jobs))
        except Exception as exc:  # a measure reports what broke and goes on
            print(f"bench_models: {s}: {type(exc).__name__}: {exc}", file=sys.stderr)
    if runs:
        print_totals(runs)
        print()
        print_by_kind(runs, per_kind)
        if args.csv:
            write_csv(args.csv, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
