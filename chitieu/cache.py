"""Work done is kept: pages already read are not read again.

Entries are keyed by the content hash of the input (so a renamed or moved file is
still known, and a changed one is not) and by everything else that changes a
page's result: dpi, language, the source of the code that produces it, and for OCR
the Tesseract version and language data. Each OCR'd page is its own entry, written
atomically the moment it arrives, so a run stopped half way — by Ctrl-C, a kill or
a power cut — resumes where it was. An entry that cannot be read is a miss.

Layout, under ``ROOT/v1/<hash[:2]>/<hash>/``: ``plan-<key>.pkl`` (what reading the
document without OCR gave: text-layer pages, dump pages, the OCR tasks),
``ocr-<key>/<kind>-<index>.pkl`` (one OCR'd page) and ``records-<key>.pkl`` (the
document's records, keyed also by the name it goes by, its ``source_file``, the year
asked for, and the source of the whole pipeline and its data files). Entries are
pickles of our own frozen values: the cache is the user's own, like any ~/.cache.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
import logging
import os
import pickle
import subprocess
from pathlib import Path

from chitieu.rerun import default_cache_dir  # noqa: F401 (defined there, where a kept run finds it light)

log = logging.getLogger(__name__)

FORMAT = 1
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def _module_file(name: str) -> Path | None:
    base = _PACKAGE_ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


# An import statement at the start of a line, at any indent (function-level ones count),
# its names in brackets across lines or to the end of the line. Scanning bytes costs a
# hundredth of parsing the module (ast.parse of the project took 0.6 s, a tenth of a
# cached run; issue 16); a match inside a docstring only adds a module, which can only
# make the version change more often, never less.
_IMPORT = re.compile(rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\((?:[^)#]|#[^\n]*)*\)|[^\n#;]*)"
                     rb"|import[ \t]+([^\n#;]*))", re.MULTILINE)


def _imported(source: bytes, module: str, is_package: bool) -> set[str]:
    """Modules named by every import statement of ``source``, function-level ones included."""
    names: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for m in _IMPORT.finditer(source):
        if m.group(3) is not None:
            names.update(_names(m.group(3)))
            continue
        dots, rest = len(m.group(1)) - len(m.group(1).lstrip(b".")), m.group(1).lstrip(b".").decode()
        if dots:
            base = package.rsplit(".", dots - 1)[0] if dots > 1 else package
            target = f"{base}.{rest}" if rest else base
        else:
            target = rest
        names.add(target)
        names.update(f"{target}.{n}" for n in _names(m.group(2)))
    return names


def _names(clause: bytes) -> list[str]:
    """``a, b as c, (d,\n e)`` → a, b, d, e."""
    lines = (line.split("#", 1)[0] for line in clause.decode("utf-8", "replace").splitlines())
    text = " ".join(lines).replace("(", " ").replace(")", " ").replace("\\", " ")
    return [part.split()[0] for part in text.split(",") if part.split()]


@functools.lru_cache(maxsize=None)
def _module_imports(name: str) -> frozenset[str]:
    """What the project module ``name`` imports (parsed once: several versions share modules)."""
    path = _module_file(name)
    if path is None:  # not ours: a dependency, whose version the engine id covers
        return frozenset()
    return frozenset(_imported(path.read_bytes(), name, path.name == "__init__.py"))


@functools.lru_cache(maxsize=None)
def code_version(module: str) -> str:
    """Hash of the source of ``module`` and of every project module it imports, transitively.

    Editing any of them changes the version, so results it produced are redone.
    """
    h = hashlib.sha256()
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(_module_imports(name))
    for name in sorted(seen):
        path = _module_file(name)
        if path is not None:
            h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=None)
def data_version() -> str:
    """Hash of the data files shipped beside the code (catalogue, gazetteer)."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE_ROOT.glob("*/data/**/*")):
        if path.is_file():
            h.update(str(path.relative_to(_PACKAGE_ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=None)
def engine_identity(lang: str, engine: str = "tesseract") -> str:
    """The OCR engine's version and the size of each installed language model, or "unavailable"."""
    if engine == "tesserocr":
        from extract.ocr import inprocess

        try:
            reader = f"{inprocess.identity()} lang={lang}"
        except Exception:  # no engine: nothing cached under a real engine will match
            return "unavailable"
        # The program still turns pages that read poorly (OSD): its version is part of a page's reading.
        return f"{reader}; osd by {engine_identity(lang, 'tesseract')}"
    from extract.ocr.inprocess import program_models

    try:
        # The program pytesseract starts (``tesseract_cmd``, which a user may point
        # elsewhere), found without importing pytesseract, which imports pandas.
        cmd = _tesseract_cmd()
        version = subprocess.run([cmd, "--version"], capture_output=True, text=True, timeout=30).stdout.splitlines()
        folder = program_models(cmd)
    except Exception:  # no engine: nothing cached under a real engine will match
        return "unavailable"
    parts = [version[0] if version else "?", f"lang={lang}"]
    # Every model installed, not only ``lang``: the OCR stage may consult others
    # (eng to verify numbers, osd to turn pages) when they are there.
    if folder is not None and folder.is_dir():
        parts.extend(f"{p.name}:{p.stat().st_size}" for p in sorted(folder.glob("*.traineddata")))
    return " ".join(parts)


def _tesseract_cmd() -> str:
    import sys

    pytesseract = sys.modules.get("pytesseract.pytesseract")
    return pytesseract.tesseract_cmd if pytesseract is not None else "tesseract"


def _versions(*distributions: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in distributions:
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=?")
    return " ".join(out)


def _key(**fields) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


def write_entry(path: Path, value) -> None:
    """Pickle ``value`` beside ``path`` and rename it over: readers see all of it or nothing."""
    from normalize.outputs.atomic import write_bytes_atomic

    write_bytes_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def try_write_entry(path: Path, value) -> None:
    """``write_entry``, where a full disk or a read-only cache costs a warning, not the run."""
    try:
        write_entry(path, value)
    except OSError as exc:
        log.warning("cache entry not written (%s): %s", path, exc)


def read_entry(path: Path):
    """The value stored at ``path``, or None when it is absent or unreadable."""
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # truncated by a power cut, or written by other code
        log.warning("ignoring unreadable cache entry %s: %s", path, exc)
        return None


class PageCache:
    """Plans and OCR'd pages of inputs under ``root``, for one dpi and language."""

    def __init__(self, root: str | os.PathLike, *, dpi: int, lang: str, limits=None, engine: str = "tesseract") -> None:
        from extract.limits import Limits

        self.root = Path(root)
        self.dpi, self.lang, self.engine = dpi, lang, engine
        self.limits = limits or Limits()
        self._digests: dict[str, str] = {}
        self.hits = self.misses = 0

    def digest(self, path: str | os.PathLike) -> str:
        key = os.path.abspath(path)
        if key not in self._digests:  # the digest the run's key and the outputs' take too: hashed once
            from chitieu.inputs import digest

            self._digests[key] = digest(path)
        return self._digests[key]

    def _folder(self, path) -> Path:
        d = self.digest(path)
        return self.root / f"v{FORMAT}" / d[:2] / d

    @functools.cached_property
    def _plan_key(self) -> str:
        # The limits that cut what planning reads (a plan that hit one is never kept, but a
        # plan kept under a larger limit must not be taken under a smaller one).
        limits = [self.limits.max_pages, self.limits.max_pixels, self.limits.max_unzipped_bytes,
                  self.limits.max_line_chars]
        return _key(stage="plan", dpi=self.dpi, lang=self.lang, code=code_version("extract.documents.plan"),
                    deps=_versions("pdfplumber", "pdfminer.six", "pillow"), limits=limits)

    @functools.cached_property
    def _ocr_key(self) -> str:
        from extract.ocr.engine import resolve_engine

        # A page's result depends on the reader and on the rule that picks the cells read twice.
        code = code_version("extract.ocr.tasks") + code_version("normalize.indicators.cells")
        return _key(stage="ocr", dpi=self.dpi, lang=self.lang, code=code, max_pixels=self.limits.max_pixels,
                    engine=engine_identity(self.lang, resolve_engine(self.engine, self.lang)),
                    deps=_versions("pypdfium2", "pillow", "numpy", "pytesseract", "tesserocr"))

    def _result_key(self, path, year, source_file, ocr: bool) -> str:
        # The records carry the name the input goes by: the same content under two names is two entries.
        # A document none of whose pages is OCR'd does not depend on the engine, and its
        # key does not ask for the engine's identity (a process started: a fifth of a second).
        return _key(stage="records", name=source_file or Path(path).name, year=year, plan=self._plan_key,
                    ocr=self._ocr_key if ocr else "", code=code_version("chitieu.runner"), data=data_version())

    def result_path(self, path, year, source_file: str = "", *, ocr: bool = True) -> Path:
        return self._folder(path) / f"records-{self._result_key(path, year, source_file, ocr)}.pkl"

    def load_result(self, path, year, source_file: str = "", *, ocr: bool = True):
        """What the pipeline made of the whole document last time under the name ``source_file``, or None.

        ``ocr``: whether any page of it is OCR'd (its records then depend on the engine)."""
        return read_entry(self.result_path(path, year, source_file, ocr=ocr))

    def store_result(self, path, year, value, source_file: str = "", *, ocr: bool = True) -> None:
        try_write_entry(self.result_path(path, year, source_file, ocr=ocr), value)

    def plan_path(self, path) -> Path:
        return self._folder(path) / f"plan-{self._plan_key}.pkl"

    def page_path(self, task) -> Path:
        return self._folder(task.path) / f"ocr-{self._ocr_key}" / f"{task.kind}-{task.index:05d}.pkl"

    def load_plan(self, path: Path):
        """The ``DocPlan`` planning ``path`` gave, moved to ``path``; None when unknown."""
        plan = read_entry(self.plan_path(path))
        return None if plan is None else plan.moved_to(path)

    def store_plan(self, path: Path, plan) -> None:
        try_write_entry(self.plan_path(path), plan)

    def load_page(self, task):
        page = read_entry(self.page_path(task))
        if page is None:
            self.misses += 1
        else:
            self.hits += 1
        return page

    def store_page(self, task, page) -> None:
        try_write_entry(self.page_path(task), page)

