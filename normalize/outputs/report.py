"""OUT/report.html: the run on one page a person can open anywhere, offline — the inputs'
account, completeness, before/after charts, and the review queue with the crop of the page
around each doubtful cell.

The page is self-contained: CSS and the small script inline, the crops as data URIs, and
a Content-Security-Policy that forbids the browser any request, so a page copied to a USB
stick or sent by mail shows the same as on the machine that wrote it.
"""
from __future__ import annotations

import base64
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Mapping, Union

import jinja2
import pandas as pd

from normalize.indicators.catalogue import load_catalogue
from normalize.outputs.atomic import write_text_atomic
from normalize.outputs.report_charts import before_after_charts, completeness_matrix

# The columns each frame must have: the CSVs' own (README, Outputs).
COLUMNS: dict[str, tuple[str, ...]] = {
    "inputs": ("source_file", "page", "read_as", "how", "tables", "numbers_seen", "records", "flagged"),
    "errors": ("source_file", "page", "stage", "reason"),
    "consolidated": ("province", "district", "commune", "district_code", "commune_code", "year", "indicator_id",
                     "indicator_name", "phase", "value", "qualifier", "status", "met_target", "checks",
                     "needs_review", "conflict", "sources_n", "sources", "decided_by"),
    "completeness": ("district", "commune", "commune_code", "year", "phase", "expected", "found", "missing_n",
                     "missing"),
    "review": ("decision_id", "reason", "severity", "subject", "source_file", "page", "x0", "top", "x1", "bottom",
               "page_width", "page_height", "values_n", "values", "value_raw", "value", "note", "state"),
}
SEVERITY_ORDER = ("error", "warning", "info")
TEMPLATE = "report.html.j2"
NO_PICTURE = "no picture was made for this decision"
_SURROGATES = re.compile("[\ud800-\udfff]")

Picture = Union[bytes, str]


@dataclass(frozen=True)
class PageLine:
    page: str
    read_as: str
    how: str
    tables: str
    numbers_seen: str
    records: int
    flagged: int
    errors: tuple[str, ...]  # "stage: reason" of this page


@dataclass(frozen=True)
class InputAccount:
    source_file: str
    pages: tuple[PageLine, ...]
    read_as: str  # "ocr 13" or "text 10, ocr 3"
    records: int
    flagged: int
    errors: tuple[str, ...]  # the input's own errors (no page), "stage: reason"
    errors_n: int  # its own and its pages'


@dataclass(frozen=True)
class ReviewItem:
    decision_id: str
    severity: str
    reason: str
    subject: str
    source_file: str
    page: str
    box: str  # "x0 72.0 · top 100.5 · x1 …, page 595 × 842 pt", or ""
    values: tuple[str, ...]
    value_raw: str
    value: str
    note: str
    state: str
    picture_uri: str  # a data: URI, or "" when there is no picture
    no_picture: str  # why there is none


