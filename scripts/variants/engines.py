"""Draw a variant's table with a real office engine, not only reportlab (issue 11).

chromium     the table as an HTML page (<table> with rowspan/colspan, CSS rules, @page size),
             printed to PDF by headless Chromium
libreoffice  the table as a .docx (python-docx: merged cells, table borders, section size),
             converted to PDF by headless LibreOffice
reportlab    render.build_pdf

All three take the same Content and axes and size the table the same way (render's column
widths, font size and page, from the font's own metrics), so a document differs between
engines only in how the engine lays out and writes the PDF. Neither engine touches the
network or the user's home: each runs with HOME and its profile in a private temporary
folder, from a local file. The same content and axes give the same PDF, byte for byte, on
the same machine (the dates and IDs the engines stamp are pinned: pin_stamps); another
Chromium or LibreOffice version may lay the table out differently.
"""
from __future__ import annotations

import atexit
import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from reportlab.pdfbase import pdfmetrics

from variants import render
from variants.content import Content

ENGINES = ("reportlab", "chromium", "libreoffice")  # the order engines are drawn from, for stable draws
TIMEOUT = 180  # seconds: a document takes 1-2.5 s in either engine; far beyond that it has hung
# Points added to each column: both engines round layout (to pixels, to twips), so a word render
# measured to fit exactly wraps letter by letter ("T/T"); 1 pt is less than a letter, so the
# wrap counts the axes asked for stay.
SLACK = 1.0
TITLE_GAP = 8.0  # points between title and table, as render.build_pdf's Spacer
# Chromium's flags: no sandbox (we run as root in containers), no GPU, and nothing that
# reaches the network or writes outside the private profile; no date/URL header or footer.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer")
# The rules per layout, as render.table_style draws them: edge → width in eighths of a point
# (Word's unit), so 0.5 pt → 4, 0.8 pt → 6 (0.75), 0.4 pt → 3 (0.375).
DOCX_BORDERS = {"grid": {e: 4 for e in ("top", "left", "bottom", "right", "insideH", "insideV")},
                "horizontal": {"top": 6, "bottom": 3, "insideH": 3}, "borderless": {}}
DOCX_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")  # the order Word's schema wants
# The wall clock both engines stamp in the PDF's Info, pinned to 2023-12-31 as damage.FIXED_DATE;
# and LibreOffice's time-based trailer /ID pair and /DocChecksum, replaced by a hash of the
# rest. Same lengths, so the xref offsets stay right.
STAMP = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)\d{14}")
FIXED_STAMP = b"20231231000000"
FILE_HASHES = re.compile(rb"(/ID\s*\[\s*<)[0-9A-Fa-f]{32}(>\s*<)[0-9A-Fa-f]{32}(>)|(/DocChecksum\s*/)[0-9A-Fa-f]{32}")
TWIPS = 20  # twentieths of a point, Word's unit for table widths and cell margins
# The order Word's schema gives w:tblPr's and w:trPr's children (strict readers refuse others).
TBLPR_ORDER = ("w:tblStyle", "w:bidiVisual", "w:tblW", "w:jc", "w:tblInd", "w:tblBorders", "w:shd",
               "w:tblLayout", "w:tblCellMar", "w:tblLook")
TRPR_ORDER = ("w:cantSplit", "w:trHeight", "w:tblHeader", "w:jc")


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available_engines() -> list[str]:
    """reportlab always; chromium and libreoffice when their binaries are on PATH."""
    found = {"reportlab": True, "chromium": bool(shutil.which("chromium")), "libreoffice": bool(soffice_binary())}
    return [e for e in ENGINES if found[e]]


def build(engine: str, c: Content, ax: dict, path: Path) -> dict:
    """Write the text PDF with `engine`; returns the axes as drawn (font size, pages, page)."""
    if engine == "chromium":
        return build_html_pdf(c, ax, path)
    if engine == "libreoffice":
        return build_docx_pdf(c, ax, path)
    return render.build_pdf(c, ax, path)


