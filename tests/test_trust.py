"""Issue 14 on the demo: every sample, plus a copy of one with a value changed on purpose.

The conflict is named in consolidated.csv, review.csv and report.html with both sources;
review.csv holds one row per decision, each with a box inside its page; report.html opens
in headless Chromium with no network and shows every review item with its crop; a human's
answer recorded with ``chitieu review`` is applied by the next run, and reopened when its
input changes.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from extract.errors import ExitCode
from pipeline import main
from tests.test_report import artefacts_dir, chromium, crops_by_item

REPORT = "report_thuongxuan_2024.md"
COPY = "report_thuongxuan_copy.md"  # its indicator 5 says 59% where the report says 95%


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _run(inputs: Path, out: Path, *extra: str):
    result = CliRunner().invoke(main, ["run", str(inputs), "-o", str(out), "--no-progress", "--jobs", "2", *extra])
    assert result.exit_code in (ExitCode.OK, ExitCode.SOME_INPUTS_FAILED), result.output
    return result


def _copy_with_value_changed(source: Path, target: Path) -> None:
    text = source.read_text(encoding="utf-8")
    changed = text.replace("giải quyết hồ sơ trực tuyến: 95%", "giải quyết hồ sơ trực tuyến: 59%")
    assert changed != text
    target.write_text(changed, encoding="utf-8")


@pytest.fixture(scope="module")
def demo(samples, tmp_path_factory) -> Path:
    """`make demo`'s run (every sample) with the changed copy beside them."""
    root = tmp_path_factory.mktemp("demo")
    inputs = root / "in"
    shutil.copytree(samples, inputs)
    _copy_with_value_changed(samples / REPORT, inputs / COPY)
    out = root / "out"
    _run(inputs, out)
    return out


def _conflict_row(rows):
    return [r for r in rows if r["indicator_id"] == "5" and r["district"] == "Thường Xuân" and not r["commune"]
            and r["phase"] == "reported" and r["year"] == "2024"]


def test_the_conflict_is_named_with_both_sources_everywhere(demo):
    (row,) = _conflict_row(_rows(demo / "consolidated.csv"))
    assert row["conflict"] == "true" and row["needs_review"] == "true" and "conflict" in row["checks"]
    assert f"{COPY} p.1 = 59" in row["sources"] and f"{REPORT} p.1 = 95" in row["sources"]
    assert row["value"] == "95"  # six inputs say 95, one says 59
    review = [r for r in _rows(demo / "review.csv") if r["reason"] == "conflict" and COPY in r["files"]]
    assert len(review) == 1 and review[0]["severity"] == "error"
    assert f"{COPY} p.1 = 59" in review[0]["note"] and f"{REPORT} p.1 = 95" in review[0]["note"]
    html = (demo / "report.html").read_text(encoding="utf-8")
    item = html[html.index(f'data-decision="{review[0]["decision_id"]}"'):]
    item = item[:item.index("</article>")]
    assert COPY in item and REPORT in item
    tidy = [r for r in _rows(demo / "indicators.csv") if r["source_file"] == COPY and r["indicator_id"] == "5"]
    assert tidy[0]["needs_review"] == "true" and "conflict" in tidy[0]["checks"]


def test_review_has_one_row_per_decision_each_with_a_box_inside_its_page(demo):
    rows = _rows(demo / "review.csv")
    assert rows and len({r["decision_id"] for r in rows}) == len(rows)
    places = [r for r in rows if r["reason"] == "place_not_in_gazetteer"]
    assert len(places) == 1 and int(places[0]["values_n"]) == 320  # "Thiệu Chung": one question, 320 values
    for r in rows:
        x0, top, x1, bottom, w, h = (float(r[k]) for k in ("x0", "top", "x1", "bottom", "page_width", "page_height"))
        assert 0 <= x0 <= x1 <= w and 0 <= top <= bottom <= h and w > 0 and h > 0, r
        if r["scope"] in ("value", "conflict", "row"):  # the value's own box, not the whole page put in for none
            assert (x1 - x0) * (bottom - top) < w * h / 20, r
        assert r["severity"] in ("error", "warning", "info") and r["reason"] != "other", r
    flagged = [r for r in _rows(demo / "indicators.csv") if r["needs_review"] == "true"]
    assert len(rows) < len(flagged) / 3  # the queue is decisions, not values


