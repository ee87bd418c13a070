"""A fast stand-in for `run_ocr_task` on the scanned deck, for executor and cache mechanics.

It answers a task on `deck_2023_scan.pdf` with the words of the same page of
`deck_2023_text.pdf` (the same deck), marked as OCR, so the pipeline finds the real
summary table without running Tesseract. Pages finish in reverse order when run in
parallel (later pages sleep less), so merging must not depend on completion order.
Module-level functions, so that process-pool and Dask workers can unpickle them.
"""
from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TEXT_PDF = SAMPLES / "deck_2023_text.pdf"


def fake_ocr(task):
    import pdfplumber

    from extract.documents.pdf import text_page

    time.sleep(0.01 * (14 - task.index) if task.index < 14 else 0)
    with pdfplumber.open(TEXT_PDF) as pdf:
        page = text_page(pdf.pages[task.index % len(pdf.pages)], task.page_no)
    words = tuple(dataclasses.replace(w, source="ocr", conf=91.0) for w in page.words)
    return dataclasses.replace(page, words=words, source="ocr", image_dpi=task.dpi)


def failing_on_page_3(task):
    if task.page_no == 3:
        raise ValueError("tesseract crashed on this page")
    return fake_ocr(task)


def worker_pid(task):
    from extract.ocr.tesseract import tesseract_env

    return os.getpid(), tesseract_env().get("OMP_THREAD_LIMIT")  # what a Tesseract started here gets


def killing_its_worker_on_page_3(task):
    """As the OOM killer would: the process reading page 3 dies, every time."""
    import signal

    if task.page_no == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return fake_ocr(task)
