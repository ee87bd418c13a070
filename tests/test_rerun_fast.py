"""A kept run (chitieu.rerun) is what the first run was — its files, its stderr, its status —
decided importing only what deciding needs, each file hashed once while it is unchanged;
and its key still changes with whatever changes an output."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from chitieu import inputs, rerun
from chitieu.command import REPLAYED
from pipeline import main
from test_rerun import deck  # noqa: F401 (the fixture: a copy of the summary deck)

ROOT = Path(__file__).resolve().parents[1]


def _cli(args, out, cache, *extra):
    return CliRunner().invoke(main, ["run", *map(str, args), "-o", str(out), "--cache-dir", str(cache),
                                     "--no-progress", *extra])


# The command line as a user runs it (its own process: logging configured as the command
# configures it), with a reader that logs two lines while it reads: one about the document,
# one about the machinery (a cache entry not written), which a kept run does not say again.
# After the run, the heavy modules it imported are listed on stdout.
_PROGRAM = textwrap.dedent("""
    import logging, sys
    import normalize.readers.document as reading
    read = reading.document_records
    def noisy(*args, **kwargs):
        logging.getLogger("normalize.readers.summary_records").warning("deck.pdf: row 'Tỷ lệ X' matches no indicator")
        logging.getLogger("chitieu.cache").warning("cache entry not written (somewhere): disk full")
        return read(*args, **kwargs)
    reading.document_records = noisy
    from pipeline import main
    try:
        main(sys.argv[1:], prog_name="chitieu")
    except SystemExit as exc:
        status = exc.code
    heavy = ("pandas", "numpy", "PIL", "pdfplumber", "pypdfium2", "openpyxl", "xlsxwriter", "jinja2", "tempfile",
             "subprocess", "chitieu.runner", "chitieu.cache", "extract.ocr.inprocess", "normalize.outputs.datasets")
    print(" ".join(m for m in heavy if m in sys.modules))
    sys.exit(status)
