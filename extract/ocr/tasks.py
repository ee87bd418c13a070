"""Pages of scans and images, from file to ``PageResult``: the unit of parallel work.

Workers receive small picklable ``OcrTask``s (a path and a page index, never an
image), a few at a time, and return each page read whole: its tables built, its
cells read a second time where needed, its lines of text; only the parent merges
results, as OCRmyPDF does. The pages of a batch are read by one Tesseract process.
"""
from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable

from PIL import Image

from extract.errors import reason
from extract.imaging.binarize import as_gray
from extract.layout.page import page_to_result
from extract.limits import Limits, open_image
from extract.model import Page, PageResult, PhotoFacts
from extract.ocr.cells import CellRule

if TYPE_CHECKING:
    from extract.imaging.preprocess import Prepared

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OcrTask:
    path: str
    index: int  # 0-based page or frame index
    kind: str  # "pdf" or "image"
    dpi: int = 300
    lang: str = "vie"
    how: str = ""  # why the page is OCR'd (the triage's reason)

    @property
    def page_no(self) -> int:
        return self.index + 1


def run_ocr_task(task: OcrTask, *, rule: CellRule | None, limits: Limits = Limits(),
                 engine: str = "auto") -> PageResult:
    """One page, read on its own."""
    outcome = read_pages((task,), rule=rule, limits=limits, engine=engine)[0]
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def run_ocr_batch(tasks: tuple[OcrTask, ...], *, rule: CellRule | None, limits: Limits = Limits(),
                  engine: str = "auto") -> list[tuple[PageResult | None, str]]:
    """Several pages, read by one engine (``read_pages``): (page, "") or (None, why) for each.

    The unit of parallel work when there are many pages: a page that fails fails alone."""
    return [(None, reason(o)) if isinstance(o, BaseException) else (o, "")
            for o in read_pages(tasks, rule=rule, limits=limits, engine=engine)]


def run_each(ocr: Callable[[OcrTask], Page], tasks: tuple[OcrTask, ...]) -> list[tuple[PageResult | None, str]]:
    """``run_ocr_batch`` for another page reader ``ocr`` (OcrTask → Page), one page at a time."""
    out = []
    for task in tasks:
        try:
            out.append((page_to_result(ocr(task), task.how), ""))
        except Exception as exc:  # one bad page never stops the others
            out.append((None, reason(exc)))
    return out


@dataclass(frozen=True)
class _Ready:
    """A page made ready for the engine: its images on disk for the program to read in
    one batch (``path``), or in memory for an engine in this process."""

    task: OcrTask
    engine_image: Callable[[], Image.Image]  # whitened, lines painted out: what Tesseract reads
    page_image: Callable[[], Image.Image]  # the prepared page (upright, still leaning by ``skew``): where cells are cut from
    rulings: tuple
    dpi: int
    skew: float = 0.0  # degrees the page images still lean (deskew.Skew)
    warnings: tuple[str, ...] = ()  # a limit that changed how the page was read
    engine_path: str = ""  # the engine's image as a file, for the program
    photo: PhotoFacts | None = None  # a photo's: what it was like (photo_check), None for any other page
    inked: tuple = ()  # where coloured ink was dropped (inked.Region, of the prepared page)


def read_pages(tasks: tuple[OcrTask, ...], *, rule: CellRule | None, limits: Limits = Limits(),
               engine: str = "auto") -> list[PageResult | BaseException]:
    """Each task's page, or the exception that stopped it.

    Every page is prepared (rendered, made upright, its skew measured, lines found and
    painted out) and read; then its own second readings follow (lone cells, a page read
    upside down, doubtful values: ``rule``, which the caller must give; None reads again
    only the empty cells with ink). The tesseract program reads the batch's pages in one
    process, from files; an engine in this process (``engine``: ``ENGINES``) reads each
    page in memory as soon as it is prepared, so only one page is held at a time.
    ``limits``: the pixels a page image may have and the time Tesseract may take on it."""
    from extract.ocr.engine import make_engine

    reader = make_engine(engine, lang=tasks[0].lang if tasks else "vie", timeout=limits.page_timeout)
    if reader.name != "tesseract":
        return [_read_in_memory(task, reader, rule, limits) for task in tasks]
    with tempfile.TemporaryDirectory(prefix="chitieu-pages-") as tmp:
        ready: list = []
        for k, task in enumerate(tasks):
            try:
                ready.append(_prepare(task, limits, folder=tmp, k=k))
            except Exception as exc:  # one bad page never stops the others
                ready.append(exc)
        todo = [r for r in ready if isinstance(r, _Ready)]
        lang = tasks[0].lang if tasks else "vie"
        read = dict(zip(map(id, todo), _read_all(reader, [r.engine_path for r in todo], lang)))
        out: list = []
        for r in ready:
            if isinstance(r, BaseException):
                out.append(r)
                continue
            found = read[id(r)]
            try:
                out.append(found if isinstance(found, BaseException) else _finish(r, found, reader, rule))
            except Exception as exc:
                out.append(exc)
    return out