def test_every_record_carries_checks_met_target_and_a_box(demo):
    tidy = _rows(demo / "indicators.csv")
    for r in tidy:
        assert len(r["bbox"].split()) == 4, r
        assert set(filter(None, r["checks"].split(";"))) <= {
            "percent_out_of_range", "regression", "stated_twice", "conflict", "year_missing"}
        assert r["met_target"] in ("", "true", "false")
    no_year = [r for r in tidy if not r["year"]]
    assert no_year and all("year_missing" in r["checks"] for r in no_year)
    met = [r for r in tidy if r["phase"] == "after" and r["value"] and r["met_target"]]
    assert met and all((r["met_target"] == "true") == (float(r["value"]) >= _target(r)) for r in met)


def _target(r) -> float:
    from normalize.indicators.catalogue import load_catalogue
    from normalize.text.values import parse_value

    return parse_value(load_catalogue().target(int(r["indicator_id"]), int(r["year"] or 2023))).value


def test_completeness_lists_what_is_missing(demo):
    rows = _rows(demo / "completeness.csv")
    assert rows and all(int(r["found"]) + int(r["missing_n"]) == 16 for r in rows)
    for r in rows:
        assert len([m for m in r["missing"].split(", ") if m]) == int(r["missing_n"])


def test_the_workbook_has_the_consolidated_sheet_with_numbers(demo):
    book = openpyxl.load_workbook(demo / "chitieu.xlsx")
    assert book.sheetnames[:4] == ["consolidated", "indicators", "review", "completeness"]
    sheet = book["consolidated"]
    header = [c.value for c in sheet[1]]
    value = sheet.cell(row=2, column=header.index("value") + 1)
    assert isinstance(value.value, (int, float)) and "%" in value.number_format
    communes = {c.value for c in sheet[sheet.cell(row=1, column=header.index("commune") + 1).column_letter]}
    assert "Xã Quảng Lưu" in communes and "Phường Điện Biên" in communes


@pytest.mark.skipif(shutil.which("chromium") is None,
                    reason="Chromium not installed (Debian package `chromium`; `make test` installs it)")
def test_the_report_shows_every_review_item_with_its_crop_in_chromium(demo, tmp_path):
    page = demo / "report.html"
    assert page.stat().st_size < 10 * 1024 * 1024
    artefacts = artefacts_dir()
    shutil.copy(page, artefacts / "demo_report.html")
    screenshot = artefacts / "demo_report.png"
    screenshot.unlink(missing_ok=True)
    shot = chromium(page, tmp_path / "profile-shot", f"--screenshot={screenshot}", "--window-size=1280,6000")
    dom = chromium(page, tmp_path / "profile-dom", "--dump-dom")
    assert shot.returncode == 0 and dom.returncode == 0, shot.stderr[-2000:] + dom.stderr[-2000:]
    found = crops_by_item(dom.stdout)
    assert set(found) == {r["decision_id"] for r in _rows(demo / "review.csv")}
    for decision, imgs in found.items():
        assert [img.get("data-loaded") for img in imgs] == ["1"], f"{decision}: no picture drawn"
    assert screenshot.exists() and screenshot.stat().st_size > 20_000


# ---------------------------------------------------------------- decisions that persist


