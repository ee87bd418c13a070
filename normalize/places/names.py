"""How place names are written: official spelling, matching keys, type prefixes.

Matching runs on canonical keys (no case, no diacritics, OCR confusions canonicalised);
`skeleton` and `closeness` say how near a garbled or misspelt name is to a known one.
"""
from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from normalize.text.fold import fold, real_d

# Official names put the tone on the first vowel of an open oa/oe/uy: Hóa, Thủy, Hòa.
_TONE_ON_SECOND = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\w\u0300-\u036f])")
# Marks the OCR of these documents never produces: text bearing them was typed.
_CLEAN_MARKS = set("\u0300\u0302\u0303\u0306\u0309\u031b\u0323")
# Letters Vietnamese does not use stand for those OCR mistook; a word-initial p without
# h is a Đ read as P ("Pién Bién"). Applied to both sides, so it costs nothing.
_CANON_CHARS = str.maketrans({"w": "u", "j": "i", "f": "ph", "z": "d"})
_P_FOR_D = re.compile(r"\bp(?!h)")
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
           "b", "c", "d", "g", "h", "k", "l", "m", "n", "r", "s", "t", "v", "x")
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t")
# Onsets people confuse in writing (the northern merger of tr/ch, s/x, r/d/gi; l/n).
_ONSET_KIN = ({"ch", "tr"}, {"s", "x"}, {"r", "d", "gi"}, {"l", "n"}, {"c", "k", "qu"})


def official_spelling(text: str) -> str:
    """NFC, U+0110 for Đ look-alikes, official tone placement, single spaces."""
    nfd = _TONE_ON_SECOND.sub(r"\1\3\2", unicodedata.normalize("NFD", real_d(text)))
    return " ".join(unicodedata.normalize("NFC", nfd).split())


def proper_case(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in official_spelling(text).split())


def canon(text: str) -> str:
    return _P_FOR_D.sub("d", fold(text, misreads=True).translate(_CANON_CHARS))


def looks_clean(text: str) -> bool:
    """True when the text carries marks OCR drops, so a spelling difference is real."""
    nfd = unicodedata.normalize("NFD", text)
    return "đ" in nfd.lower() or any(ch in _CLEAN_MARKS for ch in nfd)


def _syllable(word: str) -> tuple[str, str, str]:
    onset = next((o for o in _ONSETS if word.startswith(o) and len(word) > len(o)), "")
    rest = word[len(onset):]
    return onset, rest, next((c for c in _CODAS if rest.endswith(c) and len(rest) > len(c)), "")


def skeleton(key: str) -> str:
    """Onset and coda of each syllable: what OCR keeps when it mangles the vowels
    between them ("Quing Luu", "Xudng")."""
    return " ".join(f"{o}.{c}" for o, _, c in map(_syllable, key.split()))


def closeness(a: str, b: str) -> float:
    """How likely one canonical name is a misspelling of the other (0-100), syllable by
    syllable: "Thiệu Chung" is closer to "Thiệu Trung" than to "Thiệu Chính"."""
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return 0.0  # no name: nothing to be a misspelling of
    if len(wa) != len(wb):
        return 0.9 * fuzz.ratio(a, b)
    total = 0.0
    for (oa, ra, _), (ob, rb, _) in zip(map(_syllable, wa), map(_syllable, wb)):
        kin = any(oa in g and ob in g for g in _ONSET_KIN)
        total += (40 if oa == ob else 32 if kin else 0) + 0.6 * fuzz.ratio(ra, rb)
    return total / len(wa)


# ---------------------------------------------------------------- type prefixes


def _lite(text: str) -> str:
    """Lower case, acute-only letters (OCR noise: é, ó) plain; as long as text."""
    out = []
    for ch in text.lower():
        d = unicodedata.normalize("NFD", ch)
        out.append(d[0] if len(d) == 2 and d[0].isascii() and d[1] == "\u0301" else ch[:1])
    return "".join(out)


