"""Files written whole or not at all: beside the target, then renamed over it, so a
crash, a kill or a power cut never leaves half a file where a reader looks.

The temporary file is made private (``mkstemp``: 0600) and given, before the rename,
the mode an ordinary ``open`` would have given it: 0666 less the user's umask.
"""
from __future__ import annotations

import os
import re
import tempfile
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


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Same folder, so the rename stays on one file system and is atomic.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), 0o666 & ~_umask())
            os.fsync(fh.fileno())  # on disk before the rename makes it visible
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """UTF-8, line ends as given; a lone surrogate (from a broken text layer) as U+FFFD."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")
    write_bytes_atomic(path, data)
