"""No exception on any input: the text functions of normalize/ (folding, values, formulas)
and the legacy-font decoders of extract/documents/legacy.py, each over thousands of
generated strings (the ``fuzz`` profile of conftest.py: CHITIEU_FUZZ=1 for 2,000 each)."""
from __future__ import annotations

import math
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from extract.documents import legacy
from normalize.record import STATUSES
from normalize.text import fold, formulas, values
from fuzz_strategies import any_text, legacy_text

numbers = st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10**12, 10**12)


@given(any_text, st.booleans())
def test_folding(text, misreads):
    assert unicodedata.is_normalized("NFC", fold.nfc(text))
    fold.real_d(text)
    assert fold.fold(text, misreads=misreads).isascii()
    assert fold.fold_ocr(text).isascii()


@given(any_text)
def test_parse_value_and_status(text):
    parsed = values.parse_value(text)
    assert parsed.status in STATUSES
    assert parsed.value is None or math.isfinite(parsed.value)
    assert values.status_of(text) in (None, *STATUSES)


@given(any_text, st.one_of(st.none(), st.integers(-3, 20)))
def test_cutting_a_line_into_label_and_cells(text, expected):
    values.tokenize_values(text)
    label, cells = values.split_label_and_values(text, expected=expected)
    assert isinstance(label, str) and all(isinstance(c, str) for c in cells)
    if expected is not None and expected >= 0:
        assert len(cells) <= max(expected, 0)


def test_a_status_word_alone_with_no_cell_expected():
    assert values.split_label_and_values("Chưa", expected=0) == ("Chưa", [])
    assert values.split_label_and_values("Tỷ lệ 80% 90%", expected=0) == ("Tỷ lệ 80% 90%", [])


@given(any_text)
def test_formulas(text):
    cleaned = formulas.clean_formula_text(text)
    found = formulas.find_formula(cleaned)
    if found is not None:
        assert found[1].verdict in ("ok", "swapped", "disagrees", "invalid")
        found[1].note


@given(st.from_regex(r"\d{1,20}(?:[.,]\d{0,20}){0,4}", fullmatch=True) | any_text)
def test_counts_and_tolerances(raw):
    try:
        formulas.parse_count(raw)
    except ValueError:
        pass  # not a count: find_formula only hands it what its pattern matched
    assert formulas.tolerance(raw) > 0


@given(numbers, numbers, numbers, st.floats(0, 10))
def test_fraction_checks(num, den, stated, tol):
    check = formulas.check_fraction(num, den, stated, tol)
    assert check.verdict in ("ok", "swapped", "disagrees", "invalid")
    check.note


@given(st.one_of(st.none(), any_text, st.sampled_from([".VnTime", ".VnTimeH", "ABCDEF+VNI-Times,Bold", "VISCII"])))
def test_font_names(name):
    encoding, capitals = legacy.font_encoding(name)
    assert encoding in (None, *legacy.ENCODINGS) and isinstance(capitals, bool)


@given(legacy_text | any_text, st.sampled_from((None, *legacy.ENCODINGS)), st.booleans())
def test_legacy_decoding(text, encoding, capitals):
    assert unicodedata.is_normalized("NFC", legacy.decode(text, encoding, capitals=capitals))
    legacy.repair_lost_u(text)
    legacy.guess_encoding(text)
    legacy.is_garbage(text)
    good, total = legacy.syllable_share(text)
    assert 0 <= good <= total


@given(legacy_text | any_text, legacy_text | any_text)
def test_lost_u(left, right):
    legacy.is_syllable(left)
    joined = legacy.join_lost_u(left, right)
    assert joined is None or isinstance(joined, str)


_fonts = st.sampled_from(["", ".VnTime", ".VnTimeH", "VNI-Times", "Times-Roman", "VISCII", None])


@st.composite
def pdf_chars(draw):
    """pdfplumber characters in reading order, as decode_chars receives them."""
    out, x = [], 0.0
    for _ in range(draw(st.integers(0, 16))):
        width = draw(st.floats(0.0, 12.0))
        top = draw(st.floats(0.0, 800.0))
        c = {"text": draw(st.text(alphabet=st.sampled_from(list("aêo¸µ¶·ùøûõïâá-\xad ")), min_size=1, max_size=2)),
             "x0": x, "x1": x + width, "width": width, "top": top, "bottom": top + draw(st.floats(0.0, 14.0))}
        font = draw(_fonts)
        if font is not None:
            c["fontname"] = font
        out.append(c)
        x += width + draw(st.floats(0.0, 8.0))
    return out


@given(pdf_chars())
def test_pdf_characters_decoded_and_words_joined(chars):
    decoded = legacy.decode_chars(chars)
    assert all("legacy" in c for c in decoded)
    words = [dict(c, legacy=c["legacy"]) for c in decoded]
    legacy.join_split_words(words)
