"""Office files (.docx, .xlsx) are zip archives: their size once unzipped, checked
before any library inflates them.

A zip bomb is a few kilobytes that inflate to gigabytes; python-docx (and openpyxl)
would hold them in memory. Each member of a zip declares its size, and Python's
zipfile never gives more bytes than declared (a member that inflates past it fails
its CRC check), so the declared sizes bound what reading can cost.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from extract.errors import LimitExceeded
from extract.limits import MEGA


def check_unzipped(path: str | Path, max_bytes: int, what: str = "file") -> None:
    """``LimitExceeded`` when the members of the zip at ``path`` add up to more than
    ``max_bytes``; nothing when it is no zip (the reader says what is wrong with it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return
    if total > max_bytes:
        raise LimitExceeded(f"{what} is {_mb(total)} once unzipped, over the limit of {_mb(max_bytes)} "
                            "(--max-unzipped-mb): not read")


def _mb(size: int) -> str:
    return f"{size / MEGA:,.0f} MB" if size >= 10 * MEGA else f"{size / MEGA:,.1f} MB"
