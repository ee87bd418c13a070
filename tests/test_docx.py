"""Word-processor inputs: .docx paragraphs and merged-cell tables; .doc needs LibreOffice."""
from __future__ import annotations



from extract.documents.docx import LIBREOFFICE_HINT, read_docx, word_to_result
from extract.documents.plan import plan_document


def test_docx_tables_keep_merged_cells(samples):
    doc = read_docx(samples / "template_xuanduong_2024.docx")
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert (table.n_rows, table.n_cols) == (20, 6)
    head = {c.text: c for c in table.cells if c.row == 0}
    assert head["Kết quả thực hiện"].colspan == 2 and head["STT"].rowspan == 2
    band = next(c for c in table.cells if c.text == "ĐỐI VỚI CHÍNH QUYỀN")
    assert band.colspan == 5
    assert sum(1 for c in table.cells if c.text == "Kết quả thực hiện") == 1  # a merged cell appears once
    assert any("Tên đơn vị: UBND xã Xuân Dương" in p for p in doc.paragraphs)


def test_docx_paragraphs_in_order(samples):
    page = word_to_result(read_docx(samples / "report_thuongxuan_2024.docx"))
    lines = [line.text for line in page.lines if line.text]
    assert lines[0] == "Số: /BC-UBND"
    items = [t for t in lines if t.startswith("Tỷ lệ người dân có chữ ký điện tử")]
    assert items == ["Tỷ lệ người dân có chữ ký điện tử cá nhân/tổng số dân trong độ tuổi trưởng thành: "
                     "= 72599/33216 = 45,75% ."]


def test_legacy_doc_without_libreoffice_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    path = tmp_path / "bao_cao.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)  # an OLE2 header
    doc = plan_document(path)
    assert doc.tasks == () and doc.failed == LIBREOFFICE_HINT
    assert "libreoffice-writer" in doc.failed and "soffice" in doc.failed


def test_broken_docx_is_an_input_error(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    doc = plan_document(path)
    assert doc.failed.startswith("unreadable .docx")


def test_run_reports_missing_libreoffice(tmp_path, monkeypatch):
    from chitieu import runner

    monkeypatch.setattr("shutil.which", lambda name: None)
    path = tmp_path / "bao_cao.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    result = runner.run([str(path)], runner.Settings())
    assert result.failed_inputs == 1
    assert any("libreoffice-writer" in e.reason for e in result.errors)
