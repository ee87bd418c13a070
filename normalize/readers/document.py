"""One document's pages, read (``extract.model.PageResult``) → its records.

Its tables, continued across pages, are summary tables or templates; a text dump's
tables are found in its lines; what is left is prose. Percentages the prose states
that are not indicator values are kept apart (``OtherFigure``)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Sequence

from extract.layout.continuation import continue_tables
from extract.layout.notional import cell_line_boxes, is_notional
from extract.model import Line, PageResult, Table
from normalize.readers.dump_tables import pages_to_summaries
from normalize.readers.inked import flag_inked
from normalize.places.dating import Dating
from normalize.places.locality import names_generation
from normalize.readers.meta import detect_date, detect_district, detect_year
from normalize.readers.reports import OtherFigure, given_by_tables, report_records
from normalize.readers.summary import grid_to_summary
from normalize.readers.summary_records import summary_to_records
from normalize.readers.templates import find_template, grid_to_template
from normalize.record import Record


@dataclass(frozen=True)
class DocumentRecords:
    records: tuple[Record, ...]
    others: tuple[OtherFigure, ...]  # prose percentages that are not indicator values


def document_records(pages: Sequence[PageResult], *, source_file: str, year: int | None) -> DocumentRecords:
    """The records of a document whose pages are all read, in page order."""
    year = year or detect_year("\n".join(p.text for p in pages[:3]))
    # which generation of units its names mean: the 2024 units before 1 July 2025, the 2025 ones after
    when = Dating.of_document(year, detect_date("\n".join(p.text for p in pages[:2])))
    dump = bool(pages) and all(p.source == "dump" for p in pages)
    boxes: list[Table] = []
    drawn = frozenset(p.no for p in pages if is_notional(p))  # a spreadsheet's: columns compared by grid
    if dump:  # no geometry: its tables are read from its lines
        summaries, templates = pages_to_summaries(pages), []
    else:
        tables = continue_tables([list(p.tables) for p in pages], notional=drawn)
        boxes = [t for t in tables if t.n_rows == 1]  # a one-row table no other continued
        tables = [t for t in tables if t.n_rows > 1]
        summaries = [grid_to_summary(t) for t in tables]
        templates = [grid_to_template(t) for t, s in zip(tables, summaries) if s is None]
        summaries = [s for s in summaries if s is not None]
    by_page = [[*_box_lines(boxes, p.no, p.no in drawn), *p.lines] for p in pages]
    lines = [line for page in by_page for line in page]
    if dump and not summaries:
        template, taken = find_template([(line.page_no, line.text) for line in lines],
                                        boxes=[line.bbox for line in lines])
        templates, lines = [template], [line for i, line in enumerate(lines) if i not in taken]
    if when.undated and summaries:  # no date: the units its tables name may still tell the generation
        when = replace(when, names=names_generation(c.locality_raw for s in summaries for c in s.columns))
    # the title's district, where a commune a table names alone is looked for first (in the
    # first pages' lines, a bordered letterhead's, a one-row table, among them)
    district = detect_district("\n".join(line.text for page in by_page[:2] for line in page))
    records = []
    for s in summaries:
        records.extend(summary_to_records(s, source_file=source_file, year=year, district=district, when=when))
    source = Counter(p.source for p in pages).most_common(1)[0][0] if pages else ""
    more, figures = report_records(lines, [t for t in templates if t is not None], source_file=source_file,
                                   year=year, source=source, table_ids=given_by_tables(records),
                                   notional=bool(pages) and all(is_notional(p) for p in pages), when=when)
    more = _flag_beside_unread_tables(more, pages, records)
    flagged = flag_inked(_flag_warned(_on_page(records + more, pages), pages), pages)
    return DocumentRecords(tuple(_flag_mostly_doubted(flag_conflicts(flagged))),
                           tuple(figures))


def _box_lines(boxes: Sequence[Table], page_no: int, notional: bool = False) -> list[Line]:
    """A one-row ruled table's text as lines of its page, cell by cell: a box around text (a
    bordered letterhead), read as the text it is. A one-row table is kept as a table only to
    continue the table of the page before (the last row of a template alone on its page).
    Each line has its cell's box, or on a notional page its own, where its cell draws it."""
    out = []
    for t in boxes:
        if t.page_span[0] != page_no:
            continue
        for c in sorted(t.cells, key=lambda c: c.col):
            texts = c.text.split("\n")
            places = cell_line_boxes(c) if notional else [c.bbox] * len(texts)
            out += [Line(text, page_no, None, box) for text, box in zip(texts, places) if text.strip()]
    return out


