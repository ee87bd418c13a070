"""The cache: a second run does no OCR, a change is redone, an interrupted run resumes.

Mechanics use the fast fake OCR on the scanned deck (serial, so calls can be
counted); one test interrupts and kills the real command line with real Tesseract.
"""
from __future__ import annotations

from extract.errors import ExitCode

import signal
import subprocess
import time
from pathlib import Path

import pytest

import chitieu.cache as cache_mod
from chitieu import runner
from chitieu.cache import PageCache, code_version, default_cache_dir
from fake_ocr import failing_on_page_3, fake_ocr
from helpers import start_cli
from normalize.outputs.datasets import write_outputs

REPO = Path(__file__).resolve().parents[1]
SCAN = REPO / "samples" / "deck_2023_scan.pdf"


class Counting:
    """The fake OCR, counting calls; raises KeyboardInterrupt on call ``stop_at``."""

    def __init__(self, stop_at: int | None = None, inner=fake_ocr) -> None:
        self.calls: list[int] = []
        self.stop_at, self.inner = stop_at, inner

    def __call__(self, task):
        if self.stop_at is not None and len(self.calls) + 1 == self.stop_at:
            raise KeyboardInterrupt
        self.calls.append(task.index)
        return self.inner(task)


def run_to(out: Path, inputs, ocr, **settings) -> bytes:
    result = runner.run([str(p) for p in inputs], runner.Settings(executor="serial", **settings), ocr=ocr)
    write_outputs(out, result.records, result.errors)
    return (out / "indicators.csv").read_bytes()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> bytes:
    """indicators.csv of an uninterrupted run without a cache."""
    return run_to(tmp_path_factory.mktemp("ref"), [SCAN], Counting())


def test_second_run_does_no_ocr_and_writes_the_same(reference, tmp_path):
    first, second = Counting(), Counting()
    assert run_to(tmp_path / "a", [SCAN], first, cache_dir=tmp_path / "c") == reference
    assert run_to(tmp_path / "b", [SCAN], second, cache_dir=tmp_path / "c") == reference
    assert len(first.calls) == 14 and second.calls == []


def test_records_of_a_clean_document_are_kept(reference, tmp_path, monkeypatch):
    run_to(tmp_path / "a", [SCAN], Counting(), cache_dir=tmp_path / "c")
    calls = []
    import normalize.readers.document as reader

    nothing = reader.DocumentRecords((), ())
    monkeypatch.setattr(reader, "document_records", lambda *a, **k: calls.append(a) or nothing)
    assert run_to(tmp_path / "b", [SCAN], Counting(), cache_dir=tmp_path / "c") == reference
    assert calls == []
    run_to(tmp_path / "d", [SCAN], Counting(), cache_dir=tmp_path / "c", year=2024)  # another setting: redone
    assert len(calls) == 1


def test_a_cache_that_cannot_be_written_costs_a_warning_not_the_run(reference, tmp_path, caplog):
    blocked = tmp_path / "not_a_folder"
    blocked.write_text("a file where the cache should be")
    assert run_to(tmp_path / "a", [SCAN], Counting(), cache_dir=blocked) == reference
    assert "cache entry not written" in caplog.text


def test_no_cache_redoes_everything_and_keeps_nothing(tmp_path):
    ocr = Counting()
    run_to(tmp_path / "a", [SCAN], ocr)
    run_to(tmp_path / "b", [SCAN], ocr)
    assert len(ocr.calls) == 28


def test_a_moved_file_is_known_by_its_content(tmp_path):
    moved = tmp_path / "renamed.pdf"
    moved.write_bytes(SCAN.read_bytes())
    run_to(tmp_path / "a", [SCAN], Counting(), cache_dir=tmp_path / "c")
    again = Counting()
    out = run_to(tmp_path / "b", [moved], again, cache_dir=tmp_path / "c")
    assert again.calls == []
    assert b"renamed.pdf" in out and b"deck_2023_scan.pdf" not in out


