#!/usr/bin/env python3
"""Regenerate the report and template samples under samples/ from the seed documents.

    python scripts/make_report_samples.py [--seeds DIR] [--out DIR]

Writes (deterministically: fixed RNG seed, invariant PDF metadata, fixed zip times):

- report_thuongxuan_2024.md          byte-identical copy of the seed district report.
- report_thuongxuan_2024_text.pdf    the report as a text-layer A4 PDF (DejaVu fonts),
                                     the way the word processor printed it.
- report_thuongxuan_2024_scan.pdf    the same pages as an image-only 300 dpi scan.
- report_thuongxuan_2024.docx        the report as a .docx: headings, paragraphs and
                                     bullet lists (Word's own bullets, not "-").
- directive_donghai_2024_with_template.txt   byte-identical copy of the seed directive
                                     ending with the blank 2024 template.
- template_xuanduong_2024.docx       the 2024 template filled in by Xã Xuân Dương
                                     (huyện Thường Xuân): a merged-cell table.
- template_xuanduong_2024_scan.pdf   the same filled template printed and scanned.
- REPORT_SAMPLES.md                  what each file is and which test uses it.

The report's text is the seed's, Markdown and LaTeX marks removed. The filled-in
template's results are synthetic (no real commune's figures), its layout and wording
the seed template's; its truth is FILLED_TEMPLATE below, which the tests import.
"""
from __future__ import annotations

import argparse
import io
import re
import shutil
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pypdfium2 as pdfium
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_samples import FIXED_DATE, SCAN_DPI, register_fonts, scan_page  # noqa: E402
from variants.templates import SECTIONS, add_template_table  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
DEFAULT_OUT = REPO / "samples"
RNG_SEED = 332  # Kế hoạch 332/KH-UBND, Thường Xuân's plan
FIXED_ZIP_TIME = (2024, 12, 31, 0, 0, 0)
FIXED_DOCX_TIME = datetime(2024, 12, 31)
SCAN_QUALITY = 40  # lower than the deck's: A4 prose pages are larger, and the samples stay small

REPORT_SEED = "report_thuongxuan_2024.md"
DIRECTIVE_SEED = "directive_donghai_2024_with_template.txt"
REPORT_TEXT = "report_thuongxuan_2024_text.pdf"
REPORT_SCAN = "report_thuongxuan_2024_scan.pdf"
REPORT_DOCX = "report_thuongxuan_2024.docx"
TEMPLATE_DOCX = "template_xuanduong_2024.docx"
TEMPLATE_SCAN = "template_xuanduong_2024_scan.pdf"

# The 16 figures of the seed report, section 3, in order (the truth of the tests).
THUONGXUAN_FIGURES = (100, 100, 100, 100, 95, 74, 89, 100, 45.75, 97, 100, 85, 100, 70, 69, 100)

# The template's rows as the seed writes them: name, target ("Chỉ tiêu giao").
TEMPLATE_ROWS = (
    ("Lãnh đạo, cán bộ, công chức trên địa bàn cấp xã chỉ đạo, điều hành, xử lý công việc hoàn toàn trên môi trường điện tử", "100%"),
    ("Lãnh đạo, cán bộ, công chức được cấp chứng thư số.", "100%"),
    ("Văn bản, hồ sơ công việc được tạo lập, xử lý, ký số trên môi trường điện tử (trừ văn bản mật theo quy định)", "100%"),
    ("Cán bô, công chức có hộp thư điện tử công vụ của các cơ quan Nhà nước.", "100%"),
    ("Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến.", "90%"),
    ("Tỷ lệ người dân có điện thoại thông minh.", "80% trở lên"),
    ("Tỷ lệ người dân trên 15 tuổi có tài khoản giao dịch thanh toán tại ngân hàng hoặc tổ chức được phép khác.", "75% trở lên"),
    ("Tỷ lệ người dân được cấp tài khoản định danh điện tử.", "80% trở lên"),
    ("Tỷ lệ người dân có chữ ký điện tử cá nhân.", "40% trở lên\n(năm 2024)"),
    ("Tỷ lệ người dân/doanh nghiệp được thông tin, tuyên truyền, tập huấn, đào tạo kỹ năng số cơ bản, được hướng dẫn sử dụng dịch vụ công trực tuyến.", "80% trở lên"),
    ("Tỷ lệ người dân/doanh nghiệp sử dụng nền tảng số trao đổi thông tin với các cơ quan chính quyền.", "80% trở lên"),
    ("Tỷ lệ doanh nghiệp sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử thông suốt.", "80% trở lên"),
    ("Tỷ lệ thuê bao điện thoại thông minh có sử dụng phần mềm an toàn thông tin mạng cơ bản.", "80% trở lên"),
    ("Tỷ lệ người dân sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử thông suốt.", "80% trở lên"),
    ("Tỷ lệ hộ gia đình thanh toán tiền điện bằng phương thức thanh toán không dùng tiền mặt.", "60% trở lên"),
    ("Có điểm phát Wifi công cộng tại các địa điểm quan trọng trong phường, xã như UBND phương,xã; nhà văn hóa; các điểm du lịch.", "100%"),
)
# Synthetic results of Xã Xuân Dương: (before, after, evidence) per indicator.
FILLED_TEMPLATE = (
    ("70%", "100%", ""), ("85%", "100%", "Danh sách kèm theo"), ("60%", "98,5%", ""), ("100%", "100%", ""),
    ("45%", "92%", "Số liệu Cổng DVC"), ("52%", "81%", ""), ("48%", "76,4%", "Số liệu ngân hàng"), ("35%", "88%", ""),
    ("12%", "41,2%", ""), ("30%", "85%", ""), ("25%", "80%", ""), ("40%", "86%", ""),
    ("Chưa có", "80%", ""), ("20%", "82%", ""), ("35%", "63%", "Số liệu Điện lực"), ("Không", "100%", ""),
)
TEMPLATE_UNIT = "Tên đơn vị: UBND xã Xuân Dương, huyện Thường Xuân"
TEMPLATE_DATE = "Xuân Dương, ngày 10 tháng 9 năm 2024"
TEMPLATE_TITLE = ("BÁO CÁO", "Tổng hợp kết quả thực hiện mô hình “3 KHÔNG”")


