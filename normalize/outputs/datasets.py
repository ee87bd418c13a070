"""Records into the output datasets of the contract, written atomically."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from normalize.indicators.catalogue import load_catalogue
from normalize.outputs.atomic import text_bytes, write_files
from normalize.outputs.csv_cells import defuse_table
from normalize.outputs.filenames import inside, unit_file_stem
from normalize.outputs.checks import met_target
from normalize.outputs.frames import ERROR_COLUMNS, errors_to_rows, format_bbox
from normalize.outputs.table import Table
from normalize.record import COLUMNS, Record
from normalize.text.values import parse_value

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)


def format_value(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def records_to_table(records: Sequence[Record]) -> Table:
    """indicators.csv's cells: a row per record."""
    rows = []
    for r in records:
        row = r.as_row()
        row["value"] = format_value(r.value)
        row["needs_review"] = "true" if r.needs_review else "false"
        row["page"] = "" if r.page is None else str(r.page)
        row["year"] = "" if r.year is None else str(r.year)
        row["ocr_conf"] = "" if r.ocr_conf is None else format_value(r.ocr_conf)
        row["match_score"] = format_value(r.match_score)
        row["indicator_id"] = str(r.indicator_id)
        row["bbox"] = format_bbox(r.bbox)
        rows.append(row)
    return Table.of(rows, COLUMNS)


def records_to_frame(records: Sequence[Record]) -> pd.DataFrame:
    """``records_to_table`` as a DataFrame of text (pandas imported for it)."""
    return records_to_table(records).to_frame()


def table_to_csv(table: Table) -> str:
    """The table's cells as CSV, those a spreadsheet would evaluate defused (csv_cells)."""
    return defuse_table(table).to_csv()


def commune_key(r: Record) -> str:
    """File name of a commune's dataset: its code, or a bounded ASCII slug (filenames). A unit
    in force from July 2025 goes by ``2025-<code>``: the reform gave some codes to new units
    (15646 was Thị trấn Thường Xuân, is Xã Thường Xuân)."""
    stem = unit_file_stem(r.commune_code, f"{r.district} {r.commune}")
    return f"2025-{stem}" if r.unit_generation == "2025" else stem


def _target_for(records: Sequence[Record], r: Record) -> Record | None:
    """The document's target for r's indicator: one with a value before one without, the
    one on r's own page (its table's target column) before a list of targets elsewhere."""
    found = [t for t in records
             if t.phase == "target" and t.indicator_id == r.indicator_id and t.source_file == r.source_file]
    return min(found, key=lambda t: (t.value is None, t.page != r.page), default=None)


def _catalogue_target(indicator_id: int, year: int | None, like: Record) -> Record | None:
    if year is None:
        return None
    raw = load_catalogue().target(indicator_id, year)
    if not raw:
        return None
    p = parse_value(raw)
    return Record(like.source_file, None, like.province, "", "", "", "", year, indicator_id, like.indicator_name,
                  "target", p.value, p.qualifier, p.status, raw, "", 100.0, None, False, "catalogue target")


def commune_frames(records: Sequence[Record]) -> dict[str, Table]:
    """One table per commune: indicator, target, before, after, met target."""
    out: dict[str, list[dict]] = {}
    by_key: dict[tuple, dict[str, Record]] = {}
    for r in records:
        if not r.commune or r.phase == "target":
            continue
        key = (commune_key(r), r.year, r.source_file, r.indicator_id)
        by_key.setdefault(key, {})[r.phase] = r
    for (ckey, year, source_file, ind), phases in sorted(by_key.items(), key=lambda kv: (kv[0][0], str(kv[0][1]), kv[0][2], kv[0][3])):
        any_r = next(iter(phases.values()))
        target = _target_for(records, any_r) or _catalogue_target(ind, year, any_r)
        after = phases.get("after") or phases.get("reported")
        row = {
            "district": any_r.district,
            "commune": any_r.commune,
            "commune_code": any_r.commune_code,
            "unit_generation": any_r.unit_generation,
            "year": "" if year is None else str(year),
            "indicator_id": str(ind),
            "indicator_name": any_r.indicator_name,
            "target": format_value(target.value) if target else "",
            "target_qualifier": target.qualifier if target else "",
        }
        for phase in ("before", "after", "reported"):
            r = phases.get(phase)
            row[phase] = format_value(r.value) if r else ""
            row[f"{phase}_status"] = r.status if r else ""
        row["met_target"] = met_target(after, target.value if target else None) if after else ""
        row["needs_review"] = "true" if any(r.needs_review for r in phases.values()) else "false"
        row["source_file"] = source_file
        out.setdefault(ckey, []).append(row)
    return {k: Table.of_mappings(v) for k, v in out.items()}


