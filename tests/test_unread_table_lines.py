"""Values stated in the lines of an OCR'd page whose table gave no value are flagged: such
lines are often the table's rows, read as statements of the page's unit."""
from __future__ import annotations

from extract.model import Line, PageResult
from helpers import make_table
from normalize.readers.document import document_records

# a deck's rows on a photo whose table was found only in part: two rows fell outside it
_LINES = ("Lãnh đạo, cán bộ, công chức được cấp chứng thư số 90%",
          "Văn bản, hồ sơ công việc được tạo lập, xử lý, ký số trên môi trường điện tử 100%")
_PARTIAL = make_table([["Trước", "Sau", "Trước", "Sau"], ["12%", "", "Chưa có", "4%"], ["", "7%", "", ""]])


def _page(source: str, tables) -> PageResult:
    title = "BÁO CÁO KẾT QUẢ THỰC HIỆN MÔ HÌNH 3 KHÔNG XÃ ĐÔNG YÊN, HUYỆN ĐÔNG SƠN NĂM 2024"
    lines = tuple(Line(t, 1, 90.0, (50.0, 100.0 + 20 * i, 500.0, 112.0 + 20 * i))
                  for i, t in enumerate((title, *_LINES)))
    return PageResult(1, source, "test", tuple(tables), lines, "\n".join(line.text for line in lines),
                      size=(595.0, 842.0))


def _stated(source: str, tables) -> list:
    return [r for r in document_records([_page(source, tables)], source_file="x.pdf", year=2024).records
            if r.phase == "reported"]


def test_statements_beside_a_table_that_gave_nothing_are_flagged():
    stated = _stated("ocr", [_PARTIAL])
    assert {r.indicator_id for r in stated} == {2, 3}
    assert all(r.needs_review and "page whose table gave no value" in r.note for r in stated)


def test_statements_of_a_page_without_a_table_or_with_a_text_layer_are_not():
    for source, tables in (("ocr", []), ("text", [_PARTIAL])):
        stated = _stated(source, tables)
        assert {r.indicator_id for r in stated} == {2, 3}
        assert not any("page whose table gave no value" in r.note for r in stated)


def _record(page: int, k: int, flagged: bool):
    from normalize.record import Record

    return Record("x.jpg", page, "Thanh Hóa", "", f"Xã {k}", "", "", 2024, 1 + k % 16, "n", "reported", 50.0, "",
                  "ok", "50%", "l", 90.0, 90.0, flagged, "low OCR confidence (40)" if flagged else "", "ocr")


def test_a_page_of_values_mostly_in_doubt_has_all_of_them_flagged():
    from normalize.readers.document import _flag_mostly_doubted

    bad = [_record(1, k, k < 6) for k in range(10)]  # 6 of 10 flagged
    good = [_record(2, k, k < 2) for k in range(10)]  # 2 of 10
    few = [_record(3, k, k < 2) for k in range(3)]  # too few values to tell
    out = _flag_mostly_doubted(bad + good + few)
    assert all(r.needs_review for r in out[:10])
    assert "page: 6 of its 10 values are in doubt" in out[9].note
    assert [r.needs_review for r in out[10:]] == [r.needs_review for r in good + few]
