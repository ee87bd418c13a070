"""A percentage as the OCR damaged it, mended where the damage is plain, and said: the
value is then marked repaired, so that it is flagged (``normalize.text.values``)."""
from __future__ import annotations

import re

# Letters OCR reads for digits at the start of a percentage ("S5%", "So,6%", "l00%"), a
# scan's commonest misreads of 5, 0 and 1 in 12-14 pt report text (bench_fidelity --prose,
# the scans of seed 200: 6 of the 41 values not read right).
_DIGIT_LETTERS = str.maketrans({"S": "5", "O": "0", "o": "0", "l": "1", "I": "1", "B": "8"})
_LETTERED = re.compile(r"^(?P<letters>[SOolIB]{1,2})(?P<rest>[\d.,]*\d[\d.,]*\s*%.*)$")


def _digit_letters(text: str) -> tuple[str, str]:
    """The text with the letters that open a percentage read as the digits they look like, and a note."""
    m = _LETTERED.match(text)
    if not m:
        return text, ""
    fixed = m.group("letters").translate(_DIGIT_LETTERS) + m.group("rest")
    return fixed, f"read {text.split()[0]!r}: the letters taken for the digits they look like ({fixed.split()[0]})"


# A decimal separator read as a space: "71 5%" for 71,5% or 71.5%. Faxes at 150 dpi lose the
# comma or point between the digits (a dot of one or two pixels, taken for line noise): 65
# of the 439 values read wrong (flagged) of make_variants --n 20 --seed 161000 --kinds fax,
# 48 of them with every digit right; on the fax sets of seeds 31, 32 and 62, 14, 28 and 27
# such values. Two groups only, the second of one or two digits (the decimals this domain
# writes), one "%" after both: "96 100%" is no such value.
_LOST_SEPARATOR = re.compile(r"^(?P<whole>\d{1,3}) (?P<part>\d{1,2})(?P<rest>\s*%.*)$")


def _lost_separator(text: str) -> tuple[str, str]:
    """The text with a space between a number's digits read as its decimal separator, and a note."""
    m = _LOST_SEPARATOR.match(text)
    if not m or float(f"{m.group('whole')}.{m.group('part')}") > 100:
        return text, ""
    fixed = f"{m.group('whole')}.{m.group('part')}{m.group('rest')}"
    return fixed, (f"read {text.split('%')[0] + '%'!r}: a space between its digits, taken for the decimal "
                   f"separator ({fixed.split('%')[0]}%)")


def mend_misreads(text: str) -> tuple[str, list[str]]:
    """The text of a percentage with its plain misreads mended (``_digit_letters``,
    ``_lost_separator``), and a note for each."""
    notes = []
    for mend in (_digit_letters, _lost_separator):
        text, note = mend(text)
        if note:
            notes.append(note)
    return text, notes
