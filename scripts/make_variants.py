#!/usr/bin/env python3
"""Write N seeded table documents chitieu has never seen, each with its truth (issue 11).

    python scripts/make_variants.py --n 12 --seed 1 --out variants/

For document i: `v<i>_<family>_<kind>.pdf` (kind: text, scan, turned, stamped, fax, lowres;
see variants/damage.py; photo, asked for with --kinds photo, is `.jpg`, `.webp`, `.heic` or a
PDF of a photo per page, see variants/photo.py; with --sheets, `v<i>_<family>_sheet.<form>` and its twin
`.twin.pdf`, see variants/sheets.py), `v<i>_<family>_<kind>.truth.csv`
(district, commune, indicator_id, phase, value, status, value_raw; with --reform, the
documents written after the July 2025 reform, also commune_code and unit_generation:
see variants/reform.py), and one row of OUT/variants.csv naming the axes it was drawn with. Document i draws everything from
random.Random(seed + i), so the same seed gives the same files on the same machine
(the engines and fonts drawn from are those installed: Chromium and LibreOffice beside
reportlab, see variants/engines.py; Liberation and Noto only when present).
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from variants import content, damage, engines, prose_docs, prose_text, reform, reform_docs, render, sheets, \
    templates  # noqa: E402

FAMILIES = ("deck", "district")
TRUTH_COLUMNS = ("district", "commune", "indicator_id", "phase", "value", "status", "value_raw")
AXIS_COLUMNS = ("name", "seed", "family", "engine", "layout", "font", "page", "base_size", "font_size", "header_lines",
                "label_lines", "pages", "n_localities", "n_indicators", "decimal", "word_share", "fractions",
                "target_col", "target_row", "sections", "phase_style", "pairs", "header_kind",
                "commune_typed", "district", *damage.AXES, "form", "value_style", "title_cell", "hidden",
                "csv_encoding", "csv_delimiter", "level", "unit", "list_mark", "letterhead", "multi",
                "unit_style", "intro", "generation", "year", "place_header", "name_style", "total_rows", "dated",
                "twins", "code", "truth_cells")  # damage.KINDS: about half stay text


PROSE_TRUTH = (*TRUTH_COLUMNS, "qualifier")
REFORM_KINDS = ("template", "communes", "prose")  # --reform: the families of documents written after July 2025
REFORM_TRUTH = (*TRUTH_COLUMNS, *reform.TRUTH_EXTRA)


def make_one(i: int, seed: int, out: Path, tmp: Path, only: dict | None = None) -> dict:
    rng = random.Random(seed + i)
    only = only or {}
    if only.get("prose"):
        return make_prose(i, seed, out, rng, only)
    if only.get("templates"):
        return make_template(i, seed, out, rng, only)
    if only.get("reform"):
        return make_reform(i, seed, out, tmp, rng, only)
    family = rng.choice(list(only.get("families") or FAMILIES))
    # a district sends its whole consolidation as a spreadsheet: 5-30 communes (issue 13)
    c = content.deck_content(rng) if family == "deck" else \
        content.district_content(rng, (5, 30) if only.get("sheets") else (3, 12))
    return make_table(i, seed, out, tmp, rng, c, family, only)


def make_table(i: int, seed: int, out: Path, tmp: Path, rng: random.Random, c: content.Content, family: str,
               only: dict, truth_of=content.truth_rows, columns=TRUTH_COLUMNS,
               pick: random.Random | None = None) -> dict:
    """Document i as a table drawn by an engine (a PDF, maybe scanned), or as a spreadsheet;
    ``pick`` draws its damage kind among --kinds (by default the document's first draw again)."""
    look = render.draw_axes(rng, only.get("fonts"))
    if only.get("sheets"):
        return make_sheet(i, seed, out, rng, c, family, look, only, truth_of, columns)
    kinds = only.get("kinds")
    hurt = damage.draw_axes(rng, (pick or random.Random(seed + i)).choice(kinds) if kinds else None)
    engine = rng.choice(list(only.get("engines") or engines.available_engines()))  # drawn last, so the axes above keep their draws
    name = f"v{i:04d}_{family}_{hurt['kind']}"  # v0001_deck_fax
    made = f"{name}.pdf"
    if hurt["kind"] != "text":
        text_pdf = tmp / f"{name}.text.pdf"
        drawn = engines.build(engine, c, look, text_pdf)
        made, taken = damage.damage_pdf(text_pdf, out, name, hurt, seed + i)  # a photo: .jpg, .webp, ...
        hurt |= taken
        text_pdf.unlink()
    else:
        drawn = engines.build(engine, c, look, out / made)
    truth = truth_of(c)
    write_csv(out / f"{name}.truth.csv", columns, truth)
    return {"name": made, "seed": seed + i, "family": family, "engine": engine, **c.axes, **look,
            **drawn, **hurt, "truth_cells": len(truth)}


def make_sheet(i: int, seed: int, out: Path, rng: random.Random, c: content.Content, family: str,
               look: dict, only: dict, truth_of=content.truth_rows, columns=TRUTH_COLUMNS) -> dict:
    """Document i as a spreadsheet (kind "sheet"), with its PDF twin beside it: the same
    content as reportlab draws it, with the texts the sheet shows (``<name>.twin.pdf``)."""
    ax = sheets.draw_axes(rng, only.get("forms"))
    name = f"v{i:04d}_{family}_sheet"
    drawn = sheets.build_sheet(c, ax, out / f"{name}.{ax['form']}", rng)
    twin = render.build_pdf(c, look, out / f"{name}.twin.pdf")
    truth = truth_of(c)
    write_csv(out / f"{name}.truth.csv", columns, truth)
    return {"name": f"{name}.{ax['form']}", "seed": seed + i, "family": family, "engine": "openpyxl",
            **c.axes, **look, **twin, **ax, **drawn, "kind": "sheet", "truth_cells": len(truth)}


def make_prose(i: int, seed: int, out: Path, rng: random.Random, only: dict) -> dict:
    """Document i as a prose report (family "prose"): .docx, LibreOffice PDF or its scan."""
    r = prose_text.report_content(rng)
    ax = prose_docs.draw_axes(rng, only.get("prose"))
    stem = f"v{i:04d}_prose_{ax['form']}"
    name, drawn = prose_docs.build(r, ax, out, stem, rng, seed + i)
    truth = prose_text.truth_rows(r)
    write_csv(out / f"{stem}.truth.csv", PROSE_TRUTH, truth)
    return {"name": name, "seed": seed + i, "family": "prose", **r.axes, **ax, **drawn, "truth_cells": len(truth)}


def make_template(i: int, seed: int, out: Path, rng: random.Random, only: dict) -> dict:
    """Document i as the 2024 commune template (family "template"): .docx, .doc, PDF or scan."""
    place, ax, results = templates.draw(rng, only.get("templates"))
    stem = f"v{i:04d}_template_{ax['form']}"
    name, drawn = templates.build(place, ax, results, out, stem, rng, seed + i)
    truth = templates.truth_rows(place, results)
    write_csv(out / f"{stem}.truth.csv", TRUTH_COLUMNS, truth)
    return {"name": name, "seed": seed + i, "family": "template", "district": place.district,
            "unit": place.commune, **ax, **drawn, "truth_cells": len(truth)}


def make_reform(i: int, seed: int, out: Path, tmp: Path, rng: random.Random, only: dict) -> dict:
    """Document i as one written after the July 2025 reform (families reform_template,
    reform_communes, reform_prose: variants/reform.py), its truth naming the new unit."""
    kind = rng.choice(list(only["reform"]))
    if kind == "communes":
        c = reform.communes_content(rng)
        # the kind among --kinds drawn apart: the first draw, again, chose the family
        pick = random.Random(f"reform-kind:{seed + i}")
        return make_table(i, seed, out, tmp, rng, c, c.family, only, reform.communes_truth, REFORM_TRUTH, pick)
    if kind == "prose":
        r = reform_docs.prose_report(rng)
        ax = prose_docs.draw_axes(rng, None)
        stem = f"v{i:04d}_reform_prose_{ax['form']}"
        name, drawn = prose_docs.build(r, ax, out, stem, rng, seed + i)
        truth = reform_docs.prose_truth(r)
        write_csv(out / f"{stem}.truth.csv", (*PROSE_TRUTH, *reform.TRUTH_EXTRA), truth)
        return {"name": name, "seed": seed + i, "family": "reform_prose", **r.axes, **ax, **drawn,
                "truth_cells": len(truth)}
    u, ax, results = reform_docs.draw_template(rng, None)
    stem = f"v{i:04d}_reform_template_{ax['form']}"
    name, drawn = reform_docs.build_template(u, ax, results, out, stem, rng, seed + i)
    truth = reform_docs.template_truth(u, results)
    write_csv(out / f"{stem}.truth.csv", REFORM_TRUTH, truth)
    return {"name": name, "seed": seed + i, "family": "reform_template", "district": "", "unit": u.name,
            "code": u.code, "twins": int(u.twin), "generation": reform.GENERATION, **ax, **drawn,
            "truth_cells": len(truth)}


def write_csv(path: Path, columns, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def generate(n: int, seed: int, out: Path, *, fonts: tuple[str, ...] | None = None,
             engines_: tuple[str, ...] | None = None, kinds: tuple[str, ...] | None = None,
             forms: tuple[str, ...] | None = None, families: tuple[str, ...] | None = None,
             prose: tuple[str, ...] | None = None, templates_: tuple[str, ...] | None = None,
             reform_: tuple[str, ...] | None = None) -> list[dict]:
    """Write n variants; ``fonts`` and ``engines_`` restrict what is drawn from (the test
    suite's subset draws from what every machine has: reportlab and fonts-dejavu-core);
    ``kinds``, the damage kinds (a matrix of one class, to measure a change made for it);
    ``forms``, spreadsheets of these forms (xlsx, ods, xls, csv) instead of PDFs;
    ``families``, only these table families (deck, district); ``prose``, prose reports in
    these forms (docx, pdf, scan) instead of tables; ``templates_``, the commune template in
    these forms (docx, doc, pdf, scan); ``reform_``, documents written after the July 2025
    reform of these kinds (template, communes, prose), in the forms this machine can write."""
    out.mkdir(parents=True, exist_ok=True)
    only = {"fonts": fonts, "engines": engines_, "kinds": kinds, "sheets": bool(forms), "forms": forms,
            "families": families, "prose": prose, "templates": templates_, "reform": reform_}
    with tempfile.TemporaryDirectory(prefix="variants-") as tmp:
        axes = [make_one(i, seed, out, Path(tmp), only) for i in range(n)]
    write_csv(out / "variants.csv", AXIS_COLUMNS, axes)
    return axes


def _forms(ap: argparse.ArgumentParser, value: str | None, family, what: str) -> tuple[str, ...] | None:
    """The forms an option names ("xlsx,csv", or "all": those this machine can write), checked."""
    if not value:
        return None
    forms = tuple(family.available_forms()) if value == "all" else \
        tuple(f.strip() for f in value.split(",") if f.strip())
    for f in forms:
        if f not in family.FORMS:
            ap.error(f"unknown {what} {f!r}: expected one of {', '.join(family.FORMS)}")
    return forms


def _kinds(ap: argparse.ArgumentParser, value: str | None) -> tuple[str, ...] | None:
    """The reform kinds an option names ("template,prose", or "all"), checked."""
    if not value:
        return None
    kinds = REFORM_KINDS if value == "all" else tuple(k.strip() for k in value.split(",") if k.strip())
    for k in kinds:
        if k not in REFORM_KINDS:
            ap.error(f"unknown reform kind {k!r}: expected one of {', '.join(REFORM_KINDS)}")
    return kinds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--kinds", default=None, metavar="K,K",
                    help=f"only these damage kinds ({', '.join(damage.KINDS)}), e.g. fax; default: drawn with their "
                         "shares, photo never (phone photos: --kinds photo)")
    ap.add_argument("--sheets", default=None, metavar="F,F",
                    help=f"spreadsheets instead of PDFs, of these forms ({', '.join(sheets.FORMS)}; "
                         "'all': those this machine can write), each with its PDF twin <name>.twin.pdf")
    ap.add_argument("--prose", default=None, metavar="F,F",
                    help=f"prose reports instead of tables, in these forms ({', '.join(prose_docs.FORMS)}; "
                         "'all': those this machine can write, photo aside: name it, e.g. --prose photo)")
    ap.add_argument("--templates", default=None, metavar="F,F",
                    help=f"the filled 2024 commune template instead, in these forms ({', '.join(templates.FORMS)}; "
                         "'all': those this machine can write, photo aside: name it, e.g. --templates photo)")
    ap.add_argument("--reform", default=None, metavar="K,K",
                    help=f"documents written after the July 2025 reform instead, naming the new communes and wards "
                         f"with no district, dated 2025/2026, of these kinds ({', '.join(REFORM_KINDS)}; 'all'): "
                         "the template and the prose report in every form, the consolidation of the province's "
                         "new communes as the table family draws it (--kinds applies)")
    args = ap.parse_args(argv)
    reform_kinds = _kinds(ap, args.reform)
    chosen_templates = _forms(ap, args.templates, templates, "template form")
    prose = _forms(ap, args.prose, prose_docs, "prose form")
    forms = _forms(ap, args.sheets, sheets, "form")
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip()) if args.kinds else None
    for k in kinds or ():
        if k not in damage.KINDS:
            ap.error(f"unknown damage kind {k!r}: expected one of {', '.join(damage.KINDS)}")
    axes = generate(args.n, args.seed, args.out, kinds=kinds, forms=forms, prose=prose,
                    templates_=chosen_templates, reform_=reform_kinds)
    kinds = Counter(a["kind"] for a in axes)
    print(f"{len(axes)} documents ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}) in {args.out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
