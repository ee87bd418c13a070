"""The review queue: one row per decision a human must take, not one per value.

A name the gazetteer lacks is one decision, whatever the number of values under it; a
page read unreliably is one; a table row whose label was read poorly is one; a value in
doubt is one (all its doubts together); two inputs that disagree on a unit × indicator ×
year × phase are one. Each decision has a stable id (``decision_id``: the same question
gets the same id on every run, so an answer recorded with ``chitieu review`` finds it
again), a reason code (``normalize.outputs.reasons``), a severity, and where to look: the
file, the page and the box of the first value it covers, in points of the page as read.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from normalize.outputs.checks import unit_key, value_key
from normalize.outputs.consolidated import Consolidated, shown, source_list
from normalize.outputs.reasons import SEVERITIES, Reason, doubted, reasons_of, worst
from normalize.outputs.table import Table
from normalize.record import Record

REVIEW_COLUMNS = (
    "decision_id", "reason", "severity", "subject", "source_file", "page", "x0", "top", "x1", "bottom",
    "page_width", "page_height", "values_n", "values", "value_raw", "value", "status", "note", "state", "scope",
    "files",
)
_LISTED = 12  # values named in a row's ``values``; the rest are counted


@dataclass
class Decision:
    decision_id: str
    scope: str  # place, page, row, value or conflict
    reason: str
    severity: str
    subject: str
    records: list[Record] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chosen: Record | None = None  # a conflict's value chosen
    state: str = "open"


def decision_id(*key) -> str:
    text = "\x1f".join("" if k is None else str(k) for k in key)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _unit_name(r: Record) -> str:
    if r.phase == "target" and not (r.commune or r.district):
        return "targets"
    return r.commune or (f"{r.district} (district)" if r.district else "(no unit)")


def value_label(r: Record) -> str:
    where = f"{r.source_file} p.{r.page}" if r.page is not None else r.source_file
    return f"{_unit_name(r)} · {r.indicator_id} {r.phase} = {shown(r)} ({where})"


class _Questions:
    """The decisions found so far, by id; a record joins a decision once."""

    def __init__(self) -> None:
        self.found: dict[str, Decision] = {}
        self._members: dict[str, set[int]] = {}

    def add(self, key: tuple, scope: str, reason, subject: str, r: Record) -> Decision:
        did = decision_id(scope, *key)
        d = self.found.get(did)
        if d is None:
            d = self.found[did] = Decision(did, scope, reason.code, reason.severity, subject)
            self._members[did] = set()
        if id(r) not in self._members[did]:
            self._members[did].add(id(r))
            d.records.append(r)
        if reason.text not in d.notes:
            d.notes.append(reason.text)
        return d

    def of_record(self, r: Record) -> None:
        """The questions a flagged record raises: about its place, its page, its row, itself."""
        reasons = reasons_of(r.note) or (Reason("flagged", "warning", "value", "flagged by its reader, no reason given"),)
        value_reasons = []
        for reason in reasons:
            if reason.scope in ("conflict", "decided"):
                continue
            if reason.scope == "place":
                written = r.commune or r.district
                self.add((reason.code, r.district, written), "place", reason,
                         f"place {written!r}{f' in {r.district}' if r.commune and r.district else ''}: {reason.code}",
                         r)
            elif reason.scope == "page":
                self.add((reason.code, r.source_file, r.page), "page", reason,
                         f"{r.source_file} page {r.page}: read unreliably", r)
            elif reason.scope == "row":
                self.add((reason.code, r.source_file, r.page, r.label_raw, r.indicator_id), "row", reason,
                         f"row {r.label_raw[:60]!r} read as indicator {r.indicator_id}", r)
            else:
                value_reasons.append(reason)
        if value_reasons:  # all doubts of one value are one question, named by the worst
            key = (r.source_file, r.page, *unit_key(r), r.year, r.indicator_id, r.phase, r.value_raw)
            for reason in value_reasons:
                d = self.add(key, "value", reason, f"{_unit_name(r)} · {r.indicator_id} {r.phase} = {shown(r)}", r)
            d.reason = min(value_reasons, key=lambda x: SEVERITIES.index(x.severity)).code
            d.severity = worst(x.severity for x in value_reasons)

    def of_conflict(self, g: Consolidated) -> None:
        c = g.chosen
        did = decision_id("conflict", *g.key)
        # An error when an input no doubt hangs over says otherwise; a warning when every
        # dissent is a value its own reader doubted already (its own question is asked too).
        dissent = [r for r in g.records if value_key(r) != value_key(c) and r.status != "unreadable"]
        sure = any(not doubted(r) for r in dissent)
        d = self.found[did] = Decision(did, "conflict", "conflict", "error" if sure else "warning",
                                       f"{_unit_name(c)} · {c.indicator_id} {c.phase}"
                                       f"{f' {c.year}' if c.year else ''}: the inputs disagree")
        d.records = list(g.records)
        d.notes = [f"sources disagree: {source_list(g.records)}; chosen: {shown(c)}"]
        d.chosen = c


def decisions(records: Sequence[Record], groups: Sequence[Consolidated]) -> list[Decision]:
    """Every open question of ``records`` and of the conflicts among ``groups``, in a stable order."""
    questions = _Questions()
    for r in records:
        if r.needs_review:
            questions.of_record(r)
    for g in groups:
        if g.conflict:
            questions.of_conflict(g)
    return sorted(questions.found.values(),
                  key=lambda d: (SEVERITIES.index(d.severity), d.scope != "conflict", d.records[0].source_file,
                                 d.records[0].page or 0, d.decision_id))


def review_frame(found: Sequence[Decision], sizes: Mapping[tuple[str, int | None], tuple[float, float]]) -> Table:
    """review.csv: a row per decision; ``sizes``: (source_file, page) → the page's size in points."""
    from normalize.outputs.datasets import format_value

    rows = []
    for d in found:
        first = next((r for r in d.records if r.bbox is not None), d.records[0])
        if d.chosen is not None:  # a conflict: show where an input says otherwise than the value chosen
            first = next((r for r in d.records if value_key(r) != value_key(d.chosen) and r.status != "unreadable"
                          and r.bbox is not None), first)
        size = page_size(sizes, first.source_file, first.page)
        box = clamp_box(first.bbox, size)
        listed = [value_label(r) for r in d.records[:_LISTED]]
        more = len(d.records) - len(listed)
        shown_value = d.chosen if d.chosen is not None else (d.records[0] if d.scope == "value" else None)
        rows.append({
            "decision_id": d.decision_id, "reason": d.reason, "severity": d.severity, "subject": d.subject,
            "source_file": first.source_file, "page": "" if first.page is None else str(first.page),
            **{k: "" if box is None else format_value(round(v, 1)) for k, v in zip(("x0", "top", "x1", "bottom"),
                                                                                  box or (0,) * 4)},
            "page_width": "" if size is None else format_value(round(size[0], 1)),
            "page_height": "" if size is None else format_value(round(size[1], 1)),
            "values_n": str(len(d.records)), "values": "; ".join(listed) + (f"; … and {more} more" if more else ""),
            "value_raw": first.value_raw if d.scope in ("value", "conflict") else (
                first.commune or first.district if d.scope == "place" else ""),
            "value": "" if shown_value is None else format_value(shown_value.value),
            "status": "" if shown_value is None else shown_value.status,
            "note": "; ".join(d.notes), "state": d.state, "scope": d.scope,
            "files": "; ".join(sorted({r.source_file for r in d.records})),
        })
    return Table.of(rows, REVIEW_COLUMNS)


