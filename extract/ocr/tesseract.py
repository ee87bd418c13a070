"""The one place a Tesseract process is started: with its own environment (one
OpenMP thread: its threads would fight our page workers for the cores), in a process
group of its own, and with a time limit for each image, so that a hung Tesseract costs
its own page, not the run: the whole group is killed, whatever it started.

pytesseract names the program (``pytesseract.pytesseract.tesseract_cmd``, which a
user may point elsewhere) and parses its OSD output; the process is ours, since
pytesseract starts it with this process's environment, which we never write, and
without a way to stop what it started.
"""
from __future__ import annotations

import functools
import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from typing import Sequence

from extract.errors import OcrFailed

# Seconds an image may take, proportional to its pixels. A 300-dpi A4 page (2481×3508,
# 8.7 Mpx) reads in about a second on one core here (bench/bench_scale.py: 1.0 page/s);
# 120 s, a hundred times that, is hung, not slow. Tesseract's time grows with the
# pixels, so a larger page gets more in proportion.
SECONDS_PER_A4 = 120.0
A4_300_DPI_PIXELS = 2481 * 3508
# A cell's crop or a thumbnail still pays Tesseract's start and model load (0.1-0.3 s)
# on a machine its other workers keep busy: no image gets less than a hundred times that.
MIN_TIMEOUT = 30.0

# Tesseract reading a list of images says "Page N : path" on stderr as it starts each.
_PAGE_LINE = re.compile(rb"^Page \d+ : ", re.M)
_running: set[int] = set()  # process groups of the Tesseracts this process has running
# A stop (a worker's SIGTERM handler) that comes while a Tesseract is being started, before
# its group is in _running, would miss it: it is held until the group is known.
_starting = False
_held_stop = None


class TesseractFailed(OcrFailed):
    """Tesseract exited with an error, was killed, or took longer than its time."""


class TesseractTimeout(TesseractFailed):
    """Tesseract took longer than an image's time; ``image``: which image of the call
    (0-based) it was reading, when it said."""

    def __init__(self, message: str, image: int | None = None, seconds: float | None = None) -> None:
        super().__init__(message)
        self.image, self.seconds = image, seconds

    def alone(self) -> "TesseractTimeout":
        """The same stop, said of the one page it was on (not as image k of a list)."""
        if self.seconds is None:
            return self
        return TesseractTimeout(f"tesseract took more than {_seconds(self.seconds)} s on this page and was stopped "
                                "(--page-timeout)", 0, self.seconds)


def timeout_for(pixels: int, fixed: float | None = None) -> float:
    """Seconds Tesseract may take on an image of ``pixels``: ``fixed`` when given (the
    user's ``--page-timeout``), else scaled to the pixels (120 s an A4 page at 300 dpi)."""
    if fixed is not None:
        return float(fixed)
    return max(MIN_TIMEOUT, SECONDS_PER_A4 * pixels / A4_300_DPI_PIXELS)


def tesseract_env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _program() -> str:
    import pytesseract

    return pytesseract.pytesseract.tesseract_cmd


def _command(args: list[str]) -> list[str]:
    """Tesseract's command line, under ``setpriv --pdeathsig KILL`` when util-linux has it
    (every Debian): a worker killed outright (SIGKILL, the OOM killer) runs no handler, and
    its Tesseract, in a session of its own, would read on alone, or hang for ever. setpriv
    execs Tesseract in its own process, so the group and the exit status are Tesseract's."""
    program = _program()
    guard = _setpriv()
    if guard and shutil.which(program):  # else Popen says the program is missing
        return [guard, "--pdeathsig", "KILL", "--", program, *args]
    return [program, *args]


@functools.lru_cache(maxsize=1)
def _setpriv() -> str | None:
    return shutil.which("setpriv")


def stop_running() -> None:
    """Kill every Tesseract this process started that still runs (a worker being ended)."""
    for group in list(_running):
        _kill_group(group)


def hold_stop(stop) -> bool:
    """For a signal handler about to end this process: True when a Tesseract is being
    started, in which case ``stop`` is called as soon as its process group is known
    (so that ``stop_running`` kills it too) instead of now."""
    global _held_stop
    if _starting:
        _held_stop = stop
        return True
    return False


def _kill_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # gone already
        pass


def run_tesseract(args: list[str], *, timeout: float | Sequence[float]) -> bytes:
    """Run tesseract with ``args``; its standard output, or ``TesseractFailed`` saying why.

    ``timeout``: seconds for the call, or for each image of a list of images, each
    counted from when Tesseract says it starts that image (the call never gets more
    than their sum)."""
    global _starting
    timeouts = (float(timeout),) if isinstance(timeout, (int, float)) else tuple(map(float, timeout))
    _starting = True
    try:
        proc = subprocess.Popen(_command(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=tesseract_env(), start_new_session=True)
        _running.add(proc.pid)
    except OSError as exc:
        raise TesseractFailed(f"tesseract could not be started: {exc}") from exc
    finally:
        _starting = False
    if _held_stop is not None:  # a stop came while it started: now it can take this Tesseract too
        _held_stop()
    try:
        out, err = _communicate(proc, timeouts)
    except BaseException:  # stopped, or interrupted: nothing it started outlives the call
        _kill_group(proc.pid)
        proc.wait()
        raise
    finally:
        _running.discard(proc.pid)
        proc.stdout.close()
        proc.stderr.close()
    if proc.returncode:
        raise TesseractFailed(_exit_reason(proc.returncode, err))
    return out


def _exit_reason(status: int, err: bytes) -> str:
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        hint = " (out of memory?)" if -status == signal.SIGKILL else ""
        return f"tesseract was killed by {name}{hint}"
    lines = err.decode("utf-8", "replace").strip().splitlines()
    return f"tesseract exited with status {status}: {lines[-1] if lines else 'no message'}"


def _communicate(proc: subprocess.Popen, timeouts: tuple[float, ...]) -> tuple[bytes, bytes]:
    """Both pipes read to their end while the clock of the image being read runs."""
    start = time.monotonic()
    total = start + sum(timeouts)
    starts: list[float] = []  # when Tesseract said it started each image of a list
    out, err = bytearray(), bytearray()
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ, out)
        sel.register(proc.stderr, selectors.EVENT_READ, err)
        while sel.get_map():
            deadline, image = total, None
            if starts:
                image = min(len(starts), len(timeouts)) - 1
                deadline = min(total, starts[image] + timeouts[image])
            elif len(timeouts) == 1:
                image = 0
            left = deadline - time.monotonic()
            if left <= 0:
                raise _timed_out(timeouts, image)
            for key, _ in sel.select(left):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                key.data.extend(chunk)
                if key.data is err:
                    now = time.monotonic()
                    starts.extend(now for _ in range(len(_PAGE_LINE.findall(err)) - len(starts)))
    try:
        proc.wait(timeout=max(0.0, total - time.monotonic()) + 1.0)
    except subprocess.TimeoutExpired:
        raise _timed_out(timeouts, None) from None
    return bytes(out), bytes(err)


