"""The command line's contract: every command has help, every exit code is reachable
and means what the help says."""
from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from extract.errors import ExitCode
from pipeline import main


def _commands(group: click.Group, prefix=()) -> list[tuple[str, ...]]:
    out = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out.extend(_commands(command, (*prefix, name)))
        else:
            out.append((*prefix, name))
    return out


@pytest.mark.parametrize("command", _commands(main), ids=lambda c: " ".join(c) or "chitieu")
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3
    ctx_command = main if not command else main.commands[command[0]]
    assert ctx_command.help and " ".join(ctx_command.help.split()[:4]) in " ".join(result.output.split())


def test_the_group_has_every_command_we_document():
    assert {"run", "match", "places"} <= set(main.commands)


def _exit_ok(samples, tmp_path, monkeypatch):
    return ["run", str(samples / "deck_2023_summary_text.pdf"), "-o", str(tmp_path / "o"), "--no-cache"]


def _exit_internal(samples, tmp_path, monkeypatch):
    import chitieu

    def broken(*a, **k):
        raise RuntimeError("a bug")

    monkeypatch.setattr(chitieu, "read", broken)
    return ["run", str(samples / "deck_2023_text_layer.txt"), "-o", str(tmp_path / "o")]


def _exit_usage(samples, tmp_path, monkeypatch):
    return ["run", str(samples / "deck_2023_text_layer.txt"), "--no-such-option"]


def _exit_some_failed(samples, tmp_path, monkeypatch):
    return ["run", str(samples / "deck_2023_text_layer.txt"), str(tmp_path / "missing.pdf"), "-o", str(tmp_path / "o"),
            "--no-cache"]


def _exit_nothing_read(samples, tmp_path, monkeypatch):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"\x00\x01 not a pdf")
    return ["run", str(bad), "-o", str(tmp_path / "o"), "--no-cache"]


def _exit_missing_dependency(samples, tmp_path, monkeypatch):
    import extract.ocr.engine
    from extract.errors import OcrUnavailable

    def unavailable(lang="vie", engine="tesseract"):
        raise OcrUnavailable("tesseract not found: install tesseract-ocr")

    monkeypatch.setattr(extract.ocr.engine, "tesseract_available", unavailable)
    return ["run", str(samples / "deck_2023_scan.pdf"), "-o", str(tmp_path / "o"), "--no-cache"]


def _exit_interrupted(samples, tmp_path, monkeypatch):
    import chitieu

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(chitieu, "read", interrupted)
    return ["run", str(samples / "deck_2023_text_layer.txt"), "-o", str(tmp_path / "o")]


CASES = {
    ExitCode.OK: (_exit_ok, ""),
    ExitCode.INTERNAL: (_exit_internal, "internal error"),
    ExitCode.USAGE: (_exit_usage, "no such option"),
    ExitCode.SOME_INPUTS_FAILED: (_exit_some_failed, "missing.pdf"),
    ExitCode.NOTHING_READ: (_exit_nothing_read, "bad.pdf"),
    ExitCode.MISSING_DEPENDENCY: (_exit_missing_dependency, "tesseract-ocr"),
    ExitCode.INTERRUPTED: (_exit_interrupted, "no output written"),
}


def test_every_exit_code_has_a_case():
    assert set(CASES) == set(ExitCode)


@pytest.mark.parametrize("code", list(ExitCode), ids=lambda c: c.name)
def test_exit_code(code, samples, tmp_path, monkeypatch):
    make, said = CASES[code]
    result = CliRunner().invoke(main, make(samples, tmp_path, monkeypatch))
    assert result.exit_code == code, result.output
    assert said.lower() in result.output.lower()
    written = (tmp_path / "o" / "indicators.csv").exists()
    assert written == (code in (ExitCode.OK, ExitCode.SOME_INPUTS_FAILED, ExitCode.NOTHING_READ))


@pytest.mark.parametrize("args,code", [
    (["match", "Ty 1€ nguot dan co6 dién thoai thong minh"], ExitCode.OK),
    (["match", ""], ExitCode.NOTHING_READ),
    (["places", "Quảng Xương (xã Quảng Lưu)"], ExitCode.OK),
    (["places", "Xã Không Có Ở Đâu"], ExitCode.SOME_INPUTS_FAILED),
])
def test_exit_codes_of_the_look_up_commands(args, code):
    assert CliRunner().invoke(main, args).exit_code == code
