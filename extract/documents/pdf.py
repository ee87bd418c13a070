"""PDF pages: triage (text layer or image) and text-layer words and rulings, from each page's
objects read once (``extract.documents.pdf_layer``)."""
from __future__ import annotations

import bisect
import contextlib
import itertools
import logging
import unicodedata
from dataclasses import dataclass

from extract.documents.pdf_layer import PageLayer, read_layer
from extract.errors import InputError
from extract.model import Page, Word

log = logging.getLogger(__name__)

# A page with fewer real characters than this and a large image is a scan.
MIN_TEXT_CHARS = 20
MIN_IMAGE_AREA = 0.5


@dataclass(frozen=True)
class Triage:
    page_index: int
    needs_ocr: bool
    reason: str
    words: tuple[Word, ...] | None = None  # the text layer's words, when deciding needed them


def open_pdf_pages(path: str, *, max_pages: int | None = None):
    """The PDF (pdfplumber's) and its first ``max_pages`` pages (all when None), parsed;
    ``InputError`` saying why when it cannot be read. Close it with ``close_pdf``."""
    import pdfplumber

    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise InputError("not a PDF file (no %PDF header)")
    pdf = None
    try:
        pdf = pdfplumber.open(path)
        pages = first_pages(pdf, max_pages)  # parsing the page tree is what fails on broken files
    except Exception as exc:  # pdfminer raises many types, pdfplumber wraps them
        if pdf is not None:
            # not pdf.close(): it parses the whole page tree again, and raises again
            with contextlib.suppress(Exception):
                close_pdf(pdf, [])
        if _is_encryption_error(exc):
            raise InputError("encrypted PDF: a password is needed") from exc
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        raise InputError(f"unreadable PDF: {type(inner).__name__}: {inner}".rstrip(": ")) from exc
    return pdf, pages


def first_pages(pdf, n: int | None) -> list:
    """pdfplumber's pages of ``pdf``, only the first ``n`` parsed. pdfplumber's own
    ``pdf.pages`` (which ``pdf.close()`` asks for too: see ``close_pdf``) walks the
    whole page tree, a minute for 100,000 pages, whatever is asked of it."""
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    pages, doctop = [], 0
    for i, obj in enumerate(itertools.islice(PDFPage.create_pages(pdf.doc), n)):
        page = Page(pdf, obj, page_number=i + 1, initial_doctop=doctop)
        pages.append(page)
        doctop += page.height
    return pages


def close_pdf(pdf, pages: list) -> None:
    """What ``pdf.close()`` does, for the ``pages`` parsed only: each closed, then the file."""
    for page in pages:
        page.close()
    pdf.flush_cache()
    if not pdf.stream_is_external:
        pdf.stream.close()


def forget_resolved_objects(pdf) -> None:
    """Let go of the streams pdfminer resolved so far. It keeps every object it resolves,
    a scanned page's image data included, so planning a long scan would hold all of its
    images (a third of a megabyte a slide); a page at a time, they go. The other objects
    (dictionaries, arrays: fonts, resources, a few hundred bytes each) stay: every page
    of a deck names the same fonts, whose dictionaries (widths arrays of thousands of
    numbers) were parsed again for each page: planning samples/deck_2023_text.pdf took
    0.27 s of CPU then, 0.23 s now (a 200-page deck 3.9 s, 3.55 s)."""
    from pdfminer.pdftypes import PDFStream

    cached = getattr(getattr(pdf, "doc", None), "_cached_objs", None)
    if isinstance(cached, dict):
        for objid in [k for k, v in cached.items() if isinstance(v[0], PDFStream)]:
            del cached[objid]


def _is_encryption_error(exc: BaseException) -> bool:
    seen = 0
    stack = [exc]
    while stack and seen < 10:
        e = stack.pop()
        seen += 1
        name = type(e).__name__.lower()
        if "password" in name or "encrypt" in name or "password" in str(e).lower():
            return True
        stack.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
        stack.extend(x for x in (e.__cause__, e.__context__) if x is not None)
    return False


def _visible_chars(chars) -> list[dict]:
    # pdfminer does not report the render mode: an invisible OCR layer is told by
    # ``_invisible_text_share``, asked of pdfium when the page is an image.
    return [c for c in chars if c["text"].strip()]


def _invisible_text_share(path: str | None, index: int) -> float:
    """Share of the page's text objects drawn invisibly (render mode 3), as OCR layers are.

    pdfminer does not report the render mode, so pdfium is asked; 0.0 when it cannot say.
    """
    if not path:
        return 0.0
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        doc = pdfium.PdfDocument(path)
        try:
            modes = [raw.FPDFTextObj_GetTextRenderMode(o.raw)
                     for o in doc[index].get_objects(filter=(raw.FPDF_PAGEOBJ_TEXT,))]
        finally:
            doc.close()
    except Exception:  # a page pdfium cannot walk is judged on its characters alone
        return 0.0
    if not modes:
        return 0.0
    return sum(1 for m in modes if m == raw.FPDF_TEXTRENDERMODE_INVISIBLE) / len(modes)


def triage_page(page, index: int) -> Triage:
    """``triage_layer`` of a pdfplumber page (``index``: 0-based)."""
    return triage_layer(read_layer(page, index))


