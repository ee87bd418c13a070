"""Records and errors as pandas DataFrames with real dtypes, for the Python API
(``chitieu.read``): numbers as floats, ids and codes as strings, flags as bools.
The CSVs are written from the text form (``datasets.records_to_table``). pandas is
imported by the functions that build frames: the writers of OUT import this module's
text helpers, and a run of the command line never needs pandas."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

from normalize.record import COLUMNS, Record

if TYPE_CHECKING:
    import pandas as pd

ERROR_COLUMNS = ("source_file", "page", "stage", "reason")

_DTYPES = {
    "page": "Int64", "year": "Int64", "indicator_id": "Int64",
    "value": "float64", "match_score": "float64", "ocr_conf": "float64",
    "needs_review": "bool",
}


def format_bbox(bbox) -> str:
    """A box as ``x0 top x1 bottom`` in points, to a tenth: what indicators.csv's ``bbox`` holds."""
    if bbox is None:
        return ""
    return " ".join(f"{v:.1f}" for v in bbox)


def records_to_typed_frame(records: Sequence[Record]) -> pd.DataFrame:
    import pandas as pd

    rows = [r.as_row() for r in records]
    for row in rows:  # a box as its text, as in indicators.csv
        row["bbox"] = format_bbox(row["bbox"]) or None
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in COLUMNS:
        dtype = _DTYPES.get(column, "string")
        frame[column] = frame[column].astype(dtype)
    return frame


def errors_to_rows(errors: Iterable) -> list[tuple[str, str, str, str]]:
    """``ErrorRow``s as errors.csv's text columns."""
    return [(e.source_file, "" if e.page is None else str(e.page), e.stage, e.reason) for e in errors]


def errors_to_typed_frame(errors: Iterable) -> pd.DataFrame:
    import pandas as pd

    rows = [(e.source_file, e.page, e.stage, e.reason, e.kind) for e in errors]
    frame = pd.DataFrame(rows, columns=[*ERROR_COLUMNS, "kind"])
    frame["page"] = frame["page"].astype("Int64")
    for column in ("source_file", "stage", "reason", "kind"):
        frame[column] = frame[column].astype("string")
    return frame
