"""Memory does not grow with the length of a document: the parent holds no page's image
data once planned, and no page's words once they are read."""
from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

from extract.documents.plan import plan_document


def _repeated_scan(samples: Path, pages: int, out: Path) -> Path:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(samples / "deck_2023_scan.pdf"))
    dst = pdfium.PdfDocument.new()
    while len(dst) < pages:
        dst.import_pages(src, pages=list(range(min(len(src), pages - len(dst)))))
    dst.save(str(out))
    return out


def _peak_while_planning(path: Path) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        plan_document(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_planning_a_long_scan_holds_no_more_than_a_short_one(samples, tmp_path):
    short = _peak_while_planning(_repeated_scan(samples, 6, tmp_path / "short.pdf"))
    long = _peak_while_planning(_repeated_scan(samples, 36, tmp_path / "long.pdf"))
    # pdfminer keeps every object it resolves: 30 slides more would be 30 images (~8 MB) more.
    assert long - short < 2_000_000, (short, long)


def test_pages_of_a_pdf_are_kept_as_their_parts_without_words(samples):
    from extract.documents.pdf import close_pdf, open_pdf_pages, text_page

    pdf, pages = open_pdf_pages(str(samples / "deck_2023_text.pdf"))
    try:
        page = text_page(pages[9], 10)
    finally:
        close_pdf(pdf, pages)
    assert len(page.words) > 100
    doc = plan_document(samples / "deck_2023_text.pdf")
    kept = next(p for p in doc.pages if p.no == 10)
    assert not hasattr(kept, "words")
    assert kept.tables and kept.tables[0].cells and "Xuân" in kept.text
