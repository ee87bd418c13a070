"""``close_pdf`` does what pdfplumber's ``PDF.close()`` does, for the pages parsed only,
by reaching into pdfplumber: its pages' ``close``, the PDF's ``flush_cache``,
``stream_is_external`` and ``stream``. Fails if a pdfplumber upgrade moves those."""
from __future__ import annotations

from extract.documents.pdf import close_pdf, open_pdf_pages


def test_close_pdf_closes_the_pages_read_and_the_file(samples):
    pdf, pages = open_pdf_pages(str(samples / "deck_2023_text.pdf"), max_pages=2)
    assert len(pages) == 2
    assert pages[0].chars  # read: pdfplumber now caches the page's objects on it
    cached = type(pages[0]).cached_properties
    assert "_objects" in cached and "_objects" in vars(pages[0])
    assert callable(pages[0].close) and callable(pdf.flush_cache)
    assert pdf.stream_is_external is False  # pdfplumber opened the file: ours to close
    assert not pdf.stream.closed

    close_pdf(pdf, pages)

    assert pdf.stream.closed
    for page in pages:
        assert not any(name in vars(page) for name in cached), "the page's caches are kept"
    # the whole page tree was never walked: pdfplumber's ``pdf.pages`` (cached as
    # ``_pages``, which ``PDF.close()`` asks for) was not
    assert "_pages" in type(pdf).cached_properties and "_pages" not in vars(pdf)
