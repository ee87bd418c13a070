"""Tesseract in this process, through tesserocr: the model loaded once per worker and kept.

The tesseract program pays, on every call, a process start, a model load (a tenth of a
second for ``vie``) and an image written to disk and decoded again; for a page read in
about a second and a strip of cells in a tenth, that is a large share. tesserocr binds
libtesseract (its wheels bundle it) and is handed the pixels as they are in memory.

One ``PyTessBaseAPI`` per language and thread, made on first use and kept for the
thread's life; a worker forked from a parent that held one makes its own (an API is
never shared across processes or threads). Unlike the program, it cannot be killed: a
crash of libtesseract takes its worker process down (the pages in flight are read again
alone, as for any worker that dies), and its time limit is checked while words are
recognised, so a hang in layout analysis is not cut short. The wheel's
libtesseract may be another version than the program's: the two engines' readings are
compared on the scanned variants and the samples (README: the two OCR engines), not
assumed equal.
"""
from __future__ import annotations

import functools
import hashlib
import os
import shlex
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from extract.errors import OcrUnavailable
from extract.ocr.tessdata import tessdata_candidates

if TYPE_CHECKING:
    from PIL import Image

# The wheel's libtesseract is built without OpenMP (tesserocr.libs holds no libgomp), so
# it runs one thread, as the program is made to with OMP_THREAD_LIMIT=1: our page
# workers already fill the cores.
# One API per thread, language and models' folder: a Dask worker's threads read pages at
# once, each with its own. A process forked from one that held APIs forgets them (they
# are the parent's) and makes its own.
_local = threading.local()


def _forget() -> None:
    global _local
    _local = threading.local()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget)
# Recognize takes its time in milliseconds as a C int.
MAX_TIMEOUT_MS = 2**31 - 1
HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"


def available() -> bool:
    """Whether tesserocr imports here (its wheel, or a build against a local libtesseract)."""
    try:
        import tesserocr  # noqa: F401
    except Exception:  # not installed, or its library does not load
        return False
    return True


@functools.lru_cache(maxsize=1)
def tessdata_folder() -> str | None:
    """The folder of the installed language models: the first of ``tessdata_candidates``
    that holds any, else where the tesseract program says its models are (a process
    started: asked last)."""
    for folder in tessdata_candidates():
        if folder.is_dir() and any(folder.glob("*.traineddata")):
            return str(folder)
    program = shutil.which("tesseract")
    try:
        folder = program_models(program) if program else None
    except (OSError, subprocess.SubprocessError):  # it does not run
        return None
    return str(folder) if folder is not None and folder.is_dir() else None


def program_models(program: str) -> Path | None:
    """The models' folder the tesseract ``program`` says it reads (``--list-langs``)."""
    listing = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    return Path(listing.split('"')[1]) if listing.count('"') >= 2 else None


def languages() -> frozenset[str]:
    folder = tessdata_folder()
    return frozenset(p.stem for p in Path(folder).glob("*.traineddata")) if folder else frozenset()


@functools.lru_cache(maxsize=1)
def identity() -> str:
    """What the cache keys readings by: the library's version and each model's size."""
    import tesserocr

    folder = tessdata_folder()
    models = sorted(Path(folder).glob("*.traineddata")) if folder else []
    return " ".join([f"tesserocr {tesserocr.tesseract_version().splitlines()[0]}",
                     *(f"{p.name}:{p.stat().st_size}" for p in models)])


def _api(lang: str):
    folder = tessdata_folder()
    if folder is None:
        raise OcrUnavailable("no Tesseract language data found (install tesseract-ocr-vie, or set TESSDATA_PREFIX)")
    apis = _local.__dict__.setdefault("apis", {})
    api = apis.get((folder, lang))
    if api is None:
        api = apis[(folder, lang)] = _new_api(folder, lang)
    return api


