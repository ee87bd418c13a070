"""A second reading of the table cells the page pass read badly.

Tesseract's sparse-text pass drops lone words and mangles numbers in cells ("6750%"
for "67,50%"), and a cell it left empty may still hold ink. With the page's image at
hand, each such cell is read again alone (``crops.ocr_cell``: one line, enlarged,
digits only where the column holds values). What a value looks like is not known
here: the caller hands a ``CellRule`` (``normalize.indicators.cells``), and this
module only cuts, reads and compares:

- a cell with no word but with ink is read as a line of text;
- a cell of a value column whose text the rule doubts is read with the digit
  whitelist, and the new reading replaces the old only when the rule finds it plausible;
- every single-word value the rule finds plausible, and every percentage stated outside
  the tables (a report's prose), is read once more, by another model, and a disagreement
  costs the word its confidence (a human looks).

The tables' cells were drawn once; a second reading changes their words, text and
confidence (``layout.ruled.refill``), never their shape.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol, Sequence

import numpy as np

from extract.documents.legacy import syllable_share
from extract.imaging.binarize import image_to_ink
from extract.layout.geometry import box_around, centre_inside
from extract.layout.ruled import refill
from extract.model import Page, Table, Word
from extract.ocr.crops import SPECKS, clear_cell_borders, ocr_cell, prepare_crop, read_strip
from extract.ocr.crops import Deferred as _Deferred
from extract.ocr.engine import NUMERIC_CHARS, OcrEngine, TesseractEngine, installed_languages
from extract.ocr.points import point_dropped
from extract.ocr.split_heads import reread_split_heads
from extract.ocr.stacked import reread_stacked
from extract.ocr.tiebreak import number_key as _number, settle, spliced
from extract.ocr.wrapped import reread_wrapped

log = logging.getLogger(__name__)

# Cells re-read per page at most; more means the page pass failed altogether. A 150 dpi fax
# of a deck (200 values in 6-pt type) has 70-80 values with letters among their digits: at
# 40, make_variants --n 20 --seed 161000 --kinds fax read 1,347 cells right, at 120 1,363.
MAX_CELLS = 120
# A page whose values the second reading contradicts this often was read too badly for
# any of them to stand unflagged. On the 137 scanned variants of bench_fidelity --n 300
# --seed 1, 26 of the 33 fax pages disagree on 26-71% of their values, and none of the
# 149 other scanned pages (200-400 dpi, 150 dpi gray, stamped, turned) reaches 15%.
UNRELIABLE = "values unreliable"
UNRELIABLE_SHARE = 0.15
MIN_VERIFIED = 8  # fewer values read twice say nothing about the page


class CellRule(Protocol):
    """What the caller knows of a table's values, for deciding what to read again."""

    def value_column(self, texts: Sequence[str]) -> bool:
        """Whether a column whose non-empty cells read ``texts`` holds values."""
        ...

    def doubtful(self, text: str) -> bool:
        """Whether a value cell reading ``text`` is a value read wrong (worth a second reading)."""
        ...

    def plausible(self, text: str) -> bool:
        """Whether ``text`` is a value as it may stand."""
        ...


def _value_columns(table: Table, rule: CellRule | None) -> set[int]:
    if rule is None:
        return set()
    texts: dict[int, list[str]] = {}
    for c in table.cells:
        if c.colspan == 1 and c.text.strip():
            texts.setdefault(c.col, []).append(" ".join(c.text.split()))
    return {k for k, ts in texts.items() if rule.value_column(ts)}


