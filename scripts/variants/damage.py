"""Turn a text PDF into what reaches the office: a scan, a turned scan, a stamped copy, a fax, a small scan.

Kinds, drawn with the shares of KINDS: text (the PDF as exported, left alone); scan (gray or
colour, 200-400 dpi, skewed up to ±3°, sensor noise, sometimes blurred, unevenly lit, dusty,
JPEG'd at 25-90 or kept at 95); turned (a scan whose page image lies at 90/180/270°); stamped
(a colour scan with a translucent red round seal over 1-3 value cells near the bottom of the
table and a blue signature across the last rows); fax (150 dpi, 1 bit, salt and pepper that
break thin rules into dots); lowres (gray 150 dpi); photo (a phone photo of the printed page or
of the slide on a screen, variants/photo.py: never drawn unasked, named with --kinds photo, so
the seeds' documents stay as they were). Choices come from the document's
random.Random (and, for where the seal goes, one seeded from the document's seed); pixels
from numpy default_rng(seed): the same seed gives the same bytes.
"""
from __future__ import annotations

import math
import random
import time
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from variants import photo

FIXED_DATE = time.gmtime(1703980800)  # 2023-12-31: no wall clock in the file

KINDS = {  # kind -> share of documents
    "text": 0.52,  # exported from Word/Excel and sent as it is: about half of what arrives
    "scan": 0.17,  # the printed, signed report put through the office copier-scanner
    "turned": 0.06,  # a landscape page fed portrait, or upside down: the image lies turned
    "stamped": 0.10,  # the sealed copy, scanned in colour so the seal shows
    "fax": 0.08,  # faxed from a commune office and kept as the fax server's PDF
    "lowres": 0.07,  # scanned at the copier's "small file" setting, or re-saved small
    "photo": 0.0,  # a phone photo of the page: only when asked for (--kinds photo), the draws of the rest unmoved
}
# the damage classes: scan is any ≥200-dpi gray or colour scan, turned and stamped ones too
CLASSES = {"text": "text", "scan": "scan", "turned": "scan", "stamped": "scan", "fax": "fax", "lowres": "lowres",
           "photo": "photo", "sheet": "sheet"}  # sheet: a spreadsheet (variants/sheets.py), not damaged
SCAN_DPI = ((200, 300, 400), (0.45, 0.40, 0.15))  # copier settings: 200 default, 300 "fine", 400 seldom
COLOUR_SHARE = 0.3  # copiers left on colour or auto-colour; stamped copies are always colour
SKEW_SMALL = (1.0, 0.7)  # most pages lie within ±1° on the glass or in the feeder (share 0.7) ...
SKEW_MAX = 3.0  # ... the rest up to ±3°: laid by hand, or pulled askew by a worn feeder
TURNS = ((90, 180, 270), (0.4, 0.2, 0.4))  # landscape fed portrait either way; upside down less often
BLUR = (0.3, 0.8, 0.35)  # σ px: a page lifted off the glass, a soft lens; on 35% of scans
LIGHT = (0.70, 0.85, 0.5)  # darkest edge as a share of white: lid left open, a fold's shadow; on half
JPEG = (25, 90, 0.6)  # quality of the scan's JPEG on 60% of scans ("small file" to "normal"); else 95
SPECKS = (30, 0.6)  # up to 30 dust or toner specks a page, on 60% of scans (dirty glass, old drum)
NOISE = (1.0, 6.0)  # sensor noise σ in gray levels: a good flatbed to a tired feeder
LOW_DPI = 150  # the copier's smallest setting: stems of 8-pt text are 1-2 px
FAX_DPI = 150  # a fax server's PDF: G3 fine mode is 204×196, many keep 150 or less
FAX_SKEW = 1.0  # a fax feeder's rollers hold the page nearly straight
FAX_NOISE = (4.0, 12.0)  # line noise before the fax thresholds the page
FAX_THRESHOLD = 160  # gray level below which the fax sends black: thin anti-aliased rules survive, faintly
FAX_SALT = (0.06, 0.22)  # share of black pixels lost on the line: 0.5-pt rules come out dotted
FAX_PEPPER = (0.0003, 0.002)  # share of white pixels that come out black
PAPER_GRAY = 250.0  # office paper in a gray scan: never quite white
PAPER_RGB = (248.0, 244.0, 234.0)  # the same paper in colour: a little warm
SEAL_RGB = (205, 30, 40)  # red seal ink (mực dấu)
SIGN_RGB = (25, 50, 165)  # blue ballpoint
SEAL_RADIUS = (30.0, 46.0)  # pt: 21-32 mm seals; shrunk (and moved) until it covers 1-3 value cells
SIGN_WIDTH = (0.9, 1.6)  # pt: a ballpoint stroke
SIGN_LENGTH = (70.0, 150.0)  # pt: a signature 25-50 mm long
SIGN_HEIGHT = (9.0, 18.0)  # pt: half its height, a signature 6-13 mm tall
SEAL_TEXT = unicodedata.normalize("NFC", "ỦY BAN NHÂN DÂN • TỈNH THANH HÓA • ")
SEAL_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
# the damage columns of variants.csv; stamped / signed: "row:col text" of the value cells under the marks
AXES = ("kind", "dpi", "mode", "skew", "turn", "blur", "light", "noise", "jpeg", "specks", "salt",
        "stamped", "signed", *photo.AXES)  # a photo's: see variants/photo.py