def wide_frame(records: Sequence[Record]) -> Table:
    """One row per commune and year of each document; per indicator and phase a column of
    numbers (i05_after: the value, empty for a word cell) and beside it the cell's status
    (i05_after_status: ok, partial, not_available, …), so that the value column sums and
    charts as it is and what a word cell said is not lost."""
    keys = ("district", "commune", "commune_code", "unit_generation", "year", "source_file")
    rows: dict[tuple, dict] = {}
    for r in records:
        if not r.commune or r.phase == "target":
            continue
        key = (r.district, r.commune, r.commune_code, r.unit_generation, "" if r.year is None else str(r.year),
               r.source_file)
        row = rows.setdefault(key, dict(zip(keys, key)))
        column = f"i{r.indicator_id:02d}_{r.phase}"
        row[column] = format_value(r.value)
        row[f"{column}_status"] = r.status
    values = [f"i{i:02d}_{p}" for i in range(1, 17) for p in ("before", "after", "reported")
              if any(f"i{i:02d}_{p}" in row for row in rows.values())]
    cols = [*keys, *(c for v in values for c in (v, f"{v}_status"))]
    return Table.of(rows.values(), cols)


def other_figures_frame(figures: Sequence) -> Table:
    """Percentages stated in prose that are not indicator values, with their sentence."""
    from normalize.readers.reports import OTHER_COLUMNS

    rows = []
    for f in figures:
        row = f.as_row()
        row["value"] = format_value(f.value)
        row["page"] = "" if f.page is None else str(f.page)
        row["year"] = "" if f.year is None else str(f.year)
        row["nearest_indicator_id"] = "" if f.nearest_indicator_id is None else str(f.nearest_indicator_id)
        row["nearest_score"] = format_value(f.nearest_score)
        rows.append(row)
    return Table.of(rows, OTHER_COLUMNS)


# report.html carries the crop of the first this-many questions (errors first). A crop is
# 6-36 KB (tests/test_pictures.py; 53 on `make demo` make 1.6 MB), so 300 keep the page near
# 10 MB, which a browser opens at once; a run with more questions has them all in review.csv.
MAX_PICTURES = 300


def write_outputs(out_dir: Path, records: Sequence[Record], errors: Iterable,
                  other_figures: Sequence = (), accounts: Sequence = (), *, bom: bool = True,
                  corrections: Sequence = (), digests: dict[str, str] | None = None,
                  corrections_label: str = "corrections.csv", pictures=None, as_of: str | None = None,
                  weights: dict[str, float] | None = None) -> dict:
    """Every dataset into ``out_dir``, as CSVs, as the sheets of chitieu.xlsx and as
    report.html; ``accounts``: (source_file, PageFacts of each page) of every input;
    ``bom``: begin each CSV with a UTF-8 byte-order mark, without which Excel on Windows
    reads "Thành phố" as "ThÃ nh phá»‘"; ``corrections``: the human decisions to apply
    (normalize.outputs.corrections), ``digests`` the inputs' SHA-256 by source_file that
    tell a decision whose input changed; ``pictures``: decision → the crop of its page
    (bytes) or why there is none (str), for report.html (None: no report); ``as_of``
    "2025": also as_of_2025.csv, the old units' figures under their successors, with a
    weighted mean where ``weights`` (commune code → weight) are given (normalize.outputs.successors)."""
    from normalize.outputs.consolidated import gaps_summary
    from normalize.outputs.trust import settle

    out_dir.mkdir(parents=True, exist_ok=True)
    settled = settle(records, corrections, digests or {}, corrections_label)
    records = settled.records
    datasets = trust_frames(settled, errors, other_figures, accounts, digests or {})
    if as_of == "2025":
        from normalize.outputs.successors import as_of_2025, split_communes

        datasets["as_of_2025"] = as_of_2025(settled.groups, weights, split_communes())
    else:  # an earlier run's view beside this run's datasets would pass for this run's
        (out_dir / "as_of_2025.csv").unlink(missing_ok=True)
    communes = commune_frames(records)
    write_files(dataset_files(out_dir, datasets, communes, bom=bom))
    _drop_stale_communes(out_dir / "communes", keep={f"{key}.csv" for key in communes})
    if pictures is not None:
        _write_report(out_dir / "report.html", settled, datasets, pictures)
    else:  # an earlier run's report beside this run's datasets would pass for this run's
        (out_dir / "report.html").unlink(missing_ok=True)
    tidy, consolidated = datasets["indicators"], datasets["consolidated"]
    files = [f"{name}.csv" for name in datasets] + [f"communes/{key}.csv" for key in communes] + ["chitieu.xlsx"]
    files += ["report.html"] if pictures is not None else []
    return {"files": files, "records": len(tidy), "review": tidy.column("needs_review").count("true"),
            "communes": len(communes), "decisions": len(settled.open),
            "conflicts": consolidated.column("conflict").count("true"),
            "corrections_applied": len(settled.closed), "corrections_unused": len(settled.unused),
            "summary": gaps_summary(datasets["completeness"], records)}


