"""The one place a Tesseract process is started: with its own environment (one
OpenMP thread: its threads would fight our page workers for the cores) and a
timeout, so that a hung Tesseract costs its own page, not the run.

pytesseract names the program (``pytesseract.pytesseract.tesseract_cmd``, which a
user may point elsewhere) and parses its TSV and OSD output; the process is ours,
since pytesseract starts it with this process's environment, which we never write.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import tempfile

# Seconds one image may take. A 300-dpi page reads in about a second on one core
# here (bench/bench_scale.py: 1.0 page/s); a page a hundred times slower is hung.
TIMEOUT_PER_IMAGE = 120.0


class TesseractFailed(RuntimeError):
    """Tesseract exited with an error, was killed, or took longer than its timeout."""


def tesseract_env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _program() -> str:
    import pytesseract

    return pytesseract.pytesseract.tesseract_cmd


def run_tesseract(args: list[str], *, timeout: float) -> bytes:
    """Run tesseract with ``args``; its standard output, or ``TesseractFailed`` saying why."""
    try:
        done = subprocess.run([_program(), *args], capture_output=True, env=tesseract_env(), timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise TesseractFailed(f"tesseract took more than {timeout:.0f} s and was stopped") from exc
    except OSError as exc:
        raise TesseractFailed(f"tesseract could not be started: {exc}") from exc
    if done.returncode:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise TesseractFailed(f"tesseract exited with status {done.returncode}: {err[-1] if err else 'no message'}")
    return done.stdout


def image_file_to_data(path: str, *, lang: str, config: str, timeout: float) -> dict:
    """Tesseract's TSV of the image file (or list of image files) at ``path``, as a dict
    of columns, the numeric ones as integers (as ``pytesseract.image_to_data`` gives it)."""
    from pytesseract.pytesseract import file_to_dict

    with tempfile.TemporaryDirectory(prefix="chitieu-tess-") as tmp:
        base = os.path.join(tmp, "out")
        run_tesseract([path, base, "-l", lang, *shlex.split(f"-c tessedit_create_tsv=1 {config}".strip())],
                      timeout=timeout)
        with open(base + ".tsv", "rb") as fh:
            return file_to_dict(fh.read().decode("utf-8"), "\t", -1)


def image_to_osd(image, *, timeout: float = TIMEOUT_PER_IMAGE) -> dict:
    """Tesseract's orientation and script detection of a PIL image, as a dict
    (``rotate``, ``orientation_conf`` …, as ``pytesseract.image_to_osd`` gives it)."""
    from pytesseract.pytesseract import osd_to_dict

    with tempfile.TemporaryDirectory(prefix="chitieu-tess-") as tmp:
        # Saved as pytesseract saves it: in the image's own format, PNG when it has none.
        fmt = image.format or "PNG"
        source, base = os.path.join(tmp, f"page.{fmt.lower()}"), os.path.join(tmp, "out")
        image.save(source, format=fmt)
        run_tesseract([source, base, "-l", "osd", "--psm", "0"], timeout=timeout)
        with open(base + ".osd", "rb") as fh:
            return osd_to_dict(fh.read().decode("utf-8"))
