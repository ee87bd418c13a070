"""File names made from document text (a commune's file under ``OUT/communes/``) that
cannot hurt: a short ASCII slug, the unit's code when it is known, never a path
separator, ``..`` or a name Windows reserves, never longer than a file system takes.

A document may name its locality with hundreds of characters, or with anything at
all; the name is still the commune's, in the file's ``commune`` column, with its
diacritics. Two names cut to the same slug keep two files: a cut slug ends with a
hash of the whole name.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from unidecode import unidecode

MAX_SLUG = 60  # characters of the readable part; the hash and ".csv" come on top
_CODE = re.compile(r"[0-9A-Za-z]{1,16}")
# Device names Windows will not let a file be called, whatever its extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def slug(text: str, *, max_chars: int = MAX_SLUG) -> str:
    """``text`` as lower-case ASCII words joined by "-", at most ``max_chars`` long
    (plus "-" and 8 hex digits of a hash when it was cut or gave no word)."""
    full = re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")
    if not full:
        return f"unknown-{_digest(text)}" if text.strip() else "unknown"
    if len(full) > max_chars:
        return f"{full[:max_chars].rstrip('-')}-{_digest(text)}"
    if full in _RESERVED or full.isdigit():  # "nul.csv"; a bare number would pass for a unit's code
        return f"unit-{full}"
    return full


def unit_file_stem(code: str, name: str) -> str:
    """The stem of a unit's file: its code when it has one (as the gazetteer writes
    codes: digits), else the slug of its name."""
    if code and _CODE.fullmatch(code):
        return code
    return slug(name)


def inside(folder: Path, stem: str, suffix: str = ".csv") -> Path:
    """``folder/stem+suffix``, refusing (ValueError) a stem that would lead elsewhere."""
    path = folder / f"{stem}{suffix}"
    if path.parent != folder or "/" in stem or "\\" in stem or stem in ("", ".", "..") or stem.startswith("."):
        raise ValueError(f"refusing to write outside {folder}: {stem!r}")
    return path
