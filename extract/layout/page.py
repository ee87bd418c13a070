"""A page's words and rulings → what the readers need of it (``model.PageResult``):
its tables, built once, its lines of text outside them, and all its text."""
from __future__ import annotations

from extract.layout.geometry import box_around
from extract.layout.lines import page_to_lines
from extract.layout.notional import NotionalPage
from extract.model import Line, Page, PageResult, Table


def page_to_result(page: Page, how: str, tables: list[Table] | None = None, warnings: tuple[str, ...] = ()) -> PageResult:
    """The result of ``page``; ``tables`` when they were built already (an OCR'd page's,
    while its cells were read again), else the page's own (``layout.ruled.page_to_tables``)."""
    if tables is None:
        from extract.layout.ruled import page_to_tables

        tables = page_to_tables(page)
    boxes = [box_around([c.bbox for c in t.cells]) for t in tables if t.cells]
    lines = (*page_to_lines(page, boxes), Line("", page.no, None))
    text = " ".join(w.text for w in page.words)
    return PageResult(page.no, page.source, how, tuple(tables), lines, text, warnings, size=page.size)


def lines_to_result(no: int, source: str, how: str, texts: tuple[str, ...], *, paged: bool = True,
                    tables: tuple[Table, ...] = (), table_at: tuple[int, ...] = ()) -> PageResult:
    """The result of a page that came as lines of text (a text dump, a word processor's
    paragraphs), with the tables read with the file; a word processor's lines have no page.
    Its lines and tables are drawn on a notional page (``layout.notional``), table ``k``
    before text ``table_at[k]`` (after the last when not given)."""
    page = NotionalPage()
    page_no = no if paged else None
    at: dict[int, list[int]] = {}
    for k in range(len(tables)):
        at.setdefault(min(table_at[k], len(texts)) if k < len(table_at) else len(texts), []).append(k)
    placed: list[Table] = list(tables)
    lines = []
    for i in range(len(texts) + 1):
        for k in at.get(i, ()):
            placed[k] = page.table(tables[k])
        if i < len(texts):
            text = texts[i].rstrip()
            lines.append(Line(text, page_no, None, page.line(text)))
    lines.append(Line("", page_no, None))
    return PageResult(no, source, how, tuple(placed), tuple(lines), "\n".join(texts), size=page.size)
