"""Resolve a locality as reports write it ("Quing Xwong (xa Quing Luu)") to official units.

The gazetteer is committed data (`data/gazetteer_<province>.csv`, built by
`scripts/build_gazetteer.py`): districts and communes as of 2024 with their codes and
their successor after the July-2025 reform. Matching runs on folded text (no case, no
diacritics, OCR confusions canonicalised); a name that is not in the gazetteer, or that
fits several units, is kept as written and flagged for review, never silently replaced.
"""
from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from unidecode import unidecode

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DEFAULT_PROVINCE = "thanh_hoa"
READ_MIN = 75.0  # similarity from which garbled text is read as the unit of the same frame
MARGIN = 5.0  # the runner-up of the same frame must trail by this much

# ---------------------------------------------------------------- spelling and folding

_D_LOOKALIKES = str.maketrans({"Ð": "Đ", "Ɖ": "Đ", "ð": "đ", "ɖ": "đ"})
# Official names put the tone on the first vowel of an open oa/oe/uy: Hóa, Thủy, Hòa.
_TONE_ON_SECOND = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\w\u0300-\u036f])")
# Marks the OCR of these documents never produces: text bearing them was typed.
_CLEAN_MARKS = set("\u0300\u0302\u0303\u0306\u0309\u031b\u0323")
_OCR_CHARS = str.maketrans({"€": "e", "¢": "e", "&": "a", "@": "a", "$": "s"})
_DIGIT_AS_LETTER = {"0": "o", "1": "l", "3": "a", "4": "a", "5": "s", "6": "o", "8": "b"}
_DIGIT_IN_WORD = re.compile(r"(?<=[a-z])[0134568]|[0134568](?=[a-z])")
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
    nfd = _TONE_ON_SECOND.sub(r"\1\3\2", unicodedata.normalize("NFD", text.translate(_D_LOOKALIKES)))
    return " ".join(unicodedata.normalize("NFC", nfd).split())


def proper_case(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in official_spelling(text).split())


def fold(text: str) -> str:
    """Lower-case ASCII words: no diacritics, OCR symbols and digits read as letters."""
    s = unidecode(text.translate(_D_LOOKALIKES).translate(_OCR_CHARS)).lower()
    s = _DIGIT_IN_WORD.sub(lambda m: _DIGIT_AS_LETTER[m.group()], s)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def canon(text: str) -> str:
    return _P_FOR_D.sub("d", fold(text).translate(_CANON_CHARS))


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
    ("commune", "Thị trấn", r"thị trấn|thi\s*tran|t\.?t"),
    ("district", "Huyện", r"huyện|huyen|h"),
    ("commune", "Phường", r"phường|phuong|phudng|phwong|ph|p"),
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


def _segments(text: str) -> list[str]:
    parts = []
    for chunk in re.split(r"[()\[\]]", official_spelling(text)):
        for piece in re.split(r"[,;]|\s[-–]\s", chunk):
            if m := _UBND.match(_lite(piece)):
                piece = piece[m.end():]
            cuts = [0] + [m.end() for m in _INNER_TYPE.finditer(_lite(piece))] + [len(piece)]
            parts += [piece[a:b].strip(_PUNCT) for a, b in zip(cuts, cuts[1:])]
    return [p for p in parts if fold(p)]


# ---------------------------------------------------------------- units and results


@dataclass(frozen=True)
class Unit:
    code: str
    name: str  # with its type: "Xã Quảng Lưu", "Huyện Quảng Xương"
    short: str
    type: str
    district_code: str  # a district's own code for a district
    district: str = ""  # for a commune, its district's contract name
    successor: str = ""
    successor_code: str = ""
    successor_split: bool = False

    @property
    def contract_name(self) -> str:
        """The name the output contract wants: bare for a huyện, typed otherwise."""
        return self.short if self.type == "Huyện" else self.name


@dataclass(frozen=True)
class Match:
    """A name resolved to a unit (score 0-100), or kept as written (unit None, score 0)."""

    raw: str
    written: str  # the name as written, cleaned, with its type: what is kept when unresolved
    unit: Unit | None
    score: float
    needs_review: bool
    note: str = ""
    candidates: tuple[Unit, ...] = ()

    @property
    def name(self) -> str:
        return self.unit.contract_name if self.unit else self.written


