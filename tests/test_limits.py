"""Limits (``extract.limits``): each hit is a one-line reason naming its option, for
that input or page alone; and an input that cannot be opened is an error, not a traceback."""
from __future__ import annotations

import builtins
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

import fake_tesseract
from extract.documents.plan import plan_document
from extract.errors import ExitCode, LimitExceeded
from extract.limits import MEGA, Limits

# Never played back (conftest): a fake tesseract on PATH fails on purpose: a recording would hide it.
pytestmark = pytest.mark.real_tesseract

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def declared_png(path: Path, width: int, height: int) -> Path:
    """A PNG whose header declares ``width`` × ``height`` pixels, with almost no data: a
    decompression bomb as Pillow sees it when the file is opened."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    return path


def test_a_document_over_the_page_limit_is_read_up_to_it(tmp_path):
    plan = plan_document(fake_tesseract.blank_pdf(tmp_path / "long.pdf", pages=25), limits=Limits(max_pages=10))
    assert [t.page_no for t in plan.tasks] == list(range(1, 11))
    (error,) = plan.errors
    assert (error.page, error.stage, error.kind) == (None, "input", "limit")
    assert error.reason == "the document has 25 pages, over the limit of 10 (--max-pages): only its first 10 are read"


def test_the_page_limit_holds_for_image_frames_and_dump_pages(tmp_path):
    frames = [Image.new("L", (60, 40), 255) for _ in range(3)]
    frames[0].save(tmp_path / "three.tif", save_all=True, append_images=frames[1:])
    plan = plan_document(tmp_path / "three.tif", limits=Limits(max_pages=2))
    assert len(plan.tasks) == 2 and "--max-pages" in plan.errors[0].reason
    (tmp_path / "five.txt").write_text("\f".join(f"trang {k}" for k in range(5)), encoding="utf-8")
    plan = plan_document(tmp_path / "five.txt", limits=Limits(max_pages=2))
    assert len(plan.pages) == 2 and "the document has 5 pages" in plan.errors[0].reason


def test_an_image_declared_huge_is_refused_before_it_is_decoded(tmp_path):
    path = declared_png(tmp_path / "bomb.png", 30000, 30000)
    plan = plan_document(path)
    assert not plan.tasks and not plan.failed
    (error,) = plan.errors
    assert (error.page, error.stage, error.kind) == (1, "extract", "limit")
    assert error.reason == ("image of 30000×30000 pixels (900 Mpx) is over the limit of 100 Mpx "
                            "(--max-megapixels): not read")
    from extract.imaging.render import load_image

    before = Image.MAX_IMAGE_PIXELS
    with pytest.raises(LimitExceeded, match=r"image of 30000×30000 pixels \(900 Mpx\) is over the limit of 100 Mpx "
                                             r"\(--max-megapixels\)"):
        load_image(path, max_pixels=100 * MEGA)  # checked on what it declares, before a pixel is decoded
    assert Image.MAX_IMAGE_PIXELS == before


def test_a_pdf_page_over_the_pixel_limit_is_rendered_smaller_or_refused():
    from extract.imaging.render import render_dpi

    assert render_dpi(595, 842, 300, 100 * MEGA) == 300  # A4
    fit = render_dpi(2384, 3370, 300, 100 * MEGA)  # A0: 139 Mpx at 300 dpi
    assert 240 <= fit < 300
    with pytest.raises(LimitExceeded, match=r"page of 30000×30000 pt is 125000×125000 pixels \(15,625 Mpx\) at "
                                            r"300 dpi, over the limit of 100 Mpx \(--max-megapixels\) even at 150 dpi"):
        render_dpi(30000, 30000, 300, 100 * MEGA)


def test_an_enlarged_page_stays_under_the_pixel_limit():
    from extract.imaging.preprocess import upscale

    image, dpi = upscale(Image.new("L", (1000, 1000), 255), 100, max_pixels=4 * MEGA)
    assert image.width * image.height <= 4 * MEGA and dpi == 200


@pytest.fixture
def fake_ocr_on_path(tmp_path, monkeypatch):
    bin_dir = fake_tesseract.install(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_a_huge_pdf_page_costs_only_itself(tmp_path, fake_ocr_on_path):
    import pypdfium2 as pdfium

    import chitieu

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(30000, 30000)
    pdf.new_page(410, 300)
    pdf.save(str(tmp_path / "huge.pdf"))
    result = chitieu.read(tmp_path / "huge.pdf", executor="serial", max_megapixels=1.5)
    (error,) = [e for e in result.run.errors if e.stage == "ocr"]  # (and: the document gave no value)
    assert error.page == 1 and "over the limit of 1.5 Mpx (--max-megapixels) even at 150 dpi" in error.reason
    (_, facts), = result.run.accounts
    page2 = next(f for f in facts if f.page == 2)
    assert "read at 251 dpi, not 300" in page2.how  # 2.1 Mpx at 300 dpi, over 1.5


def test_a_docx_over_the_unzipped_limit_is_refused(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(SAMPLES / "report_thuongxuan_2024.docx") as src, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        with dst.open("word/media/zeros.bin", "w") as fh:  # 5 MB that zip to a few kB
            for _ in range(5):
                fh.write(bytes(MEGA))
    assert bomb.stat().st_size < 1 * MEGA
    plan = plan_document(bomb, limits=Limits(max_unzipped_bytes=4 * MEGA))
    assert plan.failed == ".docx is 5.8 MB once unzipped, over the limit of 4.0 MB (--max-unzipped-mb): not read"
    assert not plan_document(bomb).failed  # under the default


def test_a_dump_line_over_the_limit_is_not_read(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_text("UBND HUYỆN THƯỜNG XUÂN\n- Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến: 95%.\n"
                    + "9" * 30_000 + "\n", encoding="utf-8")
    plan = plan_document(path)
    (error,) = plan.errors
    assert (error.page, error.stage, error.kind) == (None, "extract", "limit")
    assert error.reason == "1 line(s) over the limit of 20,000 characters (--max-line-chars), not read: line 3"
    assert "95%" in plan.pages[0].text and "9999" not in plan.pages[0].text


def test_an_input_that_cannot_be_opened_is_an_error_of_that_input(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pipeline import main

    folder = tmp_path / "reports"
    folder.mkdir()
    locked = folder / "a_locked.pdf"
    locked.write_bytes((SAMPLES / "deck_2023_summary_text.pdf").read_bytes())
    (folder / "b.md").write_bytes((SAMPLES / "report_thuongxuan_2024.md").read_bytes())
    locked.chmod(0)
    real_open = builtins.open

    def denying_open(file, *args, **kwargs):  # root reads a file of mode 0 all the same
        if os.fspath(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denying_open)
    result = CliRunner().invoke(main, ["run", str(folder), "-o", str(tmp_path / "out"), "--no-cache"])
    assert result.exit_code == ExitCode.SOME_INPUTS_FAILED, result.output
    assert "a_locked.pdf: cannot be opened: Permission denied" in result.output
    assert "Traceback" not in result.output
    assert "b.md" in (tmp_path / "out" / "indicators.csv").read_text(encoding="utf-8-sig")


def test_a_path_that_cannot_be_looked_at_is_an_error_of_that_path(tmp_path, monkeypatch):
    from chitieu.inputs import expand_inputs

    hidden = tmp_path / "closed" / "x.pdf"  # under a folder we may not enter (as a user, not root)
    real_is_dir = Path.is_dir

    def is_dir(self):
        if self == hidden:
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_dir(self)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    files, refused = expand_inputs([str(hidden), str(SAMPLES / "report_thuongxuan_2024.md")])
    assert [f.source_file for f in files] == ["report_thuongxuan_2024.md"]
    assert [(e.source_file, e.stage, e.reason) for e in refused] == [
        (str(hidden), "input", "cannot be opened: Permission denied")]


def test_an_oversized_first_frame_costs_only_itself(tmp_path):
    """A TIFF whose first frame is over the limit: the frames after it are still read."""
    path = tmp_path / "three.tif"
    small = [Image.new("L", (200, 100), 255), Image.new("L", (220, 100), 255)]
    Image.new("L", (3000, 2000), 255).save(path, save_all=True, append_images=small)
    plan = plan_document(path, limits=Limits(max_pixels=MEGA))
    assert not plan.failed
    assert [t.index for t in plan.tasks] == [1, 2]
    assert [(e.page, e.kind) for e in plan.errors] == [(1, "limit")]
    from extract.imaging.render import load_frame

    assert load_frame(path, 2, max_pixels=MEGA).size == (220, 100)


def test_images_opened_from_threads_at_once_keep_their_own_limits(tmp_path):
    """Pillow's guard is one process-wide setting: one thread's limit (or none, for our own
    images) never leaks into another's, and the setting is as it was after."""
    from concurrent.futures import ThreadPoolExecutor

    from extract.imaging.render import frame_sizes, load_image

    big = declared_png(tmp_path / "big.png", 12000, 10000)  # 120 Mpx declared: over our 100, under Pillow's 179
    before = Image.MAX_IMAGE_PIXELS

    def read(k):
        if k % 2:
            return tuple(frame_sizes(big))  # no limit: as for an image chitieu wrote
        with pytest.raises(LimitExceeded):
            load_image(big, max_pixels=100 * MEGA)
        return "refused"

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(read, range(400))) == {"refused", ((12000, 10000),)}
    assert Image.MAX_IMAGE_PIXELS == before
