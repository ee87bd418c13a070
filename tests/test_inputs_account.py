"""inputs.csv: the account of every input and page, those that gave nothing included."""
from __future__ import annotations

import csv
from pathlib import Path

from chitieu import runner
from fake_ocr import failing_on_page_3
from normalize.outputs.datasets import write_outputs

SCAN = Path(__file__).resolve().parents[1] / "samples" / "deck_2023_scan.pdf"


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(result, out: Path) -> tuple[list[dict], list[dict]]:
    write_outputs(out, result.records, result.errors, result.other_figures, result.accounts)
    return _rows(out / "inputs.csv"), _rows(out / "indicators.csv")


def test_every_page_and_every_refused_input_has_a_row(samples, tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    inputs = [samples / "deck_2023_text.pdf", samples / "deck_2023_text_layer.txt", bad, tmp_path / "gone.pdf"]
    result = runner.run([str(p) for p in inputs], runner.Settings())
    rows, values = _write(result, tmp_path / "out")
    by_file: dict[str, list[dict]] = {}
    for r in rows:
        by_file.setdefault(Path(r["source_file"]).name, []).append(r)
    assert set(by_file) == {"deck_2023_text.pdf", "deck_2023_text_layer.txt", "broken.pdf", "gone.pdf"}
    text = by_file["deck_2023_text.pdf"]
    assert [r["page"] for r in text] == [str(k) for k in range(1, len(text) + 1)] and len(text) >= 10
    assert all(r["read_as"] == "text" and r["how"].startswith("text layer") for r in text)
    tables = [r for r in text if r["tables"]]
    assert tables and all("ruled" in r["tables"] for r in tables)
    assert sum(int(r["records"]) for r in rows) == len(values)
    assert sum(int(r["flagged"]) for r in rows) == sum(v["needs_review"] == "true" for v in values)
    assert all(r["records"] == "0" for r in text if not r["tables"])
    (broken,) = by_file["broken.pdf"]
    (gone,) = by_file["gone.pdf"]
    assert broken["page"] == "" and broken["how"].startswith("not read:") and broken["records"] == "0"
    assert "no such file" in gone["how"]
    dump = by_file["deck_2023_text_layer.txt"]
    assert all(r["read_as"] == "dump" for r in dump) and max(int(r["numbers_seen"]) for r in dump) > 0


def test_a_page_whose_ocr_failed_is_named(tmp_path):
    result = runner.run([str(SCAN)], runner.Settings(executor="serial"), ocr=failing_on_page_3)
    rows, _ = _write(result, tmp_path / "out")
    assert [r["page"] for r in rows] == [str(k) for k in range(1, 15)]
    third = rows[2]
    assert third["how"].startswith("failed (ocr):") and "tesseract crashed" in third["how"]
    assert third["records"] == "0" and all(r["read_as"] == "ocr" for r in rows if r is not third)
