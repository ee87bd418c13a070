"""Phone photos in the variant generator (issue 12, item 3; scripts/variants/photo.py): the
same bytes for a seed, the drawn axes inside the issue's ranges, the EXIF Orientation tag
saying how the stored pixels were turned, the truth of a photo that of its document, and the
benchmark's blur and width curves. Nothing here reads a photo with chitieu: the benchmark
(bench/bench_fidelity.py --kinds photo) measures that."""
from __future__ import annotations

import importlib.util
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageOps

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "bench"))

import bench_fidelity  # noqa: E402
import make_variants  # noqa: E402
from variants import damage, photo, prose_docs, templates  # noqa: E402

# photos are taken with OpenCV (opencv-python-headless); drawing and scoring them need none
needs_cv2 = pytest.mark.skipif(importlib.util.find_spec("cv2") is None, reason="opencv-python-headless not installed")

# make_variants --seed 16, document 0: a district table on a 16:9 page, photographed 1307 px wide
SMALL_SEED = 16
FAST = {"fonts": ("DejaVuSans",), "engines_": ("reportlab",)}
UP = {0: (0, -1), 90: (-1, 0), 180: (0, 1), 270: (1, 0)}  # where the page's top points, turned anticlockwise


def test_photo_draws_stay_in_the_issue_ranges():
    draws = [damage.draw_axes(random.Random(k), "photo") for k in range(3000)]
    assert all(d["kind"] == "photo" for d in draws)
    assert max(abs(d["tilt"]) for d in draws) <= 25 and max(abs(d["tilt"]) for d in draws) > 24
    assert max(abs(d["yaw"]) for d in draws) <= 10 and max(abs(d["yaw"]) for d in draws) > 9.5
    assert max(abs(d["skew"]) for d in draws) <= 10 and max(abs(d["skew"]) for d in draws) > 9.5
    assert {d["turn"] for d in draws} == {0, 90, 180, 270}
    assert all(0 <= d["blur"] <= 1.5 for d in draws) and max(d["blur"] for d in draws) > 1.45
    assert all(0.40 <= d["light"] <= 0.90 for d in draws) and min(d["light"] for d in draws) < 0.42
    assert all(60 <= d["jpeg"] <= 90 for d in draws) and {60, 90} <= {d["jpeg"] for d in draws}
    assert all(1200 <= d["width"] <= 4000 for d in draws)
    assert min(d["width"] for d in draws) < 1250 and max(d["width"] for d in draws) > 3950
    assert all(abs(d["bow"]) <= 0.03 for d in draws) and Counter(d["bow"] == 0 for d in draws)[False] > 1000
    assert {d["shadow"] for d in draws} == {"none", "band", "corner", "both"}
    assert {d["cast"].split()[0] for d in draws} == {"none", "warm", "cold"}
    assert all(0.03 <= float(d["cast"].split()[1]) <= 0.15 for d in draws if d["cast"] != "none")
    formats = {"jpg", "webp"} | ({"heic"} if photo.heic_available() else set())
    assert {d["format"] for d in draws} == formats
    assert {d["exif"] for d in draws} == {"", 3, 6, 8}
    assert {d["surface"] for d in draws} == {"wood", "laminate", "cloth", "screen"}


def test_a_photo_is_only_ever_asked_for():
    """Never drawn among the default kinds or forms: the seeds' documents stay as they were."""
    assert not any(damage.draw_axes(random.Random(k))["kind"] == "photo" for k in range(3000))
    assert damage.damage_class("photo") == "photo"
    for family in (prose_docs, templates):
        assert "photo" in family.FORMS and "photo" not in family.available_forms()


@needs_cv2
@pytest.mark.parametrize("shadow", ["none", "band", "corner", "both"])
def test_the_light_falls_exactly_to_the_drawn_floor(shadow):
    from variants import photo_scene

    for seed, floor in ((1, 0.4), (2, 0.65), (3, 0.9)):
        light = photo_scene.light_field((320, 240), shadow, floor, np.random.default_rng(seed))
        assert light.shape == (240, 320)
        assert light.min() == pytest.approx(floor, abs=1e-5) and light.max() <= 1.0 + 1e-6