@dataclass
class Plan:
    """What render.build_pdf would draw: the grid, column widths (pt), font, size, page."""

    grid: render.Grid
    widths: list[float]
    family: str  # the font's family name, as fontconfig and office programs know it
    size: float
    page_name: str
    page: tuple[float, float]
    margin: float
    pad: float  # horizontal cell padding, each side (vertical is half)
    layout: str
    title: str

    @property
    def title_size(self) -> float:
        return max(self.size, 8) + 2


def plan(c: Content, ax: dict) -> Plan:
    """The sizing of render.build_pdf: widths that give the asked wraps, scaled to the page."""
    fonts = render.register(ax["font"])
    g = render.deck_grid(c) if c.family == "deck" else render.district_grid(c)
    ws = render.widths(g, c, ax, fonts)
    page_name = ax["page"]
    scale = render.fit(ws, page_name)
    if ax["base_size"] * scale < render.MIN_SIZE and page_name == "a4_portrait":
        page_name = "a4_landscape"
        scale = render.fit(ws, page_name)
    scale = max(scale, render.MIN_SIZE / ax["base_size"]) if scale < 1 else scale
    family = pdfmetrics.getFont(fonts[0]).face.familyName.decode("utf-8")
    ws = [w * scale + SLACK for w in ws]
    room = render.PAGES[page_name][0] - 2 * render.margin_of(page_name)
    if sum(ws) > room:  # too wide even at MIN_SIZE: squeeze the columns as Word would; cells wrap more
        ws = [w * room / sum(ws) for w in ws]
    return Plan(g, ws, family, round(ax["base_size"] * scale, 2), page_name,
                render.PAGES[page_name], render.margin_of(page_name), render.PAD / 2 * scale, ax["layout"], c.title)


