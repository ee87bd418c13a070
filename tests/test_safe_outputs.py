"""Outputs that cannot hurt: file names made from document text stay short and inside
OUT; CSV cells a spreadsheet would run are defused; files get the user's umask; two
runs into one OUT at once are refused."""
from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.errors import ExitCode, OutputInUse
from normalize.outputs.atomic import write_text_atomic
from normalize.outputs.csv_cells import TRIGGERS, defuse
from normalize.outputs.datasets import write_outputs
from normalize.outputs.filenames import MAX_SLUG, inside, slug, unit_file_stem
from normalize.outputs.lock import LOCK_NAME, output_lock
from normalize.record import Record
from pipeline import main

ROOT = Path(__file__).resolve().parents[1]
RECORD = Record(source_file="a.txt", page=1, province="Thanh Hóa", district="Quảng Xương", commune="Xã Quảng Lưu",
                district_code="388", commune_code="", year=2024, indicator_id=5,
                indicator_name="Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến", phase="after", value=90.0,
                qualifier="", status="ok", value_raw="90%", label_raw="Tỷ lệ tiếp nhận", match_score=100.0,
                ocr_conf=None, needs_review=False, note="")
HOSTILE = ["../../../etc/passwd", "..", ".", "CON", "nul", "Com1", "LPT9", "a/b\\c", "/abs/path", "C:\\Windows",
           "Xã " + "Quảng Lưu " * 30, "", "   ", "\x00\x1f", "東京", "Xã =cmd|' /C calc'!A0", "12345", ".hidden"]
SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,%d}\.csv" % (MAX_SLUG + 16))


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------- file names


@pytest.mark.parametrize("name", HOSTILE)
def test_a_slug_is_a_plain_bounded_name(name):
    s = slug(name)
    assert SAFE_NAME.fullmatch(f"{s}.csv") and ".." not in s
    assert s not in ("con", "nul", "com1", "lpt9") and not s.isdigit()


def test_cut_slugs_of_different_names_differ():
    a, b = "Xã " + "Quảng Lưu " * 30 + "A", "Xã " + "Quảng Lưu " * 30 + "B"
    assert slug(a) != slug(b) and len(slug(a)) <= MAX_SLUG + 9


def test_a_code_is_the_stem_only_when_it_is_a_code():
    assert unit_file_stem("16543", "Xã Quảng Lưu") == "16543"
    assert unit_file_stem("../x", "Xã Quảng Lưu") == "xa-quang-luu"


@pytest.mark.parametrize("stem", ["../x", "a/b", "..", ".", "", ".lock"])
def test_nothing_is_written_outside_its_folder(tmp_path, stem):
    with pytest.raises(ValueError):
        inside(tmp_path, stem)


@given(st.text(max_size=400))
def test_any_text_gives_a_safe_stem(text):
    assert SAFE_NAME.fullmatch(f"{slug(text)}.csv")


@settings(max_examples=100)  # writes files: a fixed number, whatever the profile
@given(st.lists(st.tuples(st.text(max_size=300), st.text(max_size=40), st.sampled_from(["", "16543", "../x"])),
                min_size=1, max_size=4))
def test_any_names_are_written_inside_out(units):
    records = [replace(RECORD, commune=c, district=d, commune_code=code) for c, d, code in units]
    with tempfile.TemporaryDirectory() as tmp:
        write_outputs(Path(tmp) / "out", records, [])
        assert sorted(p.name for p in Path(tmp).iterdir()) == ["out"]
        communes = Path(tmp) / "out" / "communes"
        names = [p.name for p in communes.iterdir()] if communes.exists() else []
        assert all(SAFE_NAME.fullmatch(n) or n == "16543.csv" for n in names), names


def test_hostile_commune_names_each_get_a_file_inside_out(tmp_path):
    records = [replace(RECORD, commune=name, district="") for name in HOSTILE if name.strip()]
    out = tmp_path / "out"
    counts = write_outputs(out, records, [])
    files = sorted((out / "communes").iterdir())
    assert counts["communes"] == len(files) == len({r.commune for r in records})
    assert all(SAFE_NAME.fullmatch(p.name) for p in files), [p.name for p in files]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert {row["commune"] for p in files for row in _rows(p)} == {r.commune for r in records}


def test_a_300_character_locality_in_a_document_is_read(samples, tmp_path):
    long = "Thiệu " + "Chung Quảng " * 26  # 318 characters
    text = (samples / "deck_2023_text_layer.txt").read_text(encoding="utf-8")
    (tmp_path / "long.txt").write_text(text.replace("(xã Thiệu Chung)", f"(xã {long})"), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(tmp_path / "long.txt"), "-o", str(tmp_path / "o"), "--no-cache"])
    assert result.exit_code == ExitCode.SOME_INPUTS_FAILED and "Traceback" not in result.output, result.output
    files = sorted(p.name for p in (tmp_path / "o" / "communes").glob("*.csv"))
    assert len(files) == 5 and all(len(f) <= MAX_SLUG + 13 for f in files)
    slugged = next(f for f in files if not f[0].isdigit())
    assert {r["commune"] for r in _rows(tmp_path / "o" / "communes" / slugged)} == {f"Xã {long.strip()}"}


