#!/usr/bin/env python3
"""Regenerate the sample documents under samples/ from the seed documents.

    python scripts/make_samples.py [--seeds DIR] [--out DIR]

Writes (deterministically: fixed RNG seed, invariant PDF metadata):

- deck_2023_text.pdf   the 2023 provincial deck as a text-layer PDF (16:9 slides,
                       DejaVu TTF fonts, so every Vietnamese glyph is real text); the
                       summary table "BẢNG TỔNG HỢP ..." is a real ruled table split
                       over two slides, like the original.
- deck_2023_scan.pdf   the same deck as an image-only scan (300 dpi, grayscale,
                       mild skew, specks, noise, blur; no text layer).
- deck_2023_text_layer.txt, deck_2023_ocr_scan.txt   byte-identical seed copies.
- README.md            what each sample is and which test uses it.

The cell texts of the summary table come from the hand-checked ground truth
tests/golden/deck_2023_summary.csv (column value_raw); the indicator names are
copied from the seed's table, keeping its spelling ("Cán bô", "Wiffi") and its
line breaks. The script checks both against the seed before drawing anything.
"""
from __future__ import annotations

import argparse
import csv
import re
import shutil
import sys
import unicodedata
import time
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
DEFAULT_OUT = REPO / "samples"
GOLDEN = REPO / "tests" / "golden" / "deck_2023_summary.csv"

RNG_SEED = 1829  # Decision 1829/QĐ-UBND
PAGE_W, PAGE_H = 720.0, 405.0  # 16:9, 10 in x 5.625 in
SCAN_DPI = 300
JPEG_QUALITY = 55
FIXED_DATE = time.gmtime(1703980800)  # 2023-12-31T00:00:00Z, a struct_time for Pillow

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSansCondensed": "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold": "DejaVuSansCondensed-Bold.ttf",
}

TEXT_PDF = "deck_2023_text.pdf"
SCAN_PDF = "deck_2023_scan.pdf"
SEED_COPIES = ("deck_2023_text_layer.txt", "deck_2023_ocr_scan.txt")

# --- the summary table, as the original lays it out ----------------------------
# Locality header cells (district, then pilot commune in parentheses), in column order;
# the golden CSV's (district, commune) for each, to pick its cells.
LOCALITIES = (
    ("TP Thanh Hóa\n(P. Điện Biên)", "Thành phố Thanh Hóa", "Phường Điện Biên"),
    ("Quảng Xương\n(xã Quảng Lưu)", "Quảng Xương", "Xã Quảng Lưu"),
    ("Thọ Xuân\n(xã Tây Hồ)", "Thọ Xuân", "Xã Tây Hồ"),
    ("Nga Sơn\n(xã Nga Liên)", "Nga Sơn", "Xã Nga Liên"),
    ("Thiệu Hóa\n(xã Thiệu Chung)", "Thiệu Hóa", "Xã Thiệu Chung"),
)
PHASE_HEADERS = {"before": "Trước\nthí điểm", "after": "Sau thí\nđiểm"}
SECTIONS = {1: ("I", "ĐỐI VỚI CHÍNH QUYỀN SỐ"), 6: ("II", "ĐỐI VỚI NGƯỜI DÂN, DOANH NGHIỆP")}
SUMMARY_TITLE = 'BẢNG TỔNG HỢP SỐ LIỆU BÁO CÁO VỀ MỘT SỐ MỤC TIÊU ĐẠT ĐƯỢC\nCỦA MÔ HÌNH 3 "KHÔNG"'

