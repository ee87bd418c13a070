"""The unit of each row of the province's table of its new communes (issue 17, the variants'
findings): the total row, "Phường" as OCR garbles it, a bare name that was a district
before the reform, the title's lines a page without rules lets into the table's header,
and the unit a prose report names while telling what it was made from."""
from __future__ import annotations

import datetime
from dataclasses import replace

import pytest

from helpers import make_table
from normalize.places.dating import Dating
from normalize.places.gazetteer import gazetteer
from normalize.places.locality import parse_locality
from normalize.places.names import split_type
from normalize.readers.summary import grid_to_summary
from normalize.readers.summary_records import summary_to_records

AFTER = Dating(2025, datetime.date(2025, 10, 15))
BEFORE = Dating(2024, datetime.date(2024, 12, 20))
HEAD = [["TT", "Tên xã, phường", "CT1", "CT6", "CT12"]]


def _records(names: list[str], when: Dating, district: str = "", header=HEAD, spans=None):
    rows = [list(r) for r in header] + [[str(i + 1), n, "10%", "20%", "30%"] for i, n in enumerate(names)]
    return summary_to_records(grid_to_summary(make_table(rows, spans)), source_file="x.pdf", year=when.year,
                              district=district, when=when)


def _units(records) -> dict[str, tuple[str, str, str, bool]]:
    return {(r.commune or "(total)"): (r.district, r.commune_code, r.unit_generation, r.needs_review)
            for r in records}


# ---------------------------------------------------------------- 1. the total row


def test_the_total_row_is_the_provinces_own_figure():
    # "Toàn tỉnh" (any total row of a document after the reform, when no district is left)
    # is the province's figure: no district, no commune, nothing to review
    got = _units(_records(["Xã Văn Nho", "Phường Hải Bình", "Toàn tỉnh"], AFTER))
    assert got["(total)"] == ("", "", "", False)
    assert got["Xã Văn Nho"][1:3] == ("14974", "2025")
    got = _units(_records(["Xã Văn Nho", "Phường Hải Bình", "Tổng cộng"], AFTER))
    assert got["(total)"] == ("", "", "", False)


def test_a_total_row_of_a_district_table_is_the_districts():
    hint = next(d.code for d in gazetteer().districts.values() if d.contract_name == "Hậu Lộc")
    recs = _records(["Xã Đa Lộc", "Thị trấn Hậu Lộc", "Toàn huyện"], BEFORE, district=hint)
    total = [r for r in recs if r.commune == ""]
    assert total and {(r.district, r.district_code, r.needs_review) for r in total} == {("Hậu Lộc", hint, False)}
    # with no district named before the reform, whose total it is is a doubt, flagged
    recs = _records(["Xã Đa Lộc", "Thị trấn Hậu Lộc", "Tổng cộng"], BEFORE)
    assert all(r.needs_review for r in recs if r.commune == "")


# ---------------------------------------------------------------- 2. "Phường" garbled


@pytest.mark.parametrize("raw, name", [("Phwờng Hải Bình", "Hải Bình"), ("Phương Quảng Phú", "Quảng Phú"),
                                       ("Phườn g Hàm Rồng", "Hàm Rồng"), ("PHUƠNG Ngọc Sơn", "Ngọc Sơn")])
def test_a_garbled_phuong_is_the_type_word(raw, name):
    assert split_type(raw) == ("commune", "Phường", name)
    loc = parse_locality(raw, when=AFTER)
    assert loc.commune == f"Phường {name}" and loc.unit_generation == "2025" and loc.commune_code


@pytest.mark.parametrize("raw", ["Phượng Nghi", "Phuong Nghi", "Phùng Minh", "Phùng Giáo"])
def test_names_that_begin_with_those_letters_are_kept(raw):
    # the dot below of "Phượng" is no OCR of "Phường"; a name read so is still taken whole
    loc = parse_locality(raw, when=BEFORE)
    assert loc.commune.startswith("Xã ") and loc.commune_code and not loc.needs_review, loc


