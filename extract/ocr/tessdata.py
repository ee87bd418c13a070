"""Where Tesseract's language models may be: light (os and pathlib only), so that a kept run
(``chitieu.rerun``) can stamp the models without importing the OCR's modules."""
from __future__ import annotations

import os
from pathlib import Path

ROOTS = ("/usr/share/tesseract-ocr", "/usr/local/share", "/usr/share", "/opt/homebrew/share")


def tessdata_candidates() -> list[Path]:
    """Where language models may be, in the order they are looked for: ``TESSDATA_PREFIX``
    (or its tessdata folder), then the system's (Debian's /usr/share/tesseract-ocr/5/tessdata,
    Homebrew's …)."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    candidates = [Path(prefix), Path(prefix) / "tessdata"] if prefix else []
    for root in ROOTS:
        # Path(root).glob("*/tessdata"), without a Path made for every entry of /usr/share.
        found = [Path(p) for p in (os.path.join(sub, "tessdata") for sub in _folders(root)) if os.path.isdir(p)]
        candidates += sorted(found, reverse=True) + [Path(root) / "tessdata"]
    return candidates


def _folders(root: str) -> list[str]:
    def is_dir(entry: os.DirEntry) -> bool:
        try:
            return entry.is_dir()
        except OSError:
            return False

    try:
        with os.scandir(root) as entries:
            return [entry.path for entry in entries if is_dir(entry)]
    except OSError:
        return []