# Indicator names exactly as the seed's summary table writes them, with its line breaks.
INDICATOR_NAMES = {
    1: "Lãnh đạo, cán bộ, công chức trên địa\nbàn cấp xã chỉ đạo, điều hành, xử lý\n"
       "công việc hoàn toàn trên môi trường\nđiện tử",
    2: "Lãnh đạo, cán bộ, công chức được\ncấp chứng thư số",
    3: "Văn bản, hồ sơ công việc được tạo\nlập, xử lý, ký số trên môi trường điện\n"
       "tử (trừ văn bản mật theo quy định)",
    4: "Cán bô, công chức có hộp thư điện tử\ncông vụ của các cơ quan Nhà nước",
    5: "Tỷ lệ tiếp nhận, giải quyết hồ sơ trực\ntuyến",
    6: "Tỷ lệ người dân có điện thoại thông minh",
    7: "Tỷ lệ người dân trên 15 tuổi có tài khoản\ngiao dịch thanh toán tại ngân hàng hoặc tổ\n"
       "chức được phép khác",
    8: "Tỷ lệ người dân được cấp tài khoản định\ndanh điện tử",
    9: "Tỷ lệ người dân có chữ ký điện tử cá nhân",
    10: "Tỷ lệ người dân/doanh nghiệp được thông\ntin, tuyên truyền, tập huấn, đào tạo kỹ năng\n"
        "số cơ bản, được hướng dẫn sử dụng dịch vụ\ncông trực tuyến",
    11: "Tỷ lệ người dân/doanh nghiệp sử dụng nền\ntảng số trao đổi thông tin với các cơ quan\n"
        "chính quyền",
    12: "Tỷ lệ doanh nghiệp sử dụng dịch vụ công\ntrực tuyến được định danh và xác thực điện\n"
        "tử thông suốt",
    13: "Tỷ lệ thuê bao điện thoại thông minh có sử\ndụng phần mềm an toàn thông tin mạng cơ\nbản",
    14: "Tỷ lệ người dân sử dụng dịch vụ công trực\ntuyến được định danh và xác thực điện tử\n"
        "thông suốt",
    15: "Tỷ lệ hộ gia đình thanh toán tiền điện bằng\nphương thức thanh toán không dùng tiền mặt",
    16: "Có điểm phát Wiffi công cộng tại các địa\nđiểm quan trọng trong xã như UBND xã,\n"
        "nhà văn hóa, các điểm du lịch",
}
# Cells whose text wraps inside the cell in the original (value_raw -> lines).
CELL_BREAKS = {
    "30% trở lên Theo QĐ số 1829": "30% trở lên\nTheo QĐ số 1829",
    "Chưa thực hiện": "Chưa\nthực hiện",
}
TABLE_ROWS_BY_SLIDE = ((1, 2, 3, 4, 5), tuple(range(6, 17)))
TARGETS_ROWS_BY_SLIDE = (tuple(range(1, 10)), tuple(range(10, 17)))
TARGET_SECTIONS = {1: ("A", "ĐỐI VỚI CHÍNH QUYỀN SỐ"), 6: ("B", "ĐỐI VỚI NGƯỜI DÂN, DOANH NGHIỆP")}


# --- seeds ----------------------------------------------------------------------
def flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def split_slides(text: str) -> list[list[str]]:
    """Slides are separated by runs of two or more blank lines."""
    chunks = re.split(r"\n(?:[ \t]*\n){2,}", text)
    return [c.split("\n") for c in chunks if c.strip()]


def load_golden(path: Path) -> dict[tuple[int, str, str], str]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if len(rows) != 16 * 11:
        raise SystemExit(f"{path}: expected 176 cells, found {len(rows)}")
    return {(int(r["indicator_id"]), r["commune"], r["phase"]): r["value_raw"] for r in rows}


def check_against_seed(seed_text: str, cells: dict) -> None:
    """Names, lines and rows used below must be the seed's own text."""
    seed_flat = flat(seed_text)
    seed_lines = {flat(line) for line in seed_text.splitlines()}
    for i, name in INDICATOR_NAMES.items():
        if flat(name) not in seed_flat:
            raise SystemExit(f"indicator {i}: name not found in the seed: {name!r}")
        for line in name.split("\n"):
            if flat(line) not in seed_lines and not any(flat(line) in s for s in seed_lines):
                raise SystemExit(f"indicator {i}: line not in the seed: {line!r}")
    for i in range(1, 17):
        # number, name, target and the ten locality cells read in a row, as in the seed
        row = [str(i), INDICATOR_NAMES[i], cells[(i, "", "target")]]
        row += [cells[(i, commune, phase)] for _, _, commune in LOCALITIES
                for phase in ("before", "after")]
        if flat(" ".join(row)) not in seed_flat:
            raise SystemExit(f"indicator {i}: golden cells do not match the seed's row")


# --- fonts and styles -------------------------------------------------------------
def register_fonts() -> None:
    for name, fname in FONTS.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / fname)))
    pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold",
                                  italic="DejaVuSans", boldItalic="DejaVuSans-Bold")
    pdfmetrics.registerFontFamily("DejaVuSansCondensed", normal="DejaVuSansCondensed",
                                  bold="DejaVuSansCondensed-Bold", italic="DejaVuSansCondensed",
                                  boldItalic="DejaVuSansCondensed-Bold")


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph("<br/>".join(escape(line) for line in text.split("\n")), style)


