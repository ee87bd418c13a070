"""Place evidence across documents and the `places` command."""
from __future__ import annotations

from click.testing import CliRunner

from normalize.places.evidence import add_place_evidence, fold_pages
from normalize.record import Record
from extract.errors import ExitCode
from pipeline import main


def _record(commune: str, code: str = "", source: str = "deck.pdf") -> Record:
    return Record(source, 10, "Thanh Hóa", "Thiệu Hóa", commune, "398", code, 2023, 1, "x", "after",
                  100.0, "", "ok", "100%", "x", 100.0, None, False, "")


def _folded(texts: dict) -> dict:
    return {source: fold_pages(pages) for source, pages in texts.items()}


def test_unknown_commune_points_at_the_unit_named_in_the_text():
    texts = {"deck.pdf": [(7, "xã Thiệu Trung (huyện Thiệu Hóa), xã Nga Liên"), (10, "Thiệu Chung")]}
    out = add_place_evidence([_record("Xã Thiệu Chung")], _folded(texts))
    assert out[0].commune == "Xã Thiệu Chung"  # kept as written
    assert out[0].needs_review
    assert "page 7" in out[0].note and "Xã Thiệu Trung" in out[0].note


def test_evidence_from_another_input_and_from_ocr_text():
    texts = {"deck.pdf": [(1, "nothing here")], "plan.txt": [(3, "xa Thiéu Trung (huyén Thiéu Héa)")]}
    out = add_place_evidence([_record("Xã Thiệu Chung")], _folded(texts))
    assert "plan.txt (page 3) names Xã Thiệu Trung" in out[0].note


def test_no_evidence_no_change_and_known_units_untouched():
    texts = {"deck.pdf": [(1, "xã Nga Liên")]}
    unknown, known = add_place_evidence([_record("Xã Thiệu Chung"), _record("Xã Thiệu Trung", "15841")], _folded(texts))
    assert unknown.note == "" and not unknown.needs_review
    assert known == _record("Xã Thiệu Trung", "15841")


def test_places_command():
    ok = CliRunner().invoke(main, ["places", "Quing Xwong (xa Quing Luu)"])
    assert ok.exit_code == 0
    fields = ok.output.rstrip("\n").split("\t")
    assert fields[:4] == ["Quảng Xương", "406", "Xã Quảng Lưu", "16543"]
    ambiguous = CliRunner().invoke(main, ["places", "Phú Xuân"])
    assert ambiguous.exit_code == ExitCode.SOME_INPUTS_FAILED and "ambiguous" in ambiguous.output
    scoped = CliRunner().invoke(main, ["places", "Phú Xuân", "--district", "Thọ Xuân"])
    assert scoped.exit_code == 0 and "\tXã Phú Xuân\t15577\t" in scoped.output