def page_size(sizes: Mapping, source_file: str, page: int | None) -> tuple[float, float] | None:
    """A page's size; a record without a page (a .docx) is on its input's one page."""
    if (source_file, page) in sizes:
        return sizes[(source_file, page)]
    own = [v for (f, _), v in sizes.items() if f == source_file]
    return own[0] if page is None and len(own) == 1 else None


def clamp_box(bbox, size) -> tuple[float, float, float, float] | None:
    """The box inside its page (a box read a hair past the edge is cut to it); the whole
    page when the value has no box of its own (it is somewhere on that page)."""
    if size is None:
        return None if bbox is None else tuple(bbox)
    w, h = size
    if bbox is None:
        return (0.0, 0.0, w, h)
    x0, y0, x1, y1 = bbox
    x0, x1 = sorted((min(max(x0, 0.0), w), min(max(x1, 0.0), w)))
    y0, y1 = sorted((min(max(y0, 0.0), h), min(max(y1, 0.0), h)))
    return (x0, y0, x1, y1)


def sizes_of(accounts) -> dict[tuple[str, int | None], tuple[float, float]]:
    """(source_file, page) → size in points, from the run's accounts (PageFacts)."""
    out = {}
    for source_file, facts in accounts:
        for f in facts:
            if f.size is not None:
                out[(source_file, f.page)] = f.size
    return out


def covered(found: Sequence[Decision]) -> dict[int, list[Decision]]:
    """id(record) → the open decisions that cover it."""
    out: dict[int, list[Decision]] = defaultdict(list)
    for d in found:
        for r in d.records:
            out[id(r)].append(d)
    return out
