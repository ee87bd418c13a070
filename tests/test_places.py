"""Localities resolved through the gazetteer, from the forms the seed documents use.

Headers are copied from the seeds: the summary table of deck_2023_text_layer.txt and
deck_2023_ocr_scan.txt, the pilot sentence of both, and plan_1327_2023_ocr_scan.txt.
"""
from __future__ import annotations

import csv
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.places.gazetteer import DATA_DIR, gazetteer
from normalize.places.locality import parse_locality
from normalize.places.names import canon, official_spelling
from normalize.places.resolve import resolve_commune, resolve_district
from normalize.text.fold import fold

DIEN_BIEN = ("Thành phố Thanh Hóa", "380", "Phường Điện Biên", "14767")
QUANG_LUU = ("Quảng Xương", "406", "Xã Quảng Lưu", "16543")
TAY_HO = ("Thọ Xuân", "395", "Xã Tây Hồ", "15523")
NGA_LIEN = ("Nga Sơn", "401", "Xã Nga Liên", "16159")
THIEU_TRUNG = ("Thiệu Hóa", "398", "Xã Thiệu Trung", "15841")

PILOTS = [
    # the summary table, text layer and OCR of the scan
    ("TP Thanh Hóa\n(P. Điện Biên)", DIEN_BIEN),
    ("Quảng Xương\n(xã Quảng Lưu)", QUANG_LUU),
    ("Thọ Xuân\n(xã Tây Hồ)", TAY_HO),
    ("Nga Sơn\n(xã Nga Liên)", NGA_LIEN),
    ("TP Thanh Hoa\n(P. Dién Bién)", DIEN_BIEN),
    ("Quing Xwong\n(xa Quing Luu)", QUANG_LUU),
    ("Tho Xuin\n(xa Tay Ho)", TAY_HO),
    ("Nga Son\n(xa Nga Lién)", NGA_LIEN),
    # the pilot sentence, text layer and OCR
    ("P. Điện Biên (TP. Thanh Hóa)", DIEN_BIEN),
    ("xã Quảng Lưu (huyện Quảng Xương)", QUANG_LUU),
    ("xã Tây Hồ (huyện Thọ\nXuân)", TAY_HO),
    ("xã Thiệu Trung (huyện Thiệu Hóa)", THIEU_TRUNG),
    ("xã Nga Liên (huyện Nga Sơn)", NGA_LIEN),
    ("P. Pién Bién (TP. Thanh Hoa)", DIEN_BIEN),
    ("xd Quang Luu (huyén Quang Xuong)", QUANG_LUU),
    ("xa Tay Ho (huyén Tho\nXuan)", TAY_HO),
    ("xa Thiéu Trung (huyén Thiéu Héa)", THIEU_TRUNG),
    ("xa Nga Lién (huyén Nga Son)", NGA_LIEN),
    # plan 1327, OCR
    ("Phuong Pién Bién (Thanh phd Thanh Héa)", DIEN_BIEN),
    ("x& Thiéu Trung (huyén\nThiéu Hoa)", THIEU_TRUNG),
    ("x& Nga Lién (huyén Nga Son)", NGA_LIEN),
    # other spellings of the same units
    ("(P. Dién Bién)", DIEN_BIEN),
    ("Phường Điện Biên, thành phố Thanh Hoá", DIEN_BIEN),
    ("Quang Xudng (xa Quang Lwu)", QUANG_LUU),
    ("UBND xã Thiệu Trung", THIEU_TRUNG),
]


@pytest.mark.parametrize("text,expected", PILOTS)
def test_pilot_localities_resolve_from_clean_and_ocr_forms(text, expected):
    loc = parse_locality(text)
    assert (loc.district, loc.district_code, loc.commune, loc.commune_code) == expected
    assert not loc.needs_review, loc.note
    assert loc.score >= 85


@pytest.mark.parametrize("text", ["Thiệu Hóa\n(xã Thiệu Chung)", "Thiéu Hoa\n(xa Thiéu Chung)"])
def test_thieu_chung_is_kept_and_flagged_with_thieu_trung_named(text):
    loc = parse_locality(text)
    assert (loc.district, loc.district_code) == ("Thiệu Hóa", "398")
    assert loc.commune_code == "" and loc.needs_review
    assert fold(loc.commune) == "xa thieu chung"  # kept as written, never renamed
    assert "not in gazetteer" in loc.note
    assert "closest in Thiệu Hóa: Xã Thiệu Trung (15841" in loc.note


def test_unknown_clean_name_is_not_read_as_its_neighbour():
    m = resolve_commune("Thiệu Chung", district="Thiệu Hóa")
    assert m.unit is None and m.needs_review
    assert m.written == "Xã Thiệu Chung"
    assert m.candidates[0].code == "15841"
    # A typed name one vowel away from a unit is still a different name.
    assert resolve_commune("xã Thiệu Trang", district="398").unit is None


