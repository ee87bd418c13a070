"""Resolve a locality header as reports write it ("Quing Xwong (xa Quing Luu)") to
its district and commune: a 2024 commune with its district, or a 2025 commune or ward,
which has none, as the document's date says (``normalize.places.dating``)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from normalize.places.dating import AS_BEFORE, NEW, OLD, Dating
from normalize.places.gazetteer import DEFAULT_PROVINCE, Gazetteer, gazetteer
from normalize.places.garbled import read_garbled_header
from normalize.places.near import near_in_district
from normalize.places.names import canon, looks_clean, official_spelling, segments, split_type
from normalize.places.wrapped import unwrap
from normalize.places.resolve import NO_UNITS, Match, district_match, resolve, resolve_dated


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
    unit_generation: str = ""  # of the unit resolved (the commune's, else the district's); "" for none


def parse_locality(text: str, *, garbled: bool | None = None, province: str = DEFAULT_PROVINCE,
                   district: str = "", year: int | None = None, date: datetime.date | None = None,
                   when: Dating | None = None, ocr: bool = False) -> Locality:
    """``district``: the code of the district the document is about (its title's), where
    a commune named alone is looked for first (a name several districts have); ``year``,
    ``date`` or ``when``: the document's, as for ``resolve_commune``; ``ocr``: the header was
    read from an image, so a commune's name no unit is spelled as may be the OCR's garbling
    of its district's closest (``read_garbled_header``, flagged); a typed one is kept as written."""
    gz = gazetteer(province)
    when = when or Dating(year, date)
    text = unwrap(text)  # a header wrapped inside a word ("Tân Pho" / "ng)"), or read apart ("Pho ng")
    return gz.memo(("l", text, garbled, district, when.key, ocr),
                   lambda: _parse(gz, text, garbled, district, when, ocr))


def _parse(gz: Gazetteer, text: str, garbled: bool | None, hint: str = "", when: Dating = AS_BEFORE,
           ocr: bool = False) -> Locality:
    # A typed diacritic anywhere says the header was typed: "Nga Thanh" then means
    # Xã Nga Thanh, not Xã Nga Thành. Reading garbled text stays a per-name guess.
    typed = looks_clean(text) if garbled is None else not garbled
    parts = [(split_type(s)[0], s) for s in segments(text)]
    d_raw = next((s for lvl, s in parts if lvl == "district"), "")
    c_raw = next((s for lvl, s in parts if lvl == "commune"), "")
    bare = [s for lvl, s in parts if lvl is None]
    if not d_raw and bare and (c_raw or len(bare) > 1):
        d_raw = bare.pop(0)  # "Quảng Xương (xã Quảng Lưu)": the untyped one is the district
    if not c_raw and bare:
        c_raw = bare.pop(0)
    if c_raw and not d_raw and split_type(c_raw)[0] is None and not _new_unit(gz, c_raw, garbled, typed, when):
        as_district = district_match(gz, c_raw, garbled)
        if as_district.unit and as_district.score >= 90 and not _commune_spelled_so(
                gz, c_raw, as_district, hint, garbled, typed, when):
            d_raw, c_raw = c_raw, ""
    if c_raw and not d_raw and hint in gz.districts:
        cm = resolve_dated(gz, c_raw, hint, garbled, typed, when)
        if cm.unit and cm.score >= 100:  # the document's district has it, spelled so: that is the one
            # (a garbled reading resolved in the hint could be another district's exact name)
            return _locality(gz, None, _also_a_district(gz, cm, c_raw, garbled), d_raw, c_raw)
    dm = resolve(gz, d_raw, "district", "", garbled, typed) if d_raw else None
    scope = dm.unit.code if dm and dm.unit else ""
    cm = resolve_dated(gz, c_raw, scope, garbled, typed, when) if c_raw else None
    if cm and cm.unit is None and scope and text.count("(") > text.count(")"):
        cm = _cut_short(gz, cm, c_raw, scope) or cm
    if ocr and cm and cm.unit is None and not d_raw and hint in gz.districts and when.first == OLD:
        cm = near_in_district(gz, c_raw, hint) or cm  # a name the OCR damaged, of the document's district
    if ocr and cm and cm.unit is None and when.first == OLD:  # garbled further: the closest of its district's, flagged
        dm, cm = read_garbled_header(gz, d_raw, c_raw, dm, hint) or (dm, cm)
    return _locality(gz, dm, cm, d_raw, c_raw)


def _commune_spelled_so(gz: Gazetteer, name: str, as_district: Match, hint: str, garbled: bool | None,
                        typed: bool, when: Dating) -> bool:
    """Whether a typed bare name that folds to a district's is a commune's as spelled: "Hạ
    Trung" in a table of Bá Thước's communes is its Xã Hạ Trung, not the district Hà Trung
    (the district's exact name, "Hà Trung", stays the district's, its town or its total), and
    so is a district's exact name when the document's district is another one, with a commune
    of that very spelling ("Đông Sơn" in Bỉm Sơn's table is its Phường Đông Sơn, v0014 of
    make_variants --n 30 --seed 40000 --kinds scan)."""
    if not typed or hint not in gz.districts:
        return False  # without the document's district, a mark misread ("Thiệu Hòa") stays the district's
    spelled = official_spelling(name).lower()
    m = resolve_dated(gz, name, hint, garbled, typed, when)
    if spelled != as_district.unit.short.lower():
        return m.score >= 100
    return as_district.unit.code != hint and m.unit is not None and m.score >= 100 and m.unit.short.lower() == spelled


def _also_a_district(gz: Gazetteer, cm: Match, name: str, garbled: bool | None) -> Match:
    """``cm`` flagged when ``name`` is also a district's own name, spelled so: a commune of the
    document's district is likelier, but the row could be that district's figure."""
    d = district_match(gz, name, garbled) if split_type(name)[0] is None else None
    if d is None or d.unit is None or official_spelling(name).lower() != d.unit.short.lower():
        return cm
    note = f"{name!r} is also the name of the district {d.unit.contract_name}: read as {cm.unit.name}"
    return replace(cm, needs_review=True, note="; ".join(n for n in (cm.note, note) if n))


def _new_unit(gz: Gazetteer, name: str, garbled: bool | None, typed: bool, when: Dating) -> bool:
    """Whether a bare name of a document after the reform is a 2025 unit's, spelled so: then
    it is that commune, not the 2024 district it may share its name with ("Thọ Xuân")."""
    return when.first == NEW and resolve(gz, name, "commune", "", garbled, typed, NEW).score >= 100


def _cut_short(gz: Gazetteer, cm: Match, c_raw: str, scope: str) -> Match | None:
    """A header whose bracket never closes lost its last line ("Nông Cống (xã Thăng" for
    "… Thăng / Long)", the wrapped tail read into another row): the one commune of the
    district whose name begins with what is left, flagged with the reading."""
    _, label, name = split_type(c_raw)
    key = canon(name)
    if not key:
        return None
    units = [gz.communes[c] for c, k in gz.commune_indexes.get(scope, NO_UNITS).keys.items()
             if k.startswith(key + " ") and (not label or gz.communes[c].type == label)]
    if len(units) != 1:
        return None
    u = units[0]
    return replace(cm, unit=u, score=50.0, needs_review=True, candidates=(u,),
                   note=f"the header is cut short (its bracket never closes): {name!r} read as {u.name}")


def _locality(gz: Gazetteer, dm: Match | None, cm: Match | None, d_raw: str, c_raw: str) -> Locality:
    parts = [(p, m) for p, m in (("district", dm), ("commune", cm)) if m]
    note = "; ".join(f"{p}: {m.note}" for p, m in parts if m.note)
    district, dcode = (dm.name, dm.unit.code if dm.unit else "") if dm else ("", "")
    commune = ccode = succ = succ_code = ""
    generation = OLD if dm and dm.unit and not cm else ""
    if cm:
        commune = cm.name
        if cm.unit:
            ccode, succ, succ_code, generation = (cm.unit.code, cm.unit.successor, cm.unit.successor_code,
                                                  cm.unit.generation)
            if generation == NEW:  # a 2025 unit has no district, whichever the header names
                district, dcode = "", ""
            elif dcode != cm.unit.district_code:  # found alone, or under its 2025 district
                home = gz.districts[cm.unit.district_code]
                district, dcode = home.contract_name, home.code
    return Locality(district, commune, dcode, ccode, min((m.score for _, m in parts), default=0.0),
                    any(m.needs_review for _, m in parts), note, d_raw, c_raw, succ, succ_code, generation)


def names_generation(names, province: str = DEFAULT_PROVINCE) -> str:
    """The generation an undated document's place names point to: NEW when they name a unit
    only the 2025 generation has ("Thọ Long", made of five communes) and none that only the
    2024 one had, and no district ("Nga Sơn (xã Nga Liên)"); "" otherwise. A name both have,
    a bare former district's ("Yên Định"), or one read short of exact says nothing."""
    gz = gazetteer(province)
    new_only = old = 0
    for text in {" ".join(n.split()) for n in names if n and n.strip()}:
        parts = [(split_type(s)[0], split_type(s)[2]) for s in segments(text)]
        if any(level == "district" for level, _ in parts) or len(parts) > 1:
            old += 1  # a district named with its commune: the 2024 way of writing it
            continue
        key = canon(parts[0][1]) if parts else ""
        in_new, in_old = key in gz.index_2025.exact, key in gz.commune_indexes[""].exact
        new_only += in_new and not in_old and key not in gz.district_index.exact
        old += in_old and not in_new
    return NEW if new_only and not old else ""