def draw_axes(rng: random.Random, kind: str | None = None) -> dict:
    """The damage a document gets: its kind (drawn, unless given) and that kind's axes
    ("" where an axis does not apply)."""
    if kind is None:
        kind = rng.choices(tuple(KINDS), tuple(KINDS.values()))[0]
    elif kind not in KINDS:
        raise ValueError(f"unknown damage kind {kind!r}: expected one of {', '.join(KINDS)}")
    ax = dict.fromkeys(AXES, "") | {"kind": kind}
    if kind == "text":
        return ax
    if kind == "photo":
        return ax | photo.draw_axes(rng)
    if kind == "fax":
        return ax | {"dpi": FAX_DPI, "mode": "bilevel", "skew": round(rng.uniform(-FAX_SKEW, FAX_SKEW), 2), "turn": 0,
                     "noise": round(rng.uniform(*FAX_NOISE), 1), "specks": 0,
                     "salt": f"{rng.uniform(*FAX_SALT):.3f}/{rng.uniform(*FAX_PEPPER):.4f}"}
    ax |= scan_axes(rng, kind)
    if kind == "lowres":
        ax |= {"dpi": LOW_DPI, "mode": "gray"}
    return ax


def scan_axes(rng: random.Random, kind: str) -> dict:
    small, share = SKEW_SMALL
    lim = small if rng.random() < share else SKEW_MAX
    return {"dpi": rng.choices(*SCAN_DPI)[0],
            "mode": "rgb" if kind == "stamped" or rng.random() < COLOUR_SHARE else "gray",
            "skew": round(rng.uniform(-lim, lim), 2),
            "turn": rng.choices(*TURNS)[0] if kind == "turned" else 0,
            "blur": round(rng.uniform(BLUR[0], BLUR[1]), 2) if rng.random() < BLUR[2] else "",
            "light": round(rng.uniform(LIGHT[0], LIGHT[1]), 2) if rng.random() < LIGHT[2] else "",
            "noise": round(rng.uniform(*NOISE), 1),
            "jpeg": rng.randint(JPEG[0], JPEG[1]) if rng.random() < JPEG[2] else "",
            "specks": rng.randint(1, SPECKS[0]) if rng.random() < SPECKS[1] else 0}


def damage_class(kind: str) -> str:
    """The issue's damage class of a kind: text, scan (≥200 dpi, any skew, turned, stamped), lowres, fax."""
    return CLASSES.get(kind, "scan" if kind else "text")


# --- where the seal and the signature go (in PDF points, from the text layer) ---

