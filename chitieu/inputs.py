"""The paths a user names → the input files, in a stable order, and what was refused."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from extract.documents.plan import SUPPORTED
from extract.errors import ErrorRow


def expand_inputs(paths: Iterable[str]) -> tuple[list[Path], list[ErrorRow]]:
    """Files named, and supported files found under folders, each once, in a stable order."""
    files: list[Path] = []
    errors: list[ErrorRow] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*")
                                if f.is_file() and f.suffix.lower() in SUPPORTED and not f.name.startswith(".")))
        elif p.is_file():
            if p.suffix.lower() in SUPPORTED:
                files.append(p)
            else:
                errors.append(ErrorRow(str(p), None, "input", f"unsupported file type {p.suffix or '(none)'}: "
                                       f"expected one of {' '.join(sorted(SUPPORTED))}", "unsupported"))
        else:
            errors.append(ErrorRow(str(p), None, "input", "no such file or folder", "missing"))
    seen, unique = set(), []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors
