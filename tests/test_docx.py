"""Word-processor inputs: .docx paragraphs and merged-cell tables; .doc needs LibreOffice."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from extract.documents.docx import LIBREOFFICE_HINT, convert_doc, read_docx, read_word, word_to_result
from extract.errors import InputError
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


def _fake_soffice(folder: Path, body: str) -> None:
    folder.mkdir(exist_ok=True)
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)


def test_libreoffice_runs_with_a_throw_away_profile_and_home(samples, tmp_path, monkeypatch):
    log = tmp_path / "args.txt"
    # The fake writes its arguments and home, then the .docx (the sample) where it was asked to.
    _fake_soffice(tmp_path / "bin", f'printf "%s\\n" "$@" "HOME=$HOME" > {log}\n'
                                    'while [ $# -gt 0 ]; do [ "$1" = --outdir ] && dir="$2"; shift; done\n'
                                    f'cp {samples / "template_xuanduong_2024.docx"} "$dir/bao_cao.docx"\n')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    path = tmp_path / "bao_cao.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    doc = read_word(path)
    assert len(doc.tables) == 1
    args = log.read_text(encoding="utf-8").splitlines()
    (profile,) = [a for a in args if a.startswith("-env:UserInstallation=file:///")]
    (home,) = [a.removeprefix("HOME=") for a in args if a.startswith("HOME=")]
    where = Path(profile.removeprefix("-env:UserInstallation=file://"))
    assert where.parent == Path(home).parent and where.parent.parent == Path(tempfile.gettempdir()).resolve()
    assert not where.parent.exists()  # thrown away


def test_a_libreoffice_that_hangs_is_stopped_with_its_children(tmp_path, monkeypatch):
    pid_file = tmp_path / "child.pid"
    _fake_soffice(tmp_path / "bin", f"sleep 300 & echo $! > {pid_file}\nsleep 300\n")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    path = tmp_path / "bao_cao.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    started = time.monotonic()
    with pytest.raises(InputError, match="took more than 1s"):
        convert_doc(path, tmp_path, timeout=1)
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    for _ in range(50):  # killed: gone once init has reaped it
        if not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the child of the hung LibreOffice is still running")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_real_doc_leaves_nothing_in_the_users_home(samples, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(samples / "template_xuanduong_2024.docx")],
                   check=True, capture_output=True, timeout=120, env=dict(os.environ, HOME=str(home)))
    for leftover in home.iterdir():
        shutil.rmtree(leftover)
    monkeypatch.setenv("HOME", str(home))
    doc = read_word(tmp_path / "template_xuanduong_2024.doc")
    assert any("Tên đơn vị: UBND xã Xuân Dương" in p for p in doc.paragraphs)
    assert list(home.iterdir()) == []


def _with_header_table(samples: Path, path: Path) -> Path:
    """The sample template with its unit set in a borderless letterhead table (the district
    above the commune, beside the motto) and an intro naming the district twice."""
    import docx

    d = docx.Document(str(samples / "template_xuanduong_2024.docx"))
    for p in list(d.paragraphs)[:4]:  # the unit field, the motto and the date move into the table
        p._element.getparent().remove(p._element)
    head = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "UBND HUYỆN THƯỜNG XUÂN\nUBND XÃ XUÂN DƯƠNG",
                         (0, 1): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
                         (1, 0): "Số: 15/BC-UBND", (1, 1): "Xuân Dương, ngày 10 tháng 9 năm 2024"}.items():
        head.cell(r, c).text = text
    body = d.element.body
    body.remove(head._tbl)
    body.insert(0, head._tbl)
    d.paragraphs[2].insert_paragraph_before(
        "Thực hiện Kế hoạch số 123/KH-UBND của UBND huyện Thường Xuân về mô hình 3 Không trên địa bàn "
        "huyện Thường Xuân, UBND xã báo cáo kết quả như sau:")
    d.save(str(path))
    return path


def test_a_letterhead_table_names_the_unit(samples, tmp_path):
    """Issue 13: the commune named only in a letterhead table, the district in the intro:
    every value is the commune's, from the .docx and from its LibreOffice PDF alike."""
    import chitieu

    path = _with_header_table(samples, tmp_path / "xuanduong.docx")
    doc = read_docx(path)
    assert len(doc.tables) == 1 and doc.paragraphs[:2] == ("UBND HUYỆN THƯỜNG XUÂN", "UBND XÃ XUÂN DƯƠNG")
    inputs = [path]
    if shutil.which("soffice"):
        subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                       check=True, capture_output=True, timeout=120, env=dict(os.environ, HOME=str(tmp_path)))
        inputs.append(tmp_path / "xuanduong.pdf")
    records = chitieu.read([str(p) for p in inputs], jobs=1).records
    values = records[records.phase != "target"]
    assert len(values) == 32 * len(inputs)
    assert set(values.commune) == {"Xã Xuân Dương"} and not values.needs_review.any()
