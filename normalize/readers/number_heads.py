"""A row of indicator numbers over a district's columns ("TT | Đơn vị | 3 | 4 | … | 13"),
read with some of its numbers damaged by the OCR.

A 150 dpi fax prints a bold "11" that Tesseract reads "+1" and a "13" it reads "43",
sure of both (confidence 90): the row was then no row of numbers (43 is no indicator, and
"1" after "10" does not rise), it was taken for the table's first data row, and the table
gave nothing (v0005 and v0015 of make_variants --n 20 --seed 161000 --kinds fax, 172
cells). Here such a row is still a row of numbers when most of its numbers are
indicators rising left to right, and each damaged number is mended to the one indicator
that is one character off it and fits between its neighbours; every value under a
mended number is flagged, since which indicator its column is was inferred."""
from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from normalize.text.fold import fold_ocr

_CLEAN = re.compile(r"\d{1,2}\.?")  # "15." as OCR reads it
# A damaged number: a short token with a digit in it ("+1", "43", "5s", "1O"), no percentage.
_DAMAGED = re.compile(r"[^\s%]{1,3}")
LAST = 16  # the catalogue's indicators are 1 … 16


def clean_number(text: str) -> int | None:
    """The indicator a header names by its bare number, read cleanly; None for any other."""
    t = fold_ocr(text).strip()
    if not _CLEAN.fullmatch(t):
        return None
    n = int(t.rstrip("."))
    return n if 1 <= n <= LAST else None


def _in_order(texts: list[str]) -> list[int | None]:
    """The clean numbers of ``texts`` that rise left to right (the longest such run, the
    leftmost of equals), None for the others: a "+1" folded to 1 after a 10 is damaged."""
    clean = [clean_number(t) for t in texts]
    at = [i for i, n in enumerate(clean) if n is not None]
    best: dict[int, list[int]] = {}
    for j in at:
        before = [best[i] for i in at if i < j and i in best and clean[i] < clean[j]]
        best[j] = max(before, key=len, default=[]) + [j]
    keep = set(max(best.values(), key=len, default=[]))
    return [n if i in keep else None for i, n in enumerate(clean)]


def numbers_row(texts: list[str]) -> bool:
    """Whether the value-like ``texts`` of a row (left to right) are a row of indicator
    numbers: at least two read cleanly, rising, and the others (half of them at most) short
    tokens with a digit that ``mend_numbers`` can place between them."""
    if len(texts) < 2:
        return False
    clean = _in_order(texts)
    good = [n for n in clean if n is not None]
    if len(good) < 2 or 2 * (len(texts) - len(good)) > len(texts):
        return False
    return all(n is not None or _damaged(t) for n, t in zip(clean, texts)) and \
        all(n is not None for n, _ in mend_numbers(texts))


def number_like(text: str) -> bool:
    """A header cell that may be an indicator's number: one read cleanly, or damaged."""
    return clean_number(text) is not None or _damaged(text)


def _damaged(text: str) -> bool:
    t = text.strip()
    return bool(_DAMAGED.fullmatch(t)) and any(ch.isdigit() for ch in t)


def mend_numbers(texts: list[str]) -> list[tuple[int | None, str]]:
    """(indicator, doubt) for each header of a row of numbers, left to right: a clean
    number is itself, undoubted; a damaged one ("+1", "43") is the one indicator whose
    digits are one edit off its characters and that lies between its clean neighbours,
    with a doubt saying so; (None, "") when no such indicator, or more than one, fits.
    A number mended bounds its neighbours in turn ("5s", "30", "11": 5, then 10)."""
    known = _in_order(texts)
    mended: dict[int, int] = {}
    while True:
        found = {i: k for i, t in enumerate(texts) if known[i] is None and (k := _fit(t, known, i)) is not None}
        if not found:
            break
        for i, k in found.items():
            known[i] = mended[i] = k
    return [(n, f"its header {texts[i].strip()!r} is no indicator's number: taken for {n}, the one a character "
                f"off it that fits between its neighbours; which indicator it is may be another")
            if i in mended else (n, "") for i, n in enumerate(known)]


def _fit(text: str, known: list[int | None], i: int) -> int | None:
    """The one indicator an edit off ``text`` between the numbers known left and right of ``i``."""
    token = text.strip()
    if not _damaged(token):
        return None
    low = max([m for m in known[:i] if m is not None], default=0)
    high = min([m for m in known[i + 1:] if m is not None], default=LAST + 1)
    fits = [k for k in range(low + 1, high) if Levenshtein.distance(token, str(k)) <= 1]
    return fits[0] if len(fits) == 1 else None
