"""What a document says about itself: its reporting year, the district it is about."""
from __future__ import annotations

import re
from collections import Counter

from normalize.places.gazetteer import gazetteer
from normalize.places.resolve import district_match
from normalize.text.fold import fold_ocr

_YEAR_IN_TITLE = re.compile(r"\bnam\s+(20[0-4]\d)\b")
_ANY_YEAR = re.compile(r"(?<![\d/.-])(20[0-4]\d)(?![\d/])")


def detect_year(text: str) -> int | None:
    """The year a title gives ("... NĂM 2023"), else the one most often mentioned."""
    key = fold_ocr(text[:4000])
    m = _YEAR_IN_TITLE.search(key)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for y in _ANY_YEAR.findall(text[:4000]))
    return years.most_common(1)[0][0] if years else None


# "… CÁC XÃ, THỊ TRẤN HUYỆN HÀ TRUNG NĂM 2024": the district a title names, up to its year or line end
_DISTRICT_IN_TITLE = re.compile(r"\b(?:HUYỆN|THỊ XÃ|THÀNH PHỐ)\s+([^\W\d_][^\n,.;:()\d]*?)(?=\s+NĂM\b|\s*[\n,.;:(]|\s*$)",
                                re.IGNORECASE)


def detect_district(text: str) -> str:
    """The code of the one district the first lines name as the document's ("… HUYỆN
    NGỌC LẶC NĂM 2024"), or "" when they name none or several (a deck's many). A title
    wraps anywhere ("… HUYỆN THỌ / XUÂN NĂM 2024"), so each line is read joined to the
    next first, and alone when that names no district."""
    found: set[str] = set()
    lines = text[:4000].splitlines()[:40]
    for k, line in enumerate(lines):
        joined = f"{line} {lines[k + 1]}" if k + 1 < len(lines) else line
        found |= _districts_in(joined) or _districts_in(line)
    return found.pop() if len(found) == 1 else ""


def _districts_in(line: str) -> set[str]:
    codes = set()
    for m in _DISTRICT_IN_TITLE.finditer(line):
        match = district_match(gazetteer(), m.group(1).strip(), None)
        if match.unit and match.score >= 90:
            codes.add(match.unit.code)
    return codes
