"""What a document says about itself: its reporting year, its date, the district it is about."""
from __future__ import annotations

import datetime
import re
import unicodedata
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


# The date line under the motto: "Thanh Hóa, ngày 15 tháng 8 năm 2025", its day often left
# blank in a draft ("ngày    tháng 8 năm 2025"). The place and comma before it tell it from a
# document the text cites ("Kế hoạch số 12/KH-UBND ngày 5 tháng 3 năm 2024"); the letters
# between are loose, as OCR reads them ("ngảy", "thảng").
_DATE_LINE = re.compile(r"\w,\s*ng\w{1,2}y\s+(?:(\d{1,2})\s+)?th\w{1,2}ng\s+(\d{1,2})\s+n\w{1,2}m\s+(20\d\d)\b")


def detect_date(text: str) -> datetime.date | None:
    """The date of the document's date line (its first 40 lines), the 1st of its month when
    the day is blank; None when it has none, or no month."""
    for line in text[:4000].splitlines()[:40]:
        m = _DATE_LINE.search(unicodedata.normalize("NFC", line).lower())
        if m:
            try:
                return datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1) or 1))
            except ValueError:  # "ngày 31 tháng 2": a misread, no date
                return None
    return None


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
