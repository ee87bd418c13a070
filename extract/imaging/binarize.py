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
