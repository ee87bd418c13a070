"""A dataset as its CSV holds it: column names and rows of text cells, written with the
csv module. The writers of OUT build these rather than pandas DataFrames: importing
pandas (and numpy under it) costs a run of text PDFs 0.3-0.4 s of CPU at start-up, as
much as reading a dozen pages, for tables it only ever held as text. ``to_frame`` gives
the DataFrame to what does use pandas (report.html, the Python API's tests).

The bytes are those pandas' ``to_csv(index=False, lineterminator="\\n",
quoting=csv.QUOTE_MINIMAL)`` wrote of a frame of text cells built with ``dtype=str``: a
missing cell (None, NaN) is empty, a text as it is; pandas hands the rows to the same
``csv.writer`` with the same dialect. The writers format their numbers themselves
(``datasets.format_value``): a number given as a cell is written as its ``str``.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

if TYPE_CHECKING:
    import pandas as pd


def text_cell(value: object) -> str:
    """A cell as a frame of ``dtype=str`` wrote it: "" for None and NaN, else its text."""
    if value is None or (type(value) is float and math.isnan(value)):
        return ""
    return value if type(value) is str else str(value)


@dataclass(frozen=True)
class Table:
    """Columns and rows of text, every row as long as ``columns``."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, rows: Iterable[Sequence[object] | Mapping[str, object]], columns: Sequence[str]) -> Table:
        """A table of ``columns`` from rows given as sequences (in the columns' order) or as
        mappings (a column a mapping lacks is empty; keys not among ``columns`` are left out)."""
        cols = tuple(columns)
        out = []
        for row in rows:
            cells = [row.get(c) for c in cols] if isinstance(row, Mapping) else row
            out.append(tuple(text_cell(v) for v in cells))
        return cls(cols, tuple(out))

    @classmethod
    def of_mappings(cls, rows: Sequence[Mapping[str, object]]) -> Table:
        """A table of every key the rows use, in the order they first appear."""
        columns = dict.fromkeys(k for row in rows for k in row)
        return cls.of(rows, list(columns))

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[str]:
        k = self.columns.index(name)
        return [row[k] for row in self.rows]

    def with_column(self, name: str, cells: Sequence[object]) -> Table:
        """This table with column ``name`` set to ``cells`` (replaced in place, or added last)."""
        if len(cells) != len(self.rows):
            raise ValueError(f"{name}: {len(cells)} cells for {len(self.rows)} rows")
        texts = [text_cell(v) for v in cells]
        if name in self.columns:
            k = self.columns.index(name)
            rows = tuple((*row[:k], t, *row[k + 1:]) for row, t in zip(self.rows, texts))
            return Table(self.columns, rows)
        return Table((*self.columns, name), tuple((*row, t) for row, t in zip(self.rows, texts)))

    def part(self, start: int, stop: int) -> Table:
        return Table(self.columns, self.rows[start:stop])

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return buf.getvalue()

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame of text (pandas imported here, for those that need it)."""
        import pandas as pd

        return pd.DataFrame(list(self.rows), columns=list(self.columns), dtype=str)
