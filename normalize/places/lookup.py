"""A locality as a user types it → the row ``chitieu places`` prints."""
from __future__ import annotations

from normalize.places.locality import parse_locality
from normalize.places.resolve import resolve_commune, resolve_district


def locality_row(text: str, district: str | None = None) -> tuple[list[str], bool]:
    """District, district code, commune, commune code, 2025 successor, successor code and
    note of ``text``; and whether it needs a human look (unknown or ambiguous)."""
    if "(" in text and not district:
        loc = parse_locality(text)
        return [loc.district, loc.district_code, loc.commune, loc.commune_code,
                loc.successor_commune, loc.successor_code, loc.note], loc.needs_review
    m = resolve_commune(text, district=district)
    if m.unit is None and not district and resolve_district(text).unit is not None:
        d = resolve_district(text)
        return [d.name, d.unit.code, "", "", "", "", d.note], d.needs_review
    if m.unit is None:
        return ["", "", m.name, "", "", "", m.note], m.needs_review
    u = m.unit
    return [u.district, u.district_code, u.contract_name, u.code, u.successor, u.successor_code, m.note], m.needs_review
