"""A notional page drawn again (a text dump, a word processor's file, a spreadsheet's
sheet: ``extract.layout.notional`` gives their lines and cells boxes at fixed, monospaced
metrics), so that a value read from it can be seen where it stands, as on a scan: for
the review's pictures, and to look at a notional layout, as pdfplumber's
``debug_tablefinder`` shows its tables.

Each character is drawn in its own ``CHAR_WIDTH`` cell, as the layout counted it, so a
value's box (``notional.span_box``) frames its very characters whatever the font's
own advance (DejaVu Sans Mono's is 6.02 pt at 10 pt: 2 pt adrift after 100 characters).
"""
from __future__ import annotations

import functools
import logging
import math
import os
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from extract.layout.notional import CELL_PAD, CHAR_WIDTH, FONT_SIZE, LINE_HEIGHT
from extract.model import BBox, PageResult

log = logging.getLogger(__name__)

# fonts-dejavu-core (Debian): every Vietnamese letter. The monospaced face first, whose
# glyphs fill the layout's cells; the proportional one, in its cells, is still legible.
FONT_NAMES = ("DejaVuSansMono.ttf", "DejaVuSans.ttf")
RULE = 140  # the grey of a cell's outline: a table's rules, lighter than its text


def draw_page(page: PageResult, scale: float) -> Image.Image:
    """The notional ``page`` at ``scale`` pixels a point: each line's text from its box's
    left edge, each table cell outlined with its text a line per line inside; white
    where there is nothing."""
    width, height = page.size
    image = Image.new("L", (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))), 255)
    draw = ImageDraw.Draw(image)
    font = _font(max(1, round(FONT_SIZE * scale)))
    for line in page.lines:
        if line.bbox is not None and line.text.strip():
            _write(draw, line.text, line.bbox[0], line.bbox[1], scale, font)
    for table in page.tables:
        for cell in table.cells:
            draw.rectangle(_pixels(cell.bbox, scale), outline=RULE, width=1)
            x0, top = cell.bbox[0] + CELL_PAD, cell.bbox[1] + CELL_PAD
            for k, text in enumerate(cell.text.split("\n")):
                _write(draw, text, x0, top + k * LINE_HEIGHT, scale, font)
    return image


def _pixels(bbox: BBox, scale: float) -> tuple[int, int, int, int]:
    x0, top, x1, bottom = bbox
    return round(x0 * scale), round(top * scale), round(x1 * scale), round(bottom * scale)


def _write(draw: ImageDraw.ImageDraw, text: str, left: float, top: float, scale: float, font) -> None:
    """One line of ``text`` from (``left``, ``top``) in points, a character a cell, centred
    in the line's height."""
    middle = (top + LINE_HEIGHT / 2) * scale
    for k, cluster in _clusters(text):
        if not cluster.isspace():
            draw.text(((left + k * CHAR_WIDTH) * scale, middle), cluster, fill=0, font=font, anchor="lm")


def _clusters(text: str):
    """(index, letter and the combining marks after it) of ``text``. A mark the text kept
    apart ("ô" + U+0301, where NFC has "ố") is counted a character by the layout, so its
    cell stays blank; it is drawn on its letter, where it belongs."""
    import unicodedata

    start = None
    for k, char in enumerate(text):
        if start is not None and unicodedata.combining(char):
            continue
        if start is not None:
            yield start, text[start:k]
        start = k
    if start is not None:
        yield start, text[start:]


@functools.lru_cache(maxsize=64)
def _font(size: int):
    found = _font_file()
    if found is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(found), size)


@functools.lru_cache(maxsize=1)
def _font_file() -> Path | None:
    """DejaVu Sans Mono (or Sans) where the system keeps fonts (the XDG data folders, the
    user's own, macOS's and Windows'), or None: Pillow's own font, which lacks some
    Vietnamese letters."""
    home = Path.home()
    data = os.environ.get("XDG_DATA_DIRS") or os.pathsep.join(("/usr/local/share", "/usr/share"))
    folders = [Path(d) / "fonts" for d in data.split(os.pathsep) if d]
    folders += [home / ".local/share/fonts", home / ".fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
                Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"]
    found: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for root, _, files in os.walk(folder):
                found.update({name: Path(root) / name for name in FONT_NAMES if name in files and name not in found})
    for name in FONT_NAMES:
        if name in found:
            return found[name]
    log.warning("%s not found (Debian: fonts-dejavu-core): notional pages are drawn in Pillow's font", FONT_NAMES[0])
    return None
