"""Phones' HEIC photos are read as their JPEGs are (issue 12, item 3), turned as their
orientation says; a HEIC that cannot be decoded is an error of its input, said."""
from __future__ import annotations

import pytest
from PIL import Image

import chitieu
from chitieu.inputs import expand_inputs

pillow_heif = pytest.importorskip("pillow_heif")

PHOTO = "deck_2023_summary_photo_1.jpg"


def _values(result) -> dict:
    return {(r.commune, r.indicator_id, r.phase): (r.value, r.status) for r in result.run.records}


@pytest.fixture(scope="module")
def sideways_heic(samples, tmp_path_factory):
    """The sample photo stored turned a quarter, its EXIF orientation (6: turn clockwise to
    view) saying so, as an iPhone stores a photo taken with the phone held sideways; saved
    at HEIF's lossless setting with full chroma (the pixels within one level of the JPEG's)."""
    pillow_heif.register_heif_opener()
    sideways = Image.open(samples / PHOTO).convert("RGB").transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path_factory.mktemp("heic") / "IMG_0420.HEIC"
    sideways.save(path, format="HEIF", quality=-1, chroma=444, exif=exif.tobytes())
    return path


def test_heic_is_turned_as_its_orientation_says(samples, sideways_heic):
    from extract.imaging.render import load_image

    assert load_image(sideways_heic)[0].size == load_image(samples / PHOTO)[0].size == (2000, 1400)


def test_heic_is_an_input(sideways_heic):
    files, refused = expand_inputs([str(sideways_heic.parent)])
    assert [f.source_file for f in files] == ["IMG_0420.HEIC"] and refused == []


@pytest.mark.tesseract
def test_a_sideways_heic_reads_as_the_jpeg(samples, sideways_heic):
    jpeg = _values(chitieu.read([str(samples / PHOTO)], jobs=1))
    heic = chitieu.read([str(sideways_heic)], jobs=1)
    assert heic.run.errors == () or all(e.stage != "input" for e in heic.run.errors)
    got = _values(heic)
    assert len({k[0] for k in jpeg}) >= 3 and len(jpeg) >= 30  # values of several communes: a comparison that means something
    same = sum(got.get(k) == v for k, v in jpeg.items())
    assert same >= len(jpeg) - 2, f"{same} of {len(jpeg)} values as the JPEG's"


def test_a_broken_heic_is_an_error_of_its_input(tmp_path, sideways_heic):
    broken = tmp_path / "broken.heic"
    broken.write_bytes(sideways_heic.read_bytes()[:2000])
    result = chitieu.read([str(broken)], jobs=1)
    assert result.run.records == () or not result.run.records
    assert [e.source_file for e in result.run.errors] == ["broken.heic"]
