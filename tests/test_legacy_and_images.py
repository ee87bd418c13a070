"""Legacy encodings (tables, detection, the 0xAD trap) and the image steps before OCR."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.documents import legacy
from extract.imaging.deskew import estimate_skew
from extract.imaging.photo import find_sheet
from extract.imaging.preprocess import flatten_illumination, looks_sideways, upscale

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import make_hard_samples as hard  # noqa: E402

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")
@pytest.mark.parametrize("table,charset", [(legacy.TCVN3, "TCVN5712-1"), (legacy.VISCII, "VISCII")])
def test_tables_agree_with_iconv(table, charset):
    for byte, letter in table.items():
        out = subprocess.run(["iconv", "-f", charset, "-t", "UTF-8"], input=byte.encode("latin-1"),
                             capture_output=True, check=True).stdout.decode()
        assert out == letter, (hex(ord(byte)), out, letter)


def test_vni_and_tcvn3_known_strings():
    assert legacy.decode("Xin chaøo caùc baïn", "vni") == "Xin chào các bạn"
    assert legacy.decode("ÑOÀNG BAÈNG ngöôøi", "vni") == "ĐỒNG BẰNG người"
    assert legacy.decode("B¸t X¸t ng\xadêi d©n", "tcvn3") == "Bát Xát người dân"
    assert legacy.decode("b¸o c¸o", "tcvn3", capitals=True) == "BÁO CÁO"  # .VnTimeH


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_letter_encodes_and_decodes(encoding):
    text = " ".join(hard.ALL_LETTERS[i:i + 6] for i in range(0, len(hard.ALL_LETTERS), 6))
    if encoding == "vni":
        assert legacy.decode(hard.vni_encode(text), "vni") == text
    else:
        decoded = "".join(legacy.decode(code, "tcvn3", capitals=caps) for caps, code in hard.tcvn3_runs(text))
        assert decoded == text


def test_font_names():
    assert legacy.font_encoding("ABCDEF+.VnTimeH") == ("tcvn3", True)
    assert legacy.font_encoding(".VnTime,Bold") == ("tcvn3", False)
    assert legacy.font_encoding("VNI-Times-Bold") == ("vni", False)
    assert legacy.font_encoding("AAAAAA+DejaVuSans") == (None, False)
    assert legacy.font_encoding("TimesNewRomanPSMT") == (None, False)


def test_guess_encoding_from_text_alone():
    assert legacy.guess_encoding("Tû lÖ ng\xadêi d©n cã ®iÖn tho¹i th«ng minh") == "tcvn3"
    assert legacy.guess_encoding("Tyû leä ngöôøi daân coù ñieän thoaïi thoâng minh") == "vni"
    assert legacy.guess_encoding("Tỷ lệ người dân có điện thoại thông minh") is None
    assert legacy.guess_encoding("Report 2024, page 3") is None


def test_lost_u_repaired_as_hyphen_or_space():
    assert legacy.repair_lost_u(legacy.decode("ng-êi M-êng", "tcvn3")) == "người Mường"
    assert legacy.repair_lost_u("Hà-Nội") == "Hà-Nội"  # a real hyphen between two syllables
    assert legacy.join_lost_u("ng", "ời") == "người"
    assert legacy.join_lost_u("có", "dân") is None


def test_decode_chars_by_font_run():
    chars = [{"text": t, "fontname": f, "x0": i, "x1": i + 1.0, "top": 0, "bottom": 10}
             for i, (t, f) in enumerate([("B", ".VnTime"), ("¸", ".VnTimeH"), ("O", ".VnTime"), (" ", "X"),
                                         ("a", "VNI-Times"), ("ø", "VNI-Times")])]
    out = legacy.decode_chars(chars)
    assert [c["text"] for c in out] == ["B", "Á", "O", " ", "à"]
    assert out[-1]["x1"] == 6.0  # the mark's box joined its letter's


def test_garbage_detection():
    assert legacy.is_garbage("ÿþ¥¤ §¨©ª «¬­® ¯°±² ³´µ¶ ·¸¹º »¼½¾ ¿ÀÁÂ ÃÄÅÆ")
    assert not legacy.is_garbage("Tỷ lệ người dân có điện thoại thông minh đạt 74%")


# --------------------------------------------------------------- images

def _text_page(size=(1600, 1000), lines=12) -> Image.Image:
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 28)
    words = "Tỷ lệ người dân có điện thoại thông minh đạt 99,5% trên địa bàn xã".split()
    for k in range(lines):
        line = " ".join(words[k % 5:] + words[:k % 5])  # lines differ, as real ones do
        draw.text((80, 60 + k * 70), line, fill=0, font=font)
    return img


def test_flatten_illumination_whitens_a_shadow():
    page = np.asarray(_text_page(), dtype=np.float32)
    shade = np.linspace(1.0, 0.5, page.shape[1])[None, :]
    dark = Image.fromarray((page * shade).astype(np.uint8))
    flat = np.asarray(flatten_illumination(dark, dpi=300), dtype=np.float32)
    paper = np.asarray(_text_page()) == 255
    assert np.percentile(flat[paper], 5) > 200  # paper is paper again, left and right
    assert np.percentile(flat[~paper], 50) < 128  # and ink is still ink


def test_flatten_illumination_leaves_even_light_alone():
    page = _text_page()
    gray = Image.fromarray((np.asarray(page, dtype=np.float32) * 0.85).astype(np.uint8))  # gray paper, even
    assert np.array_equal(np.asarray(flatten_illumination(gray, dpi=300)), np.asarray(gray))


def test_block_max_covers_edge_tiles():
    from extract.imaging.preprocess import _block_max

    a = np.zeros((7, 5), dtype=np.uint8)
    a[6, 4] = 9  # in the padded corner tile
    a[0, 0] = 3
    assert _block_max(a, 3).tolist() == [[3, 0], [0, 0], [0, 9]]


def test_upscale_low_dpi():
    small = Image.new("L", (400, 300), 255)
    big, dpi = upscale(small, 150)
    assert dpi == 300 and big.size == (800, 600)
    same, dpi = upscale(small, 300)
    assert same is small and dpi == 300


@pytest.mark.parametrize("angle", [-8.0, 3.5, 9.0])
def test_deskew_finds_angles_beyond_five_degrees(angle):
    rotated = _text_page().rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    assert abs(estimate_skew(rotated) - angle) < 0.2


def test_sideways_page_detected():
    page = _text_page()
    assert not looks_sideways(page)
    assert looks_sideways(page.rotate(90, expand=True, fillcolor=255))


@pytest.mark.parametrize("k", [0, 1])
def test_sheet_found_in_the_photo(samples, k):
    photo = Image.open(samples / hard.PHOTOS[k]).convert("L")
    quad = find_sheet(photo)
    assert quad is not None
    for (x, y), (tx, ty) in zip(quad, hard.PHOTO_QUADS[k]):
        assert abs(x - tx) < 15 and abs(y - ty) < 15


def test_scan_has_no_sheet_to_find(samples):
    from extract.imaging.render import render_pdf_page

    assert find_sheet(render_pdf_page(samples / "deck_2023_scan.pdf", 9, dpi=100)) is None
