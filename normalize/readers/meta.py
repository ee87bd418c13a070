"""What a document says about itself: its reporting year."""
from __future__ import annotations

import re
from collections import Counter

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
