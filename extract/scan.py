"""One page of a scan or an image, from file to OCR'd Page: the unit of parallel work.

Workers receive a small picklable `OcrTask` (a path and a page index, never an
image) and return a `Page`; only the parent merges results, as OCRmyPDF does.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from .model import Page

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OcrTask:
    path: str
    index: int  # 0-based page or frame index
    kind: str  # "pdf" or "image"
    dpi: int = 300
    lang: str = "vie"

    @property
    def page_no(self) -> int:
        return self.index + 1


def run_ocr_task(task: OcrTask) -> Page:
    # Tesseract's own OpenMP threads fight our per-page processes for the cores.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from .ocr import ocr_page
    from .preprocess import prepare_page
    from .render import load_image, render_pdf_page

    if task.kind == "pdf":
        image, dpi = render_pdf_page(task.path, task.index, dpi=task.dpi), task.dpi
    else:
        frames = load_image(task.path)
        image = frames[task.index]
        dpi = int(image.info.get("dpi", (task.dpi, task.dpi))[0] or task.dpi)
    # An image file may be a photo of a page on a desk; a PDF page is a scan or a render.
    prepared = prepare_page(image, dpi, photo=task.kind == "image")
    del image
    if prepared.steps:
        log.debug("%s page %d: %s", task.path, task.page_no, ", ".join(prepared.steps))
    page = ocr_page(prepared.image, page_no=task.page_no, dpi=prepared.dpi, lang=task.lang)
    from .cell_pass import reread_cells

    return reread_cells(page, prepared.image, dpi=prepared.dpi, lang=task.lang)