def second_readings(page: Page, tables: list[Table], image, *, dpi: int, lang: str = "vie",
                    engine: OcrEngine | None = None, rule: CellRule | None = None
                    ) -> tuple[Page, list[Table], tuple[str, ...]]:
    """The page and its tables with badly read cells read again from ``image`` (same dpi
    as the page), then the values checked by a second model; and the page's warnings
    (``UNRELIABLE``: the two readings disagree on so many values that none can be trusted).

    ``image`` may be a function that makes the image: it is called only if a cell is cut."""
    engine = engine or TesseractEngine()
    gray = _Deferred(image)
    words, split = reread_split_heads(page, tables, list(page.words), gray, dpi=dpi, lang=lang, engine=engine)
    words, stacked = reread_stacked(page, tables, words, gray, dpi=dpi, lang=lang, engine=engine)
    if split or stacked:  # before the cells are read one by one: a split header's halves would be read alone
        tables, page = [refill(t, words) for t in tables], replace(page, words=tuple(words))
    words, done = reread_cells(page, tables, gray, dpi=dpi, lang=lang, engine=engine, rule=rule)
    words, headers = reread_cut_short(page, tables, words, gray, dpi=dpi, lang=lang, engine=engine)
    done += headers
    if done:
        tables = [refill(t, words) for t in tables]
    words, unsure = reread_unsure_text(page, tables, words, gray, dpi=dpi, lang=lang, engine=engine, rule=rule)
    words, wrapped = reread_wrapped(page, tables, words, gray, dpi=dpi, lang=lang, engine=engine)
    if unsure or wrapped:
        tables = [refill(t, words) for t in tables]
        done += unsure + wrapped
    words, checked, verified = verify_numbers(page, tables, words, gray, dpi=dpi, lang=lang, engine=engine, rule=rule)
    if checked:
        tables = [refill(t, words) for t in tables]
    warnings = ()
    if verified >= MIN_VERIFIED and checked >= UNRELIABLE_SHARE * verified:
        warnings = (f"{UNRELIABLE}: {checked} of {verified} values read differently by the second reading",)
    return (replace(page, words=tuple(words)) if done or checked else page), tables, warnings


def reread_cells(page: Page, tables: list[Table], gray: _Deferred, *, dpi: int, lang: str, engine: OcrEngine,
                 rule: CellRule | None) -> tuple[list[Word], int]:
    """The page's words with its empty-but-inked and doubtful cells read again; how many were."""
    px = dpi / 72.0
    words = list(page.words)
    done = 0
    for table in tables:
        values = _value_columns(table, rule)
        for cell in table.cells:
            if done >= MAX_CELLS or cell.rowspan > 1 or cell.colspan > 1:
                continue
            text = " ".join(cell.text.split())
            empty = not text
            doubtful = cell.col in values and rule.doubtful(text)
            if not (empty or doubtful):
                continue
            x0, top, x1, bottom = cell.bbox
            box = (round((x0 + 1.5) * px), round((top + 1.0) * px), round((x1 - 1.5) * px), round((bottom - 1.0) * px))
            if box[2] - box[0] < 6 or box[3] - box[1] < 6:
                continue
            crop = gray.get().crop(box)
            if empty and np.count_nonzero(image_to_ink(crop, threshold=128)) < 0.002 * crop.width * crop.height + 20:
                continue
            done += 1
            new, conf = ocr_cell(crop, numeric=doubtful, dpi=dpi, lang=lang, engine=engine)
            new = " ".join(new.split())
            if not new or not any(ch.isalnum() for ch in new) or (doubtful and not rule.plausible(new)):
                continue
            if empty and cell.col in values and any(ch.isdigit() for ch in new) and not rule.plausible(new):
                continue
            # The word's box is the ink, not the cell: a cell's words are those whose centre is in it.
            ys, xs = np.nonzero(image_to_ink(crop, threshold=128))
            if len(xs) == 0:
                continue
            ink = ((box[0] + xs.min()) / px, (box[1] + ys.min()) / px, (box[0] + xs.max() + 1) / px,
                   (box[1] + ys.max() + 1) / px)
            words = [w for w in words if not centre_inside(w.bbox, cell.bbox)]
            words.append(Word(new, ink, conf, page.no, "ocr"))
            log.debug("page %d: cell (%d, %d) re-read %r -> %r", page.no, cell.row, cell.col, text, new)
    return words, done


# Cells whose text was cut short (``_cut_short``) read again whole, per page at most: a
# locality header over a pair of columns wraps its last word alone onto a second line
# ("TP Thanh Hóa (phường Thiệu" / "Khánh)"), which the page pass drops or reads ")" (v0002
# of make_variants --n 24 --seed 7100 --kinds lowres, v0008, v0010, v0018 of --n 24 --seed
# 9300 --kinds lowres, v0033 of --n 40 --seed 61, turned); a deck has up to a dozen.
MAX_CUT_SHORT = 12
BLOCK_PSM = 6  # a block of lines: the header's wrapped lines read in order


