"""A word-processor document written in the form it reaches us in: the .docx as typed, the
legacy .doc and the PDF LibreOffice makes of it, or that PDF printed and scanned at 300 dpi."""
from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from variants import damage, engines

SCAN_DPI = 300
FILTERS = {"doc": ("doc:MS Word 97", "doc"), "pdf": ("pdf", "pdf"), "scan": ("pdf", "pdf")}


def save_as(doc, form: str, out: Path, stem: str, rng: random.Random, seed: int) -> tuple[str, dict]:
    """Write python-docx's ``doc`` under ``out`` as ``stem`` in ``form`` (docx, doc, pdf, scan);
    returns the file's name and the axes the writing drew (kind, engine, the scan's damage)."""
    if form == "docx":
        doc.save(str(out / f"{stem}.docx"))
        return f"{stem}.docx", {"kind": "text", "engine": "python-docx"}
    target, suffix = FILTERS[form]
    with tempfile.TemporaryDirectory(prefix="variants-doc-") as tmp:
        src = Path(tmp) / "document.docx"
        doc.save(str(src))
        made = src.with_suffix(f".{suffix}")
        engines.lo_convert(src, target, made)
        if form == "scan":
            hurt = damage.draw_axes(rng, "scan") | {"dpi": SCAN_DPI}
            hurt |= damage.scan_pdf(made, out / f"{stem}.pdf", hurt, seed)
            return f"{stem}.pdf", {"engine": "libreoffice", **hurt}
        drawn = {"kind": "text", "engine": "libreoffice"}
        if form == "pdf":
            engines.pin_stamps(made)
            drawn["pages"] = engines.count_pages(made)
        shutil.move(str(made), out / f"{stem}.{suffix}")
        return f"{stem}.{suffix}", drawn