def _read_in_memory(task: OcrTask, reader, rule: CellRule | None, limits: Limits) -> PageResult | BaseException:
    from extract.ocr.engine import PAGE_PSM

    try:
        r = _prepare(task, limits)
        found = reader.image_to_words(r.engine_image(), lang=task.lang, psm=PAGE_PSM)
        return _finish(r, found, reader, rule)
    except Exception as exc:  # one bad page never stops the others
        return exc


def _read_all(engine, paths: list[str], lang: str) -> list:
    """Words of every image in one engine call; if that fails, one call each, so only the
    bad page fails. A page the engine was stopped on for its time is not read again: it
    would only take its time again."""
    from extract.ocr.engine import PAGE_PSM as psm
    from extract.ocr.tesseract import TesseractTimeout

    if not paths:
        return []
    hung: dict[int, Exception] = {}
    try:
        return engine.files_to_words(paths, lang=lang, psm=psm)
    except Exception as exc:
        if len(paths) == 1:
            return [exc]
        if isinstance(exc, TesseractTimeout) and exc.image is not None:
            hung[exc.image] = exc.alone()  # its page's error: "on this page", not "on image 3 of 8"
        log.debug("reading %d pages at once failed; reading them one by one", len(paths))
    out: list = []
    for k, path in enumerate(paths):
        if k in hung:
            out.append(hung[k])
            continue
        try:
            out.append(engine.files_to_words([path], lang=lang, psm=psm)[0])
        except Exception as exc:
            out.append(exc)
    return out


def prepared_page(task: OcrTask, *, max_pixels: int | None = None,
                  page_timeout: float | None = None) -> tuple[Prepared, tuple[str, ...]]:
    """The page of ``task`` rendered or loaded and prepared (``prepare_page``: upright,
    rectified, light evened, enlarged, its skew measured), and the warnings of doing so.

    The frame every box of an OCR'd page is in, once straightened by ``skew`` and turned
    by ``PageResult.turned``; the review's pictures (``chitieu.pictures``) call it too,
    so a picture is drawn in the very frame its boxes were read in.

    An image file is read as a photo (``Prepared.photo_scale``), and so is a PDF page that
    is one picture showing a sheet on a background (a phone's "scan to PDF"); a scanned
    page, whose paper fills it, is prepared as it always was."""
    from extract.imaging.preprocess import paper_to_edges, prepare_page
    from extract.imaging.render import BILEVEL, PICTURE, load_frame, render_pdf_page

    warnings: tuple[str, ...] = ()
    if task.kind == "pdf":
        image = render_pdf_page(task.path, task.index, dpi=task.dpi, max_pixels=max_pixels)
        dpi = image.info["dpi"][0]
        if dpi < task.dpi:
            warnings = (f"read at {dpi} dpi, not {task.dpi}: the page is over the pixel limit at {task.dpi} dpi "
                        "(--max-megapixels)",)
    else:
        image = load_frame(task.path, task.index, max_pixels=max_pixels)
        dpi = int(image.info.get("dpi", (task.dpi, task.dpi))[0] or task.dpi)
    warnings += _bilevel_warning(image)
    # An image file may be a photo of a page on a desk; so may a PDF page that is one picture.
    picture = task.kind == "pdf" and bool(image.info.get(PICTURE)) and not paper_to_edges(image)
    prepared = prepare_page(image, dpi, photo=task.kind == "image" or picture, straighten=False,
                            max_pixels=max_pixels, page_timeout=page_timeout)
    if not (prepared.sheet or (task.kind == "image" and BILEVEL not in image.info)):
        prepared = replace(prepared, photo_scale=0.0)  # a scan or a fax: no photo
    inked, ink_warning = _inked(image, prepared)
    prepared, warnings = replace(prepared, inked=inked), warnings + ink_warning
    if prepared.steps:
        log.debug("%s page %d: %s", task.path, task.page_no, ", ".join(prepared.steps))
    return prepared, warnings