def reread_cut_short(page: Page, tables: list[Table], words: list[Word], gray: _Deferred, *, dpi: int, lang: str,
                     engine: OcrEngine) -> tuple[list[Word], int]:
    """The words with each cell that opens a parenthesis and never closes it read again
    whole, as a block of lines; the new reading replaces the cell's words only when it
    closes the parenthesis and keeps the words read first. How many cells changed."""
    px = dpi / 72.0
    done = 0
    cells = [c for t in tables for c in t.cells if _cut_short(c.text)]
    for cell in cells[:MAX_CUT_SHORT]:
        ink = [w.bbox for w in words if centre_inside(w.bbox, cell.bbox)]
        box = _whole_cell_box(cell.bbox, ink, px)
        if box[2] - box[0] < 6 or box[3] - box[1] < 6:
            continue
        crop = clear_cell_borders(gray.get().crop(box))
        if crop is None:
            continue
        found = engine.image_to_words(prepare_crop(crop, dpi), lang=lang, psm=BLOCK_PSM)
        # Specks at the crop's edges come back as "'" or "|".
        new = " ".join(w.text for w in sorted(found, key=lambda w: (w.line, w.x0))).strip(SPECKS + " ")
        if not _completes(cell.text, new):
            log.debug("page %d: cell (%d, %d) cut short, read again %r: kept %r", page.no, cell.row, cell.col, new,
                      cell.text)
            continue
        conf = min((w.conf for w in found), default=0.0)
        words = [w for w in words if not centre_inside(w.bbox, cell.bbox)]
        words.append(Word(new, box_around(ink) if ink else cell.bbox, conf, page.no, "ocr"))
        done += 1
        log.debug("page %d: cell (%d, %d) cut short, read again %r -> %r", page.no, cell.row, cell.col, cell.text, new)
    return words, done


def _whole_cell_box(bbox, ink: list, px: float) -> tuple[int, int, int, int]:
    """The pixel box a cell is read again whole in: inside its rules, and around its words
    (``ink``, points) with some paper: a borderless table's header runs past its columns'
    edges, and its first line is its row's top."""
    x0, top, x1, bottom = bbox
    left, up, right, down = box_around(ink) if ink else (x1, bottom, x0, top)
    return (round(min(x0 + 1.5, left - 2.0) * px), round(min(top + 1.0, up - 2.0) * px),
            round(max(x1 - 1.5, right + 2.0) * px), round(max(bottom - 1.0, down + 2.0) * px))


# Text cells (headers, labels, place names; no value) the page pass read with a word this
# unsure are read again whole, this many per page at most; the new reading is kept only when
# its own least sure word is surer. Cells right, bench_fidelity on make_variants --kinds fax
# --n 12 --seed 31 / --n 30 --seed 32 / held out, --n 20 --seed 62 (fax.py's mended rulings
# as they are now): never read again 753 / 1856 / 980; below 70, 764 / 1900 / 1101; below
# 60, 764 / 1910 (seed 62 not run); below 85, 706 / 1879 (a surer reading is not always a
# better one). No silent error in any. The 40 scans of --n 40 --seed 61 (--kinds
# scan,lowres) read the same cells right either way: their cells are read surely.
UNSURE_CONF = 70.0
MAX_UNSURE = 24  # a deck's headers: a dozen localities over two rows of phases


def reread_unsure_text(page: Page, tables: list[Table], words: list[Word], gray: _Deferred, *, dpi: int,
                       lang: str, engine: OcrEngine, rule: CellRule | None) -> tuple[list[Word], int]:
    """The words with each text cell the page pass was unsure of read again alone, as a block of
    lines (all of them on one strip: one engine call); the new reading replaces the cell's words
    only when its least sure word is surer than the first reading's and it has as many letters
    and digits, or more (a letter the first pass dropped). How many cells changed.

    The page pass reads a small or damaged header badly where a crop of it alone reads well
    ("T z" for a legible "Trước", the phase header a table's reading hangs on, in v0011 of
    make_variants --n 20 --seed 62 --kinds fax)."""
    px = dpi / 72.0
    cells, boxes = [], []
    for table in tables:
        values = _value_columns(table, rule)
        for cell in table.cells:
            if (any(ch.isalpha() for ch in cell.text) and cell.conf < UNSURE_CONF and len(cells) < MAX_UNSURE
                    and not (cell.col in values and any(ch.isdigit() for ch in cell.text))):
                box = _whole_cell_box(cell.bbox, [w.bbox for w in words if centre_inside(w.bbox, cell.bbox)], px)
                if box[2] - box[0] >= 6 and box[3] - box[1] >= 6:
                    cells.append(cell)
                    boxes.append(box)
    crops = [(cell, box, clear_cell_borders(gray.get().crop(box))) for cell, box in zip(cells, boxes)]
    crops = [(cell, box, prepare_crop(crop, dpi)) for cell, box, crop in crops if crop is not None]
    if not crops:
        return words, 0
    done = 0
    for (cell, box, _), found in zip(crops, read_strip([c for *_, c in crops], engine, lang, gap=24)):
        new = " ".join(w.text for w in sorted(found, key=lambda w: (w.line, w.x0))).strip(SPECKS + " ")
        conf = min((w.conf for w in found), default=0.0)
        if not new or conf <= cell.conf or not _as_long(cell.text, new) or not _as_worded(cell.text, new):
            log.debug("page %d: cell (%d, %d) unsure, read again %r (%.0f): kept %r (%.0f)", page.no, cell.row,
                      cell.col, new, conf, cell.text, cell.conf)
            continue
        words = [w for w in words if not centre_inside(w.bbox, cell.bbox)]
        words.append(Word(new, tuple(v / px for v in box), conf, page.no, "ocr"))
        done += 1
        log.debug("page %d: cell (%d, %d) unsure, read again %r -> %r", page.no, cell.row, cell.col, cell.text, new)
    return words, done


