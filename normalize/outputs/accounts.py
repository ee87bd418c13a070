"""The account of every input and page (``OUT/inputs.csv``): how it was read and why,
the tables found, the percentages seen, the records made and flagged. A page that
gave nothing is there too, so nothing that was not understood goes unsaid."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from extract.model import PageResult
from normalize.outputs.gaps import percentages
from normalize.outputs.table import Table
from normalize.record import Record

INPUT_COLUMNS = ("source_file", "page", "read_as", "how", "tables", "numbers_seen", "records", "flagged")


@dataclass(frozen=True)
class PageFacts:
    """What is known of one page once it is read (its words are let go)."""

    page: int | None  # None: the whole input (it could not be read, or was refused)
    read_as: str  # text, ocr or dump; empty when the input was not read
    how: str  # the triage's reason, or why the input was not read
    tables: str  # "16×11 ruled; 4×3 borderless"
    numbers: int  # percentages in the page's text
    size: tuple[float, float] | None = None  # width, height in points of the page as read (PageResult.size)
    turned: int = 0  # degrees the page was turned after preparation (PageResult.turned)


def page_facts(pages: Sequence[PageResult]) -> tuple[PageFacts, ...]:
    return tuple(PageFacts(p.no, p.source, "; ".join((p.how, *p.warnings)), _tables(p), percentages(p.text),
                           p.size, p.turned) for p in pages)


def input_facts(reason: str) -> tuple[PageFacts, ...]:
    """The one row of an input that was not read."""
    return (PageFacts(None, "", reason, "", 0),)


def _tables(page: PageResult) -> str:
    return "; ".join(f"{t.n_rows}×{t.n_cols} {'ruled' if t.ruled else 'borderless'}" for t in page.tables)


def accounts_frame(inputs: Iterable[tuple[str, tuple[PageFacts, ...]]], records: Sequence[Record]) -> Table:
    """A row per input and page, with the records made from each page and how many are flagged.

    A word-processor file has one page and records without a page number: they are its page's."""
    made, flagged = Counter(), Counter()
    for r in records:
        made[(r.source_file, r.page)] += 1
        flagged[(r.source_file, r.page)] += r.needs_review
    rows = []
    for source_file, facts in inputs:
        for f in facts:
            keys = [(source_file, f.page)] + ([(source_file, None)] if len(facts) == 1 and f.page is not None else [])
            rows.append((source_file, "" if f.page is None else str(f.page), f.read_as, f.how, f.tables,
                         str(f.numbers), str(sum(made[k] for k in keys)), str(sum(flagged[k] for k in keys))))
    return Table.of(rows, INPUT_COLUMNS)
