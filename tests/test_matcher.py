"""Labels to indicator ids, one at a time and table by table.

Row texts are built by hand from the seed lines: the "II. CHỈ TIÊU MÔ HÌNH" list and
the summary table "BẢNG TỔNG HỢP SỐ LIỆU…" of deck_2023_text_layer.txt and of
deck_2023_ocr_scan.txt (real OCR of a scan of the same deck). Wrapped labels are
joined; value cells are left out, as the caller splits them off first.
"""
from __future__ import annotations

import pytest

from normalize.indicators.catalogue import load_catalogue
from normalize.indicators.matcher import Match, label_scores, match_label, match_rows, similarity

# (number as printed, label): the list "II. CHỈ TIÊU MÔ HÌNH", text layer.
TEXT_LIST = [
    (1, "Lãnh đạo, cán bộ, công chức trên địa bàn cấp xã chỉ đạo, điều hành, xử lý công việc hoàn toàn trên môi trường điện tử"),
    (2, "Lãnh đạo, cán bộ, công chức được cấp chứng thư số"),
    (3, "Văn bản, hồ sơ công việc được tạo lập, xử lý, ký số trên môi trường điện tử (trừ văn bản mật theo quy định)"),
    (4, "Cán bô, công chức có hộp thư điện tử công vụ của các cơ quan Nhà nước"),
    (5, "Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến"),
    (6, "Tỷ lệ người dân có điện thoại thông minh"),
    (7, "Tỷ lệ người dân trên 15 tuổi có tài khoản giao dịch thanh toán tại ngân hàng hoặc tổ chức được phép khác"),
    (8, "Tỷ lệ người dân được cấp tài khoản định danh điện tử"),
    (9, "Tỷ lệ người dân có chữ ký điện tử cá nhân"),
    (10, "Tỷ lệ người dân/doanh nghiệp được thông tin, tuyên truyền, tập huấn, đào tạo kỹ năng số cơ bản, được hướng dẫn sử dụng dịch vụ công trực tuyến"),
    (11, "Tỷ lệ người dân/doanh nghiệp sử dụng nền tảng số trao đổi thông tin với các cơ quan chính quyền"),
    (12, "Tỷ lệ doanh nghiệp sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử thông suốt"),
    (13, "Tỷ lệ thuê bao điện thoại thông minh có sử dụng phần mềm an toàn thông tin mạng cơ bản"),
    (14, "Tỷ lệ người dân sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử thông suốt"),
    (15, "Tỷ lệ hộ gia đình thanh toán tiền điện bằng phương thức thanh toán không dùng tiền mặt"),
    (16, "Có điểm phát Wiffi công cộng tại các địa điểm quan trọng trong xã như UBND xã, nhà văn hóa, các điểm du lịch"),
]

# The summary table of the text layer wraps its labels at other places.
TEXT_SUMMARY = [
    (1, "Lãnh đạo, cán bộ, công chức trên địa bàn cấp xã chỉ đạo, điều hành, xử lý công việc hoàn toàn trên môi trường điện tử"),
    (2, "Lãnh đạo, cán bộ, công chức được cấp chứng thư số"),
    (3, "Văn bản, hồ sơ công việc được tạo lập, xử lý, ký số trên môi trường điện tử (trừ văn bản mật theo quy định)"),
    (4, "Cán bô, công chức có hộp thư điện tử công vụ của các cơ quan Nhà nước"),
    (5, "Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến"),
    (6, "Tỷ lệ người dân có điện thoại thông minh"),
    (7, "Tỷ lệ người dân trên 15 tuổi có tài khoản giao dịch thanh toán tại ngân hàng hoặc tổ chức được phép khác"),
    (8, "Tỷ lệ người dân được cấp tài khoản định danh điện tử"),
    (9, "Tỷ lệ người dân có chữ ký điện tử cá nhân Theo QĐ số 1829"),
    (10, "Tỷ lệ người dân/doanh nghiệp được thông tin, tuyên truyền, tập huấn, đào tạo kỹ năng số cơ bản, được hướng dẫn sử dụng dịch vụ công trực tuyến"),
    (11, "Tỷ lệ người dân/doanh nghiệp sử dụng nền tảng số trao đổi thông tin với các cơ quan chính quyền"),
    (12, "Tỷ lệ doanh nghiệp sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử thông suốt"),
    (13, "Tỷ lệ thuê bao điện thoại thông minh có sử dụng phần mềm an toàn thông tin mạng cơ bản"),
    (14, "Tỷ lệ người dân sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử thông suốt"),
    (15, "Tỷ lệ hộ gia đình thanh toán tiền điện bằng phương thức thanh toán không dùng tiền mặt"),
    (16, "Có điểm phát Wiffi công cộng tại các địa điểm quan trọng trong xã như UBND xã, nhà văn hóa, các điểm du lịch"),
]

# OCR of the list: row 1's number became "|", row 9's label is noise, row 10 lost its
# number, row 11's label is split around a stray value line.
OCR_LIST = [
    (None, "| Lanh dao, can by, cong churc trén dia ban cép x4 chi dao, diéu hanh, xu 1y cong viéc hoan toan trén moi truong dién tu"),
    (2, "Lanh dao, can bd, cong chire duge cap ching thu sb"),
    (3, "Vin ban, ho so cong vieéc duogc tao 1ap, xu 1y, ky s6 trén moi truong dién tu (trr van ban mat theo quy dinh)"),
    (4, "Can bo, cong chuc c6 hdp thu dién tir cong vu cuia cac co quan Nha nudce"),
    (5, "| Ty 1é tiép nhan, giai quyét hd so truc tuyén"),
    (6, "Ty 1€ nguot dan co6 dién thoai thong minh"),
    (7, "T\\}’/ 1& ngvuz(‘)iK dén, trén 15 tu?)i co ’té‘li khoan giao dich thanh toan tai ngan hang hoac t6 churc dugc phep khac"),
    (8, "Ty 1€ nguot dan dugce cép tai khoan dinh danh dién tir"),
    (None, "Ty 124 nao1rcvt dan ~A ~hey Y7 AdA1A0 0% ~d nhAan"),
    (None, "Ty 1¢ nguwoi dan/doanh nghiép dwoce thong tin, tuyén truyén, tip huin, dao tao k¥ niing sé co ban, dwgc huéng din sir dung dich vu cdng true tuyén"),
    (11, "Ty 1¢ nguoi dan/doanh nghiép str dung nén tang sb trao d6i thong tin s , A V61 cac co quan chinh quyén"),
    (12, "T‘y le,’: doanh n.gihlevp sui dung fllch vu cong truc tuyén dugce dinh danh va xac thuc dién tir thong suodt"),
    (13, "T}i 1€ tl.lue bao di¢n 7thogu thong minh c6 st dung phan mém an toan thong tin mang co ban"),
    (14, "T?I 1€ ngu:(?’lA darql su’Adung 2:11ch vu cong truc tuyén duge dinh danh va xac thuc dién tir thong suot"),
    (15, "Ty}@ ho‘ gia imh t{lanh toan tién dién bang phuong thirc thanh toan khong dung tién mat"),
    (16, "C6 diém phat Wiffi cong cong tai cac dia diém quan trong trong xa nhu UBND x4. nha vin hoa. cac diém du lich"),
]

