"""Compare records with the hand-checked golden table of the deck's summary table."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

GOLDEN = Path(__file__).parent / "golden" / "deck_2023_summary.csv"
KEY = ["indicator_id", "district", "commune", "phase"]


def load_golden() -> pd.DataFrame:
    return pd.read_csv(GOLDEN, dtype=str, keep_default_na=False)


def compare(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per golden cell with `right` true when value, qualifier and status agree."""
    golden = load_golden()
    got = frame[frame["phase"].isin(["target", "before", "after"])].copy()
    got = got[KEY + ["value", "qualifier", "status", "needs_review", "value_raw", "note"]]
    merged = golden.merge(got, on=KEY, how="left", suffixes=("", "_got"), indicator=True)

    def same_value(a: str, b) -> bool:
        if not isinstance(b, str):
            return False
        if a == "" or b == "":
            return a == b
        return abs(float(a) - float(b)) < 1e-6

    merged["right"] = [
        m == "both" and same_value(v, vg) and q == qg and s == sg
        for m, v, vg, q, qg, s, sg in zip(
            merged["_merge"], merged["value"], merged["value_got"], merged["qualifier"],
            merged["qualifier_got"], merged["status"], merged["status_got"],
        )
    ]
    return merged
