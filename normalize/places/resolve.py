"""Resolve one district or commune name, as a report writes it, to an official unit.

A name that is not in the gazetteer, or that fits several units, is kept as written
and flagged for review, never silently replaced. A commune's name is read first against
the generation of units in force when its document was written (``Dating``), then
against the other, whose use is noted.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from normalize.places.dating import AS_BEFORE, NEW, OLD, Dating
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
                    year: int | None = None, date: datetime.date | None = None, when: Dating | None = None,
                    province: str = DEFAULT_PROVINCE) -> Match:
    """district: a 2024 district's code or name; garbled: the text is OCR output (None: guess);
    year, date: the document's, or ``when`` (a reader's ``Dating.of_document``), which say
    the generation of units tried first (none: the 2024 units, as before the reform)."""
    return commune_match(gazetteer(province), name, district, garbled, when or Dating(year, date))


def district_match(gz: Gazetteer, name: str, garbled: bool | None) -> Match:
    return gz.memo(("d", name, garbled), lambda: resolve(gz, name, "district", "", garbled))


def commune_match(gz: Gazetteer, name: str, district: str | None, garbled: bool | None,
                  when: Dating = AS_BEFORE) -> Match:
    def compute() -> Match:
        d = gz.districts.get(district or "") or (district_match(gz, district, None).unit if district else None)
        m = resolve_dated(gz, name, d.code if d else "", garbled, None, when)
        if district and d is None:
            m = replace(m, needs_review=True, note=f"district {district!r} not recognised; {m.note}".strip("; "))
        return m
    return gz.memo(("c", name, district, garbled, when.key), compute)


def resolve(gz: Gazetteer, raw: str, level: str, scope: str, garbled: bool | None,
            typed: bool | None = None, generation: str = OLD) -> Match:
    """``raw`` as a unit of ``level`` ("district" or "commune") within the district ``scope``
    ("" for the whole province) among the units of ``generation`` (a 2025 commune has no
    district: its scope is the province); typed: a spelling difference is real (None: guess)."""
    got, label, name = split_type(raw)
    label = label if got == level else ""
    written = _written(name, label or ("Xã" if level == "commune" else ""))
    if generation == NEW:
        scope = ""
    index = gz.district_index if level == "district" else (
        gz.index_2025 if generation == NEW else gz.commune_indexes.get(scope, NO_UNITS))
    q, whole = canon(name), canon(raw)
    if not q:
        return Match(raw, written, None, 0.0, True, "empty name")
    if q not in index.exact and whole in index.exact:  # "Phuong Nghi" is Xã Phượng Nghi
        q, name, label, written = whole, raw, "", _written(raw, "Xã" if level == "commune" else "")
    unit = gz.districts.get if level == "district" else gz.units(generation).get
    clean = looks_clean(name) if garbled is None else not garbled
    typed = clean if typed is None else typed
    if q in index.exact:
        return _pick(gz, raw, written, name, label, [unit(c) for c in index.exact[q]], scope, typed)
    if level == "commune" and generation == OLD and (scope, q) in gz.names_2025:
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


# ---------------------------------------------------------------- two generations


def resolve_dated(gz: Gazetteer, raw: str, scope: str, garbled: bool | None, typed: bool | None,
                  when: Dating) -> Match:
    """``raw`` as a commune of the generation ``when`` tries first, else of the other;
    ``scope``: the 2024 district it is written with (its header's, its document's), or ""."""
    m = resolve(gz, raw, "commune", scope, garbled, typed, when.first)
    if m.unit is None:
        return _fallback(gz, m, raw, scope, garbled, typed, when)
    if by_type := _typed_as_other(gz, m, raw, scope, garbled, typed, when):
        return by_type
    if m.unit.generation == NEW and scope and not gz.took_over_in(m.unit, scope):
        # A 2025 unit has no district: a name written with one that the 2025 unit of
        # that name lies outside of speaks of that district's own 2024 commune.
        old = resolve(gz, raw, "commune", scope, garbled, typed, OLD)
        if old.unit:
            return _other_generation(gz, old, when)
        where = gz.districts[scope].contract_name
        return replace(m, needs_review=True, note=_join(m.note, f"written with {where}, none of whose communes "
                                                                f"{m.unit.name} took over"))
    return _homonym(gz, m, scope, when)


def _fallback(gz: Gazetteer, m: Match, raw: str, scope: str, garbled: bool | None, typed: bool | None,
              when: Dating) -> Match:
    """The other generation's unit for a name the first does not know; ``m`` (kept as
    written) when it is ambiguous there, another district's, or unknown in both."""
    if not m.note.startswith("not in gazetteer") or "exists in another district" in m.note:
        return m  # a question of the document's own generation
    alt = resolve(gz, raw, "commune", scope, garbled, typed, OLD if when.first == NEW else NEW)
    return m if alt.unit is None else _other_generation(gz, alt, when, scope)


