"""A locality header of a 2024 document whose commune the OCR garbled beyond one letter.

A deck's column pair sits under a header naming a district and one of its communes
("Thiệu Hóa (xã Thiệu Giang)"). A scan or a fax garbles it: a letter lost at the head of
the name ("“ Hiệu Giang"), the type word read as another ("xà Giao Thiân"), the bracket
read as a brace or lost, the district and the commune then run together ("Quan Sơi Xi
Sơn Hà", "Yên Định {xã Yên Thịnh"), the district itself misread ("Thườug Xuân"). No
commune is spelled so, and the whole column pair would go under a name the gazetteer
does not know. Among the few communes of the header's own district (or the document's),
the closest, clearly closer than any other, is what was printed. It is a reading, never
a certainty: it is always flagged, the name read and the reason in its note.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from normalize.places.gazetteer import Gazetteer, Unit, gazetteer
from normalize.places.names import (canon, closeness, nearest_by_letters, official_spelling, split_type,
                                    summary_label, type_word_like)
from normalize.places.resolve import NO_UNITS, Match

# Closeness (``names.closeness``) from which a garbled name is read as the commune of its
# district, and by how much the runner-up of that district must trail. Measured on the
# unresolved headers and rows of 106 earlier failure CSVs (make_variants scans, lowres and
# faxes, seeds 2612, 31, 32 among them): 171 read, all onto a unit their document had lost;
# on make_variants --kinds fax --n 12 --seed 31 / --n 30 --seed 32 and --kinds
# scan,turned,stamped --n 40 --seed 56000, 25 units read, all right; held out, --kinds fax
# --n 20 --seed 62 and --kinds scan,turned,fax --n 40 --seed 97000, 9, all right. Of the
# names left, "Hà Tai" (Hà Tân 85, Hà Tiến 82; it was Hà Lai) is why the margin is 10.
NEAR_MIN = 75.0
NEAR_MARGIN = 10.0
# The same for a district's garbled name ("Thườug Xuân": Thường Xuân 92, Thọ Xuân 82),
# taken only when its commune is then read in it too.
DISTRICT_MIN = 80.0
DISTRICT_MARGIN = 10.0
SCORE = 60.0  # a reading's score: below the 90 that a header "names a unit" by
# The type words a garbled token at a name's head may stand for, folded.
_TYPE_WORDS = ("xa", "tt", "phuong")


@dataclass(frozen=True)
class _Reading:
    unit: Unit
    score: float  # its closeness to the words read
    runner: float  # the runner-up's, in the same district
    words: str  # the words read as its name


def read_garbled_header(gz: Gazetteer, d_raw: str, c_raw: str, dm: Match | None,
                        hint: str) -> tuple[Match | None, Match] | None:
    """(the district's match, the commune's) that a header whose commune ``c_raw`` no
    commune is spelled as most likely names, both flagged; None when none is clearly it.
    ``dm``: the header's district as resolved (None: none written); ``hint``: the code of
    the document's district, or ""."""
    if summary_label(c_raw):
        return None  # a total or an average ("Bình quân chung", "Tổng hợp"): no unit to read it as
    if _read_cleanly(c_raw):
        return None  # the document's own spelling, as it was printed ("Thiệu Chung"): kept, flagged
    _, _, name = split_type(c_raw)
    words = _letters(name)
    if not words:
        return None
    if dm is not None and dm.unit is not None:
        got = _in_district(gz, words, dm.unit.code)
        return (dm, _commune(gz, c_raw, got, "")) if got else None
    if dm is not None:  # a district written but misread: its closest, if its commune is then read in it
        return _with_near_district(gz, d_raw, c_raw, words)
    if together := _run_together(gz, c_raw, words):
        return together
    if hint in gz.districts and (got := _in_district(gz, words, hint)):
        return None, _commune(gz, c_raw, got, "")
    return None


def _with_near_district(gz: Gazetteer, d_raw: str, c_raw: str, words: list[str]) -> tuple[Match, Match] | None:
    district = _near_district(gz, _letters(split_type(d_raw)[2]))
    if district is None:
        return None
    unit, why = district
    got = _in_district(gz, words, unit.code)
    if got is None:
        return None
    dm = Match(d_raw, unit.contract_name, unit, SCORE, True, why, (unit,))
    return dm, _commune(gz, c_raw, got, "")


def _run_together(gz: Gazetteer, c_raw: str, words: list[str]) -> tuple[None, Match] | None:
    """A header whose bracket was lost or misread: the district's name at its head, then
    the commune's, maybe after its garbled type word ("Quan Sơi Xi Sơn Hà")."""
    best: tuple[float, Unit, _Reading] | None = None
    for cut in range(1, len(words)):
        district = _near_district(gz, words[:cut])
        if district is None:
            continue
        got = _in_district(gz, words[cut:], district[0].code)
        if got and (best is None or got.score > best[2].score):
            best = (got.score, district[0], got)
    if best is None:
        return None
    _, district, got = best
    return None, _commune(gz, c_raw, got, f"{district.contract_name}'s name run into it")


