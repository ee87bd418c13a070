"""Inputs as documents: which pages are read now and which become OCR tasks."""
from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from extract.documents.dump import read_text, text_to_pages
from extract.documents.pdf import forget_resolved_objects, open_pdf, text_page, triage_page
from extract.errors import ErrorRow, InputError
from extract.imaging.render import load_image
from extract.layout.page import page_to_result
from extract.model import PageResult
from extract.ocr.tasks import OcrTask


class DocKind(str, Enum):
    """What an input is, by its suffix; the value is what the cache and messages show."""

    PDF = "pdf"
    IMAGE = "image"
    DUMP = "dump"
    WORD = "docx"


SUFFIXES = {
    DocKind.PDF: frozenset({".pdf"}),
    DocKind.IMAGE: frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}),
    DocKind.DUMP: frozenset({".txt", ".md", ".text"}),
    DocKind.WORD: frozenset({".docx", ".doc"}),
}
SUPPORTED = frozenset().union(*SUFFIXES.values())


def kind_of(path: Path) -> DocKind | None:
    suffix = path.suffix.lower()
    return next((k for k, s in SUFFIXES.items() if suffix in s), None)


@dataclass(frozen=True)
class DocPlan:
    """One input planned: the pages read already, the OCR tasks the others need, and
    what failed (the whole input: ``failed``; single pages: ``errors``)."""

    path: Path
    kind: DocKind
    pages: tuple[PageResult, ...] = ()
    tasks: tuple[OcrTask, ...] = ()
    failed: str = ""
    errors: tuple[ErrorRow, ...] = ()

    def moved_to(self, path: Path) -> DocPlan:
        """The same plan for the same content found at ``path``."""
        return replace(self, path=path, tasks=tuple(replace(t, path=str(path)) for t in self.tasks))


def plan_document(path: Path, *, dpi: int = 300, lang: str = "vie") -> DocPlan:
    """What can be read now (text layers, dumps, word processors) and the OCR tasks the rest needs."""
    kind = kind_of(path)
    if kind is DocKind.DUMP:
        try:
            return DocPlan(path, kind, text_to_pages(read_text(str(path))))
        except (OSError, ValueError) as exc:
            return DocPlan(path, kind, failed=str(exc))
    if kind is DocKind.WORD:
        from extract.documents.docx import read_word, word_to_result

        try:
            return DocPlan(path, kind, (word_to_result(read_word(path)),))
        except InputError as exc:
            return DocPlan(path, kind, failed=str(exc))
    if kind is DocKind.IMAGE:
        try:
            frames = load_image(str(path))
        except Exception as exc:  # Pillow raises many types for a broken image
            return DocPlan(path, kind, failed=f"unreadable image: {exc}")
        return DocPlan(path, kind, tasks=tuple(OcrTask(str(path), i, "image", dpi, lang, "image file")
                                             for i in range(len(frames))))
    return _plan_pdf(path, dpi=dpi, lang=lang)


def _plan_pdf(path: Path, *, dpi: int, lang: str) -> DocPlan:
    """Each page triaged: a text layer read now, a scan made an OCR task; a page that
    fails costs only itself."""
    try:
        pdf = open_pdf(str(path))
    except InputError as exc:
        return DocPlan(path, DocKind.PDF, failed=str(exc))
    pages, tasks, errors = [], [], []
    with pdf:
        for i, page in enumerate(pdf.pages):
            try:
                decision = triage_page(page, i)
                if decision.needs_ocr:
                    tasks.append(OcrTask(str(path), i, "pdf", dpi, lang, decision.reason))
                else:
                    pages.append(page_to_result(text_page(page, i + 1, decision.words), decision.reason))
            except Exception as exc:  # one bad page never stops the document
                errors.append(ErrorRow(str(path), i + 1, "extract", f"{type(exc).__name__}: {exc}", "page_failed"))
            finally:
                page.close()
                forget_resolved_objects(pdf)
    return DocPlan(path, DocKind.PDF, tuple(pages), tuple(tasks), errors=tuple(errors))
