"""A decimal point both readings dropped ("1.6%" read "16%" at 150 dpi) is doubted from the
pixels (extract.ocr.points); a number printed without one is not."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.ocr.points import point_dropped

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def _word(text: str, size: int) -> tuple[Image.Image, tuple[int, int, int, int]]:
    font = ImageFont.truetype(str(FONT), size)
    image = Image.new("L", (size * 6, size * 2), 255)
    ImageDraw.Draw(image).text((size // 2, size // 2), text, fill=0, font=font)
    return image, (0, 0, image.width, image.height)


@pytest.mark.skipif(not FONT.exists(), reason="fonts-dejavu-core")
@pytest.mark.parametrize("size", [18, 25, 40])  # digits 13-29 px high: 150-300 dpi at 6-9 pt
def test_a_point_the_reading_dropped_is_seen_and_none_is_invented(size):
    image, box = _word("1.6%", size)
    assert point_dropped(image, box, "16%")
    image, box = _word("16%", size)
    assert not point_dropped(image, box, "16%")
    image, box = _word("100%", size)
    assert not point_dropped(image, box, "100%")
    image, box = _word("1.6%", size)
    assert not point_dropped(image, box, "1.6%")  # read with its point: nothing to doubt
