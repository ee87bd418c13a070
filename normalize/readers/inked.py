"""Values read where a seal or a signature in colour was dropped from the page, flagged.

The page's reader reads the print under the ink (``extract.imaging.binarize.drop_colour_ink``),
but an edge of the ink can take a stroke from a digit: such a value is looked at, never let
through on its own (``PageResult.inked`` says where, in the points of the page as read).
"""
from __future__ import annotations

from typing import Sequence

from extract.model import PageResult
from normalize.record import Record

NOTE = "read under a seal or a signature in colour, dropped before reading: check it"


def flag_inked(records: Sequence[Record], pages: Sequence[PageResult]) -> list[Record]:
    """``records`` with those whose box meets a page's inked region flagged."""
    inked = {p.no: p.inked for p in pages if p.inked}
    if not inked:
        return list(records)
    out = []
    for r in records:
        regions = inked.get(r.page) if r.bbox is not None else None
        if regions and any(_meets(r.bbox, region) for region in regions):
            r = r.doubted(NOTE)
        out.append(r)
    return out


def _meets(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