# OCR of the summary table: rows 1-5 have no number, rows 2 and 4 are noise, the
# number of rows 7-14 sits on the middle line of the wrapped label, and row 10's "1o"
# reads as 1.
OCR_SUMMARY = [
    (None, "Lanh dao, can bg, cong chic trén dia ban cap xa chi dao, diéu hanh, xir ly S dién tir"),
    (None, "Egiihii‘;’ tfuarns (})’ 0, cong chic duoc"),
    (None, "Van ban, hd so cong viéc dugc tao 1ap, xit Iy, ky s6 trén moi truong dién tur (trir van ban mat theo quy dinh)"),
    (None, "S;::gbvoﬁ ‘;zzgc i“;‘; Zi:g‘l’\\l:‘;n‘ﬂzz w"),
    (None, "Ty 18 tiép nhan, giai quyét hd so truc tuyén"),
    (6, "Ty 1é nguoi dan co dién thoai thong minh"),
    (7, "Ty 1& nguoi dan trén 15 tudi c6 tai khoan giao dich thanh toan tai ngan hang hodc t5| churc duge phép khac"),
    (8, "T» l;\\ \\. A A t‘- kh ” o h N dii“t\"l; dan duge cap tai khoan dinh"),
    (9, "[Ty 1¢ nguoi dan co chit ky dién tir cad nhan Theo QP sb 1829"),
    (1, "Ty 1€ nguoi dan/doanh nghiép dugc thong ti én truyén, tap huén, dio tao ky na [Uin tuyén truyén, tap huan, ddo tao ky ndng s0 co ban, dugc hudng dan st dung dich vu cong truc tuyén"),
    (11, "Ty 18 nguoi dan/doanh nghiép sir dung nén |tang sb trao ddi thong tin véi cac co quan| chinh quyén"),
    (12, "Ty 1¢ doanh nghiép sir dung dich vu cong |truc tuyén dwoc dinh danh va xé4c thue dién| tir thong sudt"),
    (13, "Ty 1¢ thué bao di¢n thoai thong minh c6 s |dung phin mém an toan théng tin mang co| ban"),
    (14, "Ty 1€ nguoi dan str dung dich vu cong truc |tuyén duoc dinh danh va xac thyc dién tir| thong sudt"),
    (15, "|1V 16 ho gia dinh thanh todn tién dien bang| phuong thirc thanh todn khong dung tién mat thuc hién"),
    (16, "C6 diém phat Wiffi cong cong tai cac dia |diém quan trong trong xd nhw UBND x4, nha van hoa, cac diém du lich"),
]

TABLES = {"text_list": TEXT_LIST, "text_summary": TEXT_SUMMARY, "ocr_list": OCR_LIST, "ocr_summary": OCR_SUMMARY}


def ids(matches: list[Match | None]) -> list[int | None]:
    return [m.indicator_id if m else None for m in matches]


@pytest.mark.parametrize("table", TABLES)
def test_every_row_of_both_decks_gets_its_id(table):
    assert ids(match_rows(TABLES[table])) == list(range(1, 17))


@pytest.mark.parametrize("table", TABLES)
def test_rows_without_numbers_still_match(table):
    rows = [(None, text) for _, text in TABLES[table]]
    assert ids(match_rows(rows)) == list(range(1, 17))


@pytest.mark.parametrize("table", TABLES)
def test_continuation_page(table):
    assert ids(match_rows(TABLES[table][5:])) == list(range(6, 17))


def test_dropped_row_leaves_a_gap():
    rows = OCR_SUMMARY[:3] + OCR_SUMMARY[4:]
    assert ids(match_rows(rows)) == [1, 2, 3] + list(range(5, 17))


def test_noise_rows_take_their_place_and_keep_a_low_score():
    matches = match_rows(OCR_SUMMARY)
    row4 = matches[3]
    assert row4.indicator_id == 4 and row4.by_position
    assert row4.score < 50
    assert matches[8 - 1].score < 75  # row 8: half its label is noise
    assert all(m.score >= 80 for m in matches if m.indicator_id in (1, 3, 5, 6, 7, 11, 12, 13, 14, 16))


def test_noise_row_in_ocr_list():
    match = match_rows(OCR_LIST)[8]
    assert match.indicator_id == 9 and match.score < 70


def test_wrong_number_loses_to_the_order():
    # "1o" read as 1 after row 9: the order forbids id 1.
    assert match_rows(OCR_SUMMARY)[9].indicator_id == 10


