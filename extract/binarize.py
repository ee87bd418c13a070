"""Grayscale page images to boolean ink masks (True where the pixel is dark)."""
from __future__ import annotations

import numpy as np
from PIL import Image


def otsu_threshold(gray: np.ndarray) -> int:
    """The gray level that best separates ink from paper (Otsu's method)."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
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
    gray = np.asarray(image.convert("L"), dtype=np.uint8)
    if threshold is None:
        threshold = min(max(otsu_threshold(gray), 60), 200)
    return gray <= threshold


def whiten_paper(image: Image.Image, *, white: int = 220) -> Image.Image:
    """The page with its gray, noisy paper stretched to pure white and its ink kept.

    Tesseract binarises the page itself, and on scanner-gray paper with noise it
    breaks glyphs apart ("99,5%" read as "9,370"); giving it white paper avoids
    that. Pages that are mostly dark (inverted slides) are returned unchanged.
    """
    a = np.asarray(image.convert("L"), dtype=np.float32)
    paper, ink = np.percentile(a, 60), np.percentile(a, 0.5)
    if paper - ink < 60:
        return image.convert("L")
    a = np.clip((a - ink) * (255.0 / (paper - ink)), 0, 255)
    a[a > white] = 255
    out = Image.fromarray(a.astype(np.uint8))
    out.info.update(image.info)
    return out