""")


def _program(args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "PYTHONWARNINGS")}
    return subprocess.run([sys.executable, "-c", _PROGRAM, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def test_a_kept_run_says_what_the_first_said_and_imports_nothing_heavy(deck, tmp_path):
    args = ["run", deck, "-o", tmp_path / "a", "--cache-dir", tmp_path / "cache", "--no-progress", "--no-report"]
    first = _program(args, tmp_path)
    assert first.returncode in (0, 3), first.stderr
    assert "WARNING normalize.readers.summary_records: deck.pdf: row 'Tỷ lệ X' matches no indicator" in first.stderr
    args[3] = tmp_path / "b"
    kept = _program(args, tmp_path)
    assert kept.returncode == first.returncode
    assert kept.stderr.endswith(REPLAYED + "\n"), kept.stderr
    said = [line for line in first.stderr.replace(str(tmp_path / "a"), str(tmp_path / "b")).splitlines()
            if not line.startswith("WARNING chitieu.cache")]
    assert kept.stderr.splitlines()[:-1] == said
    for path in (tmp_path / "a").rglob("*"):
        if path.is_file() and path.name != ".chitieu.lock":
            assert (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes() == path.read_bytes(), path
    assert kept.stdout.split() == [], f"a kept run imported {kept.stdout}"
    assert "chitieu.runner" in first.stdout  # the list is of what a run imports


def test_the_same_command_again_leaves_its_outputs_as_they_are(deck, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = _cli([deck], out, cache, "--no-report")
    inode = (out / "indicators.csv").stat().st_ino
    (out / "review.csv").write_text("edited\n", encoding="utf-8")
    (out / "summary_wide.csv").unlink()
    again = _cli([deck], out, cache, "--no-report")
    assert REPLAYED in again.output and again.exit_code == first.exit_code
    assert (out / "indicators.csv").stat().st_ino == inode  # the same bytes: not written again
    assert (out / "review.csv").read_text(encoding="utf-8") != "edited\n"
    assert (out / "summary_wide.csv").exists()
    umask = os.umask(0)
    os.umask(umask)
    assert {oct(p.stat().st_mode & 0o777) for p in out.glob("*.csv")} == {oct(0o666 & ~umask)}
    assert not list(out.glob(".*.tmp"))


def test_an_input_changed_behind_its_times_makes_a_new_run(deck, tmp_path, monkeypatch):
    """Its digest is remembered across runs (the file is old enough), and a write changes the
    file's ctime, which no one sets back: the same size and modification time are not enough."""
    monkeypatch.setattr(inputs, "SETTLED_NS", -10**12)  # this test's files count as old at once
    out, cache = tmp_path / "out", tmp_path / "cache"
    _cli([deck], out, cache, "--no-report")
    assert REPLAYED in _cli([deck], out, cache, "--no-report").output
    st = deck.stat()
    data = bytearray(deck.read_bytes())
    data[-20:] = b"%" + b" " * 18 + b"\n"  # a comment at the end of the PDF: same size
    deck.write_bytes(bytes(data))
    os.utime(deck, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert deck.stat().st_size == st.st_size and deck.stat().st_mtime_ns == st.st_mtime_ns
    assert REPLAYED not in _cli([deck], out, cache, "--no-report").output


def test_digests_are_remembered_only_for_files_old_enough(tmp_path, monkeypatch):
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 1000)
    monkeypatch.setattr(inputs, "_DIGESTS", {})
    monkeypatch.setattr(inputs, "_LEARNT", [])
    monkeypatch.setattr(inputs, "_SETTLED", set())
    first = inputs.digest(path)
    assert inputs.remembered() is None  # written just now: hashed every time
    monkeypatch.setattr(inputs, "SETTLED_NS", -10**12)
    monkeypatch.setattr(inputs, "_DIGESTS", {})  # another process, the file old enough by then
    assert inputs.digest(path) == first
    kept = inputs.remembered()
    assert kept is not None
    monkeypatch.setattr(inputs, "_DIGESTS", {})  # another process
    inputs.recall(kept)
    import hashlib

    monkeypatch.setattr(hashlib, "file_digest", lambda *a: pytest.fail("a remembered file was read"))
    assert inputs.digest(path) == first
    inputs.recall(b"not a table")  # ignored
    assert inputs.digest(path) == first


def test_a_package_installed_or_upgraded_changes_the_environment(tmp_path, monkeypatch):
    site = tmp_path / "lib" / "site-packages"
    (site / "pdfplumber-0.11.0.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    before = rerun.environment()
    (site / "pdfplumber-0.11.0.dist-info").rename(site / "pdfplumber-0.11.1.dist-info")
    upgraded = rerun.environment()
    assert upgraded != before
    os.utime(site / "pdfplumber-0.11.1.dist-info", ns=(1, 1))  # installed again, same version
    assert rerun.environment() != upgraded


def test_the_source_version_covers_every_file_of_the_packages(tmp_path, monkeypatch):
    for name in ("chitieu", "extract", "normalize"):
        (tmp_path / name / "data").mkdir(parents=True)
        (tmp_path / name / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pipeline.py").write_text("", encoding="utf-8")
    (tmp_path / "normalize" / "__pycache__").mkdir()
    monkeypatch.setattr(rerun, "_ROOT", tmp_path)
    before = rerun.source_version()
    (tmp_path / "normalize" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert rerun.source_version() == before
    (tmp_path / "normalize" / "data" / "catalogue.csv").write_text("id\n", encoding="utf-8")
    assert rerun.source_version() != before


def test_runs_kept_by_an_earlier_chitieu_go(deck, tmp_path):
    cache = tmp_path / "cache"
    (cache / "runs-v1").mkdir(parents=True)
    (cache / "runs-v1" / "old.pkl").write_bytes(b"an earlier format")
    _cli([deck], tmp_path / "out", cache, "--no-report")
    assert not (cache / "runs-v1").exists()
    assert list((cache / f"runs-v{rerun.FORMAT}").glob("*.run"))
