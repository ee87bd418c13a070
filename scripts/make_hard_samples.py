#!/usr/bin/env python3
"""Regenerate the hard samples under samples/: poor scans, borderless slides, photos,
legacy Vietnamese fonts and a mixed PDF, all made from the seeds.

    python scripts/make_hard_samples.py [--seeds DIR] [--out DIR]

The deck's summary table is drawn as `make_samples.py` draws it (same cells, same
golden truth), but only its two slides, so the OCR'd samples stay two pages each.
Deterministic: fixed RNG seed, invariant PDF metadata. See samples/HARD_SAMPLES.md.

Legacy fonts: a real .VnTime or VNI-Times font is a TrueType font whose glyphs sit at
the code points of Latin-1 characters. We make the same thing honestly from DejaVu:
the font is registered under the legacy name and its character map is rewritten so
that, e.g., code 0xB8 draws "á" (TCVN3). The page shows Vietnamese; the PDF's text
layer holds the legacy code points ("Tû lÖ ng\\xadêi d©n"), as old documents do.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import unicodedata
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter
from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table, TableStyle

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from make_samples import (  # noqa: E402
    CELL_BREAKS, FIXED_DATE, FONT_DIR, GOLDEN, INDICATOR_NAMES, LOCALITIES, PAGE_H, PAGE_W, PHASE_HEADERS,
    SECTIONS, SUMMARY_FONT, SUMMARY_TITLE, TABLE_ROWS_BY_SLIDE, draw_summary_slide, load_golden, para,
    register_fonts, scan_page, style,
)
from extract.documents.legacy import TCVN3  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
DEFAULT_OUT = REPO / "samples"
RNG_SEED = 5712  # TCVN 5712:1993, the TCVN3 standard

SUMMARY_TEXT = "deck_2023_summary_text.pdf"
SCAN_200 = "deck_2023_summary_scan_200dpi.pdf"
BORDERLESS_TEXT = "deck_2023_summary_borderless.pdf"
BORDERLESS_SCAN = "deck_2023_summary_borderless_scan.pdf"
PHOTOS = ("deck_2023_summary_photo_1.jpg", "deck_2023_summary_photo_2.jpg")
MIXED = "deck_2023_summary_mixed.pdf"
LETTERS = {"tcvn3": "vietnamese_letters_tcvn3.pdf", "vni": "vietnamese_letters_vni.pdf"}
REPORT_LEGACY = {"tcvn3": "report_thuongxuan_2024_tcvn3.pdf", "vni": "report_thuongxuan_2024_vni.pdf"}

SCAN_ANGLE = -1.8
LOW_DPI = 200

# Every letter Vietnamese writes with a mark, and the plain ones, lower case.
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
LOWER_LETTERS = "".join(unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES) + "đ"
ALL_LETTERS = LOWER_LETTERS + LOWER_LETTERS.upper()


# --- legacy encoders ---------------------------------------------------------------------
_TCVN3_OF = {v: k for k, v in TCVN3.items()}
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRC = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _plain(ch: str) -> str:
    """Typographic punctuation the old fonts did not have, as typists wrote it."""
    return {"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "\u00a0": " "}.get(ch, ch)


def tcvn3_runs(text: str) -> list[tuple[bool, str]]:
    """(capitals font?, bytes as Latin-1 text) runs: toned capitals go to the ...H font."""
    runs: list[tuple[bool, str]] = []
    for ch in text:
        ch = _plain(ch)
        if ch in _TCVN3_OF and _TCVN3_OF[ch] >= "\xa1":
            code, caps = _TCVN3_OF[ch], False
        elif ch.isupper() and not ch.isascii():
            code, caps = _TCVN3_OF[ch.lower()] if ch.lower() in _TCVN3_OF else ch.lower(), True
        elif ch.isascii() or ch in ("ý",):
            code, caps = ch, False
        else:
            raise ValueError(f"no TCVN3 code for {ch!r}")
        for c in code:
            if runs and runs[-1][0] == caps:
                runs[-1] = (caps, runs[-1][1] + c)
            else:
                runs.append((caps, c))
    return runs


def vni_encode(text: str) -> str:
    out = []
    for ch in text:
        ch = _plain(ch)
        if ch.isascii():
            out.append(ch)
            continue
        upper = ch.isupper()
        d = unicodedata.normalize("NFD", ch.lower())
        base, marks = d[0], d[1:]
        tone = next((m for m in marks if m in _VNI_TONE), "")
        shape = next((m for m in marks if m in ("\u0302", "\u0306", "\u031b")), "")
        if ch.lower() == "đ":
            s = "ñ"
        elif base == "i" and tone:
            s = _VNI_I[tone]
        elif base == "y" and tone == "\u0323":
            s = "î"
        elif shape == "\u031b":
            s = {"o": "ô", "u": "ö"}[base] + _VNI_TONE.get(tone, "")
        elif shape == "\u0302":
            s = base + _VNI_CIRC[tone]
        elif shape == "\u0306":
            s = base + _VNI_BREVE[tone]
        elif tone:
            s = base + _VNI_TONE[tone]
        else:
            raise ValueError(f"no VNI code for {ch!r}")
        out.append(s.upper() if upper else s)
    return "".join(out)


def legacy_font(name: str, ttf: str, shows: dict[str, str]) -> None:
    """Register DejaVu ``ttf`` as ``name``, where code point k draws the glyph of ``shows[k]``."""
    if name in pdfmetrics.getRegisteredFontNames():
        return
    font = TTFont(name, str(FONT_DIR / ttf))
    face = font.face
    glyphs, widths = dict(face.charToGlyph), dict(face.charWidths)
    for code, letter in shows.items():
        face.charToGlyph[ord(code)] = glyphs[ord(letter)]
        face.charWidths[ord(code)] = widths[ord(letter)]
    face.name = name.encode("latin-1")
    pdfmetrics.registerFont(font)


def register_legacy_fonts() -> None:
    tcvn_lower = {code: letter for code, letter in TCVN3.items() if code >= "\xa1"}
    for suffix, ttf in (("", "DejaVuSerif.ttf"), (",Bold", "DejaVuSerif-Bold.ttf")):
        legacy_font(".VnTime" + suffix, ttf, tcvn_lower)
        caps = {code: letter.upper() for code, letter in tcvn_lower.items()}
        caps.update({c: c.upper() for c in "abcdefghijklmnopqrstuvwxyz"})
        legacy_font(".VnTimeH" + suffix, ttf, caps)
        vni = {}
        for letter in ALL_LETTERS:
            code = vni_encode(letter)
            if len(code) == 1:
                vni[code] = letter
        for mark_set in (_VNI_TONE, _VNI_CIRC, _VNI_BREVE):
            for m, code in mark_set.items():
                vni.setdefault(code, code)  # a mark byte draws as itself: the combining look is the font's
        legacy_font("VNI-Times" + suffix, ttf, {k: v for k, v in vni.items() if k != v})


def legacy_runs(text: str, encoding: str, bold: bool) -> list[tuple[str, str]]:
    """(font name, text in the layer) runs of ``text`` typed in ``encoding``."""
    suffix = ",Bold" if bold else ""
    if encoding == "vni":
        return [("VNI-Times" + suffix, vni_encode(text))]
    if text.isupper() and len(text) > 3:
        return [(".VnTimeH" + suffix, "".join(code for _, code in tcvn3_runs(text.lower())))]
    return [((".VnTimeH" if caps else ".VnTime") + suffix, code) for caps, code in tcvn3_runs(text)]


# --- legacy text layout (reportlab's Paragraph swallows 0xAD as a soft hyphen) -----------
def draw_legacy_page_text(c: Canvas, blocks: list[tuple[str, str]], encoding: str) -> int:
    """Blocks (kind, text) laid out line by line on A4 pages; returns the page count."""
    sizes = {"heading2": (12, True, "center"), "heading3": (10.5, True, "left"), "para": (10, False, "left"),
             "right": (10, False, "right"), "bullet": (10, False, "left")}
    left, right, top, bottom = 2 * cm, A4[0] - 1.8 * cm, A4[1] - 1.5 * cm, 1.5 * cm
    y, pages = top, 1
    for kind, text in blocks:
        size, bold, align = sizes.get(kind, (10, True, "left"))
        indent = 14 if kind == "bullet" else 0
        words = [legacy_runs(w, encoding, bold) for w in text.split()]
        lines, line, width = [], [], 0.0
        space = pdfmetrics.stringWidth(" ", words[0][0][0] if words else ".VnTime", size)
        for w in words:
            ww = sum(pdfmetrics.stringWidth(t, f, size) for f, t in w)
            if line and width + space + ww > right - left - indent:
                lines.append((line, width))
                line, width = [], 0.0
            width += (space if line else 0) + ww
            line.append((w, ww))
        if line:
            lines.append((line, width))
        for k, (line, width) in enumerate(lines):
            if y - size * 1.3 < bottom:
                c.showPage()
                pages += 1
                y = top
            y -= size * 1.3
            x = {"left": left + indent, "center": (left + right - width) / 2, "right": right - width}[align]
            if kind == "bullet" and k == 0:
                c.setFont(words[0][0][0], size)
                c.drawString(left, y, "-")
            for w, ww in line:
                for font, t in w:
                    c.setFont(font, size)
                    c.drawString(x, y, t)
                    x += pdfmetrics.stringWidth(t, font, size)
                x += space
        y -= size * 0.35
    c.showPage()
    return pages


def build_legacy_report(seeds: Path, path: Path, encoding: str) -> int:
    from make_report_samples import REPORT_SEED, report_blocks

    blocks = report_blocks((seeds / REPORT_SEED).read_text(encoding="utf-8"))
    c = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(f"Báo cáo Mô hình 3 KHÔNG, huyện Thường Xuân, 2024 ({encoding.upper()}, mẫu)")
    c.setAuthor("chitieu samples")
    pages = draw_legacy_page_text(c, blocks, encoding)
    c.save()
    return pages


def build_letters(path: Path, encoding: str) -> None:
    """One page: every Vietnamese letter, lower case then capitals, in groups of six."""
    blocks = [("heading3", "Bảng chữ cái tiếng Việt")]
    for letters in (LOWER_LETTERS, LOWER_LETTERS.upper()):
        groups = [letters[i:i + 6] for i in range(0, len(letters), 6)]
        blocks.append(("para", " ".join(groups)))
    blocks.append(("para", "Tỷ lệ người dân có điện thoại thông minh; ĐỐI VỚI NGƯỜI DÂN, DOANH NGHIỆP."))
    c = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(f"Vietnamese letters ({encoding.upper()}, sample)")
    draw_legacy_page_text(c, blocks, encoding)
    c.save()


# --- the summary table's two slides ---------------------------------------------------------
def build_summary_pdf(cells: dict, path: Path, *, borderless: bool = False) -> None:
    rl_config.invariant = 1
    c = Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle("BẢNG TỔNG HỢP SỐ LIỆU – mô hình 3 Không 2023 (mẫu)")
    c.setAuthor("chitieu samples")
    for k, ids in enumerate(TABLE_ROWS_BY_SLIDE):
        if borderless:
            draw_borderless_slide(c, ids, cells, with_title=(k == 0))
        else:
            draw_summary_slide(c, ids, cells, with_title=(k == 0))
        c.showPage()
    c.save()


def borderless_table(ids: tuple[int, ...], cells: dict) -> Table:
    """The summary table as slide designers draw it without lines: white space between
    rows and columns, a rule under the header only where the theme has none."""
    fs = SUMMARY_FONT
    head = style("bh", fs, bold=True, condensed=True, align=TA_CENTER, leading=fs * 1.2)
    name_st = style("bn", fs, condensed=True, leading=fs * 1.2)
    val = style("bv", fs, condensed=True, align=TA_CENTER, leading=fs * 1.2)
    sect = style("bs", fs, bold=True, condensed=True, leading=fs * 1.2)
    n_cols = 3 + 2 * len(LOCALITIES)
    row0 = [para("TT", head), para("Nội dung chỉ tiêu", head), para("Chỉ tiêu", head)]
    row1 = ["", "", ""]
    for label, _, _ in LOCALITIES:
        row0 += [para(label, head), ""]
        row1 += [para(PHASE_HEADERS["before"], head), para(PHASE_HEADERS["after"], head)]
    data = [row0, row1]
    cmds = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
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
        row = [para(str(i), val), para(INDICATOR_NAMES[i], name_st), para(CELL_BREAKS.get(target, target), val)]
        for _, _, commune in LOCALITIES:
            for phase in ("before", "after"):
                raw = cells[(i, commune, phase)]
                row.append(para(CELL_BREAKS.get(raw, raw), val))
        data.append(row)
    table = Table(data, colWidths=[17, 175, 66] + [42] * (n_cols - 3))
    table.setStyle(TableStyle(cmds))
    return table


def draw_borderless_slide(c: Canvas, ids, cells, with_title: bool) -> None:
    table = borderless_table(ids, cells)
    tw, th = table.wrap(PAGE_W, PAGE_H)
    top = PAGE_H - 14
    if with_title:
        t = para(SUMMARY_TITLE, style("bt", 11, bold=True, align=TA_CENTER))
        _, h = t.wrap(PAGE_W - 40, PAGE_H)
        t.drawOn(c, 20, top - h)
        top -= h + 8
    if top - th < 4:
        raise SystemExit(f"borderless table does not fit on its slide ({th:.0f} pt)")
    table.drawOn(c, (PAGE_W - tw) / 2, top - th)


def render(pdf: Path, dpi: int) -> list[Image.Image]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def save_pdf(images: list[Image.Image], path: Path, dpi: int, quality: int, title: str) -> None:
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:], quality=quality,
                   title=title, author="chitieu samples", creationDate=FIXED_DATE, modDate=FIXED_DATE)


# --- poor scan: 200 dpi, -1.8°, noise, uneven light ------------------------------------------
def uneven_light(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A photocopier's light: darker towards one edge and a corner, never uniform."""
    a = np.asarray(img, dtype=np.float32)
    h, w = a.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = float(rng.uniform(0.6, 0.9)) * w, float(rng.uniform(0.6, 0.9)) * h
    field = 1.0 - 0.32 * (xx / w) ** 1.5 - 0.18 * np.exp(-(((xx - cx) / (0.35 * w)) ** 2 + ((yy - cy) / (0.5 * h)) ** 2))
    a = a * field + 255 * (1 - field) * 0.05
    a += rng.normal(0.0, 7.0, size=a.shape).astype(np.float32)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), mode="L")


