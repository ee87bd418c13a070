"""Tables drawn without lines: columns from the white space between words, rows from
the space between blocks of text.

Slides and word-processor tables are often exported with no ruling at all; the reader
sees the table by its alignment. The same is done here, on words in points, so a text
layer and an OCR'd scan go through the same code, and the result is the same `Table`
the ruled builder makes (cells with row and column spans), so nothing downstream
knows the table had no lines:

1. ``words_to_lines``: words on one baseline; ``line_to_segments``: runs of words
   separated by less than a wide gap.
2. ``lines_to_regions``: runs of lines holding several segments (a table), trimmed of
   the title above and the text below.
3. ``region_to_columns`` (``layout.columns``): vertical white "rivers" crossed by few
   lines, or by no line of values, are the column separators (a header spanning two
   columns crosses one; the data rows do not); a column with nothing of its own is
   given back to its neighbour (``hollow_columns``).
4. ``segments_to_blocks`` (``layout.blocks``): segments stacked closer than the gap
   between rows are one cell's text; the row gap is found from the page itself
   (clusters of gaps); a merged header's wrapped last line joins it.
5. ``blocks_to_rows``: blocks that overlap vertically are one row (a lone line of a
   label that a lost line cut from its row joins it again); the header's band
   is split where a column has two blocks stacked (a spanning locality over its
   "before"/"after"), the other header cells spanning both rows.
"""
from __future__ import annotations

import logging
import statistics
from dataclasses import dataclass

from extract.model import Cell, Page, Table, Word
from extract.layout.columns import (Segment, columns_of, hollow_columns, line_to_segments, narrow_spans,
                                   region_to_columns, split_at_edges)
from extract.layout.blocks import (block_cols, block_extent, lone_label_bands, row_gap_cap, row_gap_threshold,
                                  segments_to_blocks)
from extract.layout.geometry import words_to_lines
from extract.layout.row_rules import drawn_columns, row_rules
from extract.layout.ruled import words_to_text

log = logging.getLogger(__name__)


HEADER_GAP = 0.8  # × the word height: see _trim


@dataclass(frozen=True)
class BorderlessSettings:
    min_cols: int = 3
    min_rich_lines: int = 3  # lines with at least min_cols segments a table needs
    segment_gap: float = 0.8  # x word height: a wider gap between words ends a segment
    river_share: float = 0.2  # a separator is crossed by at most this share of the table's lines
    min_river: float = 0.35  # x word height: narrower white space is not a separator
    split_gap: float = 0.6  # x word height: a gap this wide over a separator splits a segment
    table_gap: float = 2.5  # x word height: lines further apart belong to different tables

    def __post_init__(self) -> None:
        if self.min_cols < 2 or not 0 <= self.river_share < 1:
            raise ValueError("min_cols must be at least 2 and river_share in [0, 1)")


def _median(values: list[float], default: float) -> float:
    # statistics, not numpy: these lists are short and many (one per word added to a line).
    return float(statistics.median(values)) if values else default


def lines_to_regions(lines: list[list[Segment]], height: float, s: BorderlessSettings, join: float) -> list[range]:
    """Index ranges of lines forming a table: close lines, enough of them with many segments."""
    regions: list[range] = []
    start = 0
    for i in range(1, len(lines) + 1):
        if i < len(lines):
            gap = min(g.top for g in lines[i]) - max(g.bottom for g in lines[i - 1])
            if gap < s.table_gap * height:
                continue
        regions.extend(_trim(lines, start, i, s, join))
        start = i
    return regions


