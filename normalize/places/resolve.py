"""Resolve one district or commune name, as a report writes it, to an official unit.

A name that is not in the gazetteer, or that fits several units, is kept as written
and flagged for review, never silently replaced.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from normalize.places.gazetteer import DEFAULT_PROVINCE, Gazetteer, NameIndex, Unit, gazetteer
from normalize.places.names import canon, closeness, looks_clean, official_spelling, proper_case, skeleton, split_type
from normalize.text.fold import fold

READ_MIN = 75.0  # similarity from which garbled text is read as the unit of the same frame
MARGIN = 5.0  # the runner-up of the same frame must trail by this much
NO_UNITS = NameIndex({})  # the empty index: a scope with no communes known


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


def resolve_district(name: str, *, garbled: bool | None = None, province: str = DEFAULT_PROVINCE) -> Match:
    return district_match(gazetteer(province), name, garbled)


def resolve_commune(name: str, *, district: str | None = None, garbled: bool | None = None,
                    province: str = DEFAULT_PROVINCE) -> Match:
    """district: a code or a name; garbled: the text is OCR output (None: guess)."""
    return commune_match(gazetteer(province), name, district, garbled)


def district_match(gz: Gazetteer, name: str, garbled: bool | None) -> Match:
    return gz.memo(("d", name, garbled), lambda: resolve(gz, name, "district", "", garbled))


def commune_match(gz: Gazetteer, name: str, district: str | None, garbled: bool | None) -> Match:
    def compute() -> Match:
        d = gz.districts.get(district or "") or (district_match(gz, district, None).unit if district else None)
        m = resolve(gz, name, "commune", d.code if d else "", garbled)
        if district and d is None:
            m = replace(m, needs_review=True, note=f"district {district!r} not recognised; {m.note}".strip("; "))
        return m
    return gz.memo(("c", name, district, garbled), compute)


def resolve(gz: Gazetteer, raw: str, level: str, scope: str, garbled: bool | None,
            typed: bool | None = None) -> Match:
    """``raw`` as a unit of ``level`` ("district" or "commune") within the district ``scope``
    ("" for the whole province); typed: a spelling difference is real (None: guess)."""
    got, label, name = split_type(raw)
    label = label if got == level else ""
    written = _written(name, label or ("Xã" if level == "commune" else ""))
    index = gz.district_index if level == "district" else gz.commune_indexes.get(scope, NO_UNITS)
    q, whole = canon(name), canon(raw)
    if not q:
        return Match(raw, written, None, 0.0, True, "empty name")
    if q not in index.exact and whole in index.exact:  # "Phuong Nghi" is Xã Phượng Nghi
        q, name, label, written = whole, raw, "", _written(raw, "Xã" if level == "commune" else "")
    unit = gz.districts.get if level == "district" else gz.communes.get
    clean = looks_clean(name) if garbled is None else not garbled
    typed = clean if typed is None else typed
    if q in index.exact:
        return _pick(gz, raw, written, name, label, [unit(c) for c in index.exact[q]], scope, typed)
    if level == "commune" and (scope, q) in gz.names_2025:
        m = _pick(gz, raw, written, name, label, gz.names_2025[(scope, q)], scope, typed)
        return replace(m, note=f"{written} is a 2025 name (before July); in 2024: {m.unit.name}, "
                               f"{m.unit.district}") if m.unit else m
    if codes := _letter_spaced(q, index):
        m = _pick(gz, raw, written, name, label, [unit(c) for c in codes], scope, False)
        return replace(m, note=f"letter-spaced {name!r} read as {m.unit.name}" if m.unit else m.note)
    if not clean:
        if m := _read_garbled(raw, written, name, q, index, unit):
            return m
    return _unknown(gz, raw, written, q, index, unit, level, scope)


def _letter_spaced(q: str, index: NameIndex) -> list[str]:
    """The units whose key is ``q`` with its spaces removed, when ``q`` is letter-spaced.

    Justified text spreads a name's letters ("T h à nh M in h") and the text layer
    cuts it into words where the gaps widened; a one-letter piece that is no
    Vietnamese syllable of a name ("t", "h") says so. Spelled the same but for the
    spaces, it is that unit; two that differ only by their marks stay ambiguous, flagged."""
    pieces = q.split()
    if not any(len(t) == 1 and t not in "ay" for t in pieces) or len(pieces) < 3:
        return []
    flat = q.replace(" ", "")
    return [c for c, k in index.keys.items() if k.replace(" ", "") == flat]


def _read_garbled(raw, written, name, q, index, unit) -> Match | None:
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


def _unknown(gz, raw, written, q, index, unit, level, scope) -> Match:
    shortlist = process.extract(q, index.keys, scorer=fuzz.ratio, limit=12, score_cutoff=50)
    ranked = sorted(((closeness(q, k), c) for k, _, c in shortlist), reverse=True)[:3]
    close = [(unit(c), s) for s, c in ranked if s >= 60]
    note = "not in gazetteer"
    if close:
        where = f" in {gz.districts[scope].contract_name}" if scope else ""
        note += f"; closest{where}: " + _listing([u for u, _ in close], [s for _, s in close], not scope)
    everywhere = gz.commune_indexes[""]
    if scope and level == "commune" and q in everywhere.exact:
        note += "; exists in another district: " + _listing([unit(c) for c in everywhere.exact[q]])
    if close and not looks_clean(raw):
        written = _restore_syllables(written, [u for u, _ in close])
    return Match(raw, written, None, 0.0, True, note, tuple(u for u, _ in close))


def _pick(gz, raw, written, name, label, units, scope, typed) -> Match:
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
    where = f" in {gz.districts[scope].contract_name}" if scope else ""
    hint = "" if scope or units[0].district_code == units[0].code else "; name the district to resolve it"
    kept = units[0].contract_name if len({u.name for u in units}) == 1 else written
    return Match(raw, kept, None, 0.0, True, f"ambiguous{where}: {_listing(units)}{hint}", tuple(units))


def _written(name: str, label: str) -> str:
    return f"{label} {proper_case(name)}" if label and label != "Huyện" else proper_case(name)


def _listing(units, scores=(), where: bool = True) -> str:
    return ", ".join(
        f"{u.name}{f' in {u.district}' if where and u.district else ''}"
        f" ({u.code}{f', {scores[i]:.0f}' if scores else ''})" for i, u in enumerate(units))


def _restore_syllables(written: str, near: list) -> str:
    """OCR lost the marks of an unknown name: take them back from the syllables of
    close known names ("Thiéu Chung" beside Thiệu Trung → "Thiệu Chung")."""
    known = {fold(w, misreads=True): w for u in near for w in u.short.split()}
    words = written.split()
    return " ".join(w if i == 0 and w in ("Xã", "Phường") else known.get(fold(w, misreads=True), w)
                    for i, w in enumerate(words))
