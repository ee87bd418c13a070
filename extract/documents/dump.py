"""Text dumps (.txt, .md): the lines of each page, with no geometry.

A form feed separates pages when the dump has them; otherwise a run of three or
more blank lines (how slide decks and OCR tools separate pages) starts a new one.
A page's lines are drawn on a notional page (``extract.layout.notional``: 6 pt per
character, 14 pt per line), which gives each line, and each value read from it, a box.
"""
from __future__ import annotations

import re

from extract.documents.sheet_cells import decode_text, looks_binary
from extract.layout.notional import DUMP_HOW
from extract.layout.page import lines_to_result
from extract.model import PageResult

_PAGE_BREAK = re.compile(r"\f|\n[ \t]*\n[ \t]*\n[ \t]*\n")


def read_text(path: str) -> str:
    with open(path, "rb") as fh:
        data = fh.read()
    if looks_binary(data):
        raise ValueError("binary file, not a text dump")
    text = decode_text(data)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def cut_long_lines(text: str, max_chars: int) -> tuple[str, str]:
    """``text`` with its lines over ``max_chars`` characters emptied, and the one-line
    reason saying which, or "" when none was."""
    lines = text.split("\n")
    long = [k for k, line in enumerate(lines, start=1) if len(line) > max_chars]
    if not long:
        return text, ""
    for k in long:
        lines[k - 1] = ""
    shown = ", ".join(map(str, long[:5])) + (", …" if len(long) > 5 else "")
    return "\n".join(lines), (f"{len(long)} line(s) over the limit of {max_chars:,} characters (--max-line-chars), "
                              f"not read: line {shown}")


def text_to_pages(text: str) -> tuple[PageResult, ...]:
    """The pages of a dump, as their lines; its tables are read from the lines later
    (``normalize.readers.dump_tables``), since a dump has no geometry."""
    chunks = _PAGE_BREAK.split(text)
    pages = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        lines = tuple(line.rstrip() for line in chunk.split("\n"))
        pages.append(lines_to_result(len(pages) + 1, "dump", DUMP_HOW, lines))
    return tuple(pages)