_PREFIXES = (  # longer forms first; "phường" but not "Phượng", which is a name
    ("district", "Thành phố", r"thành phố|thanh\s*ph[o0d6]|t\.?p"),
    ("district", "Thị xã", r"thị xã|thi\s*x[a4&@d3i]|t\.?x"),
    # "trấn" alone: its "Thị" lost (a wrapped first line the OCR missed); no unit's name begins so
    # "Thi trấn": the dot under "Thị" lost (a 150 dpi fax, v0015 of make_variants --n 20 --seed 161000)
    ("commune", "Thị trấn", r"thị trấn|thi\s*tr[aâấ]n|t\.?t|trấn"),
    ("district", "Huyện", r"huyện|huyen|h"),
    # "Phường" as OCR garbles it: ư read u or w, ơ read o or d, its tone lost, the "g" cut
    # off ("Phwờng", "Phương", "Phườn g"); never the dot-below of the name "Phượng", and a
    # real name read so ("Phuong Nghi") is still taken whole by ``resolve``.
    ("commune", "Phường", r"phường|ph[uưw][oơờòd]n ?g|ph|p"),
    ("commune", "Xã", r"xã|x[a4&@d3i]?"),
)
_PREFIX_RES = tuple((lvl, lab, re.compile(rf"\s*(?:{p})(?=[\s.:,]|$)[\s.:]*")) for lvl, lab, p in _PREFIXES)
_UBND = re.compile(r"\s*(?:ubnd|ủy ban nhân dân|uy ban nhan dan)\s+")
_INNER_TYPE = re.compile(r"(?<!thị)(?<!thi)\s(?=(?:xã|phường|thị trấn|thị xã|huyện|huyen|thành phố|thanh pho|tp)[\s.])")
_PUNCT = " .,;:-–"


def split_type(text: str) -> tuple[str | None, str, str]:
    """Split a leading "xã"/"P."/"TP"/"huyện"... off a name: (level, type label, rest)."""
    text = " ".join(text.split()).strip(_PUNCT)
    lite = _lite(text)
    if m := _UBND.match(lite):
        text, lite = text[m.end():], lite[m.end():]
    for level, label, rx in _PREFIX_RES:
        m = rx.match(lite)
        if m and m.end() < len(text):
            return level, label, text[m.end():].strip(_PUNCT)
    return None, "", text


def segments(text: str) -> list[str]:
    """The names a locality header holds, each with its type if written: brackets,
    commas, dashes and an inner type word ("... xã Quảng Lưu") separate them."""
    parts = []
    for chunk in re.split(r"[()\[\]]", official_spelling(text)):
        for piece in re.split(r"[,;]|\s[-–]\s", chunk):
            if m := _UBND.match(_lite(piece)):
                piece = piece[m.end():]
            cuts = [0] + [m.end() for m in _INNER_TYPE.finditer(_lite(piece))] + [len(piece)]
            parts += [piece[a:b].strip(_PUNCT) for a, b in zip(cuts, cuts[1:])]
    return [p for p in parts if fold(p, misreads=True)]


# The words of a table's total or average row or column ("Tổng cộng", "Toàn huyện", "Cả tỉnh",
# "Bình quân chung", "Trung bình", "Tổng hợp", "Số lượng"), folded: never a unit's name (no
# unit of either generation begins so; "Công Chính" and "Công Liêm" are why "cộng" counts only
# alone or before a level), so never read as the closest unit of a garbled name.
_SUMMARY = re.compile(r"^((toan|ca)\b|tong (cong|so|hop)\b|cong( (tinh|huyen|thi xa|thanh pho)\b.*)?$"
                      r"|trung binh\b|binh quan\b|so luong\b)")


def summary_label(text: str) -> bool:
    """Whether a table's label names a total, an average or a count, not a unit (its type
    word, as a reader may have prefixed it, aside)."""
    _, _, name = split_type(text)
    return bool(_SUMMARY.match(fold(name or text).lower().strip()))


def nearest_by_letters(q: str, keys: dict[str, str], code: str) -> bool:
    """Whether the unit ``code`` is also among the ``keys`` (code → canonical name) nearest
    ``q`` letter by letter: a second opinion on a reading by ``closeness``, which a
    syllable's stray letter does not sway ("Ha LTrun" is Hà Trung by its letters, Hà Long
    by its onsets)."""
    return Levenshtein.normalized_similarity(q, keys[code]) >= max(
        Levenshtein.normalized_similarity(q, k) for k in keys.values())


def type_word_like(token: str, words: tuple[str, ...]) -> bool:
    """Whether a token may be one of the type ``words`` (folded: "xa", "phuong", "tt") as the
    OCR garbled it ("Xà", "Xâ", "Xi", "Kã"): a letter off a short word, two off a long one."""
    key = fold(token, misreads=True).replace(" ", "")
    return any(Levenshtein.distance(key, w) <= (1 if len(w) <= 2 else 2) for w in words)
