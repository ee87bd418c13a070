"""One run at a time into an output folder: ``OUT/.chitieu.lock``, held (``flock``) from
the start of a run to its last file. A second run into the same folder is refused
with ``OutputInUse`` (exit 2) instead of mixing its files with the first's.

The lock dies with the process that holds it (a kill -9, a power cut leave no stale
lock); the file stays, and its presence alone means nothing. A run that created the
folder and wrote nothing into it (interrupted, Tesseract missing) removes it again.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from extract.errors import OutputInUse, OutputUnwritable

LOCK_NAME = ".chitieu.lock"
_held: dict[Path, int] = {}  # folders this process holds, and how many times (re-entrant)


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""


def _remove_if_unused(folder: Path) -> None:
    with contextlib.suppress(OSError):
        if [p.name for p in folder.iterdir()] == [LOCK_NAME]:
            (folder / LOCK_NAME).unlink()
            folder.rmdir()


@contextlib.contextmanager
def output_lock(out_dir: str | os.PathLike) -> Iterator[Path]:
    """Hold ``out_dir``'s lock (the folder is made if needed); OutputInUse when another run holds it."""
    folder = Path(out_dir)
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputUnwritable(f"cannot make the output folder {folder}: {exc.strerror or exc}") from exc
    key = folder.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield folder
        finally:
            _held[key] -= 1
        return
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputUnwritable(f"cannot write into the output folder {folder}: {exc.strerror or exc}") from exc
    try:
        if not _try_lock(fd):
            raise OutputInUse(f"{folder} is in use by another chitieu run{_holder(path)}: "
                              "wait for it to finish, or write to another folder (-o)")
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        _held[key] = 1
        try:
            yield folder
        finally:
            del _held[key]
            if created:
                _remove_if_unused(folder)
    finally:
        os.close(fd)  # releases the lock
