"""Outputs and cache entries are written whole or not at all."""
from __future__ import annotations

import os

import pytest

from normalize.outputs import atomic
from normalize.outputs.atomic import write_bytes_atomic, write_text_atomic


def test_text_is_written_as_given_in_utf8(tmp_path):
    path = tmp_path / "new" / "folder" / "xã.csv"
    write_text_atomic(path, "Xã Quảng Lưu\r\nĐông Sơn\n")
    assert path.read_bytes() == "Xã Quảng Lưu\r\nĐông Sơn\n".encode("utf-8")
    assert os.listdir(path.parent) == ["xã.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "indicators.csv"
    path.write_bytes(b"old")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_bytes_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["indicators.csv"]
