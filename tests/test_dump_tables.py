"""Summary tables in text dumps that are laid out differently from the deck."""
from __future__ import annotations

from extract.documents.dump import text_to_pages
from normalize.readers.dump_tables import pages_to_summaries
from normalize.readers.summary_records import summary_to_records

SUBSET = """BÁO CÁO KẾT QUẢ TRIỂN KHAI NĂM 2024
Các xã triển khai: xã Quảng Lưu (huyện Quảng Xương), xã Tây Hồ.



TT Nội dung chỉ tiêu Chỉ tiêu
Xã Hoằng Quỳ
Xã Nga Thanh
Trước triển khai
Sau triển khai
Trước triển khai
Sau triển khai
1 Lãnh đạo, cán bộ, công chức được cấp chứng thư số 100% 80% 100% 90% 100%
2 Tỷ lệ người dân có điện thoại thông minh 80% trở lên 40% 85% 50,5% 81%
3 Tỷ lệ hộ gia đình thanh toán tiền điện bằng phương thức
thanh toán không dùng tiền mặt 60% trở lên 20% Chưa có 30% 70%
"""


def _records(text: str):
    return [r for s in pages_to_summaries(text_to_pages(text)) for r in summary_to_records(s, source_file="x", year=2024)]


def test_subset_table_renumbered_keeps_label_ids():
    records = _records(SUBSET)
    assert sorted({r.indicator_id for r in records}) == [2, 6, 15]
    assert not any(r.needs_review for r in records if r.status == "ok")


def test_communes_without_district_from_the_table_page_only():
    records = _records(SUBSET)
    assert {r.commune for r in records if r.phase != "target"} == {"Xã Hoằng Quỳ", "Xã Nga Thanh"}
    assert all(r.commune_code for r in records if r.phase != "target")
    cell = next(r for r in records if r.indicator_id == 15 and r.commune == "Xã Hoằng Quỳ" and r.phase == "after")
    assert cell.status == "not_available" and cell.value is None
    cell = next(r for r in records if r.indicator_id == 6 and r.commune == "Xã Nga Thanh" and r.phase == "before")
    assert cell.value == 50.5


def test_prose_with_a_single_value_is_not_a_table():
    text = "Tỷ lệ người dân có điện thoại thông minh: đạt 85% trở lên.\n6 Tỷ lệ người dân có điện thoại thông minh 80% trở lên\n"
    assert pages_to_summaries(text_to_pages(text)) == []
