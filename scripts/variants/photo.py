"""Damage kind "photo" (issue 12, item 3): a phone photo of a printed page, or of a slide on a screen.

Each page is rendered (pdfium) at the resolution the photo needs, then becomes a sheet: the
page printed (a 16:9 slide printed on A4 landscape with its banner and the printer's margins)
on a desk (wood, laminate or cloth), or, for a slide, shown on a screen with its banner, the
black the panel shows around it and the bezel, in a dark room (photo_scene.py). The phone
(photo_camera.py, with OpenCV, imported only when a photo is taken) sees
it in perspective (tilted up to 25°, yawed up to 10° off the sheet's normal), turned by any
quarter turn and up to ±10° more, the sheet maybe bowed; the light falls to 40-90% of white
(its darkest point, exactly), with a hard shadow band, a soft corner shadow, both or neither,
and a warm or cold cast; blur σ 0-1.5 px, sensor noise, JPEG (or WEBP; HEIC when pillow-heif
is installed) at quality 60-90, 1200-4000 px wide. Some files store the pixels as the sensor
lay and an EXIF Orientation tag saying how to show them: a reader that ignores the tag sees
the page a further quarter or half turn round. A document of several pages becomes a photo of
each, gathered in a PDF (format "pdf", no EXIF) as the phone apps that "scan to PDF" keep
them, at 300 dpi so that a render at chitieu's default gives back the photo's pixels.

The axes (variants.csv): turn (the page's quarter turn as shown, EXIF applied; 0/90/180/270
anticlockwise, as the scans'), skew (the further turn, degrees), tilt and yaw (degrees), bow
(the sheet's sag at its middle, a signed share of its height), shadow (none, band, corner,
both), light (the darkest light, a share of white), cast ("warm 0.08", "cold 0.12", "none"),
blur (σ, px of the photo), noise (σ, gray levels), jpeg (the quality, whatever the format),
fill (the share of the picture the sheet spans), width and height (px, as shown), format (jpg,
webp, heic, pdf), exif (the Orientation tag written: 3, 6 or 8; "" none), surface (wood,
laminate, cloth, screen) and dpi (the page's resolution in the photo). draw_axes draws them
from the document's random.Random; photograph() draws the pixels from numpy default_rng(seed)
and says what the pages made of the drawn surface, format and exif: one seed, one file.
"""
from __future__ import annotations

import importlib.util
import random
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

AXES = ("surface", "tilt", "yaw", "bow", "shadow", "cast", "fill", "width", "height", "format", "exif")
TILT, YAW, SKEW = 25.0, 10.0, 10.0  # degrees, either way
TURNS = ((0, 90, 180, 270), (0.55, 0.2, 0.05, 0.2))  # most upright; the phone held sideways; upside down
BOW = (0.5, 0.03)  # half the sheets bowed, their middle off by up to 3% of their height
SHADOWS = (("none", "band", "corner", "both"), (0.3, 0.25, 0.25, 0.2))
LIGHT = (0.40, 0.90)  # the darkest light on the scene, a share of white
CASTS = (("none", "warm", "cold"), (0.3, 0.4, 0.3))  # warm: tungsten, warm LEDs; cold: tubes, shade
CAST_STRENGTH = (0.03, 0.15)
BLUR = (0.0, 1.5)  # σ px: focus, hand shake
NOISE = (1.5, 7.0)  # σ gray levels
QUALITY = (60, 90)
WIDTH = (1200, 4000)  # px, as shown
FORMATS = (("jpg", "webp", "heic"), (0.75, 0.15, 0.10))  # heic only with pillow-heif; jpg without
EXIF = (0.3, (6, 8, 3), (0.6, 0.3, 0.1))  # share stored as the sensor lay; the tags, shares
SURFACES = (("wood", "laminate", "cloth", "screen"), (0.3, 0.3, 0.15, 0.25))  # screen: slides only
FILL = (0.62, 0.9)
FOV = 0.65  # tan of half the phone's horizontal field of view (about 66°)
MAX_DPI = 600  # the page is rendered a little finer than the photo needs, up to this
PDF_DPI = 300
ORIENTATION = 0x0112
# Orientation tag -> how the stored pixels are made from the picture as shown (the tag undoes it)
STORE = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}
EXIF_TURN = {3: 180, 6: 90, 8: 270}  # the further anticlockwise turn of the stored pixels
SAVE = {"jpg": "JPEG", "webp": "WEBP", "heic": "HEIF"}
FIXED_DATE = time.gmtime(1703980800)  # 2023-12-31: no wall clock in the file
BLUR_BINS = (0.0, 0.5, 1.0, 1.5)  # the benchmark's curves: σ px, the nearest (a tie goes to the sharper)
WIDTH_BINS = ("1200-2000", "2000-3000", "3000-4000")  # px, each up to the next's start


