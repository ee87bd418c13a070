"""Both generations of units (issue 17): the 2024 communes with their districts, the 2025
communes and wards with none, and names resolved by their document's date.

The 2025 units are tested over the whole list, as tests/test_places.py tests the
communes of one district: clean, stripped of diacritics, and as a scan's OCR garbles
them (marks dropped or read as an acute, hats read as other letters, digits for
letters), the way the seeds' OCR does ("Xuin", "Dudng", "D6ng", "Thiéu Héa").
"""
from __future__ import annotations

import csv
import datetime
import unicodedata
import zlib

import pytest
from click.testing import CliRunner
from unidecode import unidecode

from extract.documents.dump import text_to_pages
from extract.errors import ExitCode
from normalize.places.dating import Dating
from normalize.places.gazetteer import DATA_DIR, gazetteer
from normalize.places.locality import parse_locality
from normalize.places.resolve import resolve_commune
from normalize.readers.document import document_records
from normalize.readers.meta import detect_date
from pipeline import main

NEW_UNITS = sorted(gazetteer().communes_2025.values(), key=lambda u: u.code)
OLD_UNITS = sorted(gazetteer().communes.values(), key=lambda u: u.code)

# What Tesseract makes of a marked letter in these scans, a few choices each; a mark it
# keeps is an acute (it never writes the hook, the tilde, the dot below).
_MISREADS = {
    "a": "aá", "ă": "aá", "â": "ia", "e": "eé", "ê": "éeé", "o": "oó", "ô": "6oó", "ơ": "odó",
    "u": "uú", "ư": "wdu", "i": "ií", "y": "yý", "đ": "d",
}
_TYPE_MISREADS = {"Xã": ("xa", "x4", "x&", "xd"), "Phường": ("Phuong", "phudng", "P.")}


def garble(name: str) -> str:
    """A deterministic OCR reading of a typed name: each marked letter misread one of the
    ways scans misread it (chosen by a hash of the name and position), a B or l opening a
    word read as a digit."""
    type_word, rest = name.split(" ", 1)
    choices = _TYPE_MISREADS[type_word]
    out = [choices[zlib.crc32(name.encode()) % len(choices)]]
    for w, word in enumerate(rest.split()):
        letters = []
        for i, ch in enumerate(word):
            base = unicodedata.normalize("NFD", ch.lower())
            plain = "đ" if base[0] == "đ" else unicodedata.normalize("NFC", base.replace("\u0300", "").replace(
                "\u0301", "").replace("\u0303", "").replace("\u0309", "").replace("\u0323", ""))
            if len(base) == 1 and plain not in "ăâêôơưđ":
                letters.append(ch)  # an unmarked letter is read as printed
                continue
            options = _MISREADS.get(plain, plain)
            read = options[zlib.crc32(f"{name}{w}{i}".encode()) % len(options)]
            letters.append(read.upper() if ch.isupper() and read.isalpha() else read)
        word = "".join(letters)
        if word[0] in "Bl":
            word = {"B": "8", "l": "1"}[word[0]] + word[1:]
        out.append(word)
    return " ".join(out)


def test_garble_reads_as_the_seeds_ocr_does():
    form = garble("Xã Quảng Bình")
    assert form != unidecode(form) and not any(unicodedata.normalize("NFD", form).count(m) for m in "\u0300\u0309")
    assert garble("Xã Quảng Bình") == form  # deterministic
    assert garble("Phường Đông Sơn").split()[1][0] == "D"


# ---------------------------------------------------------------- the data


def _rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_2025_units_and_whom_they_took_over():
    new, old = _rows("gazetteer_thanh_hoa_2025.csv"), _rows("gazetteer_thanh_hoa.csv")
    assert len(new) == 166 and {r["commune_type"] for r in new} == {"Xã", "Phường"}
    assert all(r["predecessors"] for r in new)
    codes = {r["commune_code"] for r in new}
    assert {c for r in old for c in gazetteer().communes[r["commune_code"]].successors} == codes
    assert gazetteer().communes_2025["16543"].predecessors == ("16468", "16543", "16546", "16558")
    hac_thanh = gazetteer().communes_2025["14797"]
    assert (hac_thanh.name, hac_thanh.district, hac_thanh.district_code, hac_thanh.generation) == (
        "Phường Hạc Thành", "", "", "2025")
    assert "14758" in hac_thanh.predecessors  # Đông Thọ, split between Hạc Thành and Hàm Rồng
    for row in new:
        for value in row.values():
            assert value == unicodedata.normalize("NFC", value)


# ---------------------------------------------------------------- every unit, every form


@pytest.mark.parametrize("form", ["clean", "stripped", "garbled"])
def test_every_2025_unit_resolves_in_a_2026_document(form):
    wrong = {}
    for u in NEW_UNITS:
        text = {"clean": u.name, "stripped": unidecode(u.name), "garbled": garble(u.name)}[form]
        m = resolve_commune(text, year=2026)
        if m.unit is None or (m.unit.code, m.unit.generation) != (u.code, "2025") or m.needs_review:
            wrong[text] = (m.unit and m.unit.code, m.note)
    assert wrong == {}


