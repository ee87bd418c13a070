"""Inputs go by their path under the folder named: two ``baocao.txt`` in two sub-folders,
with different values, are two sources in every output and in the cache."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from chitieu.inputs import expand_inputs
from pipeline import main

DECK = "deck_2023_text_layer.txt"  # a text dump: every output gets rows, no OCR needed


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _run(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["run", *args, "--no-progress"])
    assert result.exit_code in (0, 3), result.output


@pytest.fixture(scope="module")
def two_folders(samples, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("same_names")
    text = (samples / DECK).read_text(encoding="utf-8")
    for folder, body in (("xa_a", text), ("xa_b", text.replace("100%", "98%"))):
        (root / "in" / folder).mkdir(parents=True)
        (root / "in" / folder / "baocao.txt").write_text(body, encoding="utf-8")
    _run([str(root / "in"), "-o", str(root / "both"), "--no-cache"])
    for folder in ("xa_a", "xa_b"):
        _run([str(root / "in" / folder / "baocao.txt"), "-o", str(root / folder), "--no-cache"])
    return root


# What one input's rows say of the others: the two inputs disagree (98% for 100%), which a
# run of either alone cannot know (test_review_names_both_sources_of_a_conflict).
ACROSS_INPUTS = ("source_file", "needs_review", "note", "checks", "flagged")


def _without_source(rows: list[dict], source: str) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ACROSS_INPUTS} for r in rows if r["source_file"] == source]


def test_review_names_both_sources_of_a_conflict(two_folders):
    both = _rows(two_folders / "both" / "review.csv")
    conflicts = [r for r in both if r["reason"] == "conflict"]
    assert conflicts and all(r["files"] == "xa_a/baocao.txt; xa_b/baocao.txt" for r in conflicts)
    assert all("xa_a/baocao.txt p." in r["note"] and "xa_b/baocao.txt p." in r["note"] for r in conflicts)
    for folder in ("xa_a", "xa_b"):
        alone = _rows(two_folders / folder / "review.csv")
        assert {r["files"] for r in alone} == {"baocao.txt"} and not any(r["reason"] == "conflict" for r in alone)


@pytest.mark.parametrize("name", ["indicators.csv", "errors.csv", "inputs.csv", "other_figures.csv",
                                  "summary_wide.csv"])
def test_each_file_holds_both_sources_as_each_alone(two_folders, name):
    both = _rows(two_folders / "both" / name)
    assert {r["source_file"] for r in both} == {"xa_a/baocao.txt", "xa_b/baocao.txt"}
    for folder in ("xa_a", "xa_b"):
        alone = _rows(two_folders / folder / name)
        assert {r["source_file"] for r in alone} == {"baocao.txt"}  # a file named goes by its name, as before
        assert _without_source(both, f"{folder}/baocao.txt") == _without_source(alone, "baocao.txt")
    if name == "indicators.csv":
        a, b = ([r["value"] for r in both if r["source_file"] == s] for s in ("xa_a/baocao.txt", "xa_b/baocao.txt"))
        assert a != b


def test_each_commune_file_holds_both_sources(two_folders):
    files = sorted(p.name for p in (two_folders / "both" / "communes").glob("*.csv"))
    assert files == sorted(p.name for p in (two_folders / "xa_a" / "communes").glob("*.csv")) and len(files) == 5
    for name in files:
        both = _rows(two_folders / "both" / "communes" / name)
        for folder in ("xa_a", "xa_b"):
            alone = _rows(two_folders / folder / "communes" / name)
            assert _without_source(both, f"{folder}/baocao.txt") == _without_source(alone, "baocao.txt")
    luu = _rows(two_folders / "both" / "communes" / "16543.csv")
    after = {(r["source_file"], r["indicator_id"]): r["after"] for r in luu}
    assert after[("xa_a/baocao.txt", "1")] == "100" and after[("xa_b/baocao.txt", "1")] == "98"


def test_the_cache_keeps_one_entry_per_name(samples, tmp_path):
    """The same content under two names is two sources, read from the cache or not."""
    for folder in ("a", "b"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "baocao.txt").write_bytes((samples / DECK).read_bytes())
    args = [str(tmp_path / "in"), "--cache-dir", str(tmp_path / "cache")]
    _run([*args, "-o", str(tmp_path / "first")])
    _run([*args, "-o", str(tmp_path / "again")])
    _run([str(tmp_path / "in"), "--no-cache", "-o", str(tmp_path / "fresh")])
    first = _rows(tmp_path / "first" / "indicators.csv")
    assert {r["source_file"] for r in first} == {"a/baocao.txt", "b/baocao.txt"}
    for out in ("again", "fresh"):
        for name in ("indicators.csv", "inputs.csv", "errors.csv", "summary_wide.csv"):
            assert (tmp_path / out / name).read_bytes() == (tmp_path / "first" / name).read_bytes(), (out, name)


def test_names_shared_across_arguments_fall_back_to_the_paths_given(tmp_path):
    for rel in ("a/baocao.txt", "b/baocao.txt", "c/baocao.txt", "c/a/baocao.txt", "d/report.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    files, errors = expand_inputs([str(tmp_path / "a" / "baocao.txt"), str(tmp_path / "b" / "baocao.txt"),
                                   str(tmp_path / "c"), str(tmp_path / "d" / "report.txt"),
                                   str(tmp_path / "c" / "a")])  # already found under c/: once
    names = [f.source_file for f in files]
    full = [(tmp_path / rel).as_posix() for rel in ("a/baocao.txt", "b/baocao.txt", "c/baocao.txt")]
    assert errors == [] and names == [full[0], full[1], "a/baocao.txt", full[2], "report.txt"]
