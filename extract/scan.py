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
    image = prepared.image
    if read_poorly(page):
        # An upside-down page looks upright to the cheap sideways test; only a page
        # Tesseract could hardly read pays for orientation detection.
        from .preprocess import osd_rotation, rotate_upright

        rotate = osd_rotation(image)
        if rotate:
            log.info("%s page %d read poorly: turned %d° and read again", task.path, task.page_no, rotate)
            image = rotate_upright(image, rotate)
            page = ocr_page(image, page_no=task.page_no, dpi=prepared.dpi, lang=task.lang)
    from .cell_pass import reread_cells

    return reread_cells(page, image, dpi=prepared.dpi, lang=task.lang)


def read_poorly(page: Page, *, min_conf: float = 80.0) -> bool:
    """Most words of the page read with low confidence: upside down, or not text.

    Upright pages of every sample, clean or photographed, read at a median of 96;
    the same pages upside down at 69 (Tesseract still "reads" them)."""
    words = [w for w in page.words if w.text.strip()]
    if len(words) < 5:
        return bool(words)
    confs = sorted(w.conf for w in words)
    return confs[len(confs) // 2] < min_conf
