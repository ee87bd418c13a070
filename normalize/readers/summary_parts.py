"""The parts of a summary table (its columns, rows and cells, ``SummaryTable``) and what
its header cells say (a phase, the label or number column, a value): shared by the
readers of grids (``normalize.readers.summary``), of text dumps and of templates."""
from __future__ import annotations

import re
from dataclasses import dataclass

from normalize.text.fold import fold_ocr
from normalize.text.values import parse_value


PROVINCE = "Thanh Hóa"
# Below these, a human should look (scores are 0-100).
MIN_MATCH_SCORE = 70.0
MIN_OCR_CONF = 60.0


@dataclass(frozen=True)
class Column:
    phase: str  # target, before, after, reported
    locality_raw: str = ""
    note: str = ""  # a doubt about the column's locality, for every value under it


@dataclass(frozen=True)
class RawCell:
    text: str
    page: int | None
    conf: float | None = None


@dataclass(frozen=True)
class RawRow:
    number: int | None
    label: str  # the label as read, for `label_raw`
    match_text: str  # what the matcher sees: the label, maybe with neighbouring lines
    cells: tuple[RawCell, ...]  # one per column, in column order
    page: int | None


@dataclass(frozen=True)
class SummaryTable:
    columns: tuple[Column, ...]
    rows: tuple[RawRow, ...]
    source: str  # text, ocr, dump, or mixed when its pages were read differently
    page_sources: tuple[tuple[int, str], ...] = ()  # (page, source): how each page was read

    def source_of(self, page: int | None) -> str:
        """How the page a value was read on was read; the table's source when unknown."""
        return dict(self.page_sources).get(page, self.source) if page is not None else self.source


_PHASE_WORDS = (("truoc", "before"), ("sau", "after"))


def phase_of(header: str) -> str | None:
    key = fold_ocr(header)
    compact = re.sub(r"\s+", "", key)  # "S a u / t h í / điểm": a text layer spaced letter by letter
    for word, phase in _PHASE_WORDS:
        if re.search(rf"\b{word}\b", key) or key.startswith(word[:4]) or compact in (word, f"{word}thidiem"):
            return phase
    return None


def is_target_header(header: str) -> bool:
    key = fold_ocr(header)
    return "chi tieu" in key and "noi dung" not in key


def is_label_header(header: str) -> bool:
    return "noi dung" in fold_ocr(header)


def is_number_header(header: str) -> bool:
    return re.sub(r"\s+", "", fold_ocr(header)) in {"tt", "stt", "sott"}  # "T\nT" in a narrow column


def is_value_like(text: str) -> bool:
    parsed = parse_value(text)
    return bool(text.strip()) and parsed.status != "unreadable"


def row_number(text: str) -> int | None:
    m = re.fullmatch(r"\s*(\d{1,2})\s*[.)]?\s*", text or "")
    return int(m.group(1)) if m else None