def _prepare(task: OcrTask, limits: Limits, *, folder: str | None = None, k: int = 0) -> _Ready:
    """``task``'s page prepared for the engine; its two images written to ``folder`` (for
    the program) or kept in memory (``folder`` None)."""
    from extract.imaging.deskew import Skew
    from extract.ocr.page import page_for_engine

    prepared, warnings = prepared_page(task, max_pixels=limits.max_pixels, page_timeout=limits.page_timeout)
    skew = Skew(prepared.skew, prepared.image.width, prepared.image.height) if prepared.skew else None
    gray, rulings = page_for_engine(prepared.image, dpi=prepared.dpi, skew=skew)
    page = as_gray(prepared.image)
    photo = _photo_facts(page, prepared)
    if folder is None:
        return _Ready(task, lambda: gray, lambda: page, rulings, prepared.dpi, prepared.skew, warnings, photo=photo,
                      inked=prepared.inked)
    engine_path, image_path = os.path.join(folder, f"{k}-ocr.bmp"), os.path.join(folder, f"{k}-page.bmp")
    # Uncompressed: a PNG costs a third of a second to write, a BMP next to nothing. Its
    # resolution is written as 0, as a PNG without one, so Tesseract estimates it alike.
    gray.save(engine_path, format="BMP", dpi=(0, 0))
    page.save(image_path, format="BMP")
    return _Ready(task, lambda: _load(engine_path), lambda: _load(image_path), rulings, prepared.dpi, prepared.skew,
                  warnings, engine_path, photo, prepared.inked)


def _photo_facts(page: Image.Image, prepared: Prepared) -> PhotoFacts | None:
    """What the photo ``prepared`` came from was like; None when it was no photo."""
    if not prepared.photo_scale:
        return None
    from extract.imaging.photo_check import photo_facts

    return photo_facts(page, scale=prepared.photo_scale, sheet=prepared.sheet)


# A bilevel page below this resolution (a fax: the bench's fax variants are 150 dpi, G3
# fine mode 204×196) has its every value flagged. Cleaned, 28-37% of their cells are
# read right (make_variants --n 60 --seed 31 --kinds fax; the faxes of --n 120 --seed 21),
# and where the second reading could judge a fax page of seed 21 (8 values or more) it
# disagreed on 27-57% of them, so it flagged the page anyway; this flags too the pages
# it could not judge, where a misread digit went through unflagged (v0021 of seed 21:
# 99 read 39). 1-bit scans at 300 dpi are not measured and are not flagged.
FAX_DPI_BELOW = 250


def _inked(image: Image.Image, prepared) -> tuple[tuple, tuple[str, ...]]:
    """Where a seal or signature in colour was dropped from ``image`` (``binarize.drop_colour_ink``),
    on the page as ``prepared``: the print under the ink is read, but an edge of the ink can
    still take a stroke from a digit ("77.42%" read "71.42%" under a seal, in the test subset
    of tests/test_variants.py), so the values there are flagged. A rectified photo's regions
    are carried onto its sheet (those on the desk left out); without its map, the whole page
    is flagged."""
    from extract.imaging.binarize import INK_DROPPED
    from extract.imaging.inked import straighten_regions, turn_regions, warp_regions

    regions = image.info.get(INK_DROPPED)
    if regions and prepared.sheet and prepared.sheet_map:
        regions = warp_regions(regions, prepared.sheet_map, bowed=prepared.bowed)
    if not regions:
        return (), ()
    if prepared.sheet and not prepared.sheet_map:
        return (), ("a seal or a signature in colour was over this photo and was dropped before reading: "
                    "check the values it covered",)
    # Turned as the page was, then straightened as it was (its pixels) or as its words will be.
    return straighten_regions(turn_regions(regions, prepared.rotated), prepared.straightened or prepared.skew,
                              prepared.image.size), ()


def _bilevel_warning(image: Image.Image) -> tuple[str, ...]:
    from extract.imaging.render import BILEVEL

    dpi = image.info.get(BILEVEL)
    if dpi is None or dpi >= FAX_DPI_BELOW:
        return ()
    return (f"a bilevel page (a fax) of {dpi} dpi: its digits are often misread, check every value",)


def _load(path: str) -> Image.Image:
    with open_image(path) as im:  # our own image, checked when it was made
        return im.convert("L")


