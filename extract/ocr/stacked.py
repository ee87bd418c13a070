"""Names set a letter per line: a cell's lines laid side by side and read as one line.

A district's consolidation whose columns are headed by the indicators' full names squeezes
its column of communes so narrow that a word processor sets each name a letter (or two) per
line ("Q / u / ả / n / g / T / h / à / n / h"). Tesseract's page pass reads such a column
as scattered letters out of order ("X Đ Y ã ô 9 ê n n" for "Xã Đông Yên"): no name the
gazetteer resolves, and every row's values lost (v0007 of make_variants --n 30 --seed
141000 --kinds scan,turned,stamped; v0029 of seed 229000's 30: 201 cells).

Such a cell's ink is a stack of short lines at the regular pitch of its line spacing. The
stack is cut at that pitch into windows of one line each (a window keeps its letters'
accents and descenders at the height they had), the windows are laid side by side, and the
row of letters is read as one line. The line break swallowed the spaces, so the reading is
spaced again where a name's capital starts a syllable ("XãĐôngYên" → "Xã Đông Yên"), and a
run that is no syllable is cut into the fewest syllables ("Chỉtiêu" → "Chỉ tiêu"). A
reading is kept only when every word of its letters is a Vietnamese syllable, and it has
about a letter or two for each line; the name must still resolve in the gazetteer.
"""
from __future__ import annotations

import logging
import re

import numpy as np
from PIL import Image

from extract.documents.legacy import is_syllable
from extract.imaging.binarize import image_to_ink
from extract.layout.geometry import centre_inside
from extract.model import Page, Table, Word
from extract.ocr.crops import SPECKS, clear_cell_borders, prepare_crop, read_strip
from extract.ocr.engine import OcrEngine

log = logging.getLogger(__name__)

MAX_STACKED = 40  # cells read again per page at most (seed 229000's v0029: 6 names and the header per page)
# Lines in a stack: fewer is a word wrapped, which extract.ocr.wrapped and
# normalize.places.wrapped mend. The shortest name of the gazetteer set a letter per line
# is 5 lines ("X / ã / T / â / n"); "Đơn vị" as a header is 4.
MIN_LINES = 4
# A line of a stack holds a letter or two: its ink at most this many pitches wide (one
# letter is 0.3-0.6 of the line pitch, "hỉ", "vị", "ti" 0.6-0.9 in seeds 141000 and
# 229000; a syllable wrapped whole, "Thiệu", is 2 and more), and half its lines one letter.
MAX_LINE_WIDTH = 1.3
MAX_MEDIAN_WIDTH = 0.75
# The autocorrelation of a stack's rows of ink at its pitch, of its value at 0: 0.29-0.6 in
# the stacks of seeds 141000 and 229000 (0.29 where a letter was lost to the seal's ink).
MIN_REPEAT = 0.2
GAP = 0.25  # pitches: a mark this far from a line's letters is no letter of it
SPACING = 0.12  # pitches of white between the letters laid side by side
# A stack of four lines or more of one or two letters is at least this many times as tall as
# wide (the name cells of seeds 141000 and 229000: 3.7-8.9); a cell any wider is not looked at.
TALL = 2.5
# Letters read for each line of the stack: one or two, fewer when a letter is lost to a seal
# or two lines are read as one letter; a reading outside is no reading of the stack.
LETTERS = (0.7, 2.5)


def reread_stacked(page: Page, tables: list[Table], words: list[Word], gray, *, dpi: int, lang: str,
                   engine: OcrEngine) -> tuple[list[Word], int]:
    """The words with each cell whose ink is a stack of letters read again as one line (one
    engine call for all, on a strip); how many cells changed. ``gray``: an object whose
    ``get()`` gives the page image (``crops.Deferred``)."""
    px = dpi / 72.0
    picked = []
    for table in tables:
        for cell in table.cells:
            x0, top, x1, bottom = cell.bbox
            if len(picked) >= MAX_STACKED or cell.rowspan > 1 or cell.colspan > 1 \
                    or (bottom - top) < TALL * (x1 - x0):
                continue
            box = (round((x0 + 1.5) * px), round((top + 1.0) * px), round((x1 - 1.5) * px), round((bottom - 1.0) * px))
            if box[2] - box[0] < 6 or box[3] - box[1] < 24:
                continue
            crop = clear_cell_borders(gray.get().crop(box), specks=False)
            row = side_by_side(crop) if crop is not None else None
            if row is not None:
                picked.append((cell, row))
    if not picked:
        return words, 0
    done = 0
    for (cell, (_, n_lines)), found in zip(picked, read_strip([prepare_crop(r, dpi) for _, (r, _) in picked],
                                                              engine, lang, gap=24)):
        letters = "".join(w.text for w in sorted(found, key=lambda w: w.x0)).strip(SPECKS)
        new = spaced(letters)
        if new is None or not LETTERS[0] * n_lines <= sum(ch.isalpha() for ch in new) <= LETTERS[1] * n_lines:
            log.debug("page %d: cell (%d, %d) stacked, read %r: kept", page.no, cell.row, cell.col, letters)
            continue
        conf = min((w.conf for w in found), default=0.0)
        words = [w for w in words if not centre_inside(w.bbox, cell.bbox)]
        x0, top, x1, bottom = cell.bbox
        words.append(Word(new, (x0 + 1.5, top + 1.0, x1 - 1.5, bottom - 1.0), conf, page.no, "ocr"))
        done += 1
        log.debug("page %d: cell (%d, %d) stacked, read again as %r", page.no, cell.row, cell.col, new)
    return words, done