def test_every_2025_unit_named_alone_in_a_table_of_2026():
    for u in NEW_UNITS:
        loc = parse_locality(u.name, year=2026)
        assert (loc.commune_code, loc.unit_generation, loc.district, loc.district_code) == (u.code, "2025", "", "")
        assert not loc.needs_review, (u.name, loc.note)


def test_every_2024_unit_resolves_as_before_in_a_2024_document():
    for u in OLD_UNITS:
        header = f"{u.district} ({u.name})"
        before, dated = parse_locality(header), parse_locality(header, year=2024)
        assert dated == before, header
        assert (before.commune_code, before.unit_generation) == (u.code, "2024"), (header, before.note)


# ---------------------------------------------------------------- by the document's date


def test_quang_binh_by_the_date():
    assert resolve_commune("xã Quảng Bình", year=2024).unit.code == "16468"
    assert resolve_commune("xã Quảng Bình").unit.code == "16468"  # no date given: the 2024 units, as before
    new = resolve_commune("xã Quảng Bình", year=2026)
    assert (new.unit.code, new.unit.generation, new.needs_review) == ("16543", "2025", False)
    assert resolve_commune("xã Quảng Bình", date=datetime.date(2025, 8, 15)).unit.code == "16543"
    assert resolve_commune("xã Quảng Bình", date=datetime.date(2025, 3, 1)).unit.code == "16468"
    undated = resolve_commune("xã Quảng Bình", when=Dating.of_document(None, None))
    assert undated.unit.code == "16468" and undated.needs_review
    assert "no date" in undated.note and "16543" in undated.note
    mid_year = resolve_commune("xã Quảng Bình", year=2025)  # no month: the new units, flagged
    assert mid_year.unit.code == "16543" and mid_year.needs_review and "16468" in mid_year.note


def test_a_commune_that_went_on_unchanged_is_no_doubt():
    tam_chung = resolve_commune("Xã Tam Chung", when=Dating.of_document(None, None))
    assert tam_chung.unit.code == "14848" and not tam_chung.needs_review


def test_a_2026_report_naming_a_merged_commune_writes_about_history():
    m = resolve_commune("xã Quảng Lưu", year=2026)
    assert (m.unit.code, m.unit.generation) == ("16543", "2024")
    assert m.needs_review and "Xã Quảng Bình (16543)" in m.note
    loc = parse_locality("Quảng Xương (xã Quảng Lưu)", year=2026)
    assert (loc.district_code, loc.commune_code, loc.unit_generation) == ("406", "16543", "2024")
    assert loc.needs_review


def test_the_type_written_tells_the_generations_apart():
    # no thị trấn is left after the reform: a 2026 report's "thị trấn Thường Xuân" is the old town
    town = resolve_commune("Thị trấn Thường Xuân", year=2026)
    assert (town.unit.code, town.unit.generation, town.needs_review) == ("15646", "2024", True)
    assert "Xã Thường Xuân (15646)" in town.note
    undated = Dating.of_document(None, None)
    assert not resolve_commune("Thị trấn Thường Xuân", when=undated).needs_review
    assert resolve_commune("Xã Thường Xuân", when=undated).unit.generation == "2025"
    assert resolve_commune("Thường Xuân", when=undated).needs_review  # no type, no date: either
    # a dated 2024 report's "xã" for its town is a slip, noted, the unit the old one
    slip = resolve_commune("Xã Thường Xuân", year=2024)
    assert (slip.unit.name, slip.unit.generation) == ("Thị trấn Thường Xuân", "2024")


def test_a_2024_report_naming_a_2025_unit_is_flagged():
    m = resolve_commune("Phường Hạc Thành", year=2024)
    assert m.unit.generation == "2025" and m.needs_review and "from 1 July 2025" in m.note
    plain = resolve_commune("Phường Hạc Thành")  # no date given: the one unit of that name, noted
    assert plain.unit.code == "14797" and not plain.needs_review


def test_a_district_named_in_a_later_document_means_its_own_commune():
    # Phường Ba Đình of Bỉm Sơn (14812) went into Phường Bỉm Sơn; Xã Ba Đình of 2025 lies in Nga Sơn
    loc = parse_locality("Bỉm Sơn (P. Ba Đình)", year=2026)
    assert (loc.district_code, loc.commune_code, loc.unit_generation) == ("381", "14812", "2024")
    assert parse_locality("Thọ Xuân", year=2026).commune_code == "15499"  # Xã Thọ Xuân, not the district
    assert parse_locality("Thọ Xuân").district_code == "395"


