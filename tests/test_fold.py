"""Folding Vietnamese text: output form, clean keys, and OCR keys.

The OCR strings are copied from deck_2023_ocr_scan.txt and their clean twins from
deck_2023_text_layer.txt (a ground-truth pair of the same slide deck).
"""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from normalize.indicators.catalogue import load_catalogue
from normalize.text.fold import fold, fold_ocr, nfc

# Labels of the deck's text layer, as the indicator list and the summary table print them.
CLEAN_LABELS = [
    "Lãnh đạo, cán bộ, công chức trên địa bàn cấp xã chỉ đạo, điều hành, xử lý công việc hoàn toàn trên môi trường điện tử",
    "Văn bản, hồ sơ công việc được tạo lập, xử lý, ký số trên môi trường điện tử (trừ văn bản mật theo quy định)",
    "Cán bô, công chức có hộp thư điện tử công vụ của các cơ quan Nhà nước",
    "Tỷ lệ người dân trên 15 tuổi có tài khoản giao dịch thanh toán tại ngân hàng hoặc tổ chức được phép khác",
    "Tỷ lệ người dân/doanh nghiệp được thông tin, tuyên truyền, tập huấn, đào tạo kỹ năng số cơ bản, được hướng dẫn sử dụng dịch vụ công trực tuyến",
    "Có điểm phát Wiffi công cộng tại các địa điểm quan trọng trong xã như UBND xã, nhà văn hóa, các điểm du lịch",
    "ĐỐI VỚI NGƯỜI DÂN, DOANH NGHIỆP",
    "TP Thanh Hóa (P. Điện Biên)",
    "Thiệu Hóa (xã Thiệu Chung)",
    "Trước thí điểm",
    "30% trở lên Theo QĐ số 1829",
] + [name for ind in load_catalogue() for name in ind.names]

# (OCR, clean twin): the key of the OCR form must equal the clean key.
EXACT_PAIRS = [
    ("POI VOI CHINH QUYEN SO", "ĐỐI VỚI CHÍNH QUYỀN SỐ"),
    ("Pién Bién", "Điện Biên"),
    ("Ty 1é nguoi dan co dién thoai thong minh", "Tỷ lệ người dân có điện thoại thông minh"),
    ("Ty 18 tiép nhan, giai quyét hd so truc", "Tỷ lệ tiếp nhận, giải quyết hồ sơ trực"),
    ("Ty 1& nguoi dan trén 15 tudi c6 tai khoan", "Tỷ lệ người dân trên 15 tuổi có tài khoản"),
    ("Ty 1¢ nguwoi dan/doanh nghiép", "Tỷ lệ người dân/doanh nghiệp"),
    ("cong chirc", "công chức"),
    ("xtr Iy van ban", "xử lý văn bản"),
    ("80% tro 1én", "80% trở lên"),
    ("80% trd 1én", "80% trở lên"),
    ("Theo QP sb 1829", "Theo QĐ số 1829"),
    ("dan $6", "dân số"),
    ("Can bo, cong chuc c6 hdp thu", "Cán bộ, công chức có hộp thư"),
    ("co6", "có"),
    ("Pa", "Đã"),
]

# (OCR, clean twin) too garbled for equality: the OCR key must be nearer the clean key
# than the plain fold of the OCR text is.
NEAR_PAIRS = [
    ("80% tr¢ Ién", "80% trở lên"),
    ("X3 héi s6", "Xã hội số"),
    ("Ty 1€ nguot dan co6 dién thoai thong minh", "Tỷ lệ người dân có điện thoại thông minh"),
    ("Ty 1€ nguot dan dugce cép tai khoan dinh danh dién tir", "Tỷ lệ người dân được cấp tài khoản định danh điện tử"),
    ("Vin ban, ho so cong vieéc duogc tao 1ap, xu 1y, ky s6", "Văn bản, hồ sơ công việc được tạo lập, xử lý, ký số"),
    ("Ty 1¢ doanh nghiép sir dung dich vu cong truc tuyén dwoc dinh danh va xé4c thue dién tir thong sudt",
     "Tỷ lệ doanh nghiệp sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử thông suốt"),
    ("Lanh dao, can bd, cong chire duge cap ching thu sb", "Lãnh đạo, cán bộ, công chức được cấp chứng thư số"),
    ("Ty 18 ho gia dinh thanh toan tién dién bang phuong thirc thanh toan khong dung tién mat",
     "Tỷ lệ hộ gia đình thanh toán tiền điện bằng phương thức thanh toán không dùng tiền mặt"),
]


