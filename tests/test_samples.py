"""The committed samples and the hand-checked ground truth of the deck's summary table.

Fast checks only (no OCR): the golden CSV is well formed and self-consistent, the
text-layer PDF really carries every cell of it as text inside a ruled table, and the
scan PDF has images and no text at all. Regenerate the samples with
`python scripts/make_samples.py`.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from normalize.record import PHASES, STATUSES

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SEEDS = REPO.parent / "shared" / "seeds"
GOLDEN = REPO / "tests" / "golden" / "deck_2023_summary.csv"
TEXT_PDF = SAMPLES / "deck_2023_text.pdf"
SCAN_PDF = SAMPLES / "deck_2023_scan.pdf"

COLUMNS = ["indicator_id", "district", "commune", "phase", "value", "qualifier", "status",
           "value_raw"]
WORD_STATUS = {"Lãnh đạo": "partial", "Lãnh đao": "partial", "Chưa có": "not_available",
               "Không": "none", "Chưa thực hiện": "not_implemented"}
LOCALITY_ORDER = ["Phường Điện Biên", "Xã Quảng Lưu", "Xã Tây Hồ", "Xã Nga Liên",
                  "Xã Thiệu Chung"]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


@pytest.fixture(scope="module")
def golden() -> list[dict]:
    with GOLDEN.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def text_pdf():
    with pdfplumber.open(TEXT_PDF) as pdf:
        yield pdf


def summary_tables(pdf) -> list[tuple[int, list[list[str | None]]]]:
    """(page number, rows) of every 13-column ruled table: the summary table's slides."""
    found = []
    for page in pdf.pages:
        for table in page.find_tables():
            rows = table.extract()
            if rows and len(rows[0]) == 13:
                found.append((page.page_number, rows))
    return found


# --- the ground truth -------------------------------------------------------------------
def test_golden_shape(golden):
    assert len(golden) == 176
    per_indicator = Counter(int(r["indicator_id"]) for r in golden)
    assert sorted(per_indicator) == list(range(1, 17))
    assert set(per_indicator.values()) == {11}
    for i in range(1, 17):
        rows = [r for r in golden if int(r["indicator_id"]) == i]
        assert [r["phase"] for r in rows] == ["target"] + ["before", "after"] * 5
        assert rows[0]["district"] == rows[0]["commune"] == ""
        assert [r["commune"] for r in rows[1::2]] == LOCALITY_ORDER
        assert [r["commune"] for r in rows[2::2]] == LOCALITY_ORDER


def test_golden_values_are_consistent(golden):
    for r in golden:
        assert r["phase"] in PHASES and r["phase"] != "reported"
        assert r["status"] in STATUSES and r["status"] != "unreadable"
        raw = r["value_raw"]
        assert raw == norm(raw) and raw, r
        assert r["qualifier"] == (">=" if "trở lên" in raw else ""), r
        if raw in WORD_STATUS:
            assert (r["status"], r["value"]) == (WORD_STATUS[raw], ""), r
        else:
            assert r["status"] == "ok", r
            number = re.match(r"(\d+(?:,\d+)?)%", raw)
            assert number, r
            assert float(r["value"]) == float(number.group(1).replace(",", ".")), r
            assert r["value"] == f"{float(r['value']):g}", r  # 99.5, 67.5, 100: no trailing zeros


def test_golden_is_nfc():
    text = GOLDEN.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


# --- the text-layer PDF ---------------------------------------------------------------
def test_text_pdf_is_16_9_with_nfc_text(text_pdf):
    assert len(text_pdf.pages) >= 10
    for page in text_pdf.pages:
        assert (round(page.width), round(page.height)) == (720, 405)
    text = "\n".join(page.extract_text() for page in text_pdf.pages)
    assert unicodedata.normalize("NFC", text) == text
    for phrase in ("Quảng Lưu", "thực hiện", "Điện Biên", "Cán bô", "Wiffi"):
        assert phrase in text


def test_text_pdf_contains_every_locality_and_cell(text_pdf, golden):
    cells, words = set(), []
    for page in text_pdf.pages:
        words.append(norm(" ".join(w["text"] for w in page.extract_words())))
        for table in page.extract_tables():
            cells.update(norm(c) for row in table for c in row if c)
    all_words = " ".join(words)
    localities = {r["district"] for r in golden if r["district"]}
    localities |= {re.sub(r"^(Xã|Phường) ", "", r["commune"]) for r in golden if r["commune"]}
    localities = {re.sub(r"^Thành phố ", "", name) for name in localities}
    for name in localities:
        assert name in all_words, name
    for raw in {r["value_raw"] for r in golden}:
        assert raw in cells, raw


def test_text_pdf_summary_table_matches_golden(text_pdf, golden):
    tables = summary_tables(text_pdf)
    assert [p for p, _ in tables] == [tables[0][0], tables[0][0] + 1]  # two consecutive slides
    by_id = {}
    for _, rows in tables:
        header, phases = rows[0], rows[1]
        assert norm(header[0]) == "TT" and norm(header[2]) == "Chỉ tiêu"
        assert [norm(c) for c in phases[3:]] == ["Trước thí điểm", "Sau thí điểm"] * 5
        for row in rows[3:]:  # after the two header rows and the section row
            by_id[int(row[0])] = [norm(c) for c in row[2:]]
    assert sorted(by_id) == list(range(1, 17))
    for i, cells in by_id.items():
        assert cells == [r["value_raw"] for r in golden if int(r["indicator_id"]) == i], i


# --- the scan --------------------------------------------------------------------------------
def test_scan_pdf_is_images_only(text_pdf):
    with pdfplumber.open(SCAN_PDF) as scan:
        assert len(scan.pages) == len(text_pdf.pages)
        for page in scan.pages:
            assert page.images, page.page_number
            assert not page.chars, page.page_number


# --- the seed copies ----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["deck_2023_text_layer.txt", "deck_2023_ocr_scan.txt"])
def test_seed_copies_are_identical(name):
    if not (SEEDS / name).exists():
        pytest.skip("seed directory not available")
    assert (SAMPLES / name).read_bytes() == (SEEDS / name).read_bytes()


def test_golden_rows_read_as_in_seed(golden):
    """Each row's 11 cells, in order, are a run of the seed's text layer."""
    seed = SEEDS / "deck_2023_text_layer.txt"
    if not seed.exists():
        pytest.skip("seed directory not available")
    seed_flat = norm(seed.read_text(encoding="utf-8"))
    for i in range(1, 17):
        row = " ".join(r["value_raw"] for r in golden if int(r["indicator_id"]) == i)
        assert row in seed_flat, i