def test_the_date_line():
    assert detect_date("UBND XÃ QUẢNG BÌNH\nQuảng Bình, ngày 15 tháng 8 năm 2025") == datetime.date(2025, 8, 15)
    assert detect_date("Đông Hải, ngày    tháng 12 năm 2025") == datetime.date(2025, 12, 1)
    assert detect_date("Đông Hải, ngày    tháng    năm 2024") is None
    assert detect_date("Thực hiện Kế hoạch số 12/KH-UBND ngày 5 tháng 3 năm 2024") is None
    # a date that does not fit the reporting year is another document's
    assert Dating.of_document(2026, datetime.date(2023, 5, 1)).date is None
    assert Dating.of_document(2024, datetime.date(2025, 1, 10)).first == "2024"


# ---------------------------------------------------------------- the command


def test_places_command_by_year():
    run = CliRunner().invoke(main, ["places", "Phường Hạc Thành", "--year", "2026"])
    assert run.exit_code == 0
    assert run.output.split("\t")[:6] == ["", "", "Phường Hạc Thành", "14797", "", ""]
    old = CliRunner().invoke(main, ["places", "xã Quảng Bình", "--year", "2024"])
    assert old.exit_code == 0 and old.output.split("\t")[2:4] == ["Xã Quảng Bình", "16468"]
    undated = CliRunner().invoke(main, ["places", "xã Quảng Bình"])
    assert undated.exit_code == ExitCode.SOME_INPUTS_FAILED and "16543" in undated.output


# ---------------------------------------------------------------- a 2026 document


TABLE_2026 = """UBND TỈNH THANH HÓA
BẢNG TỔNG HỢP KẾT QUẢ MÔ HÌNH 3 KHÔNG CÁC XÃ, PHƯỜNG NĂM 2026



TT Nội dung chỉ tiêu Chỉ tiêu
Phường Hạc Thành
Xã Quảng Bình
Trước triển khai
Sau triển khai
Trước triển khai
Sau triển khai
1 Lãnh đạo, cán bộ, công chức được cấp chứng thư số 100% 80% 100% 90% 100%
2 Tỷ lệ người dân có điện thoại thông minh 80% trở lên 40% 85% 50,5% 81%
"""

PROSE_2025 = """UỶ BAN NHÂN DÂN
XÃ QUẢNG BÌNH
Số: 15/BC-UBND
Quảng Bình, ngày 15 tháng 8 năm 2025
BÁO CÁO
Kết quả triển khai mô hình 3 KHÔNG trên địa bàn xã Quảng Bình
UBND xã Quảng Bình báo cáo kết quả như sau:
- Tỷ lệ người dân có điện thoại thông minh: đạt 85%.
"""


def test_a_2026_table_of_new_units():
    records = document_records(text_to_pages(TABLE_2026), source_file="2026.txt", year=None).records
    values = [r for r in records if r.phase != "target"]
    assert {(r.commune, r.commune_code) for r in values} == {("Phường Hạc Thành", "14797"), ("Xã Quảng Bình", "16543")}
    assert all(r.unit_generation == "2025" and r.district == r.district_code == "" for r in values)
    assert all(r.successor_commune == r.successor_code == "" for r in values)
    assert not any(r.needs_review for r in values)


def test_an_undated_table_flags_a_name_of_both_generations():
    undated = TABLE_2026.replace(" NĂM 2026", "")
    values = [r for r in document_records(text_to_pages(undated), source_file="x.txt", year=None).records
              if r.phase != "target"]
    quang_binh = [r for r in values if r.commune == "Xã Quảng Bình"]
    # Phường Hạc Thành exists only since the reform: the table's names read as the 2025 units
    # (normalize.places.locality.names_generation), and the name of both generations stays flagged
    assert quang_binh and all((r.commune_code, r.unit_generation, r.needs_review) == ("16543", "2025", True)
                              for r in quang_binh)
    assert all("16468" in r.note and "only the 2025 generation" in r.note for r in quang_binh)
    alone = TABLE_2026.replace(" NĂM 2026", "").replace("Phường Hạc Thành", "Xã Na Mèo")  # names both have
    quang_binh = [r for r in document_records(text_to_pages(alone), source_file="x.txt", year=None).records
                  if r.commune == "Xã Quảng Bình" and r.phase != "target"]
    assert quang_binh and all((r.commune_code, r.unit_generation, r.needs_review) == ("16468", "2024", True)
                              for r in quang_binh)
    assert all("16543" in r.note for r in quang_binh)
    hac_thanh = [r for r in values if r.commune == "Phường Hạc Thành"]  # one unit of that name: no doubt
    assert hac_thanh and all((r.commune_code, r.unit_generation) == ("14797", "2025") for r in hac_thanh)


def test_a_report_dated_after_the_reform_is_its_new_commune():
    records = document_records(text_to_pages(PROSE_2025), source_file="qb.txt", year=None).records
    assert records and all((r.commune_code, r.unit_generation, r.district) == ("16543", "2025", "") for r in records)
    before = document_records(text_to_pages(PROSE_2025.replace("tháng 8 năm 2025", "tháng 3 năm 2025")),
                              source_file="qb.txt", year=None).records
    assert all((r.commune_code, r.unit_generation, r.district_code) == ("16468", "2024", "406") for r in before)