def test_a_table_of_garbled_types_reads_the_wards():
    got = _units(_records(["Phwờng Hải Bình", "Phương Quảng Phú", "Xã Văn Nho"], AFTER))
    assert got["Phường Hải Bình"] == ("", "16645", "2025", False)
    assert got["Phường Quảng Phú"][1:] == ("16522", "2025", False)


# ---------------------------------------------------------------- 3. a bare name that was a district


@pytest.mark.parametrize("bare", ["Thường Xuân", "Nông Cống", "Sầm Sơn", "Thuờng Xuân"])
def test_a_bare_former_districts_name_after_the_reform_is_the_new_unit(bare):
    recs = _records(["Xã Văn Nho", bare, "Phường Hải Bình"], AFTER)
    row = {(r.district, r.commune_code, r.unit_generation, r.needs_review) for r in recs
           if r.commune not in ("Xã Văn Nho", "Phường Hải Bình")}
    new = parse_locality(bare.replace("Thuờng", "Thường"), when=AFTER)
    assert row == {("", new.commune_code, "2025", False)}


def test_before_the_reform_it_is_still_the_old_districts_town_flagged():
    hint = next(d.code for d in gazetteer().districts.values() if d.contract_name == "Thường Xuân")
    recs = _records(["Xã Xuân Dương", "Thường Xuân", "Xã Luận Thành"], BEFORE, district=hint)
    town = {(r.commune, r.unit_generation, r.needs_review) for r in recs if "Thường Xuân" in r.commune}
    assert town == {("Thị trấn Thường Xuân", "2024", True)}


# ---------------------------------------------------------------- 4. the title in the header


def test_title_lines_in_the_header_do_not_turn_the_table():
    # A low-resolution page has no rules: the title's lines join the grid above the
    # headers, and the indicators' codes land over one column of their pair.
    header = [["", "BẢNG TỔNG HỢP KẾT QUẢ", None, "THỰC HIỆN", "MÔ HÌNH 3 KHÔNG CÁC XÃ, PHƯỜNG TỈNH", None, None, None],
              ["THANH HÓA NĂM 2025 (Kèm theo báo cáo của UBND tỉnh)", None, None, None, None, None, None, None],
              ["", "", "", "CT1", "CT6", "", "CT12", ""],
              ["TT", "Tên xã, phường", "Trước thí điểm", "Sau thí điểm", "Trước thí điểm", "Sau thí điểm",
               "Trước thí điểm", "Sau thí điểm"]]
    spans = {(0, 1): 2, (0, 4): 4, (1, 0): 8}
    names = ["Văn Nho", "Hồi Xuân", "Hải Bình", "Thọ Phú"]
    rows = [list(r) for r in header] + [[str(i + 1), n, "1%", "2%", "3%", "4%", "5%", "6%"]
                                        for i, n in enumerate(names)]
    summary = grid_to_summary(make_table(rows, spans))
    recs = summary_to_records(summary, source_file="x.pdf", year=2025, when=AFTER)
    assert {r.indicator_id for r in recs} == {1, 6, 12}
    assert {r.commune for r in recs} == {"Xã Văn Nho", "Xã Hồi Xuân", "Phường Hải Bình", "Xã Thọ Phú"}
    assert not any(r.needs_review for r in recs), {r.note for r in recs}


# ---------------------------------------------------------------- 5. the units it was made from


def test_the_letterhead_unit_not_the_one_it_was_made_from():
    # The new Xã Thắng Lợi keeps the code of the old Xã Tế Thắng: a sentence naming the old
    # units must not make one of them the reporting unit (nor add to the letterhead's weight).
    from normalize.places.unit import detect_unit
    new = next(u for u in gazetteer().communes_2025.values() if u.name == "Xã Thắng Lợi")
    old = gazetteer().communes[new.code]
    assert old.generation == "2024" and old.name != new.name
    lines = ["UỶ BAN NHÂN DÂN", f"{new.name.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Số: 12/BC-UBND", "BÁO CÁO",
             f"Kết quả thực hiện mô hình 3 không trên địa bàn xã {new.name.split(' ', 1)[1]}",
             f"{new.name} được thành lập từ ngày 01/7/2025 trên cơ sở sắp xếp xã {old.name.split(' ', 1)[1]}, "
             "và các xã lân cận."]
    loc = detect_unit(lines, garbled=True, when=AFTER)
    assert (loc.commune, loc.commune_code, loc.unit_generation) == (new.name, new.code, "2025"), loc