@needs_cv2
def test_generation_is_the_same_bytes_for_a_seed(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    axes = make_variants.generate(1, SMALL_SEED, one, kinds=("photo",), **FAST)
    make_variants.generate(1, SMALL_SEED, two, kinds=("photo",), **FAST)
    assert axes[0]["kind"] == "photo" and axes[0]["name"].endswith((".jpg", ".webp", ".heic", ".pdf"))
    files = sorted(p.name for p in one.iterdir())
    assert files == sorted(p.name for p in two.iterdir()) and axes[0]["name"] in files
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


@needs_cv2
def test_a_photo_keeps_its_documents_truth_and_records_its_axes(tmp_path):
    shot = make_variants.generate(1, SMALL_SEED, tmp_path / "photo", kinds=("photo",), **FAST)[0]
    text = make_variants.generate(1, SMALL_SEED, tmp_path / "text", kinds=("text",), **FAST)[0]
    stem = lambda a: a["name"].split(".")[0]  # noqa: E731
    assert (tmp_path / "photo" / f"{stem(shot)}.truth.csv").read_text(encoding="utf-8") == \
        (tmp_path / "text" / f"{stem(text)}.truth.csv").read_text(encoding="utf-8")
    truth, groups, docs = bench_fidelity.load_truth(tmp_path / "photo")
    row = docs[shot["name"]]
    assert groups[shot["name"]].endswith(" × photo")
    for axis in ("blur", "width", "height", "tilt", "yaw", "turn", "skew", "shadow", "light", "format", "exif",
                 "surface", "cast", "bow", "jpeg", "noise", "fill", "dpi"):
        assert axis in row
    with Image.open(tmp_path / "photo" / shot["name"]) as img:
        assert ImageOps.exif_transpose(img).size == (int(row["width"]), int(row["height"]))


def two_bar_page(path: Path) -> None:
    """An A4 page whose top is a red bar and whose bottom a blue one."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4, invariant=1)
    w, h = A4
    c.setFillColorRGB(1, 0, 0)
    c.rect(40, h - 140, w - 80, 100, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 1)
    c.rect(40, 40, w - 80, 100, stroke=0, fill=1)
    c.save()


def page_up(img: Image.Image) -> np.ndarray:
    """Which way the page's top points in a picture: from the blue bar's centre to the red one's."""
    a = np.asarray(img.convert("RGB")).astype(int)
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    centres = []
    for mask in ((r > 140) & (g < 90) & (b < 90), (b > 140) & (r < 90) & (g < 90)):
        ys, xs = np.nonzero(mask)
        assert len(xs) > 500
        centres.append(np.array([xs.mean(), ys.mean()]))
    v = centres[0] - centres[1]
    return v / np.linalg.norm(v)


@needs_cv2
@pytest.mark.parametrize("turn,tag,fmt", [(0, 6, "jpg"), (90, 8, "webp"), (180, 3, "jpg"), (270, 6, "webp"),
                                          (90, "", "jpg")])
def test_the_exif_tag_says_how_the_stored_pixels_were_turned(tmp_path, turn, tag, fmt):
    pdf = tmp_path / "page.pdf"
    two_bar_page(pdf)
    ax = damage.draw_axes(random.Random(1), "photo") | {
        "turn": turn, "skew": 0.0, "tilt": 0.0, "yaw": 0.0, "bow": 0.0, "shadow": "none", "light": 0.9,
        "cast": "none", "blur": 0.0, "noise": 1.5, "jpeg": 90, "fill": 0.8, "width": 1200, "format": fmt,
        "exif": tag, "surface": "laminate"}
    name, taken = photo.photograph(pdf, tmp_path, "shot", ax, seed=7)
    assert name == f"shot.{fmt}" and taken["exif"] == tag and taken["format"] == fmt
    with Image.open(tmp_path / name) as raw:
        assert raw.getexif().get(photo.ORIENTATION) == (tag or None)
        shown = ImageOps.exif_transpose(raw)
        stored = raw.convert("RGB")
    assert shown.size == (taken["width"], taken["height"])
    assert (shown.width > shown.height) == (turn in (90, 270))  # a portrait page turned lies wide
    assert page_up(shown) @ np.array(UP[turn]) > 0.95  # as recorded, once the tag is honoured
    stored_turn = (turn + photo.EXIF_TURN.get(tag, 0)) % 360
    assert page_up(stored) @ np.array(UP[stored_turn]) > 0.95  # a reader ignoring the tag sees this


@needs_cv2
def test_a_document_of_several_pages_is_a_pdf_of_photos(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "two.pdf"
    c = Canvas(str(pdf), invariant=1)
    for text in ("one", "two"):
        c.drawString(100, 700, text)
        c.showPage()
    c.save()
    ax = damage.draw_axes(random.Random(3), "photo") | {"width": 1200, "format": "webp", "exif": 6}
    name, taken = photo.photograph(pdf, tmp_path, "multi", ax, seed=3)
    assert name == "multi.pdf" and taken["format"] == "pdf" and taken["exif"] == "" and taken["pages"] == 2
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(tmp_path / name))
    try:  # at chitieu's default 300 dpi the page renders to the photo's own pixels
        assert len(doc) == 2 and round(doc[0].get_size()[0] / 72 * 300) == taken["width"]
    finally:
        doc.close()


def test_the_benchmark_draws_blur_and_width_curves():
    assert [photo.blur_bin(s) for s in (0, "", 0.2, 0.25, 0.3, 0.74, 0.75, 0.76, 1.2, 1.5)] == \
        [0.0, 0.0, 0.0, 0.0, 0.5, 0.5, 0.5, 1.0, 1.0, 1.5]
    assert [photo.width_bin(w) for w in (1200, 1999, 2000, 2999, 3000, 4000)] == \
        ["1200-2000", "1200-2000", "2000-3000", "2000-3000", "3000-4000", "3000-4000"]
    truth_row = {"district": "Nga Sơn", "commune": "Xã Nga Liên", "status": "ok", "value": "50", "value_raw": "50%"}
    docs = {"a.jpg": {"kind": "photo", "blur": "0.1", "width": "1300", "format": "jpg", "exif": "6"},
            "b.webp": {"kind": "photo", "blur": "1.4", "width": "3900", "format": "webp", "exif": ""},
            "c.pdf": {"kind": "scan", "blur": "", "width": "", "format": "", "exif": ""}}
    truth = {bench_fidelity.key(n, "Xã Nga Liên", 1, "before"): truth_row for n in docs}
    got = {"district": "Nga Sơn", "commune": "Xã Nga Liên", "commune_code": "", "unit_generation": "",
           "indicator_id": 1, "phase": "before", "status": "ok", "value_raw": "50%", "needs_review": False,
           "note": "", "qualifier": ""}
    records = pd.DataFrame([got | {"source_file": "a.jpg", "value": 50.0}, got | {"source_file": "b.webp", "value": 5.0},
                            got | {"source_file": "c.pdf", "value": 50.0}])
    curves = bench_fidelity.photo_curves(truth, docs, records)
    blur, width = curves["photo blur σ (px)"], curves["photo width (px)"]
    assert list(blur) == ["σ 0.0", "σ 0.5", "σ 1.0", "σ 1.5"] and list(width) == ["1200-2000", "2000-3000", "3000-4000"]
    assert blur["σ 0.5"]["truth"] == blur["σ 1.0"]["truth"] == width["2000-3000"]["truth"] == 0
    assert blur["σ 0.0"]["right"] == 1 and blur["σ 1.5"]["wrong_silent"] == 1
    assert width["1200-2000"]["right"] == 1 and width["3000-4000"]["right"] == 0
    assert sum(s["truth"] for s in blur.values()) == 2  # the scan is not a photo
    files = curves["photo file"]
    assert files["jpg exif"]["right"] == 1 and files["webp"]["wrong_silent"] == 1 and files["pdf"]["truth"] == 0
