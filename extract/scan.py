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
    from .deskew import deskew
    from .ocr import ocr_page
    from .render import load_image, render_pdf_page

    if task.kind == "pdf":
        image, dpi = render_pdf_page(task.path, task.index, dpi=task.dpi), task.dpi
    else:
        frames = load_image(task.path)
        image = frames[task.index]
        dpi = int(image.info.get("dpi", (task.dpi, task.dpi))[0] or task.dpi)
    image, angle = deskew(image)
    page = ocr_page(image, page_no=task.page_no, dpi=dpi, lang=task.lang)
    if abs(angle) > 0.05:
        log.debug("%s page %d deskewed by %.2f°", task.path, task.page_no, angle)
    del image
    return page