@pytest.fixture()
def small(samples, tmp_path) -> tuple[Path, Path]:
    """Two text reports that disagree on one value: fast, no OCR."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(samples / REPORT, inputs / REPORT)
    _copy_with_value_changed(samples / REPORT, inputs / COPY)
    out = tmp_path / "out"
    _run(inputs, out, "--no-report")
    return inputs, out


def _review(out: Path, *args: str):
    return CliRunner().invoke(main, ["review", str(out), *args])


def test_a_correction_is_applied_by_the_next_run(small):
    inputs, out = small
    listed = _review(out)
    assert listed.exit_code == ExitCode.SOME_INPUTS_FAILED
    (conflict,) = [r for r in _rows(out / "review.csv") if r["reason"] == "conflict"]
    assert conflict["decision_id"] in listed.output
    answer = _review(out, "correct", conflict["decision_id"][:6], "95")
    assert answer.exit_code == 0, answer.output
    saved = _rows(out / "corrections.csv")
    assert [(c["decision_id"], c["action"], c["value"]) for c in saved] == [(conflict["decision_id"], "correct", "95")]
    _run(inputs, out, "--no-report")
    assert conflict["decision_id"] not in {r["decision_id"] for r in _rows(out / "review.csv")}
    (row,) = _conflict_row(_rows(out / "consolidated.csv"))
    assert (row["value"], row["decided_by"], row["needs_review"]) == ("95", "corrections.csv", "false")
    decided = [r for r in _rows(out / "indicators.csv") if r["decided_by"]]
    assert len(decided) == 1 and decided[0]["value"] == "95" and decided[0]["bbox"]


def test_an_accept_is_applied_and_bad_answers_refused(small):
    inputs, out = small
    first = _rows(out / "review.csv")
    value = next(r for r in first if r["scope"] == "value")
    assert _review(out, "accept", value["decision_id"]).exit_code == 0
    assert _review(out, "correct", "ffffffffffff", "80").exit_code == ExitCode.USAGE  # no such decision
    assert _review(out, "correct", value["decision_id"], "eighty").exit_code == ExitCode.USAGE
    assert _review(out, "alias", "Thiệu Chung", "Xã Nowhere").exit_code == ExitCode.USAGE
    assert _review(out, "alias", "Thiệu Chung", "Xã Thiệu Trung").exit_code == ExitCode.USAGE  # no input names it
    _run(inputs, out, "--no-report")
    assert value["decision_id"] not in {r["decision_id"] for r in _rows(out / "review.csv")}
    assert [c["action"] for c in _rows(out / "corrections.csv")] == ["accept"]


def test_an_alias_resolves_the_name_in_its_district_from_then_on(samples, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(samples / "deck_2023_text_layer.txt", inputs / "deck.txt")
    out = tmp_path / "out"
    _run(inputs, out, "--no-report")
    (place,) = [r for r in _rows(out / "review.csv") if r["scope"] == "place"]
    assert place["value_raw"] == "Xã Thiệu Chung" and place["values_n"] == "32"
    assert _review(out, "alias", "Chung", "Xã Thiệu Trung").exit_code == ExitCode.USAGE  # not a name written
    assert _review(out, "alias", "Thiệu Chung", "Xã Thiệu Trung").exit_code == 0
    _run(inputs, out, "--no-report")
    assert not [r for r in _rows(out / "review.csv") if r["scope"] == "place"]
    tidy = _rows(out / "indicators.csv")
    moved = [r for r in tidy if r["commune"] == "Xã Thiệu Trung"]
    assert len(moved) == 32 and {r["commune_code"] for r in moved} == {"15841"} and not any(
        r["commune"] == "Xã Thiệu Chung" for r in tidy)


def test_a_decision_whose_input_changed_is_reopened(small):
    inputs, out = small
    (conflict,) = [r for r in _rows(out / "review.csv") if r["reason"] == "conflict"]
    chosen = conflict["value"]
    assert _review(out, "accept", conflict["decision_id"]).exit_code == 0
    _run(inputs, out, "--no-report")
    assert conflict["decision_id"] not in {r["decision_id"] for r in _rows(out / "review.csv")}
    (row,) = _conflict_row(_rows(out / "consolidated.csv"))
    assert (row["value"], row["decided_by"], row["needs_review"]) == (chosen, "corrections.csv", "false")
    edited = (inputs / COPY).read_text(encoding="utf-8").replace("(năm 2024)", "(năm 2024) ", 1) + "\n"
    (inputs / COPY).write_text(edited, encoding="utf-8")  # the same 59%, but the file changed
    _run(inputs, out, "--no-report")
    (again,) = [r for r in _rows(out / "review.csv") if r["decision_id"] == conflict["decision_id"]]
    assert again["state"] == "reopened" and f"{COPY} changed since" in again["note"]
