"""A fixed subset of the prose family of the fidelity benchmark (issue 13, item 1): 24
reports in the styles offices write (scripts/variants/prose_text.py), as .docx, their
LibreOffice PDF and its 300 dpi scan, generated when the tests run (seed 7), read through
the real Tesseract and scored against their truth (bench/bench_fidelity.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "bench"))

import bench_fidelity  # noqa: E402
import make_variants  # noqa: E402
from variants import prose_docs  # noqa: E402

N, SEED = 24, 7
# The targets: stated values right, text forms and scans. The subset holds both; the
# benchmark's larger matrices hold text (98.2-99.0% on seeds 100 and 200) and not yet scans
# everywhere (seed 200's 44 scans: 92.5%, a third of the misses one report whose commune is
# spelled like another of its district, flagged).
TARGETS = {"text": 98.0, "scan": 95.0}

pytestmark = pytest.mark.tesseract


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    import chitieu

    folder = tmp_path_factory.mktemp("prose")
    axes = make_variants.generate(N, SEED, folder, prose=tuple(prose_docs.available_forms()))
    truth, groups, _ = bench_fidelity.load_truth(folder)
    result = chitieu.read([str(folder / a["name"]) for a in axes], jobs=2)
    stats, failures = bench_fidelity.compare(truth, groups, result.records)
    return axes, groups, result, stats, failures


def test_the_subset_spans_the_forms_styles_and_units(scored):
    axes, groups, *_ = scored
    assert {a["form"] for a in axes} == set(prose_docs.available_forms())
    assert {a["level"] for a in axes} == {"district", "commune"}
    assert {a["list_mark"] for a in axes} >= {"dash", "bullet", "run"}
    assert any(a["multi"] for a in axes) and set(groups.values()) >= {"prose × text"}


def test_every_wrong_or_spurious_value_is_flagged(scored):
    *_, failures = scored
    silent = [f for f in failures if f["kind"] in ("wrong_silent", "spurious_silent")]
    assert not silent, "\n".join(f"{f['source_file']} {f['commune']} {f['indicator_id']}: "
                                 f"{f['truth_raw']!r} read {f['got_raw']!r}" for f in silent)


def test_no_report_comes_back_empty_unsaid(scored):
    _, groups, result, *_ = scored
    read = set(result.records["source_file"])
    said = {e.source_file for e in result.run.errors}
    assert all(doc in read or doc in said for doc in groups)


def test_what_is_not_an_indicator_value_is_not_taken(scored):
    """The narrative figures (tập huấn, hộ nghèo, sóng 4G, thu ngân sách, the target missed,
    last year's figure, next year's aim) never become records: every record is a stated value."""
    *_, failures = scored
    # a value given to another unit than the truth's (flagged, the test above) is missing under
    # the right unit and spurious under the other: that is no figure taken for a value
    misattributed = {(f["source_file"], f["indicator_id"]) for f in failures if f["kind"] == "missing"}
    taken = [f for f in failures if f["kind"].startswith("spurious")
             and (f["source_file"], f["indicator_id"]) not in misattributed]
    assert not taken, "\n".join(f"{f['source_file']} {f['indicator_id']}: {f['got_raw']!r} ({f['note']})"
                                 for f in taken)


@pytest.mark.parametrize("damage", sorted(TARGETS))
def test_stated_values_right_at_the_target(scored, damage):
    share = bench_fidelity.share_right(scored[3], damage)
    assert share is not None and share >= TARGETS[damage], f"{damage}: {share}% of stated values right"