def test_a_changed_file_or_setting_is_redone(tmp_path):
    changed = tmp_path / "deck.pdf"
    changed.write_bytes(SCAN.read_bytes())
    run_to(tmp_path / "a", [changed], Counting(), cache_dir=tmp_path / "c")
    other_dpi = Counting()
    run_to(tmp_path / "b", [changed], other_dpi, cache_dir=tmp_path / "c", dpi=200)
    assert len(other_dpi.calls) == 14
    with changed.open("ab") as fh:  # an incremental update: same pages, new bytes
        fh.write(b"\n% edited\n")
    edited = Counting()
    run_to(tmp_path / "d", [changed], edited, cache_dir=tmp_path / "c")
    assert len(edited.calls) == 14


def test_interrupted_run_resumes_with_identical_outputs(reference, tmp_path):
    stopped = Counting(stop_at=10)
    with pytest.raises(KeyboardInterrupt):
        run_to(tmp_path / "a", [SCAN], stopped, cache_dir=tmp_path / "c")
    assert not (tmp_path / "a").exists()
    # Pages come back a batch at a time: those of the batches done before the stop are kept.
    cached = len(list((tmp_path / "c").rglob("pdf-*.pkl")))
    assert 1 <= cached <= 9
    resumed = Counting()
    assert run_to(tmp_path / "b", [SCAN], resumed, cache_dir=tmp_path / "c") == reference
    assert sorted(resumed.calls) == list(range(cached, 14))


def test_failed_pages_are_not_cached_and_are_tried_again(tmp_path):
    first = Counting(inner=failing_on_page_3)
    result = runner.run([str(SCAN)], runner.Settings(executor="serial", cache_dir=tmp_path / "c"), ocr=first)
    assert [e.page for e in result.errors if e.stage == "ocr"] == [3]
    again = Counting()
    runner.run([str(SCAN)], runner.Settings(executor="serial", cache_dir=tmp_path / "c"), ocr=again)
    assert again.calls == [2]


def test_an_unreadable_entry_is_a_miss(reference, tmp_path):
    run_to(tmp_path / "a", [SCAN], Counting(), cache_dir=tmp_path / "c")
    entry = sorted((tmp_path / "c").rglob("pdf-00004.pkl"))[0]
    entry.write_bytes(entry.read_bytes()[:20])  # as a power cut may leave it
    for kept in (tmp_path / "c").rglob("records-*.pkl"):  # as if cut before the document was done
        kept.unlink()
    again = Counting()
    assert run_to(tmp_path / "b", [SCAN], again, cache_dir=tmp_path / "c") == reference
    assert again.calls == [4]


def test_text_layer_documents_are_cached_too(samples, tmp_path):
    text_pdf = samples / "deck_2023_text.pdf"
    c = PageCache(tmp_path / "c", dpi=300, lang="vie")
    first = run_to(tmp_path / "a", [text_pdf], Counting(), cache_dir=tmp_path / "c")
    assert c.plan_path(text_pdf).is_file()
    assert run_to(tmp_path / "b", [text_pdf], Counting(), cache_dir=tmp_path / "c") == first


def test_code_version_follows_imports_and_changes_with_the_source(tmp_path, monkeypatch):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import f\n\ndef g():\n    import pkg.c\n")
    (pkg / "b.py").write_text("f = 1\n")
    (pkg / "c.py").write_text("h = 1\n")
    (pkg / "unrelated.py").write_text("x = 1\n")
    monkeypatch.setattr(cache_mod, "_PACKAGE_ROOT", tmp_path)

    def version() -> str:
        code_version.cache_clear()
        return code_version("pkg.a")

    before = version()
    (pkg / "unrelated.py").write_text("x = 2\n")
    assert version() == before
    (pkg / "c.py").write_text("h = 2\n")  # imported inside a function
    changed = version()
    assert changed != before
    (pkg / "b.py").write_text("f = 2\n")
    assert version() != changed
    code_version.cache_clear()


