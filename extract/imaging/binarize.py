"""Grayscale page images to boolean ink masks (True where the pixel is dark)."""
from __future__ import annotations

import numpy as np
from PIL import Image


def as_gray(image: Image.Image) -> Image.Image:
    """The image in mode "L": itself when it already is (``convert`` would copy it)."""
    return image if image.mode == "L" else image.convert("L")


def otsu_from_histogram(hist) -> int:
    """Otsu's threshold from the 256 counts of a gray histogram."""
    hist = np.asarray(hist, dtype=np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256, dtype=np.float64)
    weight_bg = np.cumsum(hist)
    weight_fg = total - weight_bg
    mass = np.cumsum(hist * levels)
    mean_bg = mass / np.maximum(weight_bg, 1)
    mean_fg = (mass[-1] - mass) / np.maximum(weight_fg, 1)
    between = weight_bg * weight_fg * (mean_bg - mean_fg) ** 2
    return int(np.argmax(between))


def image_to_ink(image: Image.Image, *, threshold: int | None = None) -> np.ndarray:
    """Boolean mask of dark pixels; Otsu's threshold unless one is given.

    A nearly blank page has no bimodal histogram, so Otsu is clamped to a range
    where paper noise cannot become ink.
    """
    gray = as_gray(image)
    if threshold is None:
        threshold = min(max(otsu_from_histogram(gray.histogram()), 60), 200)
    return np.asarray(gray) <= threshold


def whiten_paper(image: Image.Image, *, white: int = 220) -> Image.Image:
    """The page with its gray, noisy paper stretched to pure white and its ink kept.

    Tesseract binarises the page itself, and on scanner-gray paper with noise it
    breaks glyphs apart ("99,5%" read as "9,370"); giving it white paper avoids
    that. Pages that are mostly dark (inverted slides) are returned unchanged.
    """
    gray = as_gray(image)
    hist = np.array(gray.histogram())
    paper, ink = _gray_percentile(hist, 60), _gray_percentile(hist, 0.5)
    if paper - ink < 60:
        return gray
    levels = np.arange(256, dtype=np.float64)
    lut = np.clip((levels - ink) * (255.0 / (paper - ink)), 0, 255)
    lut[lut > white] = 255
    out = gray.point(lut.round().astype(np.uint8).tolist())
    out.info.update(image.info)
    return out


def _gray_percentile(hist: np.ndarray, q: float) -> int:
    """The gray level below which ``q`` percent of the pixels lie."""
    cumulative = np.cumsum(hist)
    return int(np.searchsorted(cumulative, cumulative[-1] * q / 100.0))


# Chroma (max channel - min channel) from which a pixel starts to count as coloured ink,
# and the span over which it turns into it wholly. A red seal (mực dấu) or a blue
# ballpoint at the lightest the variants draw them stands 60 or more above paper; a
# photo's warm or cold cast and a scanner's fringes stay under 40, so they are left as
# they are (a cast becomes a little whiter paper at most).
COLOUR_FROM, COLOUR_SPAN = 40, 40
# A blue ballpoint is as dark as black print in every channel but blue (the variants'
# signatures scan as (10-14, 17-22, 59-65)), so its lightest channel does not lift it: a
# pixel whose blue stands BLUE_FROM above its red and green starts to become paper, and
# wholly at twice that. Navy print goes with it; official print is black (Decree 30/2020),
# and signatures are signed in blue. With the lightest channel
# alone, seed 61's 8 stamped variants read 300 of 328 cells right; with the blue dropped, 315.
BLUE_FROM = 20
# Of a thumbnail's pixels (36 dpi), the share at least COLOUR_FROM from gray for a page to show
# coloured ink over it; fewer, and it is rendered gray as it always was. Seed 61's 8 stamped pages
# measure 0.27-0.64%, its 31 gray and RGB pages without seal 0.000% (make_variants --n 40
# --seed 61 --kinds scan,turned,stamped,lowres); the sealed pages of seed 83's 30 stamped
# variants 0.19-0.73%. Taking a gray page for a coloured one only costs the colour render.
COLOUR_SHARE = 0.0005
# More than this, and the colour is the page's or the scene's, not ink over it: a photo on a
# wooden or cloth desk, a slide's banner. Photos measure 1.0-93% (make_variants --n 30 --seed 5
# --kinds photo); dropping their colour found fewer sheets on coloured desks: 1,476 cells right
# of 3,249 fell to 955. Those of 1.0-1.5% read the same either way.
INK_SHARE = 0.015


INK_DROPPED = "chitieu.ink_dropped"  # info key: where coloured ink was dropped from the page (inked.Region)


def has_colour(image: Image.Image) -> bool:
    """Whether a small copy of a page (a thumbnail) shows coloured ink over it: on enough
    pixels to be a seal or a signature, on too few to be a coloured page or scene."""
    if image.mode not in ("RGB", "RGBA", "P", "CMYK"):
        return False
    a = np.asarray(image.convert("RGB"), dtype=np.int16)
    return COLOUR_SHARE <= float(np.mean(a.max(axis=2) - a.min(axis=2) >= COLOUR_FROM)) <= INK_SHARE


def drop_colour_ink(image: Image.Image) -> Image.Image:
    """The page in gray with coloured ink (a red seal, a blue signature) lightened away.

    A translucent ink over paper leaves the paper's light in its own colour's channel,
    and black print under it stays dark in all three: a strongly coloured pixel is
    given the level of its lightest channel, a gray one its luminance, and the ones
    between something between; blue ink becomes paper (``BLUE_FROM``). Print in a strong
    colour (a red heading, navy text) fades with it; dark red print stays dark enough to
    be read. A page with almost no colour costs only the look at a reduced copy.

    On 30 stamped variants (make_variants --n 30 --seed 83 --kinds stamped) the cells
    read right went from 2,663 to 2,800 of 3,127, the seal's from 1 to 19 of 61, the
    signature's from 3 to 25 of 62, wrong-and-silent values from 4 to 1; on seed 61's 8
    stamped ones from 281 to 315 of 328."""
    if image.mode not in ("RGB", "RGBA", "P", "CMYK"):
        return as_gray(image)
    rgb = image.convert("RGB")  # Pillow's reduce takes no palette image
    if not has_colour(rgb.reduce(8)):
        return as_gray(image)
    a = np.asarray(rgb)
    hi = a.max(axis=2).astype(np.float32)
    lum = np.asarray(rgb.convert("L"), dtype=np.float32)
    weight = np.clip((hi - a.min(axis=2) - COLOUR_FROM) / COLOUR_SPAN, 0.0, 1.0)
    gray = lum + weight * (hi - lum)
    blue = a[:, :, 2].astype(np.float32) - np.maximum(a[:, :, 0], a[:, :, 1])
    pen = np.clip((blue - BLUE_FROM) / BLUE_FROM, 0.0, 1.0)
    out = Image.fromarray((gray + pen * (255.0 - gray)).round().astype(np.uint8), mode="L")
    out.info.update(image.info)
    from extract.imaging.inked import ink_regions

    out.info[INK_DROPPED] = ink_regions((weight > 0.5) | (pen > 0.5))
    return out
