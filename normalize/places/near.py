"""A commune's name the OCR damaged, read among the communes of the document's district.

A district's table of its communes is read from a scan: a letter of a name misread
("Ouảng Minh" for Quảng Minh, Q read O) or a mark ("Hoãng Đồng" for Hoằng Đồng, which
also folds to Hoằng Đông) leaves a name the gazetteer does not know, or knows twice.
Among the few communes of the district the document's title names, one that is nearer
than any other, by one letter at most, is what was printed. It is taken flagged, the
reading named in the note, never silently.
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from normalize.places.gazetteer import Gazetteer
from normalize.places.names import canon, official_spelling, split_type, summary_label
from normalize.places.resolve import NO_UNITS, Match

# A name of fewer letters than this is read only when it folds to a commune's name
# exactly: one letter changed in a short name ("Nga An") is too often another name.
# The names the OCR damaged in make_variants --n 30 --seed 40000 --kinds scan and
# --n 40 --seed 52000 --kinds scan,lowres have 7 letters or more ("Ouảng Cư").
MIN_LETTERS = 6
MAX_LETTERS_OFF = 1  # letters (folded) a damaged name may differ by from the commune's


@dataclass(frozen=True, order=True)
class _Distance:
    letters: int  # edits between the folded names
    marks: int  # edits between the names as written, marks and all


def near_in_district(gz: Gazetteer, raw: str, district: str) -> Match | None:
    """The commune of ``district`` (a 2024 district's code) that ``raw`` is a damaged
    reading of, flagged; None when none is near enough or two are as near."""
    if summary_label(raw):
        return None  # "Tổng cộng" is one letter from "Nông Cống": a total, no commune
    _, _, name = split_type(raw)
    q, written = canon(name), official_spelling(name).lower()
    index = gz.commune_indexes.get(district, NO_UNITS)
    if not q or not index.keys:
        return None
    ranked = sorted((_distance(q, written, key, gz.communes[code].short), code) for code, key in index.keys.items())
    best, code = ranked[0]
    if best.letters > MAX_LETTERS_OFF or (best.letters and len(q.replace(" ", "")) < MIN_LETTERS):
        return None
    if len(ranked) > 1 and not _clearly_nearer(best, ranked[1][0]):
        return None
    unit = gz.communes[code]
    where = gz.districts[district].contract_name
    note = f"read {name!r} as {unit.name}, the commune of {where} nearest to it: a letter or a mark may be misread"
    return Match(raw, unit.contract_name, unit, 80.0, True, note, (unit,))


def _distance(q: str, written: str, key: str, short: str) -> _Distance:
    return _Distance(Levenshtein.distance(q, key), Levenshtein.distance(written, official_spelling(short).lower()))


def _clearly_nearer(best: _Distance, second: _Distance) -> bool:
    """A letter nearer than the runner-up; or, both folding to the name read, nearer by its marks."""
    if second.letters > best.letters:
        return True
    return best.letters == second.letters == 0 and second.marks > best.marks
