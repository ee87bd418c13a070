"""The same command given again (chitieu.quick): answered from its kept run without click,
and only when the kept run is what the words mean now."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from chitieu import quick, rerun
from chitieu.command import REPLAYED

ROOT = Path(__file__).resolve().parents[1]

# The program as the console script runs it; after it, the heavy modules it imported.
_PROGRAM = textwrap.dedent("""
    import sys
    from chitieu.quick import entry
    try:
        entry()
    except SystemExit as exc:
        status = exc.code
    heavy = ("click", "pipeline", "pandas", "numpy", "PIL", "pdfplumber", "chitieu.runner", "normalize.outputs.datasets")
    print(" ".join(m for m in heavy if m in sys.modules))
    sys.exit(status)
""")


def _program(args, cwd):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-c", _PROGRAM, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


@pytest.fixture
def report(samples, tmp_path):
    path = tmp_path / "report.md"
    shutil.copy(samples / "report_thuongxuan_2024.md", path)
    return path


def test_the_same_words_again_are_answered_without_click(report, tmp_path):
    args = ["run", report.name, "-o", "out", "--cache-dir", "cache", "--no-progress", "--no-report"]
    first = _program(args, tmp_path)
    assert first.returncode in (0, 3), first.stderr
    assert "click" in first.stdout.split() and REPLAYED not in first.stderr
    written = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*.csv")}
    for p in written:
        p.unlink()
    again = _program(args, tmp_path)
    assert again.returncode == first.returncode
    assert again.stdout.split() == [], f"the command given again imported {again.stdout}"
    assert again.stderr == first.stderr + REPLAYED + "\n"
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*.csv")} == written
    # other words (another output folder) are parsed by click, and the run is still copied
    other = _program([*args[:3], "out2", *args[4:]], tmp_path)
    assert "click" in other.stdout.split() and other.stderr.endswith(REPLAYED + "\n")


def _entry(args, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stop:
        quick.entry([str(a) for a in args])
    return stop.value.code, capsys.readouterr().err


def test_an_input_changed_is_read_again(report, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = ["run", report.name, "-o", "out", "--cache-dir", "cache", "--no-progress", "--no-report"]
    indicators = tmp_path / "out" / "indicators.csv"
    status, err = _entry(args, capsys)
    assert REPLAYED not in err
    assert _entry(args, capsys)[1].endswith(REPLAYED + "\n")
    before = indicators.read_text(encoding="utf-8-sig").count(",reported,97,,ok,97%,")
    report.write_text(report.read_text(encoding="utf-8").replace("100%", "97%"), encoding="utf-8")
    status, err = _entry(args, capsys)
    assert REPLAYED not in err
    assert indicators.read_text(encoding="utf-8-sig").count(",reported,97,,ok,97%,") > before


def test_the_same_words_in_another_folder_mean_other_inputs(samples, tmp_path, monkeypatch, capsys):
    args = ["run", "report.md", "-o", "out", "--cache-dir", str(tmp_path / "cache"), "--no-progress", "--no-report"]
    text = (samples / "report_thuongxuan_2024.md").read_text(encoding="utf-8")
    for name, content in (("a", text), ("b", text.replace("100%", "97%"))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.md").write_text(content, encoding="utf-8")
        monkeypatch.chdir(tmp_path / name)
        assert REPLAYED not in _entry(args, capsys)[1]
    a = (tmp_path / "a" / "out" / "indicators.csv").read_bytes()
    assert a != (tmp_path / "b" / "out" / "indicators.csv").read_bytes()
    monkeypatch.chdir(tmp_path / "a")
    assert _entry(args, capsys)[1].endswith(REPLAYED + "\n")
    assert (tmp_path / "a" / "out" / "indicators.csv").read_bytes() == a


def test_no_cache_and_no_reuse_are_never_answered_nor_remembered(report, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    common = ["run", report.name, "-o", "out", "--no-progress", "--no-report"]
    for extra in (["--no-cache"], ["--cache-dir", "cache", "--no-reuse-outputs"]):
        _entry([*common, *extra], capsys)
        assert REPLAYED not in _entry([*common, *extra], capsys)[1]
    assert not list(tmp_path.glob("cache/runs-v*/commands/*.cmd"))
    assert quick.replay_command([*common, "--cache-dir", "cache", "--no-reuse-outputs"]) is None


def test_the_cache_folder_is_the_last_one_named(tmp_path):
    assert quick.cache_of(["run", "x", "--cache-dir", "a", "--cache-dir=b"]) == Path("b")
    assert quick.cache_of(["run", "x", "--cache-dir=b", "--cache-dir", "a"]) == Path("a")
    assert quick.cache_of(["run", "x"]) == rerun.default_cache_dir()


def test_a_change_of_the_parsing_code_makes_another_entry(tmp_path, monkeypatch):
    for name in quick._PARSING:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.setattr(rerun, "_ROOT", tmp_path)
    argv = ["run", "x.pdf", "-o", "out"]
    before = quick._entry_path(tmp_path, argv)
    assert quick._entry_path(tmp_path, argv) == before
    assert quick._entry_path(tmp_path, [*argv, "--dpi", "300"]) != before
    with open(tmp_path / "chitieu" / "cli.py", "a", encoding="utf-8") as fh:
        fh.write("\n# a default changed\n")
    assert quick._entry_path(tmp_path, argv) != before


def test_an_output_that_became_a_folder_is_the_command_lines_to_say(report, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = ["run", report.name, "-o", "out", "--cache-dir", "cache", "--no-progress", "--no-report"]
    _entry(args, capsys)
    (tmp_path / "out" / "indicators.csv").unlink()
    (tmp_path / "out" / "indicators.csv").mkdir()
    assert quick.replay_command(args) is None  # not a traceback: the parsed command says it
    status, err = _entry(args, capsys)
    assert status != 0 and "Traceback" not in err and "indicators.csv" in err


def test_a_corrections_path_that_became_a_folder_is_not_the_kept_runs(tmp_path):
    (tmp_path / "c").mkdir()
    assert rerun.digest_of(tmp_path / "c") != rerun.digest_of(tmp_path / "none.csv") == "absent"


def test_a_parsing_file_that_cannot_be_read_leaves_the_command_to_click(tmp_path, monkeypatch):
    monkeypatch.setattr(rerun, "_ROOT", tmp_path)  # none of the parsing files is there
    argv = ["run", "x.pdf", "-o", "out", "--cache-dir", str(tmp_path / "cache")]
    assert quick.replay_command(argv) is None
    quick.remember_command(rerun.Reruns(tmp_path / "cache"), argv, {"paths": ["x.pdf"]})  # no error, nothing kept
    assert not list((tmp_path / "cache").rglob("*.cmd"))
