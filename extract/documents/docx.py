"""Word-processor files: .docx through python-docx, legacy .doc through LibreOffice.

A .docx has no pages and no geometry: its paragraphs become the lines of one page
(as a text dump's), and its tables become `Table`s whose cells carry their row and
column, merged cells as spans. The page is drawn as a notional page
(``extract.layout.notional``: 6 pt per character, 14 pt per line, a table a grid whose
columns are as wide as their text), its paragraphs and tables where the body has them,
so that its lines and cells have boxes in points; a table's cells are grid positions
(column, row) until then.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from extract.documents.zipped import check_unzipped
from extract.errors import InputError
from extract.layout.notional import WORD_HOW
from extract.layout.page import lines_to_result
from extract.limits import MAX_UNZIPPED_BYTES
from extract.model import Cell, PageResult, Table

log = logging.getLogger(__name__)

SOFFICE_TIMEOUT = 120  # seconds for one conversion
LIBREOFFICE_HINT = ("reading a legacy .doc needs LibreOffice (soffice), which is not installed: "
                    "install the Debian package libreoffice-writer (it brings libreoffice-core), "
                    "or save the file as .docx")


@dataclass(frozen=True)
class WordDocument:
    paragraphs: tuple[str, ...]  # body paragraphs in order, tables left out
    tables: tuple[Table, ...]
    table_at: tuple[int, ...] = ()  # each table stands before this paragraph (after the last when not given)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _table(tbl) -> Table:
    """One docx table as a grid: a merged cell (gridSpan, vMerge) appears once, with spans."""
    grid = [[cell._tc for cell in row.cells] for row in tbl.rows]
    n_rows = len(grid)
    n_cols = max((len(r) for r in grid), default=0)
    texts = {}
    for row in tbl.rows:
        for cell in row.cells:
            texts[id(cell._tc)] = _nfc("\n".join(p.text for p in cell.paragraphs).strip())
    cells, seen = [], set()
    for r, row in enumerate(grid):
        for c, tc in enumerate(row):
            if id(tc) in seen:
                continue
            seen.add(id(tc))
            colspan = 1
            while c + colspan < len(row) and row[c + colspan] is tc:
                colspan += 1
            rowspan = 1
            while r + rowspan < n_rows and c < len(grid[r + rowspan]) and grid[r + rowspan][c] is tc:
                rowspan += 1
            box = (float(c), float(r), float(c + colspan), float(r + rowspan))
            cells.append(Cell(r, c, rowspan, colspan, texts[id(tc)], box, 100.0, 0))
    return Table((0, 0), tuple(cells), n_rows, n_cols, "text")


def read_docx(path: str | Path, *, max_unzipped: int = MAX_UNZIPPED_BYTES) -> WordDocument:
    """Paragraphs and tables of a .docx; ``InputError`` saying why when it cannot be
    read, or (``LimitExceeded``) when it is more than ``max_unzipped`` bytes unzipped."""
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise InputError("reading .docx needs python-docx: pip install python-docx") from exc
    check_unzipped(path, max_unzipped, ".docx")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(f"unreadable .docx: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # zipfile and lxml raise their own types for broken files
        raise InputError(f"unreadable .docx: {type(exc).__name__}: {exc}") from exc
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    paragraphs, tables, table_at = [], [], []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs.append(_nfc(Paragraph(child, document).text))
        elif tag == "tbl":
            table = _table(DocxTable(child, document))
            if _is_letterhead(table):  # its text is read where it stands, as a PDF of it shows it
                paragraphs.extend(_row_texts(table))
            else:
                tables.append(table)
                table_at.append(len(paragraphs))
            paragraphs.append("")  # a table breaks the flow of text
    return WordDocument(tuple(paragraphs), tuple(tables), tuple(table_at))


LETTERHEAD_ROWS = 3  # "UBND … | CỘNG HÒA …", "Số: … | …, ngày …", a signature block: no table of values is so short


def _is_letterhead(table: Table) -> bool:
    """A table laid out for its looks, not its figures: the letterhead an office sets in a
    borderless table (its unit beside the national motto), or the signature block. It has
    few rows and no percentage; a table of values (a summary needs a header and two rows of
    three indicators, a template its rows of targets) has more or has percentages."""
    return table.n_rows <= LETTERHEAD_ROWS and not any("%" in c.text for c in table.cells)


def _row_texts(table: Table) -> list[str]:
    """A letterhead's text in reading order: row by row, a cell's lines before its right neighbour's."""
    out = []
    for r in range(table.n_rows):
        for c in sorted((c for c in table.cells if c.row == r), key=lambda c: c.col):
            out.extend(line for line in c.text.split("\n") if line.strip())
    return out


def word_to_result(doc: WordDocument) -> PageResult:
    """The paragraphs as the lines of one page, each paragraph ending with a blank line,
    and the file's tables; a word-processor file has no pages."""
    lines: list[str] = []
    starts = []  # where each paragraph's lines begin, so that a table is drawn where the body has it
    for p in doc.paragraphs:
        starts.append(len(lines))
        lines.extend(p.split("\n"))
        lines.append("")
    starts.append(len(lines))
    table_at = tuple(starts[min(i, len(doc.paragraphs))] for i in doc.table_at)
    return lines_to_result(1, "text", WORD_HOW, tuple(lines), paged=False, tables=doc.tables, table_at=table_at)


def _soffice(cmd: list[str], timeout: float, home: Path) -> subprocess.CompletedProcess:
    """``cmd`` in a session of its own, so that a conversion that hangs is stopped with
    every process LibreOffice started (soffice runs oosplash, which runs soffice.bin);
    with ``home`` as its home, where GTK and dconf leave their files."""
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        try:
            proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:  # a child that left the session holds the pipes open
            proc.wait()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def convert_doc(path: str | Path, out_dir: str | Path, *, timeout: float = SOFFICE_TIMEOUT) -> Path:
    """A legacy .doc converted to .docx by LibreOffice headless; InputError with the
    package to install when it is missing.

    LibreOffice runs with a profile (and a home) of its own in a temporary folder, thrown
    away after: nothing is written into the user's home, and a LibreOffice the user has
    open is neither used nor disturbed (an instance on the same profile would be handed
    the conversion, or make it wait); it is stopped after ``timeout`` seconds."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError(LIBREOFFICE_HINT)
    with tempfile.TemporaryDirectory(prefix="chitieu-libreoffice-") as tmp:
        profile, home = Path(tmp).resolve() / "profile", Path(tmp).resolve() / "home"
        home.mkdir()
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(out_dir), str(path)]
        try:
            done = _soffice(cmd, timeout, home)
        except subprocess.TimeoutExpired as exc:
            raise InputError(f"LibreOffice took more than {timeout:g}s to convert the .doc") from exc
        except OSError as exc:
            raise InputError(f"LibreOffice could not be started: {exc}") from exc
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip()[:200]
        raise InputError(f"LibreOffice could not convert the .doc: {err or f'exit status {done.returncode}'}")
    out = Path(out_dir) / (Path(path).stem + ".docx")
    if not out.is_file():
        raise InputError("LibreOffice gave no .docx for the .doc")
    return out


def read_word(path: str | Path, *, max_unzipped: int = MAX_UNZIPPED_BYTES) -> WordDocument:
    """A .docx, or a .doc through LibreOffice."""
    if Path(path).suffix.lower() == ".doc":
        with tempfile.TemporaryDirectory(prefix="chitieu-doc-") as tmp:
            return read_docx(convert_doc(path, tmp), max_unzipped=max_unzipped)
    return read_docx(path, max_unzipped=max_unzipped)