def style(name: str, size: float, *, bold=False, condensed=False, align=TA_LEFT,
          color=colors.black, leading=None) -> ParagraphStyle:
    family = "DejaVuSansCondensed" if condensed else "DejaVuSans"
    return ParagraphStyle(name, fontName=family + ("-Bold" if bold else ""), fontSize=size,
                          leading=leading or round(size * 1.2, 2), alignment=align,
                          textColor=color)


TITLE_COLOR = colors.HexColor("#0b3d91")


# --- prose slides -------------------------------------------------------------------
LIST_MARKER = re.compile(r"^\s*(\d+\.|[-+•]|[a-e]:|Bước\b)")


def paragraphs(lines: list[str]) -> list[str | None]:
    """Join soft-wrapped lines (they end with a space) into paragraphs; None = blank line."""
    out: list[str | None] = []
    open_para = False
    pending_blank = False
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip():
            pending_blank = True
            continue
        prev = out[-1] if out and out[-1] is not None else None
        text = line.strip()
        continues = (
            open_para and prev is not None
            and not LIST_MARKER.match(text)
            and not prev.rstrip().endswith((".", ";", ":", "!", "…"))
            and (not pending_blank or text[:1].islower())
        )
        if continues:
            out[-1] = prev + " " + text
        else:
            if pending_blank and out:
                out.append(None)
            out.append(text)
        open_para = line.endswith(" ")
        pending_blank = False
    return out


def draw_prose_slide(c: Canvas, lines: list[str]) -> None:
    title, body = lines[0].strip(), lines[1:]
    if lines[0].endswith(" ") and len(lines) > 1 and lines[1].strip()[:1].islower():
        title, body = title + "\n" + lines[1].strip(), lines[2:]  # a two-line title
    margin = 36
    width = PAGE_W - 2 * margin
    title_style = style("title", 18, bold=True, align=TA_CENTER, color=TITLE_COLOR)
    t = para(title, title_style)
    _, th = t.wrap(width, PAGE_H)
    t.drawOn(c, margin, PAGE_H - 28 - th)
    avail = PAGE_H - 28 - th - 14 - 24
    items = paragraphs(body)
    for size in (14, 13, 12, 11, 10, 9.5, 9, 8.5, 8):
        body_style = style(f"body{size}", size, leading=size * 1.3)
        flows = [Spacer(1, size * 0.6) if p is None else para(p, body_style) for p in items]
        heights = [f.wrap(width, PAGE_H)[1] + (0 if isinstance(f, Spacer) else size * 0.25)
                   for f in flows]
        if sum(heights) <= avail:
            break
    y = PAGE_H - 28 - th - 14
    for f, h in zip(flows, heights):
        f.drawOn(c, margin, y - f.wrap(width, PAGE_H)[1])
        y -= h


# --- indicator target slides (II. CHỈ TIÊU MÔ HÌNH) ---------------------------------
def draw_targets_slide(c: Canvas, title: str, ids: tuple[int, ...], cells: dict) -> None:
    margin = 36
    width = PAGE_W - 2 * margin
    t = para(title, style("title", 18, bold=True, align=TA_CENTER, color=TITLE_COLOR))
    _, th = t.wrap(width, PAGE_H)
    t.drawOn(c, margin, PAGE_H - 28 - th)
    head = style("th", 10, bold=True, align=TA_CENTER)
    body = style("td", 10)
    body_c = style("tdc", 10, align=TA_CENTER)
    sect = style("sect", 10, bold=True)
    data = [[para("STT", head), para("NỘI DUNG CHỈ TIÊU", head), para("CHỈ TIÊU", head)]]
    spans = []
    for i in ids:
        if i in TARGET_SECTIONS:
            letter, label = TARGET_SECTIONS[i]
            data.append([para(letter, head), para(label, sect), ""])
            spans.append(("SPAN", (1, len(data) - 1), (2, len(data) - 1)))
        name = " ".join(INDICATOR_NAMES[i].split("\n"))
        target = cells[(i, "", "target")]
        data.append([para(str(i), body_c), para(name, body),
                     para(CELL_BREAKS.get(target, target), body_c)])
    col_w = [40, width - 40 - 110, 110]
    table = Table(data, colWidths=col_w)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f5")),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *spans,
    ]))
    _, h = table.wrap(width, PAGE_H)
    table.drawOn(c, margin, PAGE_H - 28 - th - 12 - h)


# --- the summary table ------------------------------------------------------------------
SUMMARY_FONT = 7.5


