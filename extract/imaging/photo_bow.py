"""A bowed sheet made flat: its outline, not only its four corners, mapped to the rectangle.

The four corners' homography (``photo.rectify``) leaves a sheet that sags between them with
curved sides. In the homography's frame each side of the sheet's outline is fitted by a
parabola (the sag of a sheet bent about one axis), and each point of the page is taken from
between its column's top and bottom curves and its row's left and right ones (a Coons-like
blend of the four sides' deviations). The map is computed on a coarse grid, enlarged and
applied once by ``cv2.remap`` from the photo itself.
"""
from __future__ import annotations

import cv2
import numpy as np

GRID = 16  # px of the output between the points the map is computed at (it is smooth)
# A side whose fitted sag is under this share of the sheet's size is taken as straight: the
# outline, found on a copy reduced to 800 px, is good to a few of its pixels.
MIN_SAG = 0.004
# The two sagging sides of a bent sheet sag alike: the sheets of make_variants --n 30 --seed 5
# --kinds photo drawn with a bow measure top and bottom (or left and right) within 20% of each
# other (v0005: 0.011 and 0.013 of the height, v0008: 0.027 and 0.021, v0019: 0.025 and 0.029).
SAG_AGREE = 0.5
STRAIGHT = 0.25  # the other two sides, against the lesser sag: the outline's few pixels of error


def side_curves(outline: np.ndarray, matrix: np.ndarray) -> list[np.ndarray]:
    """The deviations of the four sides of ``outline`` (photo px, N×2) from the unit square
    ``matrix`` maps the sheet's corners to: coefficients of a parabola in the side's own
    coordinate (0-1) for top (dy), bottom (dy), left (dx), right (dx); zeros when straight."""
    p = cv2.perspectiveTransform(outline.reshape(-1, 1, 2).astype(np.float64), matrix).reshape(-1, 2)
    u, v = p[:, 0], p[:, 1]
    fits = []
    band = 0.15  # share of the sheet about each side its outline's points are taken from
    for along, across, target, near in ((u, v, 0.0, v < band), (u, v, 1.0, v > 1 - band),
                                        (v, u, 0.0, u < band), (v, u, 1.0, u > 1 - band)):
        keep = near & (along > 0.03) & (along < 0.97)
        if np.count_nonzero(keep) < 8:
            fits.append(np.zeros(3))
            continue
        coeffs = np.polyfit(along[keep], (across[keep] - target), 2)
        t = np.linspace(0, 1, 21)
        if np.abs(np.polyval(coeffs, t)).max() < MIN_SAG:
            coeffs = np.zeros(3)
        fits.append(coeffs)
    return fits


def is_bowed(curves: list[np.ndarray]) -> bool:
    """Whether ``curves`` (``side_curves``) are a sheet bent about one axis: two opposite sides
    sagging the same way by about as much (``SAG_AGREE``), the other two straight. An outline
    with one side curved alone is a sheet's edge lost in a shadow or the desk, not a bow:
    flattening by it would bend the page, so it is mapped by its corners only."""
    mid = [float(np.polyval(c, 0.5)) for c in curves]
    for (a, b), (c, d) in (((mid[0], mid[1]), (mid[2], mid[3])), ((mid[2], mid[3]), (mid[0], mid[1]))):
        if a * b <= 0 or max(abs(c), abs(d)) >= STRAIGHT * min(abs(a), abs(b)):
            continue
        if min(abs(a), abs(b)) >= SAG_AGREE * max(abs(a), abs(b)):
            return True
    return False


def flatten(gray: np.ndarray, matrix: np.ndarray, curves: list[np.ndarray], out: tuple[int, int]) -> np.ndarray:
    """The sheet of ``gray`` (the photo) remapped to ``out`` (w, h): ``matrix`` maps the photo to
    the unit square of ``curves`` (``side_curves``). The map is computed at the centres of
    ``cv2.resize``'s coarse pixels, (j + 0.5) / n of the way across."""
    w, h = out
    top, bottom, left, right = curves
    nu, nv = max(2, w // GRID + 1), max(2, h // GRID + 1)
    gu, gv = (np.arange(nu) + 0.5) / nu, (np.arange(nv) + 0.5) / nv
    u, v = np.meshgrid(gu, gv)
    dy = (1 - v) * np.polyval(top, u) + v * np.polyval(bottom, u)
    dx = (1 - u) * np.polyval(left, v) + u * np.polyval(right, v)
    src = np.stack([u + dx, v + dy], axis=-1).reshape(-1, 1, 2)
    photo = cv2.perspectiveTransform(src, np.linalg.inv(matrix)).reshape(v.shape + (2,)).astype(np.float32)
    map_x = cv2.resize(photo[..., 0], (w, h), interpolation=cv2.INTER_LINEAR)
    map_y = cv2.resize(photo[..., 1], (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.remap(gray, map_x, map_y, interpolation=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                     borderValue=255)
