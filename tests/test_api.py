"""The Python API: chitieu.read gives typed frames, and writes what the command line writes."""
from __future__ import annotations

from click.testing import CliRunner

import chitieu
from pipeline import main


def test_read_gives_records_with_real_dtypes(samples):
    result = chitieu.read(samples / "deck_2023_summary_text.pdf", jobs=1)
    frame = result.records
    assert len(frame) == 176 and result.errors.empty
    assert frame["value"].dtype == "float64" and frame["match_score"].dtype == "float64"
    assert frame["needs_review"].dtype == bool
    assert str(frame["indicator_id"].dtype) == "Int64" and str(frame["page"].dtype) == "Int64"
    assert str(frame["commune_code"].dtype) == "string" and str(frame["district_code"].dtype) == "string"
    luu = frame[(frame["commune"] == "Xã Quảng Lưu") & (frame["indicator_id"] == 6)]
    assert dict(zip(luu["phase"], luu["value"])) == {"before": 70.0, "after": 82.0}
    assert frame["needs_review"].sum() == len(frame.query("needs_review")) > 0


def test_errors_are_rows_with_their_kind(samples, tmp_path):
    (tmp_path / "a.xyz").write_text("x")
    result = chitieu.read([samples / "deck_2023_summary_text.pdf", tmp_path / "missing.pdf", tmp_path / "a.xyz"])
    errors = result.errors
    assert list(errors.columns) == ["source_file", "page", "stage", "reason", "kind"]
    assert list(errors["kind"]) == ["missing", "unsupported"] and errors["page"].isna().all()
    assert len(result.records) == 176


def test_write_is_what_the_command_line_writes(samples, tmp_path):
    source = samples / "deck_2023_summary_text.pdf"
    chitieu.read(source).write(tmp_path / "api")
    result = CliRunner().invoke(main, ["run", str(source), "-o", str(tmp_path / "cli"), "--no-cache"])
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(tmp_path / "cli") for p in (tmp_path / "cli").rglob("*.csv"))
    assert len(files) > 5
    assert all((tmp_path / "api" / f).read_bytes() == (tmp_path / "cli" / f).read_bytes() for f in files)