def summary_table(ids: tuple[int, ...], cells: dict) -> Table:
    fs = SUMMARY_FONT
    head = style("sh", fs, bold=True, condensed=True, align=TA_CENTER, leading=fs * 1.2)
    name_st = style("sn", fs, condensed=True, leading=fs * 1.2)
    val = style("sv", fs, condensed=True, align=TA_CENTER, leading=fs * 1.2)
    sect = style("ss", fs, bold=True, condensed=True, leading=fs * 1.2)
    n_cols = 3 + 2 * len(LOCALITIES)
    row0 = [para("TT", head), para("Nội dung chỉ tiêu", head), para("Chỉ tiêu", head)]
    row1 = ["", "", ""]
    for label, _, _ in LOCALITIES:
        row0 += [para(label, head), ""]
        row1 += [para(PHASE_HEADERS["before"], head), para(PHASE_HEADERS["after"], head)]
    data = [row0, row1]
    cmds = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (2, 1)),
    ]
    for k in range(len(LOCALITIES)):
        cmds.append(("SPAN", (3 + 2 * k, 0), (4 + 2 * k, 0)))
    for i in ids:
        if i in SECTIONS:
            roman, label = SECTIONS[i]
            data.append([para(roman, head), para(label, sect)] + [""] * (n_cols - 2))
            cmds.append(("SPAN", (1, len(data) - 1), (n_cols - 1, len(data) - 1)))
        target = cells[(i, "", "target")]
        row = [para(str(i), val), para(INDICATOR_NAMES[i], name_st),
               para(CELL_BREAKS.get(target, target), val)]
        for _, _, commune in LOCALITIES:
            for phase in ("before", "after"):
                raw = cells[(i, commune, phase)]
                row.append(para(CELL_BREAKS.get(raw, raw), val))
        data.append(row)
    col_w = [17, 175, 66] + [42] * (n_cols - 3)
    table = Table(data, colWidths=col_w, repeatRows=0)
    table.setStyle(TableStyle(cmds))
    return table


def draw_summary_slide(c: Canvas, ids: tuple[int, ...], cells: dict, with_title: bool) -> None:
    table = summary_table(ids, cells)
    tw, tht = table.wrap(PAGE_W, PAGE_H)
    x = (PAGE_W - tw) / 2
    top = PAGE_H - 16
    if with_title:
        t = para(SUMMARY_TITLE, style("stitle", 11, bold=True, align=TA_CENTER))
        _, th = t.wrap(PAGE_W - 40, PAGE_H)
        t.drawOn(c, 20, top - th)
        top -= th + 10
    if top - tht < 8:
        raise SystemExit(f"summary table does not fit on its slide ({tht:.0f} pt)")
    table.drawOn(c, x, top - tht)


# --- the text PDF -------------------------------------------------------------------------
def build_text_pdf(slides: list[list[str]], cells: dict, path: Path) -> dict[str, list[int]]:
    rl_config.invariant = 1
    c = Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle("Mô hình 3 Không – kết quả thí điểm 2023 (mẫu)")
    c.setAuthor("chitieu samples")
    c.setSubject("Generated by scripts/make_samples.py from the seed deck_2023_text_layer.txt")
    pages: dict[str, list[int]] = {"summary": [], "targets": []}
    n_targets = 0
    page_no = 0
    in_summary = False
    for lines in slides:
        title = lines[0].strip()
        if in_summary and title.startswith(("I ", "II ")):
            # the seed's blank-line run inside the summary table (section II and its
            # rows): already drawn on the table's second slide
            continue
        in_summary = title.startswith("BẢNG TỔNG HỢP")
        if title.startswith("II. CHỈ TIÊU MÔ HÌNH"):
            page_no += 1
            draw_targets_slide(c, title, TARGETS_ROWS_BY_SLIDE[n_targets], cells)
            pages["targets"].append(page_no)
            n_targets += 1
            c.showPage()
        elif title.startswith("BẢNG TỔNG HỢP"):
            for k, ids in enumerate(TABLE_ROWS_BY_SLIDE):
                page_no += 1
                draw_summary_slide(c, ids, cells, with_title=(k == 0))
                pages["summary"].append(page_no)
                c.showPage()
        else:
            page_no += 1
            draw_prose_slide(c, lines)
            c.showPage()
    c.save()
    if n_targets != 2 or len(pages["summary"]) != 2:
        raise SystemExit("seed deck does not have the expected table slides")
    pages["total"] = [page_no]
    return pages


# --- the scan ---------------------------------------------------------------------------------
def scan_page(img: Image.Image, rng: np.random.Generator, angle: float) -> Image.Image:
    g = img.convert("L")
    g = g.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    # sparse specks: dust and toner dots
    draw = ImageDraw.Draw(g)
    w, h = g.size
    for _ in range(int(rng.integers(60, 140))):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = float(rng.uniform(0.8, 2.6))
        shade = int(rng.integers(40, 150))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    g = g.filter(ImageFilter.GaussianBlur(radius=0.7))
    a = np.asarray(g, dtype=np.float32)
    a = a * 0.97 + 3.0  # paper is never quite white
    a += rng.normal(0.0, 3.0, size=a.shape).astype(np.float32)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), mode="L")


