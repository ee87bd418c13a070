"""Lines of running text on a page: words grouped by baseline, outside the tables.

Prose is read line by line, whatever the page's source: a text dump or a word
processor already has its lines; a text layer or OCR gives words with boxes, which
are grouped here. A wide horizontal gap splits a line in two, as official letterheads
set two columns side by side ("UBND HUYỆN …" left, "CỘNG HÒA XÃ HỘI …" right).
"""
from __future__ import annotations

from extract.layout.geometry import box_around, centre_inside, upper_median, words_to_lines
from extract.model import BBox, Line, Page, Word

# A gap wider than this many word heights separates two columns.
COLUMN_GAP = 4.0


def _typical_height(words: list[Word]) -> float:
    heights = sorted(w.bbox[3] - w.bbox[1] for w in words)
    return max(heights[len(heights) // 2], 1.0) if heights else 1.0


def _split_columns(row: list[Word], height: float) -> list[list[Word]]:
    row = sorted(row, key=lambda w: w.bbox[0])
    parts = [[row[0]]]
    for prev, w in zip(row, row[1:]):
        if w.bbox[0] - prev.bbox[2] > COLUMN_GAP * height:
            parts.append([w])
        else:
            parts[-1].append(w)
    return parts


def words_to_text_lines(words: list[Word], page_no: int, source: str) -> list[Line]:
    """Lines of ``words``: on one baseline (against the page's typical word height) and
    not separated by a column gap."""
    out = []
    height = _typical_height(words)
    for row in words_to_lines(words, height, tolerance=0.45, reference_height=0.6, centre=upper_median):
        for part in _split_columns(row, height):
            conf = min(w.conf for w in part) if source == "ocr" else None
            out.append(Line(" ".join(w.text for w in part), page_no, conf, box_around([w.bbox for w in part])))
    return out


def page_to_lines(page: Page, exclude: list[BBox] | tuple = ()) -> list[Line]:
    """The page's lines of text in reading order, leaving out words inside `exclude`
    (the boxes of tables read separately). A blank line is kept as an empty Line,
    as paragraph breaks matter to prose."""
    words = [w for w in page.words if w.text.strip() and not any(centre_inside(w.bbox, b) for b in exclude)]
    lines = words_to_text_lines(words, page.no, page.source)
    out: list[Line] = []
    for prev, line in zip([None, *lines], lines):
        # a vertical gap of more than a line's height is a paragraph break
        if prev is not None and prev.bbox and line.bbox:
            height = max(prev.bbox[3] - prev.bbox[1], 1.0)
            if line.bbox[1] - prev.bbox[3] > 1.0 * height:
                out.append(Line("", page.no, None))
        out.append(line)
    return out
