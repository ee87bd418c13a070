"""Where coloured ink (a seal, a signature) was dropped from a page, followed to the page as read.

``binarize.drop_colour_ink`` reads the print under a seal or a signature; an edge of the
ink can still take a stroke from a digit, so the values it covered are flagged. Its
regions are kept as fractions of the page (left, top, right, bottom in 0-1), which a
change of resolution leaves as they are, and which are turned with the page when it is
turned a quarter or a half; a small skew is within their margin.
"""
from __future__ import annotations

import numpy as np

Region = tuple[float, float, float, float]  # left, top, right, bottom: fractions of the page

GRID = 8  # pixels of the page per cell of the grid the ink is looked for on
# Margin added around each region, a share of the page's side: a stroke's antialiased edge and
# the grid's rounding. A page's skew is followed (``straighten_regions``), not left to the margin.
MARGIN = 0.015


def ink_regions(mask: np.ndarray) -> tuple[Region, ...]:
    """The boxes of the connected blots of ``mask`` (True where ink was dropped), as fractions."""
    import cv2

    h, w = mask.shape
    gh, gw = -(-h // GRID), -(-w // GRID)
    padded = np.zeros((gh * GRID, gw * GRID), dtype=bool)
    padded[:h, :w] = mask
    grid = padded.reshape(gh, GRID, gw, GRID).any(axis=(1, 3)).astype(np.uint8)
    # A seal's ring and its text, a signature's strokes: one blot each, not one per stroke.
    grid = cv2.dilate(grid, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    regions = []
    for x, y, bw, bh, _area in stats[1:count]:
        regions.append((max(0.0, x / gw - MARGIN), max(0.0, y / gh - MARGIN),
                        min(1.0, (x + bw) / gw + MARGIN), min(1.0, (y + bh) / gh + MARGIN)))
    return tuple(regions)


def turn_regions(regions: tuple[Region, ...], ccw: int) -> tuple[Region, ...]:
    """``regions`` on the page turned ``ccw`` degrees counter-clockwise (0, 90, 180, 270)."""
    ccw %= 360
    out = []
    for x0, y0, x1, y1 in regions:
        if ccw == 90:  # the top-right corner comes to the top left
            out.append((y0, 1 - x1, y1, 1 - x0))
        elif ccw == 180:
            out.append((1 - x1, 1 - y1, 1 - x0, 1 - y0))
        elif ccw == 270:
            out.append((1 - y1, x0, 1 - y0, x1))
        else:
            out.append((x0, y0, x1, y1))
    return tuple(out)


def straighten_regions(regions: tuple[Region, ...], angle: float, size: tuple[int, int]) -> tuple[Region, ...]:
    """``regions`` of a page of ``size`` (pixels) leaning by ``angle`` degrees, on the page
    turned straight (``deskew.Skew``): the upright box around each region turned."""
    from extract.imaging.deskew import Skew

    if not angle:
        return regions
    w, h = size
    skew = Skew(angle, w, h)
    out = []
    for x0, y0, x1, y1 in regions:
        a, b, c, d = skew.box_to_straight(x0 * w, y0 * h, x1 * w, y1 * h)
        out.append((max(0.0, a / w), max(0.0, b / h), min(1.0, c / w), min(1.0, d / h)))
    return tuple(out)


def in_points(regions: tuple[Region, ...], size: tuple[float, float]) -> tuple[Region, ...]:
    """``regions`` in the points of a page of ``size`` (width, height)."""
    w, h = size
    return tuple((x0 * w, y0 * h, x1 * w, y1 * h) for x0, y0, x1, y1 in regions)


# A bowed sheet is flattened by its outline, not by the corners' homography its regions are
# carried by: their boxes are widened by the most a sheet of make_variants' photos sags (3% of
# its height, variants/photo.py BOW) so the ink stays inside them.
BOW_MARGIN = 0.03


def warp_regions(regions: tuple[Region, ...], matrix: tuple, *, bowed: bool = False) -> tuple[Region, ...]:
    """``regions`` of a photo on the sheet rectified from it: ``matrix`` (3×3, row by row) maps
    the photo's fractions to the sheet's. A region off the sheet (the desk, a screen's banner
    beside the slide) is left out."""
    import cv2

    m = np.asarray(matrix, dtype=np.float64).reshape(3, 3)
    pad = BOW_MARGIN if bowed else 0.0
    out = []
    for x0, y0, x1, y1 in regions:
        corners = np.float64([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]).reshape(-1, 1, 2)
        p = cv2.perspectiveTransform(corners, m).reshape(-1, 2)
        a, b = p.min(axis=0) - pad
        c, d = p.max(axis=0) + pad
        if c <= 0 or d <= 0 or a >= 1 or b >= 1:
            continue
        out.append((max(0.0, float(a)), max(0.0, float(b)), min(1.0, float(c)), min(1.0, float(d))))
    return tuple(out)