def _on_page(records: Sequence[Record], pages: Sequence[PageResult]) -> list[Record]:
    """Records with their boxes cut to their page: a PDF may draw a table past its page's
    edge (text set beyond the MediaBox), where no picture of the page shows it. A record
    with no page (a word processor's file) is on the document's one page."""
    sizes = {p.no: p.size for p in pages}
    out = []
    for r in records:
        size = sizes.get(r.page) if r.page is not None else (pages[0].size if len(pages) == 1 else None)
        if r.bbox is None or size is None:
            out.append(r)
            continue
        x0, top, x1, bottom = r.bbox
        w, h = size
        box = (min(max(x0, 0.0), w), min(max(top, 0.0), h), min(max(x1, 0.0), w), min(max(bottom, 0.0), h))
        out.append(r if box == r.bbox else replace(r, bbox=box))
    return out


# A table this big is a table of values, not a letterhead's box or a signature block.
UNREAD_TABLE_ROWS, UNREAD_TABLE_COLS = 3, 4


def _flag_beside_unread_tables(stated: Sequence[Record], pages: Sequence[PageResult],
                               from_tables: Sequence[Record]) -> list[Record]:
    """Values stated in the lines of an OCR'd page whose table gave no value, flagged: on
    such a page (a photo whose table was found only in part) its rows are read as lines,
    and a row's percentage is taken as a statement of the unit the page names, whatever
    column it stood in ("… được cấp chứng 90%" under Xã Đông Yên, a target read as its
    value: v0002 of make_variants --n 30 --seed 93000 --kinds photo, unflagged)."""
    read = {r.page for r in from_tables}
    unread = {p.no for p in pages if p.source == "ocr" and p.no not in read
              and any(t.n_rows >= UNREAD_TABLE_ROWS and t.n_cols >= UNREAD_TABLE_COLS for t in p.tables)}
    why = "read from a line of a page whose table gave no value: it may be a table's cell, of another column"
    return [r.doubted(why) if r.page in unread else r for r in stated]


# A page with at least this many values, half of them or more in doubt, is read too badly for
# the rest to stand unlooked at: a photo of a district's table whose sheet was not found gave
# 108 values, 96 flagged, and 2 of the 12 others wrong (v0012 of make_variants --n 30 --seed 5
# --kinds photo: "76.3%" under the wrong commune at confidence 91).
MOSTLY_DOUBTED_MIN, MOSTLY_DOUBTED_SHARE = 8, 0.5


def _flag_mostly_doubted(records: Sequence[Record]) -> list[Record]:
    """Every value of a page (of one source file) whose values are mostly flagged, flagged."""
    counts: dict[tuple, list[int]] = {}
    for r in records:
        c = counts.setdefault((r.source_file, r.page), [0, 0])
        c[0] += 1
        c[1] += bool(r.needs_review)
    doubted = {k: c for k, c in counts.items() if c[0] >= MOSTLY_DOUBTED_MIN and c[1] >= MOSTLY_DOUBTED_SHARE * c[0]}
    out = []
    for r in records:
        c = doubted.get((r.source_file, r.page))
        if c is None or r.needs_review:
            out.append(r)
            continue
        out.append(r.doubted(f"page: {c[1]} of its {c[0]} values are in doubt: none may stand unlooked at"))
    return out


def _flag_warned(records: Sequence[Record], pages: Sequence[PageResult]) -> list[Record]:
    """Records of a page read with a warning (its values contradicted by a second reading)
    flagged with it: a page read that badly has no value that may stand unlooked at."""
    warned = {p.no: "; ".join(p.warnings) for p in pages if p.warnings}
    out = []
    for r in records:
        w = warned.get(r.page)
        out.append(r.doubted(f"page: {w}") if w else r)
    return out


def flag_conflicts(records: Sequence[Record]) -> list[Record]:
    """Records with every value that one document states twice, differently, for one
    unit × indicator × phase × year flagged, naming the others: never a silent choice.
    An unreadable cell states no value: it is flagged for itself, not as a conflict."""
    keyed: dict[tuple, list[int]] = {}
    for i, r in enumerate(records):
        if r.status == "unreadable":
            continue  # states nothing, and is flagged as unreadable already
        key = (r.district, r.commune, r.district_code, r.commune_code, r.indicator_id, r.phase, r.year)
        keyed.setdefault(key, []).append(i)
    out = list(records)
    for members in keyed.values():
        said = {(records[i].value, records[i].status, records[i].qualifier) for i in members}
        if len(said) < 2:
            continue
        for i in members:
            others = ", ".join(f"{_shown(records[j])} (page {records[j].page or '?'})" for j in members if j != i)
            note = f"the document gives other values for this unit, indicator and phase: {others}"
            out[i] = out[i].doubted(note)
    return out


def _shown(r: Record) -> str:
    return r.value_raw.strip() or r.status
