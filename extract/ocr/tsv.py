"""Tesseract's TSV output, checked before it is believed.

A reading cut short (a killed or crashed Tesseract, a full disk) or garbled must fail
its page, never lose its words silently. Tesseract writes a header of 12 columns, then
one row per page, block, paragraph, line and word, every row ending with a newline, and
one page row (level 1) for each image it read, even a blank one. Anything else is not
a whole reading.
"""
from __future__ import annotations

import math

from extract.errors import OcrFailed

COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
           "left", "top", "width", "height", "conf", "text")
_TEXT = len(COLUMNS) - 1


def tsv_to_data(tsv: str, *, images: int = 1) -> dict[str, list]:
    """The TSV of a reading of ``images`` images as a dict of columns, the numeric ones
    as integers (as ``pytesseract.image_to_data`` gives them); ``OcrFailed`` saying
    what is wrong when it is not whole."""
    if not tsv:
        raise OcrFailed("tesseract wrote an empty TSV (its reading was cut short)")
    if not tsv.endswith("\n"):
        raise OcrFailed("tesseract's TSV ends in the middle of a row (its reading was cut short)")
    header, *rows = tsv[:-1].split("\n")
    if tuple(header.split("\t")) != COLUMNS:
        raise OcrFailed(f"tesseract's TSV has an unexpected header ({len(header.split(chr(9)))} columns, "
                        f"expected the {len(COLUMNS)} of level … text)")
    data: dict[str, list] = {name: [] for name in COLUMNS}
    pages = set()
    for n, row in enumerate(rows, start=2):
        fields = row.split("\t")
        if len(fields) != len(COLUMNS):
            raise OcrFailed(f"tesseract's TSV row {n} has {len(fields)} fields, not {len(COLUMNS)} (garbled or cut short)")
        for k, (name, field) in enumerate(zip(COLUMNS, fields)):
            data[name].append(field if k == _TEXT else _number(field, n, name))
        if data["level"][-1] == 1:
            pages.add(data["page_num"][-1])
    missing = sorted(set(range(1, images + 1)) - pages)
    if missing:
        raise OcrFailed(f"tesseract's TSV has no reading of image {missing[0]} of {images} (cut short)")
    return data


def _number(field: str, row: int, name: str) -> int:
    try:
        value = float(field)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise OcrFailed(f"tesseract's TSV row {row} has {field[:20]!r} for {name}, not a number (garbled)")
    return int(value)
