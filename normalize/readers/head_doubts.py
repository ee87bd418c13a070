"""Doubts about the head of an indicator's column in a table read across (a row per
locality, a column per indicator): what says which indicator a column is may be a guess,
and then every value under it is flagged."""
from __future__ import annotations

from normalize.readers.summary_parts import MIN_OCR_CONF, NUMBER_ONLY, indicator_code
from normalize.text.fold import fold_ocr


def unsure_number(head_rows, cols: list[tuple[int, str]], number: int | None, name: str) -> str:
    """A doubt about a column headed by an indicator's number or code alone ("8", "CT8") that
    the OCR read unsure: its digits are all that says which indicator the column is, and a
    "9" read "8" at 150 dpi (conf 55) gave a column of indicator 9 to indicator 8 unflagged
    (v0006 of make_variants --n 24 --seed 46000 --kinds scan,fax,lowres)."""
    if number is None or not (NUMBER_ONLY.fullmatch(fold_ocr(name).strip()) or indicator_code(name) is not None):
        return ""  # a header that names its indicator in words: the matcher tells which
    ks = {k for k, _ in cols}
    confs = [c.conf for row in head_rows for c in row
             if c.conf is not None and c.col in ks and any(ch.isdigit() for ch in c.text)]
    if confs and min(confs) < MIN_OCR_CONF:
        return f"its header {name!r} was read unsure (OCR confidence {min(confs):.0f}): which indicator it is may be another"
    return ""


def merged_head(header, cols: list[tuple[int, str]]) -> str:
    """A doubt about a group of columns headed by nothing but a cell merged over several
    columns of values, with no phase under it: the headers of two columns a borderless
    scan ran into one cell ("Tỷ lệ người dân được cấp …" and "Tỷ lệ người dân/doanh
    nghiệp được thông tin …" interleaved, v0018 of make_variants --n 24 --seed 12000
    --kinds lowres): which column is whose indicator is a guess, and was taken silently."""
    if any(p != "reported" for _, p in cols):
        return ""
    for k, _ in cols:
        parts = header[k]
        if not any(span == 1 and t.strip() for span, t in parts) and any(span > 1 and t.strip() for span, t in parts):
            return "its header is one cell over several columns of values: which column is whose indicator is a guess"
    return ""
