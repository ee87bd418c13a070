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


def test_a_lone_surrogate_is_written_as_a_replacement_character(tmp_path):
    write_text_atomic(tmp_path / "x.csv", "Xã\ud800 Lưu\n")
    assert (tmp_path / "x.csv").read_text(encoding="utf-8") == "Xã\ufffd Lưu\n"


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_a_file_gets_the_mode_open_would_give_it(tmp_path, mask):
    old = os.umask(mask)
    try:
        write_bytes_atomic(tmp_path / "x.csv", b"x")
        with open(tmp_path / "y.csv", "wb"):
            pass
    finally:
        os.umask(old)
    assert (tmp_path / "x.csv").stat().st_mode & 0o777 == (tmp_path / "y.csv").stat().st_mode & 0o777 == 0o666 & ~mask


def test_many_files_are_written_a_batch_open_at_a_time(tmp_path, monkeypatch):
    """A province's run writes a file per commune: more than a process may hold open."""
    import normalize.outputs.atomic as atomic

    monkeypatch.setattr(atomic, "OPEN_AT_ONCE", 3)
    held, most = set(), [0]
    real_beside, real_close = atomic._write_beside, atomic.os.close

    def beside(path, data, mode):
        fd, tmp, target = real_beside(path, data, mode)
        held.add(fd)
        most[0] = max(most[0], len(held))
        return fd, tmp, target

    def close(fd):
        held.discard(fd)
        real_close(fd)

    monkeypatch.setattr(atomic, "_write_beside", beside)
    monkeypatch.setattr(atomic.os, "close", close)
    files = {tmp_path / "communes" / f"{k}.csv": f"xã {k}\n".encode() for k in range(10)}
    atomic.write_files(files)
    assert most[0] == 3
    assert all(path.read_bytes() == data for path, data in files.items())
    assert sorted(p.name for p in (tmp_path / "communes").iterdir()) == sorted(p.name for p in files)