# --- the seed report as blocks ------------------------------------------------------------
def clean_markdown(text: str) -> str:
    text = text.replace("\\%", "%").replace("$", "").replace("\\*", "*")
    text = text.replace("***", "").replace("**", "")
    text = re.sub(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)
    return " ".join(text.split())


def report_blocks(md: str) -> list[tuple[str, str]]:
    """(kind, text) in order: heading1..5, bullet, para, right (the date line)."""
    blocks: list[tuple[str, str]] = []
    for raw in md.split("\n\n"):
        for line in [raw.replace("  \n", "\n")]:
            text = line.strip()
            if not text:
                continue
            if text.startswith("#"):
                level = len(text) - len(text.lstrip("#"))
                blocks.append((f"heading{level}", clean_markdown(text.lstrip("#"))))
            elif text.startswith("- "):
                for item in re.split(r"\n(?=- )", text):
                    blocks.append(("bullet", clean_markdown(item[2:])))
            elif re.match(r"^.+, ngày .* năm \d{4}$", text):
                blocks.append(("right", clean_markdown(text)))
            else:
                blocks.append(("para", clean_markdown(text)))
    return blocks


# --- PDFs -------------------------------------------------------------------------------------
def pstyle(name: str, size: float = 11, *, bold=False, align=TA_LEFT, indent=0.0, first=0.0) -> ParagraphStyle:
    return ParagraphStyle(name, fontName="DejaVuSans-Bold" if bold else "DejaVuSans", fontSize=size,
                          leading=size * 1.3, alignment=align, leftIndent=indent, firstLineIndent=first,
                          spaceAfter=size * 0.35)


def report_flowables(blocks: list[tuple[str, str]]) -> list:
    styles = {
        "heading2": pstyle("h2", 12, bold=True, align=TA_CENTER), "heading3": pstyle("h3", 10.5, bold=True),
        "heading4": pstyle("h4", 10, bold=True), "heading5": pstyle("h5", 10, bold=True),
        "para": pstyle("p", 10, first=18), "right": pstyle("r", 10, align=TA_RIGHT),
        "bullet": pstyle("b", 10, indent=14),
    }
    out = []
    for kind, text in blocks:
        st = styles.get(kind, styles["heading3"])
        if kind == "bullet":
            out.append(Paragraph(escape(text), st, bulletText="-"))
        else:
            out.append(Paragraph(escape(text), st))
    return out


def build_pdf(path: Path, flowables: list, title: str) -> int:
    rl_config.invariant = 1
    pages = []
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2 * cm, rightMargin=1.8 * cm, topMargin=1.5 * cm,
                            bottomMargin=1.5 * cm, title=title, author="chitieu samples", invariant=1,
                            pageCompression=1)
    doc.build(flowables, onLaterPages=lambda c, d: pages.append(1), onFirstPage=lambda c, d: pages.append(1))
    return len(pages)