@dataclass(frozen=True)
class Locality:
    district: str
    commune: str
    district_code: str
    commune_code: str
    score: float
    needs_review: bool
    note: str
    district_raw: str
    commune_raw: str
    successor_commune: str = ""
    successor_code: str = ""


def _listing(units, scores=(), where: bool = True) -> str:
    return ", ".join(
        f"{u.name}{f' in {u.district}' if where and u.district else ''}"
        f" ({u.code}{f', {scores[i]:.0f}' if scores else ''})" for i, u in enumerate(units))


def _restore_syllables(written: str, near: list) -> str:
    """OCR lost the marks of an unknown name: take them back from the syllables of
    close known names ("Thiéu Chung" beside Thiệu Trung → "Thiệu Chung")."""
    known = {fold(w): w for u in near for w in u.short.split()}
    words = written.split()
    return " ".join(w if i == 0 and w in ("Xã", "Phường") else known.get(fold(w), w) for i, w in enumerate(words))


class _Index:
    """Canonical keys of one scope (the districts, or the communes of one district)."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys  # unit code -> key
        self.exact: dict[str, list[str]] = {}
        self.frames: dict[str, list[str]] = {}
        for code, key in keys.items():
            self.exact.setdefault(key, []).append(code)
            self.frames.setdefault(skeleton(key), []).append(code)


# ---------------------------------------------------------------- the gazetteer


class Gazetteer:
    """One province's units with their keys computed once; lookups are memoised."""

    def __init__(self, rows: list[dict]) -> None:
        self.districts: dict[str, Unit] = {}
        self.communes: dict[str, Unit] = {}
        for r in rows:
            dc = r["district_code"]
            if dc not in self.districts:
                self.districts[dc] = Unit(dc, r["district"], r["district_short"], r["district_type"], dc)
            self.communes[r["commune_code"]] = Unit(
                r["commune_code"], r["commune"], r["commune_short"], r["commune_type"], dc,
                self.districts[dc].contract_name, r["successor_commune"], r["successor_code"],
                r["successor_split"].strip().lower() == "true")
        self._districts = _Index({c: canon(u.short) for c, u in self.districts.items()})
        keys: dict[str, dict[str, str]] = {"": {}}  # district code ("" for all) -> code -> key
        for u in self.communes.values():
            keys.setdefault(u.district_code, {})[u.code] = keys[""][u.code] = canon(u.short)
        self._scopes = {scope: _Index(k) for scope, k in keys.items()}
        # The name and district a unit bore in 2025 before July (Thanh Hóa: from 1 Jan 2025).
        self._later: dict[tuple[str, str], list[Unit]] = {}
        by_name = {u.name: c for c, u in self.districts.items()}
        for r in rows:
            if r.get("unit_2025_06") and (r["unit_2025_06"], r["district_2025_06"]) != (r["commune"], r["district"]):
                k = canon(split_type(r["unit_2025_06"])[2])
                for scope in (by_name.get(r["district_2025_06"], "?"), ""):
                    self._later.setdefault((scope, k), []).append(self.communes[r["commune_code"]])
        self._cache: dict[tuple, object] = {}

    @classmethod
    def load(cls, province: str = DEFAULT_PROVINCE, path: Path | None = None) -> Gazetteer:
        with open(path or DATA_DIR / f"gazetteer_{province}.csv", encoding="utf-8", newline="") as fh:
            return cls(list(csv.DictReader(fh)))

    def _memo(self, key: tuple, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def resolve_district(self, name: str, *, garbled: bool | None = None) -> Match:
        return self._memo(("d", name, garbled), lambda: self._resolve(name, "district", "", garbled))

    def resolve_commune(self, name: str, *, district: str | None = None, garbled: bool | None = None) -> Match:
        """district: a code or a name; garbled: the text is OCR output (None: guess)."""
        def compute() -> Match:
            d = self.districts.get(district or "") or (self.resolve_district(district).unit if district else None)
            m = self._resolve(name, "commune", d.code if d else "", garbled)
            if district and d is None:
                m = replace(m, needs_review=True, note=f"district {district!r} not recognised; {m.note}".strip("; "))
            return m
        return self._memo(("c", name, district, garbled), compute)

    def parse_locality(self, text: str, *, garbled: bool | None = None) -> Locality:
        return self._memo(("l", text, garbled), lambda: self._parse_locality(text, garbled))

    # -- matching

    def _resolve(self, raw: str, level: str, scope: str, garbled: bool | None, typed: bool | None = None) -> Match:
        got, label, name = split_type(raw)
        label = label if got == level else ""
        written = self._written(name, label or ("Xã" if level == "commune" else ""))
        index = self._districts if level == "district" else self._scopes.get(scope, _Index({}))
        q, whole = canon(name), canon(raw)
        if not q:
            return Match(raw, written, None, 0.0, True, "empty name")
        if q not in index.exact and whole in index.exact:  # "Phuong Nghi" is Xã Phượng Nghi
            q, name, label, written = whole, raw, "", self._written(raw, "Xã" if level == "commune" else "")
        unit = self.districts.get if level == "district" else self.communes.get
        clean = looks_clean(name) if garbled is None else not garbled
        typed = clean if typed is None else typed
        if q in index.exact:
            return self._pick(raw, written, name, label, [unit(c) for c in index.exact[q]], scope, typed)
        if level == "commune" and (scope, q) in self._later:
            m = self._pick(raw, written, name, label, self._later[(scope, q)], scope, typed)
            return replace(m, note=f"{written} is a 2025 name (before July); in 2024: {m.unit.name}, "
                                   f"{m.unit.district}") if m.unit else m
        if not clean:
            if m := self._read_garbled(raw, written, name, q, index, unit):
                return m
        return self._unknown(raw, written, q, index, unit, level, scope)

    def _read_garbled(self, raw, written, name, q, index, unit) -> Match | None:
        # OCR mangles the vowels of a syllable and keeps its onset and coda: the one
        # unit with the same consonant frame and a close spelling is what was printed.
        # Levenshtein, not Indel: "Ven" is as far from "Vận" as from "Viên", so it stays open.
        frame = index.frames.get(skeleton(q), ())
        ranked = sorted(((100 * Levenshtein.normalized_similarity(q, index.keys[c]), c) for c in frame),
                        reverse=True)
        if not ranked or ranked[0][0] < READ_MIN:
            return None
        if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < MARGIN:
            units = tuple(unit(c) for _, c in ranked[:3])
            return Match(raw, written, None, 0.0, True, f"{name!r} could be any of: {_listing(units)}", units)
        best = unit(ranked[0][1])
        return Match(raw, written, best, round((ranked[0][0] + 100) / 2, 1), False,
                     f"read {name!r} as {best.name}", (best,))

    def _unknown(self, raw, written, q, index, unit, level, scope) -> Match:
        shortlist = process.extract(q, index.keys, scorer=fuzz.ratio, limit=12, score_cutoff=50)
        ranked = sorted(((closeness(q, k), c) for k, _, c in shortlist), reverse=True)[:3]
        close = [(unit(c), s) for s, c in ranked if s >= 60]
        note = "not in gazetteer"
        if close:
            where = f" in {self.districts[scope].contract_name}" if scope else ""
            note += f"; closest{where}: " + _listing([u for u, _ in close], [s for _, s in close], not scope)
        if scope and level == "commune" and q in self._scopes[""].exact:
            note += "; exists in another district: " + _listing([unit(c) for c in self._scopes[""].exact[q]])
        if close and not looks_clean(raw):
            written = _restore_syllables(written, [u for u, _ in close])
        return Match(raw, written, None, 0.0, True, note, tuple(u for u, _ in close))

    def _pick(self, raw, written, name, label, units, scope, typed) -> Match:
        if len(units) > 1 and label and (scope or units[0].district_code == units[0].code):
            units = [u for u in units if u.type == label] or units
        spelled = official_spelling(name).lower()
        if len(units) > 1 and typed:  # "Hoằng Quý" is not "Hoằng Quỳ", nor "Nga Thanh" "Nga Thành"
            units = [u for u in units if u.short.lower() == spelled] or units
        if len(units) == 1:
            u, notes = units[0], []
            if label and label != u.type:
                notes.append(f"written as {label}, gazetteer has {u.type}")
            if typed and looks_clean(name) and spelled != u.short.lower():
                notes.append(f"spelling differs: {name!r}")
            return Match(raw, written, u, 100.0, False, "; ".join(notes), (u,))
        where = f" in {self.districts[scope].contract_name}" if scope else ""
        hint = "" if scope or units[0].district_code == units[0].code else "; name the district to resolve it"
        kept = units[0].contract_name if len({u.name for u in units}) == 1 else written
        return Match(raw, kept, None, 0.0, True, f"ambiguous{where}: {_listing(units)}{hint}", tuple(units))

    @staticmethod
    def _written(name: str, label: str) -> str:
        return f"{label} {proper_case(name)}" if label and label != "Huyện" else proper_case(name)

    # -- whole headers

    def _parse_locality(self, text: str, garbled: bool | None) -> Locality:
        # A typed diacritic anywhere says the header was typed: "Nga Thanh" then means
        # Xã Nga Thanh, not Xã Nga Thành. Reading garbled text stays a per-name guess.
        typed = looks_clean(text) if garbled is None else not garbled
        segments = [(split_type(s)[0], s) for s in _segments(text)]
        d_raw = next((s for lvl, s in segments if lvl == "district"), "")
        c_raw = next((s for lvl, s in segments if lvl == "commune"), "")
        bare = [s for lvl, s in segments if lvl is None]
        if not d_raw and bare and (c_raw or len(bare) > 1):
            d_raw = bare.pop(0)  # "Quảng Xương (xã Quảng Lưu)": the untyped one is the district
        if not c_raw and bare:
            c_raw = bare.pop(0)
        if c_raw and not d_raw and split_type(c_raw)[0] is None:
            as_district = self.resolve_district(c_raw, garbled=garbled)
            if as_district.unit and as_district.score >= 90:
                d_raw, c_raw = c_raw, ""
        dm = self._resolve(d_raw, "district", "", garbled, typed) if d_raw else None
        scope = dm.unit.code if dm and dm.unit else ""
        cm = self._resolve(c_raw, "commune", scope, garbled, typed) if c_raw else None
        return self._locality(dm, cm, d_raw, c_raw)

    def _locality(self, dm: Match | None, cm: Match | None, d_raw: str, c_raw: str) -> Locality:
        parts = [(p, m) for p, m in (("district", dm), ("commune", cm)) if m]
        note = "; ".join(f"{p}: {m.note}" for p, m in parts if m.note)
        district, dcode = (dm.name, dm.unit.code if dm.unit else "") if dm else ("", "")
        commune = ccode = succ = succ_code = ""
        if cm:
            commune = cm.name
            if cm.unit:
                ccode, succ, succ_code = cm.unit.code, cm.unit.successor, cm.unit.successor_code
                if dcode != cm.unit.district_code:  # found alone, or under its 2025 district
                    home = self.districts[cm.unit.district_code]
                    district, dcode = home.contract_name, home.code
        return Locality(district, commune, dcode, ccode, min((m.score for _, m in parts), default=0.0),
                        any(m.needs_review for _, m in parts), note, d_raw, c_raw, succ, succ_code)


# ---------------------------------------------------------------- module-level API


@functools.lru_cache(maxsize=None)
def gazetteer(province: str = DEFAULT_PROVINCE) -> Gazetteer:
    return Gazetteer.load(province)


def parse_locality(text: str, *, garbled: bool | None = None, province: str = DEFAULT_PROVINCE) -> Locality:
    return gazetteer(province).parse_locality(text, garbled=garbled)


def resolve_commune(name: str, *, district: str | None = None, garbled: bool | None = None,
                    province: str = DEFAULT_PROVINCE) -> Match:
    return gazetteer(province).resolve_commune(name, district=district, garbled=garbled)


def resolve_district(name: str, *, garbled: bool | None = None, province: str = DEFAULT_PROVINCE) -> Match:
    return gazetteer(province).resolve_district(name, garbled=garbled)
