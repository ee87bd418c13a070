"""Small rotations of scanned pages: measure them and undo them.

The skew is found from the image alone by the projection-profile method: shear the
dark pixels by a candidate angle and keep the angle whose row histogram is the most
peaked, since text lines and table rules then fall into as few rows as possible.
A coarse search on a small copy is refined on a larger one, then interpolated.
"""
from __future__ import annotations

import logging

import numpy as np
from PIL import Image

from extract.binarize import image_to_ink

log = logging.getLogger(__name__)

MAX_ANGLE = 10.0  # degrees searched either way
MIN_ROTATION = 0.05  # below this a rotation blurs more than it straightens
RESAMPLE = Image.BICUBIC
_MAX_POINTS = 400_000  # ink pixels kept for scoring; more only costs time


def estimate_skew(image: Image.Image, *, max_angle: float = MAX_ANGLE) -> float:
    """The page's rotation in degrees, counter-clockwise positive (as ``Image.rotate``).

    ``deskew`` undoes it by rotating by the opposite angle. Returns 0.0 for a page
    with too little ink to tell.
    """
    coarse = _ink_points(image, target_width=900)
    if coarse is None:
        return 0.0
    step = 0.2
    angles = np.arange(-max_angle, max_angle + step / 2, step)
    best = _best_angle(coarse, angles)

    fine = _ink_points(image, target_width=1800)
    step = 0.025
    angles = np.arange(best - 0.3, best + 0.3 + step / 2, step)
    scores = np.array([_profile_score(fine, a) for a in angles])
    i = int(np.argmax(scores))
    angle = float(angles[i])
    if 0 < i < len(angles) - 1:
        angle += step * _parabola_peak(scores[i - 1], scores[i], scores[i + 1])
    log.debug("estimated skew %.3f°", angle)
    return round(angle, 3)


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The page rotated upright, white-filled, and the skew that was removed."""
    angle = estimate_skew(image)
    if abs(angle) < MIN_ROTATION:
        return image, angle
    mode = image.mode
    gray = image if mode in ("L", "RGB") else image.convert("L")
    fill = 255 if gray.mode == "L" else (255, 255, 255)
    rotated = gray.rotate(-angle, resample=RESAMPLE, expand=False, fillcolor=fill)
    rotated.info.update(image.info)
    return rotated, angle


def _ink_points(image: Image.Image, *, target_width: int) -> np.ndarray | None:
    """Coordinates (x from the centre, y) of ink pixels in a copy about ``target_width`` wide."""
    factor = max(1, round(image.width / target_width))
    small = image.convert("L")
    if factor > 1:
        # A box reduction keeps thin rules as gray instead of dropping them.
        small = small.reduce(factor)
    ink = image_to_ink(small)
    ys, xs = np.nonzero(ink)
    if len(xs) < 50:
        return None
    if len(xs) > _MAX_POINTS:
        keep = np.random.default_rng(0).choice(len(xs), _MAX_POINTS, replace=False)
        xs, ys = xs[keep], ys[keep]
    xs = xs.astype(np.float64) - ink.shape[1] / 2
    return np.stack([xs, ys.astype(np.float64)])


def _profile_score(points: np.ndarray, angle: float) -> float:
    xs, ys = points
    # Undo a counter-clockwise rotation: in image rows (y down) a rotated line
    # satisfies y = y0 - x·tan(a), so y + x·tan(a) is constant along it.
    rows = np.round(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
    rows -= rows.min()
    hist = np.bincount(rows).astype(np.float64)
    return float(np.sum(np.diff(hist) ** 2))


def _best_angle(points: np.ndarray, angles: np.ndarray) -> float:
    scores = [_profile_score(points, a) for a in angles]
    return float(angles[int(np.argmax(scores))])


def _parabola_peak(left: float, mid: float, right: float) -> float:
    """Offset in steps (-0.5..0.5) of the vertex of the parabola through three scores."""
    denom = left - 2 * mid + right
    if denom >= 0:
        return 0.0
    return float(np.clip(0.5 * (left - right) / denom, -0.5, 0.5))
