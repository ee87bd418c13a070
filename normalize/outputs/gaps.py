"""What a document showed and did not give: the parts that must not pass in silence.

A page with a table, or with ``PERCENTS_FOR_CONTENT`` percentages or more, that gave
no record; a document whose values have no unit; a document that gave no value at
all. Each is an ``ErrorRow`` (stage ``layout`` or ``unit``): it goes to errors.csv and
stderr, and the run exits 3, so a user with 500 inputs learns which ones to open.

A photo that gave nothing says why (``extract.imaging.photo_check``: too blurred, text
too small, no sheet or table found, or no fault found), on its page's row and on its
document's; a photo page that shows nothing and has a fault has a row of its own when the
rest of its document gave values; so has one whose every value is unreadable (its cells of
noise stay in indicators.csv, flagged).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from extract.errors import ErrorRow
from extract.model import PageResult
from normalize.record import Record

# Six percentages on one page are more than the asides of a letter or a cover page
# (the samples' prose pages that state no indicator carry 0-3) and fewer than the
# smallest table a commune reports (a 2-indicator before/after pair for 2 communes
# already has 8); issue 11 sets the figure.
PERCENTS_FOR_CONTENT = 6
_PERCENT = re.compile(r"\d(?:[.,]?\d)*\s*%")
_MIN_TABLE = 2  # rows and columns: a 1-row or 1-column "table" is a box around text, not a table


def percentages(text: str) -> int:
    return len(_PERCENT.findall(text))


def unread_parts(pages: Sequence[PageResult], records: Sequence[Record], others: Sequence, *,
                 source_file: str) -> tuple[ErrorRow, ...]:
    """The error rows of what ``pages`` showed and ``records`` do not account for."""
    records = _read(pages, records)
    made = Counter(r.page for r in records)
    if len(pages) == 1:  # a word-processor file's records carry no page: they are its one page's
        made[pages[0].no] += made.pop(None, 0)
    set_aside = Counter(o.page for o in others)
    rows = []
    for p in pages:
        if made[p.no]:
            continue
        if _tables(p) or percentages(p.text) >= PERCENTS_FOR_CONTENT:
            rows.append(ErrorRow(source_file, p.no, "layout", _page_reason(p, set_aside[p.no]) + _photo(p),
                                 "no_record"))
        elif records and p.photo is not None and _faults(p):
            rows.append(ErrorRow(source_file, p.no, "layout", "no indicator value was read from the page" + _photo(p),
                                 "no_record"))
    values = [r for r in records if r.phase != "target"]  # targets belong to no unit
    if not records:
        rows.append(ErrorRow(source_file, None, "layout", _document_reason(pages) + _photos(pages), "no_value"))
    elif values and not any(r.district or r.commune for r in values):
        rows.append(ErrorRow(source_file, None, "unit",
                             f"{len(values)} value(s) read, but no commune or district named for them: "
                             "they are in indicators.csv with an empty unit", "no_unit"))
    return tuple(rows)


def _read(pages: Sequence[PageResult], records: Sequence[Record]) -> list[Record]:
    """``records`` but those of a faulty photo's page that are all unreadable: a photo too
    blurred or too small gives cells of noise ("\\ê", "ba)"), which say nothing of the page."""
    junk = {p.no for p in pages if p.photo is not None and _faults(p)}
    junk -= {r.page for r in records if r.status != "unreadable"}
    return [r for r in records if r.page not in junk]


def _tables(page: PageResult) -> list:
    return [t for t in page.tables if t.n_rows >= _MIN_TABLE and t.n_cols >= _MIN_TABLE]


def _page_reason(page: PageResult, set_aside: int) -> str:
    shown = [f"a {t.n_rows}×{t.n_cols} {'ruled' if t.ruled else 'borderless'} table" for t in _tables(page)]
    n = percentages(page.text)
    if n:
        shown.append(f"{n} percentage(s)")
    reason = f"the page shows {' and '.join(shown)} but no indicator value was read from it"
    if set_aside:
        reason += f"; {set_aside} figure(s) of it are in other_figures.csv, with why they were not taken"
    return reason


def _document_reason(pages: Sequence[PageResult]) -> str:
    if not any(p.text.strip() for p in pages):
        return "no indicator value: no text was found in the document (blank, or an image OCR could not read)"
    tables = sum(len(_tables(p)) for p in pages)
    shown = sum(percentages(p.text) for p in pages)
    return (f"no indicator value in the document ({len(pages)} page(s), {tables} table(s), "
            f"{shown} percentage(s) in its text)")


def _photo(page: PageResult) -> str:
    """What the photo ``page`` was like, after "; " (nothing when the page is no photo)."""
    if page.photo is None:
        return ""
    from extract.imaging.photo_check import describe  # numpy: only for a run that read a photo

    return f"; {describe(page.photo, tables=len(_tables(page)))}"


def _faults(page: PageResult) -> list[str]:
    """What is wrong with the photo ``page`` (``photo_check.faults``), without the figures."""
    from extract.imaging.photo_check import faults

    return [what for what, _ in faults(page.photo, tables=len(_tables(page)))]


def _photos(pages: Sequence[PageResult]) -> str:
    """What the photos among ``pages`` were like: the one's in full, several's faults by page."""
    photos = [p for p in pages if p.photo is not None]
    if len(photos) == 1 and len(pages) == 1:
        return _photo(photos[0])
    said: dict[str, list[int]] = {}
    for p in photos:
        for what in _faults(p) or ["no fault found"]:
            said.setdefault(what, []).append(p.no)
    if not said:
        return ""
    return "; photos: " + "; ".join(f"{what} on page(s) {', '.join(map(str, nos))}" for what, nos in said.items())
