"""The reporting unit a document speaks for: "UBND huyện Thường Xuân báo cáo …".

A report names its unit in its letterhead ("UỶ BAN NHÂN DÂN / PHƯỜNG ĐÔNG HẢI"), in a
template's "Tên đơn vị: UBND xã …", in its title ("… trên địa bàn huyện Thường Xuân
năm 2024") and in the sentence that reports ("UBND huyện X báo cáo"). Other units
appear too (the city whose plan it answers, the province), so each mention is
weighted by where it stands, and the unit with the most weight wins. A commune is
resolved within the district the document names, when it names one, and among the
units in force at the document's date (``normalize.places.dating``).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from normalize.places.dating import AS_BEFORE, OLD, Dating
from normalize.places.locality import Locality
from normalize.places.resolve import resolve_commune, resolve_district
from normalize.text.fold import fold

HEADER_LINES = 12  # non-empty lines that make the letterhead and title
W_UNIT_FIELD = 20.0  # "Tên đơn vị: …"
W_HEADER = 10.0
W_REPORTS = 5.0  # "UBND huyện X báo cáo"
W_OTHER = 1.0
# Below this total, mentions are places the text talks about, not the unit reporting
# (a provincial deck lists its pilot districts many times, each once per sentence).
MIN_WEIGHT = W_REPORTS

# by their folded spelling: a scan's OCR drops or swaps diacritics ("UBND PHƯƠNG HAI THƯỢNG")
_TYPES = {"huyen": "district", "thi xa": "district", "thanh pho": "district", "tp": "district"}
_TYPE_RE = (r"(?i:huy[ệeêế]n|th[ịiì]\s+x[ãaà]|th[àa]nh\s+ph[ốoôồ]|tp\.?|th[ịiì]\s+tr[ấâa]n"
            r"|ph[ưu][ờơoòớ]ng|x[ãaà])")
# The words after a type; the name is their capitalised head ("Thường Xuân", "ĐÔNG HẢI").
_MENTION = re.compile(rf"(?<!\w)(?P<type>{_TYPE_RE})(?P<name>(?:\s+\S+){{1,4}})")
# ("cọng", "việt": the motto OCR runs into a letterhead's line; no commune of the province has them)
_NOT_A_NAME = {"năm", "ngày", "tháng", "về", "báo", "tỉnh", "cộng", "cọng", "việt", "huyện", "hội", "ubnd"}
_UNIT_FIELD = re.compile(r"(?i:tên\s+đơn\s+vị)\s*:?\s*(?P<rest>.+)")
_REPORTS_AFTER = re.compile(r"^\s*(?i:báo\s+cáo)")
# a letterhead's line begins with the unit: "UBND XÃ XUÂN DƯƠNG", "ỦY BAN NHÂN DÂN XÃ …", or the
# type and name alone ("PHƯỜNG ĐÔNG HẢI"); OCR may run the motto beside it into the same line
_LETTERHEAD = re.compile(r"^\s*(?i:ubnd|[uủ]y\s+ban\s+nh[âa]n\s+d[âa]n)\s*$")
# the unit a title reports on: "Kết quả triển khai … trên địa bàn xã Xuân Dương năm 2024"
_SUBJECT = re.compile(r"(?i:trên\s+địa\s+bàn)\s*$")


@dataclass(frozen=True)
class UnitMention:
    level: str  # district or commune
    name: str  # as written, with its type: "huyện Thường Xuân"
    weight: float
    letterhead: bool = False  # the unit of a letterhead line ("UBND XÃ …"), of a title ("trên địa bàn xã …"), or the unit field


_SPELLED = {"huyện", "thị xã", "thành phố", "tp", "tp.", "thị trấn", "phường", "xã"}


def _type_word(word: str) -> bool:
    """A type word as written, or in capitals with its marks lost (a letterhead OCR'd:
    "UBND PHƯƠNG HAI THƯỢNG"); "địa phương", "từ xa" in a sentence are no type."""
    return " ".join(word.lower().split()) in _SPELLED or word.isupper()


def _level(type_word: str) -> str:
    return _TYPES.get(" ".join(fold(type_word.rstrip(".")).split()), "commune")


def _trim_name(name: str) -> str:
    """The capitalised words that open `name`, up to the first punctuation; "" when the
    type word is not followed by a name ("các xã, thị trấn", "xã hội")."""
    kept = []
    for raw in name.split():
        w = raw.strip("“”\"'()")
        if not w or not w[0].isupper() or w.lower() in _NOT_A_NAME:
            break
        core = w.rstrip(".,;:/")  # "… của UBND xã Hiền Kiệt./." closes a report
        if core:
            kept.append(core)
        if core != w:
            break
    return " ".join(kept)


def find_mentions(lines: Sequence[str]) -> list[UnitMention]:
    mentions: list[UnitMention] = []
    texts = [t for t in lines if t.strip()]
    for seen, text in enumerate(texts, start=1):
        header = seen <= HEADER_LINES
        field = _UNIT_FIELD.search(text)
        # a name the line's end cuts ("… trên địa bàn phường Hải / Thượng năm 2024") goes on
        # in the next line; _trim_name stops where the name does
        joined = f"{text} {texts[seen]}" if seen < len(texts) else text
        for m in _MENTION.finditer(joined):
            if m.start() >= len(text):
                break
            if not _type_word(m.group("type")):
                continue
            name = _trim_name(m.group("name"))
            if not name:
                continue
            weight = W_HEADER if header else W_OTHER
            if field and m.start() >= field.start("rest"):
                weight = W_UNIT_FIELD
            elif _REPORTS_AFTER.match(joined[m.end():]) and re.search(r"(?i:ubnd|ủy ban|uỷ ban)\s*$", text[:m.start()]):
                weight = max(weight, W_REPORTS)
            lead = text[:m.start()]
            # the type and name alone open a letterhead's line in capitals ("PHƯỜNG ĐÔNG HẢI"); a
            # line that opens "xã Nghi Sơn …" is a sentence wrapped after "thị"
            alone = not lead.strip() and m.group("type").isupper()
            own = weight == W_UNIT_FIELD or bool(header and (alone or _LETTERHEAD.match(lead) or _SUBJECT.search(lead)))
            mentions.append(UnitMention(_level(m.group("type")), f"{m.group('type')} {name}", weight, own))
    return mentions


def _resolve(mention: UnitMention, district_hint: str | None, garbled: bool | None = None,
             when: Dating = AS_BEFORE):
    if mention.level == "district":
        m = resolve_district(mention.name)
        return m if m.unit else None
    words = mention.name.split()
    shortest = len(_MENTION.match(mention.name).group("type").split()) + 1  # "thị trấn Nưa" has one word
    for n in range(len(words), shortest - 1, -1):  # "thị trấn LANG CHÁNH VIỆT NAM": OCR ran the motto on
        m = resolve_commune(" ".join(words[:n]), district=district_hint, garbled=garbled, when=when)
        if m.unit:
            return m
    return None


def _spelled_alike(unclear: list[UnitMention], hint: str | None, district: str, when: Dating):
    """The match of the commune two or more of the document's own names of its unit spell
    alike, read as written, when an OCR'd spelling alone could be either of two communes ("NGA THANH" in the
    letterhead and "xã Nga Thanh" in the title: Nga Thanh, not Nga Thành). One reading alone
    may have lost a mark; two that agree have not."""
    if len(unclear) < 2:
        return None
    read = [_resolve(m, hint, False, when) for m in unclear]
    codes = {m.unit.code for m in read if m is not None and m.unit.district_code == district}
    return read[0] if len(codes) == 1 and all(read) else None


def _key(level: str, unit) -> str:
    """A unit's key among the mentions. A code can name one unit in each generation (the
    new Xã Thắng Lợi keeps the code of the old Xã Tế Thắng it was made from): keyed by
    code alone, a sentence telling what the new unit was made from would add its weight
    to the letterhead's, and the last one read would stand for both."""
    return f"{level}:{unit.code}:{unit.generation}"