def template_table(filled: bool, width: float, results: tuple = FILLED_TEMPLATE) -> Table:
    head = pstyle("th", 8.5, bold=True, align=TA_CENTER)
    body = pstyle("td", 8.5)
    cell = pstyle("tc", 8.5, align=TA_CENTER)
    p = lambda t, s: Paragraph("<br/>".join(escape(x) for x in t.split("\n")), s)  # noqa: E731
    data = [
        [p("STT", head), p("Nội dung chỉ tiêu", head), p("Chỉ tiêu giao", head), p("Kết quả thực hiện", head), "",
         p("Hồ sơ minh chứng", head)],
        ["", "", "", p("Trước\ntriển khai", head), p("Sau\ntriển khai", head), ""],
    ]
    cmds = [("GRID", (0, 0), (-1, -1), 0.7, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (2, 1)),
            ("SPAN", (3, 0), (4, 0)), ("SPAN", (5, 0), (5, 1)),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    for i, (name, target) in enumerate(TEMPLATE_ROWS, start=1):
        if i in SECTIONS:
            roman, label = SECTIONS[i]
            data.append([p(roman, head), p(label, head), "", "", "", ""])
            cmds.append(("SPAN", (1, len(data) - 1), (5, len(data) - 1)))
        before, after, evidence = results[i - 1] if filled else ("", "", "")
        data.append([p(str(i), cell), p(name, body), p(target, cell), p(before, cell), p(after, cell), p(evidence, cell)])
    col = [1.0 * cm, None, 2.3 * cm, 2.0 * cm, 2.0 * cm, 2.3 * cm]
    col[1] = width - sum(c for c in col if c)
    table = Table(data, colWidths=col)
    table.setStyle(TableStyle(cmds))
    return table


def template_flowables(width: float) -> list:
    center = pstyle("c", 11, align=TA_CENTER)
    return [
        Paragraph(escape(TEMPLATE_UNIT), pstyle("u", 10.5)),
        Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", pstyle("n", 10.5, bold=True, align=TA_RIGHT)),
        Paragraph("Độc lập - Tự do - Hạnh phúc", pstyle("n2", 10.5, bold=True, align=TA_RIGHT)),
        Paragraph(escape(TEMPLATE_DATE), pstyle("d", 10.5, align=TA_RIGHT)),
        Spacer(1, 6),
        Paragraph(TEMPLATE_TITLE[0], pstyle("t", 13, bold=True, align=TA_CENTER)),
        Paragraph(escape(TEMPLATE_TITLE[1]), center),
        Spacer(1, 6),
        template_table(True, width),
    ]


def scan_pdf(text_pdf: Path, path: Path, rng: np.random.Generator, title: str) -> list[float]:
    doc = pdfium.PdfDocument(str(text_pdf))
    images, angles = [], []
    try:
        for i in range(len(doc)):
            angle = round(float(rng.uniform(-0.7, 0.7)), 2)
            angles.append(angle)
            images.append(scan_page(doc[i].render(scale=SCAN_DPI / 72).to_pil(), rng, angle))
    finally:
        doc.close()
    images[0].save(path, "PDF", resolution=SCAN_DPI, save_all=True, append_images=images[1:], quality=SCAN_QUALITY,
                   title=title, author="chitieu samples", creationDate=FIXED_DATE, modDate=FIXED_DATE)
    return angles


# --- .docx ----------------------------------------------------------------------------------
def _fixed_zip(path: Path) -> None:
    """Rewrite a .docx with fixed member times, so the bytes do not depend on the clock."""
    with zipfile.ZipFile(path) as zin:
        members = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())


def _new_docx(title: str):
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    props = d.core_properties
    props.title, props.author, props.last_modified_by = title, "chitieu samples", "chitieu samples"
    props.created = props.modified = FIXED_DOCX_TIME
    props.revision = 1
    return d


