"""A run made again with the same inputs, options and code copies the kept run's outputs
(chitieu.rerun); anything that changes an output makes it a new run."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from chitieu.command import REPLAYED
from pipeline import main

OUTPUTS = ("indicators.csv", "consolidated.csv", "review.csv", "errors.csv", "inputs.csv", "summary_wide.csv",
           "completeness.csv", "other_figures.csv", "chitieu.xlsx")


def _run(args, out, cache):
    result = CliRunner().invoke(main, ["run", *map(str, args), "-o", str(out), "--cache-dir", str(cache),
                                       "--no-progress", "--no-report"])
    return result


def _same(a, b) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert sorted(p.name for p in (a / "communes").iterdir()) == sorted(p.name for p in (b / "communes").iterdir())


@pytest.fixture
def deck(samples, tmp_path):
    path = tmp_path / "in" / "deck.pdf"
    path.parent.mkdir()
    shutil.copy(samples / "deck_2023_summary_text.pdf", path)
    return path


def test_a_run_made_again_copies_its_outputs_and_says_so(deck, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = _run([deck], tmp_path / "a", cache)
    assert REPLAYED not in first.output

    import chitieu

    def no_reading(*args, **kwargs):
        raise AssertionError("a run made again read its inputs")

    monkeypatch.setattr(chitieu, "read", no_reading)
    again = _run([deck], tmp_path / "b", cache)
    assert again.exit_code == first.exit_code
    assert REPLAYED in again.output
    # The same lines, naming the folder this run wrote to.
    assert again.output.replace(str(tmp_path / "b"), str(tmp_path / "a")).replace(REPLAYED + "\n", "") == first.output
    _same(tmp_path / "a", tmp_path / "b")


@pytest.mark.parametrize("change", ["option", "input", "corrections"])
def test_what_changes_an_output_makes_a_new_run(change, deck, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    _run([deck], out, cache)
    args = [deck]
    if change == "option":
        args += ["--year", "2023"]
    elif change == "input":
        deck.write_bytes(deck.read_bytes() + b"\n% one more line\n")
    else:
        from normalize.outputs.corrections import CORRECTION_COLUMNS

        (out / "corrections.csv").write_text(",".join(CORRECTION_COLUMNS) + "\n", encoding="utf-8")
    again = _run(args, out, cache)
    assert again.exit_code in (0, 3), again.output
    assert REPLAYED not in again.output


def test_a_text_document_never_asks_for_the_engine(deck, tmp_path, monkeypatch):
    from chitieu import cache as pages

    def no_engine(*args):
        raise AssertionError("the OCR engine was asked for a run with no page to OCR")

    from chitieu import rerun

    monkeypatch.setattr(pages, "engine_identity", no_engine)
    monkeypatch.setattr(rerun, "engine_fingerprint", no_engine)
    cache = tmp_path / "cache"
    assert REPLAYED not in _run([deck], tmp_path / "a", cache).output
    assert REPLAYED in _run([deck], tmp_path / "b", cache).output


def test_a_copied_run_leaves_no_output_of_another(deck, samples, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    _run([deck], tmp_path / "kept", cache)
    _run([samples / "template_xuanduong_2024.docx"], out, cache)  # another run's commune files
    (out / "as_of_2025.csv").write_text("stale\n", encoding="utf-8")
    again = _run([deck], out, cache)
    assert REPLAYED in again.output
    _same(tmp_path / "kept", out)
    assert not (out / "as_of_2025.csv").exists()


def test_an_ocr_run_is_kept_under_its_engine(tmp_path, monkeypatch):
    from chitieu.rerun import Outcome, Reruns

    runs = Reruns(tmp_path)
    runs.store("k", Outcome({"indicators.csv": b"x"}, ((0, "said"),), 3, engine="tesserocr 5.5.4"))
    assert runs.load("k", lambda: "tesserocr 5.5.4").status == 3
    assert runs.load("k", lambda: "tesseract 5.3.0") is None
    runs.store("t", Outcome({}, (), 0))
    assert runs.load("t", lambda: pytest.fail("asked for the engine of a run with no OCR")) is not None


def test_a_run_with_a_failed_input_is_made_again_in_full(deck, tmp_path):
    cache = tmp_path / "cache"
    missing = tmp_path / "in" / "gone.pdf"
    first = _run([deck, missing], tmp_path / "a", cache)
    assert first.exit_code == 3 and "gone.pdf" in first.output
    assert REPLAYED not in _run([deck, missing], tmp_path / "b", cache).output


def test_without_a_report_an_earlier_report_goes(deck, tmp_path):
    out = tmp_path / "out"
    CliRunner().invoke(main, ["run", str(deck), "-o", str(out), "--no-cache", "--no-progress"])
    assert (out / "report.html").exists()
    _run([deck], out, tmp_path / "cache")
    assert not (out / "report.html").exists()


def test_no_reuse_makes_the_run_again_and_keeps_it(deck, tmp_path):
    cache = tmp_path / "cache"
    _run([deck], tmp_path / "a", cache)
    again = CliRunner().invoke(main, ["run", str(deck), "-o", str(tmp_path / "b"), "--cache-dir", str(cache),
                                      "--no-progress", "--no-report", "--no-reuse-outputs"])
    assert REPLAYED not in again.output and again.exit_code in (0, 3)
    assert REPLAYED in _run([deck], tmp_path / "c", cache).output
