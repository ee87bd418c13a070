"""The two OCR engines behind one interface: tesserocr in the process, the tesseract program.

They read the same images into the same word schema; the engine is chosen once per run
(``auto``: tesserocr when it is installed with the models), keyed in the cache, and an
in-process reading is played back and recorded like the program's."""
from __future__ import annotations

import os

import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.errors import OcrUnavailable
from extract.ocr import engine as ocr
from extract.ocr import inprocess
from extract.ocr.tesseract import TesseractTimeout

pytestmark = pytest.mark.tesseract
needs_tesserocr = pytest.mark.skipif(not inprocess.available() or "vie" not in inprocess.languages(),
                                     reason="tesserocr or the vie model is not installed")


def _font(size: int):
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                 "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"):
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    pytest.skip("no TrueType font to draw test text with")


def _text_image(text: str, size: int = 40) -> Image.Image:
    font = _font(size)
    image = Image.new("L", (60 + int(font.getlength(text)), 3 * size), 255)
    ImageDraw.Draw(image).text((30, size), text, font=font, fill=0)
    return image


@pytest.fixture(autouse=True)
def _no_replay(monkeypatch):
    # These tests are about the engines themselves: no recording stands in for them.
    from extract.ocr import replay

    monkeypatch.delenv(replay.REPLAY_ENV, raising=False)


@needs_tesserocr
def test_both_engines_read_the_same_words_from_the_same_pixels():
    image = _text_image("Tỷ lệ 85,5% Xã Nga Liên")
    words = {name: [w.text for w in cls().image_to_words(image, lang="vie", psm=7)]
             for name, cls in (("tesserocr", ocr.TesserocrEngine), ("tesseract", ocr.TesseractEngine))}
    assert words["tesserocr"] == words["tesseract"] == ["Tỷ", "lệ", "85,5%", "Xã", "Nga", "Liên"]


@needs_tesserocr
def test_a_whitelist_holds_for_its_call_only():
    image = _text_image("Xã 47,3%")
    engine = ocr.TesserocrEngine()
    digits = engine.image_to_words(image, lang="vie", psm=7, config='-c "tessedit_char_whitelist=0123456789%,. "')
    assert all(ch in "0123456789%,. " for w in digits for ch in w.text)
    after = engine.image_to_words(image, lang="vie", psm=7)
    assert [w.text for w in after] == ["Xã", "47,3%"]


@needs_tesserocr
def test_the_model_is_loaded_once_per_thread_and_language(monkeypatch):
    import threading

    made = []
    new_api = inprocess._new_api
    monkeypatch.setattr(inprocess, "_new_api", lambda folder, lang: made.append(lang) or new_api(folder, lang))
    monkeypatch.setattr(inprocess, "_local", threading.local())
    engine = ocr.TesserocrEngine()
    for _ in range(3):
        engine.image_to_words(_text_image("12"), lang="vie", psm=7)
    engine.image_to_words(_text_image("12"), lang="eng", psm=7)
    assert made == ["vie", "eng"]
    other = threading.Thread(target=lambda: engine.image_to_words(_text_image("12"), lang="vie", psm=7))
    other.start()
    other.join()
    assert made == ["vie", "eng", "vie"]  # a thread of its own reads with an API of its own


@needs_tesserocr
def test_an_image_over_its_time_is_stopped_and_said():
    big = Image.new("L", (2400, 3400), 255)
    draw = ImageDraw.Draw(big)
    font = _font(28)
    for y in range(40, 3360, 40):
        draw.text((40, y), "Tỷ lệ hộ gia đình thanh toán tiền điện 85,5% " * 3, font=font, fill=0)
    with pytest.raises(TesseractTimeout, match="on this page and was stopped \\(--page-timeout\\)"):
        ocr.TesserocrEngine(timeout=0.001).image_to_words(big, lang="vie", psm=11)


def test_only_settings_pass_to_the_library():
    assert inprocess.settings_of(7, '-c "tessedit_char_whitelist=0123456789%,. "') == {
        "tessedit_pageseg_mode": "7", "tessedit_char_whitelist": "0123456789%,. "}
    with pytest.raises(ValueError, match="--oem"):
        inprocess.settings_of(6, "--oem 0")


def test_auto_falls_back_to_the_program_and_a_named_engine_says_why(monkeypatch):
    monkeypatch.setattr(inprocess, "available", lambda: False)
    assert ocr.resolve_engine("auto", "vie") == "tesseract"
    assert ocr.resolve_engine("tesseract", "vie") == "tesseract"
    with pytest.raises(OcrUnavailable, match="pip install tesserocr"):
        ocr.resolve_engine("tesserocr", "vie")
    with pytest.raises(ValueError, match="unknown OCR engine"):
        ocr.resolve_engine("easyocr", "vie")


def test_a_missing_model_keeps_auto_on_the_program(monkeypatch):
    monkeypatch.setattr(inprocess, "available", lambda: True)
    monkeypatch.setattr(inprocess, "languages", lambda: frozenset({"eng", "osd"}))
    assert ocr.resolve_engine("auto", "vie") == "tesseract"
    with pytest.raises(OcrUnavailable, match="no language data for vie"):
        ocr.resolve_engine("tesserocr", "vie")


@needs_tesserocr
def test_an_in_process_reading_is_recorded_and_played_back(tmp_path, monkeypatch):
    from extract.ocr import replay

    monkeypatch.setenv(replay.REPLAY_ENV, str(tmp_path))
    monkeypatch.setenv(replay.RECORD_ENV, "1")
    image = _text_image("Xã Hải Lộc 92%")
    first = ocr.TesserocrEngine().image_to_words(image, lang="vie", psm=7)
    assert len(list(tmp_path.rglob("*.gz"))) == 1
    monkeypatch.setattr(inprocess, "read_tsv", lambda *a, **k: pytest.fail("a recorded reading was read again"))
    assert ocr.TesserocrEngine().image_to_words(image, lang="vie", psm=7) == first


def test_a_cached_document_with_no_ocr_page_never_asks_for_the_engine(tmp_path, monkeypatch):
    from chitieu import cache

    def no_engine(*args):
        raise AssertionError("the engine was asked for a document read from its text layer")

    monkeypatch.setattr(cache, "engine_identity", no_engine)
    pages = cache.PageCache(tmp_path, dpi=300, lang="vie", engine="auto")
    source = tmp_path / "a.pdf"
    source.write_bytes(b"%PDF-1.4 text")
    pages.store_result(source, 2024, {"records": 1}, "a.pdf", ocr=False)
    assert pages.load_result(source, 2024, "a.pdf", ocr=False) == {"records": 1}
    with pytest.raises(AssertionError, match="engine was asked"):
        pages.load_result(source, 2024, "a.pdf", ocr=True)
