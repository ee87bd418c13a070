"""Small rotations of scanned pages: measure them and undo them.

The skew is found from the image alone by the projection-profile method: shear the
dark pixels by a candidate angle and keep the angle whose row histogram is the most
peaked, since text lines and table rules then fall into as few rows as possible.
A coarse search on a small copy is refined on a larger one, then interpolated.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from extract.imaging.binarize import as_gray, image_to_ink

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


@dataclass(frozen=True)
class Skew:
    """Where a point of a page image is once the page is turned straight (``deskew``'s
    image: turned by ``-angle`` about its centre, same size), and back."""

    angle: float  # degrees, counter-clockwise positive, as ``estimate_skew``
    width: int
    height: int

    def _turn(self, x: float, y: float, degrees: float) -> tuple[float, float]:
        t = math.radians(degrees)
        cx, cy = self.width / 2, self.height / 2
        dx, dy = x - cx, y - cy
        return cx + dx * math.cos(t) + dy * math.sin(t), cy - dx * math.sin(t) + dy * math.cos(t)

    def to_straight(self, x: float, y: float) -> tuple[float, float]:
        return self._turn(x, y, -self.angle)

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        return self._turn(x, y, self.angle)

    def box_to_straight(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """The upright box around a box of the page once turned straight."""
        xs, ys = zip(*(self.to_straight(x, y) for x in (x0, x1) for y in (top, bottom)))
        return min(xs), min(ys), max(xs), max(ys)

    def straighten(self, image: Image.Image, *, resample=None) -> Image.Image:
        fill = 255 if image.mode == "L" else (255,) * len(image.getbands())
        out = image.rotate(-self.angle, resample=RESAMPLE if resample is None else resample, expand=False,
                           fillcolor=fill)
        out.info.update(image.info)
        return out

    def crop_straight(self, image: Image.Image, box: tuple[float, float, float, float]) -> Image.Image:
        """``straighten(image).crop(box)``, turning only the pixels of the box.

        A cell is a thousandth of a page: turning the whole page (a fifth of a second,
        bicubic) to cut a few cells out of it costs more than reading them."""
        left, top, right, bottom = (int(round(v)) for v in box)
        a, b, c, d, e, f = self._matrix()
        fill = 255 if image.mode == "L" else (255,) * len(image.getbands())
        return image.transform((max(right - left, 0), max(bottom - top, 0)), Image.AFFINE,
                               (a, b, a * left + b * top + c, d, e, d * left + e * top + f),
                               resample=RESAMPLE, fillcolor=fill)

    def _matrix(self) -> tuple[float, ...]:
        # The inverse mapping Image.rotate(-angle) builds: from a pixel of the straight
        # page to the point of the leaning page it is sampled from.
        t = -math.radians((-self.angle) % 360.0)
        a, b = round(math.cos(t), 15), round(math.sin(t), 15)
        cx, cy = self.width / 2, self.height / 2
        return a, b, a * -cx + b * -cy + cx, -b, a, -b * -cx + a * -cy + cy


class Straightened:
    """A leaning page seen as ``Skew.straighten`` would make it, turned one crop at a time."""

    def __init__(self, image: Image.Image, skew: Skew) -> None:
        self.image, self.skew = image, skew
        self.mode = image.mode

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size

    def crop(self, box: tuple[float, float, float, float]) -> Image.Image:
        return self.skew.crop_straight(self.image, box)

    def whole(self) -> Image.Image:
        return self.skew.straighten(self.image)


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The page rotated upright, white-filled, and the skew that was removed."""
    angle = estimate_skew(image)
    if abs(angle) < MIN_ROTATION:
        return image, angle
    gray = image if image.mode in ("L", "RGB") else image.convert("L")
    return Skew(angle, gray.width, gray.height).straighten(gray), angle


def _ink_points(image: Image.Image, *, target_width: int) -> np.ndarray | None:
    """Coordinates (x from the centre, y) of ink pixels in a copy about ``target_width`` wide."""
    factor = max(1, round(image.width / target_width))
    small = as_gray(image)
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