def _as_worded(old: str, new: str) -> bool:
    """Whether a reading is as much Vietnamese as the first: no fewer of its letter runs are
    syllables, and no more marks stand among them. A surer reading can be a worse one: seed
    25's v0036 had "Xã Văn Nho" read again as "Xã Ã '/ăn ¡nho" (its words surer, 2 of 4 runs
    syllables where there were 3 of 3)."""
    (s_old, r_old), (s_new, r_new) = syllable_share(old), syllable_share(new)
    share_old, share_new = s_old / r_old if r_old else 1.0, s_new / r_new if r_new else 1.0
    marks = sum(not ch.isalnum() and not ch.isspace() for ch in new) - sum(not ch.isalnum() and not ch.isspace() for ch in old)
    return share_new >= share_old and marks <= 0


def _as_long(old: str, new: str) -> bool:
    n, m = sum(ch.isalnum() for ch in old), sum(ch.isalnum() for ch in new)
    return 0.75 * n <= m <= 2 * n + 3


def _cut_short(text: str) -> bool:
    """A cell's text that opens a parenthesis and never closes it, or closes it after
    nothing ("Hậu Lộc (xã Hoa\n)": "Lộc)" on its own line read as ")"); not a value's."""
    return "%" not in text and (text.count("(") > text.count(")") or ")" in text.split())