def _timed_out(timeouts: tuple[float, ...], image: int | None) -> TesseractTimeout:
    if image is None:
        return TesseractTimeout(f"tesseract took more than {_seconds(sum(timeouts))} s and was stopped")
    which = f" on image {image + 1} of {len(timeouts)}" if len(timeouts) > 1 else ""
    return TesseractTimeout(f"tesseract took more than {_seconds(timeouts[image])} s{which} and was stopped "
                            "(--page-timeout)", image, timeouts[image])


def _seconds(t: float) -> str:
    return f"{t:.0f}" if t >= 10 or t == int(t) else f"{t:.1f}"


def image_file_to_data(path: str, *, lang: str, config: str, timeout: float | Sequence[float],
                       images: int = 1) -> dict:
    """Tesseract's TSV of the image file (or list of ``images`` image files) at ``path``,
    checked (``extract.ocr.tsv``), as a dict of columns, the numeric ones as integers
    (as ``pytesseract.image_to_data`` gives it). Played back instead when a recording
    of it is asked for and there (``extract.ocr.replay``; tests only)."""
    from extract.ocr import replay as rp
    from extract.ocr.tsv import tsv_to_data

    recorded = rp.active()
    if recorded is None:
        return tsv_to_data(_read_tsv(path, lang, config, timeout), images=images)
    sources = _listed(path) if images > 1 else [path]
    keys = [rp.key("tsv", rp.file_digest(source), lang, config) for source in sources]
    found = [recorded.get(k) for k in keys]
    if all(text is not None for text in found):
        return tsv_to_data(rp.join_pages(found) if images > 1 else found[0], images=images)
    raw = _read_tsv(path, lang, config, timeout)
    data = tsv_to_data(raw, images=images)  # only a whole reading is recorded
    for k, text in zip(keys, rp.split_pages(raw, images) if images > 1 else [raw]):
        recorded.put(k, text)
    return data


def _read_tsv(path: str, lang: str, config: str, timeout: float | Sequence[float]) -> str:
    with tempfile.TemporaryDirectory(prefix="chitieu-tess-") as tmp:
        base = os.path.join(tmp, "out")
        run_tesseract([path, base, "-l", lang, *shlex.split(f"-c tessedit_create_tsv=1 {config}".strip())],
                      timeout=timeout)
        try:
            with open(base + ".tsv", "rb") as fh:
                return fh.read().decode("utf-8", "replace")
        except FileNotFoundError:
            raise TesseractFailed("tesseract exited without writing its TSV") from None


def _listed(listing: str) -> list[str]:
    with open(listing, encoding="utf-8") as fh:
        return [line for line in fh.read().splitlines() if line]


def image_to_osd(image, *, timeout: float | None = None) -> dict:
    """Tesseract's orientation and script detection of a PIL image, as a dict
    (``rotate``, ``orientation_conf`` …, as ``pytesseract.image_to_osd`` gives it)."""
    from pytesseract.pytesseract import osd_to_dict

    from extract.ocr import replay as rp

    recorded = rp.active()
    with tempfile.TemporaryDirectory(prefix="chitieu-tess-") as tmp:
        # Saved as pytesseract saves it: in the image's own format, PNG when it has none.
        fmt = image.format or "PNG"
        source, base = os.path.join(tmp, f"page.{fmt.lower()}"), os.path.join(tmp, "out")
        image.save(source, format=fmt)
        k = rp.key("osd", rp.file_digest(source)) if recorded else ""
        text = recorded.get(k) if recorded else None
        if text is None:
            try:
                run_tesseract([source, base, "-l", "osd", "--psm", "0"],
                              timeout=timeout_for(image.width * image.height, timeout))
            except TesseractTimeout:  # this machine's speed: never recorded
                raise
            except TesseractFailed as exc:  # "too few characters" on a page of few words: part of its reading
                if recorded:
                    recorded.put(k, _FAILED + str(exc))
                raise
            with open(base + ".osd", "rb") as fh:
                text = fh.read().decode("utf-8")
            if recorded:
                recorded.put(k, text)
        elif text.startswith(_FAILED):
            raise TesseractFailed(text[len(_FAILED):])
    return osd_to_dict(text)


_FAILED = "!failed: "  # a recorded OSD that Tesseract refused, and why