def _as_text(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The frame as NFC strings, "" for empty, with the columns its CSV has (an error names those lacking)."""
    lacking = [c for c in COLUMNS[name] if c not in frame.columns]
    if lacking:
        raise ValueError(f"{name}: missing column(s) {', '.join(lacking)}")
    out = frame.loc[:, list(COLUMNS[name])].fillna("").astype(str)
    return out.map(_clean_text)


def _clean_text(text: str) -> str:
    # A lone surrogate (a broken text layer) cannot be written as UTF-8: shown as U+FFFD.
    return unicodedata.normalize("NFC", _SURROGATES.sub("\ufffd", text))


def _int(text: str) -> int:
    try:
        return int(float(text))
    except ValueError:
        return 0


def _error_text(row) -> str:
    return f"{row.stage}: {row.reason}" if row.stage else row.reason


def inputs_to_accounts(inputs: pd.DataFrame, errors: pd.DataFrame) -> list[InputAccount]:
    """An account per input, in inputs.csv's order; an input only errors.csv names comes after."""
    page_errors: dict[tuple[str, str], list[str]] = defaultdict(list)
    own_errors: dict[str, list[str]] = defaultdict(list)
    for e in errors.itertuples(index=False):
        (page_errors[(e.source_file, e.page)] if e.page else own_errors[e.source_file]).append(_error_text(e))
    by_file: dict[str, list] = {}
    for r in inputs.itertuples(index=False):
        by_file.setdefault(r.source_file, []).append(r)
    for source in list(own_errors) + [s for s, _ in page_errors]:
        by_file.setdefault(source, [])
    accounts = []
    for source, rows in by_file.items():
        lines = tuple(PageLine(r.page, r.read_as, r.how, r.tables, r.numbers_seen, _int(r.records), _int(r.flagged),
                               tuple(page_errors.get((source, r.page), ()) if r.page else ()))
                      for r in rows)
        listed = {r.page for r in rows}
        # An error for a page inputs.csv does not list still belongs to the input, never dropped.
        stray = [f"page {p}: {t}" for (s, p), ts in page_errors.items() if s == source and p not in listed for t in ts]
        own = tuple(own_errors.get(source, [])) + tuple(stray)
        kinds = Counter(r.read_as or "not read" for r in rows if r.page)
        accounts.append(InputAccount(
            source, lines, ", ".join(f"{k} {n}" for k, n in kinds.items()),
            sum(p.records for p in lines), sum(p.flagged for p in lines),
            own, len(own) + sum(len(p.errors) for p in lines)))
    return accounts


def picture_to_uri(picture: Picture | None) -> tuple[str, str]:
    """(data URI, "") for a PNG or JPEG, else ("", why there is no picture)."""
    if picture is None:
        return "", NO_PICTURE
    if isinstance(picture, str):
        return "", picture or NO_PICTURE
    data = bytes(picture)
    # The type from the bytes themselves: a crop saved under the wrong name still shows.
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        mime = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        mime = "image/jpeg"
    else:
        return "", f"the picture is neither PNG nor JPEG ({len(data)} bytes)"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", ""


def _box(r) -> str:
    coords = [(k, getattr(r, k)) for k in ("x0", "top", "x1", "bottom") if getattr(r, k)]
    if not coords:
        return ""
    text = " · ".join(f"{k} {v}" for k, v in coords)
    if r.page_width and r.page_height:
        text += f" (page {r.page_width} × {r.page_height} pt)"
    return text


def review_to_items(review: pd.DataFrame, pictures: Mapping[str, Picture]) -> list[ReviewItem]:
    """The review queue, errors first, then warnings, then notes; review.csv's order within each."""
    def rank(sev: str) -> int:
        return SEVERITY_ORDER.index(sev) if sev in SEVERITY_ORDER else len(SEVERITY_ORDER)

    items = []
    for r in sorted(review.itertuples(index=False), key=lambda r: rank(r.severity)):
        uri, why = picture_to_uri(pictures.get(r.decision_id))
        values = tuple(v.strip() for v in r.values.split("; ") if v.strip())
        items.append(ReviewItem(r.decision_id, r.severity, r.reason, r.subject, r.source_file, r.page, _box(r),
                                values, r.value_raw, r.value or getattr(r, "status", ""), r.note, r.state, uri, why))
    return items


def run_counts(frames: dict[str, pd.DataFrame], accounts: list[InputAccount]) -> list[tuple[str, str]]:
    """The header's figures, as (label, number) pairs."""
    cons, review = frames["consolidated"], frames["review"]
    severities = Counter(review["severity"])
    units = {(r.district, r.commune) for r in cons.itertuples(index=False)}
    return [
        ("inputs", str(len(accounts))),
        ("pages", str(sum(len([p for p in a.pages if p.page]) for a in accounts))),
        ("values read", str(sum(a.records for a in accounts))),
        ("units", str(len(units))),
        ("consolidated values", str(len(cons))),
        ("conflicts", str(int((cons["conflict"] == "true").sum()))),
        ("missing indicators", str(sum(_int(n) for n in frames["completeness"]["missing_n"]))),
        ("to review", str(len(review))),
        ("review: errors", str(severities.get("error", 0))),
        ("review: warnings", str(severities.get("warning", 0))),
        ("review: notes", str(severities.get("info", 0))),
        ("errors", str(len(frames["errors"]))),
    ]


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # Read through importlib.resources, so an installed chitieu (a wheel) finds it as the tree does.
    source = resources.files("normalize.outputs").joinpath("templates", TEMPLATE).read_text(encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.DictLoader({TEMPLATE: source}), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


def render_report(*, inputs: pd.DataFrame, completeness: pd.DataFrame, consolidated: pd.DataFrame,
                  review: pd.DataFrame, errors: pd.DataFrame, pictures: Mapping[str, Picture],
                  title: str = "chitieu") -> str:
    """The report as one HTML page; the frames are the CSVs' (strings, "" for empty)."""
    frames = {name: _as_text(frame, name) for name, frame in (
        ("inputs", inputs), ("completeness", completeness), ("consolidated", consolidated),
        ("review", review), ("errors", errors))}
    catalogue = load_catalogue()
    accounts = inputs_to_accounts(frames["inputs"], frames["errors"])
    html = _environment().get_template(TEMPLATE).render(
        title=_clean_text(title),
        counts=run_counts(frames, accounts),
        accounts=accounts,
        indicators=[(i.id, i.name) for i in catalogue],
        matrix=completeness_matrix(frames["consolidated"], frames["completeness"], catalogue.ids),
        charts=before_after_charts(frames["consolidated"]),
        review=review_to_items(frames["review"], pictures),
        severities=SEVERITY_ORDER,
    )
    return html


def write_report(path: Path, **kwargs) -> int:
    """Render and write the report whole or not at all; the number of bytes written."""
    html = render_report(**kwargs)
    write_text_atomic(Path(path), html)
    return len(html.encode("utf-8"))