def build_report_docx(blocks: list[tuple[str, str]], path: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = _new_docx("Báo cáo kết quả triển khai Mô hình 3 KHÔNG, huyện Thường Xuân, 2024 (mẫu)")
    for kind, text in blocks:
        if kind.startswith("heading"):
            d.add_heading(text, level=min(int(kind[-1]), 4))
        elif kind == "bullet":
            d.add_paragraph(text, style="List Bullet")
        else:
            para = d.add_paragraph(text)
            if kind == "right":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(str(path))
    _fixed_zip(path)


def build_template_docx(path: Path) -> None:
    d = _new_docx("Báo cáo tổng hợp kết quả mô hình 3 KHÔNG, xã Xuân Dương, 2024 (mẫu)")
    for text in (TEMPLATE_UNIT, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", TEMPLATE_DATE,
                 *TEMPLATE_TITLE):
        d.add_paragraph(text)
    add_template_table(d, [(str(i), name, target, *FILLED_TEMPLATE[i - 1])
                           for i, (name, target) in enumerate(TEMPLATE_ROWS, start=1)])
    d.add_paragraph("Người lập biểu")
    d.save(str(path))
    _fixed_zip(path)


# --- README -------------------------------------------------------------------------------------
def readme(report_pages: int, report_angles: list[float], template_angles: list[float]) -> str:
    return f"""# Report and template samples

Generated by `python scripts/make_report_samples.py` (deterministic). Do not edit by hand:
change the script and rerun. Truth: `THUONGXUAN_FIGURES` and `FILLED_TEMPLATE` in the script.

| file | what it is | used by |
|---|---|---|
| `report_thuongxuan_2024.md` | Byte-identical copy of the seed: the Thường Xuân district report (2024), prose and bullet items "indicator: value", three with formulas (one swapped: `72599/33216 = 45,75%`). | `tests/test_prose_reports.py` |
| `report_thuongxuan_2024_text.pdf` | The same report as a text-layer A4 PDF, {report_pages} pages, DejaVu fonts; Markdown and LaTeX marks removed. | `tests/test_prose_reports.py` |
| `report_thuongxuan_2024_scan.pdf` | The same pages as an image-only scan: 300 dpi grayscale JPEG, skewed {min(report_angles):+.2f}° … {max(report_angles):+.2f}°, specks, noise, blur. | `tests/test_prose_reports.py` (Tesseract) |
| `report_thuongxuan_2024.docx` | The same report as a .docx: headings, paragraphs, Word bullet lists (the "-" is numbering, not text). | `tests/test_prose_reports.py`, `tests/test_docx.py` |
| `directive_donghai_2024_with_template.txt` | Byte-identical copy of the seed: ward directive ending with the **blank** 2024 template (16 targets; indicator 9: 40% trở lên). | `tests/test_templates.py` |
| `template_xuanduong_2024.docx` | The 2024 template **filled in** by Xã Xuân Dương (Thường Xuân) — synthetic results — as a .docx table with merged header cells and section rows. | `tests/test_templates.py` |
| `template_xuanduong_2024_scan.pdf` | The same filled template printed on one A4 page and scanned (300 dpi, skew {template_angles[0]:+.2f}°). | `tests/test_templates.py` (Tesseract) |
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="seed directory")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = ap.parse_args(argv)
    register_fonts()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(RNG_SEED)

    md = (args.seeds / REPORT_SEED).read_text(encoding="utf-8")
    blocks = report_blocks(md)
    if sum(1 for k, t in blocks if k == "bullet" and "%" in t) < 16:
        raise SystemExit("seed report does not have its 16 indicator items")
    report_pdf = args.out / REPORT_TEXT
    title = "Báo cáo Mô hình 3 KHÔNG, huyện Thường Xuân, 2024 (mẫu)"
    n_pages = build_pdf(report_pdf, report_flowables(blocks), title)
    report_angles = scan_pdf(report_pdf, args.out / REPORT_SCAN, rng, title + " – scan")
    build_report_docx(blocks, args.out / REPORT_DOCX)

    width = A4[0] - 3.8 * cm
    template_pdf = args.out / "template_xuanduong_2024_print.pdf"
    build_pdf(template_pdf, template_flowables(width), "Mẫu báo cáo 3 KHÔNG, xã Xuân Dương, 2024 (mẫu)")
    template_angles = scan_pdf(template_pdf, args.out / TEMPLATE_SCAN, rng, "Mẫu báo cáo 3 KHÔNG – scan")
    template_pdf.unlink()  # only the scan is a sample; the .docx is the text form
    build_template_docx(args.out / TEMPLATE_DOCX)

    for name in (REPORT_SEED, DIRECTIVE_SEED):
        shutil.copyfile(args.seeds / name, args.out / name)
    (args.out / "REPORT_SAMPLES.md").write_text(readme(n_pages, report_angles, template_angles), encoding="utf-8")
    for name in (REPORT_SEED, REPORT_TEXT, REPORT_SCAN, REPORT_DOCX, DIRECTIVE_SEED, TEMPLATE_DOCX, TEMPLATE_SCAN):
        print(f"{name:45s} {(args.out / name).stat().st_size:>9,d} bytes")
    print(f"report: {n_pages} pages; scan skew {report_angles}; template skew {template_angles}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
