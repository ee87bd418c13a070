"""Lines of running text on a page: words grouped by baseline, outside the ruled tables.

Prose is read line by line, whatever the page's source: a text dump already has its
lines; a text layer or OCR gives words with boxes, which are grouped here. A wide
horizontal gap splits a line in two, as official letterheads set two columns side by
side ("UBND HUYỆN …" left, "CỘNG HÒA XÃ HỘI …" right).
"""
from __future__ import annotations

from dataclasses import dataclass

from extract.model import BBox, Page, Word

# A gap wider than this many word heights separates two columns.
COLUMN_GAP = 4.0


@dataclass(frozen=True)
class TextLine:
    text: str
    page_no: int
    conf: float | None  # lowest word confidence; None when the source has none (text, dump)
    bbox: BBox | None = None


def _inside_any(word: Word, boxes: list[BBox]) -> bool:
    cx = (word.bbox[0] + word.bbox[2]) / 2
    cy = (word.bbox[1] + word.bbox[3]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _typical_height(words: list[Word]) -> float:
    heights = sorted(w.bbox[3] - w.bbox[1] for w in words)
    return max(heights[len(heights) // 2], 1.0) if heights else 1.0


def _rows(words: list[Word], height: float) -> list[list[Word]]:
    """Words on one baseline, against the page's typical word height: a lone "-" or a
    word with a tall diacritic ("Tỷ") has a box unlike its neighbours'."""
    rows: list[list[Word]] = []
    mids: list[list[float]] = []
    for w in sorted(words, key=lambda w: ((w.bbox[1] + w.bbox[3]) / 2, w.bbox[0])):
        mid = (w.bbox[1] + w.bbox[3]) / 2
        if rows:
            ref = sorted(mids[-1])[len(mids[-1]) // 2]
            if abs(mid - ref) < 0.45 * height:
                rows[-1].append(w)
                if w.bbox[3] - w.bbox[1] >= 0.6 * height:
                    mids[-1].append(mid)
                continue
        rows.append([w])
        mids.append([mid])
    return rows


def _split_columns(row: list[Word], height: float) -> list[list[Word]]:
    row = sorted(row, key=lambda w: w.bbox[0])
    parts = [[row[0]]]
    for prev, w in zip(row, row[1:]):
        if w.bbox[0] - prev.bbox[2] > COLUMN_GAP * height:
            parts.append([w])
        else:
            parts[-1].append(w)
    return parts


def words_to_lines(words: list[Word], page_no: int, source: str) -> list[TextLine]:
    out = []
    height = _typical_height(words)
    for row in _rows(words, height):
        for part in _split_columns(row, height):
            box = (min(w.bbox[0] for w in part), min(w.bbox[1] for w in part),
                   max(w.bbox[2] for w in part), max(w.bbox[3] for w in part))
            conf = min(w.conf for w in part) if source == "ocr" else None
            out.append(TextLine(" ".join(w.text for w in part), page_no, conf, box))
    return out


def page_to_lines(page: Page, exclude: list[BBox] | tuple = ()) -> list[TextLine]:
    """The page's lines of text in reading order, leaving out words inside `exclude`
    (the boxes of tables read separately). A blank line is kept as an empty TextLine,
    as paragraph breaks matter to prose."""
    if page.lines:
        return [TextLine(t.rstrip(), page.no, None) for t in page.lines]
    words = [w for w in page.words if w.text.strip() and not _inside_any(w, list(exclude))]
    lines = words_to_lines(words, page.no, page.source)
    out: list[TextLine] = []
    for prev, line in zip([None, *lines], lines):
        # a vertical gap of more than a line's height is a paragraph break
        if prev is not None and prev.bbox and line.bbox:
            height = max(prev.bbox[3] - prev.bbox[1], 1.0)
            if line.bbox[1] - prev.bbox[3] > 1.0 * height:
                out.append(TextLine("", page.no, None))
        out.append(line)
    return out


def table_box(table) -> BBox:
    """The box around a table's cells (points, on its page)."""
    return (min(c.bbox[0] for c in table.cells), min(c.bbox[1] for c in table.cells),
            max(c.bbox[2] for c in table.cells), max(c.bbox[3] for c in table.cells))


@dataclass(frozen=True)
class PageParts:
    """What reading a document needs of one of its pages: its tables (words placed in
    their cells), its lines of text outside them, and all its text. A long document's
    pages wait for its last one; kept as parts, their words are not kept."""

    no: int
    source: str
    tables: tuple
    lines: tuple[TextLine, ...]  # outside the tables, in reading order, then a blank line
    text: str  # every line, or every word, of the page


def page_to_parts(page: Page, tables=None) -> PageParts:
    """The parts of ``page``; ``tables`` when they are known already (a word-processor
    file's), else the page's own (``tables.page_to_tables``)."""
    if tables is None:
        from extract.layout.ruled import page_to_tables

        tables = page_to_tables(page)
    boxes = [table_box(t) for t in tables if t.cells]
    lines = (*page_to_lines(page, boxes), TextLine("", page.no, None))
    text = "\n".join(page.lines) if page.lines else " ".join(w.text for w in page.words)
    return PageParts(page.no, page.source, tuple(tables), lines, text)
