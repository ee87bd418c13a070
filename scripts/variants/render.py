"""Draw a variant's table as a text-layer PDF with reportlab (platypus Table of Paragraphs).

Axes drawn here: rules (grid / horizontal / borderless), font family, page size,
the number of lines headers and labels wrap to (set through column widths), and
the font size that makes the table fit the page width. A table too long for one
page goes on over the next with its header repeated (reportlab splits it).
"""
from __future__ import annotations

import random
from pathlib import Path
from xml.sax.saxutils import escape

import pypdfium2 as pdfium
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from variants.content import Content

# family -> (folder under FONT_ROOT, regular, bold); each family present only when installed.
# Liberation from liberation2/ (Debian's fonts-liberation2, 2.x): fonts-liberation 1.07 in
# liberation/ has no Vietnamese letters (ầ, ợ, ữ draw as boxes), and fontconfig, hence
# Chromium and LibreOffice, picks the 2.x files for "Liberation Sans" too.
FONT_FILES = {
    "DejaVuSans": ("dejavu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "DejaVuSerif": ("dejavu", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "DejaVuSansCondensed": ("dejavu", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    "LiberationSans": ("liberation2", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    "LiberationSerif": ("liberation2", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    "NotoSans": ("noto", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),  # fonts-noto-core
    "NotoSerif": ("noto", "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"),
}
FONT_ROOT = Path("/usr/share/fonts/truetype")
PAGES = {"a4_portrait": A4, "a4_landscape": landscape(A4), "16x9": (720.0, 405.0)}
LAYOUTS = ("grid", "horizontal", "borderless")
MIN_SIZE = 6.0  # smaller is unreadable on paper, let alone in a 150-dpi scan
PAD = 12.0  # reportlab's default cell padding, 6 pt each side
GROUPS = {1: ("I", "ĐỐI VỚI CHÍNH QUYỀN SỐ"), 6: ("II", "ĐỐI VỚI NGƯỜI DÂN, DOANH NGHIỆP")}


def available_fonts() -> list[str]:
    """Families whose files are on this machine (Liberation is skipped when absent)."""
    return [f for f, (d, r, b) in FONT_FILES.items()
            if (FONT_ROOT / d / r).exists() and (FONT_ROOT / d / b).exists()]


def register(family: str) -> tuple[str, str]:
    folder, regular, bold = FONT_FILES[family]
    for name, fname in ((family, regular), (family + "-Bold", bold)):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_ROOT / folder / fname)))
    return family, family + "-Bold"


def draw_axes(rng: random.Random, fonts: tuple[str, ...] | None = None) -> dict:
    return {"layout": rng.choice(LAYOUTS), "font": rng.choice(list(fonts) if fonts else available_fonts()),
            "page": rng.choice(tuple(PAGES)), "header_lines": rng.randint(1, 4),
            "label_lines": rng.randint(1, 4), "base_size": rng.choice((8.0, 9.0, 10.0, 11.0))}


def text_width(text: str, font: str, size: float, lines: int) -> float:
    """Width that wraps `text` to about `lines` lines, never narrower than its longest word."""
    words = max((pdfmetrics.stringWidth(w, font, size) for w in text.split()), default=0.0)
    return max(words, pdfmetrics.stringWidth(text, font, size) / lines * 1.08) + PAD


