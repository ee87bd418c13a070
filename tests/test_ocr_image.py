"""The image side of extract/: rendering, deskew, ruling detection and OCR.

Fixtures are drawn at test time: a ruled table with Vietnamese text (DejaVu Sans,
reportlab) and a prose page, rasterised at 300 dpi, rotated by known angles and
sprinkled with noise. Tests marked ``tesseract`` run the real engine.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from extract.imaging.deskew import deskew, estimate_skew
from extract.imaging.rulings import image_to_rulings, remove_rulings
from extract.model import Page, Ruling
from extract.layout.ruled import rulings_to_grids
from extract.ocr.crops import ocr_cell
from extract.ocr.engine import OcrUnavailable, OcrWord, data_to_words, tesseract_available
from extract.ocr.page import grid_boxes, ocr_page
from extract.imaging.render import load_image, render_pdf_page

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PAGE_W, PAGE_H = 842, 595  # A4 landscape, like an exported slide
GRID_X = [60, 100, 330, 450, 570, 690, 790]
GRID_Y = [150, 190, 225, 260, 295, 330, 365, 400]
ROWS = [
    ["STT", "Xã", "Mục tiêu", "Trước", "Sau", "Ghi chú"],
    ["1", "Quảng Lưu", "80%", "75%", "99,5%", "Đạt"],
    ["2", "Thiệu Trung", "90%", "60%", "80%", "Không"],
    ["3", "Hải Nhân", "100%", "98%", "100%", "Đạt"],
    ["4", "Xuân Lai", "80%", "43%", "75,2%", "Chưa có"],
    ["5", "Vạn Thiện", "30%", "24%", "42%", "Lãnh đạo"],
    ["6", "Đông Hải", "75%", "61,6%", "84,76%", "Đạt"],
]
PROSE = (
    "Nhằm cụ thể hóa quan điểm: lấy người dân, doanh nghiệp là trung tâm, chủ thể, "
    "mục tiêu, động lực của chuyển đổi số. Tạo tiền đề để phát triển kinh tế số, "
    "từng bước xây dựng xã hội số, hình thành công dân số, giúp người dân và doanh "
    "nghiệp thực sự được tiếp cận, được thụ hưởng thành quả của công cuộc chuyển đổi số."
)


def _canvas(path, size):
    reportlab = pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if not os.path.exists(FONT):
        pytest.skip("DejaVu Sans is not installed")
    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    assert reportlab
    return canvas.Canvas(str(path), pagesize=size)


def _draw_table_pdf(path):
    c = _canvas(path, (PAGE_W, PAGE_H))
    c.setFont("DejaVu", 20)
    c.drawString(60, PAGE_H - 80, "BẢNG TỔNG HỢP SỐ LIỆU CHỈ TIÊU")
    c.setFont("DejaVu", 11)
    c.drawString(60, PAGE_H - 110, "Kết quả triển khai thí điểm mô hình 3 Không năm 2023.")
    for y in GRID_Y:
        c.line(GRID_X[0], PAGE_H - y, GRID_X[-1], PAGE_H - y)
    for x in GRID_X:
        c.line(x, PAGE_H - GRID_Y[0], x, PAGE_H - GRID_Y[-1])
    c.setFont("DejaVu", 13)
    for r, row in enumerate(ROWS):
        for k, text in enumerate(row):
            c.drawString(GRID_X[k] + 6, PAGE_H - (GRID_Y[r] + GRID_Y[r + 1]) / 2 - 4, text)
    c.save()


def _draw_prose_pdf(path):
    c = _canvas(path, (595, 842))
    c.setFont("DejaVu", 11)
    words, line, y = PROSE.split() * 6, "", 780
    for word in words:
        if c.stringWidth(line + " " + word, "DejaVu", 11) > 480:
            c.drawString(60, y, line)
            line, y = word, y - 16
        else:
            line = f"{line} {word}".strip()
    c.drawString(60, y, line)
    c.save()


def _scan(image: Image.Image, angle: float, seed: int = 0) -> Image.Image:
    """A page as a scanner would give it: rotated, slightly blurred, gray paper, specks."""
    rng = np.random.default_rng(seed)
    rotated = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(0.7))
    a = np.asarray(rotated, dtype=np.float32) * 0.88 + 20 + rng.normal(0, 8, (rotated.height, rotated.width))
    a[rng.random(a.shape) < 0.0005] = 0
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    out.info["dpi"] = (300, 300)
    return out


@pytest.fixture(scope="module")
def table_image(tmp_path_factory) -> Image.Image:
    path = tmp_path_factory.mktemp("ocr") / "table.pdf"
    _draw_table_pdf(path)
    return render_pdf_page(path, 0, dpi=300)


@pytest.fixture(scope="module")
def prose_image(tmp_path_factory) -> Image.Image:
    path = tmp_path_factory.mktemp("ocr") / "prose.pdf"
    _draw_prose_pdf(path)
    return render_pdf_page(path, 0, dpi=300)


@pytest.fixture(scope="module")
def scans(table_image) -> dict[float, Image.Image]:
    return {angle: _scan(table_image, angle, seed=i) for i, angle in enumerate((1.3, -0.7))}


# --- render -----------------------------------------------------------------

def test_render_pdf_page_is_grayscale_at_the_asked_dpi(table_image):
    assert table_image.mode == "L"
    width, height = table_image.size
    assert abs(width - PAGE_W * 300 / 72) <= 1 and abs(height - PAGE_H * 300 / 72) <= 1
    assert table_image.info["dpi"] == (300, 300)


def test_load_image_splits_tiff_frames_and_reads_dpi(tmp_path):
    first = Image.new("RGB", (120, 60), "white")
    second = Image.new("RGB", (60, 120), "black")
    first.save(tmp_path / "two.tif", save_all=True, append_images=[second], dpi=(200, 200))
    pages = load_image(tmp_path / "two.tif")
    assert [p.size for p in pages] == [(120, 60), (60, 120)]
    assert all(p.mode == "L" and p.info["dpi"] == (200, 200) for p in pages)


def test_load_image_applies_exif_orientation_and_defaults_to_300_dpi(tmp_path):
    img = Image.new("RGB", (120, 60), "white")
    exif = img.getexif()
    exif[0x0112] = 6  # stored sideways: rotate 90° clockwise to view
    img.save(tmp_path / "photo.jpg", exif=exif)
    (page,) = load_image(tmp_path / "photo.jpg")
    assert page.size == (60, 120)
    assert page.info["dpi"] == (300, 300)


# --- deskew -----------------------------------------------------------------

@pytest.mark.parametrize("angle", [1.3, -0.7])
def test_estimate_skew_on_a_ruled_table(scans, angle):
    assert estimate_skew(scans[angle]) == pytest.approx(angle, abs=0.15)


@pytest.mark.parametrize("angle", [2.4, -0.3])
def test_estimate_skew_on_prose(prose_image, angle):
    assert estimate_skew(_scan(prose_image, angle)) == pytest.approx(angle, abs=0.15)


def test_deskew_leaves_a_straight_page_alone(table_image):
    image, angle = deskew(table_image)
    assert abs(angle) < 0.05
    assert image is table_image


def test_deskew_straightens_and_keeps_size_and_dpi(scans):
    image, angle = deskew(scans[1.3])
    assert angle == pytest.approx(1.3, abs=0.15)
    assert image.size == scans[1.3].size
    assert image.info["dpi"] == (300, 300)
    assert abs(estimate_skew(image)) < 0.1


# --- rulings ----------------------------------------------------------------

def _assert_grid(rulings, tol=2.0):
    hs = [r for r in rulings if r.orientation == "h"]
    vs = [r for r in rulings if r.orientation == "v"]
    assert len(hs) == len(GRID_Y) and len(vs) == len(GRID_X)
    for r, y in zip(sorted(hs, key=lambda r: r.top), GRID_Y):
        assert (r.top + r.bottom) / 2 == pytest.approx(y, abs=tol)
        assert r.x0 == pytest.approx(GRID_X[0], abs=tol) and r.x1 == pytest.approx(GRID_X[-1], abs=tol)
    for r, x in zip(sorted(vs, key=lambda r: r.x0), GRID_X):
        assert (r.x0 + r.x1) / 2 == pytest.approx(x, abs=tol)
        assert r.top == pytest.approx(GRID_Y[0], abs=tol) and r.bottom == pytest.approx(GRID_Y[-1], abs=tol)


def test_image_to_rulings_finds_the_drawn_grid(table_image):
    _assert_grid(image_to_rulings(table_image, dpi=300))


@pytest.mark.parametrize("angle", [1.3, -0.7])
def test_image_to_rulings_on_deskewed_noisy_scans(scans, angle):
    straight, _ = deskew(scans[angle])
    _assert_grid(image_to_rulings(straight, dpi=300))


def test_image_to_rulings_tolerates_residual_skew_and_thick_lines(table_image):
    thick = table_image.filter(ImageFilter.MinFilter(3))  # 1 pt lines become ~3x thicker
    _assert_grid(image_to_rulings(thick.rotate(0.3, resample=Image.BICUBIC, fillcolor=255), dpi=300), tol=3.0)


def test_image_to_rulings_scales_with_dpi(table_image):
    half = table_image.resize((table_image.width // 2, table_image.height // 2), Image.LANCZOS)
    _assert_grid(image_to_rulings(half, dpi=150))


def test_no_rulings_in_prose(prose_image):
    assert image_to_rulings(_scan(prose_image, 0.0), dpi=300) == ()


def test_remove_rulings_leaves_no_lines(table_image):
    cleared = remove_rulings(table_image, image_to_rulings(table_image, dpi=300), 300)
    assert image_to_rulings(cleared, dpi=300) == ()
    assert cleared.size == table_image.size and table_image.getextrema()[0] == 0


def test_skew_maps_points_as_the_straightened_image_moves_them():
    from PIL import ImageDraw

    from extract.imaging.deskew import Skew

    page = Image.new("L", (1200, 700), 255)
    ImageDraw.Draw(page).rectangle((900, 80, 905, 85), fill=0)
    skew = Skew(2.5, *page.size)
    ys, xs = np.nonzero(np.asarray(skew.straighten(page)) < 128)
    x, y = skew.to_straight(902.5, 82.5)
    assert (x, y) == (pytest.approx(xs.mean(), abs=0.6), pytest.approx(ys.mean(), abs=0.6))
    assert skew.to_page(x, y) == (pytest.approx(902.5), pytest.approx(82.5))
    x0, top, x1, bottom = skew.box_to_straight(900, 80, 906, 86)
    assert x0 <= xs.min() + 1 and xs.max() < x1 + 1 and top <= ys.min() + 1 and ys.max() < bottom + 1


@pytest.mark.parametrize("angle", [1.3, -0.7])
def test_rulings_found_straight_are_painted_out_of_the_leaning_page(scans, angle):
    from extract.imaging.deskew import Skew
    from extract.ocr.page import page_for_engine

    page = scans[angle]
    skew = Skew(estimate_skew(page), *page.size)
    cleared, rulings = page_for_engine(page, dpi=300, skew=skew)
    _assert_grid(rulings, tol=2.5)  # in the straight page's coordinates
    assert cleared.size == page.size
    assert image_to_rulings(skew.straighten(cleared), dpi=300) == ()


# --- OCR without the engine -------------------------------------------------

class FakeEngine:
    name = "fake"

    def __init__(self, words):
        self.words = words
        self.calls = []

    def image_to_words(self, image, *, lang, psm, config=""):
        self.calls.append((image.size, lang, psm, config))
        return self.words


def test_data_to_words_drops_empty_and_unconfident_rows():
    data = {
        "text": ["", "Quảng", "  ", "Lưu", "|"],
        "conf": ["-1", "96.5", "95", "91", -1],
        "left": [0, 10, 20, 30, 40],
        "top": [0, 5, 5, 5, 5],
        "width": [100, 8, 3, 9, 2],
        "height": [50, 10, 10, 10, 10],
        "block_num": [1] * 5, "par_num": [1] * 5, "line_num": [1] * 5,
    }
    words = data_to_words(data)
    assert [(w.text, w.conf) for w in words] == [("Quảng", 96.5), ("Lưu", 91.0)]
    assert (words[0].x0, words[0].top, words[0].x1, words[0].bottom) == (10, 5, 18, 15)


def test_ocr_page_converts_pixels_to_points(table_image):
    engine = FakeEngine([OcrWord("99,5%", 88.0, 3000, 600, 3300, 660)])
    page = ocr_page(table_image, page_no=4, dpi=300, engine=engine, reread_cells=False)
    assert isinstance(page, Page) and page.source == "ocr" and page.image_dpi == 300
    assert page.size == pytest.approx((PAGE_W, PAGE_H), abs=0.5)
    (word,) = page.words
    assert word.bbox == pytest.approx((720.0, 144.0, 792.0, 158.4))
    assert (word.page_no, word.source, word.conf) == (4, "ocr", 88.0)
    assert len(page.rulings) == len(GRID_X) + len(GRID_Y)


def test_grid_cells_join_cells_whose_bottom_line_is_missing():
    # Two header rows; the line between them stops short of the first column.
    rulings = (
        Ruling("h", 0, 0, 300, 1), Ruling("h", 100, 20, 300, 21), Ruling("h", 0, 40, 300, 41),
        Ruling("v", 0, 0, 1, 41), Ruling("v", 100, 0, 101, 41), Ruling("v", 300, 0, 301, 41),
    )
    boxes = sorted(grid_boxes(rulings_to_grids(rulings)))
    want = [(0, 0, 100, 40), (100, 0, 300, 20), (100, 20, 300, 40)]
    assert len(boxes) == len(want)
    for box, expected in zip(boxes, want):
        assert list(box) == pytest.approx(list(expected))


def test_the_fixture_grid_has_one_box_per_cell(table_image):
    boxes = grid_boxes(rulings_to_grids(image_to_rulings(table_image, dpi=300)))
    assert len(boxes) == (len(GRID_X) - 1) * (len(GRID_Y) - 1)


def test_ocr_page_rereads_only_empty_cells_with_ink(table_image):
    px = 300 / 72
    # The engine "reads" every cell but the row-number column, like psm 11 does.
    words = [
        OcrWord(text, 90.0, round((GRID_X[k] + 6) * px), round((GRID_Y[r] + 10) * px),
                round((GRID_X[k] + 30) * px), round((GRID_Y[r] + 22) * px))
        for r, row in enumerate(ROWS) for k, text in enumerate(row) if k > 0
    ]
    engine = FakeEngine(words)
    ocr_page(table_image, page_no=1, dpi=300, engine=engine)
    # The page, then one strip holding the STT cells (the header cell too).
    assert [psm for _, _, psm, _ in engine.calls] == [11, 6]
    strip_width, strip_height = engine.calls[1][0]
    assert strip_height > len(ROWS) * strip_width / 3


def test_ocr_cell_skips_blank_crops_without_calling_the_engine(table_image):
    engine = FakeEngine([OcrWord("x", 50.0, 0, 0, 1, 1)])
    px = 300 / 72
    blank = table_image.crop((int(GRID_X[0] * px) - 3, int(450 * px), int(GRID_X[1] * px) + 3, int(480 * px)))
    assert ocr_cell(blank, numeric=True, dpi=300, engine=engine) == ("", 0.0)
    assert engine.calls == []


# --- OCR with Tesseract -----------------------------------------------------

def _cell_box(row: int, col: int) -> tuple[float, float, float, float]:
    return GRID_X[col], GRID_Y[row], GRID_X[col + 1], GRID_Y[row + 1]


def _words_in(page: Page, box) -> str:
    x0, top, x1, bottom = box
    inside = [
        w for w in page.words
        if x0 <= (w.bbox[0] + w.bbox[2]) / 2 <= x1 and top <= (w.bbox[1] + w.bbox[3]) / 2 <= bottom
    ]
    return " ".join(w.text for w in sorted(inside, key=lambda w: w.bbox[0]))


@pytest.mark.tesseract
def test_tesseract_available_accepts_vie_and_names_the_packages_otherwise():
    tesseract_available("vie")
    with pytest.raises(OcrUnavailable, match="tesseract-ocr-vie"):
        tesseract_available("vie+xyz")


@pytest.mark.tesseract
@pytest.mark.parametrize("angle", [1.3, -0.7])
def test_ocr_page_reads_the_cells_where_they_are(scans, angle):
    straight, _ = deskew(scans[angle])
    page = ocr_page(straight, page_no=1, dpi=300)
    assert _words_in(page, _cell_box(1, 1)) == "Quảng Lưu"
    assert _words_in(page, _cell_box(1, 4)) == "99,5%"
    assert _words_in(page, _cell_box(2, 4)) == "80%"
    assert _words_in(page, _cell_box(6, 4)) == "84,76%"
    assert all(0 <= w.conf <= 100 for w in page.words)
    assert not any("|" in w.text for w in page.words)
    assert [_words_in(page, _cell_box(r, 0)) for r in range(1, len(ROWS))] == ["1", "2", "3", "4", "5", "6"]


@pytest.mark.tesseract
def test_ocr_cell_reads_numbers_and_lone_digits(scans):
    straight, _ = deskew(scans[-0.7])
    px = 300 / 72

    def crop(row, col):
        x0, top, x1, bottom = _cell_box(row, col)
        return straight.crop((round(x0 * px) - 3, round(top * px) - 3, round(x1 * px) + 3, round(bottom * px) + 3))

    assert ocr_cell(crop(1, 4), numeric=True, dpi=300)[0] == "99,5%"
    assert ocr_cell(crop(1, 0), numeric=True, dpi=300)[0] == "1"
    text, conf = ocr_cell(crop(4, 5), numeric=False, dpi=300)
    assert text == "Chưa có" and 0 < conf <= 100


def test_short_lines_are_kept_only_when_both_ends_meet_lines():
    from extract.imaging.rulings import _keep_connected
    from extract.model import Ruling

    rows = [Ruling("h", 0, y, 400, y + 2) for y in (0, 100, 200)]
    left, right = Ruling("v", 0, 0, 2, 202), Ruling("v", 398, 0, 400, 202)
    border = [Ruling("v", 300, 1, 302, 101), Ruling("v", 300, 101, 302, 201)]  # a column line, row by row
    broken = [Ruling("v", 350, 1, 352, 45), Ruling("v", 350, 48, 352, 101), Ruling("v", 350, 101, 352, 201)]
    stem = Ruling("v", 200, 1, 204, 60)  # a bold letter's stem touching the line above
    bar = Ruling("h", 190, 20, 214, 24)  # the letter's bar, meeting the stem only
    tall = Ruling("v", 250, 102, 253, 199)  # a stem as tall as its row, in line with no column
    kept = _keep_connected([*rows, bar], [left, right, *border, *broken, stem, tall], long_px=300, touch_px=12)
    assert all(r in kept for r in border + broken)
    assert stem not in kept and bar not in kept and tall not in kept


def test_a_column_line_stopping_at_a_section_title_does_not_cut_it():
    from extract.layout.ruled import _covers

    # The template at 200 dpi: column lines end on the title row's top line and go on
    # below its bottom line; bridging their free ends by 4 pt once covered the 15-pt row.
    assert not _covers([(169.0, 221.3), (235.2, 383.8)], 220.1, 235.2, 4.0)
    assert _covers([(169.0, 226.0), (229.0, 383.8)], 220.1, 235.2, 4.0)  # a line broken inside the row
    assert _covers([(221.0, 233.0)], 220.1, 235.2, 4.0)  # a line that stops short of both ends


@pytest.mark.parametrize("angle", [0.64, -1.7, 5.3])
def test_a_crop_of_the_straightened_page_is_cut_without_turning_the_page(angle):
    from extract.imaging.deskew import Skew, Straightened

    page = render_pdf_page(SAMPLES / "deck_2023_scan.pdf", 9, dpi=300)
    skew = Skew(angle, page.width, page.height)
    whole = skew.straighten(page)
    view = Straightened(page, skew)
    for box in ((100, 200, 400, 260), (2500, 1500, 2990, 1680), (0, 0, 50, 50)):
        assert np.array_equal(np.asarray(view.crop(box)), np.asarray(whole.crop(box)))


def test_a_scan_is_taken_as_stored_only_when_it_has_the_renders_pixels():
    import pypdfium2 as pdfium

    from extract.imaging.render import stored_scan

    deck = pdfium.PdfDocument(str(SAMPLES / "deck_2023_scan.pdf"))
    stored = stored_scan(deck[0], 300)
    assert stored is not None
    assert np.array_equal(np.asarray(stored), np.asarray(deck[0].render(scale=300 / 72, grayscale=True).to_pil()))
    a4 = pdfium.PdfDocument(str(SAMPLES / "template_xuanduong_2024_scan.pdf"))
    assert stored_scan(a4[0], 300) is None  # its 2481-px scan renders 2482 px wide
    assert stored_scan(deck[0], 200) is None  # another resolution: rendered
    text = pdfium.PdfDocument(str(SAMPLES / "deck_2023_text.pdf"))
    assert stored_scan(text[0], 300) is None


def test_row_runs_are_every_run_of_ink_of_every_row():
    """The runs found on the rows laid end to end are those a row-by-row walk finds."""
    import numpy as np

    from extract.imaging.rulings import _row_runs

    rng = np.random.default_rng(7)
    for shape, share in (((40, 90), 0.5), ((7, 300), 0.9), ((25, 1), 0.5), ((1, 50), 0.1)):
        ink = rng.random(shape) < share
        ink[0, :] = True  # a row of ink from edge to edge
        found = list(zip(*(a.tolist() for a in _row_runs(ink))))
        walked = []
        for r, row in enumerate(ink.tolist()):
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    walked.append((r, start, x))
                x += 1
        assert found == walked, shape
