"""Prose statements, formulas and the reporting unit, one function at a time."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from normalize.places.unit import detect_unit
from normalize.text.formulas import check_fraction, find_formula, parse_count
from normalize.readers.prose import Line, classify, lines_to_statements, statement_to_figures


def _figures(*lines: str):
    return [f for s in lines_to_statements([Line(t, 1) for t in lines]) for f in statement_to_figures(s)]


@pytest.mark.parametrize("text,verdict", [
    ("= 72599/33216 = 45,75%", "swapped"),
    ("= 33216/72599 = 45,75%", "ok"),
    ("= 946030/946030 = 100%", "ok"),
    ("= 23.113/25.000 = 92,45%", "ok"),  # thousands dots
    ("= 1.250/2.500 = 60%", "disagrees"),
    ("$= 23252/23252 = 100\\%$", "ok"),  # as a converter writes it
])
def test_formula_verdicts(text, verdict):
    from normalize.text.formulas import clean_formula_text

    _, check = find_formula(clean_formula_text(text))
    assert check.verdict == verdict
    if verdict == "swapped":
        assert "swapped" in check.note


def test_counts_in_vietnamese_notation():
    assert parse_count("946030") == 946030
    assert parse_count("23.113") == 23113
    assert parse_count("1.250.000") == 1250000


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_fraction_rounded_to_two_decimals_is_ok(num, den):
    stated = round(100 * num / den, 2)
    assert check_fraction(num, den, stated, 0.005 + 1e-6).verdict == "ok"


def test_items_are_matched_with_long_labels_and_formulas():
    figs = _figures(
        "- Tỷ lệ người dân có điện thoại thông minh/tổng số dân trong độ tuổi trưởng thành: 74%.",
        "- Tỷ lệ doanh nghiệp sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử",
        "thông suốt/tổng số doanh nghiệp 85%.",
        "- Tỷ lệ thuê bao điện thoại thông minh có sử dụng phần mềm an toàn thông tin mạng cơ bản.",
        "= 23252/23252 = 100%",
    )
    assert [classify(f).indicator_id for f in figs] == [6, 12, 13]
    assert [f.parsed.value for f in figs] == [74, 85, 100]
    assert figs[2].formula.verdict == "ok"


def test_other_wordings_of_other_communes():
    figs = _figures(
        "+ Tỷ lệ hộ gia đình thanh toán tiền điện bằng phương thức thanh toán không dùng tiền mặt: đạt 63,5%;",
        "+ Tỷ lệ người dân được cấp tài khoản định danh điện tử: đạt trên 90%;",
    )
    assert [classify(f).indicator_id for f in figs] == [15, 8]
    assert figs[0].parsed.value == 63.5
    assert figs[1].parsed.qualifier == ">="  # "trên 90%"


@pytest.mark.parametrize("sentence", [
    "Trước khi chưa thực hiện tỷ lệ mới chỉ đạt 22,7% đến nay tỷ lệ người dân thực hiện việc thanh toán "
    "không dùng tiền mặt đạt hơn 96,5%.",
    "- Mô hình khai báo tài khoản định danh điện tử VNeID cho người dân 100%.",
    "- Mô Thanh toán tiền điện, nước không dùng tiền mặt đạt 100%.",
    "- Tỷ lệ người dân: 80%.",  # too short to name one of nine "Tỷ lệ người dân …"
])
def test_narrative_figures_are_not_forced(sentence):
    figs = _figures(sentence)
    assert figs
    assert all(classify(f).indicator_id is None for f in figs)
    assert all(classify(f).reason for f in figs)


def test_ambiguous_label_is_not_forced():
    # between 12 (doanh nghiệp) and 14 (người dân): names neither
    figs = _figures("- Tỷ lệ sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử thông suốt: 75%")
    verdict = classify(figs[0])
    assert verdict.indicator_id is None and "alike" in verdict.reason


def test_wrapped_lines_and_blank_lines_join():
    sts = lines_to_statements([Line("- Có điểm phát Wifi công cộng tại các địa điểm quan trọng", 3), Line("", 3),
                               Line("trong xã như UBND xã, nhà văn hóa, các điểm du lịch: 100%.", 4),
                               Line("(Bảng thống kê chi tiết đính kèm)", 4)])
    assert len(sts) == 2
    figure = statement_to_figures(sts[0])[0]
    assert figure.page == 4 and classify(figure).indicator_id == 16


@pytest.mark.parametrize("lines,district,commune", [
    (["Số: /BC-UBND", "Thường Xuân, ngày tháng năm 2024", "BÁO CÁO",
      "Kết quả triển khai Mô hình “3 KHÔNG” trên địa bàn huyện Thường Xuân năm 2024",
      "Thực hiện Kế hoạch của UBND tỉnh Thanh Hóa …"], "Thường Xuân", ""),
    (["UỶ BAN NHÂN DÂN", "PHƯỜNG ĐÔNG HẢI", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Thực hiện Kế hoạch số 1248/KH-UBND của UBND thành phố Thanh Hóa"], "Thành phố Thanh Hóa", "Phường Đông Hải"),
    (["Tên đơn vị: UBND xã Xuân Dương, huyện Thường Xuân", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
     "Thường Xuân", "Xã Xuân Dương"),
    (["UBND HUYỆN NGA SƠN", "Số: 12/BC-UBND", "BÁO CÁO", "UBND huyện Nga Sơn báo cáo như sau:"], "Nga Sơn", ""),
])
def test_reporting_unit(lines, district, commune):
    unit = detect_unit(lines)
    assert unit is not None and unit.district == district and unit.commune == commune
    assert unit.district_code and bool(unit.commune_code) == bool(commune)


PLAN = "Thực hiện Kế hoạch số 123/KH-UBND của UBND huyện Thường Xuân về mô hình 3 Không trên địa bàn huyện Thường Xuân,"


def test_the_commune_a_letterhead_names_under_its_district_is_the_unit():
    """The intro names the district twice, the letterhead its commune under it: the
    narrower unit reports (issue 13: a .docx with all its values given to the district)."""
    lines = ["UBND HUYỆN THƯỜNG XUÂN", "UBND XÃ XUÂN DƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Số: 15/BC-UBND", "BÁO CÁO", PLAN, "UBND xã báo cáo kết quả như sau:"]
    unit = detect_unit(lines)
    assert (unit.district, unit.commune, unit.needs_review) == ("Thường Xuân", "Xã Xuân Dương", False)


@pytest.mark.parametrize("letterhead, named", [
    (["UBND XÃ XUÂN DƯƠNG", "UBND XÃ LƯƠNG SƠN"], "Xã Lương Sơn, Xã Xuân Dương"),  # two communes
    (["UBND XÃ HOẰNG PHỤ"], "Xã Hoằng Phụ (Hoằng Hóa)"),  # a commune of another district
])
def test_a_letterhead_that_disagrees_with_the_text_is_flagged(letterhead, named):
    lines = ["UBND HUYỆN THƯỜNG XUÂN", *letterhead, "BÁO CÁO", PLAN, "UBND huyện Thường Xuân báo cáo như sau:"]
    unit = detect_unit(lines)
    assert unit.district == "Thường Xuân" and unit.commune == "" and unit.needs_review
    assert f"the header names {named}" in unit.note


def test_a_commune_spelled_like_another_is_read_as_written_when_the_document_spells_it_so_twice():
    """OCR could have lost the mark of "Nga Thành"; the letterhead and the title agreeing on
    "Nga Thanh" have not. One reading alone leaves the district, flagged."""
    head = ["UBND HUYỆN NGA SƠN", "UBND XÃ NGA THANH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO"]
    title = "Kết quả triển khai Mô hình “3 KHÔNG” trên địa bàn xã Nga Thanh năm 2024"
    plan = "Thực hiện Kế hoạch số 242/KH-UBND của UBND huyện Nga Sơn trên địa bàn huyện Nga Sơn."
    twice = detect_unit([*head, title, plan])
    assert (twice.commune, twice.needs_review) == ("Xã Nga Thanh", True) and "read as written" in twice.note
    once = detect_unit([*head, plan])
    assert (once.district, once.commune, once.needs_review) == ("Nga Sơn", "", True)


def test_places_mentioned_in_passing_are_not_the_unit():
    lines = ["V. KẾT QUẢ TRIỂN KHAI THÍ ĐIỂM"] * 12 + [
        "P. Điện Biên (TP. Thanh Hóa), xã Quảng Lưu (huyện Quảng Xương), xã Tây Hồ (huyện Thọ Xuân)"]
    assert detect_unit(lines) is None


def test_a_number_split_by_the_ocr_is_flagged_not_joined():
    from normalize.readers.prose import Line, lines_to_statements, statement_to_figures

    (st,) = lines_to_statements([Line("- Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến: 9 5%.", 2, 91.0)])
    (fig,) = statement_to_figures(st)
    assert fig.parsed.value == 5 and fig.parsed.doubtful
    assert "'95%'" in fig.parsed.note
    (st,) = lines_to_statements([Line("- Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến: 95%.", 2, 91.0)])
    (fig,) = statement_to_figures(st)
    assert fig.parsed.value == 95 and not fig.parsed.doubtful