@pytest.mark.parametrize("text", [
    "Phường Đông Hải", "PHƯỜNG ĐÔNG HẢI", "Đông Hải", "P. Dong Hai (TP Thanh Hoa)",
    "phuong D6ng Hai", "Đông Hải (TP Thanh Hóa)",
])
def test_dong_hai_is_a_ward_of_thanh_hoa_city(text):
    loc = parse_locality(text)
    assert (loc.district, loc.district_code, loc.commune, loc.commune_code) == (
        "Thành phố Thanh Hóa", "380", "Phường Đông Hải", "14797")
    assert not loc.needs_review


# The report says "16/16 xã, thị trấn" without naming them: names from the gazetteer,
# OCR forms written the way the seed scans garble (ư->w, â->i, ô->6, ê->é, ư/ơ->d).
THUONG_XUAN = {
    "15607": ("Xã Bát Mọt", "xa Bat Mot", "xa Bét Mot"),
    "15610": ("Xã Yên Nhân", "xa Yen Nhan", "xa Yén Nhin"),
    "15619": ("Xã Xuân Lẹ", "xa Xuan Le", "xa Xuin Le"),
    "15622": ("Xã Vạn Xuân", "xa Van Xuan", "x4 Van Xuin"),
    "15628": ("Xã Lương Sơn", "xa Luong Son", "xa Lwong Son"),
    "15631": ("Xã Xuân Cao", "xa Xuan Cao", "xd Xuin Cao"),
    "15634": ("Xã Luận Thành", "xa Luan Thanh", "xa Luin Thinh"),
    "15637": ("Xã Luận Khê", "xa Luan Khe", "xa Luan Khé"),
    "15640": ("Xã Xuân Thắng", "xa Xuan Thang", "xa Xuan Thing"),
    "15643": ("Xã Xuân Lộc", "xa Xuan Loc", "xa Xuan L6c"),
    "15646": ("Thị trấn Thường Xuân", "thi tran Thuong Xuan", "TT Thwong Xuin"),
    "15649": ("Xã Xuân Dương", "xa Xuan Duong", "x& Xuan Dudng"),
    "15652": ("Xã Thọ Thanh", "xa Tho Thanh", "xa Th6 Thanh"),
    "15655": ("Xã Ngọc Phụng", "xa Ngoc Phung", "xa Ng6c Phung"),
    "15658": ("Xã Xuân Chinh", "xa Xuan Chinh", "xa Xuin Chinh"),
    "15661": ("Xã Tân Thành", "xa Tan Thanh", "xa Tin Thinh"),
}
TX_CASES = [
    (form, district, code, names[0])
    for code, names in THUONG_XUAN.items()
    for form, district in zip(names, ("Thường Xuân", "huyen Thuong Xuan", "huyén Thwong Xuin"))
]


def test_thuong_xuan_has_exactly_these_sixteen_communes():
    units = [u for u in gazetteer().communes.values() if u.district_code == "396"]
    assert {u.code: u.name for u in units} == {c: n[0] for c, n in THUONG_XUAN.items()}


@pytest.mark.parametrize("form,district,code,name", TX_CASES)
def test_thuong_xuan_communes_resolve_in_their_district(form, district, code, name):
    loc = parse_locality(f"{form} ({district})")
    assert (loc.district, loc.district_code, loc.commune_code, loc.commune) == ("Thường Xuân", "396", code, name)
    assert not loc.needs_review, loc.note


def test_a_name_in_two_districts_needs_its_district():
    alone = resolve_commune("Phú Xuân")
    assert alone.unit is None and alone.needs_review
    assert {u.code for u in alone.candidates} == {"14890", "15577"}
    assert "14890" in alone.note and "15577" in alone.note
    assert resolve_commune("Phú Xuân", district="Thọ Xuân").unit.code == "15577"
    assert resolve_commune("xa Phu Xuan", district="huyen Quan Hoa").unit.code == "14890"
    loc = parse_locality("Phu Xuan")
    assert loc.needs_review and loc.commune_code == "" and loc.district == ""
    assert parse_locality("Thọ Xuân (xã Phú Xuân)").commune_code == "15577"


def test_names_that_differ_only_by_tone_resolve_only_when_typed():
    assert resolve_commune("Hoằng Quý", district="Hoằng Hóa").unit.code == "15916"
    assert resolve_commune("Hoằng Quỳ", district="Hoằng Hóa").unit.code == "15886"
    stripped = resolve_commune("Hoang Quy", district="Hoằng Hóa")
    assert stripped.unit is None and stripped.needs_review and len(stripped.candidates) == 2


def test_a_commune_resolved_alone_brings_its_district():
    loc = parse_locality("Xã Quảng Lưu")
    assert (loc.district, loc.district_code, loc.commune_code) == ("Quảng Xương", "406", "16543")


