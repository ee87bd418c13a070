"""OUT/report.html (normalize/outputs/report.py): one self-contained page, checked as HTML
and as a real headless Chromium draws it (network off)."""
from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import time
import unicodedata
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image, ImageDraw, ImageFont

from normalize.outputs.report import COLUMNS, NO_PICTURE, render_report, write_report
from normalize.outputs.report_charts import before_after_charts, completeness_matrix

REPO = Path(__file__).resolve().parents[1]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A frame as the CSV reads back: every column of it, strings, "" for empty."""
    return pd.DataFrame([{c: r.get(c, "") for c in COLUMNS[name]} for r in rows], columns=list(COLUMNS[name]),
                        dtype=str)


def crop(text: str, fmt: str = "JPEG", size=(360, 120)) -> bytes:
    """A small picture like the crops chitieu makes: a cell's text, the cell boxed in red."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 22) if os.path.exists(FONT) else ImageFont.load_default()
    draw.text((20, 40), text, fill="black", font=font)
    draw.rectangle((10, 30, size[0] - 10, 90), outline=(220, 0, 0), width=3)
    buf = io.BytesIO()
    image.save(buf, fmt, quality=85) if fmt == "JPEG" else image.save(buf, fmt)
    return buf.getvalue()


def cons(district, commune, year, indicator, phase, value, **kw) -> dict:
    row = dict(province="Thanh Hóa", district=district, commune=commune, year=year, indicator_id=str(indicator),
               indicator_name=f"chỉ tiêu {indicator}", phase=phase, value=value, status="ok", needs_review="false",
               conflict="false", sources_n="1", sources=f"báo cáo.pdf p.1 = {value}")
    return {**row, **kw}


def small_run(pictures_for=("d1", "d2", "d3")) -> dict:
    """A run of two inputs and three units, with a review row of each severity."""
    inputs = frame("inputs", [
        dict(source_file="báo cáo xã Quảng Lưu.pdf", page="1", read_as="ocr", how="page is an image",
             tables="12×3 ruled", numbers_seen="9", records="9", flagged="2"),
        dict(source_file="báo cáo xã Quảng Lưu.pdf", page="2", read_as="text", how="text layer",
             numbers_seen="6", records="0", flagged="0"),
        dict(source_file="tổng hợp huyện Thọ Xuân.xlsx", page="1", read_as="text", how="sheet Tổng hợp",
             tables="16×5 ruled", numbers_seen="0", records="40", flagged="1"),
    ])
    errors = frame("errors", [
        dict(source_file="báo cáo xã Quảng Lưu.pdf", page="2", stage="layout",
             reason="the page shows 6 percentage(s) but no indicator value was read from it"),
        dict(source_file="hỏng.docx", page="", stage="input", reason="not a zip file"),
    ])
    consolidated = frame("consolidated", [
        cons("Quảng Xương", "Xã Quảng Lưu", "2023", 6, "before", "70", met_target="false"),
        cons("Quảng Xương", "Xã Quảng Lưu", "2023", 6, "after", "85", qualifier=">=", met_target="true"),
        cons("Quảng Xương", "Xã Quảng Lưu", "2023", 9, "after", "35", met_target="true", needs_review="true",
             checks="low_ocr_confidence"),
        cons("Thọ Xuân", "Xã Xuân Hòa", "2024", 6, "after", "90", conflict="true", needs_review="true",
             sources_n="2", sources="a.pdf p.1 = 90; b.pdf p.3 = 60"),
        cons("Thọ Xuân", "Xã Xuân Hòa", "2024", 9, "after", "", status="not_available", met_target="false"),
        cons("Thọ Xuân", "Xã Thọ Lập", "2024", 9, "before", "20", met_target="false"),
        cons("Thọ Xuân", "Xã Thọ Lập", "2024", 9, "after", "38.5", qualifier="~", met_target="false"),
        cons("Thọ Xuân", "", "2024", 6, "reported", "82", met_target="true"),
    ])
    completeness = frame("completeness", [
        dict(district="Quảng Xương", commune="Xã Quảng Lưu", year="2023", phase="after", expected="16", found="2",
             missing_n="14", missing="1, 2, 3, 4, 5, 7, 8, 10, 11, 12, 13, 14, 15, 16"),
        dict(district="Quảng Xương", commune="Xã Quảng Lưu", year="2023", phase="before", expected="16",
             found="1", missing_n="15", missing="1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16"),
        dict(district="Thọ Xuân", commune="Xã Xuân Thiên", year="2024", phase="after", expected="16", found="0",
             missing_n="16", missing=", ".join(str(i) for i in range(1, 17))),
    ])
    box = dict(x0="120.5", top="300.0", x1="180.0", bottom="316.0", page_width="595.3", page_height="841.9")
    review = frame("review", [
        dict(decision_id="d1", reason="low_ocr_confidence", severity="warning",
             subject="Xã Quảng Lưu · 9 after: 35?", source_file="báo cáo xã Quảng Lưu.pdf", page="1",
             values_n="1", values="Xã Quảng Lưu · 9 after = 35", value_raw="3S%", value="35",
             note="low OCR confidence (41)", state="open", **box),
        dict(decision_id="d2", reason="conflict", severity="error", subject="Xã Xuân Hòa · 6 after: 90 or 60?",
             source_file="tổng hợp huyện Thọ Xuân.xlsx", page="1", values_n="2",
             values="Xã Xuân Hòa · 6 after = 90; Xã Xuân Hòa · 6 after = 60", value_raw="90%", value="90",
             note="two inputs disagree", state="reopened"),
        dict(decision_id="d3", reason="value_repaired", severity="info", subject="Xã Thọ Lập · 9 after",
             source_file="báo cáo xã Quảng Lưu.pdf", page="1", values_n="1", values="Xã Thọ Lập · 9 after = 38.5",
             value_raw="3850%", value="38.5", note="digits repaired: '3850%' read 38.50", state="open", **box),
    ])
    images = {"d1": crop("3S% — Quảng Lưu"), "d2": crop("90% Xuân Hòa", "PNG"), "d3": crop("38,50% Thọ Lập")}
    pictures = {k: v for k, v in images.items() if k in pictures_for}
    return dict(inputs=inputs, errors=errors, consolidated=consolidated, completeness=completeness,
                review=review, pictures=pictures, title="Báo cáo chỉ tiêu 3 KHÔNG — Thanh Hóa")


