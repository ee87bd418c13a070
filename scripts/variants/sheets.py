"""Draw a variant's table as a spreadsheet, as districts send them (issue 13), and its PDF twin.

The table is render's grid (district_grid or deck_grid) written with openpyxl: the title
above it (one merged cell across the table, or left in A1 as typed), merged header
cells, and each value cell either as the text typed ("87,5%", "Chưa có") or as the number
with a percentage format (0.875 under "0.0%"). A hidden row (a commune's row again,
with other figures: a draft kept out of print) and a hidden column (working figures)
test that what the author hid is not read. Forms: .xlsx; .ods and .xls converted from
it by headless LibreOffice; .csv as Excel exports it (the merged cells' text in their
first cell, ';' or ',', UTF-8 with BOM or Windows-1258).

The PDF twin is the same content drawn by render.build_pdf with the texts the sheet
shows a Vietnamese reader: a number stored as 0.875 under "0.0%" is "87,5%" in both.
"""
from __future__ import annotations

import csv
import io
import random
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from variants import render
from variants.content import Cell, Content

FORMS = ("xlsx", "ods", "xls", "csv")  # drawn in this order; ods and xls need LibreOffice
TIMEOUT = 180  # seconds for one LibreOffice conversion (about 2 s here)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available_forms() -> list[str]:
    return [f for f in FORMS if f not in ("ods", "xls") or soffice()]


def draw_axes(rng: random.Random, forms: tuple[str, ...] | None = None) -> dict:
    return {"form": rng.choice(list(forms or available_forms())),
            "value_style": rng.choice(("text", "number", "number")),
            "title_cell": rng.choice(("merged", "plain")),
            "hidden": rng.choice(("none", "row", "col")),
            "csv_encoding": rng.choice(("utf-8-sig", "cp1258")), "csv_delimiter": rng.choice((";", ","))}


def shown_as_numbers(c: Content, rng: random.Random) -> dict[tuple, tuple[float, str]]:
    """The value cells stored as numbers (plain percentages: no fraction, no qualifier),
    each with its number format; their texts in ``c`` become what the sheet shows."""
    stored = {}
    for key, cell in c.cells.items():
        text = cell.text
        if cell.value is None or "(" in text or not text.endswith("%"):
            continue
        digits = len(text[:-1].replace(",", ".").partition(".")[2])
        fmt = "0%" if digits == 0 else "0." + "0" * digits + "%"
        stored[key] = (cell.value / 100, fmt)
        shown = f"{cell.value:.{digits}f}".replace(".", ",") + "%"
        c.cells[key] = Cell(shown, cell.value, cell.status)
    return stored


def grid_of(c: Content) -> render.Grid:
    return render.deck_grid(c) if c.family == "deck" else render.district_grid(c)


def _numbers_by_position(c: Content, g: render.Grid, stored: dict) -> dict[tuple[int, int], tuple[float, str]]:
    """Grid (row, col) → stored number, found by the row's locality or indicator."""
    out = {}
    text_of = {cell.text: key for key, cell in c.cells.items() if key in stored}
    for r, row in enumerate(g.rows[g.header_rows:], start=g.header_rows):
        for k, text in enumerate(row):
            if k >= 2 and text in text_of:
                out[(r, k)] = stored[text_of[text]]
    return out


