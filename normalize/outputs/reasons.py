"""Why a value is to review, as codes: the readers write their doubts as prose in ``note``
("low OCR confidence (41)"; "commune: not in gazetteer; closest in Thiệu Hóa: …"); here
each part of a note is given a reason code, a severity and the scope of the decision it
asks for, so that review.csv can hold one row per decision rather than one per value.

Scopes: ``conflict`` and ``decided`` — asked elsewhere, or not at all; ``place`` — a decision about a name (one row for every value under that name, in
every input); ``page`` — about a page (a warning of how it was read); ``row`` — about a
table row's label (every value of the row); ``value`` — about one value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Reason:
    code: str
    severity: str  # error: the value is likely wrong or unattributed; warning: may be; info: a repair to confirm
    scope: str  # place, page, row or value
    text: str  # the note's part, as the reader wrote it


# (pattern on a part of the note, code, severity, scope), first match wins. A part that
# matches none is ``other`` (a warning, decided value by value): a note a reader adds
# later is still shown, never dropped; tests/test_review_groups.py fails on an ``other``
# in the samples' outputs, so a new kind of note gets its code here.
_RULES: tuple[tuple[str, str, str, str], ...] = (
    (r"in corrections\)?$", "decided", "info", "decided"),  # a human's answer, recorded: no question
    (r"^conflict: ", "conflict", "error", "conflict"),  # asked once for all its inputs (review.decisions)
    (r"not in gazetteer|^closest\b|likely the same unit", "place_not_in_gazetteer", "warning", "place"),
    (r"district .* not recognised", "place_district_unknown", "warning", "place"),
    (r"exists in another district|ambiguous|which one|could be any of", "place_ambiguous", "warning", "place"),
    (r"header is cut short|letter-spaced|spelling differs|gazetteer has|is a 2025 name",
     "place_spelling", "info", "place"),
    # a name the OCR garbled, read as the unit closest to it (places/near, nearest, garbled)
    (r"closest 2025 unit|the OCR may have garbled the header|nearest to it: a letter or a mark",
     "place_read_closest", "warning", "place"),
    (r"^reporting unit:|^no unit\b|no commune or district|page whose table gave no value",
     "unit_uncertain", "warning", "value"),
    (r"^page: ", "page_warning", "warning", "page"),
    (r"other values for this unit, indicator and phase|stated more than once", "stated_twice", "error", "value"),
    (r"cell unreadable|cell empty|not a value|^empty cell", "cell_unreadable", "error", "value"),
    (r"percentage outside 0-100", "percent_out_of_range", "error", "value"),
    (r"low OCR confidence", "low_ocr_confidence", "warning", "value"),
    (r"no % sign|decimal comma assumed|read as|^read '|misread|letter read as|digits? .*repaired|"
     r"written '.*', read as", "value_repaired", "warning", "value"),
    (r"label read poorly|fits indicators|heads \d+ rows|damaged code|rows are numbered by indicator|read unsure"
     r"|is no indicator's number",
     "label_uncertain", "warning", "row"),
    (r"formula|stated value kept|count .* gives|numerator|denominator", "formula_mismatch", "warning", "value"),
    (r"catalogue target", "target_differs", "info", "value"),
    (r"qualifier cut short|extra text|^theo\b|several years|a number right before the value|estimate",
     "value_context", "info", "value"),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), code, sev, scope) for p, code, sev, scope in _RULES)


def note_parts(note: str) -> list[str]:
    """The parts of a note, as the readers join them ("; "); a "page: …" part keeps its own
    semicolons (a page's warnings are one part), and so does the list of closest units."""
    parts: list[str] = []
    for piece in (p.strip() for p in note.split("; ")):
        if not piece:
            continue
        if parts and (parts[-1].startswith("page: ") or _continues(piece)):
            parts[-1] = f"{parts[-1]}; {piece}"
        else:
            parts.append(piece)
    return parts


def _continues(piece: str) -> bool:
    """A piece that only completes the one before it ("… , in 2024: X, …")."""
    return piece[:1].islower() and not any(rx.search(piece) for rx, *_ in _COMPILED)


def reasons_of(note: str) -> tuple[Reason, ...]:
    """Each part of ``note`` with its code; parts of one code are kept in one reason."""
    out: dict[str, Reason] = {}
    for part in note_parts(note):
        code, severity, scope = "other", "warning", "value"
        for rx, c, sev, sc in _COMPILED:
            if rx.search(part):
                code, severity, scope = c, sev, sc
                break
        if code in out:
            out[code] = Reason(code, severity, scope, f"{out[code].text}; {part}")
        else:
            out[code] = Reason(code, severity, scope, part)
    return tuple(out.values())


def doubted(r) -> bool:
    """Whether the reader of record ``r`` doubted it for a reason of its own: flagged, with a
    reason that is not a conflict between inputs (asked once for all of them) nor an answer."""
    return r.needs_review and (not r.note or any(x.scope not in ("conflict", "decided") for x in reasons_of(r.note)))


def worst(severities) -> str:
    """The most severe of ``severities`` (error before warning before info)."""
    ranked = [SEVERITIES.index(s) for s in severities if s in SEVERITIES]
    return SEVERITIES[min(ranked)] if ranked else "warning"
