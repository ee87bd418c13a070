"""A folder of inputs with a sub-folder that cannot be entered: said, not skipped."""
from __future__ import annotations

import os

from chitieu.inputs import expand_inputs


def test_a_folder_that_cannot_be_entered_is_an_error_and_the_rest_is_read(tmp_path, monkeypatch):
    (tmp_path / "xa_a").mkdir()
    (tmp_path / "xa_a" / "baocao.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "xa_b").mkdir()
    (tmp_path / "xa_b" / "baocao.pdf").write_bytes(b"%PDF-1.4\n")
    real = os.scandir
    locked = str(tmp_path / "xa_b")

    def scandir(path="."):  # root reads a mode-0 folder anyway: the refusal is simulated
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, errors = expand_inputs([str(tmp_path)])
    assert [f.source_file for f in files] == ["xa_a/baocao.pdf"]
    assert [(e.source_file, e.stage, e.reason) for e in errors] == [(locked, "input", "cannot be opened: Permission denied")]


def test_a_file_that_cannot_be_looked_at_costs_only_itself(tmp_path, monkeypatch):
    from pathlib import Path

    for name in ("a.pdf", "b.pdf", "c.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4\n")
    real = Path.is_file
    locked = tmp_path / "b.pdf"

    def is_file(self):  # a stat refused (EACCES on the entry), simulated: root may stat anything
        if self == locked:
            raise PermissionError(13, "Permission denied", str(locked))
        return real(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    files, errors = expand_inputs([str(tmp_path)])
    assert [f.source_file for f in files] == ["a.pdf", "c.pdf"]
    assert [(e.source_file, e.reason) for e in errors] == [(str(locked), "cannot be opened: Permission denied")]
