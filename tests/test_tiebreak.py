"""A value the page pass and the second reading read differently is read a third time,
and shown as two readings of three agree (still flagged): a 150 dpi fax's page pass drops
a leading digit it had plainly in front of it ("59%" read "9%", v0002 of make_variants
--n 20 --seed 161000 --kinds fax)."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.model import Word
from extract.ocr.crops import prepare_crop
from extract.ocr.engine import TesseractEngine
from extract.ocr.tiebreak import number_key, settle
from normalize.indicators.cells import PERCENT_CELLS

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _cell(text: str) -> Image.Image:
    image = Image.new("L", (160, 50), 255)
    ImageDraw.Draw(image).text((30, 10), text, font=ImageFont.truetype(str(FONT), 26), fill=0)
    return prepare_crop(image, 300)


def test_number_key_compares_readings_not_their_marks():
    assert number_key("59%") == number_key("59 %") == "59"
    assert number_key("99.4%") == number_key("99,4%")
    assert number_key("9%") != number_key("59%")


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu not installed")
def test_two_readings_of_three_settle_the_value():
    first = Word("9%", (0.0, 0.0, 10.0, 10.0), 40.0, 1, "ocr")
    got = settle([(first, "59%", _cell("59%"))], TesseractEngine(), "vie", PERCENT_CELLS)
    assert [(w, number_key(t)) for w, t in got] == [(first, "59")]


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu not installed")
def test_a_third_reading_agreeing_with_neither_settles_nothing():
    first = Word("9%", (0.0, 0.0, 10.0, 10.0), 40.0, 1, "ocr")
    assert settle([(first, "58%", _cell("59%"))], TesseractEngine(), "vie", PERCENT_CELLS) == []
    assert settle([], TesseractEngine(), "vie", PERCENT_CELLS) == []


def test_the_third_reading_replaces_the_number_and_keeps_its_marks():
    """A figure of prose keeps the marks that end its clause: only its number is replaced."""
    from extract.ocr.tiebreak import spliced

    assert spliced("(82,84%).", "82,64%") == "(82,64%)."
    assert spliced("9%", "59%") == "59%"
    assert spliced("68,75%;", "68,76%") == "68,76%;"
