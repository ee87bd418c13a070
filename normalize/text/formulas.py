"""Percentages stated with their fraction ("= 72599/33216 = 45,75%") and whether they agree.

Reports often show the count behind a percentage. The stated percentage is what the
commune reported and is kept as the value; the fraction only tells a reviewer whether
it can be trusted. A fraction that gives the stated value upside down is the common
slip of writing the denominator first, and is named as such.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from normalize.text.fold import nfc
from normalize.text.values import _to_float

# Markdown / LaTeX wrappers word processors and converters leave around a formula.
_LATEX = (("\\%", "%"), ("$", ""), ("\\times", "×"), ("\\,", ""), ("\\;", ""))
_NUM = r"\d+(?:[.,]\d+)*"
FORMULA = re.compile(
    rf"(?:=\s*)?(?<![\d.,])(?P<num>{_NUM})\s*[/:÷]\s*(?P<den>{_NUM})\s*(?:[x×*]\s*100\s*%?\s*)?=\s*(?P<pct>{_NUM})\s*%"
)


# "(2.381/2.500 người, đạt 95,24%)": the count a percentage was worked out from, in brackets before it
COUNT = re.compile(rf"\(\s*(?P<num>{_NUM})\s*/\s*(?P<den>{_NUM})(?![\d.,])[^\d()%/=]{{0,30}}?"
                   rf"(?:đạt|dat|bằng|=)?\s*(?P<pct>{_NUM})\s*%")


@dataclass(frozen=True)
class FormulaCheck:
    numerator: float
    denominator: float
    stated: float  # the percentage as written
    computed: float | None  # numerator / denominator, in percent
    verdict: str  # "ok", "swapped", "disagrees", "invalid"

    @property
    def note(self) -> str:
        n, d = _fmt(self.numerator), _fmt(self.denominator)
        stated = _fmt(self.stated)
        if self.verdict == "swapped":
            return (f"formula {n}/{d} = {stated}% is wrong as written: numerator and denominator look swapped "
                    f"({d}/{n} = {_fmt(self.stated)}%); stated value kept")
        if self.verdict == "disagrees":
            return f"formula {n}/{d} gives {_fmt(self.computed)}%, not the stated {stated}%; stated value kept"
        if self.verdict == "invalid":
            return f"formula {n}/{d} cannot be checked (zero denominator); stated value kept"
        return ""


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def clean_formula_text(text: str) -> str:
    """The text with LaTeX and Markdown wrappers of formulas removed: "$= 70\\%$" → "= 70%"."""
    text = nfc(text)
    for old, new in _LATEX:
        text = text.replace(old, new)
    return text


def parse_count(raw: str) -> float:
    """A count in Vietnamese notation: "946030", "23.113" (thousands dot), "1.250.000"."""
    return _to_float(raw, False)


def tolerance(pct_raw: str) -> float:
    """Half a unit of the last decimal written, as a rounded percentage is exact to that."""
    decimals = len(re.split(r"[.,]", pct_raw)[1]) if re.search(r"[.,]\d+$", pct_raw) else 0
    return 0.5 * 10 ** -decimals + 1e-6


def check_fraction(numerator: float, denominator: float, stated: float, tol: float) -> FormulaCheck:
    if denominator == 0:
        return FormulaCheck(numerator, denominator, stated, None, "invalid")
    computed = 100.0 * numerator / denominator
    if abs(computed - stated) <= tol:
        return FormulaCheck(numerator, denominator, stated, computed, "ok")
    if numerator and abs(100.0 * denominator / numerator - stated) <= tol:
        return FormulaCheck(numerator, denominator, stated, computed, "swapped")
    return FormulaCheck(numerator, denominator, stated, computed, "disagrees")


def find_formula(text: str) -> tuple[re.Match, FormulaCheck] | None:
    """The first "= a/b = c%" in (cleaned) text and its check, or None."""
    return _checked(FORMULA.search(text))


def find_count(text: str) -> tuple[re.Match, FormulaCheck] | None:
    """The first "(a/b người, đạt c%)" in text and its check, as a formula's."""
    return _checked(COUNT.search(text))


def _checked(m: re.Match | None) -> tuple[re.Match, FormulaCheck] | None:
    if not m:
        return None
    pct_raw = m.group("pct")
    stated = _to_float(pct_raw, True)
    return m, check_fraction(parse_count(m.group("num")), parse_count(m.group("den")), stated, tolerance(pct_raw))
