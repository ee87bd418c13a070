"""No exception on any input: the domain functions of normalize/ (the indicator matcher,
what a value cell holds, place names, look-ups and the unit of a document), each over
thousands of generated strings (the ``fuzz`` profile of conftest.py)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from normalize.indicators.cells import PERCENT_CELLS
from normalize.indicators.matcher import label_scores, match_label, match_rows, similarity
from normalize.places import names
from normalize.places.evidence import add_place_evidence, fold_pages
from normalize.places.locality import parse_locality
from normalize.places.lookup import locality_row
from normalize.places.resolve import resolve_commune, resolve_district
from normalize.places.unit import detect_unit, find_mentions
from normalize.record import Record
from normalize.text.fold import fold_ocr
from fuzz_strategies import any_text

garbled = st.sampled_from([None, True, False])
district_hint = st.one_of(st.none(), st.sampled_from(["396", "Quảng Xương", "Thọ Xuân", "999", ""]), any_text)


@given(any_text, any_text)
def test_similarity(a, b):
    assert 0.0 <= similarity(fold_ocr(a), fold_ocr(b)) <= 100.0 + 1e-9


@given(any_text, st.floats(0, 100))
def test_matching_one_label(text, cutoff):
    m = match_label(text, score_cutoff=cutoff)
    assert m is None or 1 <= m.indicator_id <= 16
    assert set(label_scores(text)) == set(range(1, 17))


@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(-5, 40)), st.one_of(st.none(), any_text)), max_size=20))
def test_matching_the_rows_of_a_table(rows):
    matches = match_rows(rows)
    assert len(matches) == len(rows)
    ids = [m.indicator_id for m in matches if m is not None]
    assert ids == sorted(set(ids))


@given(st.lists(any_text, max_size=8), any_text)
def test_what_a_value_cell_holds(column, text):
    assert isinstance(PERCENT_CELLS.value_column(column), bool)
    PERCENT_CELLS.doubtful(text)
    PERCENT_CELLS.plausible(text)


@given(any_text, any_text)
def test_name_keys(a, b):
    names.official_spelling(a)
    names.proper_case(a)
    key = names.canon(a)
    names.looks_clean(a)
    names.skeleton(key)
    assert 0.0 <= names.closeness(key, names.canon(b)) <= 100.0 + 1e-9
    level, label, rest = names.split_type(a)
    assert level in (None, "district", "commune") and isinstance(label, str) and isinstance(rest, str)
    assert all(isinstance(s, str) and s for s in names.segments(a))


@given(any_text, district_hint, garbled)
def test_resolving_places(text, district, garbled_text):
    resolve_district(text, garbled=garbled_text)
    m = resolve_commune(text, district=district, garbled=garbled_text)
    assert m.unit is None or m.unit.code
    parse_locality(text, garbled=garbled_text)
    row, review = locality_row(text, district)
    assert len(row) == 7 and isinstance(review, bool)


@given(st.lists(any_text, max_size=15))
def test_the_unit_of_a_document(lines):
    find_mentions(lines)
    detect_unit(lines)


def _record(commune: str, district_code: str, source: str) -> Record:
    return Record(source, 1, "Thanh Hóa", "", commune, district_code, "", 2024, 1, "x", "after", 50.0, "", "ok",
                  "50%", "x", 100.0, None, False, "")


@given(st.lists(st.tuples(any_text, st.sampled_from(["", "396", "380"]), st.sampled_from(["a.pdf", "b/a.pdf"])),
                max_size=4),
       st.dictionaries(st.sampled_from(["a.pdf", "b/a.pdf"]), st.lists(st.tuples(st.integers(1, 5), any_text),
                                                                       max_size=3)))
def test_evidence_across_documents(communes, texts):
    records = [_record(c, d, s) for c, d, s in communes]
    out = add_place_evidence(records, {k: fold_pages(v) for k, v in texts.items()})
    assert len(out) == len(records)