def build_scan_pdf(text_pdf: Path, path: Path, rng: np.random.Generator) -> list[float]:
    doc = pdfium.PdfDocument(str(text_pdf))
    images, angles = [], []
    try:
        for i in range(len(doc)):
            angle = 0.0
            # a visible skew, different from the previous page's
            while abs(angle) < 0.1 or (angles and abs(angle - angles[-1]) < 0.15):
                angle = round(float(rng.uniform(-0.8, 0.8)), 2)
            angles.append(angle)
            rendered = doc[i].render(scale=SCAN_DPI / 72).to_pil()
            images.append(scan_page(rendered, rng, angle))
    finally:
        doc.close()
    images[0].save(path, "PDF", resolution=SCAN_DPI, save_all=True, append_images=images[1:],
                   quality=JPEG_QUALITY, title="deck_2023 scan (sample)", author="chitieu samples",
                   creationDate=FIXED_DATE, modDate=FIXED_DATE)  # no wall clock in the file
    return angles


# --- README -----------------------------------------------------------------------------------
def readme(pages: dict, angles: list[float]) -> str:
    s1, s2 = pages["summary"]
    t1, t2 = pages["targets"]
    n = pages["total"][0]
    return f"""# Samples

Generated by `python scripts/make_samples.py` (deterministic; `--seeds DIR` and `--out DIR`
override the seed and output directories). Do not edit by hand: change the script and rerun.
Ground truth for the summary table: `tests/golden/deck_2023_summary.csv` (176 cells).
The other samples are listed where their scripts write them: `REPORT_SAMPLES.md` (the district
report and the 2024 template), `HARD_SAMPLES.md` (hard layouts and inputs), `REFORM_SAMPLES.md`
(written after the July 2025 reform: the template re-dated 2025 for a new commune).

| file | what it is | used by |
|---|---|---|
| `deck_2023_text.pdf` | The 2023 provincial deck as a text-layer PDF: {n} slides of 720×405 pt, DejaVu fonts (every Vietnamese glyph is real text). Indicator targets as ruled tables on pages {t1}–{t2}; the summary table "BẢNG TỔNG HỢP …" as a real ruled table with a two-level header on pages **{s1}** (title, rows 1–5) and **{s2}** (header repeated, rows 6–16). | `tests/test_samples.py`; text-layer extraction and table tests |
| `deck_2023_scan.pdf` | The same deck as an image-only scan: 300 dpi grayscale JPEG pages, skewed by {min(angles):+.2f}° … {max(angles):+.2f}°, specks, noise, slight blur; **no text layer**. Summary table on pages **{s1}** and **{s2}**. | `tests/test_samples.py`; OCR (Tesseract `vie`) and deskew tests |
| `deck_2023_text_layer.txt` | Byte-identical copy of the seed: the deck's text layer, slides separated by runs of blank lines. | text-dump reader tests |
| `deck_2023_ocr_scan.txt` | Byte-identical copy of the seed: real OCR output of a scan of the same deck (diacritics mangled, cells destroyed). | text-dump / OCR-repair tests |
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="seed directory")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    ap.add_argument("--golden", type=Path, default=GOLDEN, help="summary-table ground truth CSV")
    args = ap.parse_args(argv)

    seed_path = args.seeds / "deck_2023_text_layer.txt"
    seed_text = seed_path.read_text(encoding="utf-8")
    cells = load_golden(args.golden)
    check_against_seed(seed_text, cells)
    register_fonts()
    args.out.mkdir(parents=True, exist_ok=True)

    slides = split_slides(seed_text)
    text_pdf = args.out / TEXT_PDF
    pages = build_text_pdf(slides, cells, text_pdf)
    rng = np.random.default_rng(RNG_SEED)
    angles = build_scan_pdf(text_pdf, args.out / SCAN_PDF, rng)
    for name in SEED_COPIES:
        shutil.copyfile(args.seeds / name, args.out / name)
    (args.out / "README.md").write_text(readme(pages, angles), encoding="utf-8")

    for f in sorted(args.out.iterdir()):
        print(f"{f.name:28s} {f.stat().st_size:>9,d} bytes")
    print(f"summary table on pages {pages['summary']}; scan skew angles {angles}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
