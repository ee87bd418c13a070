"""A word-processor document written in the form it reaches us in: the .docx as typed, the
legacy .doc and the PDF LibreOffice makes of it, that PDF printed and scanned at 300 dpi, or
printed and photographed with a phone (form "photo", damage kind photo: variants/photo.py;
never among a family's forms unless named, so the seeds' documents stay as they were)."""
from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from variants import damage, engines

SCAN_DPI = 300
FILTERS = {"doc": ("doc:MS Word 97", "doc"), "pdf": ("pdf", "pdf"), "scan": ("pdf", "pdf"), "photo": ("pdf", "pdf")}
ASKED_ONLY = ("photo",)  # forms written only when named: "all" and the default leave them out


def save_as(doc, form: str, out: Path, stem: str, rng: random.Random, seed: int) -> tuple[str, dict]:
    """Write python-docx's ``doc`` under ``out`` as ``stem`` in ``form`` (docx, doc, pdf, scan, photo);
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
        if form in ("scan", "photo"):
            hurt = damage.draw_axes(rng, form) | ({"dpi": SCAN_DPI} if form == "scan" else {})
            name, taken = damage.damage_pdf(made, out, stem, hurt, seed)
            return name, {"engine": "libreoffice", **hurt, **taken}
        drawn = {"kind": "text", "engine": "libreoffice"}
        if form == "pdf":
            engines.pin_stamps(made)
            drawn["pages"] = engines.count_pages(made)
        shutil.move(str(made), out / f"{stem}.{suffix}")
        return f"{stem}.{suffix}", drawn
