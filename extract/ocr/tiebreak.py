"""A third reading of a value the first two read differently.

The page pass and the second reading (``cells.verify_numbers``: another model, digits
only) disagree on many values of a 150 dpi fax, and the page pass is not the one more
often right: it drops a leading digit it had plainly in front of it ("59%" read "9%",
"100%" "10%"). Such a value is flagged either way; which of the two it shows is settled
here by a third reading, with the page pass's model on the cell alone (digits only): the
value two readings of three agree on is shown. It stays flagged: two readings of three
are a majority, not a certainty."""
from __future__ import annotations

import re
from typing import Protocol

from PIL import Image

from extract.model import Word
from extract.ocr.crops import read_strip
from extract.ocr.engine import NUMERIC_CHARS, OcrEngine


class _Plausible(Protocol):
    def plausible(self, text: str) -> bool: ...


_NUMBER = re.compile(r"\d(?:[\d.,]*\d)?\s*%?")


def spliced(word: str, number: str) -> str:
    """``word`` with its number replaced by ``number``: "(82,84%)." read again "82,64%" is
    "(82,64%)." — the marks around a figure of prose end its sentence."""
    return _NUMBER.sub(lambda _: number, word, count=1) if _NUMBER.search(word) else number


def number_key(text: str) -> str:
    """A reading of a value as its digits and separator, for comparing two readings."""
    return text.replace(" ", "").strip(".,;:()").rstrip("%").replace(".", ",")


def settle(disputed: list[tuple[Word, str, Image.Image]], engine: OcrEngine, lang: str,
           rule: _Plausible) -> list[tuple[Word, str]]:
    """For each (word as first read, its second reading, its crop ready for the engine)
    whose third reading agrees with the second, the word and the text to show: the third
    reading, when the rule finds it a plausible value. All in one engine call."""
    if not disputed:
        return []
    config = f'-c "tessedit_char_whitelist={NUMERIC_CHARS}"'
    third = read_strip([crop for *_, crop in disputed], engine, lang, gap=24, config=config)
    out = []
    for (word, second, _), found in zip(disputed, third):
        text = "".join(w.text for w in sorted(found, key=lambda w: w.x0)).strip(".,")
        if text and number_key(text) == number_key(second) != number_key(word.text) and rule.plausible(text):
            out.append((word, text))
    return out