def build_low_dpi_scan(text_pdf: Path, path: Path, rng: np.random.Generator) -> None:
    pages = []
    for img in render(text_pdf, LOW_DPI):
        page = scan_page(img, rng, SCAN_ANGLE)  # specks, blur, faint noise, the rotation
        pages.append(uneven_light(page, rng))
    save_pdf(pages, path, LOW_DPI, 60, "deck_2023 summary, 200 dpi skewed scan (sample)")


# --- phone photos ---------------------------------------------------------------------------------
def perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """Pillow's PERSPECTIVE coefficients mapping output points ``dst`` to input points ``src``."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return np.linalg.solve(np.array(rows, float), np.array(rhs, float)).tolist()


def build_photo(slide: Image.Image, path: Path, rng: np.random.Generator, quad, size=(2000, 1400)) -> None:
    """The slide printed on paper, photographed on a desk: perspective, shadow, colour cast."""
    w, h = size
    paper = slide.convert("RGB")
    desk = rng.normal(0, 10, size=(h // 8, w // 8, 3)) + np.array([96, 78, 60])
    desk = Image.fromarray(np.clip(desk, 0, 255).astype(np.uint8)).resize(size, Image.BICUBIC)
    coeffs = perspective_coeffs(quad, [(0, 0), (paper.width, 0), (paper.width, paper.height), (0, paper.height)])
    warped = paper.transform(size, Image.PERSPECTIVE, coeffs, Image.BICUBIC, fillcolor=(0, 0, 0))
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).polygon(quad, fill=255)
    photo = Image.composite(warped, desk, mask.filter(ImageFilter.GaussianBlur(1.2)))
    a = np.asarray(photo, dtype=np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # the phone's shadow: a soft dark blob from one side, and light falling off
    sx, sy = float(rng.uniform(0.15, 0.35)) * w, float(rng.uniform(0.55, 0.85)) * h
    shadow = 1.0 - 0.45 * np.exp(-(((xx - sx) / (0.22 * w)) ** 2 + ((yy - sy) / (0.3 * h)) ** 2))
    light = 1.0 - 0.18 * (yy / h) - 0.10 * (xx / w)
    a *= (shadow * light)[..., None]
    a *= np.array([1.0, 0.97, 0.88])  # warm indoor light
    a += rng.normal(0, 4.0, size=a.shape)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    out.save(path, "JPEG", quality=82)


PHOTO_QUADS = (
    [(130, 150), (1880, 95), (1830, 1090), (175, 1235)],
    [(210, 110), (1810, 185), (1870, 1250), (120, 1160)],
)


# --- mixed PDF: a text page and a scanned page with a bad invisible OCR layer -------------------
GARBAGE_OCR = "Ty 1€ nguot dan co6 dién thoai thong minh M gqe 6750% ~~ ,; !I| l1 Tỷ ỉệ ngưòi đâп"


def build_mixed(cells: dict, text_pdf: Path, path: Path, rng: np.random.Generator) -> None:
    scanned = scan_page(render(text_pdf, 300)[1], rng, 0.4)
    c = Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle("BẢNG TỔNG HỢP – text page and scanned page (sample)")
    c.setAuthor("chitieu samples")
    draw_summary_slide(c, TABLE_ROWS_BY_SLIDE[0], cells, with_title=True)
    c.showPage()
    with tempfile.TemporaryDirectory() as tmp:
        jpg = Path(tmp) / "page.jpg"
        scanned.save(jpg, "JPEG", quality=55)
        c.drawImage(str(jpg), 0, 0, PAGE_W, PAGE_H)
        text = c.beginText(40, PAGE_H - 60)
        text.setTextRenderMode(3)  # invisible, as OCR layers are
        text.setFont("DejaVuSans", 9)
        for k in range(24):
            text.textLine(" ".join(GARBAGE_OCR.split()[k % 5:]) + f" {k}")
        c.drawText(text)
        c.showPage()
        c.save()


# --- README ----------------------------------------------------------------------------------------
README = f"""# Hard samples

