"""A PDF page's own objects, walked once: its characters, the area of its images and its
rulings, each computed as pdfplumber computes them, without its per-object dicts.

pdfplumber turns every object pdfminer lays out into a dict of some twenty attributes,
each resolved (``Page.process_object``): half the time of reading a text page (measured:
``page.chars``, ``page.images`` and ``page.edges`` of samples/deck_2023_text.pdf's pages,
0.31 s of CPU; ``read_layer``, 0.15 s; of a 200-page deck, 5.0 s and 2.35 s). The
triage and the words need eight attributes of a character, the triage the box of an
image, the tables the lines and rectangles drawn; ``read_layer`` takes only those from
pdfminer's objects (``page.layout``), with pdfplumber's arithmetic, so that the words,
boxes and rulings are the same to the last bit (``tests/test_pdf_layer.py`` compares
them with pdfplumber's own on every sample).
"""
from __future__ import annotations

from dataclasses import dataclass

from extract.model import Ruling

# The kinds of object read, by pdfminer's class name without its "LT" (as pdfplumber names them).
_KINDS = ("char", "image", "line", "rect", "curve")
_KIND_OF: dict[type, str | None] = {}  # pdfminer's class → its kind, or None: not read


@dataclass(frozen=True)
class PageLayer:
    """What is read of one page of a text PDF, once, for its triage and its words and rulings.

    ``chars``: dicts of the keys pdfplumber's characters have that the triage and
    ``pdfplumber.utils.extract_words`` read (text, fontname, x0, x1, top, bottom, doctop,
    upright), in pdfplumber's order; ``image_area``: the sum of its images' areas;
    ``path``: the file, for what pdfium is asked (``pdf._invisible_text_share``)."""

    index: int  # 0-based
    size: tuple[float, float]  # width, height in points
    chars: tuple[dict, ...]
    image_area: float
    rulings: tuple[Ruling, ...]
    path: str | None = None


def _kind(cls: type) -> str | None:
    if cls not in _KIND_OF:
        name = cls.__name__
        name = (name[2:] if name.startswith("LT") else name).lower()
        _KIND_OF[cls] = name if name in _KINDS else None
    return _KIND_OF[cls]


def _objects(page) -> dict[str, list]:
    """pdfminer's objects of ``page`` by kind, in the order pdfplumber lists them: depth
    first, a figure's objects where the figure is (no layout analysis, as pdfplumber's default)."""
    from pdfminer.layout import LTContainer

    found: dict[str, list] = {k: [] for k in _KINDS}
    stack = [iter(page.layout._objs)]
    while stack:
        for obj in stack[-1]:
            if isinstance(obj, LTContainer):
                stack.append(iter(obj._objs))
                break
            kind = _kind(type(obj))
            if kind is not None:
                found[kind].append(obj)
        else:
            stack.pop()
    return found


def _chars(objs: list, page, height: float, mb_x0: float, mb_top: float) -> tuple[dict, ...]:
    from unicodedata import normalize as normalize_unicode

    from pdfplumber.page import fix_fontname_bytes

    norm = page.pdf.unicode_norm
    doctop0 = page.initial_doctop
    out = []
    for c in objs:
        text = c.get_text()
        fontname = c.fontname
        x0, x1 = (c.x0 + mb_x0, c.x1 + mb_x0) if mb_x0 != 0 else (c.x0, c.x1)
        top = (height - c.y1) + mb_top
        out.append({
            "text": normalize_unicode(norm, text) if norm is not None else text,
            "fontname": fix_fontname_bytes(fontname) if isinstance(fontname, bytes) else fontname,
            "x0": x0, "x1": x1, "top": top, "bottom": (height - c.y0) + mb_top, "doctop": doctop0 + top,
            "upright": c.upright,
        })
    return tuple(out)


def _rulings(found: dict[str, list], page, height: float, mb_x0: float, mb_top: float) -> tuple[Ruling, ...]:
    """The page's rulings from its lines, then its rectangles' sides, then its curves'
    straight pieces, in the order of pdfplumber's ``page.edges``: a horizontal one longer
    than 2 points drawn at its top, a vertical one taller than 2 points at its left."""
    out: list[Ruling] = []

    def add(orientation: str | None, x0: float, top: float, x1: float, bottom: float) -> None:
        x0, top, x1, bottom = float(x0), float(top), float(x1), float(bottom)
        if orientation == "h" and x1 - x0 > 2:
            out.append(Ruling("h", x0, top, x1, top))
        elif orientation == "v" and bottom - top > 2:
            out.append(Ruling("v", x0, top, x0, bottom))

    def box(o):
        x0, x1 = (o.x0 + mb_x0, o.x1 + mb_x0) if mb_x0 != 0 else (o.x0, o.x1)
        return x0, (height - o.y1) + mb_top, x1, (height - o.y0) + mb_top

    for o in found["line"]:
        x0, top, x1, bottom = box(o)
        add("h" if top == bottom else "v", x0, top, x1, bottom)
    for o in found["rect"]:
        x0, top, x1, bottom = box(o)
        add("h", x0, top, x1, top)
        add("h", x0, top + o.height, x1, bottom)
        add("v", x0, top, x0, bottom)
        add("v", x1, top, x1, bottom)
    left, below = page.mediabox[0], page.mediabox[1] + height
    for o in found["curve"]:
        pts = [(left + x, below - y) for x, y in o.pts]
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            add("v" if ax == bx else ("h" if ay == by else None), min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
    return tuple(out)


def read_layer(page, index: int) -> PageLayer:
    """The characters, image area and rulings of a pdfplumber page (laid out by pdfminer
    once, cached on the page until ``page.close()``)."""
    found = _objects(page)
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    image_area = 0.0
    for im in found["image"]:
        x0, x1 = (im.x0 + mb_x0, im.x1 + mb_x0) if mb_x0 != 0 else (im.x0, im.x1)
        image_area += abs((x1 - x0) * (((height - im.y0) + mb_top) - ((height - im.y1) + mb_top)))
    pdf = page.pdf
    path = getattr(pdf, "path", None) or getattr(getattr(pdf, "stream", None), "name", None)
    return PageLayer(index, (float(page.width), float(page.height)), _chars(found["char"], page, height, mb_x0, mb_top),
                     image_area, _rulings(found, page, height, mb_x0, mb_top), str(path) if path else None)
