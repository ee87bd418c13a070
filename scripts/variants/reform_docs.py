"""A new commune's documents after the July 2025 reform (variants/reform.py): the template
it fills in and its prose report, dated 2025 or 2026, with no district anywhere.

What varies is where a reader finds the unit and what could mislead it: the letterhead
names the province above the commune ("UBND TỈNH THANH HÓA / UBND XÃ …", or "TỈNH THANH
HÓA / ỦY BAN NHÂN DÂN XÃ …" as the decree on official documents has it), or the commune
alone, or only the unit field ("Tên đơn vị: UBND xã …"); the intro answers the province's
plan, or says which old units the commune was made from ("… trên cơ sở sắp xếp thị trấn
Thường Xuân, xã Xuân Dương, … (huyện Thường Xuân cũ)"): names of the old generation a
reader must not take for the unit.
"""
from __future__ import annotations

import random
from pathlib import Path

from docx import Document
from docx.shared import Pt

from variants import forms, prose_text, templates
from variants.reform import GENERATION, YEARS, NewUnit, as_place, draw_unit, short_of

UNIT_STYLES = ("field", "field_province", "province_lines", "province_table", "full_lines", "alone")
INTROS = ("none", "province", "history")
PLAN_ISSUER = "UBND tỉnh Thanh Hóa"


def unit_lines(u: NewUnit, style: str) -> list[str]:
    """The lines that name the unit at the top of the document, in ``style``."""
    low = f"{u.type.lower()} {u.short}"
    if style == "field":
        return [f"Tên đơn vị: UBND {low}"]
    if style == "field_province":
        return [f"Tên đơn vị: UBND {low}, tỉnh Thanh Hóa"]
    if style == "full_lines":
        return ["TỈNH THANH HÓA", f"ỦY BAN NHÂN DÂN {u.type.upper()} {u.short.upper()}"]
    if style == "alone":
        return [f"UBND {u.type.upper()} {u.short.upper()}"]
    return ["UBND TỈNH THANH HÓA", f"UBND {u.type.upper()} {u.short.upper()}"]


def history(u: NewUnit) -> str:
    """The sentence saying which old units the new one was made from, naming their old districts."""
    olds = [f"{t.split(' ', 1)[0].lower() if not t.startswith('Thị trấn') else 'thị trấn'} {short_of(t)}"
            for t, _ in u.took_over]
    districts = sorted({d for _, d in u.took_over})
    listed = ", ".join(olds[:-1]) + " và " + olds[-1] if len(olds) > 1 else olds[0]
    where = ", ".join(d.replace("Huyện", "huyện").replace("Thị xã", "thị xã").replace("Thành phố", "thành phố")
                      for d in districts)
    return (f"{u.type} {u.short} được thành lập từ ngày 01/7/2025 trên cơ sở sắp xếp {listed} "
            f"({where} cũ).")


def date_line(u: NewUnit, year: int, rng: random.Random) -> str:
    """Signed after the period it reports on, and never before the reform."""
    signed, month = (year + 1, rng.randint(1, 2)) if rng.random() < 0.2 else (year, rng.randint(9, 12))
    return f"{u.short}, ngày {rng.randint(1, 28)} tháng {month} năm {signed}"


def draw_template(rng: random.Random, forms_: tuple[str, ...] | None) -> tuple[NewUnit, dict, dict]:
    """The new unit, the axes, and the results: (id, phase) -> (text, value, status)."""
    u = draw_unit(rng)
    ax = {"form": rng.choice(list(forms_ or templates.available_forms())), "unit_style": rng.choice(UNIT_STYLES),
          "intro": rng.choice(INTROS) if len(u.took_over) > 1 else rng.choice(INTROS[:2]),
          "year": rng.choice(YEARS), "decimal": rng.choice(("comma", "comma", "point")),
          "font": rng.choice(("Times New Roman", "Arial")), "font_size": rng.choice((11, 12, 13))}
    return u, ax, templates.draw_results(rng, ax["decimal"])


def template_docx(u: NewUnit, ax: dict, results: dict, rng: random.Random):
    doc = Document()
    doc.styles["Normal"].font.name = ax["font"]
    doc.styles["Normal"].font.size = Pt(ax["font_size"])
    unit = unit_lines(u, ax["unit_style"])
    date = date_line(u, ax["year"], rng)
    templates.letterhead(doc, list(unit), date, as_table=ax["unit_style"] == "province_table")
    doc.add_paragraph("BÁO CÁO")
    doc.add_paragraph(f"Tổng hợp kết quả thực hiện mô hình “3 KHÔNG” năm {ax['year']}")
    if ax["intro"] == "history":
        doc.add_paragraph(history(u))
    if ax["intro"] != "none":
        doc.add_paragraph(f"Thực hiện Kế hoạch số {rng.randint(100, 480)}/KH-UBND của {PLAN_ISSUER} về nhân rộng "
                          f"Mô hình “3 KHÔNG” trên địa bàn tỉnh, UBND {u.type.lower()} báo cáo kết quả như sau:")
    templates.results_table(doc, results)  # the targets stay 2024's: the catalogue has none later
    doc.add_paragraph("Người lập biểu")
    doc.add_paragraph(f"TM. UBND {u.type.upper()} {u.short.upper()}")
    return doc


def template_truth(u: NewUnit, results: dict) -> list[dict]:
    """The template's truth (templates.truth_rows) with the new unit: its code, no district."""
    rows = templates.truth_rows(as_place(u), results)
    for r in rows:
        unit = r["phase"] != "target"
        r |= {"commune_code": u.code if unit else "", "unit_generation": GENERATION if unit else ""}
    return rows


def build_template(u: NewUnit, ax: dict, results: dict, out: Path, stem: str, rng: random.Random,
                   seed: int) -> tuple[str, dict]:
    return forms.save_as(template_docx(u, ax, results, rng), ax["form"], out, stem, rng, seed)


def prose_report(rng: random.Random) -> prose_text.Report:
    """A new commune's prose report of 2025 or 2026: the province above it, maybe its history."""
    u = draw_unit(rng)
    r = prose_text.Report("commune", as_place(u), rng.choice(YEARS))
    style = rng.choice(("province_lines", "full_lines", "alone"))  # a letterhead, never the template's field
    r.unit_lines = tuple(unit_lines(u, style))
    r.plan_issuer = PLAN_ISSUER
    told = len(u.took_over) > 1 and rng.random() < 0.4
    prose_text.fill_report(rng, r)
    if told:  # the first paragraph of the report says what the commune was made from
        r.blocks.insert(0, ("para", history(u)))
    r.axes |= {"unit_style": style, "intro": "history" if told else "province", "generation": GENERATION,
               "year": r.year, "twins": int(u.twin), "code": u.code}
    return r


def prose_truth(r: prose_text.Report) -> list[dict]:
    return [row | {"commune_code": r.axes["code"], "unit_generation": GENERATION} for row in prose_text.truth_rows(r)]