def triage_layer(layer: PageLayer) -> Triage:
    """Decide whether a page is read from its text layer or OCR'd, as OCRmyPDF does first;
    its words when they were extracted to decide.

    A scan under an invisible OCR layer is OCR'd again (we do not know how good that
    layer is), and so is a text layer that stays garbage once legacy encodings are
    undone (``extract.documents.legacy``).
    """
    from extract.documents.legacy import is_garbage

    index = layer.index
    chars = _visible_chars(layer.chars)
    page_area = layer.size[0] * layer.size[1] or 1.0
    is_scan = layer.image_area / page_area >= MIN_IMAGE_AREA
    if is_scan and chars and _invisible_text_share(layer.path, index) > 0.5:
        return Triage(index, True, "scanned page under an invisible OCR layer")
    if len(chars) >= MIN_TEXT_CHARS:
        replacement = sum(1 for c in chars if c["text"] in "\ufffd" or unicodedata.category(c["text"][0]) == "Co")
        if replacement / len(chars) > 0.2:
            return Triage(index, True, "text layer is mostly unmapped glyphs")
        words = chars_to_words(layer.chars, index + 1)
        if is_garbage(" ".join(w.text for w in words)):
            return Triage(index, True, "text layer is garbage in every known encoding")
        return Triage(index, False, f"text layer with {len(chars)} characters", words)
    if is_scan:
        return Triage(index, True, "page is an image")
    if chars:
        return Triage(index, False, "little text, no large image")
    return Triage(index, True, "no text layer")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def page_to_words(page, page_no: int) -> tuple[Word, ...]:
    """The words of a pdfplumber page (``chars_to_words``)."""
    return chars_to_words(read_layer(page, page_no - 1).chars, page_no)


# Characters whose tops lie this close (pt) to a line's are on that line: the 0.1-1 pt a bold
# or smaller run of one line sits off its baseline, less than half the 7.2 pt the lines of the
# smallest text make_variants sets (6 pt) lie apart. Text smaller still (5 pt, lines 6 pt
# apart) is at the edge: a line centred exactly between two others may join either.
LINE_TOLERANCE = 3.0


def chars_to_lines(chars: list[dict], tolerance: float) -> list[list[dict]]:
    """Upright characters by line, each line left to right, lines top to bottom.

    A line is the characters around one top, its centre the top most characters share,
    and none lies more than ``tolerance`` from it. pdfplumber chains tops instead (each
    within the tolerance of the one before), so a header band whose cells are centred at
    many heights (the wrapped lines of one locality, and beside it one-line cells half a
    line lower) became one line, sorted by x: the two lines of one cell were read letter
    by letter in turn ("P Q u ảng" over "T h ắ n g", tx50000 v0113)."""
    counts: dict[float, int] = {}
    for c in chars:
        counts[c["top"]] = counts.get(c["top"], 0) + 1
    centres: list[float] = []
    for top in sorted(counts, key=lambda t: (-counts[t], t)):
        k = bisect.bisect_left(centres, top)
        if all(abs(top - centres[j]) > tolerance for j in (k - 1, k) if 0 <= j < len(centres)):
            centres.insert(k, top)
    lines: dict[int, list[dict]] = {}
    for c in chars:
        k = bisect.bisect_left(centres, c["top"])
        nearest = min((j for j in (k - 1, k) if 0 <= j < len(centres)), key=lambda j: abs(c["top"] - centres[j]))
        lines.setdefault(nearest, []).append(c)
    return [sorted(lines[k], key=lambda c: c["x0"]) for k in sorted(lines)]


def chars_to_words(chars, page_no: int) -> tuple[Word, ...]:
    """Words of a text layer's characters in Unicode NFC, legacy-font runs (TCVN3, VNI, VISCII) decoded."""
    from pdfplumber.utils import extract_words

    from extract.documents.legacy import decode_chars, join_split_words

    options = dict(keep_blank_chars=False, x_tolerance=1.5, y_tolerance=LINE_TOLERANCE, extra_attrs=["legacy"])
    decoded = decode_chars(chars)
    turned = [c for c in decoded if not c.get("upright", True)]
    words = [w for line in chars_to_lines([c for c in decoded if c.get("upright", True)], LINE_TOLERANCE)
             for w in extract_words(line, use_text_flow=True, **options)]
    if turned:
        words += extract_words(turned, use_text_flow=False, **options)
    words = join_split_words(words)
    return tuple(
        Word(_nfc(w["text"]), (float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"])), 100.0, page_no, "text")
        for w in words
        if w["text"].strip()
    )


def text_page(page, page_no: int, words: tuple[Word, ...] | None = None) -> Page:
    """The page of a pdfplumber page's text layer; ``words`` when they were read already."""
    return layer_page(read_layer(page, page_no - 1), page_no, words)


def layer_page(layer: PageLayer, page_no: int, words: tuple[Word, ...] | None = None) -> Page:
    """The page of a text layer read once (``read_layer``); ``words`` when the triage extracted them."""
    return Page(
        no=page_no,
        size=layer.size,
        words=chars_to_words(layer.chars, page_no) if words is None else words,
        rulings=layer.rulings,
        source="text",
    )