class Grid:
    """Rows of cell texts, spans, and which rows are headers, before styling."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.spans: list[tuple[int, int, int, int]] = []  # (c0, r0, c1, r1)
        self.header_rows = 0
        self.label_col = 1

    def add(self, row: list[str]) -> int:
        self.rows.append(row)
        return len(self.rows) - 1


def deck_grid(c: Content) -> Grid:
    g = Grid()
    tcol = ["Chỉ tiêu"] if c.targets else []
    first = 2 + len(tcol)
    top = ["TT", "Nội dung", *tcol] + [t for text, _ in c.localities for t in (text, "")]
    sub = ["", "", *([""] * len(tcol))] + list(c.phase_texts) * len(c.localities)
    g.add(top), g.add(sub)
    g.header_rows = 2
    g.spans += [(k, 0, k, 1) for k in range(first)]
    g.spans += [(first + 2 * k, 0, first + 2 * k + 1, 0) for k in range(len(c.localities))]
    for i, name in c.indicators:
        if c.axes["sections"] and i in GROUPS:
            r = g.add([GROUPS[i][0], GROUPS[i][1]] + [""] * (len(top) - 2))
            g.spans.append((1, r, len(top) - 1, r))
        vals = [c.cells[(k, i, p)].text for k in range(len(c.localities)) for p in c.phases]
        g.add([str(i), name, *([c.targets[i].text] if c.targets else []), *vals])
    return g


def district_grid(c: Content) -> Grid:
    g = Grid()
    n = len(c.phases)
    head = ["TT", c.axes.get("place_header", "Đơn vị")] + [t for _, h in c.indicators for t in [h] + [""] * (n - 1)]
    g.add(head)
    if n == 2:
        g.add(["", ""] + list(c.phase_texts) * len(c.indicators))
        g.spans += [(0, 0, 0, 1), (1, 0, 1, 1)]
        g.spans += [(2 + 2 * k, 0, 3 + 2 * k, 0) for k in range(len(c.indicators))]
    g.header_rows = len(g.rows)
    if c.targets:
        r = g.add(["", "Chỉ tiêu"] + [t for i, _ in c.indicators for t in [c.targets[i].text] + [""] * (n - 1)])
        g.spans += [(2 + n * k, r, 1 + n * (k + 1), r) for k in range(len(c.indicators))] if n == 2 else []
    numbered = len(c.localities) - c.axes.get("total_rows", 0)  # a total row ("Toàn tỉnh") has no number
    for k, (text, _) in enumerate(c.localities):
        g.add([str(k + 1) if k < numbered else "", text]
              + [c.cells[(k, i, p)].text for i, _ in c.indicators for p in c.phases])
    return g


def widths(g: Grid, c: Content, ax: dict, fonts: tuple[str, str]) -> list[float]:
    regular, bold = fonts
    size = ax["base_size"]
    body = g.rows[g.header_rows:]
    out = []
    for col in range(len(g.rows[0])):
        cells = [r[col] for r in body if r[col]]
        w = max((text_width(t, regular, size, 1) for t in cells if col != g.label_col), default=PAD)
        if col == g.label_col and c.family == "deck":
            names = sorted(len(t) for t in cells)
            median = next(t for t in cells if len(t) == names[len(names) // 2])
            w = text_width(median, regular, size, ax["label_lines"])
        elif col == g.label_col:
            w = max(text_width(t, regular, size, 1) for t in cells + [g.rows[0][col]])
        out.append(w)
    heads = [(col, t) for col, t in enumerate(g.rows[0]) if t and col != g.label_col]
    for col, text in heads:
        span = next((s[2] - s[0] + 1 for s in g.spans if s[0] == col and s[1] == 0 and s[3] == 0), 1)
        need = text_width(text, bold, size, ax["header_lines"])
        cur = sum(out[col:col + span])
        if need > cur:  # spread a wrapped header's width over the columns it spans
            for k in range(col, col + span):
                out[k] += (need - cur) / span
    return out


def paragraph_rows(g: Grid, fonts: tuple[str, str], size: float) -> list[list[Paragraph]]:
    regular, bold = fonts
    lead = round(size * 1.2, 2)
    head = ParagraphStyle("h", fontName=bold, fontSize=size, leading=lead, alignment=TA_CENTER)
    cell = ParagraphStyle("c", fontName=regular, fontSize=size, leading=lead, alignment=TA_CENTER)
    left = ParagraphStyle("l", fontName=regular, fontSize=size, leading=lead, alignment=TA_LEFT)
    out = []
    for r, row in enumerate(g.rows):
        st = [head if r < g.header_rows else (left if k == g.label_col else cell) for k in range(len(row))]
        out.append([Paragraph(escape(t), s) for t, s in zip(row, st)])
    return out


def table_style(g: Grid, layout: str, scale: float) -> TableStyle:
    pad = PAD / 2 * scale
    cmds = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    cmds += [(k, (0, 0), (-1, -1), pad) for k in ("LEFTPADDING", "RIGHTPADDING")]
    cmds += [(k, (0, 0), (-1, -1), pad / 2) for k in ("TOPPADDING", "BOTTOMPADDING")]
    cmds += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in g.spans]
    if layout == "grid":
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif layout == "horizontal":
        cmds += [("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
                 ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.black)]
    return TableStyle(cmds)


def margin_of(page_name: str) -> float:
    return 18.0 if page_name == "16x9" else 28.0


def fit(ws: list[float], page_name: str) -> float:
    return min(1.0, (PAGES[page_name][0] - 2 * margin_of(page_name)) / sum(ws))


def squeeze(ws: list[float], room: float, least: float) -> list[float]:
    """Column widths cut to ``room`` in proportion to what each has over ``least`` (its
    padding and two letters: a "TT" column squeezed below its padding breaks reportlab)."""
    floors = [min(w, least) for w in ws]
    spare = sum(ws) - sum(floors)
    share = max(0.0, room - sum(floors)) / spare if spare else 1.0
    return [f + (w - f) * share for w, f in zip(ws, floors)]


def build_pdf(c: Content, ax: dict, path: Path) -> dict:
    """Write the text PDF; returns the axes as drawn (font size, pages)."""
    fonts = register(ax["font"])
    g = deck_grid(c) if c.family == "deck" else district_grid(c)
    ws = widths(g, c, ax, fonts)
    page_name = ax["page"]
    # Shrinking the font and the widths together keeps the wrap counts the axes asked for;
    # below MIN_SIZE a portrait page is turned landscape, as an office would.
    scale = fit(ws, page_name)
    if ax["base_size"] * scale < MIN_SIZE and page_name == "a4_portrait":
        page_name = "a4_landscape"
        scale = fit(ws, page_name)
    scale = max(scale, MIN_SIZE / ax["base_size"]) if scale < 1 else scale
    size = round(ax["base_size"] * scale, 2)
    page, margin = PAGES[page_name], margin_of(page_name)
    ws = [w * scale for w in ws]
    room = page[0] - 2 * margin
    if sum(ws) > room:  # too wide even at MIN_SIZE: squeeze the columns (cells wrap more), as
        ws = squeeze(ws, room, PAD * scale + 2 * size)  # engines.plan does; drawn as it was, it ran off the page
    rl_config.invariant = 1
    doc = SimpleDocTemplate(str(path), pagesize=page, leftMargin=margin, rightMargin=margin,
                            topMargin=margin, bottomMargin=margin, invariant=1,
                            title="chitieu variant", author="scripts/make_variants.py")
    title = Paragraph(escape(c.title), ParagraphStyle("t", fontName=fonts[1], fontSize=max(size, 8) + 2,
                                                      leading=(max(size, 8) + 2) * 1.25, alignment=TA_CENTER))
    table = Table(paragraph_rows(g, fonts, size), colWidths=ws,
                  repeatRows=g.header_rows)
    table.setStyle(table_style(g, ax["layout"], scale))
    doc.build([title, Spacer(1, 8), table])
    pdf = pdfium.PdfDocument(str(path))
    n_pages = len(pdf)
    pdf.close()
    return {"font_size": size, "pages": n_pages, "page": page_name}
