"""The paths a user names → the input files, in a stable order, each with the name it
goes by in every output (``source_file``), and what was refused.

``source_file`` is a file's path relative to the folder named on the command line
(``xa_a/baocao.pdf`` for ``REPORTS/xa_a/baocao.pdf`` when ``REPORTS/`` was named), and
a file named itself goes by its file name. Two inputs that would still share a name
(``a/baocao.pdf`` and ``b/baocao.pdf`` named as files, or two folders each holding a
``baocao.pdf``) go by their paths as given: two files are always two sources.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from extract.documents.kinds import SUPPORTED
from extract.errors import ErrorRow


@dataclass(frozen=True)
class InputFile:
    path: Path  # as found: the argument, or the argument joined with the path under it
    source_file: str  # the name it goes by in the outputs


def _found(raw: str) -> tuple[list[tuple[Path, str]], list[ErrorRow]]:
    p = Path(raw)
    if p.is_dir():
        refused: list[ErrorRow] = []

        def unreadable(exc: OSError) -> None:  # a folder under it we may not enter: said, not skipped
            refused.append(ErrorRow(str(exc.filename or raw), None, "input",
                                    f"cannot be opened: {exc.strerror or exc}", "unreadable"))

        def is_file(path: Path) -> bool:  # one entry we may not look at costs that entry, not the folder
            try:
                return path.is_file()
            except OSError as exc:
                unreadable(exc)
                return False

        files = sorted(Path(top) / name for top, _, names in os.walk(p, onerror=unreadable) for name in names
                       if Path(name).suffix.lower() in SUPPORTED and not name.startswith(".")
                       and is_file(Path(top) / name))
        return [(f, f.relative_to(p).as_posix()) for f in files], sorted(refused, key=lambda e: e.source_file)
    if p.is_file():
        if p.suffix.lower() in SUPPORTED:
            return [(p, p.name)], []
        return [], [ErrorRow(str(p), None, "input", f"unsupported file type {p.suffix or '(none)'}: "
                             f"expected one of {' '.join(sorted(SUPPORTED))}", "unsupported")]
    return [], [ErrorRow(str(p), None, "input", "no such file or folder", "missing")]


def expand_inputs(paths: Iterable[str]) -> tuple[list[InputFile], list[ErrorRow]]:
    """Files named, and supported files found under folders, each once, in a stable order."""
    found: list[tuple[Path, str]] = []
    errors: list[ErrorRow] = []
    for raw in paths:
        try:
            files, refused = _found(raw)
        except OSError as exc:  # a path under a folder we may not enter, a disk error
            files, refused = [], [ErrorRow(str(raw), None, "input", f"cannot be opened: {exc.strerror or exc}",
                                           "unreadable")]
        found.extend(files)
        errors.extend(refused)
    seen, unique = set(), []
    for f, name in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((f, name))
    return [InputFile(f, name) for (f, _), name in zip(unique, _distinct(unique))], errors


# Files hashed, by absolute path: (signature when hashed, SHA-256). A signature is the file's
# device, inode, size, modification and change time: a write changes the change time, which
# no program can set back (only the system's clock), so a file whose signature is the one it
# had is the file that was hashed. A file changed in the last two seconds is not remembered
# past this process (two writes within one tick of the file system's clock leave the same
# times: git's "racily clean" files). Windows' ctime is the creation time: there only a
# process remembers.
_DIGESTS: dict[str, tuple[tuple, str]] = {}
_SETTLED: set[str] = set()  # the files of _DIGESTS a later process may take as they are
_LEARNT: list[str] = []  # files this process added to _SETTLED
SETTLED_NS = 2_000_000_000


def _signature(st: os.stat_result) -> tuple:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def digest(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes, read once as long as the file is unchanged: the page
    cache, the run's key and the outputs' digests ask for it in turn, and a kept run reads
    none (``recall``)."""
    import time

    key = os.path.abspath(path)
    known = _DIGESTS.pop(key, None)  # put back last: the files used last are remembered longest
    if known is not None and known[0] == _signature(os.stat(path)):
        _DIGESTS[key] = known
        return known[1]
    _SETTLED.discard(key)
    with open(path, "rb") as fh:
        import hashlib

        st = os.fstat(fh.fileno())  # before reading: a write meanwhile leaves another signature
        if hasattr(hashlib, "file_digest"):  # Python 3.11: read into one buffer
            value = hashlib.file_digest(fh, "sha256").hexdigest()
        else:
            h = hashlib.sha256()
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
            value = h.hexdigest()
    _DIGESTS[key] = (_signature(st), value)
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > SETTLED_NS:
        _SETTLED.add(key)
        _LEARNT.append(key)
    return value


KEEP_DIGESTS = 20000  # files remembered across runs: a province's archive, the project's sources


def recall(data: bytes) -> None:
    """Take the digests ``remembered`` by an earlier process (marshal's bytes); bytes that are
    not such a table are ignored (every file is then hashed)."""
    import marshal

    if os.name == "nt":
        return
    try:
        table = marshal.loads(data)
        entries = {str(k): (tuple(v[0]), str(v[1])) for k, v in table.items()}
    except Exception:  # cut short, or another format: hashed again
        return
    for key, value in entries.items():
        if key not in _DIGESTS:
            _DIGESTS[key] = value
            _SETTLED.add(key)


def remembered() -> bytes | None:
    """The digests to keep for later processes (marshal's bytes), or None when this process
    learnt none. The files used last come last: the oldest go first past ``KEEP_DIGESTS``."""
    import marshal

    if not _LEARNT or os.name == "nt":
        return None
    del _LEARNT[:]
    items = [(k, v) for k, v in _DIGESTS.items() if k in _SETTLED][-KEEP_DIGESTS:]
    return marshal.dumps(dict(items))


def _distinct(found: list[tuple[Path, str]]) -> list[str]:
    """The names, those shared by two inputs replaced by the paths as given (again, until
    none is shared: a path given may be another input's name under its folder)."""
    names = [name for _, name in found]
    while True:
        counts = Counter(names)
        clash = [k for k, name in enumerate(names) if counts[name] > 1 and name != found[k][0].as_posix()]
        if not clash:
            return names
        for k in clash:
            names[k] = found[k][0].as_posix()
