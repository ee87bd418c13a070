"""Plain helpers shared by several test modules (fixtures live in conftest.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from extract.model import Cell, Table

REPO = Path(__file__).resolve().parents[1]


def make_table(rows: list[list[str | None]], spans: dict | None = None) -> Table:
    """A table of 10-point cells from its rows of text; ``spans`` maps (row, col) to a
    column span, and a ``None`` in a row is a cell covered by a span from the left."""
    spans = spans or {}
    cells, width = [], 0
    for r, row in enumerate(rows):
        c = 0
        for text in row:
            if text is None:  # covered by a span from the left
                continue
            span = spans.get((r, c), 1)
            cells.append(Cell(r, c, 1, span, text, (c * 10.0, r * 10.0, (c + span) * 10.0, r * 10.0 + 10), 95.0, 1))
            c += span
        width = max(width, c)
    return Table((1, 1), tuple(cells), len(rows), width)


def start_cli(args: list[str], cache_dir: Path, *, verbose: bool = False) -> subprocess.Popen:
    """Start ``pipeline.py run`` with ``args`` and ``--cache-dir``, as a user would."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, str(REPO / "pipeline.py"), *(["-v"] if verbose else []), "run", *args]
    return subprocess.Popen(command + ["--cache-dir", str(cache_dir)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