def test_a_commune_named_in_the_wrong_district_is_flagged():
    m = resolve_commune("Quảng Lưu", district="Thọ Xuân")
    assert m.unit is None and m.needs_review
    assert "exists in another district: Xã Quảng Lưu in Quảng Xương (16543)" in m.note


def test_a_name_that_starts_like_a_type_is_not_cut():
    assert resolve_commune("Phượng Nghi").unit.code == "16240"
    assert resolve_commune("Phuong Nghi").unit.code == "16240"
    assert resolve_commune("Hoằng Phượng", district="Hoằng Hóa").unit.code == "15880"


@pytest.mark.parametrize("text,name,code", [
    ("Quing Xwong", "Quảng Xương", "406"), ("Thiéu Héa", "Thiệu Hóa", "398"),
    ("TP Sầm Sơn", "Thành phố Sầm Sơn", "382"), ("TX Bỉm Sơn", "Thị xã Bỉm Sơn", "381"),
    ("thị xã Nghi Sơn", "Thị xã Nghi Sơn", "407"), ("huyện Đông Sơn", "Đông Sơn", "405"),
    ("Thanh pho Thanh Hoéa", "Thành phố Thanh Hóa", "380"),
])
def test_districts_carry_their_type_only_when_not_a_huyen(text, name, code):
    m = resolve_district(text)
    assert (m.name, m.unit.code) == (name, code)


@pytest.mark.parametrize("text,code", [("Th1ệu Hóa", "398"), ("8á Thước", "386")])
def test_digits_read_as_letters_in_names(text, code):
    # A 1 inside a word is an i, an 8 starting one a B: as in `fold_ocr`.
    assert resolve_district(text).unit.code == code


def test_a_2025_name_points_back_to_the_2024_unit():
    m = resolve_commune("Thị trấn Hậu Hiền", district="Thiệu Hóa")
    assert (m.unit.code, m.unit.name) == ("15829", "Xã Minh Tâm")
    assert "in 2024: Xã Minh Tâm, Thiệu Hóa" in m.note
    # Đông Sơn joined the city on 1 Jan 2025; the row keeps the 2024 district of the code.
    loc = parse_locality("TP Thanh Hóa (xã Đông Hoàng)")
    assert (loc.district, loc.district_code, loc.commune_code) == ("Đông Sơn", "405", "16381")
    assert "in 2024: Xã Đông Hoàng, Đông Sơn" in loc.note


def test_typed_headers_keep_their_accents_and_ocr_can_be_declared():
    assert parse_locality("Nga Sơn (xã Nga Thanh)").commune_code == "16123"
    assert parse_locality("Nga Sơn (xã Nga Thành)").commune_code == "16141"
    assert parse_locality("Nga Son (xa Nga Thanh)").needs_review  # stripped: either one
    # OCR with a Vietnamese model keeps hats but still misreads letters.
    assert resolve_commune("Quảng Lứa", district="406").unit is None
    assert resolve_commune("Quảng Lứa", district="406", garbled=True).unit.code == "16543"


def test_successor_after_the_2025_reform():
    loc = parse_locality("Đông Sơn (xã Đông Hoàng)")
    assert (loc.commune_code, loc.successor_commune, loc.successor_code) == ("16381", "Phường Đông Sơn", "16378")


# ---------------------------------------------------------------- the committed data


def _rows():
    with open(DATA_DIR / "gazetteer_thanh_hoa.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_gazetteer_holds_the_2024_state():
    rows = _rows()
    assert len(rows) == 559 and len({r["commune_code"] for r in rows}) == 559
    districts = {r["district_code"]: r["district"] for r in rows}
    assert len(districts) == 27 and districts["405"] == "Huyện Đông Sơn"
    assert {r["commune_type"] for r in rows} == {"Xã", "Phường", "Thị trấn"}
    assert all(r["successor_code"] and r["successor_commune"] for r in rows)
    split = {r["commune_code"] for r in rows if r["successor_split"] == "true"}
    assert "14758" in split and "16543" not in split  # Đông Thọ was split, Quảng Lưu was not


def test_gazetteer_text_is_nfc_with_official_spelling():
    for row in _rows():
        for value in row.values():
            assert value == unicodedata.normalize("NFC", value) == official_spelling(value)
            assert "Ð" not in value and "Hoá" not in value


@pytest.mark.parametrize("text,expected", [
    ("Thanh Hoá", "Thanh Hóa"), ("Uỷ ban", "Ủy ban"), ("Cẩm Thuỷ", "Cẩm Thủy"),
    ("Quý Lộc", "Quý Lộc"), ("Hoằng Hoá", "Hoằng Hóa"), ("Ðông  Sơn", "Đông Sơn"), ("khoẻ", "khỏe"),
])
def test_official_spelling(text, expected):
    assert official_spelling(text) == expected


@given(st.text())
def test_official_spelling_is_idempotent_and_keys_are_ascii(text):
    once = official_spelling(text)
    assert official_spelling(once) == once
    assert canon(text).isascii()