def _completes(old: str, new: str) -> bool:
    """Whether ``new`` is ``old`` with its parenthesis closed: longer, balanced, and with
    all but a few of the words read first (a speck "¡" read first, "H" for "Hải)")."""
    words = old.split()
    kept = sum(w.strip(SPECKS) in new for w in words)
    return new.count("(") == new.count(")") > 0 and len(new) > len(" ".join(words)) and kept >= len(words) - max(
        1, len(words) // 4)


def verify_numbers(page: Page, tables: list[Table], words: list[Word], gray: _Deferred, *, dpi: int, lang: str,
                   engine: OcrEngine, rule: CellRule | None) -> tuple[list[Word], int]:
    """Read every single-word value of a value column again, all in one engine call on a
    strip of crops (digits only); where the two readings disagree the word keeps its
    text but loses its confidence, so a human looks ("72%" read "12%" once, "72%" the
    second time). Returns the words, how many disagreed and how many were read again."""
    px = dpi / 72.0
    targets: list[Word] = []
    spans: list[tuple[float, float]] = []  # the cell's width, inside its rules, for each word
    for table in tables:
        values = _value_columns(table, rule)
        for cell in table.cells:
            inside = [w for w in words if centre_inside(w.bbox, cell.bbox)]
            if cell.col in values and len(inside) == 1 and rule.plausible(inside[0].text):
                targets.append(inside[0])
                spans.append((cell.bbox[0] + 1.5, cell.bbox[2] - 1.5))
            elif cell.col in values and len(inside) > 1:
                first = _leading_percentage(inside, rule)
                if first is not None:  # "68,76% (11/16)": its percentage, up to the next word
                    after = min((w.bbox[0] for w in inside if w.bbox[0] > first.bbox[2] - 0.5
                                 and w.bbox[1] < first.bbox[3] and w.bbox[3] > first.bbox[1]), default=cell.bbox[2])
                    targets.append(first)
                    spans.append((cell.bbox[0] + 1.5, max(first.bbox[2], after - 1.0)))
    for w in _prose_values(words, tables, rule):  # a report's "… đạt 82,84%" as much as a cell
        targets.append(w)
        spans.append((w.bbox[0], w.bbox[2]))
    if not targets:
        return words, 0, 0
    crops = []
    for w, (left, right) in zip(targets, spans):
        # The word's line across the whole cell: a digit the first pass dropped from the
        # word ("9%" of "79%") lies beside its box, and must be in the second reading.
        m = 1.5
        box = (round(min(left, w.bbox[0] - m) * px), round((w.bbox[1] - m) * px),
               round(max(right, w.bbox[2] + m) * px), round((w.bbox[3] + m) * px))
        crops.append(prepare_crop(gray.get().crop(box), dpi))
    config = f'-c "tessedit_char_whitelist={NUMERIC_CHARS}"'
    second_model = _second_model(lang, engine)
    read = read_strip(crops, engine, second_model, gap=24, config=config)
    disputed = []
    out = list(words)
    index = {id(w): k for k, w in enumerate(out)}
    for w, found, crop in zip(targets, read, crops):
        second = "".join(x.text for x in sorted(found, key=lambda x: x.x0)).strip(".,")
        if second and _number(second) == _number(w.text) and point_dropped(gray.get(), _own_box(w, px), w.text):
            second = "a point dropped"  # both readings lost a point the pixels show ("1.6%" read "16%")
        if not second or _number(second) == _number(w.text):
            continue
        disputed.append((w, second, crop))
        out[index[id(w)]] = replace(w, conf=min(w.conf, 40.0))
        log.debug("page %d: %r read again as %r: flagged", page.no, w.text, second)
    # A third reading by the page's model, where the second was another's: two of three agree.
    for w, text in (settle(disputed, engine, lang, rule) if second_model != lang else []):
        out[index[id(w)]] = replace(out[index[id(w)]], text=spliced(w.text, text))
        log.debug("page %d: %r read a third time as %r: shown, flagged", page.no, w.text, text)
    return out, len(disputed), len(targets)


def _leading_percentage(inside: list[Word], rule: CellRule) -> Word | None:
    """The first word of a cell of several words when it is a percentage the rule finds
    plausible ("68,76%" of "68,76% (11/16)", "80%" of "80% trở lên"): a digit misread
    there passed unflagged when only cells of one word were read twice (v0011 of
    make_variants --n 24 --seed 7100 --kinds lowres: "68,75%" read "68,76%", and the
    fraction's check allows one unit of the last digit)."""
    top = min(w.bbox[1] for w in inside)
    first = min((w for w in inside if w.bbox[1] < top + 0.5 * (w.bbox[3] - w.bbox[1])), key=lambda w: w.bbox[0])
    text = first.text.strip()
    return first if "%" in text and any(ch.isdigit() for ch in text) and rule.plausible(text) else None


def _prose_values(words: list[Word], tables: list[Table], rule: CellRule | None) -> list[Word]:
    """The percentages the page states outside its tables, as words the rule finds plausible."""
    if rule is None:
        return []
    boxes = [(min(c.bbox[0] for c in t.cells), min(c.bbox[1] for c in t.cells),
              max(c.bbox[2] for c in t.cells), max(c.bbox[3] for c in t.cells)) for t in tables if t.cells]
    return [w for w in words if "%" in w.text and any(ch.isdigit() for ch in w.text)
            and rule.plausible(w.text.strip(".,;:()")) and not any(centre_inside(w.bbox, b) for b in boxes)]


def _own_box(w: Word, px: float) -> tuple[int, int, int, int]:
    m = 1.0  # points: the word's ink, not its neighbours'
    return (round((w.bbox[0] - m) * px), round((w.bbox[1] - m) * px), round((w.bbox[2] + m) * px),
            round((w.bbox[3] + m) * px))


def _second_model(lang: str, engine: OcrEngine | None = None) -> str:
    """Another model for the second reading, when one is installed: the same model
    repeats its own mistakes ("72%" read "12%" twice by `vie`), another one rarely.
    Installed for the engine that reads: tesserocr's models' folder, or the program's."""
    if engine is not None and engine.name == "tesserocr":
        from extract.ocr.inprocess import languages

        langs = languages()
    else:
        langs = installed_languages()
    return "eng" if lang != "eng" and "eng" in langs else lang
