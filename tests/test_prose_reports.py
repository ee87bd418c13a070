"""The Thường Xuân district report (prose and bullet items) from every form it comes in."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from make_report_samples import THUONGXUAN_FIGURES  # noqa: E402

FORMS = [
    ("report_thuongxuan_2024.md", "dump"),
    ("report_thuongxuan_2024_text.pdf", "text"),
    ("report_thuongxuan_2024.docx", "text"),
    pytest.param("report_thuongxuan_2024_scan.pdf", "ocr", marks=pytest.mark.tesseract),
]


def _settings(name):
    return {"jobs": 2} if name.endswith("_scan.pdf") else {}


@pytest.mark.parametrize("name,source", FORMS)
def test_all_sixteen_district_figures(run_sample, name, source):
    frame, result = run_sample(name, **_settings(name))
    assert result.errors == ()
    # nothing else from this report: one reported value per indicator, in order
    assert list(frame["indicator_id"].astype(int)) == list(range(1, 17))
    assert frame["value"].astype(float).tolist() == [float(v) for v in THUONGXUAN_FIGURES]
    assert set(frame["phase"]) == {"reported"}
    assert frame["year"].eq("2024").all()
    assert frame["district"].eq("Thường Xuân").all() and frame["district_code"].eq("396").all()
    assert frame["commune"].eq("").all() and frame["commune_code"].eq("").all()
    assert frame["source"].eq(source).all()
    assert (frame["ocr_conf"] != "").all() == (source == "ocr")


@pytest.mark.parametrize("name,source", FORMS)
def test_formulas_checked(run_sample, name, source):
    frame, _ = run_sample(name, **_settings(name))
    by_id = frame.set_index(frame["indicator_id"].astype(int))
    swapped = by_id.loc[9]
    assert swapped["needs_review"] == "true"
    assert "numerator and denominator look swapped" in swapped["note"]
    assert swapped["value"] == "45.75" and "72599/33216" in swapped["value_raw"]
    for consistent in (8, 13):  # 946030/946030 and 23252/23252 = 100%
        row = by_id.loc[consistent]
        assert "/" in row["value_raw"] and row["value"] == "100"
        assert "formula" not in row["note"]
    flagged = set(by_id.index[by_id["needs_review"] == "true"])
    if source != "ocr":
        assert flagged == {9}


def test_narrative_figures_not_forced_onto_indicators(run_sample):
    _, result = run_sample("report_thuongxuan_2024.md")
    values = {(round(f.value, 2), f.sentence[:40]) for f in result.other_figures}
    sentences = " ".join(f.sentence for f in result.other_figures)
    assert "liên thông dữ liệu" in sentences and "96,5%" in sentences
    assert any(v == 96.5 for v, _ in values) and any(v == 90 for v, _ in values)
    assert all(f.reason for f in result.other_figures)
    # "Mô hình Tạo lập, cấp chữ ký điện tử ... đạt trên 45,75%" names no indicator clearly
    signature = [f for f in result.other_figures if "chữ ký điện tử miễn phí" in f.sentence]
    assert signature and signature[0].value == 45.75


def test_year_option_overrides_document(run_sample):
    frame, _ = run_sample("report_thuongxuan_2024.md", year=2023)
    assert frame["year"].eq("2023").all() and len(frame) == 16


def test_deck_prose_stays_out_of_indicators(run_sample):
    frame, result = run_sample("deck_2023_text.pdf")
    assert "reported" not in set(frame["phase"])
    deck_items = [f for f in result.other_figures if "điện thoại thông minh: đạt 85%" in f.sentence]
    assert deck_items and deck_items[0].reason == "the document gives its indicators in a table"


def test_cli_writes_other_figures(tmp_path, samples):
    from click.testing import CliRunner

    import pipeline

    out = tmp_path / "out"
    res = CliRunner().invoke(pipeline.main, ["run", str(samples / "report_thuongxuan_2024.md"), "-o", str(out),
                                             "--no-progress"])
    assert res.exit_code == 0, res.output
    import pandas as pd

    tidy = pd.read_csv(out / "indicators.csv", dtype=str, keep_default_na=False)
    other = pd.read_csv(out / "other_figures.csv", dtype=str, keep_default_na=False)
    assert len(tidy) == 16
    assert len(other) >= 6 and other["sentence"].str.len().gt(20).all()
    assert not set(other["value_raw"] + other["sentence"]) & set(tidy["value_raw"] + tidy["label_raw"])
    review = pd.read_csv(out / "review.csv", dtype=str, keep_default_na=False)
    assert list(tidy.loc[tidy["needs_review"] == "true", "indicator_id"]) == ["9"]
    assert list(review["reason"]) == ["formula_mismatch"] and " · 9 reported = 45.75" in review["subject"][0]
