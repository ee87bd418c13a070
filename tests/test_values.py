"""Cells to values, and lines to cells, from the forms the deck seeds print.

Clean forms come from deck_2023_text_layer.txt, OCR forms from deck_2023_ocr_scan.txt.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.record import STATUSES
from normalize.text.values import ParsedValue, parse_value, split_label_and_values, tokenize_values


@pytest.mark.parametrize(
    "raw, value, qualifier",
    [
        ("99,5%", 99.5, ""),
        ("99.5%", 99.5, ""),
        ("100%", 100, ""),
        ("80,3%", 80.3, ""),
        ("84,76%", 84.76, ""),
        ("67,50%", 67.5, ""),
        ("100", 100, ""),
        ("100 %", 100, ""),
        ("| 100% |", 100, ""),
        ("80% trở lên", 80, ">="),
        ("80% tr¢ Ién", 80, ">="),
        ("75% tré 1en", 75, ">="),
        ("80% trd 16n", 80, ">="),
        ("80% trg 1én", 80, ">="),
        ("80% tro 1én", 80, ">="),
        ("60% tré 1n", 60, ">="),
        ("75% tré lén", 75, ">="),
        ("' 30% trd 1én", 30, ">="),
        ("≥ 80%", 80, ">="),
        ("đạt 85% trở lên.", 85, ">="),
    ],
)
def test_values(raw, value, qualifier):
    parsed = parse_value(raw)
    assert parsed == ParsedValue(value, qualifier, "ok", False, "", raw)


@pytest.mark.parametrize(
    "raw,lost", [("60% lên", "trở"), ("60% 1en", "trở"), ("80% trở", "lên"), ("80% tro", "lên")]
)
def test_half_a_qualifier_is_kept_and_flagged(raw, lost):
    parsed = parse_value(raw)
    assert (parsed.value, parsed.qualifier, parsed.status, parsed.doubtful) == (int(raw[:2]), ">=", "ok", True)
    assert f"without '{lost}'" in parsed.note


def test_a_word_after_the_number_is_no_qualifier():
    parsed = parse_value("85% Lớp")
    assert (parsed.qualifier, parsed.doubtful) == ("", False)


def test_target_with_reference():
    parsed = parse_value("30% trở lên Theo QĐ số 1829")
    assert (parsed.value, parsed.qualifier, parsed.status) == (30, ">=", "ok")
    assert "Theo QĐ số 1829" in parsed.note


@pytest.mark.parametrize(
    "raw, status",
    [
        ("Lãnh đạo", "partial"),
        ("Lãnh đao", "partial"),
        ("Lanhdao", "partial"),
        ("Lanh dao", "partial"),
        ("Chưa có", "not_available"),
        ("Chua c6", "not_available"),
        ("Chuaco", "not_available"),
        ("Không", "none"),
        ("Khoéng", "none"),
        ("Khong", "none"),
        ("Chưa thực hiện", "not_implemented"),
        ("Chua thuc hién", "not_implemented"),
    ],
)
def test_status_words(raw, status):
    parsed = parse_value(raw)
    assert (parsed.value, parsed.qualifier, parsed.status, parsed.repaired) == (None, "", status, False)


@pytest.mark.parametrize("raw, value", [("6750%", 67.5), ("675%", 67.5), ("8476%", 84.76)])
def test_lost_decimal_comma_is_repaired_and_flagged(raw, value):
    parsed = parse_value(raw)
    assert parsed.value == pytest.approx(value)
    assert parsed.repaired and parsed.status == "ok"
    assert raw in parsed.note


@pytest.mark.parametrize(
    "raw",
    ["M", "gqe", "g0, o 15y", "goo. 416,", "", "   ", "Theo QP sb", "Chưa", "1829", "2.381", "60% 62%",
     "1000%", "100,5%", "Có", "15y"],
)
def test_unreadable_never_invents_a_number(raw):
    parsed = parse_value(raw)
    assert parsed.status == "unreadable" and parsed.value is None and not parsed.repaired
    assert parsed.note and parsed.raw == raw


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=30))
def test_no_digit_no_number(raw):
    parsed = parse_value(raw)
    assert parsed.value is None
    assert parsed.status in STATUSES


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=2), st.data())
def test_written_percentages_read_back(whole, places, data):
    frac = 0 if whole == 100 or places == 0 else data.draw(st.integers(0, 10**places - 1))
    text = f"{whole},{frac:0{places}d}%" if places else f"{whole}%"
    parsed = parse_value(text)
    assert parsed.status == "ok" and not parsed.repaired
    assert parsed.value == pytest.approx(whole + frac / 10**places)


@given(st.text(max_size=40))
def test_parse_never_fails(raw):
    parsed = parse_value(raw)
    assert parsed.status in STATUSES and parsed.qualifier in ("", ">=")
    assert (parsed.value is None) == (parsed.status != "ok")


# ---------------------------------------------------------------- lines to cells


@pytest.mark.parametrize(
    "line, cells",
    [
        ("80% trở lên 83% 85% 70% 82% 80% 80,3% 80% 83% 80% 84%",
         ["80% trở lên", "83%", "85%", "70%", "82%", "80%", "80,3%", "80%", "83%", "80%", "84%"]),
        ("100% Lãnh đạo 100% Lãnh đạo 100% Lãnh đao 100% 100% 100% Lãnh đạo 100%",
         ["100%", "Lãnh đạo", "100%", "Lãnh đạo", "100%", "Lãnh đao", "100%", "100%", "100%", "Lãnh đạo", "100%"]),
        ("3% 24% Chưa có 13% Chưa có 80,3% Không 82% Chưa có 42%",
         ["3%", "24%", "Chưa có", "13%", "Chưa có", "80,3%", "Không", "82%", "Chưa có", "42%"]),
        ("90% 99.5% | 99.7% | 90% | 100% | 90% 98% | 100% | 100% | 60% | 100%",
         ["90%", "99.5%", "99.7%", "90%", "100%", "90%", "98%", "100%", "100%", "60%", "100%"]),
        ("60% 62% | 6750% | M | gqe", ["60%", "62%", "6750%", "M", "gqe"]),
        ("| Lanhdao| 100% |Lanhdao|", ["Lanhdao", "100%", "Lanhdao"]),
        ("3% 24% Chua c6 13% Chua c6 80,3% Khoéng 82% Chua c6 42%",
         ["3%", "24%", "Chua c6", "13%", "Chua c6", "80,3%", "Khoéng", "82%", "Chua c6", "42%"]),
        ("60% trở lên 70% 75% 50% 60% Chưa có 60% 62% 67,50% Chưa thực hiện 91%",
         ["60% trở lên", "70%", "75%", "50%", "60%", "Chưa có", "60%", "62%", "67,50%", "Chưa thực hiện", "91%"]),
        ("30% trở lên Theo QĐ số 1829 3% 24%", ["30% trở lên Theo QĐ số 1829", "3%", "24%"]),
        ("80%trở lên 90%", ["80% trở lên", "90%"]),
        ("", []),
    ],
)
def test_tokenize_values(line, cells):
    assert tokenize_values(line) == cells


# (line, label, number of cells) from both decks' summary tables.
SPLITS = [
    ("6 Tỷ lệ người dân có điện thoại thông minh 80% trở lên 83% 85% 70% 82% 80% 80,3% 80% 83% 80% 84%",
     "6 Tỷ lệ người dân có điện thoại thông minh", 11),
    ("Tỷ lệ người dân trên 15 tuổi có tài khoản giao dịch 75% trở lên 72% 80% 61,6% 80% 43% 75,2% 63% 77% 65% 82%",
     "Tỷ lệ người dân trên 15 tuổi có tài khoản giao dịch", 11),
    ("Có điểm phát Wiffi công cộng tại các địa điểm quan trọng trong xã như UBND xã, nhà văn hóa, các điểm du lịch "
     "100% 100% 100% 100% 100% 100% 100% 100% 100% 100% 100%",
     "Có điểm phát Wiffi công cộng tại các địa điểm quan trọng trong xã như UBND xã, nhà văn hóa, các điểm du lịch", 11),
    ("cấp chứng thư số 100% Lãnh đạo 100% Lãnh đạo 100% Lãnh đao 100% 100% 100% Lãnh đạo 100%", "cấp chứng thư số", 11),
    ("phương thức thanh toán không dùng tiền mặt 60% trở lên 70% 75% 50% 60% Chưa có 60% 62% 67,50% Chưa",
     "phương thức thanh toán không dùng tiền mặt", 10),
    ("Egiihii‘;’ tfuarns (})’ 0, cong chic duoc 100% | Lanhdao| 100% |Lanhdao| 100% |Lanhdao| 100% | 100% | 100% |Lanhdao| 100%",
     "Egiihii‘;’ tfuarns (})’ 0, cong chic duoc", 11),
    ("S 100% 100% | 100% | 100% | 100% | 100% | 100% | 100% | 100% | 100% | 100%", "S", 11),
    ("6 | Ty 1é nguoi dan co dién thoai thong minh 80% trg 1én 83% 85% 70% 82% 80% 80,3% 80% 83% 80% 84%",
     "6 | Ty 1é nguoi dan co dién thoai thong minh", 11),
    ("12 |truc tuyén dwoc dinh danh va xé4c thue dién|  80% trd 16n 100% 100% 60% 100% 60% 100% 60% 87% 60% 100%",
     "12 |truc tuyén dwoc dinh danh va xé4c thue dién", 11),
    ("Tỷ lệ người dân trên 15 tuổi có tài khoản", "Tỷ lệ người dân trên 15 tuổi có tài khoản", 0),
    ("10", "10", 0),
    ("16 100% 100% 100%", "16", 3),
    ("100 90% 80%", "", 3),
    ("1829", "1829", 0),
    ("KTS đóng góp 8,28% cho GRDP", "KTS đóng góp 8,28% cho GRDP", 0),
]


@pytest.mark.parametrize("line, label, count", SPLITS)
def test_split_label_and_values(line, label, count):
    got_label, cells = split_label_and_values(line)
    assert got_label == label
    assert len(cells) == count


@pytest.mark.parametrize(
    "line, label, first",
    [
        ("8 | N dii“t\"l; dan duge cap tai khoan dinh| g0, o 15y 75% 89% 30% 50% 60% 81,3% 72% 82% 85% 94%",
         "8 | N dii“t\"l; dan duge cap tai khoan dinh", "g0, o 15y"),
        ("1o [Uin tuyén truyén, tap huan, ddo tao ky ndng| g0, o1y 82% 90% 60% 90% 50% 90% 50% 87% 60% 100%",
         "1o [Uin tuyén truyén, tap huan, ddo tao ky ndng", "g0, o1y"),
        ("15 |1V 16 ho gia dinh thanh todn tién dien bang| goo. 416, 70% 75% 50% 60% | Chuaco | 60% 62% | 6750% | M | gqe",
         "15 |1V 16 ho gia dinh thanh todn tién dien bang", "goo. 416,"),
        ("9 [Ty 1¢ nguoi dan co chit ky dién tir cad nhan Theo QP sb 3% 24% Chua c6 13% Chua c6 80,3% Khoéng 82% Chua c6 42%",
         "9 [Ty 1¢ nguoi dan co chit ky dién tir cad nhan", "Theo QP sb"),
    ],
)
def test_garbled_target_recovered_when_one_cell_is_missing(line, label, first):
    assert len(split_label_and_values(line)[1]) == 10
    got_label, cells = split_label_and_values(line, expected=11)
    assert (got_label, len(cells), cells[0]) == (label, 11, first)
    assert parse_value(cells[0]).status == "unreadable"


def test_expected_trims_extra_leading_cells():
    label, cells = split_label_and_values("Tỷ lệ trên 15 100% 90%", expected=2)
    assert (label, cells) == ("Tỷ lệ trên 15", ["100%", "90%"])


def test_clean_label_is_not_taken_for_a_cell():
    # Indicator 3 ends in "theo quy định)": no cell hides there.
    line = "tử (trừ văn bản mật theo quy định) 100% 100% 100%"
    assert split_label_and_values(line, expected=4) == ("tử (trừ văn bản mật theo quy định)", ["100%"] * 3)


@pytest.mark.parametrize("text,value,doubtful", [
    ("30% (9/30)", 30.0, False), ("96,77% (30/31)", 96.77, False), ("66,66% (2/3)", 66.66, False),
    ("12,5% (1.000/8.000 người)", 12.5, False),
    ("0% (9/30)", 0.0, True),  # a seal over the "3": the count says what the figure was
    ("50% (3/2)", 50.0, True),
    # 11/16 is 68.75%: printed rounded or truncated it checks; a digit read one too high does not.
    ("68,75% (11/16)", 68.75, False), ("68,8% (11/16)", 68.8, False), ("68,7% (11/16)", 68.7, False),
    ("68,76% (11/16)", 68.76, True), ("68,9% (11/16)", 68.9, True), ("68,74% (11/16)", 68.74, True),
    ("68,73% (11/16)", 68.73, True),
])
def test_a_percentage_with_its_count_is_checked_against_it(text, value, doubtful):
    parsed = parse_value(text)
    assert (parsed.value, parsed.status, parsed.doubtful) == (value, "ok", doubtful)
    assert ("read wrong" in parsed.note) == doubtful