class Elements(HTMLParser):
    """Every start tag with its attributes, and the review item each one sits in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict, str | None]] = []
        self._item: str | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article" and "review-item" in (attrs.get("class") or "").split():
            self._item, self._depth = attrs.get("data-decision"), 0
        if self._item is not None and tag == "article":
            self._depth += 1
        self.tags.append((tag, attrs, self._item))

    def handle_endtag(self, tag):
        if self._item is not None and tag == "article":
            self._depth -= 1
            if self._depth == 0:
                self._item = None


def parse(html: str) -> Elements:
    p = Elements()
    p.feed(html)
    return p


def crops_by_item(html: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for tag, attrs, item in parse(html).tags:
        if tag == "article" and attrs.get("data-decision"):
            out.setdefault(attrs["data-decision"], [])
        if tag == "img" and "crop" in (attrs.get("class") or "").split() and item:
            out[item].append(attrs)
    return out


def test_vietnamese_names_round_trip_as_nfc():
    run = small_run()
    # A name written decomposed (NFD) by some other tool is shown composed.
    run["consolidated"].loc[0, "commune"] = unicodedata.normalize("NFD", "Xã Quảng Lưu")
    html = render_report(**run)
    assert html == unicodedata.normalize("NFC", html)
    assert '<html lang="vi">' in html and '<meta charset="utf-8">' in html
    for name in ("Xã Quảng Lưu", "Xã Xuân Hòa", "Xã Thọ Lập", "Thọ Xuân", "báo cáo xã Quảng Lưu.pdf",
                 "tổng hợp huyện Thọ Xuân.xlsx", "hỏng.docx", "Báo cáo chỉ tiêu 3 KHÔNG — Thanh Hóa",
                 "Tỷ lệ người dân có điện thoại thông minh", "80% trở lên"):
        assert name in html, name
    assert unicodedata.normalize("NFD", "Xã Quảng Lưu") not in html


def test_nothing_is_fetched_from_elsewhere():
    html = render_report(**small_run())
    assert not re.search(r"""\b(?:src|href|action|poster|srcset)\s*=\s*["']?\s*(?:https?:|//|file:)""", html, re.I)
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<link\b|@import|url\(", html, re.I)
    assert not re.search(r"<script[^>]*\bsrc=", html, re.I)
    assert all(a["src"].startswith("data:") for t, a, _ in parse(html).tags if t == "img")


def test_every_review_row_has_its_picture_inline():
    run = small_run()
    html = render_report(**run)
    found = crops_by_item(html)
    assert set(found) == {"d1", "d2", "d3"}
    for decision, imgs in found.items():
        assert len(imgs) == 1, decision
        mime, _, data = imgs[0]["src"].partition(";base64,")
        assert mime == ("data:image/png" if decision == "d2" else "data:image/jpeg")
        assert base64.b64decode(data) == run["pictures"][decision]


def test_a_missing_picture_shows_why():
    run = small_run(pictures_for=("d1",))
    run["pictures"]["d2"] = "the page could not be rendered again: file changed since the run"
    html = render_report(**run)
    found = crops_by_item(html)
    assert len(found["d1"]) == 1 and found["d2"] == [] and found["d3"] == []
    assert "the page could not be rendered again: file changed since the run" in html
    assert NO_PICTURE in html  # d3: no entry at all
    run["pictures"]["d1"] = b"GIF89a not a crop"
    assert "neither PNG nor JPEG" in render_report(**run)


def test_review_queue_is_severity_sorted_and_complete():
    html = render_report(**small_run())
    order = [a["data-decision"] for t, a, _ in parse(html).tags if t == "article"]
    assert order == ["d2", "d1", "d3"]  # error, warning, info
    item = html[html.index('data-decision="d3"'):]
    item = item[: item.index("</article>")]
    for shown in ("3850%", "38.5", "digits repaired", "page 1", "x0 120.5", "595.3 × 841.9", "value_repaired"):
        assert shown in item, shown


def test_everything_is_escaped():
    run = small_run()
    run["review"].loc[0, "subject"] = '<script>alert("x")</script>'
    run["inputs"].loc[0, "how"] = "<img src=x onerror=alert(1)>"
    html = render_report(**run)
    assert '<script>alert("x")' not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_inputs_account():
    html = render_report(**small_run())
    assert html.count("<details>") == 3  # three inputs, one of them known only from errors.csv
    assert "ocr 1, text 1" in html
    assert "hỏng.docx" in html and "input: not a zip file" in html
    assert "page 2: layout: the page shows 6 percentage(s)" in html


def test_matrix_states():
    run = small_run()
    rows = completeness_matrix(run["consolidated"], run["completeness"], tuple(range(1, 17)))
    by_unit = {(r.unit.district, r.unit.commune, r.unit.year): {c.indicator_id: c for c in r.cells} for r in rows}
    assert list(by_unit) == [("Quảng Xương", "Xã Quảng Lưu", "2023"), ("Thọ Xuân", "", "2024"),
                             ("Thọ Xuân", "Xã Thọ Lập", "2024"), ("Thọ Xuân", "Xã Xuân Hòa", "2024"),
                             ("Thọ Xuân", "Xã Xuân Thiên", "2024")]
    qluu = by_unit[("Quảng Xương", "Xã Quảng Lưu", "2023")]
    assert (qluu[6].state, qluu[6].text) == ("ok", "≥85")
    assert qluu[9].state == "flagged" and qluu[9].incomplete  # before named missing, after found
    assert qluu[1].state == "missing"
    assert by_unit[("Thọ Xuân", "Xã Xuân Hòa", "2024")][6].state == "conflict"
    assert by_unit[("Thọ Xuân", "Xã Xuân Hòa", "2024")][9].text == "n/a"
    assert "after not_available" in by_unit[("Thọ Xuân", "Xã Xuân Hòa", "2024")][9].title
    assert all(c.state == "missing" for c in by_unit[("Thọ Xuân", "Xã Xuân Thiên", "2024")].values())


def test_charts_draw_each_years_target():
    charts = {(c.indicator_id, c.year): c for c in before_after_charts(small_run()["consolidated"])}
    assert set(charts) == {(6, "2023"), (6, "2024"), (9, "2023"), (9, "2024")}
    # Indicator 9's target rose from 30% (2023) to 40% (2024): the line moves with it.
    assert charts[(9, "2023")].target_text == "30% trở lên" and charts[(9, "2024")].target_text == "40% trở lên"
    assert charts[(9, "2024")].target_x > charts[(9, "2023")].target_x
    tho_lap = next(r for r in charts[(9, "2024")].rows if r.label == "Xã Thọ Lập")
    before, after = tho_lap.bars
    assert before.phase == "before" and after.phase == "after" and after.width > before.width
    assert after.label == "~38.5" and "below" in after.classes
    html = render_report(**small_run())
    assert html.count('<svg class="chart"') == 4 and 'class="target"' in html


def test_an_empty_run_renders():
    empty = {name: frame(name, []) for name in COLUMNS}
    html = render_report(**empty, pictures={})
    assert "Nothing to review." in html and "No number to chart." in html and "No unit." in html


def test_odd_values_are_drawn_not_raised():
    run = small_run()
    run["consolidated"] = frame("consolidated", [
        cons("Thọ Xuân", "Xã Thọ Lập", "", 9, "after", "120"),  # out of range, year unknown
        cons("Thọ Xuân", "Xã Thọ Lập", "", 17, "after", "50"),  # no such indicator in the catalogue
        cons("Thọ Xuân", "Xã Xuân Hòa", "", 9, "after", "-5"),
    ])
    charts = before_after_charts(run["consolidated"])
    assert [(c.indicator_id, c.target_x) for c in charts] == [(9, None), (17, None)]
    bars = {r.label: r.bars[0] for r in charts[0].rows}
    assert bars["Xã Xuân Hòa"].width == 0 and bars["Xã Thọ Lập"].width == pytest.approx(440.0)
    assert "year unknown" in render_report(**run)


def test_missing_column_is_named():
    run = small_run()
    run["review"] = run["review"].drop(columns=["note"])
    with pytest.raises(ValueError, match="review: missing column.*note"):
        render_report(**run)


def test_write_report_is_whole(tmp_path):
    out = tmp_path / "OUT" / "report.html"
    n = write_report(out, **small_run())
    assert n == out.stat().st_size and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not [p for p in out.parent.iterdir() if p.name != "report.html"]  # no temporary file left


def test_template_ships_as_package_data():
    tomllib = pytest.importorskip("tomllib", reason="Python 3.11's tomllib reads pyproject.toml")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["normalize"]
    templates = list((REPO / "normalize" / "outputs" / "templates").iterdir())
    assert templates
    for path in templates:
        relative = path.relative_to(REPO / "normalize").as_posix()
        assert any(fnmatch(relative, g) for g in globs), f"{relative} is not in package-data: an install lacks it"
    assert any(d.split(">")[0].split("=")[0].strip().lower() == "jinja2" for d in config["project"]["dependencies"])


# --- the page as a browser draws it ------------------------------------------------------

def artefacts_dir() -> Path:
    folder = Path(os.environ.get("CHITIEU_TEST_ARTEFACTS") or REPO / "tests" / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def chromium(page: Path, profile: Path, *mode: str) -> subprocess.CompletedProcess:
    """Headless Chromium with every request refused: a proxy on the discard port, no host resolved."""
    command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
               "--disable-extensions", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
               "--virtual-time-budget=5000", *mode, page.as_uri()]
    # HOME too: Chromium writes a few files there besides its profile.
    env = dict(os.environ, HOME=str(profile))
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, check=False)


