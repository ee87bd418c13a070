"""The 2024 report template every commune fills in, as communes send it (issue 13: "the
unit right on every one, or flagged"), in every form: .docx, legacy .doc, LibreOffice PDF
and its 300 dpi scan; and, named alone (--templates photo), a phone's photo of it printed.

The table is the seed's (directive_donghai_2024_with_template.txt; samples/
template_xuanduong_2024.docx): STT, the indicator, "Chỉ tiêu giao", "Kết quả thực hiện"
over "Trước / Sau triển khai", "Hồ sơ minh chứng", section rows I and II. What varies is
what a reader must find the unit in: the unit field ("Tên đơn vị: UBND xã X, huyện Y", or
without the district), a letterhead set as lines or as a borderless table (the district
above the commune), an intro that names the district's plan first, the signature block;
and the commune, drawn from every district (names several districts share included).
"""
from __future__ import annotations

import random
from pathlib import Path

from docx import Document
from docx.shared import Pt

from variants import engines, forms
from variants.content import WORDS, Place, catalogue, places

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def letterhead(doc, unit: list[str], date: str, *, as_table: bool) -> None:
    """The unit's lines beside the national motto and the date line: a borderless two-cell
    table, as many offices set it, or paragraphs one under the other."""
    if as_table:
        t = doc.add_table(rows=1, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "\n".join(unit), "\n".join([*MOTTO, date])
    else:
        for line in (*unit, *MOTTO, date):
            doc.add_paragraph(line)

FORMS = ("docx", "doc", "pdf", "scan", "photo")  # photo: only when named (forms.ASKED_ONLY)
UNIT_STYLES = ("field", "field_short", "letterhead_table", "letterhead_lines")
SECTIONS = {1: ("I", "ĐỐI VỚI CHÍNH QUYỀN"), 6: ("II", "ĐỐI VỚI NGƯỜI DÂN, TỔ CHỨC, DOANH NGHIỆP")}
WORD_SHARE = 0.08  # a result cell that is a word ("Chưa có", "Không"), as in the samples' template


def available_forms() -> list[str]:
    """The forms this machine can write, those written only when named aside (photo)."""
    return [f for f in FORMS if f not in forms.ASKED_ONLY and (f == "docx" or engines.soffice_binary())]


def draw(rng: random.Random, forms: tuple[str, ...] | None) -> tuple[Place, dict, dict]:
    """The commune, the axes, and the results: (id, phase) -> (text, value, status)."""
    pool = places()
    place = rng.choice(pool[rng.choice(sorted(pool))])
    ax = {"form": rng.choice(list(forms or available_forms())), "unit_style": rng.choice(UNIT_STYLES),
          "intro": rng.random() < 0.5, "decimal": rng.choice(("comma", "comma", "point")),
          "font": rng.choice(("Times New Roman", "Arial")), "font_size": rng.choice((11, 12, 13))}
    return place, ax, draw_results(rng, ax["decimal"])


def draw_results(rng: random.Random, decimal: str) -> dict:
    """The template's results: (id, phase) -> (text, value, status), "after" never below "before"."""
    results = {}
    for ind in catalogue():
        before = None
        for phase in ("before", "after"):
            if rng.random() < WORD_SHARE:
                text, status = rng.choice(WORDS[:2])
                results[(ind["id"], phase)] = (text, None, status)
                continue
            lo = before or 0.0
            v = 100.0 if rng.random() < 0.12 else round(rng.uniform(lo, 100.0), rng.choice((0, 0, 1, 2)))
            text = f"{v:g}".replace(".", "," if decimal == "comma" else ".") + "%"
            results[(ind["id"], phase)] = (text, v, "ok")
            before = v if phase == "before" else before
    return results


def _unit_lines(p: Place, ax: dict) -> list[str]:
    commune = f"{p.commune_type.lower()} {p.commune_short}"
    district = f"{p.district_type.lower()} {p.district_short}"
    if ax["unit_style"] == "field":
        return [f"Tên đơn vị: UBND {commune}, {district}"]
    if ax["unit_style"] == "field_short":
        return [f"Tên đơn vị: UBND {commune}"]
    return [f"UBND {district.upper()}", f"UBND {commune.upper()}"]


def template_docx(p: Place, ax: dict, results: dict, rng: random.Random):
    doc = Document()
    doc.styles["Normal"].font.name = ax["font"]
    doc.styles["Normal"].font.size = Pt(ax["font_size"])
    unit = _unit_lines(p, ax)
    date = f"{p.commune_short}, ngày {rng.randint(1, 28)} tháng {rng.randint(9, 12)} năm 2024"
    letterhead(doc, unit, date, as_table=ax["unit_style"] == "letterhead_table")
    doc.add_paragraph("BÁO CÁO")
    doc.add_paragraph("Tổng hợp kết quả thực hiện mô hình “3 KHÔNG” năm 2024")
    if ax["intro"]:
        doc.add_paragraph(f"Thực hiện Kế hoạch số {rng.randint(100, 480)}/KH-UBND của UBND "
                          f"{p.district_type.lower()} {p.district_short} về nhân rộng Mô hình “3 KHÔNG” trên địa "
                          f"bàn {p.district_type.lower()} {p.district_short}, UBND {p.commune_type.lower()} báo cáo "
                          "kết quả như sau:")
    results_table(doc, results)
    doc.add_paragraph("Người lập biểu")
    doc.add_paragraph(f"TM. UBND {p.commune_type.upper()} {p.commune_short.upper()}")
    return doc


def results_table(doc, results: dict) -> None:
    """The template's table with the drawn results, the catalogue's 2024 targets, no evidence."""
    add_template_table(doc, [(str(i["id"]), i["name"], i["targets"]["2024"], results[(i["id"], "before")][0],
                              results[(i["id"], "after")][0], "") for i in catalogue()])


def add_template_table(doc, rows: list[tuple[str, str, str, str, str, str]]):
    """The seed's template table added to python-docx's ``doc``: its two header rows with
    their merges, the section rows I and II, and ``rows`` (STT, indicator, target, before,
    after, evidence) for indicators 1-16 in order. The samples' template is drawn by it too."""
    t = doc.add_table(rows=2 + len(rows) + len(SECTIONS), cols=6)
    t.style = "Table Grid"
    for c, text in enumerate(("STT", "Nội dung chỉ tiêu", "Chỉ tiêu giao", "Kết quả thực hiện", None,
                              "Hồ sơ minh chứng")):
        if text:
            t.cell(0, c).text = text
    t.cell(1, 3).text, t.cell(1, 4).text = "Trước triển khai", "Sau triển khai"
    for c in (0, 1, 2, 5):
        t.cell(0, c).merge(t.cell(1, c))
    t.cell(0, 3).merge(t.cell(0, 4))
    r = 2
    for i, cells in enumerate(rows, start=1):
        if i in SECTIONS:
            t.cell(r, 0).text = SECTIONS[i][0]
            t.cell(r, 1).merge(t.cell(r, 5)).text = SECTIONS[i][1]
            r += 1
        for c, text in enumerate(cells):
            t.cell(r, c).text = text
        r += 1
    return t


def truth_rows(p: Place, results: dict) -> list[dict]:
    rows = []
    for ind in catalogue():
        target = ind["targets"]["2024"]
        rows.append({"district": "", "commune": "", "indicator_id": ind["id"], "phase": "target",
                     "value": f"{float(target.split('%')[0]):g}", "status": "ok", "value_raw": target})
        for phase in ("before", "after"):
            text, value, status = results[(ind["id"], phase)]
            rows.append({"district": p.district, "commune": p.commune, "indicator_id": ind["id"], "phase": phase,
                         "value": "" if value is None else f"{value:g}", "status": status, "value_raw": text})
    return rows


def build(p: Place, ax: dict, results: dict, out: Path, stem: str, rng: random.Random, seed: int) -> tuple[str, dict]:
    """Write the template in its form; returns the file's name and the axes drawn by the writing."""
    return forms.save_as(template_docx(p, ax, results, rng), ax["form"], out, stem, rng, seed)