def _typed_as_other(gz: Gazetteer, m: Match, raw: str, scope: str, garbled: bool | None, typed: bool | None,
                    when: Dating) -> Match | None:
    """The other generation's unit when the type written is its and not the first's: a 2026
    report's "thị trấn Thường Xuân" is the town of before the reform (no thị trấn is left
    after it), not Xã Thường Xuân. Not for a dated 2024 document, whose units are the old
    ones whatever the type: a "xã" for a thị trấn there is a slip, noted as such."""
    got, label, _ = split_type(raw)
    if got != "commune" or not label or label == m.unit.type or not (when.first == NEW or when.doubt):
        return None
    alt = resolve(gz, raw, "commune", scope, garbled, typed, OLD if m.unit.generation == NEW else NEW)
    if alt.unit is None or alt.unit.type != label:
        return None
    return _other_generation(gz, alt, when, scope)


def _other_generation(gz: Gazetteer, m: Match, when: Dating, scope: str = "") -> Match:
    """A unit of the generation the document's date does not point to: noted, and flagged
    when the document is dated (a 2026 report naming a commune merged in 2025 writes
    about history; its figure is the old commune's)."""
    u = m.unit
    named = f", named in {when.describe()}" if when.dated else ""
    if u.generation == OLD:
        after = gz.listing(u.successors, NEW) or "none recorded"
        note = f"{u.name} ({u.district}) is a commune of before 1 July 2025{named}; from then: {after}"
    else:
        note = f"{u.name} is a unit from 1 July 2025{named}; it took over {gz.listing(u.predecessors, OLD)}"
    flag = when.dated or m.score < 100  # a garbled reading of a unit the date does not point to: a guess
    if u.generation == NEW and scope and not gz.took_over_in(u, scope):
        flag, note = True, f"{note}; none of them in {gz.districts[scope].contract_name}"
    return replace(m, needs_review=m.needs_review or flag, note=_join(m.note, note))


def _homonym(gz: Gazetteer, m: Match, scope: str, when: Dating) -> Match:
    """``m`` flagged when its name means another unit in the other generation and the
    document's date does not say which (no date; a 2025 document without a month). A
    commune that went on unchanged is one place, no doubt; a district named settles it for
    the 2025 units that took over none of its communes."""
    if not when.doubt:
        return m
    u, key = m.unit, canon(m.unit.short)
    if u.generation == OLD:
        others = [gz.communes_2025[c] for c in gz.index_2025.exact.get(key, ())]
        others = [o for o in others if not gz.same_unit(u, o) and (not scope or gz.took_over_in(o, scope))]
        side = "from 1 July 2025"
    else:
        others = [gz.communes[c] for c in gz.commune_indexes.get(scope, NO_UNITS).exact.get(key, ())]
        others = [o for o in others if not gz.same_unit(o, u)]
        side = "before 1 July 2025"
    got, label, _ = split_type(m.raw)
    if got == "commune" and label == u.type:  # the type written tells them apart ("Thị trấn" is no 2025 type)
        others = [o for o in others if o.type == label]
    if not others:
        return m
    read = f"{u.name} ({u.code}{f', {u.district}' if u.district else ''})"
    note = f"{when.doubt}: read as {read} of the {u.generation} units; {side} the name means {_listing(others)}"
    return replace(m, needs_review=True, note=_join(m.note, note))


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


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
    # a type tells apart units of one scope: a district's, the districts, the 2025 units
    whole = units[0].district_code == units[0].code or units[0].generation == NEW
    if len(units) > 1 and label and (scope or whole):
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
    hint = "" if scope or whole else "; name the district to resolve it"
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