def span_map(g: render.Grid) -> tuple[dict, set]:
    """(row, col) of each span's first cell → (rowspan, colspan); and the cells spans cover."""
    origin, covered = {}, set()
    for c0, r0, c1, r1 in g.spans:
        origin[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered |= {(r, k) for r in range(r0, r1 + 1) for k in range(c0, c1 + 1)} - {(r0, c0)}
    return origin, covered


def count_pages(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def check_font(path: Path, family: str) -> None:
    """Raise unless the first page's text is all in `family`: an engine that fell back to another
    font (fontconfig not knowing the name) would break the widths the axes were drawn for."""
    want = family.replace(" ", "")
    with pdfplumber.open(str(path)) as pdf:
        names = {ch["fontname"].split("+")[-1] for ch in pdf.pages[0].chars}
    wrong = sorted(n for n in names if not n.startswith(want))
    if wrong:
        raise RuntimeError(f"{path.name}: drawn in {', '.join(wrong)}, not {family}")


def fill_hashes(data: bytes, digest: bytes) -> bytes:
    def put(m: re.Match) -> bytes:
        if m.group(4):
            return m.group(4) + digest
        return m.group(1) + digest + m.group(2) + digest + m.group(3)
    return FILE_HASHES.sub(put, data)


def pin_stamps(path: Path) -> None:
    """Make the PDF's bytes a function of its content: fixed dates, trailer hashes from the rest."""
    data = STAMP.sub(lambda m: m.group(1) + FIXED_STAMP, path.read_bytes())
    digest = hashlib.md5(fill_hashes(data, b"0" * 32)).hexdigest().upper().encode()
    path.write_bytes(fill_hashes(data, digest))


def private_env(home: Path) -> dict:
    """PATH and a UTF-8 locale from here; HOME, config and cache in `home`; UTC clock."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "TZ": "UTC",
            "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache")}


def run(cmd: list[str], home: Path, out: Path) -> None:
    """Run an engine; raise with the tail of its output when it fails or writes nothing."""
    p = subprocess.run(cmd, env=private_env(home), cwd=home, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=TIMEOUT)
    if p.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        tail = (p.stdout + p.stderr).strip().splitlines()[-5:]
        raise RuntimeError(f"{cmd[0]} exited {p.returncode} without {out.name}: " + " | ".join(tail))


# -- HTML → Chromium -------------------------------------------------------------------------

def html_css(p: Plan) -> str:
    w, h = p.page
    rules = {"grid": "th, td { border: 0.5pt solid #000; }",
             "horizontal": "th, td { border-bottom: 0.4pt solid #000; }\n"
                           "thead tr:first-child th { border-top: 0.8pt solid #000; }",
             "borderless": ""}[p.layout]
    return f"""@page {{ size: {w:.2f}pt {h:.2f}pt; margin: {p.margin:.2f}pt; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "{p.family}"; font-size: {p.size}pt; line-height: 1.2; color: #000; }}
h1 {{ font-size: {p.title_size}pt; line-height: 1.25; font-weight: bold; text-align: center;
     margin: 0 0 {TITLE_GAP}pt 0; }}
table {{ border-collapse: collapse; table-layout: fixed; width: {sum(p.widths):.2f}pt; margin: 0 auto; }}
th, td {{ box-sizing: border-box; padding: {p.pad / 2:.2f}pt {p.pad:.2f}pt; vertical-align: middle;
         text-align: center; overflow-wrap: break-word; }}
th {{ font-weight: bold; }}
td.label {{ text-align: left; }}
tr {{ break-inside: avoid; }}
{rules}
"""


def html_rows(p: Plan) -> str:
    g = p.grid
    origin, covered = span_map(g)
    out = []
    for r, row in enumerate(g.rows):
        head = r < g.header_rows
        cells = []
        for k, text in enumerate(row):
            if (r, k) in covered:
                continue
            rs, cs = origin.get((r, k), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            attrs += ' class="label"' if k == g.label_col and not head else ""
            tag = "th" if head else "td"
            cells.append(f"<{tag}{attrs}>{html.escape(text)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
        if r == g.header_rows - 1:
            out.append("</thead><tbody>")
    return "<thead>" + "\n".join(out) + "</tbody>"


def html_page(p: Plan) -> str:
    cols = "".join(f'<col style="width:{w:.2f}pt">' for w in p.widths)
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>chitieu variant</title>\n'
            f"<style>\n{html_css(p)}</style></head>\n<body><h1>{html.escape(p.title)}</h1>\n"
            f"<table><colgroup>{cols}</colgroup>\n{html_rows(p)}\n</table></body></html>\n")


def build_html_pdf(c: Content, ax: dict, path: Path) -> dict:
    """The table as an HTML page, printed to `path` by headless Chromium (fresh profile each time)."""
    p = plan(c, ax)
    with tempfile.TemporaryDirectory(prefix="variants-chromium-") as tmp:
        home = Path(tmp)
        page = home / "table.html"
        page.write_text(html_page(p), encoding="utf-8")
        out = home / "table.pdf"
        run([shutil.which("chromium") or "chromium", *CHROMIUM_FLAGS, f"--user-data-dir={home / 'profile'}",
             f"--print-to-pdf={out}", page.as_uri()], home, out)
        check_font(out, p.family)
        pin_stamps(out)
        shutil.move(str(out), str(path))
    return {"font_size": p.size, "pages": count_pages(path), "page": p.page_name}


# -- DOCX → LibreOffice ----------------------------------------------------------------------

def set_section(doc, p: Plan) -> None:
    s = doc.sections[0]
    w, h = p.page
    s.orientation = WD_ORIENT.LANDSCAPE if w > h else WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Pt(w), Pt(h)
    s.left_margin = s.right_margin = s.top_margin = s.bottom_margin = Pt(p.margin)


def set_font(doc, p: Plan) -> None:
    """Normal style in the family (all four script slots), at the size, single-spaced, no gaps."""
    st = doc.styles["Normal"]
    st.font.name, st.font.size = p.family, Pt(p.size)
    fonts = st.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), p.family)
    pf = st.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing = 1.0


def sub(parent, tag: str, order: tuple[str, ...] = (), **attrs) -> OxmlElement:
    """Put <tag attrs…/> in `parent` (replacing one already there), before its successors in `order`."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    later = {qn(t) for t in order[order.index(tag) + 1:]} if tag in order else set()
    successor = next((ch for ch in parent if ch.tag in later), None)
    if successor is None:
        parent.append(el)
    else:
        successor.addprevious(el)
    return el


def set_table_props(table, p: Plan) -> None:
    """Width, fixed layout, borders per layout, and cell margins, on the table's w:tblPr."""
    pr = table._tbl.tblPr
    sub(pr, "w:tblW", TBLPR_ORDER, w=round(sum(p.widths) * TWIPS), type="dxa")
    borders = sub(pr, "w:tblBorders", TBLPR_ORDER)
    for edge in DOCX_EDGES:
        size = DOCX_BORDERS[p.layout].get(edge)
        attrs = {"val": "single", "sz": size, "space": 0, "color": "000000"} if size else {"val": "nil"}
        sub(borders, f"w:{edge}", **attrs)
    sub(pr, "w:tblLayout", TBLPR_ORDER, type="fixed")
    mar = sub(pr, "w:tblCellMar", TBLPR_ORDER)
    for edge, pad in (("top", p.pad / 2), ("left", p.pad), ("bottom", p.pad / 2), ("right", p.pad)):
        sub(mar, f"w:{edge}", w=round(pad * TWIPS), type="dxa")


def fill_row(row, texts: list[str], p: Plan, head: bool) -> None:
    for k, (cell, text) in enumerate(zip(row.cells, texts)):
        cell.width = Pt(p.widths[k])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        left = k == p.grid.label_col and not head
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        if text:  # an empty cell stays empty, so merging leaves no stray paragraph
            para.add_run(text).bold = head
    tr_pr = row._tr.get_or_add_trPr()
    sub(tr_pr, "w:cantSplit", TRPR_ORDER)
    if head:  # header rows repeat on each page, as reportlab's repeatRows
        sub(tr_pr, "w:tblHeader", TRPR_ORDER)


def docx_document(p: Plan):
    doc = Document()
    set_section(doc, p)
    set_font(doc, p)
    core = doc.core_properties
    core.title, core.author = "chitieu variant", "scripts/make_variants.py"
    title = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(TITLE_GAP)
    run_ = title.add_run(p.title)
    run_.bold, run_.font.size = True, Pt(p.title_size)
    g = p.grid
    table = doc.add_table(rows=len(g.rows), cols=len(g.rows[0]))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for k, w in enumerate(p.widths):
        table.columns[k].width = Pt(w)
    set_table_props(table, p)
    for r, (row, texts) in enumerate(zip(table.rows, g.rows)):
        fill_row(row, texts, p, r < g.header_rows)
    for c0, r0, c1, r1 in g.spans:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    return doc


# This process's LibreOffice profile, made once and removed at exit: a fresh one per document
# costs ~1 s more each time. One conversion at a time uses it (make_variants is sequential).
_PROFILE: list[Path] = []


def lo_profile() -> Path:
    if not _PROFILE:
        _PROFILE.append(Path(tempfile.mkdtemp(prefix="variants-lo-profile-")))
        atexit.register(shutil.rmtree, str(_PROFILE[0]), True)
    return _PROFILE[0]


def lo_convert(src: Path, target: str, made: Path) -> None:
    """``src`` converted by headless LibreOffice (its private profile) to ``made``, beside it;
    ``target`` is the conversion's filter ("pdf", "doc:MS Word 97")."""
    work = src.parent
    run([soffice_binary() or "soffice", f"-env:UserInstallation={lo_profile().as_uri()}", "--headless",
         "--norestore", "--nolockcheck", "--convert-to", target, "--outdir", str(work), str(src)], work, made)


def build_docx_pdf(c: Content, ax: dict, path: Path) -> dict:
    """The table as a .docx, converted to `path` by headless LibreOffice with a private profile."""
    p = plan(c, ax)
    p.size = round(p.size * 2) / 2  # Word sizes fonts in half points
    with tempfile.TemporaryDirectory(prefix="variants-lo-") as tmp:
        work = Path(tmp)
        src = work / "table.docx"
        docx_document(p).save(str(src))
        out = work / "table.pdf"
        lo_convert(src, "pdf", out)
        check_font(out, p.family)
        pin_stamps(out)
        shutil.move(str(out), str(path))
    return {"font_size": p.size, "pages": count_pages(path), "page": p.page_name}