@pytest.mark.skipif(shutil.which("chromium") is None,
                    reason="Chromium not installed (Debian package `chromium`; `make test` installs it)")
def test_chromium_draws_every_crop(tmp_path):
    artefacts = artefacts_dir()
    page = artefacts / "report.html"
    write_report(page, **small_run())
    screenshot = artefacts / "report.png"
    screenshot.unlink(missing_ok=True)

    started = time.monotonic()
    shot = chromium(page, tmp_path / "profile-shot", f"--screenshot={screenshot}", "--window-size=1280,4000")
    dom = chromium(page, tmp_path / "profile-dom", "--dump-dom")
    elapsed = time.monotonic() - started
    assert shot.returncode == 0 and dom.returncode == 0, shot.stderr[-2000:] + dom.stderr[-2000:]

    found = crops_by_item(dom.stdout)
    assert set(found) == {"d1", "d2", "d3"}, "the review items did not reach the DOM"
    for decision, imgs in found.items():
        assert [img.get("data-loaded") for img in imgs] == ["1"], f"{decision}: its crop did not decode"

    assert screenshot.exists(), shot.stderr[-2000:]
    with Image.open(screenshot) as image:
        assert image.size == (1280, 4000)
        grey = image.convert("L")
        low, high = grey.getextrema()
        dark = sum(grey.histogram()[:128])
    assert high - low > 100 and dark > 5000, "the screenshot is blank"
    assert elapsed < 60, f"Chromium took {elapsed:.1f} s"


def test_units_whose_names_fold_alike_keep_one_order():
    """Xã Hoằng Quý and Xã Hoằng Quỳ fold alike: their order in the report is their letters',
    not a set's (which changed with PYTHONHASHSEED)."""
    from normalize.outputs.report_charts import Unit

    units = [Unit("Hoằng Hóa", "Xã Hoằng Quỳ", "2024"), Unit("Hoằng Hóa", "Xã Hoằng Quý", "2024")]
    assert sorted(units, key=lambda u: u.sort_key) == sorted(reversed(units), key=lambda u: u.sort_key)
    assert [u.commune for u in sorted(units, key=lambda u: u.sort_key)] == ["Xã Hoằng Quý", "Xã Hoằng Quỳ"]
