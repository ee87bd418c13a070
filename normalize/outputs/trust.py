"""The records of a run as a user signs them off: human decisions applied, every value
checked, inputs consolidated, and the questions still open.

The order matters: place aliases first (they change which unit a value belongs to, so
which values conflict), then the answers to the questions those records raise, then the
questions again on the answered records. A record is to review exactly when an open
question covers it, so ``needs_review`` in indicators.csv and review.csv always agree.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from normalize.outputs.checks import record_checks
from normalize.outputs.consolidated import Consolidated, consolidate, source_list
from normalize.outputs.corrections import Correction, apply_aliases, apply_answers
from normalize.outputs.review import Decision, covered, decision_id, decisions
from normalize.record import Record


@dataclass(frozen=True)
class Settled:
    records: tuple[Record, ...]
    checks: tuple[tuple[str, str], ...]  # (checks, met_target) of each record
    groups: tuple[Consolidated, ...]
    open: tuple[Decision, ...]  # the questions still to answer, reopened ones included
    closed: frozenset[str]  # decisions answered by the corrections file
    unused: tuple[Correction, ...]  # answers to questions no longer asked, aliases of names no input bears
    asked: frozenset = frozenset()  # keys of the groups whose conflict is an open question


def settle(records: Sequence[Record], corrections: Sequence[Correction] = (),
           digests: Mapping[str, str] | None = None, label: str = "corrections.csv") -> Settled:
    """``digests``: source_file → SHA-256 of the input now; ``label``: how ``decided_by`` names the file."""
    digests = digests or {}
    aliased, aliased_names = apply_aliases(records, corrections)
    asked = decisions(aliased, consolidate(aliased))
    answered, closed, reopened = apply_answers(aliased, asked, corrections, digests, label)
    groups = consolidate(answered)
    still = [d for d in decisions(answered, groups) if d.decision_id not in closed]
    cover = covered(still)
    conflicts = {id(r): d for d in still if d.scope == "conflict" for r in d.records}
    flagged = []
    for r in answered:
        note = r.note
        if id(r) in conflicts and "conflict: " not in note:
            others = [x for x in conflicts[id(r)].records if x is not r]
            note = "; ".join(x for x in (note, f"conflict: {source_list(others, sep=' | ')}") if x)
        flagged.append(replace(r, needs_review=bool(cover.get(id(r))), note=note))
    groups = consolidate(flagged)
    final = [d for d in decisions(flagged, groups) if d.decision_id not in closed]
    for d in final:
        if d.decision_id in reopened:
            d.state = "reopened"
            d.notes.insert(0, reopened[d.decision_id])
    asked_ids = {d.decision_id for d in asked}
    unused = tuple(c for c in corrections if (c.name not in aliased_names if c.action == "alias"
                                              else c.decision_id not in asked_ids))
    open_ids = {d.decision_id for d in final if d.scope == "conflict"}
    conflicts_open = frozenset(g.key for g in groups if decision_id("conflict", *g.key) in open_ids)
    return Settled(tuple(flagged), tuple(record_checks(flagged)), tuple(groups), tuple(final), frozenset(closed),
                   unused, conflicts_open)