# ---------------------------------------------------------------- CSV injection


@pytest.mark.parametrize("cell,numeric,written", [
    ("=HYPERLINK(\"http://x\")", False, "'=HYPERLINK(\"http://x\")"), ("+1", False, "'+1"), ("-5%", False, "'-5%"),
    ("@SUM(A1)", False, "'@SUM(A1)"), ("\tx", False, "'\tx"), ("\rx", False, "'\rx"), ("-5", True, "-5"),
    ("-2.5", True, "-2.5"), ("=1+1", True, "'=1+1"), ("Xã Quảng Lưu", False, "Xã Quảng Lưu"), ("", False, ""),
    ("99.5", True, "99.5"), ("a=b", False, "a=b"),
])
def test_cells_a_spreadsheet_would_run_are_defused(cell, numeric, written):
    assert defuse(cell, numeric=numeric) == written


@given(st.text(max_size=20), st.booleans())
def test_no_defused_cell_starts_a_formula(cell, numeric):
    out = defuse(cell, numeric=numeric)
    assert not out.startswith(TRIGGERS) or (numeric and re.fullmatch(r"[+-]?\d+(\.\d+)?(e[+-]?\d+)?", out, re.I))
    assert out in (cell, "'" + cell)


def test_text_cells_of_every_file_are_defused_and_numbers_kept(tmp_path):
    bad = replace(RECORD, commune="=cmd|'/C calc'!A0", commune_code="", value=-5.0, value_raw="-5%",
                  label_raw="@SUM(1+1)", note="+ a note", needs_review=True)
    write_outputs(tmp_path, [bad], [])
    row = _rows(tmp_path / "indicators.csv")[0]
    assert (row["commune"], row["value"], row["value_raw"], row["label_raw"], row["note"]) == (
        "'=cmd|'/C calc'!A0", "-5", "'-5%", "'@SUM(1+1)", "'+ a note")
    row = _rows(tmp_path / "review.csv")[0]
    assert (row["value_raw"], row["note"], row["subject"][:5]) == ("'-5%", "'+ a note", "'=cmd")
    assert _rows(tmp_path / "consolidated.csv")[0]["commune"] == "'=cmd|'/C calc'!A0"
    wide = _rows(tmp_path / "summary_wide.csv")[0]
    assert wide["commune"] == "'=cmd|'/C calc'!A0" and wide["i05_after"] == "-5"
    (commune,) = (tmp_path / "communes").glob("*.csv")
    assert _rows(commune)[0]["after"] == "-5" and _rows(commune)[0]["commune"].startswith("'=")


# ---------------------------------------------------------------- umask


@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664), (0o077, 0o600)])
def test_files_get_the_users_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        write_text_atomic(tmp_path / "x.csv", "a\n")
        write_outputs(tmp_path / "out", [RECORD], [])
    finally:
        os.umask(old)
    assert (tmp_path / "x.csv").stat().st_mode & 0o777 == mode
    for path in (tmp_path / "out").rglob("*.csv"):
        assert path.stat().st_mode & 0o777 == mode, path


# ---------------------------------------------------------------- one run at a time


def _holder(out: Path) -> subprocess.Popen:
    """Another process that holds ``out``'s lock until its stdin closes."""
    code = ("import sys; from normalize.outputs.lock import output_lock\n"
            f"with output_lock({str(out)!r}):\n    print('held', flush=True); sys.stdin.read()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_run_into_the_same_out_is_refused(samples, tmp_path):
    out = tmp_path / "o"
    holder = _holder(out)
    try:
        args = ["run", str(samples / "report_thuongxuan_2024.md"), "-o", str(out), "--no-cache"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == ExitCode.USAGE == OutputInUse.exit_code
        assert "in use by another chitieu run" in result.output and f"process {holder.pid}" in result.output
        assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]
    finally:
        holder.communicate("")
    assert CliRunner().invoke(main, args).exit_code == ExitCode.OK
    assert (out / "indicators.csv").exists()


def test_the_lock_is_re_entrant_in_one_process_and_an_unused_new_folder_goes(tmp_path):
    with output_lock(tmp_path / "new") as folder:
        with output_lock(folder):
            assert (folder / LOCK_NAME).exists()
    assert not (tmp_path / "new").exists()
    (tmp_path / "kept").mkdir()
    with output_lock(tmp_path / "kept"):
        pass
    assert (tmp_path / "kept").is_dir()
