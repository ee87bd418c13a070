"""A run made again: the same inputs, options and code give the same outputs, copied.

Pages and documents read are cached (``chitieu.cache``), but a run of cached documents
still settles every record, builds every dataset and writes the workbook and the
report: seconds, for nothing new. Here a finished run's output files, its lines on
stderr and its exit status are kept under a key of everything they depend on: each
input's bytes and the name it goes by, the inputs refused, every option that changes an
output (the corrections and weights files by their bytes), the code and its data. A run
under the same key writes those files again and says so; nothing is read or computed.

The OCR engine's identity is asked only when the run OCR'd a page: a run of text PDFs
and spreadsheets never starts an engine to learn whether it may use its copy.
"""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

log = logging.getLogger(__name__)

FORMAT = "1"  # part of every key: a change of what is stored changes every key
# Runs kept. An entry holds a run's outputs: for a province's archive, its CSVs, its
# workbook and its report (at most ~10 MB, normalize.outputs.datasets.MAX_PICTURES) a few
# tens of MB; eight bound the folder while keeping the runs a user alternates between.
KEEP_RUNS = 8


@dataclass(frozen=True)
class Outcome:
    """What a finished run left: its output files (path relative to OUT → bytes), the lines
    it said on stderr, the exit status it ended with, and the engine whose readings it used."""

    files: dict[str, bytes]
    lines: tuple[str, ...]
    status: int
    engine: str | None = None  # the OCR engine's identity, when a page was OCR'd
    stale: tuple[str, ...] = field(default=())  # outputs an earlier run may have left, removed


def run_key(inputs: Sequence[tuple[str, str]], refused: Sequence[str], options: dict) -> str:
    """The key of a run of ``inputs`` ((name it goes by, path)), with the reasons inputs were
    ``refused`` and ``options`` (names → values; a path-valued option is given as its bytes'
    digest by the caller)."""
    from chitieu.cache import file_digest

    h = hashlib.sha256()
    for part in (FORMAT, source_version(), environment(), repr(sorted(options.items())), *refused):
        h.update(part.encode("utf-8") + b"\0")
    for name, path in inputs:
        h.update(name.encode("utf-8") + b"\0" + file_digest(path).encode() + b"\0")
    return h.hexdigest()


_ROOT = Path(__file__).resolve().parents[1]
_PACKAGES = ("chitieu", "extract", "normalize")


def source_version() -> str:
    """The bytes of every file of the project's packages (code, data, templates) and of
    pipeline.py. A whole run depends on all of them; hashing them flat (0.02 s here) spares
    the per-module import scan of the page cache's keys (0.1-0.2 s)."""
    h = hashlib.sha256()
    files = [p for pkg in _PACKAGES for p in (_ROOT / pkg).rglob("*") if "__pycache__" not in p.parts]
    for path in sorted(f for f in files + [_ROOT / "pipeline.py"] if f.is_file() and not f.suffix == ".pyc"):
        h.update(path.relative_to(_ROOT).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def environment() -> str:
    """What else a run's outputs depend on, found without importing anything: Python's
    version, every installed distribution's name and version (the names of the
    ``*.dist-info`` folders: pdfplumber, pandas, XlsxWriter …), LibreOffice (a .doc is read
    through it) and the font folders report.html's pictures are drawn with."""
    import shutil
    import sys

    parts = [sys.version]
    for folder in sys.path:
        if folder.endswith("-packages") and os.path.isdir(folder):
            parts += sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
    office = shutil.which("soffice") or shutil.which("libreoffice")
    parts.append(_stamp(os.path.realpath(office)) if office else "soffice=none")
    data = os.environ.get("XDG_DATA_DIRS") or os.pathsep.join(("/usr/local/share", "/usr/share"))
    for fonts in [Path(d) / "fonts" for d in data.split(os.pathsep) if d] + [Path.home() / ".local/share/fonts"]:
        if fonts.is_dir():  # a font installed makes a folder of its own, which changes its parent's time
            parts += [_stamp(str(d)) for d in sorted(fonts.iterdir()) if d.is_dir()]
    return "\n".join(parts)


def engine_fingerprint() -> str:
    """What the OCR engines here are, without starting or importing one (a kept run is
    looked up before anything is read): tesserocr's installed version, the tesseract
    program's size and time, every language model's size. Any of them changing makes a
    run that OCR'd a page a new run; the run itself resolves the engine as always."""
    import importlib.util
    import shutil

    spec = importlib.util.find_spec("tesserocr")  # found, not imported (importing it takes 0.04 s)
    folder = Path(spec.origin).parent if spec is not None and spec.origin else None
    binding = sorted(p for p in folder.iterdir() if p.suffix in (".so", ".pyd")) if folder else []
    parts = [f"tesserocr={' '.join(_stamp(str(p)) for p in binding) or 'none'}"]
    program = shutil.which("tesseract")
    if program:
        parts.append(f"tesseract={_stamp(os.path.realpath(program))}")
    from extract.ocr.inprocess import tessdata_candidates

    for folder in tessdata_candidates():
        try:
            parts += [_stamp(str(p)) for p in sorted(folder.glob("*.traineddata"))]
        except OSError as exc:  # a model that cannot be read: no run is kept under it
            parts.append(f"{folder}: {exc}")
    return " ".join(parts)


def _stamp(path: str) -> str:
    stat = os.stat(path)
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def digest_of(path: str | os.PathLike | None) -> str:
    """A file option's value in a key: its bytes' digest, "absent" when it is not there."""
    from chitieu.cache import file_digest

    if path is None:
        return "none"
    try:
        return file_digest(path)
    except OSError:
        return "absent"


class Reruns:
    """The finished runs kept under ``root`` (the cache folder)."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.folder = Path(root) / f"runs-v{FORMAT}"

    def load(self, key: str, engine_identity) -> Outcome | None:
        """The outcome kept under ``key``, when its engine (``engine_identity()``, asked only
        if it OCR'd) is still the one here."""
        from chitieu.cache import read_entry

        kept = read_entry(self.folder / f"{key}.pkl")
        if not isinstance(kept, Outcome):
            return None
        if kept.engine is not None and kept.engine != engine_identity():
            return None
        try:
            os.utime(self.folder / f"{key}.pkl")  # recently used: kept longest
        except OSError:  # a read-only cache, or trimmed meanwhile: it is still this run's outputs
            pass
        return kept

    def store(self, key: str, outcome: Outcome) -> None:
        from chitieu.cache import try_write_entry

        try_write_entry(self.folder / f"{key}.pkl", outcome)
        try:
            entries = sorted(self.folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in entries[KEEP_RUNS:]:
                old.unlink(missing_ok=True)
        except OSError as exc:  # another run trimming at the same time
            log.debug("runs not trimmed: %s", exc)


def collect(out_dir: Path, written: Sequence[str]) -> dict[str, bytes]:
    """The bytes of the files a run ``written`` (paths relative to ``out_dir``)."""
    return {name: (out_dir / name).read_bytes() for name in written}


def replay(out_dir: Path, outcome: Outcome) -> None:
    """Write a kept run's outputs into ``out_dir`` as the run wrote them: each file whole
    (atomically), the outputs it did not write removed as it removed them."""
    from normalize.outputs.atomic import write_bytes_atomic

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in outcome.files.items():
        target = out_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(target, data)
    communes = out_dir / "communes"
    if communes.is_dir():
        for old in communes.glob("*.csv"):
            if f"communes/{old.name}" not in outcome.files:
                old.unlink(missing_ok=True)
    for name in outcome.stale:
        if name not in outcome.files:
            (out_dir / name).unlink(missing_ok=True)