def test_number_decides_between_look_alikes():
    # The OCR'd label of row 14 hardly says "người dân"; its number settles it.
    assert ids(match_rows([(14, OCR_LIST[13][1])])) == [14]
    assert ids(match_rows([(12, OCR_LIST[11][1])])) == [12]


def test_more_rows_than_ids():
    rows = [(None, text) for _, text in TEXT_LIST] + [(None, "Tổng cộng")]
    matches = match_rows(rows)
    assert ids(matches).count(None) == 1
    assert sorted(i for i in ids(matches) if i) == list(range(1, 17))


def test_empty_table():
    assert match_rows([]) == []


@pytest.mark.parametrize("number, label", TEXT_LIST + TEXT_SUMMARY)
def test_clean_label_alone_beats_its_runner_up(number, label):
    match = match_label(label)
    assert match.indicator_id == number
    assert match.score >= 95
    assert match.score - match.runner_up_score >= 5


# Every OCR label with a trustworthy number, except the summary's row 8 (half noise:
# there its number decides).
OCR_NUMBERED = [r for r in OCR_LIST + OCR_SUMMARY[5:] if r[0] and r[0] > 1 and "dii" not in r[1]]


@pytest.mark.parametrize("number, label", OCR_NUMBERED)
def test_ocr_label_alone(number, label):
    assert match_label(label).indicator_id == number


@pytest.mark.parametrize(
    "label, expected",
    [
        # longer than the canonical name (district report, 2024)
        ("Tỷ lệ người dân có điện thoại thông minh/tổng số dân trong độ tuổi trưởng thành", 6),
        ("Tỷ lệ doanh nghiệp sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử thông suốt/tổng số doanh nghiệp", 12),
        ("Tỷ lệ người dân sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử thông suốt/tổng số dân trong độ tuổi trưởng thành", 14),
        ("Tỷ lệ người dân có chữ ký điện tử cá nhân/tổng số dân trong độ tuổi trưởng thành", 9),
        # only the first line of a wrapped cell
        ("Tỷ lệ doanh nghiệp sử dụng dịch vụ công", 12),
        ("Tỷ lệ người dân sử dụng dịch vụ công trực", 14),
        ("Tỷ lệ người dân/doanh nghiệp được thông", 10),
        ("Tỷ lệ người dân/doanh nghiệp sử dụng nền", 11),
        # a variant
        ("Tỷ lệ dân số trưởng thành có sử dụng dịch vụ công trực tuyến", 14),
        ("Tỷ lệ người dân có chữ ký số cá nhân", 9),
    ],
)
def test_long_labels_fragments_and_variants(label, expected):
    match = match_label(label)
    assert match.indicator_id == expected
    assert match.runner_up_id != expected and match.score > match.runner_up_score


def test_match_fields():
    match = match_label("Tỷ lệ người dân có chữ ký số cá nhân")
    assert match.name == load_catalogue().get(9).name
    assert match.matched == "Tỷ lệ người dân có chữ ký số cá nhân"  # the variant
    assert match.score == 100
    assert 0 <= match.runner_up_score < match.score
    assert match.margin == match.score - match.runner_up_score
    assert not match.by_position


def test_score_cutoff_and_empty_labels():
    assert match_label("Tỷ lệ người dân có điện thoại thông minh", score_cutoff=99) is not None
    assert match_label("xyz qwerty", score_cutoff=60) is None
    assert match_label("") is None
    assert match_label("   |  ") is None


def test_short_fragments_score_low():
    assert match_label("Tỷ lệ").score < 40
    assert match_label("Tỷ lệ người dân").score < 70


def test_injected_scorer_and_scores():
    scores = label_scores("Tỷ lệ người dân có điện thoại thông minh")
    assert set(scores) == set(range(1, 17)) and scores[6] == 100
    match = match_label("TY LE NGUOI DAN CO DIEN THOAI THONG MINH", scorer=lambda a, b: 100.0 * (a == b))
    assert match.indicator_id == 6
    assert similarity("", "abc") == 0
