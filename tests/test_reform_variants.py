"""Documents written after the July 2025 reform (issue 17, item 4): the new communes and
wards, no district, dated 2025 or 2026. A fixed subset of the benchmark's reform families
(scripts/variants/reform.py: the template of a new unit, the province's district-free
consolidation of its new communes, a new commune's prose report) generated when the tests
run (seed SEED) in their forms, scans included, read through Tesseract (recorded) and
scored against their truth (bench/bench_fidelity.py); and the sample
template_thuongxuan_2025 (.docx and scan), the 2024 template re-dated 2025 for the new Xã
Thường Xuân, whose name meant a district and its town before the reform.

The issue's bar: units right on ≥ 99.5% of the records, no wrong unit left unflagged, and
every unit of the new generation ("2025", district empty). The province's table of its new
communes does not reach it yet: that test is marked, strict, with why."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "bench"))

import bench_fidelity  # noqa: E402
import make_variants  # noqa: E402
from make_reform_samples import FILLED_2025, TEMPLATE_DOCX, TEMPLATE_SCAN, UNIT, YEAR  # noqa: E402
from make_report_samples import TEMPLATE_ROWS  # noqa: E402

from normalize.text.values import parse_value  # noqa: E402

# Documents 13-24 of the reform families: the template as .doc, PDF and scan, prose as .docx and
# scan, the province's table as text and stamped scan; names of the old generation, garbled
# names, the old units named in the text, 2025 and 2026. Tables only as text or 300 dpi scans
# (KINDS): a fax or a 150 dpi page garbles names past reading, flagged, which the benchmark counts.
N, SEED, KINDS = 12, 13, ("text", "scan", "stamped")
UNITS_RIGHT = 99.5  # percent of the records (the issue's bar)

pytestmark = pytest.mark.tesseract


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    import chitieu

    folder = tmp_path_factory.mktemp("reform")
    axes = make_variants.generate(N, SEED, folder, reform_=make_variants.REFORM_KINDS, kinds=KINDS)
    result = chitieu.read([str(folder / a["name"]) for a in axes], jobs=2)
    truth, groups, _ = bench_fidelity.load_truth(folder)
    return axes, result, truth, groups


def test_the_subset_spans_the_families_forms_and_traps(read):
    axes, *_ = read
    families = {a["family"] for a in axes}
    assert families == {"reform_template", "reform_communes", "reform_prose"}
    assert {a["kind"] for a in axes} >= {"text", "scan"}
    assert {a["year"] for a in axes} == {2025, 2026}
    assert sum(int(a["twins"] or 0) > 0 for a in axes) >= N // 2  # names the old generation gave other units
    assert "history" in {a.get("intro") for a in axes}  # the old units it was made from, named in the text
    assert {a.get("name_style") for a in axes} & {"stripped", "garbled"}


def test_the_truth_names_the_new_units_without_districts(read):
    _, _, truth, _ = read
    units = [t for k, t in truth.items() if k[3] != "target" and t["commune"]]
    assert units and all(t["district"] == "" and t["unit_generation"] == "2025" and t["commune_code"] for t in units)


def _units_right(read, family: str) -> tuple[float | None, str]:
    """Percent of a family's records whose unit is right, and the misattributed units, to show."""
    _, result, truth, groups = read
    scores = bench_fidelity.unit_scores(truth, groups, result.records)
    share = bench_fidelity.unit_share({g: s for g, s in scores.items() if g.startswith(f"{family} × ")})
    rec = result.records
    docs = {d for d, g in groups.items() if g.startswith(f"{family} × ")}
    units = {(t["district"], t["commune"]) for k, t in truth.items() if k[0] in docs and k[3] != "target"}
    wrong = rec[rec.source_file.isin(docs) & (rec.phase != "target")
                & ~rec[["district", "commune"]].apply(tuple, axis=1).isin(units)]
    return share, f"{family}: {share}% of records with their unit; not: {sorted(set(wrong.commune))[:12]}"


REACHED = ("reform_template", "reform_prose")  # the families whose records hold the bar today


@pytest.mark.parametrize("family", REACHED)
def test_units_right_on_the_issues_share_of_records(read, family):
    share, said = _units_right(read, family)
    assert share is not None and share >= UNITS_RIGHT, said


# The province's table of its new communes (issue 17: its total row "Toàn tỉnh", "Phường" garbled
# to "Phwờng"/"Phương", a bare name that was a district before the reform) holds the bar too.
def test_units_right_on_the_issues_share_of_records_not_reached_yet(read):
    share, said = _units_right(read, "reform_communes")
    assert share is not None and share >= UNITS_RIGHT, said


def test_no_wrong_unit_is_left_unflagged(read):
    _, result, truth, groups = read
    scores = bench_fidelity.unit_scores(truth, groups, result.records)
    assert sum(s["misattributed_silent"] for s in scores.values()) == 0, {g: dict(s) for g, s in scores.items()}
    rec = result.records
    units = rec[(rec.phase != "target") & (rec.commune != "")]
    wrong = units[(units.unit_generation != "2025") | (units.district != "")]
    assert wrong.needs_review.all(), wrong[["source_file", "district", "commune", "commune_code"]].drop_duplicates()


def test_no_silent_error(read):
    _, result, truth, groups = read
    _, failures = bench_fidelity.compare(truth, groups, result.records)
    silent = [f for f in failures if f["kind"] in ("wrong_silent", "spurious_silent")]
    assert not silent, silent[:5]


# ---------------------------------------------------------------- the sample


def _expected() -> dict[tuple[int, str], tuple[str, str]]:
    """(indicator, phase) -> (value, status) from the sample script's truth."""
    out = {}
    for i, ((_, target), (before, after, _)) in enumerate(zip(TEMPLATE_ROWS, FILLED_2025), start=1):
        for phase, raw in (("target", target.split("\n")[0]), ("before", before), ("after", after)):
            p = parse_value(raw)
            out[(i, phase)] = ("" if p.value is None else f"{p.value:g}", p.status)
    return out


SAMPLE = [(TEMPLATE_DOCX, "text"), pytest.param(TEMPLATE_SCAN, "ocr", marks=pytest.mark.tesseract)]


@pytest.mark.parametrize("name,source", SAMPLE)
def test_the_sample_every_cell(run_sample, name, source):
    frame, result = run_sample(name)
    assert result.errors == ()
    assert len(frame) == 48
    got = {(int(r.indicator_id), r.phase): (r.value, r.status) for r in frame.itertuples()}
    wrong = {k: (got.get(k), v) for k, v in _expected().items() if got.get(k) != v}
    assert not wrong, wrong
    assert frame["year"].eq(str(YEAR)).all() and frame["source"].eq(source).all()


@pytest.mark.parametrize("name,source", SAMPLE)
def test_the_sample_names_the_new_commune(run_sample, name, source):
    """Xã Thường Xuân (15646) of 2025: not the town of the same code before the reform, nor
    the district of the same name, nor Xuân Dương whose template it was."""
    frame, _ = run_sample(name)
    values = frame[frame["phase"] != "target"]
    for column, want in UNIT.items():
        assert values[column].eq(want).all(), (column, set(values[column]))
    if source == "text":  # a scan may doubt a value it read poorly; a text has nothing to doubt
        assert values["needs_review"].eq("false").all()
