"""The 2024 commune template in every form (issue 13: "the unit right on every one, or
flagged"): 12 templates generated when the tests run (scripts/variants/templates.py, seed
17) as .docx, legacy .doc, LibreOffice PDF and 300 dpi scan, the unit in its field, a
letterhead of lines or a borderless table, an intro naming the district first; read
through the real Tesseract and scored against their truth (bench/bench_fidelity.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "bench"))

import bench_fidelity  # noqa: E402
import make_variants  # noqa: E402
from variants import templates  # noqa: E402

N, SEED = 12, 17

pytestmark = pytest.mark.tesseract


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    import chitieu

    folder = tmp_path_factory.mktemp("templates")
    axes = make_variants.generate(N, SEED, folder, templates_=tuple(templates.available_forms()))
    result = chitieu.read([str(folder / a["name"]) for a in axes], jobs=2)
    return folder, axes, result


def test_the_subset_spans_the_forms_and_the_ways_of_naming_the_unit(read):
    _, axes, _ = read
    assert {a["form"] for a in axes} == set(templates.available_forms())
    assert len({a["unit_style"] for a in axes}) >= 3 and {a["intro"] for a in axes} == {True, False}


def test_the_unit_is_right_on_every_template_or_flagged(read):
    _, axes, result = read
    rec = result.records
    for a in axes:
        values = rec[(rec.source_file == a["name"]) & (rec.phase != "target")]
        assert len(values) == 32, f"{a['name']}: {len(values)} results"
        wrong = values[(values.commune != a["unit"]) | (values.district != a["district"])]
        assert wrong.needs_review.all(), f"{a['name']} ({a['unit_style']}): {set(wrong.commune)} unflagged"


def test_no_silent_error(read):
    folder, _, result = read
    truth, groups, _ = bench_fidelity.load_truth(folder)
    _, failures = bench_fidelity.compare(truth, groups, result.records)
    silent = [f for f in failures if f["kind"] in ("wrong_silent", "spurious_silent")]
    assert not silent, silent[:5]