def dataset_files(out_dir: Path, datasets: dict[str, Table], communes: dict[str, Table], *,
                  bom: bool) -> dict[Path, bytes]:
    """The bytes of every CSV and of chitieu.xlsx, by path, for ``write_files`` to write
    at once: each file whole or not at all, as one at a time did, and all of them flushed
    to disk together rather than one after another (14 files of a deck: 0.2 s less)."""
    from normalize.outputs.workbook import workbook_bytes

    files = {out_dir / f"{name}.csv": _csv_bytes(table, bom=bom) for name, table in datasets.items()}
    files.update({inside(out_dir / "communes", key): _csv_bytes(table, bom=bom) for key, table in communes.items()})
    sheets = [*datasets.items(), *((table.rows[0][table.columns.index("commune")] or key, table)
                                   for key, table in communes.items())]
    files[out_dir / "chitieu.xlsx"] = workbook_bytes(sheets)
    return files


def trust_frames(settled, errors: Iterable, other_figures: Sequence, accounts: Sequence,
                 digests: dict[str, str]) -> dict[str, Table]:
    """Every dataset of a settled run (normalize.outputs.trust), in the workbook's order of sheets."""
    from normalize.outputs.accounts import accounts_frame
    from normalize.outputs.consolidated import completeness_frame, consolidated_frame
    from normalize.outputs.review import review_frame, sizes_of

    records = settled.records
    tidy = records_to_table(records)
    tidy = tidy.with_column("checks", [c for c, _ in settled.checks])
    tidy = tidy.with_column("met_target", [m for _, m in settled.checks])
    by_id = {id(r): c for r, c in zip(records, settled.checks)}
    inputs = accounts_frame(accounts, records)
    inputs = inputs.with_column("sha256", [digests.get(f, "") for f in inputs.column("source_file")])
    return {
        "consolidated": consolidated_frame(settled.groups, by_id, settled.asked),
        "indicators": tidy,
        "review": review_frame(settled.open, sizes_of(accounts)),
        "completeness": completeness_frame(settled.groups),
        "errors": Table.of(errors_to_rows(errors), ERROR_COLUMNS),
        "summary_wide": wide_frame(records),
        "inputs": inputs,
        "other_figures": other_figures_frame(other_figures),
    }


def _write_report(path: Path, settled, datasets: dict[str, Table], pictures) -> None:
    """report.html, from the datasets as DataFrames (the report is the one writer that uses pandas)."""
    from normalize.outputs.report import write_report

    frames = {name: datasets[name].to_frame() for name in ("inputs", "completeness", "consolidated", "review", "errors")}
    review = frames["review"]
    shots = {}
    for k, (d, row) in enumerate(zip(settled.open, review.itertuples(index=False))):
        shots[d.decision_id] = pictures(row) if k < MAX_PICTURES else (
            f"only the first {MAX_PICTURES} questions carry their picture, to keep this page small: "
            "file, page and box are in review.csv")
    write_report(path, inputs=frames["inputs"], completeness=frames["completeness"],
                 consolidated=frames["consolidated"], review=review, errors=frames["errors"], pictures=shots)


def _csv_bytes(table: Table, *, bom: bool) -> bytes:
    return text_bytes(("\ufeff" if bom else "") + table_to_csv(table))


def _drop_stale_communes(folder: Path, *, keep: set[str]) -> None:
    """Remove the commune files an earlier run into the same folder left and this run did
    not write: beside this run's indicators.csv they would pass for its results."""
    if not folder.is_dir():
        return
    for path in folder.glob("*.csv"):
        if path.name not in keep:
            log.info("removing %s, written by an earlier run", path)
            path.unlink()