def _near_district(gz: Gazetteer, words: list[str]) -> tuple[Unit, str] | None:
    """The 2024 district ``words`` name, exactly or clearly closest, and how it was read."""
    q = canon(" ".join(words))
    if not q:
        return None
    if codes := gz.district_index.exact.get(q):
        return (gz.districts[codes[0]], "") if len(codes) == 1 else None
    ranked = sorted(((closeness(q, k), c) for c, k in gz.district_index.keys.items()), reverse=True)
    (top, code), runner = ranked[0], ranked[1][0] if len(ranked) > 1 else 0.0
    if top < DISTRICT_MIN or top - runner < DISTRICT_MARGIN:
        return None
    unit = gz.districts[code]
    read = " ".join(words)
    return unit, f"read {read!r} as {unit.contract_name}, the closest district ({top:.0f}, next {runner:.0f})"


def _in_district(gz: Gazetteer, words: list[str], district: str) -> _Reading | None:
    """The commune of ``district`` the words most likely name: the closest for the words as
    read, or without a head token that is a garbled type word, or their last words only (a
    header's other words run into it: "Nội dung Vân Du"), when clearly closer than any other."""
    index = gz.commune_indexes.get(district, NO_UNITS)
    if not index.keys:
        return None
    best: _Reading | None = None
    for reading in _readings(words):
        if spelled := _spelled_so(gz, " ".join(reading), index.keys):
            return spelled
        q = canon(" ".join(reading))
        ranked = sorted(((closeness(q, k), c) for c, k in index.keys.items()), reverse=True)
        (top, code), runner = ranked[0], ranked[1][0] if len(ranked) > 1 else 0.0
        if top >= NEAR_MIN and top - runner >= NEAR_MARGIN and nearest_by_letters(q, index.keys, code):
            if best is None or top > best.score:
                best = _Reading(gz.communes[code], top, runner, " ".join(reading))
    return best


def _spelled_so(gz: Gazetteer, words: str, keys: dict[str, str]) -> _Reading | None:
    """The one commune of the district spelled as the words, marks and all: of two that fold
    alike ("Vĩnh Hưng", "Vĩnh Hùng" of Vĩnh Lộc) the marks read tell which."""
    spelled = official_spelling(words).lower()
    same = [c for c in keys if gz.communes[c].short.lower() == spelled]
    if len(same) != 1:
        return None
    runner = max((closeness(keys[same[0]], k) for c, k in keys.items() if c != same[0]), default=0.0)
    return _Reading(gz.communes[same[0]], 100.0, runner, words)


@functools.lru_cache(maxsize=1)
def _spelled_syllables() -> frozenset[str]:
    """Every word of every unit's name (both generations, types too), as spelled, lower case."""
    gz = gazetteer()
    units = [*gz.districts.values(), *gz.communes.values(), *gz.communes_2025.values()]
    return frozenset(w for u in units for w in unicodedata.normalize("NFC", u.name).lower().split())


def _read_cleanly(raw: str) -> bool:
    """Whether a name was read as a name is written: letters only, every word one that unit
    names are spelled with. The OCR's damage leaves a speck, a digit or a word no name has
    ("“ Hiệu Giang", "Xâ Xuân Minh", "Quảng I3"); a name read cleanly that no unit bears is
    the document's own (the seeds' deck writes "Thiệu Chung" in its table, "Thiệu Trung" in
    its text), and reading it as its closest unit would correct the document unasked."""
    words = unicodedata.normalize("NFC", raw).lower().split()
    return bool(words) and all(w.isalpha() and w in _spelled_syllables() for w in words)


def _readings(words: list[str]) -> list[list[str]]:
    out = [words]
    if len(words) >= 2 and type_word_like(words[0], _TYPE_WORDS):
        out.append(words[1:])
    for n in (2, 3):  # the last words alone: names have two words, some three
        if len(words) > n and words[-n:] not in out:
            out.append(words[-n:])
    return out


def _letters(text: str) -> list[str]:
    """The words of ``text``, of letters only: OCR's specks, quotes and braces ("“", "{",
    "©", "'/") are no part of a name, nor a digit."""
    kept = "".join(ch if unicodedata.category(ch)[0] in "LM" else " " for ch in unicodedata.normalize("NFC", text))
    return kept.split()


def _commune(gz: Gazetteer, c_raw: str, got: _Reading, how: str) -> Match:
    where = gz.districts[got.unit.district_code].contract_name
    why = f"{how}; " if how else ""
    near = (f"{got.words!r} is its name among the communes of {where}" if got.score >= 100 else
            f"{got.words!r} is closest to it among the communes of {where} ({got.score:.0f}, next {got.runner:.0f})")
    note = f"read {c_raw!r} as {got.unit.name}: {why}{near}: the OCR may have garbled the header"
    return Match(c_raw, got.unit.contract_name, got.unit, SCORE, True, note, (got.unit,))