def _ast_imports(source: bytes, module: str, is_package: bool) -> set[str]:
    """The reference: every import statement of the parsed module."""
    import ast

    names, package = set(), module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = (package.rsplit(".", node.level - 1)[0] if node.level > 1 else package) if node.level else ""
            target = ".".join(p for p in (base, node.module or "") if p)
            names.add(target)
            names.update(f"{target}.{a.name}" for a in node.names)
    return names


def test_the_byte_scan_finds_every_import_the_parser_finds():
    root = cache_mod._PACKAGE_ROOT
    checked = 0
    for path in sorted(p for top in ("chitieu", "extract", "normalize") for p in (root / top).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        package = path.name == "__init__.py"
        module = ".".join(parts[:-1] if package else parts)
        source = path.read_bytes()
        assert _ast_imports(source, module, package) <= cache_mod._imported(source, module, package), path
        checked += 1
    assert checked > 100
    tricky = b'from .a import (  # re-exported (see b)\n    x,\n    y as z)\nimport q.r as s, t\n'
    assert cache_mod._imported(tricky, "pkg.m", False) == {"pkg.a", "pkg.a.x", "pkg.a.y", "q.r", "t"}


def test_ocr_code_version_covers_the_ocr_stage():
    seen, todo = set(), ["extract.ocr.tasks"]
    while todo:
        name = todo.pop()
        path = cache_mod._module_file(name)
        if name in seen or path is None:
            continue
        seen.add(name)
        todo.extend(cache_mod._imported(path.read_bytes(), name, path.name == "__init__.py"))
    assert {"extract.ocr.tasks", "extract.ocr.engine", "extract.imaging.deskew", "extract.imaging.render", "extract.model"} <= seen
    # the OCR stage's cell pass rebuilds tables from the page's words: their code is covered too
    assert {"extract.ocr.cells", "extract.layout.ruled", "extract.layout.borderless", "extract.imaging.preprocess", "extract.imaging.photo"} <= seen


def test_default_cache_dir_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "chitieu"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "chitieu"


# ---------------------------------------------------------------- the real command line

def _entries(cache_dir: Path) -> int:
    return len(list(cache_dir.rglob("pdf-*.pkl")))


def _stop_after_first_page(proc: subprocess.Popen, cache_dir: Path, sig: int) -> None:
    deadline = time.monotonic() + 120
    while _entries(cache_dir) < 1 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "finished before it could be stopped"
    proc.send_signal(sig)


@pytest.mark.tesseract
def test_sigint_exits_130_writes_nothing_and_the_rerun_resumes(two_page_scan, tmp_path):
    cache_dir = tmp_path / "cache"
    out = tmp_path / "out"
    args = [str(two_page_scan), "-o", str(out), "--executor", "serial"]
    proc = start_cli(args, cache_dir)
    _stop_after_first_page(proc, cache_dir, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert "interrupted" in err and "Traceback" not in err
    assert not out.exists()
    assert _entries(cache_dir) == 1

    resumed = start_cli(args, cache_dir)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert _entries(cache_dir) == 2

    fresh = start_cli([str(two_page_scan), "-o", str(tmp_path / "fresh"), "--no-cache", "-j", "2"], tmp_path / "unused")
    _, err = fresh.communicate(timeout=300)
    assert fresh.returncode == 0, err
    assert not (tmp_path / "unused").exists()
    for name in ("indicators.csv", "summary_wide.csv", "review.csv", "errors.csv"):
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    assert (out / "indicators.csv").read_bytes().count(b"\n") > 100


@pytest.mark.tesseract
def test_a_killed_process_pool_run_resumes(two_page_scan, tmp_path):
    cache_dir = tmp_path / "cache"
    args = [str(two_page_scan), "-o", str(tmp_path / "out"), "--executor", "process", "-j", "1"]
    proc = start_cli(args, cache_dir)
    _stop_after_first_page(proc, cache_dir, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert [p.name for p in (tmp_path / "out").iterdir()] == [".chitieu.lock"]  # no output; the lock died with it
    resumed = start_cli(args, cache_dir, verbose=True)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert "1 page(s) to OCR, 1 from the cache" in err
