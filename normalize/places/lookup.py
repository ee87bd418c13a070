"""A locality as a user types it → the row ``chitieu places`` prints."""
from __future__ import annotations

from normalize.places.dating import NEW, Dating
from normalize.places.locality import parse_locality
from normalize.places.resolve import resolve_commune, resolve_district


def locality_row(text: str, district: str | None = None, year: int | None = None) -> tuple[list[str], bool]:
    """District, district code, commune, commune code, 2025 successor, successor code and
    note of ``text``; and whether it needs a human look (unknown or ambiguous). ``year``:
    resolve as a document of that year would; without it, as a document that gives no
    date: the 2024 units first, a name that means another unit from 1 July 2025 flagged."""
    when = Dating(year) if year is not None else Dating(undated=True)
    if "(" in text and not district:
        loc = parse_locality(text, when=when)
        note = _generation_note(loc.unit_generation == NEW and bool(loc.commune_code), loc.note)
        return [loc.district, loc.district_code, loc.commune, loc.commune_code,
                loc.successor_commune, loc.successor_code, note], loc.needs_review
    m = resolve_commune(text, district=district, when=when)
    if m.unit is None and not district and resolve_district(text).unit is not None:
        d = resolve_district(text)
        return [d.name, d.unit.code, "", "", "", "", d.note], d.needs_review
    if m.unit is None:
        return ["", "", m.name, "", "", "", m.note], m.needs_review
    u = m.unit
    note = _generation_note(u.generation == NEW, m.note)
    return [u.district, u.district_code, u.contract_name, u.code, u.successor, u.successor_code, note], m.needs_review


def _generation_note(new: bool, note: str) -> str:
    """The note, saying so when the unit is one of 1 July 2025: its code may be a 2024
    unit's too (14797: Phường Đông Hải, then Phường Hạc Thành)."""
    if not new or "from 1 July 2025" in note:
        return note
    return "; ".join(n for n in ("a unit from 1 July 2025 (no district)", note) if n)