def _finish(r: _Ready, found: list, engine, rule: CellRule | None) -> PageResult:
    """The page of the words read on ``r``, with its second readings, read whole.

    A page that leans was read as it is; its words are turned straight here, and the
    cells cut from it are turned straight one by one."""
    from extract.imaging.deskew import Skew, Straightened
    from extract.layout.ruled import page_to_tables, rulings_to_grids
    from extract.ocr.cells import second_readings
    from extract.ocr.engine import OcrWord
    from extract.ocr.page import grid_boxes, lone_cell_words, words_to_page

    task = r.task
    engine_image = r.engine_image()
    skew = Skew(r.skew, engine_image.width, engine_image.height) if r.skew else None
    if skew is not None:
        found = [OcrWord(w.text, w.conf, *_rounded(skew.box_to_straight(w.x0, w.top, w.x1, w.bottom)), w.line)
                 for w in found]
        if r.rulings:  # cells of a ruled table are cut from it: the lines are already out
            engine_image = Straightened(engine_image, skew)
    grids = rulings_to_grids(r.rulings)
    found = found + lone_cell_words(engine_image, grid_boxes(grids), found, dpi=r.dpi, lang=task.lang, engine=engine)
    page = words_to_page(found, engine_image.size, r.rulings, page_no=task.page_no, dpi=r.dpi)
    del engine_image
    # The image cells are cut from; for a leaning page, a function that loads it, to be
    # seen straight one crop at a time.
    image = r.page_image() if skew is None else (lambda: Straightened(r.page_image(), skew))
    turned = 0
    if read_poorly(page):
        # An upside-down page looks upright to the cheap sideways test; only a page
        # Tesseract could hardly read pays for orientation detection.
        image = image().whole() if callable(image) else image
        image, page, grids, turned = _turn_upright(image, page, grids, task, dpi=r.dpi, engine=engine)
    tables = page_to_tables(page, grids)
    if any(not t.ruled for t in tables):
        image = image() if callable(image) else image
        page, tables = _with_unread_ink(page, tables, grids, image, dpi=r.dpi, lang=task.lang, engine=engine)
    page, tables, warnings = second_readings(page, tables, image, dpi=r.dpi, lang=task.lang, engine=engine, rule=rule)
    result = page_to_result(page, task.how or "scan", tables, r.warnings + tuple(warnings) + _photo_doubt(r.photo))
    if r.inked:
        from extract.imaging.inked import in_points, turn_regions

        result = replace(result, inked=in_points(turn_regions(r.inked, turned), result.size))
    return replace(result, turned=turned, photo=r.photo) if turned or r.photo else result


def _turn_upright(image, page, grids, task: OcrTask, *, dpi: int, engine) -> tuple:
    """The page image, page, grids and turn (degrees) of the best reading of a page read
    poorly: OSD's answer is taken at any confidence but only kept when the page then reads
    better. OSD tells a sideways page from an upright one better than it tells which way it
    lies: a turn of 90 or 270 that still reads poorly is tried the other way round too
    (v0003 of make_variants --n 30 --seed 229000 --kinds scan,turned,stamped: a landscape
    table scanned portrait, OSD's 90 read upside down at a median confidence of 53, 270 at 96)."""
    from extract.imaging.preprocess import osd_rotation, rotate_upright
    from extract.ocr.page import read_page

    best = (image, page, grids, 0)
    rotate = osd_rotation(image, min_confidence=0.0)
    turns = [rotate] if rotate else []
    if rotate in (90, 270):
        turns.append((rotate + 180) % 360)
    for turn in turns:
        turned_image = rotate_upright(image, turn)
        again, again_grids = read_page(turned_image, page_no=task.page_no, dpi=dpi, lang=task.lang, engine=engine)
        if median_confidence(again) > median_confidence(best[1]):
            log.info("%s page %d read poorly: turned %d° and read again", task.path, task.page_no, turn)
            best = (turned_image, again, again_grids, turn)
        if not read_poorly(again):
            break
    return best


def _with_unread_ink(page, tables, grids, image, *, dpi: int, lang: str, engine):
    """The page and its tables with the words its borderless tables' unread ink holds
    (``ocr.unread``), the tables built again when there are any."""
    from extract.layout.ruled import page_to_tables
    from extract.ocr.unread import unread_words

    found = unread_words(image, tables, page.words, page_no=page.no, dpi=dpi, lang=lang, engine=engine)
    if not found:
        return page, tables
    page = replace(page, words=page.words + tuple(found))
    return page, page_to_tables(page, grids)


def _photo_doubt(facts) -> tuple[str, ...]:
    if facts is None:
        return ()
    from extract.imaging.photo_check import doubt

    said = doubt(facts)
    return (said,) if said else ()


def _rounded(box) -> tuple[int, int, int, int]:
    return tuple(int(round(v)) for v in box)


def median_confidence(page: Page) -> float:
    confs = sorted(w.conf for w in page.words if w.text.strip())
    return confs[len(confs) // 2] if confs else 0.0


def read_poorly(page: Page, *, min_conf: float = 80.0) -> bool:
    """Most words of the page read with low confidence: upside down, or not text.

    Upright pages of every sample, clean or photographed, read at a median of 96;
    the same pages upside down at 69 (Tesseract still "reads" them)."""
    words = [w for w in page.words if w.text.strip()]
    if len(words) < 5:
        return bool(words)
    return median_confidence(page) < min_conf
