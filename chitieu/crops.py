"""The picture of each review decision for report.html: the crop of its page around the
value's box (chitieu.pictures draws it), or why there is none."""
from __future__ import annotations

import logging
from typing import Callable, Mapping

log = logging.getLogger(__name__)


def picture_maker(paths: Mapping[str, str], accounts, *, dpi: int = 300) -> Callable[[object], bytes | str]:
    """A function of a review.csv row (a namedtuple) → the crop's bytes, or the reason there is none."""
    facts = {(source_file, f.page): f for source_file, fs in accounts for f in fs}

    def picture(row) -> bytes | str:
        path = paths.get(row.source_file)
        if path is None:
            return f"{row.source_file} was not read in this run"
        if not row.x0:
            return "no box: the page's size is not known"
        page = int(row.page) if row.page else None
        fact = facts.get((row.source_file, page)) or next(
            (f for (s, _), f in facts.items() if s == row.source_file and f.page is not None), None)
        try:
            from chitieu.pictures import crop

            box = tuple(float(v) for v in (row.x0, row.top, row.x1, row.bottom))
            return crop(path, page or 1, fact.read_as if fact else "", box,
                        page_size=(float(row.page_width), float(row.page_height)),
                        turned=fact.turned if fact else 0, dpi=dpi)
        except Exception as exc:  # a picture is an aid: its failure is said, never fatal
            log.warning("no picture for %s page %s: %s", row.source_file, row.page, exc)
            return f"no picture: {type(exc).__name__}: {exc}"

    return picture