def value_rows(text_pdf: Path) -> tuple[int, tuple[float, float], list[list[dict]], Counter]:
    """The last page with value cells ("%" words), its size, those words in rows top to bottom,
    and how often each such text is printed in the whole document."""
    with pdfplumber.open(text_pdf) as pdf:
        sizes = [(float(page.width), float(page.height)) for page in pdf.pages]
        pages = [[w for w in page.extract_words()  # on the paper only: a table can run off it
                  if "%" in w["text"] and w["x0"] >= 0 and w["x1"] <= size[0]]
                 for page, size in zip(pdf.pages, sizes)]
    index = max((k for k, words in enumerate(pages) if words), default=-1)
    if index < 0:
        return -1, (0.0, 0.0), [], Counter()
    words = sorted(pages[index], key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"]))
    tol = 0.5 * sorted(w["bottom"] - w["top"] for w in words)[len(words) // 2]
    rows: list[list[dict]] = []
    for w in words:
        mid = (w["top"] + w["bottom"]) / 2
        if rows and mid - (rows[-1][-1]["top"] + rows[-1][-1]["bottom"]) / 2 <= tol:
            rows[-1].append(w)
        else:
            rows.append([w])
    counts = Counter(w["text"] for words in pages for w in words)
    return index, sizes[index], [sorted(r, key=lambda w: w["x0"]) for r in rows], counts


def near(w: dict, x: float, y: float, r: float) -> bool:
    """Whether the disc (x, y, r) touches the word's box."""
    dx = max(w["x0"] - x, 0.0, x - w["x1"])
    dy = max(w["top"] - y, 0.0, y - w["bottom"])
    return dx * dx + dy * dy < r * r


def cell_labels(rows: list[list[dict]], hit) -> str:
    """'row:col text' of the value words hit, rows counted from the table's bottom (-1 = last row)."""
    out = [f"{r - len(rows)}:{k + 1} {w['text']}" for r, row in enumerate(rows) for k, w in enumerate(row) if hit(w)]
    return "; ".join(out)


def place_seal(rows: list[list[dict]], size: tuple, counts: Counter,
               pick: random.Random) -> tuple[float, float, float]:
    """A seal over 1-3 value cells of the last rows: centre and radius, in points.

    As on a signed copy, the seal sits low, over the signature under the table, its upper part
    over the last rows; it moves, then shrinks, until it covers 1-3 value cells. It is aimed at a
    text printed once in the document where there is one, so the benchmark knows its truth cell.
    """
    bottom = [w for row in rows[-2:] for w in row]
    target = pick.choice([w for w in bottom if counts[w["text"]] == 1] or bottom)
    tx, ty = (target["x0"] + target["x1"]) / 2, (target["top"] + target["bottom"]) / 2
    r = pick.uniform(*SEAL_RADIUS)
    for attempt in range(240):
        if attempt and attempt % 24 == 0:
            r *= 0.9
        x, y = tx + pick.uniform(-0.9, 0.9) * r, ty + pick.uniform(-0.2, 1.1) * r
        inside = 0.8 * r < x < size[0] - 0.8 * r and y + 0.8 * r < size[1]  # on the paper, or most of it
        if inside and 1 <= sum(near(w, x, y, r) for row in rows for w in row) <= 3:
            return x, y, r
    return tx, ty, min(r, (target["x1"] - target["x0"]) / 2)


def bezier(p0, p1, p2, p3, n: int = 24) -> list[tuple[float, float]]:
    pts = []
    for k in range(1, n + 1):
        t = k / n
        u = 1 - t
        pts.append(tuple(u ** 3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t ** 3 * d
                         for a, b, c, d in zip(p0, p1, p2, p3)))
    return pts


def signature_path(pick: random.Random, x0: float, x1: float, y: float, h: float) -> list[tuple[float, float]]:
    """A scrawled name from x0 to x1 around height y (loops from overshooting controls), then a flourish."""
    xs = sorted(pick.uniform(x0, x1) for _ in range(pick.randint(5, 9)))
    anchors = [(x, y + pick.uniform(-h, h)) for x in xs]
    path = [anchors[0]]
    for (ax, ay), (bx, by) in zip(anchors, anchors[1:]):
        span = bx - ax
        c1 = (ax + pick.uniform(-0.6, 1.3) * span, ay + pick.uniform(-1.3, 1.3) * h)
        c2 = (bx + pick.uniform(-1.3, 0.6) * span, by + pick.uniform(-1.3, 1.3) * h)
        path += bezier((ax, ay), c1, c2, (bx, by))
    end = path[-1]
    tail = (x0 - pick.uniform(0.0, 0.3) * (x1 - x0), y + pick.uniform(0.6, 1.4) * h)
    path += bezier(end, (end[0] + 0.2 * h, end[1] + 1.5 * h), (tail[0] + 0.5 * (x1 - x0), tail[1]), tail)
    return path


def plan_marks(text_pdf: Path, seed: int) -> dict:
    """Where the seal and the signature go, and the value cells each lies over."""
    page, size, rows, counts = value_rows(text_pdf)
    if not rows:
        return {"page": -1, "stamped": "", "signed": ""}
    pick = random.Random(f"marks:{seed}")
    x, y, r = place_seal(rows, size, counts, pick)
    last = rows[-1]
    pitch = (last[0]["top"] - rows[-2][0]["top"]) if len(rows) > 1 else 2 * (last[0]["bottom"] - last[0]["top"])
    y_sign = (last[0]["top"] + last[0]["bottom"]) / 2 - pick.uniform(0.0, 1.0) * pitch
    x1 = x + pick.uniform(-0.2, 0.6) * r  # signed from the left, the seal's left half over the name's end
    x0 = max(10.0, x1 - pick.uniform(*SIGN_LENGTH))
    path = signature_path(pick, x0, x1, y_sign, pick.uniform(*SIGN_HEIGHT))
    width = pick.uniform(*SIGN_WIDTH)
    return {"page": page, "seal": (x, y, r), "path": path, "width": width,
            "stamped": cell_labels(rows, lambda w: near(w, x, y, r)),
            "signed": cell_labels(rows, lambda w: any(near(w, px, py, width / 2) for px, py in path))}


# --- drawing the marks (pixels) ---

def ring_text(mask: Image.Image, c: float, radius: float, size: int, start: float) -> None:
    font = ImageFont.truetype(str(SEAL_FONT), size)
    step = 2 * math.pi / len(SEAL_TEXT)
    for k, ch in enumerate(SEAL_TEXT):
        if ch.isspace():
            continue
        a = start + k * step
        tile = Image.new("L", (2 * size, 2 * size), 0)
        ImageDraw.Draw(tile).text((size, size), ch, fill=255, font=font, anchor="mm")
        tile = tile.rotate(-math.degrees(a), resample=Image.BICUBIC)
        x, y = c + radius * math.sin(a), c - radius * math.cos(a)
        mask.paste(255, (round(x - size), round(y - size)), tile)


def seal_alpha(r: int, gen: np.random.Generator) -> np.ndarray:
    """Opacity (0-1) of a round seal of radius r px: two rings, the unit's name around them, a star."""
    size = 2 * r + 4
    c = size / 2
    mask = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(mask)
    d.ellipse((c - r, c - r, c + r, c + r), outline=255, width=max(2, round(r * 0.06)))
    ri = r * 0.66
    d.ellipse((c - ri, c - ri, c + ri, c + ri), outline=255, width=max(1, round(r * 0.025)))
    star = [(c + s * math.sin(k * math.pi / 5), c - s * math.cos(k * math.pi / 5))
            for k in range(10) for s in [r * (0.24 if k % 2 == 0 else 0.1)]]
    d.polygon(star, fill=255)
    ring_text(mask, c, r * 0.83, max(6, round(r * 0.2)), float(gen.uniform(0, 2 * math.pi)))
    a = np.asarray(mask, dtype=np.float32) / 255.0
    patches = Image.fromarray((gen.random((6, 6)) * 255).astype(np.uint8)).resize((size, size), Image.BICUBIC)
    ink = 0.5 + 0.5 * np.asarray(patches, dtype=np.float32) / 255.0  # the pad is never evenly inked
    ink *= gen.random(a.shape, dtype=np.float32) > 0.12  # and the paper's grain takes it unevenly
    return a * ink * float(gen.uniform(0.7, 0.9))


def stroke_alpha(path: list, width: float, scale: float, size: tuple[int, int]) -> tuple[np.ndarray, int, int]:
    xs, ys = [p[0] * scale for p in path], [p[1] * scale for p in path]
    pad = math.ceil(width * scale) + 2
    left, top = max(0, math.floor(min(xs)) - pad), max(0, math.floor(min(ys)) - pad)
    right, bottom = min(size[0], math.ceil(max(xs)) + pad), min(size[1], math.ceil(max(ys)) + pad)
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    pts = [(x - left, y - top) for x, y in zip(xs, ys)]
    ImageDraw.Draw(mask).line(pts, fill=255, width=max(1, round(width * scale)), joint="curve")
    return np.asarray(mask, dtype=np.float32) / 255.0 * 0.85, left, top


def ink(page: np.ndarray, alpha: np.ndarray, left: int, top: int, rgb: tuple) -> None:
    """Multiply an ink of colour rgb with opacity alpha onto page (H×W×3 uint8) at (left, top)."""
    h, w = page.shape[:2]
    x0, y0 = max(left, 0), max(top, 0)
    x1, y1 = min(left + alpha.shape[1], w), min(top + alpha.shape[0], h)
    if x1 <= x0 or y1 <= y0:
        return
    a = alpha[y0 - top:y1 - top, x0 - left:x1 - left, None]
    region = page[y0:y1, x0:x1].astype(np.float32)
    region *= 1.0 - a * (1.0 - np.asarray(rgb, dtype=np.float32) / 255.0)
    page[y0:y1, x0:x1] = np.clip(region, 0, 255).astype(np.uint8)


def apply_marks(img: Image.Image, marks: dict, scale: float, gen: np.random.Generator) -> Image.Image:
    page = np.array(img.convert("RGB"))
    sign, left, top = stroke_alpha(marks["path"], marks["width"], scale, img.size)
    ink(page, sign, left, top, SIGN_RGB)  # signed first, sealed over the signature
    x, y, r = (v * scale for v in marks["seal"])
    seal = seal_alpha(round(r), gen)
    ink(page, seal, round(x - seal.shape[1] / 2), round(y - seal.shape[0] / 2), SEAL_RGB)
    return Image.fromarray(page, "RGB")


# --- the scanner ---

def specks(img: Image.Image, ax: dict, gen: np.random.Generator) -> None:
    n = int(ax["specks"] or 0)
    if not n:
        return
    d = ImageDraw.Draw(img)
    w, h = img.size
    xs, ys = gen.uniform(0, w, n), gen.uniform(0, h, n)
    rs = gen.uniform(0.4, 1.6, n) * ax["dpi"] / 150  # 0.1-0.3 mm of dust
    levels = gen.integers(30, 140, n)
    for x, y, r, v in zip(xs, ys, rs, levels):
        d.ellipse((x - r, y - r, x + r, y + r), fill=int(v) if img.mode == "L" else (int(v),) * 3)


def light_field(h: int, w: int, darkest: float, gen: np.random.Generator) -> np.ndarray:
    """A smooth fall of light across the page, from white to `darkest` at one edge or corner."""
    a = float(gen.uniform(0, 2 * math.pi))
    t = np.arange(w, dtype=np.float32)[None, :] * math.cos(a) + np.arange(h, dtype=np.float32)[:, None] * math.sin(a)
    t -= t.min()
    t /= max(float(t.max()), 1.0)
    return 1.0 - (1.0 - darkest) * t * t


def sensor(img: Image.Image, ax: dict, gen: np.random.Generator) -> Image.Image:
    """Paper tone, uneven light and noise, as the sensor sees the page."""
    a = np.asarray(img, dtype=np.float32)
    paper = np.asarray(PAPER_RGB if a.ndim == 3 else PAPER_GRAY, dtype=np.float32)
    a *= (paper - 3.0) / 255.0
    a += 3.0
    if ax["light"]:
        f = light_field(a.shape[0], a.shape[1], float(ax["light"]), gen)
        a *= f[..., None] if a.ndim == 3 else f
    for c in range(a.shape[2] if a.ndim == 3 else 1):
        plane = a[..., c] if a.ndim == 3 else a
        plane += gen.standard_normal(plane.shape, dtype=np.float32) * float(ax["noise"])
    np.clip(a, 0, 255, out=a)
    return Image.fromarray(a.astype(np.uint8), img.mode)


def fax_bits(img: Image.Image, ax: dict, gen: np.random.Generator) -> Image.Image:
    """Threshold to 1 bit, then lose some black pixels and gain some white ones on the line."""
    salt, pepper = (float(v) for v in ax["salt"].split("/"))
    a = np.asarray(img.convert("L"))
    flip = gen.random(a.shape, dtype=np.float32)
    black = np.where(a < FAX_THRESHOLD, flip >= salt, flip < pepper)
    return Image.fromarray(~black)


def scan_page(img: Image.Image, ax: dict, gen: np.random.Generator, marks: dict | None) -> Image.Image:
    if marks:
        img = apply_marks(img, marks, ax["dpi"] / 72, gen)
    img = img.convert("RGB" if ax["mode"] == "rgb" else "L")
    white = 255 if img.mode == "L" else (255, 255, 255)
    img = img.rotate(ax["skew"], resample=Image.BICUBIC, expand=False, fillcolor=white)
    if ax["turn"]:
        img = img.transpose({90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180,
                             270: Image.Transpose.ROTATE_270}[ax["turn"]])
    specks(img, ax, gen)
    if ax["blur"]:
        img = img.filter(ImageFilter.GaussianBlur(float(ax["blur"])))
    img = sensor(img, ax, gen)
    return fax_bits(img, ax, gen) if ax["mode"] == "bilevel" else img


def damage_pdf(text_pdf: Path, out: Path, stem: str, ax: dict, seed: int) -> tuple[str, dict]:
    """Write ``out/<stem>.<suffix>``, the text PDF as ``ax`` damages it (a scan: .pdf; a photo:
    .jpg, .webp, .heic or a PDF of photos); returns its name and the axes known once written."""
    if ax["kind"] == "photo":
        return photo.photograph(text_pdf, out, stem, ax, seed)
    return f"{stem}.pdf", scan_pdf(text_pdf, out / f"{stem}.pdf", ax, seed)


def scan_pdf(text_pdf: Path, out: Path, ax: dict, seed: int) -> dict:
    """Write the damaged, image-only PDF; returns the axes known only once drawn (stamped, signed cells)."""
    marks = plan_marks(text_pdf, seed) if ax["kind"] == "stamped" else {"page": -1}
    gen = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(text_pdf))
    try:
        pages = [scan_page(doc[i].render(scale=ax["dpi"] / 72).to_pil(), ax, gen,
                           marks if i == marks["page"] else None) for i in range(len(doc))]
    finally:
        doc.close()
    # The scan's JPEG is the PDF's own image encoding (DCT); a fax page is 1-bit CCITT G4.
    jpeg = {} if ax["mode"] == "bilevel" else {"quality": int(ax["jpeg"] or 95)}
    pages[0].save(out, "PDF", resolution=ax["dpi"], save_all=True, append_images=pages[1:], **jpeg,
                  title="chitieu variant scan", author="scripts/make_variants.py",
                  creationDate=FIXED_DATE, modDate=FIXED_DATE)
    return {k: marks.get(k, "") for k in ("stamped", "signed")}