def _trim(lines, start: int, end: int, s: BorderlessSettings, join: float) -> list[range]:
    rich = [i for i in range(start, end) if len(lines[i]) >= s.min_cols]
    if len(rich) < s.min_rich_lines:
        return []
    lo, hi = rich[0], rich[-1]
    # A title above the table (or a footer below) is set larger than its cells.
    heights = {i: _median([w.bbox[3] - w.bbox[1] for g in lines[i] for w in g.words], 0.0) for i in range(lo, hi + 1)}
    typical = _median(list(heights.values()), 0.0)
    while lo < hi and heights[lo] > 1.3 * typical:
        lo += 1
    while hi > lo and heights[hi] > 1.3 * typical:
        hi -= 1
    if sum(1 for i in rich if lo <= i <= hi) < s.min_rich_lines:
        return []
    # Lines before the first rich line or after the last belong to the table only when
    # they continue one of its cells (a label wrapped above its row's values).
    # A header row above them whose cells wrap at different heights (localities centred
    # over their pairs) has lines of two segments, not enough to be rich: it belongs too
    # when it sits as close as the table's own rows (0.8 of a line: a title sits further).
    near = max(join, HEADER_GAP * typical)

    def header_above(k: int) -> bool:
        """Whether line ``k`` belongs to the header over line ``k + 1``: a line of one cell
        counts when the line above it is a header line of two cells or more it touches (the
        last line of "Ngọc Lặc (xã / Nguyệt Ấn)" beside "Thiệu Hóa (xã Thiệu Ngọc)" centred
        between its lines: 4.6 pt above the phases where ``join`` was 4.6, seed 2612's v0206)."""
        upper, gap = lines[k], _gap(lines[k], lines[k + 1])
        wide = len(upper) >= 2 or (k - 1 >= start and len(lines[k - 1]) >= 2 and _gap(lines[k - 1], upper) <= join)
        return gap <= join or (gap <= near and wide
                               and _median([w.bbox[3] - w.bbox[1] for g in upper for w in g.words], 0.0)
                               <= 1.3 * typical)

    while lo > start and header_above(lo - 1):
        lo -= 1
    while hi + 1 < end and _gap(lines[hi], lines[hi + 1]) <= join:
        hi += 1
    return [range(lo, hi + 1)]


def _gap(upper: list[Segment], lower: list[Segment]) -> float:
    return min(g.top for g in lower) - max(g.bottom for g in upper)


def blocks_to_rows(blocks: list[list[Segment]], height: float) -> list[tuple[float, float]]:
    """Row bands (top, bottom): blocks overlapping vertically share a row; a band of one
    line of words alone joins the row it continues (``lone_label_bands``)."""
    spans = sorted(block_extent(b) for b in blocks)
    bands: list[list[float]] = []
    for top, bottom in spans:
        if bands and top < bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], bottom)
        else:
            bands.append([top, bottom])
    if not bands:
        return []
    header = _split_header(bands[0], blocks)
    body = [piece for band in lone_label_bands(bands[1:], blocks, height) for piece in _split_at_anchors(band, blocks)]
    return [(a, b) for a, b in header + body]


def _split_at_anchors(band: list[float], blocks: list[list[Segment]]) -> list[list[float]]:
    """A band cut between its value lines when it holds two rows run together.

    A row's values sit on one line (its anchor) with the row's label around it; when
    two rows' text comes closer than the rows' usual spacing (ink-tight OCR boxes of
    accents and descenders), their blocks merge, but each row still has its own line of
    three or more segments. Each is a row; the cut lies halfway between them. Two lines
    of three percentages or more are two rows as soon as they do not overlap (``_PERCENT_PITCH``).
    """
    segs = [g for b in blocks for g in b if band[0] <= (g.top + g.bottom) / 2 <= band[1]]
    by_line: dict[int, list[Segment]] = {}
    for g in segs:
        by_line.setdefault(g.line, []).append(g)
    anchors = sorted(_anchor(gs) for gs in by_line.values() if len(gs) >= 3)
    out, start = [], band[0]
    for (y0, h0, p0), (y1, h1, p1) in zip(anchors, anchors[1:]):
        if y1 - y0 > 1.5 * max(h0, h1) or (p0 and p1 and y1 - y0 > _PERCENT_PITCH * max(p0, p1)):
            cut = (y0 + y1) / 2
            out.append([start, cut])
            start = cut
    out.append([start, band[1]])
    return out


# Two lines of values, each with three percentages or more, whose centres lie this many
# times their percentages' height apart are two rows: a row's own values never stand two
# to a cell. The tightest rows measured, 8 pt borderless at 150 dpi (v0015 of make_variants
# --n 24 --seed 7100 --kinds lowres), have their lines of values 11.8-13.7 pt apart, the
# percentages' boxes 7-9 pt tall, while the whole lines (a label wrapped around them) are
# 12-19 pt tall; 1.5 × those kept eight rows in one.
_PERCENT_PITCH = 1.1


