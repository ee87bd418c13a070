"""A place name wrapped over several lines of a narrow cell, joined back into one name.

A word processor wraps a name too long for its column between words, and inside a
word when one word alone is wider than the column ("Xã Thượn" / "g Ninh", "Phườn" /
"g Hàm" / "Rồng"). Joining the lines with spaces leaves "Thượn g", which no longer
names the unit. Every Vietnamese syllable has a vowel, so a line that starts with a
lower-case piece with none, or follows a piece with none, continues the word before it;
a piece with a vowel on each side continues it only when the two make a syllable of the
province's unit names and one of them alone does not ("Khư" / "ơng").
"""
from __future__ import annotations

import functools
import re

from normalize.places.gazetteer import gazetteer
from normalize.places.names import canon

_VOWELS = set("aeiouy")


@functools.lru_cache(maxsize=None)
def _syllables() -> frozenset[str]:
    """The canonical syllables of every unit name of the province, both generations, with their types."""
    gz = gazetteer()
    units = [*gz.districts.values(), *gz.communes.values(), *gz.communes_2025.values()]
    return frozenset(s for u in units for s in canon(u.name).split())


def _has_vowel(piece: str) -> bool:
    return any(ch in _VOWELS for ch in canon(piece))


def _continues(head: str, tail: str) -> bool:
    """Whether ``tail`` (the first word of a line) is the rest of ``head`` (the last word of the line before)."""
    if not tail[:1].isalpha() or not tail[:1].islower() or not head[-1:].isalpha():
        return False
    if canon(head) in _ABBREVIATIONS or (len(head) > 1 and head.isupper()):
        return False  # an abbreviation ends a word ("TP" / "thanh Hóa" as OCR cases it; not "Thi" / "ên")
    if not _has_vowel(tail) or not _has_vowel(head):
        return True
    known = _syllables()
    if canon(head + tail) not in known:
        return False
    # A name capitalises each syllable: a lower-case piece after a capitalised one that makes
    # a syllable with it is its rest ("Vư" / "ơng", though "vu" and "ong" are syllables too),
    # unless it is a word written lower-case in a unit's name ("Thị" / "trấn").
    if head[:1].isupper() and canon(tail) not in _LOWER_WORDS:
        return True
    return canon(head) not in known or canon(tail) not in known


_ABBREVIATIONS = frozenset({"tp", "tx", "tt", "p"})  # of a unit's type: "TP", "TX", "TT", "P."
# words a unit's name or header writes lower-case: its type, a level ("(xã Nga Liên)", "Thị trấn")
_LOWER_WORDS = frozenset({"xa", "phuong", "thi", "tran", "thanh", "pho", "huyen", "tinh", "tp", "tx", "tt", "p"})


def unwrap(text: str) -> str:
    """The lines of a cell naming a place as one line, a word cut by the wrap made whole."""
    out = ""
    lines: list[str] = []
    for line in (_glued(ln.split()) for ln in text.splitlines()):
        first = line.split(" ", 1)[0]
        if lines and first and first[:1].islower() and first[:1].isalpha() and not _has_vowel(first) \
                and lines[-1][-1:].isalpha():
            lines[-1] += line  # a piece with no vowel first ("ằn" / "g"): the word it ends is whole
        elif line:        # before its head is judged against the line above ("Ho" / "ằng")
            lines.append(line)
    for line in lines:
        head = out.rsplit(" ", 1)[-1]
        tail = re.split(r"\s", line, maxsplit=1)[0]
        out = out + line if out and _continues(head, tail) else f"{out} {line}".strip()
    return out


def _glued(words: list[str]) -> str:
    """A line's words, a lower-case piece with no vowel glued to the word before: the tail
    of a word the OCR read apart ("Tân Pho ng)", its "ng" read alone by extract.ocr.unread)."""
    out: list[str] = []
    for w in words:
        if out and out[-1][-1:].isalpha() and w[:1].isalpha() and w[:1].islower() and not _has_vowel(w):
            out[-1] += w
        else:
            out.append(w)
    return " ".join(out)
