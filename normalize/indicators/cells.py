"""What a value cell of an indicator table holds, for the OCR's second readings
(``extract.ocr.cells.CellRule``): a percentage from 0 to 100, with at most two decimals."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

PERCENT = re.compile(r"^\d{1,3}(?:[.,]\d{1,2})?\s*%$")
NUMBERISH = re.compile(r"^[\d%.,\s]+$")  # a cell of digits and marks only: a number, read well or not


@dataclass(frozen=True)
class PercentCells:
    """Indicator values are percentages: a column of them is a value column."""

    min_share: float = 0.6  # of a column's cells that are percentages
    min_cells: int = 3

    def value_column(self, texts: Sequence[str]) -> bool:
        # A column of bare row numbers ("6", "7" …) holds numbers too, but none of its
        # cells is a percentage to doubt, and re-reading each costs a call. The words a
        # value cell holds ("Chưa có", "Không") count with the percentages: a template's
        # "before" column is mostly words, and its few percentages went unchecked ("55%"
        # read "95%" unflagged, v0049 of make_variants --n 60 --seed 81000 --reform all).
        percents = sum(1 for t in texts if any(ch.isdigit() for ch in t) and "%" in t)
        words = sum(1 for t in texts if not any(ch.isdigit() for ch in t) and _value_word(t))
        return len(texts) >= self.min_cells and percents >= 1 and percents + words >= self.min_share * len(texts)

    def doubtful(self, text: str) -> bool:
        return (NUMBERISH.match(text) is not None or _damaged_number(text)) and any(
            ch.isdigit() for ch in text) and not self.plausible(text)

    def plausible(self, text: str) -> bool:
        t = text.strip()
        if not PERCENT.match(t):
            return False
        return float(t.rstrip("% ").replace(",", ".")) <= 100


PERCENT_CELLS = PercentCells()

# A percentage with a few letters or marks among its digits ("8ê 0%.", "S5 19%", "88 S?%"):
# a 150 dpi fax's, read again as digits. Short (a value, not a sentence), and at least half
# digits and the marks of a number. Of the 439 values read wrong of make_variants --n 20
# --seed 161000 --kinds fax, 159 were so, and none was read again.
DAMAGED_LENGTH = 12
QUALIFIER_MARKS = "<>≥≤=~≈"


def _damaged_number(text: str) -> bool:
    t = "".join(text.split())
    if any(ch in QUALIFIER_MARKS for ch in t):  # "≥95%": read again as digits, its "≥" would be lost
        return False
    numeric = sum(ch.isdigit() or ch in "%.," for ch in t)
    return 0 < len(t) <= DAMAGED_LENGTH and 2 * numeric >= len(t)


def _value_word(text: str) -> bool:
    """A value cell's word: "Chưa có", "Không", "Chưa thực hiện", "Lãnh đạo"."""
    from normalize.text.values import parse_value

    return parse_value(text).status in ("not_available", "none", "not_implemented", "partial")