def _anchor(gs: list[Segment]) -> tuple[float, float, float]:
    """A line of segments: its centre, its height, and the height of its percentages when
    three or more of its segments are one (0 else); the centre is theirs then."""
    values = [g for g in gs if any(ch.isdigit() for ch in g.words[0].text) and "%" in g.words[0].text]
    if len(values) >= 3:
        heights = sorted(g.bottom - g.top for g in values)
        mids = sorted((g.top + g.bottom) / 2 for g in values)
        return mids[len(mids) // 2], max(g.bottom - g.top for g in gs), heights[len(heights) // 2]
    return (min(g.top for g in gs) + max(g.bottom for g in gs)) / 2, max(g.bottom - g.top for g in gs), 0.0


def _split_header(band: list[float], blocks: list[list[Segment]]) -> list[list[float]]:
    """The first band cut between blocks stacked in one column (a multi-level header)."""
    inside = [b for b in blocks if band[0] <= block_extent(b)[0] and block_extent(b)[1] <= band[1]]
    cuts = set()
    for b in inside:
        c0, c1 = block_cols(b)
        top, bottom = block_extent(b)
        for other in inside:
            o0, o1 = block_cols(other)
            otop, _ = block_extent(other)
            if other is not b and o0 <= c1 and c0 <= o1 and otop >= bottom:
                cuts.add(round((bottom + otop) / 2, 2))
    out, start = [], band[0]
    for cut in sorted(cuts):
        # a cut through the middle of a block is no row boundary
        if any(block_extent(b)[0] < cut < block_extent(b)[1] and block_cols(b)[0] != block_cols(b)[1] for b in inside):
            continue
        out.append([start, cut])
        start = cut
    out.append([start, band[1]])
    return out


def _header_bottom(bands, blocks) -> float:
    """Bottom of the first band as it was before the header was split (the header's extent)."""
    first = bands[0]
    bottom = first[1]
    for a, b in bands[1:]:
        if any(block_extent(bl)[0] < a < block_extent(bl)[1] and block_extent(bl)[0] <= first[1] for bl in blocks):
            bottom = b
        else:
            break
    return bottom


def _header_rows(bands, blocks) -> int:
    """How many of the row bands lie within the header (above its bottom)."""
    bottom = _header_bottom(bands, blocks)
    return sum(1 for a, b in bands if b <= bottom)


def page_to_borderless_tables(page: Page, settings: BorderlessSettings | None = None) -> list[Table]:
    """Tables of a page that has no ruled table, found from the alignment of its words."""
    s = settings or BorderlessSettings()
    words = [w for w in page.words if any(ch.isalnum() for ch in w.text)]
    if len(words) < s.min_cols * s.min_rich_lines:
        return []
    height = _median([w.bbox[3] - w.bbox[1] for w in words], 8.0)
    if page.source == "ocr":
        # Specks read as "25" or "'" with boxes taller than any line would bridge rows.
        words = [w for w in words if w.bbox[3] - w.bbox[1] <= 1.8 * height]
    lines = [sorted(line, key=lambda w: w.bbox[0]) for line in words_to_lines(words, height)]
    seg_lines = [line_to_segments(line, i, s.segment_gap * height) for i, line in enumerate(lines)]
    all_segments = [g for line in seg_lines for g in line]
    join = row_gap_threshold(all_segments, height)
    tables = []
    for region in lines_to_regions(seg_lines, height, s, join):
        table = _region_to_table(page, [seg_lines[i] for i in region], height, s)
        if table is not None:
            tables.append(table)
    return tables


def _blocks_by_row(blocks: list[list[Segment]], bands: list[tuple[float, float]]) -> list[list[Segment]]:
    """The blocks, those below the header cut at the rows they lie across: below the
    header a cell spans no rows, its lines go to the row they lie in."""
    n_header = _header_rows(bands, blocks)
    pieces = []
    for block in blocks:
        top, bottom = block_extent(block)
        rows = [r for r, (a, b) in enumerate(bands) if min(bottom, b) - max(top, a) > 0]
        if len(rows) > 1 and rows[0] >= n_header:
            for r in rows:
                part = [g for g in block if bands[r][0] <= (g.top + g.bottom) / 2 <= bands[r][1]]
                if part:
                    pieces.append(part)
        else:
            pieces.append(block)
    return pieces


def _rows_of(block: list[Segment], bands: list[tuple[float, float]], n_header: int) -> list[int]:
    """The rows a block lies across; below the header, where ``_blocks_by_row`` cut the
    blocks at the rows, the one row a piece overlaps most: a label's line set between two
    rows' values (run together rows cut at their lines of values, ``_split_at_anchors``)
    reaches into the row above, and must not merge the two rows' labels."""
    top, bottom = block_extent(block)
    rows = [r for r, (a, b) in enumerate(bands) if min(bottom, b) - max(top, a) > 0]
    if len(rows) > 1 and rows[0] >= n_header:
        rows = [max(rows, key=lambda r: min(bottom, bands[r][1]) - max(top, bands[r][0]))]
    return rows


def _spans(owner: dict, texts: dict, n_header: int) -> tuple[dict, set]:
    """The last row and column of each cell by its first (row, column), and the grid
    positions covered; ``texts`` of a header line that lies inside a merged cell moved to it."""
    covered: dict[tuple[int, int], tuple[int, int]] = {}  # grid position -> the cell over it
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (_, _, r1, c1) in sorted(owner.items()):
        over = covered.get((r0, c0))
        if over is not None and over[0] == r0 < n_header:
            # A wrapped line of a merged header cell that the white space put in one of
            # its columns ("Ngoại)" under "Bá Thước (xã Lương"): its text is the merged
            # cell's. (Below the header two cells of a row are two values.)
            texts[over].extend(texts.pop((r0, c0)))
            continue
        if any((r, c) in covered for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)):
            r1, c1 = r0, c0  # overlapping spans: keep the cell, drop its span
        covered.update(((r, c), (r0, c0)) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        spans[(r0, c0)] = (r1, c1)
    return spans, set(covered)


def _region_to_table(page: Page, lines: list[list[Segment]], height: float, s: BorderlessSettings) -> Table | None:
    segments = [g for line in lines for g in line]
    rules = row_rules(page, segments)
    edges = drawn_columns(rules, segments, s.min_cols) or region_to_columns(segments, len(lines), height, s)
    segments = [part for g in segments for part in split_at_edges(g, edges, height, s)]
    edges = hollow_columns(segments, edges, s.min_cols)
    n_cols = len(edges) - 1
    if n_cols < s.min_cols:
        return None
    for g in segments:
        g.cols = columns_of(g, edges)
    narrow_spans(segments)
    threshold = row_gap_threshold(segments, height)
    cap = row_gap_cap(segments, height, s.min_cols)
    blocks = segments_to_blocks(segments, threshold if cap is None else min(threshold, cap),
                                rules)
    bands = blocks_to_rows(blocks, height)
    if len(bands) < 2:
        return None
    # Row boundaries halfway between bands, so cell boxes tile the table.
    ys = [bands[0][0]] + [(a[1] + b[0]) / 2 for a, b in zip(bands, bands[1:])] + [bands[-1][1]]
    owner: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    texts: dict[tuple[int, int], list[Word]] = {}
    n_header = _header_rows(bands, blocks)
    for block in _blocks_by_row(blocks, bands):
        rows = _rows_of(block, bands, n_header)
        if not rows:
            continue
        c0, c1 = block_cols(block)
        r0, r1 = rows[0], rows[-1]
        key = (r0, c0)
        if key in owner:
            pr0, pc0, pr1, pc1 = owner[key]
            r1, c1 = max(r1, pr1), max(c1, pc1)
        owner[key] = (r0, c0, r1, c1)
        texts.setdefault(key, []).extend(w for g in block for w in g.words)
    spans, covered = _spans(owner, texts, n_header)
    cells = []
    for (r0, c0), (r1, c1) in spans.items():
        words = texts[(r0, c0)]
        box = (edges[c0], ys[r0], edges[c1 + 1], ys[r1 + 1])
        cells.append(Cell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, words_to_text(words), box,
                          min(w.conf for w in words), page.no))
    for r in range(len(bands)):
        for c in range(n_cols):
            if (r, c) not in covered:
                cells.append(Cell(r, c, 1, 1, "", (edges[c], ys[r], edges[c + 1], ys[r + 1]), 100.0, page.no))
    log.debug("page %d: borderless table %d x %d", page.no, len(bands), n_cols)
    return Table((page.no, page.no), tuple(sorted(cells, key=lambda c: (c.row, c.col))), len(bands), n_cols,
                 page.source, ((page.no, page.source),), ruled=False)