def heic_available() -> bool:
    return importlib.util.find_spec("pillow_heif") is not None


def draw_axes(rng: random.Random) -> dict:
    """A photo's axes, each drawn every time (so the draws that follow never shift)."""
    cast, strength = rng.choices(*CASTS)[0], rng.uniform(*CAST_STRENGTH)
    bowed, bow = rng.random() < BOW[0], rng.uniform(-BOW[1], BOW[1])
    fmt = rng.choices(*FORMATS)[0]
    turned, tag = rng.random() < EXIF[0], rng.choices(*EXIF[1:])[0]
    return {"mode": "rgb", "surface": rng.choices(*SURFACES)[0], "tilt": round(rng.uniform(-TILT, TILT), 2),
            "yaw": round(rng.uniform(-YAW, YAW), 2), "turn": rng.choices(*TURNS)[0],
            "skew": round(rng.uniform(-SKEW, SKEW), 2), "bow": round(bow, 4) if bowed else 0.0,
            "shadow": rng.choices(*SHADOWS)[0], "light": round(rng.uniform(*LIGHT), 2),
            "cast": f"{cast} {strength:.2f}" if cast != "none" else "none",
            "blur": round(rng.uniform(*BLUR), 2), "noise": round(rng.uniform(*NOISE), 1),
            "jpeg": rng.randint(*QUALITY), "fill": round(rng.uniform(*FILL), 3), "width": rng.randint(*WIDTH),
            "format": "jpg" if fmt == "heic" and not heic_available() else fmt, "exif": tag if turned else ""}


def exif_bytes(tag: int) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = tag
    return exif.tobytes()


def store(pictures: list[Image.Image], path: Path, fmt: str, quality: int, exif) -> None:
    """Write the pictures: one image file (its pixels stored turned under an EXIF Orientation
    tag when ``exif`` names one), or a PDF of them."""
    if fmt == "pdf":
        pictures[0].save(path, "PDF", resolution=PDF_DPI, save_all=True, append_images=pictures[1:],
                         quality=quality, title="chitieu variant photo", author="scripts/make_variants.py",
                         creationDate=FIXED_DATE, modDate=FIXED_DATE)
        return
    picture, extra = pictures[0], {}
    if exif:
        picture, extra = picture.transpose(STORE[int(exif)]), {"exif": exif_bytes(int(exif))}
    if fmt == "heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
    picture.save(path, SAVE[fmt], quality=quality, **extra)


def photograph(pdf: Path, out: Path, stem: str, ax: dict, seed: int) -> tuple[str, dict]:
    """Photograph every page of ``pdf`` into ``out/<stem>.<format>``; returns the file's name and
    the axes known once taken: surface (a screen shows slides only; another page lies on a desk),
    bow (a screen is flat), format and exif (a PDF of several pages has none), width, height, dpi,
    pages."""
    from variants import photo_camera as camera  # OpenCV: only where photos are taken
    from variants.photo_scene import is_slide

    gen = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(pdf))
    try:
        surface = ax["surface"]
        if surface == "screen" and not is_slide(doc[0].get_size()):
            surface = ("wood", "laminate", "cloth")[seed % 3]
        bow = 0.0 if surface == "screen" else ax["bow"]
        shots = [camera.shoot(doc[k], ax | {"surface": surface, "bow": bow}, gen) for k in range(len(doc))]
    finally:
        doc.close()
    fmt = ax["format"] if len(shots) == 1 else "pdf"
    exif = ax["exif"] if fmt != "pdf" else ""
    name = f"{stem}.{fmt}"
    store([picture for picture, _ in shots], out / name, fmt, int(ax["jpeg"]), exif)
    first, dpi = shots[0]
    return name, {"surface": surface, "bow": bow, "format": fmt, "exif": exif, "width": first.width,
                  "height": first.height, "dpi": dpi, "pages": len(shots)}


def blur_bin(blur) -> float:
    """The σ a photo's blur is counted under in the benchmark's curve, the nearest of BLUR_BINS."""
    return min(BLUR_BINS, key=lambda b: (abs(b - float(blur or 0)), b))


def width_bin(width) -> str:
    """The width band a photo is counted under (WIDTH_BINS: 1200-2000, 2000-3000, 3000-4000 px)."""
    w = int(width)
    return WIDTH_BINS[0] if w < 2000 else WIDTH_BINS[1] if w < 3000 else WIDTH_BINS[2]
