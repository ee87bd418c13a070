"""Files written whole or not at all: beside the target, then renamed over it, so a
crash, a kill or a power cut never leaves half a file where a reader looks.

The temporary file is made private (0600) and given, before the rename, the mode an
ordinary ``open`` would have given it: 0666 less the user's umask. Light (``os`` and
``re``): a kept run (``chitieu.rerun``) writes its outputs with it.
"""
from __future__ import annotations

import os
import re
from pathlib import Path


def _umask() -> int:
    # Linux says it without changing it; elsewhere it is read by setting it back, which
    # another thread creating a file at that instant could see.
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


OPEN_AT_ONCE = 64  # temporary files open (and fsynced together) at a time


def write_bytes_atomic(path: Path, data: bytes) -> None:
    write_files({path: data})


def write_files(files: dict[Path, bytes], *, keep_same: bool = False) -> None:
    """Each of ``files`` written whole or not at all (a private file beside it, on disk, then
    renamed over it, with the mode an ``open`` would give), all of them flushed to disk
    together: one at a time took a hundredth of a second each, most of a kept run. With
    ``keep_same``, a file that already holds the same bytes, as a regular file of that
    mode, is left as it is and marked written now."""
    mode = 0o666 & ~_umask()
    todo = {}
    for path, data in files.items():
        if not (keep_same and _holds(path, data, mode)):
            todo[path] = data
    written: list[tuple[str, Path]] = []  # (temporary, target), on disk and closed
    items = list(todo.items())
    try:
        # A batch at a time is open: a province's run writes a file per commune, more than
        # the 1,024 (256 on macOS) files a process may hold open.
        for start in range(0, len(items), OPEN_AT_ONCE):
            opened: list[tuple[int, str, Path]] = []
            try:
                for path, data in items[start:start + OPEN_AT_ONCE]:
                    opened.append(_write_beside(path, data, mode))
                _sync_all([fd for fd, _, _ in opened])
            finally:
                for fd, tmp, path in opened:
                    os.close(fd)
                    written.append((tmp, path))
        for tmp, path in written:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in written:
            try:
                os.unlink(tmp)
            except OSError:  # renamed already
                pass
        raise


def _holds(path: Path, data: bytes, mode: int) -> bool:
    import stat

    try:
        st = os.lstat(path)
        if not (stat.S_ISREG(st.st_mode) and st.st_size == len(data) and stat.S_IMODE(st.st_mode) == mode
                and st.st_nlink == 1):
            return False
        with open(path, "rb") as fh:
            if fh.read() != data:
                return False
        os.utime(path)
    except OSError:  # not there, not ours: written
        return False
    return True


def _write_beside(path: Path, data: bytes, mode: int) -> tuple[int, str, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(tmp, flags, 0o600)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"no temporary name free beside {path}")
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    return fd, tmp, path


def _sync_all(fds: list[int], at_once: int = 32) -> None:
    """``os.fsync`` each of ``fds``, several at a time: the file system commits them together."""
    if len(fds) <= 1:
        for fd in fds:
            os.fsync(fd)
        return
    import threading

    failed: list[OSError] = []

    def sync(fd: int) -> None:
        try:
            os.fsync(fd)
        except OSError as exc:
            failed.append(exc)

    for start in range(0, len(fds), at_once):
        threads = [threading.Thread(target=sync, args=(fd,)) for fd in fds[start:start + at_once]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if failed:
        raise failed[0]


def text_bytes(text: str) -> bytes:
    """UTF-8, line ends as given; a lone surrogate (from a broken text layer) as U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")


def write_text_atomic(path: Path, text: str) -> None:
    """``text`` as ``text_bytes`` written whole or not at all."""
    write_bytes_atomic(path, text_bytes(text))
