"""The unit a row of a table of communes names (one row per unit, a column per indicator),
read with the document's dating: a total row is the figure of the whole it totals, and a
bare name that was a district before the reform is the new unit of that name after it."""
from __future__ import annotations

import re

from normalize.places.dating import NEW, OLD, Dating
from normalize.places.gazetteer import gazetteer
from normalize.places.locality import Locality
from normalize.places.nearest import nearest_new
from normalize.readers.summary import _locality
from normalize.text.fold import fold_ocr

# "Toàn tỉnh", "Tổng cộng", "Cộng", "Cả huyện", "Cộng huyện Như Xuân": the row of the whole the
# table covers; the word alone or before a level, never a name that begins alike ("Công
# Chính", "Tống Sơn", which fold to the same letters).
_TOTAL_ROW = re.compile(r"^(toan|tong|cong|ca)( (cong|so))?( (tinh|huyen|thi xa|thanh pho)\b.*)?$")
# The whole it names: the province ("tỉnh"), or a district ("huyện", "thị xã", "thành phố").
_OF_PROVINCE = re.compile(r"\btinh\b")
_BRACKETS = re.compile(r"[()\[\]{}]")
_OF_DISTRICT = re.compile(r"\b(huyen|thi xa|thanh pho)\b")


def row_locality(label: str, hint: str, when: Dating, ocr: bool = False) -> tuple[Locality, str]:
    """(the row's locality, a doubt about it or ""). ``hint``: the code of the document's
    district, if it names one; ``ocr``: the label was read from an image (only then is a name
    no unit is spelled as read as the closest unit: a typed name is as its writer typed it)."""
    key = fold_ocr(" ".join(label.split())).strip()
    if _TOTAL_ROW.match(key):
        return _total(label, key, hint, when)
    if key in ("tinh", "huyen"):  # "Toàn tỉnh" whose first word the OCR lost: no unit's name
        loc, _ = _total(label, f"toan {key}", hint, when)
        return loc, f"{label!r} alone in the column of units: read as the total row (its first word unread?)"
    loc = _locality(label, hint, when)
    if not loc.commune_code and not loc.district_code:
        if key.split()[:1] == ["toan"]:  # "Toàn ttah": no unit's name begins so (gazetteer_thanh_hoa*.csv)
            loc, doubt = _total(label, "toan", hint, when)
            return loc, "; ".join(n for n in (f"{label!r} read as the total row (its second word misread?)", doubt) if n)
        if ocr and when.first == NEW:
            loc = _nearest(label, loc)
    if loc.commune or not loc.district:
        return loc, ""
    # A bare name that is a district's: after the reform a district no longer exists,
    # and ``parse_locality`` has already preferred the new unit of that name when there
    # is one (a document dated before it reads the old district's town).
    # a huyện's name is bare, and so its town's
    town = _locality(f"{loc.district} (thị trấn {loc.district})", hint, when)
    if town.commune and town.unit_generation == OLD:
        return town, f"{label!r} in a row of communes read as the town of that name; it could be the district's total"
    return loc, f"{label!r} in a row of communes names a district: a district-level figure?"


def _nearest(label: str, loc: Locality) -> Locality:
    """A row name of a document after the reform that no unit is spelled as: the 2025 unit it
    most likely is (``nearest_new``), flagged with why; ``loc`` (unresolved) when none is clearly it."""
    near = nearest_new(gazetteer(), " ".join(_BRACKETS.sub(" ", label).split()))
    if near is None:
        return loc
    unit, why = near
    return Locality("", unit.name, "", unit.code, 50.0, True, f"commune: {why}", "", label, unit_generation=NEW)


def _total(label: str, key: str, hint: str, when: Dating) -> tuple[Locality, str]:
    """A total row: the province's own figure (district and commune empty) when it says
    "tỉnh" or the document is after the reform (no district is left to total); the
    district's when it names one and the document has one; else the province's, flagged."""
    province = Locality("", "", "", "", 100.0, False, "", "", "")
    if _OF_PROVINCE.search(key) or (when.first == NEW and not _OF_DISTRICT.search(key)):
        return province, ""
    if hint:
        d = _locality(label, hint, when)  # a name in it ("Cộng huyện Như Xuân") or the hint's district
        if not d.district:
            unit = gazetteer().districts.get(hint)
            if unit is not None:
                return Locality(unit.contract_name, "", unit.code, "", 100.0, False, "", label, "",
                                unit_generation=OLD), ""
        elif not d.commune:
            return d, ""
    return province, f"total row {label!r}: read as the province's figure, the table names no district"
