"""Inputs as documents: which pages are read now and which become OCR tasks."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from extract.documents.kinds import SUFFIXES, SUPPORTED, DocKind, kind_of  # noqa: F401 (re-exported)
from extract.documents.dump import cut_long_lines, read_text, text_to_pages
from extract.documents.pdf import close_pdf, forget_resolved_objects, layer_page, open_pdf_pages, triage_layer
from extract.documents.pdf_layer import read_layer
from extract.errors import ErrorRow, InputError
from extract.layout.page import page_to_result
from extract.limits import Limits, megapixels, open_image
from extract.model import PageResult

if TYPE_CHECKING:  # the OCR's modules (Pillow, numpy) are imported when a page needs OCR
    from extract.ocr.tasks import OcrTask


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


def plan_document(path: Path, *, dpi: int = 300, lang: str = "vie", limits: Limits = Limits()) -> DocPlan:
    """What can be read now (text layers, dumps, word processors) and the OCR tasks the rest needs.

    An input that cannot be opened (permission denied, gone, a disk error) is a failed
    plan saying why, never an exception; so is one over a limit, and a document longer
    than ``limits.max_pages`` has its first pages read and an error saying so."""
    kind = kind_of(path)
    try:
        return _plan(path, kind, dpi=dpi, lang=lang, limits=limits)
    except OSError as exc:
        return DocPlan(path, kind or DocKind.PDF, failed=f"cannot be opened: {exc.strerror or exc}")


def _plan(path: Path, kind: DocKind | None, *, dpi: int, lang: str, limits: Limits) -> DocPlan:
    if kind is DocKind.DUMP:
        try:
            text, cut = cut_long_lines(read_text(str(path)), limits.max_line_chars)
            pages = text_to_pages(text)
        except ValueError as exc:
            return DocPlan(path, kind, failed=str(exc))
        errors = (ErrorRow(str(path), None, "extract", cut, "limit"),) if cut else ()
        if len(pages) > limits.max_pages:
            errors += (_too_long(path, len(pages), limits.max_pages),)
        return DocPlan(path, kind, pages[:limits.max_pages], errors=errors)
    if kind is DocKind.WORD:
        from extract.documents.docx import read_word, word_to_result

        try:
            return DocPlan(path, kind, (word_to_result(read_word(path, max_unzipped=limits.max_unzipped_bytes)),))
        except InputError as exc:
            return DocPlan(path, kind, failed=str(exc))
    if kind is DocKind.SHEET:
        return _plan_sheets(path, limits)
    if kind is DocKind.IMAGE:
        return _plan_image(path, dpi=dpi, lang=lang, limits=limits)
    return _plan_pdf(path, dpi=dpi, lang=lang, limits=limits)


def _plan_sheets(path: Path, limits: Limits) -> DocPlan:
    """Each visible sheet a page; cells that could not be read (a formula never
    computed) an error of their sheet; a workbook with no visible sheet a failed input."""
    from extract.documents.sheet_layout import sheet_to_result
    from extract.documents.sheets import read_workbook

    try:
        book = read_workbook(path, max_unzipped=limits.max_unzipped_bytes)
    except InputError as exc:
        return DocPlan(path, DocKind.SHEET, failed=str(exc))
    if not book.sheets:
        return DocPlan(path, DocKind.SHEET, failed="the workbook has no visible sheet")
    pages = tuple(sheet_to_result(s, no) for no, s in enumerate(book.sheets[:limits.max_pages], start=1))
    errors = tuple(ErrorRow(str(path), no, "extract", reason, "unreadable") for no, reason in book.unread
                   if no <= limits.max_pages)
    if len(book.sheets) > limits.max_pages:
        errors += (_too_long(path, len(book.sheets), limits.max_pages),)
    return DocPlan(path, DocKind.SHEET, pages, errors=errors)


def _too_long(path: Path, pages: int | None, limit: int) -> ErrorRow:
    count = f"{pages:,} pages" if pages else f"more than {limit:,} pages"
    return ErrorRow(str(path), None, "input", f"the document has {count}, over the limit of {limit:,} "
                    f"(--max-pages): only its first {limit:,} are read", "limit")


def _plan_image(path: Path, *, dpi: int, lang: str, limits: Limits) -> DocPlan:
    """Each frame an OCR task; a frame over the pixel limit, or that does not decode, is
    refused alone (a file none of whose frames decodes is unreadable)."""
    from PIL import ImageSequence

    from extract.ocr.tasks import OcrTask

    tasks, errors, broken = [], [], []
    try:
        with open_image(str(path)) as img:  # one pass over the frames, each decoded once: a broken one fails here
            for i, frame in enumerate(itertools.islice(ImageSequence.Iterator(img), limits.max_pages + 1)):
                if i == limits.max_pages:
                    errors.append(_too_long(path, None, limits.max_pages))
                    break
                w, h = frame.size
                if w * h > limits.max_pixels:
                    errors.append(ErrorRow(str(path), i + 1, "extract", f"image of {w}×{h} pixels "
                                           f"({megapixels(w * h)}) is over the limit of "
                                           f"{megapixels(limits.max_pixels)} (--max-megapixels): not read", "limit"))
                    continue
                try:
                    frame.load()
                except Exception as exc:  # Pillow raises many types for a broken frame
                    broken.append(ErrorRow(str(path), i + 1, "extract", f"unreadable image: {exc}", "unreadable"))
                    continue
                tasks.append(OcrTask(str(path), i, "image", dpi, lang, "image file"))
    except Exception as exc:  # Pillow raises many types for a broken image
        if isinstance(exc, OSError) and exc.errno is not None:
            raise  # the system's (permission denied, …), not Pillow's
        return DocPlan(path, DocKind.IMAGE, failed=f"unreadable image: {exc}")
    if broken and not tasks and not errors:
        return DocPlan(path, DocKind.IMAGE, failed=broken[0].reason)
    return DocPlan(path, DocKind.IMAGE, tasks=tuple(tasks), errors=tuple(sorted(errors + broken, key=_page_order)))


def _page_order(e: ErrorRow) -> int:
    return e.page or 0


def _plan_pdf(path: Path, *, dpi: int, lang: str, limits: Limits) -> DocPlan:
    """Each page triaged: a text layer read now, a scan made an OCR task; a page that
    fails costs only itself."""
    try:
        pdf, parsed = open_pdf_pages(str(path), max_pages=limits.max_pages + 1)
    except InputError as exc:
        return DocPlan(path, DocKind.PDF, failed=str(exc))
    pages, tasks, errors = [], [], []
    first = parsed[:limits.max_pages]
    if len(parsed) > limits.max_pages:
        errors.append(_too_long(path, _page_count(path), limits.max_pages))
    try:
        for i, page in enumerate(first):
            try:
                layer = read_layer(page, i)  # the page's objects, walked once for its triage and its reading
                decision = triage_layer(layer)
                if decision.needs_ocr:
                    from extract.ocr.tasks import OcrTask

                    tasks.append(OcrTask(str(path), i, "pdf", dpi, lang, decision.reason))
                else:
                    pages.append(page_to_result(layer_page(layer, i + 1, decision.words), decision.reason))
            except Exception as exc:  # one bad page never stops the document
                errors.append(ErrorRow(str(path), i + 1, "extract", f"{type(exc).__name__}: {exc}", "page_failed"))
            finally:
                page.close()
                forget_resolved_objects(pdf)
    finally:
        close_pdf(pdf, parsed)
    return DocPlan(path, DocKind.PDF, tuple(pages), tuple(tasks), errors=tuple(errors))


def _page_count(path: Path) -> int | None:
    from extract.imaging.render import pdf_page_count

    try:
        return pdf_page_count(path)
    except Exception:  # pdfium cannot count them: "more than" the limit says enough
        return None
