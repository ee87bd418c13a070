"""``chitieu review OUT``: the open decisions of a run, and a human's answers recorded.

It reads what the run wrote (review.csv, inputs.csv for the inputs' SHA-256) and appends
answers to the corrections file (default ``OUT/corrections.csv``), which the next
``chitieu run`` applies (normalize.outputs.corrections). An answer replaces an earlier
one to the same decision; nothing else in the file is touched.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date
from pathlib import Path

from extract.errors import BadCorrections
from normalize.outputs.atomic import write_text_atomic
from normalize.outputs.corrections import Correction, alias_key, corrected, corrections_text, read_corrections

_SEVERITY_ORDER = ("error", "warning", "info")


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise BadCorrections(f"{path} not found: run `chitieu run … -o {path.parent}` first")
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def open_decisions(out_dir: Path) -> list[dict[str, str]]:
    return _read_csv(out_dir / "review.csv")


def listing(rows: list[dict[str, str]]) -> list[str]:
    """One line per decision: its id (12 hex digits; a unique prefix will do), severity,
    reason, where, what to decide, the value read and the value chosen."""
    out = []
    for r in rows:
        where = f"{r['source_file']} p.{r['page']}" if r["page"] else r["source_file"]
        state = " [reopened]" if r.get("state") == "reopened" else ""
        shown = f" — read {r['value_raw']!r}, chosen {r['value']}" if r.get("value_raw") or r.get("value") else ""
        out.append(f"{r['decision_id']}  {r['severity']:<7} {r['reason']:<24} {where}: {r['subject']}{shown}{state}")
    return out


def find(rows: list[dict[str, str]], prefix: str) -> dict[str, str]:
    hits = [r for r in rows if r["decision_id"].startswith(prefix.strip())]
    if not prefix.strip() or not hits:
        raise BadCorrections(f"no open decision {prefix!r} in review.csv (`chitieu review OUT` lists them)")
    if len(hits) > 1:
        raise BadCorrections(f"{prefix!r} is the start of {len(hits)} decisions: give more of its id")
    return hits[0]


def _digests(out_dir: Path) -> dict[str, str]:
    path = out_dir / "inputs.csv"
    rows = _read_csv(path) if path.exists() else []
    return {r["source_file"]: r.get("sha256", "") for r in rows if r.get("sha256")}


def record(out_dir: Path, corrections: Path, action: str, args: tuple[str, ...]) -> Correction:
    """Record one answer (``accept ID``, ``correct ID VALUE``, ``alias NAME UNIT``) in ``corrections``."""
    rows = open_decisions(out_dir)
    today = date.today().isoformat()
    if action == "alias":
        if len(args) != 2:
            raise BadCorrections('alias takes the name as written and the gazetteer\'s unit: alias "Thiệu Chung" '
                                 '"Xã Thiệu Trung"')
        name, unit = (unicodedata.normalize("NFC", a).strip() for a in args)
        _check_unit(unit)
        places = [r for r in rows if r.get("scope") == "place"]
        place = [r for r in places if alias_key(r["value_raw"]) == alias_key(name)]
        if not place:  # a name no input bears: an alias of it would be kept and never used
            written = sorted({r["value_raw"] for r in places if r["value_raw"]})
            raise BadCorrections(f"no open question is about a place written {name!r}"
                                 + (f"; the places asked about: {', '.join(written)}" if written else ""))
        c = Correction(place[0]["decision_id"], "alias", name=name, unit=unit, reason=place[0]["reason"],
                       subject=place[0]["subject"], decided_on=today)
    elif action in ("accept", "correct"):
        want = 1 if action == "accept" else 2
        if len(args) != want:
            raise BadCorrections("accept takes a decision id" if action == "accept"
                                 else "correct takes a decision id and the value: correct 3f2a9c 80")
        row = find(rows, args[0])
        if action == "correct":
            if row.get("scope") not in ("value", "conflict"):
                raise BadCorrections(f"decision {row['decision_id']} is about a {row.get('scope')}: "
                                     "answer it with accept (or alias for a place)")
            corrected_value(args[1])
        digests = _digests(out_dir)
        files = [f.strip() for f in row.get("files", row["source_file"]).split(";") if f.strip()]
        c = Correction(row["decision_id"], action, value=unicodedata.normalize("NFC", args[1]) if want == 2 else "",
                       sources=";".join(f"{f}={digests.get(f, '')}" for f in files), reason=row["reason"],
                       subject=row["subject"], decided_on=today)
    else:
        raise BadCorrections(f"unknown answer {action!r}: accept, correct or alias")
    kept = [x for x in read_corrections(corrections) if x.decision_id != c.decision_id]
    write_text_atomic(corrections, corrections_text([*kept, c]))
    return c


def corrected_value(text: str) -> None:
    """Raise when ``text`` is not a value chitieu reads."""
    from normalize.record import Record

    probe = Record("", None, "", "", "", "", "", None, 1, "", "after", None, "", "unreadable", "", "", 0.0, None,
                   False, "")
    corrected(probe, text, "")


def _check_unit(unit: str) -> None:
    from normalize.places.resolve import resolve_commune

    m = resolve_commune(unit)
    if m.unit is None or m.needs_review:
        raise BadCorrections(f"{unit!r} is not one unit of the gazetteer "
                             f"(`chitieu places {unit!r}` shows what it resolves to)")