Generated by `python scripts/make_hard_samples.py` (deterministic). Do not edit by hand.
The deck's summary table (two slides, 176 cells; truth `tests/golden/deck_2023_summary.csv`)
in the forms archives hold it in, plus legacy-font text PDFs. Tests: `tests/test_hard_inputs.py`.

| file | what it is |
|---|---|
| `{SUMMARY_TEXT}` | The two summary slides as a text PDF (ruled table): the all-text twin of the mixed PDF. |
| `{SCAN_200}` | The same slides photocopied: 200 dpi, rotated {SCAN_ANGLE}°, specks, noise, blur, uneven light (darker to the right and in a patch). |
| `{BORDERLESS_TEXT}` | The summary table with no ruling lines at all (white space between rows and columns), text PDF. |
| `{BORDERLESS_SCAN}` | The borderless slides scanned at 300 dpi (slight skew, noise). |
| `{PHOTOS[0]}`, `{PHOTOS[1]}` | Each summary slide printed and photographed on a desk: perspective, the phone's shadow, warm light, JPEG, no resolution in the file. |
| `{MIXED}` | Page 1 has a text layer; page 2 is a scan whose invisible OCR layer is garbage, so it must be OCR'd. |
| `{LETTERS['tcvn3']}`, `{LETTERS['vni']}` | Every Vietnamese letter, lower case and capitals, typed in TCVN3 (`.VnTime`, toned capitals in `.VnTimeH`) and in VNI (`VNI-Times`): the text layer holds the legacy code points. |
| `{REPORT_LEGACY['tcvn3']}`, `{REPORT_LEGACY['vni']}` | The Thường Xuân district report typed in TCVN3 (headings in `.VnTimeH`) and in VNI. |
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="seed directory")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = ap.parse_args(argv)
    register_fonts()
    register_legacy_fonts()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(RNG_SEED)
    cells = load_golden(GOLDEN)

    text_pdf = args.out / SUMMARY_TEXT
    build_summary_pdf(cells, text_pdf)
    build_low_dpi_scan(text_pdf, args.out / SCAN_200, rng)
    borderless = args.out / BORDERLESS_TEXT
    build_summary_pdf(cells, borderless, borderless=True)
    scans = [scan_page(img, rng, angle) for img, angle in zip(render(borderless, 300), (0.45, -0.3))]
    save_pdf(scans, args.out / BORDERLESS_SCAN, 300, 55, "deck_2023 summary, borderless, scan (sample)")
    for slide, name, quad in zip(render(text_pdf, 220), PHOTOS, PHOTO_QUADS):
        build_photo(slide, args.out / name, rng, quad)
    build_mixed(cells, text_pdf, args.out / MIXED, rng)
    for encoding in ("tcvn3", "vni"):
        build_letters(args.out / LETTERS[encoding], encoding)
        build_legacy_report(args.seeds, args.out / REPORT_LEGACY[encoding], encoding)
    (args.out / "HARD_SAMPLES.md").write_text(README, encoding="utf-8")
    names = [SUMMARY_TEXT, SCAN_200, BORDERLESS_TEXT, BORDERLESS_SCAN, *PHOTOS, MIXED, *LETTERS.values(),
             *REPORT_LEGACY.values()]
    total = 0
    for name in names:
        size = (args.out / name).stat().st_size
        total += size
        print(f"{name:45s} {size:>9,d} bytes")
    print(f"{'total':45s} {total:>9,d} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
