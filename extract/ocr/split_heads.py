"""A deck's locality headers read cut in two or cut short: read again whole, as one block.

A deck's locality header spans its "before" / "after" pair ("Quảng Xương (xã Quảng" over
"Lộc)"). When the page pass reads it badly (a word lost, or read as one tall word over two
lines and dropped by the layout), the white space no longer shows it spanning, and each
half is a cell of one column: each is then read again alone, cut mid-name, and comes back
garbled ("Iz (xã Quảng I3)" in v0063 of make_variants --n 300 --seed 2612; "ng" and "ii
Hoằng" for "Hoằng Hóa (xã Hoằng Thanh)" in its v0105): a place the gazetteer cannot
resolve, and the pair's values all flagged under it. A header that keeps its span may
still lose its wrapped last word ("Thường Xuân (xã Lương\n)" for "… Lương Sơn)", v0009
of --n 30 --seed 187000 --kinds scan,turned,stamped), which a block reading of its crop
(``cells.reread_cut_short``) may put out of order ("Xuân (xã Lương Thường Sơn").

In a header row where localities span pairs of columns, two cells of one column each over
a pair of phases, and a spanning cell not read "name (unit name)" where the others are, are
read again as one block (then, if need be, by the sparse pass, which reads a bold header's
stacked accents the block pass garbles), the words put in reading order by their place. A
reading that names a place whole ("name (unit name)", Vietnamese, no figure, no shorter)
replaces the header: a pair gets its name before the parenthesis in the first cell and the
parenthesis in the second, which the reader joins again
(``normalize.readers.summary._join_split_localities``); a spanning cell is mended only when
half of its words or more stay. The tables keep their shape.
"""
from __future__ import annotations

import logging
import re

from extract.documents.legacy import syllable_share
from extract.layout.geometry import box_around, centre_inside
from extract.model import Cell, Page, Table, Word
from extract.ocr.crops import SPECKS, clear_cell_borders, prepare_crop, read_strip
from extract.ocr.engine import PAGE_PSM, OcrEngine, OcrWord

log = logging.getLogger(__name__)

MAX_SPLIT = 12  # headers read again per page at most: a deck has up to a dozen localities
MIN_SPANNING = 2  # cells spanning a pair in the row that show its localities do
SURE_CONF = 70.0  # a split header read this surely and whole is left as it is (cells.UNSURE_CONF)
# "name (unit name)": the parenthesis closed on a word ("Lương )" is "Lương Sơn)" with "Sơn" lost)
_ABBREVIATIONS = frozenset({"TP", "TX", "TT", "P", "X", "H"})  # thành phố, thị xã, thị trấn, phường, xã, huyện
_WHOLE = re.compile(r"^([^()]*\w[^()]*?)\s*(\([^()]*\w\))$")


def split_pairs(table: Table) -> list[tuple[Cell, ...]]:
    """The locality headers of a header row whose localities span a pair of columns each, to
    be read again whole, unless read whole and surely already (``_unsure``): pairs of one-column
    cells over the same pair of headers as theirs (their phases: "Trước" and "Sau"; one of the
    two may be read wrong), and, where the row's names are "name (unit name)", a spanning cell
    read otherwise ("Thường Xuân (xã Lương\n)": "Sơn)" read as ")")."""
    rows = table.rows()
    units: list[tuple[Cell, ...]] = []
    for r, row in enumerate(rows[:-1]):
        if any(ch.isdigit() for c in row for ch in c.text) and r > 0:
            break  # the values begin: no locality header below
        spans = [c for c in row if c.colspan == 2 and c.rowspan == 1 and c.text.strip()]
        if len(spans) < MIN_SPANNING:
            continue
        if 2 * sum(bool(_WHOLE.match(" ".join(c.text.split()))) for c in spans) > len(spans):
            units += [(c,) for c in spans if not _WHOLE.match(" ".join(c.text.split()))]
        below = {c.col: _lead(c.text) for c in rows[r + 1] if c.colspan == 1}
        heads = [(below.get(c.col), below.get(c.col + 1)) for c in spans]
        by_col = {c.col: c for c in row if c.colspan == 1 and c.rowspan == 1}
        for col, first in sorted(by_col.items()):
            second = by_col.get(col + 1)
            # one of the two headers below may be damaged with the locality's ("thí\nđiểm")
            if (second is not None and any(below.get(col) == a or below.get(col + 1) == b
                                           for a, b in heads if a and b)
                    and any(ch.isalpha() for ch in first.text + second.text) and _unsure(first, second)):
                units.append((first, second))
    return sorted(units, key=lambda u: u[0].col)


def _lead(text: str) -> str:
    """The first letters of a header, the same under every locality whatever the wrap ("Trước\nthí")."""
    return "".join(ch for ch in text if ch.isalpha())[:3].casefold()


def _unsure(*cells: Cell) -> bool:
    """Whether the cells (a header, or its two halves) are not already a place's name read
    surely and whole."""
    text = " ".join(" ".join(c.text for c in cells).split())
    syllables, runs = _syllables(text)
    return _WHOLE.match(text) is None or syllables < runs or min(c.conf for c in cells) < SURE_CONF


