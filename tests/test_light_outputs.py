"""A run of text PDFs loads only what it uses: the datasets are tables of text written with
the csv module (normalize.outputs.table), the same bytes pandas wrote; the borderless
columns and Otsu's split are counted without numpy, to the same floats; the ASCII fold
is unidecode's, character for character; and no numpy, pandas, Pillow or OpenCV is
imported by the command line reading a text PDF (0.4-0.6 s of CPU at start-up)."""
from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.layout.columns import line_cover
from extract.layout.geometry import mean, pairwise_sum
from normalize.outputs.csv_cells import defuse_table
from normalize.outputs.table import Table, text_cell
from normalize.places.gazetteer import gazetteer
from normalize.text import fold

ROOT = Path(__file__).resolve().parents[1]
# Cells that test the quoting: separators, quotes, line ends, spaces, a formula, empty.
HOSTILE = ["", " ", "a,b", 'say "x"', "line\nbreak", "cr\rhere", "Xã Quảng Lưu", "=1+1", "-5", "\t", "'", "x;y"]
# The writers give text or None, never a number (pandas wrote a number as its column's
# dtype made it: 0 beside a None was "0.0").
cells = st.one_of(st.none(), st.just(float("nan")), st.sampled_from(HOSTILE), st.text(max_size=8))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cells, min_size=3, max_size=3), max_size=6), st.sampled_from([1, 2, 3]))
def test_a_table_writes_the_bytes_pandas_wrote(rows, width):
    pd = pytest.importorskip("pandas")
    columns = ["page", "commune", "note"][:width]
    rows = [row[:width] for row in rows]
    frame = pd.DataFrame(rows, columns=columns, dtype=str)
    wrote = frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    assert Table.of(rows, columns).to_csv() == wrote


def test_cells_are_text_as_a_frame_of_str_held_them():
    assert [text_cell(v) for v in (None, math.nan, 3, 1.5, True, "x")] == ["", "", "3", "1.5", "True", "x"]
    table = Table.of([{"a": "1", "c": None}, {"b": "2"}], ["a", "b"])
    assert table.rows == (("1", ""), ("", "2"))  # a missing key is empty, an unknown one left out


def test_a_column_is_replaced_in_place_or_added_last():
    table = Table.of([("x", "1"), ("y", "2")], ["name", "n"])
    assert table.with_column("n", ["3", "4"]).rows == (("x", "3"), ("y", "4"))
    added = table.with_column("sha256", ["h1", None])
    assert added.columns == ("name", "n", "sha256") and added.column("sha256") == ["h1", ""]
    with pytest.raises(ValueError):
        table.with_column("n", ["1"])


def test_mappings_give_every_key_in_the_order_first_seen():
    table = Table.of_mappings([{"district": "A", "commune": "B"}, {"commune": "C", "year": "2024"}])
    assert table.columns == ("district", "commune", "year")
    assert table.records() == [{"district": "A", "commune": "B", "year": ""},
                               {"district": "", "commune": "C", "year": "2024"}]


def test_defused_cells_keep_numbers_in_numeric_columns():
    table = defuse_table(Table.of([("-5", "-5", "=SUM(A1)")], ["value", "commune", "note"]))
    assert table.rows == (("-5", "'-5", "'=SUM(A1)"),)


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(-2, 40), st.integers(-2, 40)), max_size=30),
       st.integers(1, 40))
def test_the_cover_counts_the_lines_over_each_cell(spans, n):
    spans = [(line, max(a, 0), b) for line, a, b in spans]
    expected = [len({line for line, a, b in spans if a <= k < b}) for k in range(n)]
    assert line_cover(spans, n) == expected


@given(st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=300))
def test_the_mean_is_numpys_to_the_last_bit(values):
    np = pytest.importorskip("numpy")
    assert mean(values) == np.array(values).mean()
    assert pairwise_sum(values, 1) == np.array(values[1:]).sum()


VIETNAMESE = "ĐđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬƠỜỚỞỠỢƯỪỨỬỮỰỲÝỶỸỴàáảãạêềếểễệòóỏõọùúủũụìíỉĩị"


@given(st.text(alphabet=st.sampled_from(VIETNAMESE + "ab 1%€¥©\u00a0\u2013\u201c\u0301\u4e2d\U0001f600"), max_size=24))
def test_the_ascii_of_a_text_is_unidecodes(text):
    from unidecode import unidecode

    assert fold._ascii(text) == unidecode(fold.nfc(text).replace("Đ", "D").replace("đ", "d"))


def test_the_gazetteer_is_loaded_once_whatever_the_province_is_called():
    assert gazetteer() is gazetteer("thanh_hoa")


def test_a_text_pdf_run_imports_no_numpy_pandas_pillow_or_opencv(tmp_path):
    script = (
        "import sys\n"
        "from chitieu.quick import entry\n"
        "try:\n"
        f"    entry(['run', {str(ROOT / 'samples' / 'deck_2023_summary_text.pdf')!r}, '-o', {str(tmp_path / 'out')!r},"
        " '--no-cache', '--no-report', '--no-progress'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'pandas', 'PIL', 'cv2'}))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert (tmp_path / "out" / "indicators.csv").exists() and (tmp_path / "out" / "chitieu.xlsx").exists()