def test_names_that_fold_like_a_total_word_are_communes():
    got = _units(_records(["Xã Văn Nho", "Công Chinh", "Tống Sơn", "Phường Hải Bình", "Toàn tỉnh"], AFTER))
    assert got["Xã Công Chính"][1:3] == ("16369", "2025") and got["Xã Tống Sơn"][1:3] == ("15316", "2025")
    assert got["(total)"] == ("", "", "", False)


def test_an_undated_table_naming_units_only_the_2025_generation_has_reads_the_2025_units():
    """A 2026 table whose title's year the OCR cut short ("NĂM 202"): "Thọ Long" exists only
    since the reform, so "Na Mèo" is the 2025 unit too (same code, no district); a name both
    generations give different meanings stays flagged, as any undated document's."""
    from extract.model import Line, PageResult
    from normalize.places.locality import names_generation
    from normalize.readers.document import document_records

    assert names_generation(["Thọ Long", "Na Mèo", "Yên Định"]) == "2025"
    assert names_generation(["Thọ Long", "Nga Liên"]) == ""  # Nga Liên is gone since: no vote
    assert names_generation(["Nga Sơn (xã Nga Liên)", "Thọ Long"]) == ""  # a district named: 2024's way
    assert names_generation(["Na Mèo", "Sơn Điện"]) == ""  # names both generations have say nothing
    rows = [["TT", "Tên xã, phường", "1", "2", "—15"]]
    rows += [[str(i + 1), n, "10%", "20%", "30%"] for i, n in enumerate(["Thọ Long", "Na Mèo", "An Nông"])]
    title = "BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN MÔ HÌNH 3 KHÔNG CÁC XÃ, PHƯỜNG TỈNH THANH HÓA NĂM 202"
    page = PageResult(1, "ocr", "scan", (make_table(rows),), (Line(title, 1),), title)
    records = document_records([page], source_file="x.pdf", year=None).records
    got = _units(records)
    assert got["Xã Na Mèo"] == ("", "15013", "2025", False)
    assert got["Xã Thọ Long"][1:3] == ("15505", "2025")
    assert got["Xã An Nông"][1:] == ("15766", "2025", True)  # 2024's An Nông was 15709: flagged
    assert {r.indicator_id for r in records} == {1, 2, 15}  # "—15": a speck before the number


def test_what_a_scan_leaves_of_a_row_of_units_reads_as_that_row():
    """Seed 25's v0036 (a turned borderless scan): a speck read "E2" inside a name, the phase
    headings' row beside a header's lost "ng", and "Toàn tỉnh" whose "Toàn" the OCR dropped."""
    from normalize.readers.summary_parts import phase_row, place_text
    from extract.model import Cell

    assert place_text("Xã Cẩm\nE2\nTú") == "Xã Cẩm Tú"
    assert place_text("Xã Thượn\ng Ninh") == "Xã Thượng Ninh"
    cells = [Cell(0, k, 1, 1, t, (k * 10.0, 0.0, k * 10.0 + 10, 10.0), 90.0, 1)
             for k, t in enumerate(["ng", "Trước", "Sau", "Trước", "Sau"])]
    assert phase_row(cells) and not phase_row(cells[:1] + [replace(c, text="40%") for c in cells[1:]])
    header = [["TT", "Tên xã, phường", "CT1", "CT6", "CT12"], ["", "ng", "Trước", "Trước", "Trước"]]
    units = _units(_records(["Xã Cẩm\nE2\nTú", "Xã Yên\nNinh", "Tỉnh"], AFTER, header=header))
    assert set(units) == {"Xã Cẩm Tú", "Xã Yên Ninh", "(total)"}
    assert units["(total)"][:3] == ("", "", "") and units["(total)"][3]  # the province's, flagged
    assert not units["Xã Cẩm Tú"][3]