def detect_unit(lines: Sequence[str], *, garbled: bool | None = None, when: Dating = AS_BEFORE) -> Locality | None:
    """The unit the document reports for, resolved in the gazetteer; None when it
    names none that resolves. ``garbled``: the lines are OCR output, whose missing marks
    are no spelling (None: judged name by name); a text layer's "Nga Thanh" is not "Nga Thành".
    ``when``: the document's dating (``Dating.of_document``), which generation its names mean."""
    mentions = find_mentions(lines)
    if not mentions:
        return None
    districts: dict[str, float] = defaultdict(float)
    units = {}
    for mention in mentions:
        if mention.level == "district" and (m := _resolve(mention, None)):
            districts[m.unit.code] += mention.weight
            units[m.unit.code] = m
    hint = max(districts, key=lambda c: districts[c]) if districts else None
    weights: dict[str, float] = defaultdict(float)
    for mention in mentions:
        m = _resolve(mention, hint if mention.level == "commune" else None, garbled, when)
        if m is None:
            continue
        key = _key(mention.level, m.unit)
        weights[key] += mention.weight
        units[key] = m
    if not weights:
        return None
    best = max(weights, key=lambda k: (weights[k], k.startswith("commune")))
    if weights[best] < MIN_WEIGHT:
        return None
    note = ""
    if best.startswith("district"):  # a commune's letterhead often names its district above it
        best, note = _narrower(best, mentions, units, hint, garbled, when)
    m = units[best]
    note = "; ".join(n for n in (m.note, note) if n)
    if best.startswith("district"):
        return Locality(m.unit.contract_name, "", m.unit.code, "", m.score, m.needs_review or bool(note), note,
                        m.raw, "", unit_generation=OLD)
    u = m.unit
    return Locality(u.district, u.name, u.district_code, u.code, m.score, m.needs_review or bool(note), note, "",
                    m.raw, u.successor, u.successor_code, u.generation)