def side_by_side(crop: Image.Image) -> tuple[Image.Image, int] | None:
    """The lines of a stack of letters laid side by side in one row, and how many lines;
    None when the crop's ink is not such a stack."""
    ink = image_to_ink(crop, threshold=128)
    found = stack_windows(ink)
    if found is None:
        return None
    pitch, windows = found
    column = _stack_column(ink, windows)
    if column is None:
        return None
    kept = _clipped([_marks_in(ink[a:b], pitch, column) for a, b in windows], ink, windows, pitch)
    widths = [hi - lo for lo, hi in (k for k in kept if k)]
    if len(widths) < MIN_LINES or max(widths) > MAX_LINE_WIDTH * pitch \
            or float(np.median(widths)) > MAX_MEDIAN_WIDTH * pitch:
        return None
    space = max(2, round(SPACING * pitch))
    height = max(b - a for a, b in windows)
    row = Image.new("L", (sum(widths) + space * (len(widths) + 1), height), 255)
    x = space
    for (a, b), k in zip(windows, kept):
        if k:
            row.paste(crop.crop((k[0], a, k[1], b)), (x, 0))
            x += k[1] - k[0] + space
    return row, len(widths)


def _stack_column(ink: np.ndarray, windows: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The columns the stack's letters stand in: those inked on a quarter of its lines or more."""
    lines = np.array([ink[a:b].any(axis=0) for a, b in windows]).sum(axis=0)
    core = np.nonzero(lines >= max(2, 0.25 * len(windows)))[0]
    return (int(core[0]), int(core[-1]) + 1) if len(core) else None


def _clipped(kept: list, ink: np.ndarray, windows: list[tuple[int, int]], pitch: float) -> list:
    """The lines' columns, those of a line whose ink is cut by its window's edge (the row's
    number, set astride two lines, touching a letter) cut where the other lines start."""
    cut = [k is not None and bool(ink[a, k[0]:k[1]].any() or ink[b - 1, k[0]:k[1]].any())
           for k, (a, b) in zip(kept, windows)]
    starts = [k[0] for k, c in zip(kept, cut) if k and not c]
    if not starts:
        return kept
    left = min(starts) - round(0.1 * pitch)
    return [(max(k[0], left), k[1]) if k and c and k[1] > left else k for k, c in zip(kept, cut)]


def stack_windows(ink: np.ndarray) -> tuple[float, list[tuple[int, int]]] | None:
    """The pitch of a stack of lines and its windows of one line each (rows), cut where the
    least ink is; None when the rows of ink do not repeat at a pitch MIN_LINES times."""
    rows = ink.sum(axis=1).astype(float)
    inked = np.nonzero(rows)[0]
    if len(inked) < 4:
        return None
    first, last = int(inked[0]), int(inked[-1]) + 1
    pitch = _pitch((rows[first:last] > 0).astype(float))
    if pitch is None or (last - first) < (MIN_LINES - 0.5) * pitch:
        return None
    # The pitch to a tenth of a pixel, over the whole stack, and where the cuts go: where the
    # ink around them (a third of a pitch) is least, so that they fall mid-way between lines.
    near = np.convolve(rows, np.ones(max(1, round(pitch / 3))), mode="same")
    best = None
    for p in np.arange(pitch - 1.0, pitch + 1.01, 0.1):
        for o in range(int(p)):
            cuts = np.arange(first - p + o, last + p, p).round().astype(int)
            cost = (near[cuts[(cuts >= 0) & (cuts < len(rows))]].sum(), abs(p - pitch))
            if best is None or cost < best[0]:
                best = (cost, p, cuts)
    _, p, cuts = best
    cuts = np.clip(cuts, 0, len(rows))
    windows = [(int(a), int(b)) for a, b in zip(cuts[:-1], cuts[1:]) if b > a and rows[a:b].any()]
    return float(p), windows


def _pitch(on: np.ndarray) -> float | None:
    """The period of a profile of inked rows: the first of its autocorrelation's peaks after
    its first trough that is near the highest, when it is MIN_REPEAT of the profile's own
    (lines that repeat); None when nothing repeats."""
    n = len(on)
    if n < 8:
        return None
    centred = on - on.mean()
    corr = np.array([float(np.dot(centred[:n - k], centred[k:])) for k in range(n // 2)])
    troughs = np.nonzero((corr[1:-1] < corr[:-2]) & (corr[1:-1] <= corr[2:]))[0] + 1
    if not len(troughs):
        return None
    peaks = [k for k in range(int(troughs[0]), len(corr) - 1) if corr[k] >= corr[k - 1] and corr[k] > corr[k + 1]]
    if not peaks:
        return None
    top = max(corr[k] for k in peaks)  # the first peak near the highest: not a multiple of the pitch
    if top <= 0 or corr[0] <= 0:
        return None  # no row of ink repeats
    lag = next(k for k in peaks if corr[k] >= 0.7 * top)
    if lag < 4 or corr[lag] < MIN_REPEAT * corr[0]:
        return None
    return float(lag)


def _marks_in(window: np.ndarray, pitch: float, column: tuple[int, int]) -> tuple[int, int] | None:
    """The columns of a line's letters: its marks in the stack's column, and a mark after
    them (a second letter, "hỉ") within GAP pitches. The row's number set before the name
    ("1" by "g", "6" by "n" in seed 229000's v0029) is left out."""
    lo, hi = column
    marks = _runs(window, 1.0)
    kept = [m for m in marks if m[0] < hi and m[1] > lo]
    if not kept:
        return None
    right = kept[-1][1]
    for a, b in marks:
        if a >= right and a - right <= GAP * pitch:
            right = b
    return kept[0][0], right


def _runs(window: np.ndarray, gap: float) -> list[tuple[int, int]]:
    """Runs of inked columns, split where more than ``gap`` columns are blank."""
    cols = np.nonzero(window.any(axis=0))[0]
    if not len(cols):
        return []
    parts = np.split(cols, np.nonzero(np.diff(cols) > gap)[0] + 1)
    return [(int(p[0]), int(p[-1]) + 1) for p in parts]


def spaced(letters: str) -> str | None:
    """A name read with its spaces lost, spaced again into syllables: before each capital
    that follows a letter, then each run that is no syllable cut into the fewest syllables
    (the shortest first: "Thịtrấn" is "Thị trấn"); None when it is not all syllables. What
    is no letter is left out: a name has none, and the row's number set beside it is read
    among its letters ("Thi1ệ0uVân", "La,m'Sơn" in seed 229000's v0029)."""
    letters = "".join(ch for ch in letters.replace("Ð", "Đ") if ch.isalpha())  # Icelandic eth for Đ
    letters = re.sub(r"([A-ZĐ])\1", r"\1", letters)  # a capital read twice ("XãĐÐôngHòa"): no syllable has two
    if not letters:
        return None
    out: list[str] = []
    for run in _capital_runs(letters):
        cut = _syllables(run)
        if cut is None:
            return None
        out.extend(cut)
    return " ".join(out)


def _capital_runs(letters: str) -> list[str]:
    """The letters cut before each capital that follows a letter ("XãĐôngYên": "Xã", "Đông", "Yên")."""
    runs = [""]
    for ch in letters:
        if ch.isupper() and runs[-1]:
            runs.append("")
        runs[-1] += ch
    return runs


def _syllables(run: str) -> list[str] | None:
    if is_syllable(run):
        return [run]
    best: list[list[str] | None] = [[]] + [None] * len(run)  # fewest syllables spelling run[:i]
    for i in range(1, len(run) + 1):
        for j in range(i):  # the last syllable as long as it can be: the first as short
            if best[j] is not None and is_syllable(run[j:i]) and \
                    (best[i] is None or len(best[j]) + 1 < len(best[i])):
                best[i] = best[j] + [run[j:i]]
    return best[-1]
