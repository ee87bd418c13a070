"""A prose report variant (prose_text) as a .docx, its LibreOffice PDF, or a 300 dpi scan of it.

The .docx is written with python-docx as an office types it: the letterhead as a
borderless table (unit beside the national motto) or as lines, the title, the intro
answering the province's request (a commune's names its district's plan first, the
trap of issue 13), headings, lists set with the drawn marker (Word's bullet style
leaves no marker in the text), a table inside the report, the signature block.
"""
from __future__ import annotations

import random
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from variants import engines, forms
from variants.prose_text import Report

FORMS = ("docx", "pdf", "scan", "photo")  # scan: the PDF printed and scanned at 300 dpi; photo: a phone's
FONTS = ("Times New Roman", "Arial")  # what offices use; LibreOffice maps them to Liberation or DejaVu
MARKS = {"dash": "- ", "plus": "+ ", "bullet": "", "none": "", "run": ""}


def available_forms() -> list[str]:
    """The forms this machine can write, those written only when named aside (photo)."""
    return [f for f in FORMS if f not in forms.ASKED_ONLY and (f == "docx" or engines.soffice_binary())]


def _letterhead(doc, r: Report, rng: random.Random) -> None:
    p = r.place
    district_line = f"UBND {p.district_type.upper()} {p.district_short.upper()}"
    left = [district_line, f"UBND {p.commune_type.upper()} {p.commune_short.upper()}"] if r.level == "commune" \
        else [district_line]
    left = list(r.unit_lines) or left
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    town = p.commune_short if r.level == "commune" else p.district_short
    number = f"Số: {rng.randint(10, 480)}/BC-UBND"
    date = f"{town}, ngày {rng.randint(1, 28)} tháng {rng.randint(10, 12)} năm {r.year}"
    if r.axes["letterhead"] == "table":
        t = doc.add_table(rows=2, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "\n".join(left), "\n".join(right)
        t.cell(1, 0).text, t.cell(1, 1).text = number, date
    else:
        for line in (*left, *right, number, date):
            doc.add_paragraph(line)


def _intro(r: Report, rng: random.Random) -> str:
    p = r.place
    # Since March 2025 the province's requests come from the Sở Khoa học và Công nghệ, which
    # took the Sở Thông tin và Truyền thông over.
    office = ("SKHCN-CĐS", "Sở Khoa học và Công nghệ") if r.plan_issuer \
        else ("STTTT-CNTT", "Sở Thông tin và Truyền thông")
    ask = f"Thực hiện Công văn số {rng.randint(100, 3999)}/{office[0]} ngày {rng.randint(1, 28)}/11/{r.year} " \
          f"của {office[1]} Thanh Hóa về việc báo cáo kết quả triển khai Mô hình “3 KHÔNG”"
    if r.plan_issuer:  # a commune after the reform: the province's plan, no district between
        return f"{ask}; Kế hoạch số {rng.randint(100, 480)}/KH-UBND của {r.plan_issuer} về nhân rộng Mô hình " \
               f"“3 KHÔNG” trên địa bàn tỉnh. UBND {p.commune_type.lower()} báo cáo kết quả thực hiện như sau:"
    if r.level == "commune":
        plan = f"; Kế hoạch số {rng.randint(100, 480)}/KH-UBND của UBND {p.district_type.lower()} " \
               f"{p.district_short} về triển khai Mô hình “3 KHÔNG” trên địa bàn {p.district_type.lower()} " \
               f"{p.district_short}"
        return f"{ask}{plan}. UBND {p.commune_type.lower()} báo cáo kết quả thực hiện như sau:"
    return f"{ask}. UBND {p.district_type.lower()} {p.district_short} báo cáo kết quả thực hiện như sau:"


def _list(doc, items: list[str], mark: str, rng: random.Random) -> None:
    ends = [rng.choice((".", ".", ";", "")) for _ in items]
    if mark == "run":  # the bullets a scan lost: the items one after the other in one paragraph
        doc.add_paragraph(" ".join(f"{t}{e or '.'}" for t, e in zip(items, ends)))
        return
    for text, end in zip(items, ends):
        if mark == "bullet":
            doc.add_paragraph(text + end, style="List Bullet")
        else:
            doc.add_paragraph(MARKS[mark] + text + end)


def report_docx(r: Report, rng: random.Random):
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = r.axes["font"]
    style.element.rPr.rFonts.set(qn("w:eastAsia"), r.axes["font"])
    style.font.size = Pt(r.axes["font_size"])
    _letterhead(doc, r, rng)
    doc.add_paragraph("BÁO CÁO")
    unit = f"{r.place.commune_type.lower()} {r.place.commune_short}" if r.level == "commune" \
        else f"{r.place.district_type.lower()} {r.place.district_short}"
    doc.add_paragraph(f"Kết quả triển khai Mô hình “3 KHÔNG” trên địa bàn {unit} năm {r.year}")
    doc.add_paragraph(_intro(r, rng))
    for kind, body in r.blocks:
        if kind in ("heading", "para"):
            doc.add_paragraph(body)
        elif kind == "list":
            _list(doc, body, r.axes["list_mark"], rng)
        elif kind == "table":
            t = doc.add_table(rows=len(body), cols=len(body[0]))
            t.style = "Table Grid"
            for i, row in enumerate(body):
                for k, text in enumerate(row):
                    t.cell(i, k).text = text
    doc.add_paragraph(f"Trên đây là báo cáo kết quả triển khai Mô hình “3 KHÔNG” năm {r.year} của UBND {unit}./.")
    doc.add_paragraph("TM. ỦY BAN NHÂN DÂN")
    doc.add_paragraph("CHỦ TỊCH")
    return doc


def draw_axes(rng: random.Random, forms: tuple[str, ...] | None) -> dict:
    return {"form": rng.choice(list(forms or available_forms())), "font": rng.choice(FONTS),
            "font_size": rng.choice((12, 13, 13, 14))}


def build(r: Report, ax: dict, out: Path, name: str, rng: random.Random, seed: int) -> tuple[str, dict]:
    """Write the report in its form under ``out``; returns the file's name and the axes drawn."""
    r.axes |= {"font": ax["font"], "font_size": ax["font_size"]}
    return forms.save_as(report_docx(r, rng), ax["form"], out, name, rng, seed)