def _narrower(best: str, mentions: list[UnitMention], units: dict, hint: str | None,
              garbled: bool | None, when: Dating = AS_BEFORE) -> tuple[str, str]:
    """The commune the letterhead names, when the text's weight fell on its district: the
    narrower unit, which the document's values are of ("UBND HUYỆN THƯỜNG XUÂN / UBND XÃ
    XUÂN DƯƠNG" above a plan "của UBND huyện Thường Xuân"). Several communes there, or one
    of another district, is a conflict: said, never settled silently."""
    district = units[best].unit.code
    inside, outside, aside, unclear = {}, set(), set(), []
    for mention in mentions:
        if mention.level != "commune" or mention.weight < W_HEADER:
            continue
        m = _resolve(mention, hint, garbled, when) or _resolve(mention, None, garbled, when)  # the district's, else any
        if m is None:
            if mention.letterhead:  # named, but not to be told apart ("Nga Thanh" or "Nga Thành")
                aside.add(repr(mention.name))
                unclear.append(mention)
            continue
        if not mention.letterhead:  # a commune the header speaks of: a doubt, not evidence
            aside.add(m.unit.name)
        elif m.unit.district_code == district:
            inside[_key("commune", m.unit)] = m
            units[_key("commune", m.unit)] = m
        else:
            outside.add(f"{m.unit.name} ({m.unit.district})")
    if not inside and not outside and (agreed := _spelled_alike(unclear, hint, district, when)):
        units[key := _key("commune", agreed.unit)] = agreed
        return key, (f"{unclear[0].name!r} read as written, as the letterhead and the title both spell it "
                     f"({agreed.unit.name}; a commune of the district is spelled alike)")
    if len(inside) == 1 and not outside:
        return next(iter(inside)), ""
    named = sorted({m.unit.name for m in inside.values()} | outside)
    if named:
        return best, (f"the header names {', '.join(named)} and the text {units[best].unit.contract_name}: "
                      "which unit reports is not clear")
    if aside:
        return best, (f"the document's first lines also name {', '.join(sorted(aside))}: "
                      f"the values may be of that commune, not of {units[best].unit.contract_name}")
    return best, ""
