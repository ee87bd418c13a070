"""A run made again: the same inputs, options and code give the same outputs, copied.

Pages and documents read are cached (``chitieu.cache``), but a run of cached documents
still settles every record, builds every dataset and writes the workbook and the
report: seconds, for nothing new. Here a finished run's output files, its lines on
stderr and its exit status are kept under a key of everything they depend on: each
input's bytes and the name it goes by, the inputs refused, every option that changes an
output (the corrections and weights files by their bytes), the code and its data (the
bytes of every file of the project's packages), Python's version, every installed
distribution (its name, version and when it was installed), LibreOffice and the font
folders. A run under the same key writes those files again and says its lines again;
nothing is read or computed.

The OCR engine's identity is asked only when the run OCR'd a page: a run of text PDFs
and spreadsheets never starts an engine to learn whether it may use its copy.

A kept run must start at once (a tenth of what the first run took, or less): this module
imports nothing of the readers, nor pandas, numpy or Pillow, and hashes each input once.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

FORMAT = "2"  # part of every key: a change of what is stored changes every key
# Runs kept. An entry holds a run's outputs: for a province's archive, its CSVs, its
# workbook and its report (at most ~10 MB, normalize.outputs.datasets.MAX_PICTURES) a few
# tens of MB; eight bound the folder while keeping the runs a user alternates between.
KEEP_RUNS = 8
SAID = 0  # the level of a line a run said itself (not a log record's): said at any verbosity


@dataclass(frozen=True)
class Outcome:
    """What a finished run left: its output files (path relative to OUT → bytes), the lines
    it wrote on stderr, in order, each with its level (``SAID``, or the level of the log
    record it printed), the exit status it ended with, and the engine whose readings it used."""

    files: dict[str, bytes]
    lines: tuple[tuple[int, str], ...]
    status: int
    engine: str | None = None  # the OCR engine's identity, when a page was OCR'd
    stale: tuple[str, ...] = field(default=())  # outputs an earlier run may have left, removed


def default_cache_dir() -> Path:
    """Where pages read and kept runs are cached: $XDG_CACHE_HOME/chitieu or ~/.cache/chitieu
    (here, not in the page cache's module, so that a kept run finds it without importing that)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "chitieu"


def run_key(inputs: Sequence[tuple[str, str]], refused: Sequence[str], options: dict) -> str:
    """The key of a run of ``inputs`` ((name it goes by, path)), with the reasons inputs were
    ``refused`` and ``options`` (names → values; a path-valued option is given as its bytes'
    digest by the caller)."""
    from chitieu.inputs import digest

    h = _sha256()
    for part in (FORMAT, source_version(), environment(), repr(sorted(options.items())), *refused):
        h.update(part.encode("utf-8") + b"\0")
    for name, path in inputs:
        h.update(name.encode("utf-8") + b"\0" + digest(path).encode() + b"\0")
    return h.hexdigest()


def _sha256():
    """hashlib's SHA-256 of the few kB of a key, without importing hashlib: its OpenSSL takes
    2 ms to load, a twentieth of a kept run, whose files' digests are known already."""
    try:
        from _sha2 import sha256  # Python 3.12
    except ImportError:
        try:
            from _sha256 import sha256  # Python 3.10, 3.11
        except ImportError:
            from hashlib import sha256
    return sha256()


_ROOT = Path(__file__).resolve().parents[1]
_PACKAGES = ("chitieu", "extract", "normalize")


def source_files() -> list[tuple[str, str]]:
    """(path relative to the project, path) of every file of the project's packages (code,
    data, templates; not compiled code) and of pipeline.py, in a stable order."""
    root = str(_ROOT)
    found = [("pipeline.py", os.path.join(root, "pipeline.py"))]
    todo = [os.path.join(root, pkg) for pkg in _PACKAGES]
    while todo:
        with os.scandir(todo.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):  # as Path.rglob: a link to a folder is not entered
                    if entry.name != "__pycache__":
                        todo.append(entry.path)
                elif not entry.name.endswith(".pyc") and entry.is_file():
                    found.append((os.path.relpath(entry.path, root).replace(os.sep, "/"), entry.path))
    return sorted(found)


def source_version() -> str:
    """The bytes of every file of ``source_files`` (each by its digest: ``chitieu.inputs.digest``
    hashes a file once while it is unchanged). A whole run depends on all of them; hashing
    them flat spares the per-module import scan of the page cache's keys."""
    from chitieu.inputs import digest

    h = _sha256()
    for name, path in source_files():
        h.update(name.encode("utf-8") + b"\0" + digest(path).encode() + b"\0")
    return h.hexdigest()


def environment() -> str:
    """What else a run's outputs depend on, found without importing anything: Python's
    version, every installed distribution (the ``*.dist-info`` folders' names, so name and
    version, and their times: a package installed again, even at the same version, makes a
    new folder), LibreOffice (a .doc is read through it) and the font folders report.html's
    pictures are drawn with."""
    parts = [sys.version]
    for folder in sys.path:
        if folder.endswith("-packages") and os.path.isdir(folder):
            parts += sorted(_stamp(os.path.join(folder, n)) for n in os.listdir(folder)
                            if n.endswith((".dist-info", ".egg-info", ".pth")))
    office = _which("soffice") or _which("libreoffice")
    parts.append(_stamp(os.path.realpath(office)) if office else "soffice=none")
    data = os.environ.get("XDG_DATA_DIRS") or os.pathsep.join(("/usr/local/share", "/usr/share"))
    for fonts in [Path(d) / "fonts" for d in data.split(os.pathsep) if d] + [Path.home() / ".local/share/fonts"]:
        if fonts.is_dir():  # a font installed makes a folder of its own, which changes its parent's time
            parts += [_stamp(str(d)) for d in sorted(fonts.iterdir()) if d.is_dir()]
    return "\n".join(parts)


def engine_fingerprint() -> str:
    """What the OCR engines here are, without starting or importing one (a kept run is
    looked up before anything is read): tesserocr's installed binding, the tesseract
    program's size and time, every language model's size and time. Any of them changing
    makes a run that OCR'd a page a new run; the run itself resolves the engine as always."""
    import importlib.util

    from extract.ocr.tessdata import tessdata_candidates

    spec = importlib.util.find_spec("tesserocr")  # found, not imported (importing it takes 0.04 s)
    folder = Path(spec.origin).parent if spec is not None and spec.origin else None
    binding = sorted(p for p in folder.iterdir() if p.suffix in (".so", ".pyd")) if folder else []
    parts = [f"tesserocr={' '.join(_stamp(str(p)) for p in binding) or 'none'}"]
    program = _which("tesseract")
    if program:
        parts.append(f"tesseract={_stamp(os.path.realpath(program))}")
    for folder in tessdata_candidates():
        try:
            parts += [_stamp(str(p)) for p in sorted(folder.glob("*.traineddata"))]
        except OSError as exc:  # a model that cannot be read: no run is kept under it
            parts.append(f"{folder}: {exc}")
    return " ".join(parts)


def _which(name: str) -> str | None:
    if os.name == "nt":  # PATHEXT and the rest
        import shutil

        return shutil.which(name)
    for folder in os.get_exec_path():
        path = os.path.join(folder, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def _stamp(path: str) -> str:
    stat = os.stat(path)
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def digest_of(path: str | os.PathLike | None) -> str:
    """A file option's value in a key: its bytes' digest, "absent" when it is not there."""
    from chitieu.inputs import digest

    if path is None:
        return "none"
    try:
        return digest(path)
    except IsADirectoryError:  # a folder where the file goes: the command refuses it, never replays
        return "a folder"
    except OSError:
        return "absent"


class Reruns:
    """The finished runs kept under ``root`` (the cache folder)."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.folder = Path(root) / f"runs-v{FORMAT}"

    def recall(self) -> None:
        """Take the digests of files an earlier run hashed (``chitieu.inputs.recall``)."""
        from chitieu.inputs import recall

        try:
            with open(self.folder / "digests", "rb") as fh:
                recall(fh.read())
        except OSError:  # none yet
            pass

    def remember(self) -> None:
        """Keep the digests this run learnt for the next (``chitieu.inputs.remembered``)."""
        from chitieu.inputs import remembered

        data = remembered()
        if data is not None:
            from normalize.outputs.atomic import write_files

            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                write_files({self.folder / "digests": data})
            except OSError:  # a read-only cache: files are hashed again next time
                pass

    def load(self, key: str, engine_identity) -> Outcome | None:
        """The outcome kept under ``key``, when its engine (``engine_identity()``, asked only
        if it OCR'd) is still the one here."""
        import marshal

        path = self.folder / f"{key}.run"
        try:
            with open(path, "rb") as fh:
                kept = Outcome(*marshal.load(fh))
        except FileNotFoundError:
            return None
        except Exception as exc:  # cut short by a power cut, written by other code: made again
            _warn("ignoring unreadable kept run %s: %s", path, exc)
            return None
        if kept.engine is not None and kept.engine != engine_identity():
            return None
        try:
            os.utime(path)  # recently used: kept longest
        except OSError:  # a read-only cache, or trimmed meanwhile: it is still this run's outputs
            pass
        return kept

    def store(self, key: str, outcome: Outcome) -> None:
        """Keep ``outcome`` under ``key`` (as marshal's plain values: reading them back needs no
        import, where pickle's took a thirtieth of a kept run), and the ``KEEP_RUNS`` used last."""
        import marshal

        from normalize.outputs.atomic import write_bytes_atomic

        value = (dict(outcome.files), tuple(tuple(line) for line in outcome.lines), outcome.status, outcome.engine,
                 tuple(outcome.stale))
        try:
            write_bytes_atomic(self.folder / f"{key}.run", marshal.dumps(value))
        except OSError as exc:
            _warn("run not kept (%s): %s", self.folder, exc)
            return
        try:
            entries = sorted(self.folder.glob("*.run"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in entries[KEEP_RUNS:]:
                old.unlink(missing_ok=True)
        except OSError as exc:  # another run trimming at the same time
            _warn("runs not trimmed: %s", exc)
        import shutil

        for folder in self.folder.parent.glob("runs-v*"):  # runs kept by an earlier chitieu: no key finds them
            if folder.name != self.folder.name:
                shutil.rmtree(folder, ignore_errors=True)


def _warn(message: str, *args) -> None:
    import logging

    from chitieu.command import configure_logging  # a kept run configures logging only to say this

    configure_logging()
    logging.getLogger(__name__).warning(message, *args)


def collect(out_dir: Path, written: Sequence[str]) -> dict[str, bytes]:
    """The bytes of the files a run ``written`` (paths relative to ``out_dir``)."""
    return {name: (out_dir / name).read_bytes() for name in written}


def replay(out_dir: Path, outcome: Outcome) -> None:
    """Write a kept run's outputs into ``out_dir`` as the run wrote them (``normalize.outputs.atomic``):
    each file whole, the outputs it did not write removed as it removed them."""
    from normalize.outputs.atomic import write_files

    out_dir.mkdir(parents=True, exist_ok=True)
    write_files({out_dir / name: data for name, data in outcome.files.items()}, keep_same=True)
    communes = out_dir / "communes"
    if communes.is_dir():
        for old in communes.glob("*.csv"):
            if f"communes/{old.name}" not in outcome.files:
                old.unlink(missing_ok=True)
    for name in outcome.stale:
        if name not in outcome.files:
            (out_dir / name).unlink(missing_ok=True)
