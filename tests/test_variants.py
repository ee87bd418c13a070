"""A fixed subset of the fidelity benchmark (issue 11, item 3): 40 documents chitieu has
never seen, generated when the tests run (scripts/make_variants.py, seed 11), read
through the real Tesseract, scored against their truth (bench/bench_fidelity.py)."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "bench"))

import bench_fidelity  # noqa: E402
import make_variants  # noqa: E402

N, SEED = 40, 11
# What every machine that runs `make test` has: reportlab and fonts-dejavu-core (the
# benchmark draws from Chromium, LibreOffice, Noto and Liberation too, when installed).
FONTS = ("DejaVuSans", "DejaVuSerif")
ENGINES = ("reportlab",)
# The targets, by damage class (bench_fidelity groups the documents so).
TARGETS = {"text": 99.5, "scan": 99.0, "lowres": 97.0, "fax": 97.0}

pytestmark = pytest.mark.tesseract


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    import chitieu

    folder = tmp_path_factory.mktemp("variants")
    make_variants.generate(N, SEED, folder, fonts=FONTS, engines_=ENGINES)
    truth, groups, docs = bench_fidelity.load_truth(folder)
    result = chitieu.read([str(p) for p in sorted(folder.glob("v*.pdf"))], jobs=2)
    stats, failures = bench_fidelity.compare(truth, groups, result.records)
    return groups, result, stats, failures


def test_the_subset_spans_the_families_and_damage(scored):
    groups, _, _, _ = scored
    classes = Counter(g.split(" × ")[1] for g in groups.values())
    families = Counter(g.split(" × ")[0] for g in groups.values())
    assert set(families) == {"deck", "district"} and {"text", "scan"} <= set(classes)


def test_no_document_with_table_content_comes_back_empty_unsaid(scored):
    groups, result, _, _ = scored
    read = set(result.records["source_file"])
    said = {(e.source_file, e.stage) for e in result.run.errors}
    for doc in groups:
        assert doc in read or (doc, "layout") in said, f"{doc}: no record and no line in errors.csv"


def test_every_wrong_or_spurious_value_is_flagged(scored):
    _, _, _, failures = scored
    silent = [f for f in failures if f["kind"] in ("wrong_silent", "spurious_silent")]
    assert not silent, "\n".join(f"{f['source_file']} {f['commune']} {f['indicator_id']} {f['phase']}: "
                                 f"{f['truth_raw']!r} read {f['got_raw']!r}" for f in silent)


# the classes whose target the subset holds today. Scan is one cell short: 1,556 of its 1,572
# cells right (98.98%; 1,547 at d7be771, 1,557 on the fax work alone), what is lost on its
# stamped pages (seals over values, flagged; a commune's name under a seal, its row missing).
REACHED = {"text", "lowres"}


@pytest.mark.parametrize("damage", sorted(REACHED))
def test_cells_right_at_the_target(scored, damage):
    share = bench_fidelity.share_right(scored[2], damage)
    assert share is not None and share >= TARGETS[damage], f"{damage}: {share}% of cells right"


# Not reached yet (issue 11 stays open; the figures are in its closing note): strict, so
# the day a class reaches its target this fails and the mark must go.
@pytest.mark.xfail(strict=True, reason="issue 11: cells right below the target in this damage class")
@pytest.mark.parametrize("damage", sorted(set(TARGETS) - REACHED))
def test_cells_right_at_the_target_not_reached_yet(scored, damage):
    share = bench_fidelity.share_right(scored[2], damage)
    assert share is not None and share >= TARGETS[damage], f"{damage}: {share}% of cells right"


def test_two_communes_of_one_name_are_scored_apart(tmp_path):
    """A deck reporting Phường Ba Đình of Thành phố Thanh Hóa and of Thị xã Bỉm Sơn: each
    value is scored against its own commune's truth, not the other's (no tesseract needed)."""
    import pandas as pd

    (tmp_path / "variants.csv").write_text("name,family,kind\nd.pdf,deck,text\n", encoding="utf-8")
    rows = [("Thành phố Thanh Hóa", "13"), ("Thị xã Bỉm Sơn", "42")]
    (tmp_path / "d.truth.csv").write_text(
        "district,commune,indicator_id,phase,value,status,value_raw\n"
        + "".join(f"{d},Phường Ba Đình,1,before,{v},ok,{v}%\n" for d, v in rows), encoding="utf-8")
    truth, groups, _ = bench_fidelity.load_truth(tmp_path)
    assert len(truth) == 2
    got = [{"source_file": "d.pdf", "district": d, "commune": "Phường Ba Đình", "commune_code": "",
            "indicator_id": 1, "phase": "before", "status": "ok", "value": float(v), "value_raw": f"{v}%",
            "needs_review": False, "note": "", "qualifier": ""} for d, v in rows]
    stats, failures = bench_fidelity.compare(truth, groups, pd.DataFrame(got))
    assert stats["deck × text"]["right"] == 2 and not failures
    swapped = [g | {"district": d} for g, (d, _) in zip(got, reversed(rows))]
    stats, failures = bench_fidelity.compare(truth, groups, pd.DataFrame(swapped))
    assert stats["deck × text"]["wrong_silent"] == 2


def test_no_generated_table_runs_off_its_page(tmp_path):
    """A table too wide for its page even at the smallest size is squeezed, as Word would
    (its cells wrap more), never drawn past the page's edges: 4 of seed 2612's 30 reportlab
    tables ran off it, and their truth held cells no page showed."""
    import pdfplumber

    make_variants.generate(30, 2612, tmp_path, engines_=("reportlab",), kinds=("text",))
    for path in sorted(tmp_path.glob("v*.pdf")):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                words = page.extract_words()
                assert min(w["x0"] for w in words) >= 0 and max(w["x1"] for w in words) <= page.width, \
                    f"{path.name} page {page.page_number}"


def test_a_squeezed_table_keeps_room_for_each_columns_padding(tmp_path):
    """A table squeezed to its page takes the room from its wide columns: a "TT" column cut
    below its padding made reportlab refuse the table (seed 61027)."""
    from variants.render import squeeze

    ws = [9.0, 300.0, 40.0] + [60.0] * 12
    got = squeeze(ws, 684.0, 16.0)
    assert abs(sum(got) - 684.0) < 1e-6 and got[0] == 9.0 and min(got[1:]) >= 16.0
    make_variants.generate(1, 61027, tmp_path, kinds=("text",))  # raised ValueError (negative availWidth)
    assert len(list(tmp_path.glob("v*.pdf"))) == 1
