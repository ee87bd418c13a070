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