def build_sheet(c: Content, ax: dict, path: Path, rng: random.Random) -> dict:
    """Write the spreadsheet at ``path`` (its suffix is the form's); returns the axes as drawn."""
    stored = shown_as_numbers(c, rng) if ax["value_style"] == "number" and ax["form"] != "csv" else {}
    g = grid_of(c)
    numbers = _numbers_by_position(c, g, stored)
    if ax["form"] == "csv":
        write_csv(g, c.title, path, ax["csv_encoding"], ax["csv_delimiter"])
        return {"hidden": "none"}
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    width = len(g.rows[0])
    ws.cell(1, 1, c.title)
    if ax["title_cell"] == "merged":
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    top = 3  # the title, an empty row, then the table
    hidden_col = g.label_col + 1 if ax["hidden"] == "col" else None
    hidden_row = None
    rows = list(enumerate(g.rows))
    if ax["hidden"] == "row":  # a draft of the first data row, other figures, hidden
        first = g.header_rows + (1 if c.targets and c.family == "district" else 0)
        draft = [t if k < 2 or not t else ("45%" if t != "45%" else "55%") for k, t in enumerate(g.rows[first])]
        rows.insert(first + 1, (None, draft))
        hidden_row = top + first + 1
    for i, (r, row) in enumerate(rows):
        for k, text in enumerate(row):
            col = k + 1 + (1 if hidden_col is not None and k >= hidden_col else 0)
            if (r, k) in numbers:
                value, fmt = numbers[(r, k)]
                cell = ws.cell(top + i, col, value)
                cell.number_format = fmt
            elif text:
                ws.cell(top + i, col, int(text) if k == 0 and text.isdigit() else text)
    if hidden_col is not None:  # working figures, before the merges (a merged row covers them)
        for i in range(len(rows)):
            ws.cell(top + i, hidden_col + 1, "x" if i < g.header_rows else f"{rng.randint(10, 99)}%")
        ws.column_dimensions[get_column_letter(hidden_col + 1)].hidden = True
    for c0, r0, c1, r1 in g.spans:  # the grid's spans, rows shifted past the hidden draft
        shift = lambda r: r + (1 if hidden_row is not None and top + r >= hidden_row else 0)  # noqa: E731
        cols = [k + 1 + (1 if hidden_col is not None and k >= hidden_col else 0) for k in (c0, c1)]
        ws.merge_cells(start_row=top + shift(r0), start_column=cols[0], end_row=top + shift(r1), end_column=cols[1])
    if hidden_row is not None:
        ws.row_dimensions[hidden_row].hidden = True
    if ax["form"] == "xlsx":
        wb.save(path)
    else:
        with tempfile.TemporaryDirectory(prefix="variant-sheet-") as tmp:
            src = Path(tmp) / (path.stem + ".xlsx")
            wb.save(src)
            convert(src, ax["form"], path, Path(tmp))
    return {"hidden": ax["hidden"]}


def convert(src: Path, form: str, out: Path, tmp: Path) -> None:
    """``src`` converted by headless LibreOffice to ``form`` (ods, xls) at ``out``."""
    binary = soffice()
    if binary is None:
        raise RuntimeError(f"writing .{form} needs LibreOffice (soffice)")
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    filters = {"ods": "ods", "xls": "xls:MS Excel 97"}
    cmd = [binary, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
           "--convert-to", filters[form], "--outdir", str(tmp), str(src)]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "TZ": "UTC"}
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    made = tmp / (src.stem + "." + form)
    if p.returncode != 0 or not made.exists():
        raise RuntimeError(f"soffice exited {p.returncode} without {made.name}: {(p.stdout + p.stderr)[-300:]}")
    shutil.move(str(made), out)


def write_csv(g: render.Grid, title: str, path: Path, encoding: str, delimiter: str) -> None:
    """The grid as Excel saves a sheet as CSV: one line per row, a merged cell's text in its first cell."""
    width = len(g.rows[0])
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow([title] + [""] * (width - 1))
    w.writerow([""] * width)
    w.writerows(g.rows)
    text = buf.getvalue()
    path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))


TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook, dot below


def cp1258(text: str) -> bytes:
    """Text as Vietnamese Windows writes it in code page 1258: the letters it has whole
    (â, ă, ê, ô, ơ, ư, đ and a few toned ones), the other tones as combining marks after
    their letter ("ệ" is "ê" and a dot below). Python's codec maps characters one to one,
    so it refuses "ệ" outright."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)
