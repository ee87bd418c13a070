"""Figures of the old communes under the unit that took them over (--as-of 2025): side by
side, never combined unless weights are given, and then named."""
from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.errors import BadCorrections, ExitCode
from normalize.outputs.consolidated import consolidate
from normalize.outputs.successors import as_of_2025, read_weights, split_communes
from normalize.record import Record
from pipeline import main

# Xã Quảng Lưu and Xã Quảng Lộc were merged, with others, into the new Xã Quảng Bình (16543).
LUU = Record(source_file="a.pdf", page=1, province="Thanh Hóa", district="Quảng Xương", commune="Xã Quảng Lưu",
             district_code="388", commune_code="16543", year=2024, indicator_id=6,
             indicator_name="Tỷ lệ người dân có điện thoại thông minh", phase="after", value=80.0, qualifier="",
             status="ok", value_raw="80%", label_raw="", match_score=100.0, ocr_conf=None, needs_review=False,
             note="", successor_commune="Xã Quảng Bình", successor_code="16543", unit_generation="2024")
LOC = replace(LUU, commune="Xã Quảng Lộc", commune_code="16546", value=60.0, value_raw="60%")


def _rows(table):
    return table.records()


def test_merged_communes_are_listed_side_by_side_never_averaged():
    (row,) = _rows(as_of_2025(consolidate([LUU, LOC])))
    assert (row["commune"], row["commune_code"], row["units_n"]) == ("Xã Quảng Bình", "16543", "2")
    assert row["value"] == "" and row["weighted_value"] == ""  # 70 is a figure nobody reported
    assert row["values"] == "Xã Quảng Lưu = 80; Xã Quảng Lộc = 60"
    assert "Xã Quảng Lưu (16543)" in row["replaces"] and "Xã Quảng Lộc (16546)" in row["replaces"]
    assert "not combined" in row["note"]


def test_a_weighted_mean_only_with_weights_given_and_named():
    (row,) = _rows(as_of_2025(consolidate([LUU, LOC]), {"16543": 3000.0, "16546": 1000.0}))
    assert row["weighted_value"] == "75" and "Xã Quảng Lưu 3000" in row["note"]
    (row,) = _rows(as_of_2025(consolidate([LUU, LOC]), {"16543": 3000.0}))
    assert row["weighted_value"] == "" and "no weight for Xã Quảng Lộc" in row["note"]


def test_one_predecessor_gives_its_value_and_a_split_one_does_not():
    (row,) = _rows(as_of_2025(consolidate([LUU])))
    assert (row["value"], row["units_n"]) == ("80", "1")
    (row,) = _rows(as_of_2025(consolidate([LUU]), split_codes=frozenset({"16543"})))
    assert row["value"] == "" and row["replaces"].endswith("split")
    assert split_communes()  # the gazetteer knows communes split between several new units


def test_weights_file_is_checked(tmp_path):
    good = tmp_path / "w.csv"
    good.write_text("commune_code,weight\n16543,3000\n16546, 1000.5\n", encoding="utf-8")
    assert read_weights(good) == {"16543": 3000.0, "16546": 1000.5}
    bad = tmp_path / "bad.csv"
    bad.write_text("commune_code,weight\n16543,many\n", encoding="utf-8")
    with pytest.raises(BadCorrections, match="line 2"):
        read_weights(bad)


def test_the_command_line_writes_the_view_and_refuses_weights_alone(samples, tmp_path):
    out = tmp_path / "out"
    args = ["run", str(samples / "template_xuanduong_2024.docx"), "-o", str(out), "--no-progress", "--no-report"]
    assert CliRunner().invoke(main, [*args, "--weights", str(samples / "README.md")]).exit_code == ExitCode.USAGE
    result = CliRunner().invoke(main, [*args, "--as-of", "2025"])
    assert result.exit_code == ExitCode.OK, result.output
    with open(out / "as_of_2025.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["units_n"] for r in rows} == {"1"} and all(r["replaces"].startswith("Xã Xuân Dương") for r in rows)
    assert CliRunner().invoke(main, args).exit_code == ExitCode.OK
    assert not Path(out / "as_of_2025.csv").exists()  # no stale view beside a run without it