def test_nfc_keeps_diacritics_and_fixes_eth():
    assert nfc("  \u00d0iện  Biên\n") == "Điện Biên"
    assert nfc("\u00f0ạt") == "đạt"
    assert nfc(unicodedata.normalize("NFD", "Thiệu Hóa")) == "Thiệu Hóa"
    assert nfc("xã\u200bQuảng") == "xãQuảng"
    assert nfc("") == ""


def test_fold():
    assert fold("Tỷ lệ người dân/doanh nghiệp") == "ty le nguoi dan doanh nghiep"
    assert fold("ĐỐI VỚI") == "doi voi"
    assert fold("\u00d0iện Biên") == "dien bien"
    assert fold("80,3%") == "80 3"


@pytest.mark.parametrize("name, key", [
    ("x& Thiéu Trung", "xa thieu trung"), ("phuong D6ng Hai", "phuong dong hai"), ("x4 Van Xuin", "xa van xuin"),
    ("$ơn", "son"), ("8á Thước", "ba thuoc"), ("Th1ệu Hóa", "thieu hoa"), ("Phường 3", "phuong 3"),
])
def test_fold_reads_misreads_in_names(name, key):
    assert fold(name, misreads=True) == key


def test_names_and_ocr_text_read_digits_with_one_table():
    assert fold("1y nguo1", misreads=True) == fold_ocr("1y nguo1") == "ly nguoi"


@pytest.mark.parametrize("label", CLEAN_LABELS)
def test_fold_ocr_leaves_clean_text_alone(label):
    assert fold_ocr(label) == fold(label)


@pytest.mark.parametrize("ocr, clean", EXACT_PAIRS)
def test_fold_ocr_undoes_seed_confusions(ocr, clean):
    assert fold_ocr(ocr) == fold(clean)


@pytest.mark.parametrize("ocr, clean", NEAR_PAIRS)
def test_fold_ocr_brings_garbled_labels_closer(ocr, clean):
    assert fuzz.ratio(fold_ocr(ocr), fold(clean)) > fuzz.ratio(fold(ocr), fold(clean))
    assert fuzz.ratio(fold_ocr(ocr), fold(clean)) >= 85


def test_smartphone_label_folds_close():
    ocr = fold_ocr("Ty 1€ nguot dan co6 dién thoai thong minh")
    assert ocr == "ty le nguot dan co dien thoai thong minh"
    assert fuzz.ratio(ocr, fold("Tỷ lệ người dân có điện thoại thông minh")) >= 95


@pytest.mark.parametrize("text", ["15", "80%", "99,5%", "2023", "1829/QĐ-UBND", "4G", "10h"])
def test_fold_ocr_keeps_numbers(text):
    assert fold_ocr(text) == fold(text)


vietnamese = st.text(
    alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĐƠ ,.%/()0123456789\u0300\u0301\u0303\u0309\u0323")
                             + ["ệ", "ố", "ử", "Ð", "ð", "€", "¢", "|"]),
    max_size=60,
)


@given(vietnamese)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(vietnamese)
def test_nfc_and_nfd_fold_alike(text):
    nfd = unicodedata.normalize("NFD", text)
    nfc_form = unicodedata.normalize("NFC", text)
    assert fold(nfd) == fold(nfc_form)
    assert fold_ocr(nfd) == fold_ocr(nfc_form)
    assert nfc(nfd) == nfc(nfc_form)


@given(vietnamese)
def test_keys_are_plain_ascii_words(text):
    for key in (fold(text), fold(text, misreads=True), fold_ocr(text)):
        assert key == key.strip() and "  " not in key
        assert all(c.isascii() and (c.isalnum() or c == " ") for c in key)
        assert key == key.lower()
