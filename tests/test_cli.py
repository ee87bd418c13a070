"""The command line: outputs, exit codes, bad inputs, help."""
from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from chitieu.inputs import expand_inputs
from extract.errors import ExitCode
from pipeline import main


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_run_writes_every_output(samples, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(samples / "deck_2023_summary_text.pdf"), "-o", str(out)])
    assert result.exit_code == ExitCode.OK, result.output
    rows = _read(out / "indicators.csv")
    assert len(rows) == 176
    assert list(rows[0])[:20] == [
        "source_file", "page", "province", "district", "commune", "district_code", "commune_code", "year",
        "indicator_id", "indicator_name", "phase", "value", "qualifier", "status", "value_raw", "label_raw",
        "match_score", "ocr_conf", "needs_review", "note",
    ]
    review = _read(out / "review.csv")
    assert review and all(r["decision_id"] and r["severity"] in ("error", "warning", "info") for r in review)
    flagged = [r for r in rows if r["needs_review"] == "true"]
    assert 0 < len(review) <= len(flagged)  # a decision covers one value or more
    consolidated = _read(out / "consolidated.csv")
    assert len(consolidated) == sum(r["phase"] != "target" for r in rows)  # one input: a row per value
    assert (out / "completeness.csv").exists() and (out / "report.html").exists()
    assert _read(out / "errors.csv") == []
    account = _read(out / "inputs.csv")
    assert [r["read_as"] for r in account] == ["text"] * len(account) and sum(int(r["records"]) for r in account) == 176
    communes = sorted(p.name for p in (out / "communes").glob("*.csv"))
    assert len(communes) == 5
    luu = _read(next(p for p in (out / "communes").glob("*.csv") if "Quảng Lưu" in p.read_text(encoding="utf-8")))
    assert len(luu) == 16
    row6 = next(r for r in luu if r["indicator_id"] == "6")
    assert (row6["target"], row6["before"], row6["after"], row6["met_target"]) == ("80", "70", "82", "true")
    wide = _read(out / "summary_wide.csv")
    assert len(wide) == 5 and "i16_after" in wide[0]
    assert not list(out.rglob("*.tmp"))


def test_bad_inputs_are_reported_and_others_processed(samples, tmp_path):
    fake = tmp_path / "notes.pdf"
    fake.write_text("this is not a pdf", encoding="utf-8")
    encrypted = tmp_path / "locked.pdf"
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(encrypted), encrypt="secret")
    c.drawString(100, 700, "Bảng tổng hợp")
    c.save()
    out = tmp_path / "out"
    args = ["run", str(fake), str(encrypted), str(tmp_path / "missing.pdf"), str(samples / "deck_2023_text_layer.txt"), "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == ExitCode.SOME_INPUTS_FAILED, result.output
    errors = {Path(r["source_file"]).name: r["reason"] for r in _read(out / "errors.csv")}
    assert "not a PDF" in errors["notes.pdf"]
    assert "encrypted" in errors["locked.pdf"]
    assert "no such file" in errors["missing.pdf"]
    assert len(_read(out / "indicators.csv")) == 176
    assert "locked.pdf" in result.output  # also said on stderr (mixed into output by CliRunner)


def test_nothing_readable_exit_code(tmp_path):
    fake = tmp_path / "a.pdf"
    fake.write_bytes(b"\x00\x01garbage")
    result = CliRunner().invoke(main, ["run", str(fake), "-o", str(tmp_path / "out")])
    assert result.exit_code == ExitCode.NOTHING_READ


def test_missing_tesseract_is_a_clear_error(samples, tmp_path, monkeypatch):
    import extract.ocr.engine

    def unavailable(lang="vie", engine="tesseract"):
        raise extract.ocr.engine.OcrUnavailable("Tesseract not found: apt-get install tesseract-ocr tesseract-ocr-vie")

    monkeypatch.setattr(extract.ocr.engine, "tesseract_available", unavailable)
    result = CliRunner().invoke(main, ["run", str(samples / "deck_2023_scan.pdf"), "-o", str(tmp_path / "o")])
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY
    assert "tesseract-ocr-vie" in result.output


def test_folder_input_and_unsupported_files(samples, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "deck.txt").write_bytes((samples / "deck_2023_text_layer.txt").read_bytes())
    (folder / "readme.docx.bak").write_text("x")
    files, errors = expand_inputs([str(folder)])
    assert [(f.path.name, f.source_file) for f in files] == [("deck.txt", "deck.txt")] and errors == []


def test_match_command():
    result = CliRunner().invoke(main, ["match", "Ty 1€ nguot dan co6 dién thoai thong minh"])
    assert result.exit_code == 0
    first, second = result.output.strip().splitlines()
    assert first.split("\t")[0] == "6"
    assert second.startswith("runner-up:") and "\t6\t" not in second


def test_line_progress_writes_a_line_per_period_and_a_last_one():
    import io

    from chitieu.progress import LineProgress

    now = [0.0]
    out = io.StringIO()
    bar = LineProgress(100, "OCR pages", every=30, file=out, clock=lambda: now[0])
    for _ in range(100):
        now[0] += 1.0  # a page a second
        bar.update(1)
    bar.render_finish()
    lines = out.getvalue().splitlines()
    assert lines[0] == "OCR pages: 30/100 (30%), 1.00/s, about 70 s left"
    assert len(lines) == 4 and lines[-1] == "OCR pages: 100/100 (100%), 1.00/s in 1.7 min"


def test_line_progress_is_silent_on_a_short_run():
    import io

    from chitieu.progress import LineProgress

    out = io.StringIO()
    bar = LineProgress(3, "OCR pages", every=30, file=out, clock=lambda: 0.0)
    bar.update(3)
    bar.render_finish()
    assert out.getvalue() == ""


def test_a_second_run_into_the_same_folder_leaves_no_commune_file_of_the_first(samples, tmp_path):
    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["run", str(samples / "deck_2023_summary_text.pdf"), "-o", str(out)])
    assert first.exit_code == ExitCode.OK, first.output
    assert len(list((out / "communes").glob("*.csv"))) == 5
    (out / "communes" / "notes.txt").write_text("the user's own", encoding="utf-8")
    second = CliRunner().invoke(main, ["run", str(samples / "report_thuongxuan_2024.md"), "-o", str(out)])
    assert second.exit_code == ExitCode.OK, second.output
    # The report is a district's: no commune file is this run's, so none may be left.
    assert list((out / "communes").glob("*.csv")) == []
    assert (out / "communes" / "notes.txt").exists()
    assert {r["source_file"] for r in _read(out / "indicators.csv")} == {"report_thuongxuan_2024.md"}


def test_an_output_folder_that_cannot_be_made_is_a_usage_error_not_a_traceback(samples, tmp_path):
    taken = tmp_path / "out"
    taken.write_text("a file where the folder should be\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(samples / "deck_2023_summary_text.pdf"), "-o", str(taken / "sub")])
    assert result.exit_code == ExitCode.USAGE
    assert "cannot make the output folder" in result.output and "Traceback" not in result.output
