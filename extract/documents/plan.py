"""Inputs as documents: which pages are read now and which become OCR tasks."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extract.documents.dump import read_text, text_to_pages
from extract.documents.pdf import InputError, forget_resolved_objects, open_pdf, text_page, triage_page
from extract.imaging.render import load_image
from extract.ocr.pages import OcrTask

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
TEXT_SUFFIXES = {".txt", ".md", ".text"}
WORD_SUFFIXES = {".docx", ".doc"}
SUPPORTED = PDF_SUFFIXES | IMAGE_SUFFIXES | TEXT_SUFFIXES | WORD_SUFFIXES


@dataclass
class DocPlan:
    path: Path
    kind: str
    pages: dict = field(default_factory=dict)  # page_no -> Page (kept as lines.PageParts by the pipeline)
    n_pages: int = 0
    failed: str = ""
    tables: tuple = ()  # word-processor files: their tables, read with the file


def plan_document(path: Path, *, dpi: int = 300, lang: str = "vie", errors: list) -> tuple[DocPlan, list]:
    """What can be read now (text layers, dumps) and the OCR tasks the rest needs.

    Failures that concern the whole input go to `DocPlan.failed`; a failed page is
    appended to `errors` as (source, page, stage, reason) and the others go on.
    """
    suffix = path.suffix.lower()
    tasks = []
    if suffix in TEXT_SUFFIXES:
        doc = DocPlan(path, "dump")
        try:
            pages = text_to_pages(read_text(str(path)))
        except (OSError, ValueError) as exc:
            doc.failed = str(exc)
            return doc, []
        doc.pages = {p.no: p for p in pages}
        doc.n_pages = len(pages)
        return doc, []
    if suffix in WORD_SUFFIXES:
        from extract.documents.docx import read_word, word_to_page

        doc = DocPlan(path, "docx")
        try:
            word = read_word(path)
        except InputError as exc:
            doc.failed = str(exc)
            return doc, []
        doc.pages, doc.n_pages, doc.tables = {1: word_to_page(word)}, 1, word.tables
        return doc, []
    if suffix in IMAGE_SUFFIXES:
        doc = DocPlan(path, "image")
        try:
            frames = load_image(str(path))
        except Exception as exc:  # Pillow raises many types for a broken image
            doc.failed = f"unreadable image: {exc}"
            return doc, []
        doc.n_pages = len(frames)
        return doc, [OcrTask(str(path), i, "image", dpi, lang) for i in range(len(frames))]
    doc = DocPlan(path, "pdf")
    try:
        pdf = open_pdf(str(path))
    except InputError as exc:
        doc.failed = str(exc)
        return doc, []
    with pdf:
        doc.n_pages = len(pdf.pages)
        for i, page in enumerate(pdf.pages):
            try:
                decision = triage_page(page, i)
                if decision.needs_ocr:
                    tasks.append(OcrTask(str(path), i, "pdf", dpi, lang))
                else:
                    doc.pages[i + 1] = text_page(page, i + 1)
            except Exception as exc:  # one bad page never stops the document
                errors.append((str(path), str(i + 1), "extract", f"{type(exc).__name__}: {exc}"))
            finally:
                page.close()
                forget_resolved_objects(pdf)
    return doc, tasks
