"""Hard inputs: poor scans, borderless tables, phone photos, mixed PDFs (samples made by
scripts/make_hard_samples.py), each held to the deck's golden summary table."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest

from golden_compare import compare

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import make_hard_samples as hard  # noqa: E402

CELLS = 176
MIN_RIGHT = 171  # 97% of the 176 cells


def _held_to_golden(frame, *, min_right=MIN_RIGHT):
    merged = compare(frame)
    wrong = merged[~merged["right"]]
    assert merged["right"].sum() >= min_right, wrong[["indicator_id", "commune", "phase", "value", "value_got",
                                                       "value_raw_got"]].to_string()
    assert (wrong["needs_review"] == "true").all(), wrong.to_string()
    assert len(frame) == CELLS
    return merged


def test_borderless_text_pdf_every_cell_right(run_sample):
    frame, result = run_sample(hard.BORDERLESS_TEXT)
    assert result.errors == ()
    _held_to_golden(frame, min_right=CELLS)
    assert frame["source"].eq("text").all()
    assert set(frame["page"]) == {"1", "2"}  # continued on the second slide, header repeated


@pytest.mark.tesseract
def test_low_dpi_skewed_scan_with_uneven_light(run_sample):
    frame, result = run_sample(hard.SCAN_200, jobs=2)
    assert result.errors == ()
    _held_to_golden(frame)
    assert frame["source"].eq("ocr").all() and frame["ocr_conf"].ne("").all()


@pytest.mark.tesseract
def test_borderless_scan(run_sample):
    frame, result = run_sample(hard.BORDERLESS_SCAN, jobs=2)
    assert result.errors == ()
    _held_to_golden(frame)


def _photo_frames(run_sample):
    frames = []
    for name in hard.PHOTOS:
        frame, result = run_sample(name, jobs=2)
        assert result.errors == ()
        frames.append(frame)
    return frames


@pytest.mark.tesseract
def test_phone_photos_with_perspective_and_shadow(run_sample):
    frames = _photo_frames(run_sample)
    # each photo holds one slide: the rows of that slide, the header read again
    assert set(frames[0]["indicator_id"].astype(int)) == set(range(1, 6))
    assert set(frames[1]["indicator_id"].astype(int)) == set(range(6, 17))
    merged = compare(pd.concat(frames, ignore_index=True))
    assert merged["right"].sum() >= MIN_RIGHT


@pytest.mark.tesseract
def test_phone_photos_every_wrong_cell_flagged(run_sample):
    _held_to_golden(pd.concat(_photo_frames(run_sample), ignore_index=True))


@pytest.mark.tesseract
def test_mixed_pdf_matches_its_text_twin_with_source_per_page(run_sample):
    mixed, result = run_sample(hard.MIXED, jobs=2)
    twin, _ = run_sample(hard.SUMMARY_TEXT)
    assert result.errors == ()
    assert mixed.groupby("page")["source"].unique().map(list).to_dict() == {"1": ["text"], "2": ["ocr"]}
    assert mixed.loc[mixed["page"] == "1", "ocr_conf"].eq("").all()
    assert mixed.loc[mixed["page"] == "2", "ocr_conf"].ne("").all()
    key = ["indicator_id", "district", "commune", "phase"]
    cols = ["value", "qualifier", "status", "page"]
    both = twin[key + cols].merge(mixed[key + cols + ["needs_review"]], on=key, suffixes=("_twin", ""))
    assert len(both) == len(twin) == len(mixed) == CELLS
    text_page = both[both["page"] == "1"]
    for c in cols:  # the text page is read exactly as the twin's
        assert (text_page[c] == text_page[f"{c}_twin"]).all()
    same = (both["value"] == both["value_twin"]) & (both["status"] == both["status_twin"])
    assert same.sum() >= MIN_RIGHT
    assert (both.loc[~same, "needs_review"] == "true").all()


def test_mixed_pdf_triage_per_page(samples):
    from extract.documents.pdf import triage_page

    with pdfplumber.open(samples / hard.MIXED) as pdf:
        first, second = (triage_page(p, i) for i, p in enumerate(pdf.pages))
    assert not first.needs_ocr
    assert second.needs_ocr and "invisible" in second.reason


# --------------------------------------------------------------- legacy fonts

@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_vietnamese_letter_round_trips(samples, encoding):
    from extract.documents.pdf import page_to_words, triage_page

    with pdfplumber.open(samples / hard.LETTERS[encoding]) as pdf:
        page = pdf.pages[0]
        raw = page.extract_text()
        assert not triage_page(page, 0).needs_ocr
        words = [w.text for w in page_to_words(page, 1)]
    # the layer holds legacy code points, not the letters the page shows
    assert "ệ" not in raw and "Ư" not in raw
    for letters in (hard.LOWER_LETTERS, hard.LOWER_LETTERS.upper()):
        groups = [letters[i:i + 6] for i in range(0, len(letters), 6)]
        start = words.index(groups[0])
        assert words[start:start + len(groups)] == groups
    assert "Tỷ lệ người dân có điện thoại thông minh;" in " ".join(words)
    assert "ĐỐI VỚI NGƯỜI DÂN, DOANH NGHIỆP." in " ".join(words)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_report_gives_the_unicode_figures(run_sample, encoding):
    unicode_frame, _ = run_sample("report_thuongxuan_2024_text.pdf")
    frame, result = run_sample(hard.REPORT_LEGACY[encoding])
    assert result.errors == ()
    cols = ["indicator_id", "value", "qualifier", "status", "district", "district_code", "year", "needs_review"]
    assert len(frame) == 16
    pd.testing.assert_frame_equal(frame[cols].reset_index(drop=True), unicode_frame[cols].reset_index(drop=True))
    assert frame["label_raw"].str.contains("người dân").any()  # decoded, not mojibake
