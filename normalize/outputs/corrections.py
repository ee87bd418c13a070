"""Human decisions that persist: ``OUT/corrections.csv`` (or ``--corrections FILE``).

Each row answers one decision of review.csv, by its ``decision_id``:
- ``accept``: the value (or the name, the page, the row, the value chosen among
  conflicting inputs) is right as read; it is no longer asked;
- ``correct``: the value is VALUE ("80", "80% trở lên", "Chưa có"); the record keeps its
  source, value_raw and box, and its ``decided_by`` names the corrections file;
- ``alias``: the place written NAME is the gazetteer's UNIT ("Thiệu Chung" → "Xã Thiệu
  Trung"); from then on every value under that name, in any input, is resolved to it.

An accept or a correct records the SHA-256 of every input its decision covered; when one of
those inputs has changed since (the file was edited or re-scanned), the decision is not
applied but reopened: review.csv asks again, saying what was decided before.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

from extract.errors import BadCorrections as CorrectionsError
from normalize.record import Record

CORRECTION_COLUMNS = ("decision_id", "action", "value", "name", "unit", "sources", "reason", "subject", "decided_on")
ACTIONS = ("accept", "correct", "alias")


@dataclass(frozen=True)
class Correction:
    decision_id: str
    action: str
    value: str = ""  # correct: the value as a person writes it
    name: str = ""  # alias: the name as written in the documents
    unit: str = ""  # alias: the gazetteer's unit
    sources: str = ""  # "file=sha256;…" of the inputs the decision covered when it was taken
    reason: str = ""
    subject: str = ""
    decided_on: str = ""

    def digests(self) -> dict[str, str]:
        out = {}
        for part in self.sources.split(";"):
            name, _, digest = part.rpartition("=")
            if name:
                out[name] = digest
        return out


def read_corrections(path: Path) -> list[Correction]:
    """The corrections of ``path`` (none when it does not exist)."""
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorrectionsError(f"cannot read the corrections file {path}: {exc}") from exc
    rows = list(csv.DictReader(io.StringIO(text)))
    out = []
    for k, row in enumerate(rows, 2):
        action = (row.get("action") or "").strip()
        if action not in ACTIONS:
            raise CorrectionsError(f"{path} line {k}: action {action!r} is not one of {', '.join(ACTIONS)}")
        out.append(Correction(**{c: (row.get(c) or "").strip() for c in CORRECTION_COLUMNS}))
    return out


def corrections_text(rows: Sequence[Correction]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CORRECTION_COLUMNS)
    for c in rows:
        writer.writerow([getattr(c, name) for name in CORRECTION_COLUMNS])
    return "\ufeff" + buf.getvalue()


def apply_aliases(records: Sequence[Record], corrections: Sequence[Correction]) -> tuple[list[Record], set[str]]:
    """Records under a name a correction aliases, resolved to its unit; and the names aliased
    that some record bore. An alias holds in its unit's district (or where the document named
    none): the same bare name in another district is another place."""
    from normalize.places.resolve import resolve_commune

    aliases = {}
    for c in corrections:
        if c.action == "alias":
            m = resolve_commune(c.unit)
            if m.unit is None:
                raise CorrectionsError(f"alias {c.name!r} → {c.unit!r}: {c.unit!r} is not in the gazetteer")
            aliases[alias_key(c.name)] = (c.name, m.unit)
    used: set[str] = set()
    if not aliases:
        return list(records), used
    out = []
    for r in records:
        name, u = aliases.get(alias_key(r.commune), (None, None)) if r.commune and not r.commune_code else (None, None)
        if u is None or (r.district and r.district != u.district):
            out.append(r)
            continue
        used.add(name)
        kept = [p for p in r.note.split("; ") if p and not _about_place(p)]
        out.append(replace(r, district=u.district, district_code=u.district_code, commune=u.contract_name,
                           commune_code=u.code, successor_commune=u.successor, successor_code=u.successor_code,
                           unit_generation=u.generation,
                           note="; ".join([*kept, f"place {r.commune!r} read as {u.contract_name} (alias in corrections)"]),
                           needs_review=bool(kept) and r.needs_review))
    return out, used


def alias_key(name: str) -> str:
    """A place name as written, its type ("Xã", "P.") off: "Thiệu Chung" aliases "Xã Thiệu Chung"
    and "xã Thiệu Chung", never "Thiệu Chùng" (the diacritics are kept: they tell names apart)."""
    import unicodedata

    from normalize.places.names import split_type

    return " ".join(split_type(unicodedata.normalize("NFC", name))[2].split()).casefold()


def _about_place(part: str) -> bool:
    from normalize.outputs.reasons import reasons_of

    return all(x.scope == "place" for x in reasons_of(part))


def apply_answers(records: Sequence[Record], found, corrections: Sequence[Correction],
                  digests: Mapping[str, str], label: str) -> tuple[list[Record], set[str], dict[str, str]]:
    """Accepts and corrections applied to the records their decisions cover.

    Returns the records, the ids of the decisions closed, and the ids reopened with why."""
    by_id = {d.decision_id: d for d in found}
    closed: set[str] = set()
    reopened: dict[str, str] = {}
    changed: dict[int, Record] = {}
    for c in corrections:
        if c.action == "alias" or c.decision_id not in by_id:
            continue  # an alias was applied already; a question no longer asked needs no answer
        d = by_id[c.decision_id]
        moved = sorted(name for name, digest in c.digests().items() if digests.get(name, digest) != digest)
        if moved:
            answer = c.action + (f" {c.value}" if c.action == "correct" else "")
            reopened[d.decision_id] = (f"decided earlier ({answer}, {label}) but {', '.join(moved)} changed since: "
                                       "decide again")
            continue
        closed.add(d.decision_id)
        if c.action == "correct" and d.scope not in ("value", "conflict"):
            raise CorrectionsError(f"decision {c.decision_id} is about a {d.scope}: it takes accept or alias, "
                                   "not correct")
        if d.scope == "conflict":  # the answer is the value chosen, accepted or corrected
            r = d.chosen
            r0 = changed.get(id(r), r)
            changed[id(r)] = corrected(r0, c.value, label) if c.action == "correct" else replace(r0, decided_by=label)
        elif c.action == "correct":
            for r in d.records:
                changed[id(r)] = corrected(changed.get(id(r), r), c.value, label)
        # An accept of any other question only closes it: the value stays as read and
        # takes its part in choosing among inputs like any value no doubt hangs over.
    return [changed.get(id(r), r) for r in records], closed, reopened


def corrected(r: Record, value: str, label: str) -> Record:
    from normalize.text.values import parse_value

    p = parse_value(value)
    if p.status == "unreadable":
        raise CorrectionsError(f"correction {value!r} is not a value chosen reads (e.g. 80, 80% trở lên, Chưa có)")
    before = r.value_raw or r.status
    return replace(r, value=p.value, qualifier=p.qualifier, status=p.status, decided_by=label,
                   note="; ".join(x for x in (r.note, f"corrected from {before!r} in corrections") if x))


def sources_of(records: Sequence[Record], digests: Mapping[str, str]) -> str:
    """"file=sha256;…" of the inputs ``records`` come from."""
    names = sorted({r.source_file for r in records})
    return ";".join(f"{n}={digests.get(n, '')}" for n in names)