def _new_api(folder: str, lang: str):
    import tesserocr

    _quiet_leptonica(tesserocr)
    try:
        return tesserocr.PyTessBaseAPI(path=folder.rstrip("/") + "/", lang=lang)
    except RuntimeError as exc:
        raise OcrUnavailable(f"tesserocr could not load the {lang} model from {folder}: {exc}") from exc


@functools.lru_cache(maxsize=1)
def _quiet_leptonica(tesserocr) -> None:
    """Leptonica, under libtesseract, writes its complaints ("Error in boxClipToRectangle:
    box outside rectangle", on a strip of crops) to the process's stderr, where they would
    drown chitieu's own lines; the program's stderr was ours to read. Its severity is set to
    none (L_SEVERITY_NONE = 6) in the library tesserocr loaded: the wheel's, beside it."""
    import ctypes
    import ctypes.util

    here = Path(tesserocr.__file__).resolve().parent
    found = sorted(here.parent.glob("tesserocr.libs/libleptonica*")) + sorted(here.parent.glob("tesserocr.libs/liblept*"))
    name = str(found[0]) if found else ctypes.util.find_library("leptonica") or ctypes.util.find_library("lept")
    try:
        ctypes.CDLL(name).setMsgSeverity(6)
    except (OSError, AttributeError, TypeError):  # not found, or another build: its lines stay
        pass


def settings_of(psm: int, config: str) -> dict[str, str]:
    """The Tesseract variables a command-line ``config`` ("-c name=value …") sets, and the mode."""
    variables, args = {"tessedit_pageseg_mode": str(psm)}, shlex.split(config)
    for k, arg in enumerate(args):
        if arg == "-c" and k + 1 < len(args) and "=" in args[k + 1]:
            name, value = args[k + 1].split("=", 1)
            variables[name] = value
        elif arg != "-c" and (k == 0 or args[k - 1] != "-c"):
            raise ValueError(f"an in-process reading takes only -c name=value settings, not {arg!r}")
    return variables


def read_tsv(image: Image.Image, *, lang: str, psm: int, config: str, timeout: float) -> str:
    """Tesseract's TSV (with its header) of ``image`` (8-bit gray or RGB), read in this process.

    The resolution is left unset, as the program is given a BMP with none, so Tesseract
    estimates it from the text the same way. ``TesseractTimeout`` after ``timeout`` s."""
    from extract.ocr.tesseract import TesseractFailed, TesseractTimeout

    if image.mode not in ("L", "RGB"):
        image = image.convert("L")
    data, depth = image.tobytes(), (1 if image.mode == "L" else 3)
    variables = settings_of(psm, config)
    api = _api(lang)
    saved = {name: api.GetVariableAsString(name) for name in variables}
    try:
        for name, value in variables.items():
            if not api.SetVariable(name, value):
                raise ValueError(f"Tesseract has no setting {name!r}")
        api.SetImageBytes(data, image.width, image.height, depth, image.width * depth)
        start = time.monotonic()
        if not api.Recognize(timeout=min(MAX_TIMEOUT_MS, max(1, int(timeout * 1000)))):
            if time.monotonic() - start < 0.9 * timeout:
                raise TesseractFailed("tesseract could not read this page (libtesseract gave up on it)")
            raise TesseractTimeout(f"tesseract took more than {timeout:g} s on this page and was stopped "
                                   "(--page-timeout)", 0, timeout)
        text = api.GetTSVText(0)
        if text is None:
            raise TesseractFailed("tesseract gave no reading of the page")
    finally:
        api.Clear()
        for name, value in saved.items():
            api.SetVariable(name, value or "")
    return HEADER + text


def image_digest(image: Image.Image) -> str:
    """SHA-256 of an image's mode, size and pixels: the key of its reading in a replay."""
    h = hashlib.sha256(f"{image.mode} {image.width}x{image.height}\0".encode())
    h.update(image.tobytes())
    return h.hexdigest()


def load_gray(path: str) -> Image.Image:
    from extract.limits import open_image

    with open_image(path) as im:  # our own image, checked when it was made
        return im.convert("L") if im.mode not in ("L", "RGB") else im.copy()