def _syllables(text: str) -> tuple[int, int]:
    """(Vietnamese syllables, letter runs) of a header, its units' abbreviations ("TP Sầm Sơn
    (P. Quảng Vinh)") counted as syllables."""
    return syllable_share(" ".join(w for w in text.split() if w.strip("().") not in _ABBREVIATIONS))


def _named(old: str, found: list[OcrWord], cells: int = 2) -> tuple[str, str] | None:
    """The name and the parenthesis of the reading ``found`` when it names a place whole and
    reads as much Vietnamese as ``old`` and no shorter (None otherwise); read again in one
    cell (``cells`` 1), it keeps half of ``old``'s words or more: a mending, not another name."""
    new = in_lines(found)
    m = _WHOLE.match(new)
    if m is None or any(ch.isdigit() for ch in new):
        return None
    (s_old, r_old), (s_new, r_new) = _syllables(old), _syllables(new)
    if s_new < r_new or (r_old and s_new < s_old):
        return None
    if sum(ch.isalpha() for ch in new) < sum(ch.isalpha() for ch in old):
        return None
    tokens = {w.strip("()") for w in new.split()}
    kept = sum(w.strip("()") in tokens for w in old.split())
    if cells == 1 and 2 * kept < len(old.split()):
        return None
    return m.group(1).strip(), m.group(2)


def reread_split_heads(page: Page, tables: list[Table], words: list[Word], gray, *, dpi: int, lang: str,
                       engine: OcrEngine) -> tuple[list[Word], int]:
    """The words with each locality header cut in two or read short (``split_pairs``) read
    again whole (one engine call for all, on a strip; then the sparse pass for each the strip
    did not read whole); how many headers changed. ``gray``: an object whose ``get()`` gives
    the page image (``crops.Deferred``)."""
    px = dpi / 72.0
    picked = []
    for unit in [u for t in tables for u in split_pairs(t)][:MAX_SPLIT]:
        both = box_around([c.bbox for c in unit])
        box = _box(both, [w.bbox for w in words if centre_inside(w.bbox, both)], px)
        if box[2] - box[0] < 6 or box[3] - box[1] < 6:
            continue
        crop = clear_cell_borders(gray.get().crop(box))
        if crop is not None:
            picked.append((unit, both, prepare_crop(crop, dpi)))
    if not picked:
        return words, 0
    done = 0
    for (unit, both, crop), found in zip(picked, read_strip([c for *_, c in picked], engine, lang, gap=24)):
        old = " ".join(" ".join(c.text for c in unit).split())
        named, conf = _named(old, found, len(unit)), min((w.conf for w in found), default=0.0)
        if named is None:  # a block of lines may garble a bold header's stacked accents, the sparse pass not
            found = engine.image_to_words(crop, lang=lang, psm=PAGE_PSM)
            named, conf = _named(old, found, len(unit)), min((w.conf for w in found), default=0.0)
        if named is None:
            log.debug("page %d: header (%d, %d) read again: kept %r", page.no, unit[0].row, unit[0].col, old)
            continue
        words = [w for w in words if not centre_inside(w.bbox, both)]
        texts = named if len(unit) == 2 else (" ".join(named),)
        words += [Word(text, _core(cell.bbox), conf, page.no, "ocr") for text, cell in zip(texts, unit)]
        done += 1
        log.debug("page %d: header (%d, %d) read again %r -> %r (%.0f)", page.no, unit[0].row, unit[0].col, old,
                  texts, conf)
    return words, done


def in_lines(found: list[OcrWord]) -> str:
    """The words read, in reading order: lines top to bottom (a word whose middle lies within
    the line's first word's height is on its line), each left to right."""
    lines: list[list[OcrWord]] = []
    for w in sorted(found, key=lambda w: (w.top + w.bottom) / 2):
        if lines and (w.top + w.bottom) / 2 <= lines[-1][0].bottom:
            lines[-1].append(w)
        else:
            lines.append([w])
    text = " ".join(w.text for line in lines for w in sorted(line, key=lambda w: w.x0))
    return " ".join(text.strip(SPECKS + " ").split())


def _box(both, ink: list, px: float) -> tuple[int, int, int, int]:
    """The pixel box the pair is read in: inside its cells, and around their words with some paper."""
    x0, top, x1, bottom = both
    left, up, right, down = box_around(ink) if ink else (x1, bottom, x0, top)
    return (round(min(x0 + 1.5, left - 2.0) * px), round(min(top + 1.0, up - 2.0) * px),
            round(max(x1 - 1.5, right + 2.0) * px), round(max(bottom - 1.0, down + 2.0) * px))


def _core(bbox) -> tuple[float, float, float, float]:
    """A box well inside a cell's: its word's centre is the cell's, whatever the rounding."""
    x0, top, x1, bottom = bbox
    dx, dy = (x1 - x0) / 4, (bottom - top) / 4
    return (x0 + dx, top + dy, x1 - dx, bottom - dy)
