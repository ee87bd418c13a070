"""Evidence across documents: a unit the table names that the gazetteer lacks, while
the same document (or another input of the run) names a close unit that exists.

The deck's table writes "xã Thiệu Chung" where its own text and the pilot plan say
"xã Thiệu Trung": the record keeps what the table wrote, and its note says where
the likely unit is named, so a human can decide.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Mapping, Sequence

from normalize.text.fold import fold_ocr
from normalize.places.resolve import resolve_commune
from normalize.record import Record

PageTexts = Sequence[tuple[int, str]]  # (page, text) of one input


@lru_cache(maxsize=1024)
def _candidates(commune: str, district_code: str, year: int | None) -> tuple[tuple[str, str], ...]:
    """(name with type, folded short name) of the known units close to an unknown one, among
    the units of its document's year first (the 2025 units for a 2026 report)."""
    m = resolve_commune(commune, district=district_code or None, year=year)
    if m.unit is not None:
        return ()
    return tuple((u.contract_name, fold_ocr(u.short)) for u in m.candidates if u is not None)


def fold_pages(texts: PageTexts) -> list[tuple[int, str]]:
    """(page, text) of one input folded for ``add_place_evidence``: done once, when the
    input is read, and cached with its records (a cached re-run spent most of its
    time folding every page again)."""
    return [(page, " " + fold_ocr(text) + " ") for page, text in texts]


def _where(key: str, own: str, folded: Mapping[str, list[tuple[int, str]]]) -> str:
    pattern = re.compile(rf"\b{re.escape(key)}\b")
    order = [own] + sorted(k for k in folded if k != own)
    for source in order:
        for page, text in folded.get(source, []):
            if pattern.search(text):
                return "the same document" + (f" (page {page})" if page else "") if source == own else f"{source} (page {page})"
    return ""


def add_place_evidence(records: Sequence[Record], folded: Mapping[str, PageTexts]) -> list[Record]:
    """Records of unknown communes, with a note naming where a close known unit appears
    in the inputs' texts (``fold_pages`` of each)."""
    cache: dict[tuple, str] = {}
    out = []
    for r in records:
        if r.commune and not r.commune_code:
            key = (r.source_file, r.commune, r.district_code, r.year)
            if key not in cache:
                notes = []
                for name, short in _candidates(r.commune, r.district_code, r.year):
                    where = _where(short, r.source_file, folded)
                    if where:
                        notes.append(f"{where} names {name}: likely the same unit")
                cache[key] = "; ".join(notes)
            if cache[key]:
                r = replace(r, needs_review=True, note="; ".join(x for x in (r.note, cache[key]) if x))
        out.append(r)
    return out
