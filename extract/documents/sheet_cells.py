"""A spreadsheet cell's value as the text the readers get, and a workbook as read.

A cell's text is what it holds, written as the PDF of the sheet would show it to a
Vietnamese reader, but from the value, not the display: 0.875 formatted as a
percentage is "87,5%" (Excel shows "88%" under the format "0%"; the value is what was
reported), a number "87,5" with the decimal comma (the readers take one comma as the
decimal mark, where "87.5" and "2.381" are ambiguous), a date "15/12/2024".
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from extract.documents.sheet_layout import Sheet


@dataclass(frozen=True)
class Workbook:
    sheets: tuple[Sheet, ...]
    unread: tuple[tuple[int, str], ...] = ()  # (sheet number, reason): cells that could not be read


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def number_text(value: float, percent: bool = False, decimals: int = 0) -> str:
    """A number as the sheet shows it to a Vietnamese reader, never rounded: 0.875 as a
    percentage "87,5%", 2381.0 "2381", 99.5 "99,5"; with the format's ``decimals`` where
    they lose nothing (0.875 under "0.00%": "87,50%"), all its digits where they would
    (0.8754 under "0%": "87,54%", where Excel shows "88%")."""
    if percent:
        value = value * 100
    value = round(value, 9)  # 0.07 * 100 = 7.000000000000001: the binary float's noise, not a digit
    text = f"{value:.15g}"
    if "e" in text:
        text = f"{value:.9f}".rstrip("0").rstrip(".")
    shown = len(text.partition(".")[2])
    if decimals > shown:
        text = f"{value:.{decimals}f}"
    return text.replace(".", ",") + ("%" if percent else "")


def format_decimals(fmt: str | None) -> int:
    """The decimals a number format shows ("0.00%" → 2), from its first section."""
    if not fmt:
        return 0
    first = _QUOTED.sub("", fmt).split(";")[0]
    return len(re.match(r"[0#?]*", first.partition(".")[2]).group()) if "." in first else 0


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(fmt: str | None) -> bool:
    """Whether a number format scales by 100: a '%' outside quotes, escapes and [colour] codes."""
    return bool(fmt) and "%" in _QUOTED.sub("", fmt)


def cell_text(value, fmt: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        text = number_text(float(value), is_percent_format(fmt), format_decimals(fmt))
        # 87.5 under 0.0"%" or 0.0\% shows "87.5%": a percentage typed as such, not scaled
        return text + "%" if fmt and "%" in fmt and not text.endswith("%") else text
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, (dt.date, dt.time)):
        return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value.strftime("%H:%M")
    return nfc(str(value))


def letters(col: int) -> str:
    """Column index (0-based) as its letters: 0 → A, 27 → AB."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def hidden_notes(rows: frozenset[int], cols: frozenset[int]) -> tuple[str, ...]:
    """What the page's ``how`` says of the rows and columns skipped (1-based rows, column letters)."""
    notes = []
    if rows:
        shown = ", ".join(str(r + 1) for r in sorted(rows)[:10]) + (", …" if len(rows) > 10 else "")
        notes.append(f"hidden row(s) not read: {shown}")
    if cols:
        shown = ", ".join(letters(k) for k in sorted(cols)[:10]) + (", …" if len(cols) > 10 else "")
        notes.append(f"hidden column(s) not read: {shown}")
    return tuple(notes)


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def looks_binary(data: bytes) -> bool:
    """NUL bytes near the start, which no text has but UTF-16's (told by its BOM)."""
    return b"\x00" in data[:4096] and not data.startswith(UTF16_BOMS)


def decode_text(data: bytes) -> str:
    """Text of a file as Excel and Notepad save it: UTF-8 with or without BOM, UTF-16
    with its BOM, else Windows-1258 (Vietnamese Windows' code page); NFC. UTF-16 is taken only
    with its BOM: most byte strings of even length decode as UTF-16 without one."""
    if data.startswith(UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValueError(f"broken UTF-16 text: {exc.reason}") from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)
