"""What the phone sees before its lens and sensor do anything (variants/photo.py): the sheet
(a printed A4 page, a slide printed on A4 landscape, or a slide on a screen with its bezel
and black margins), the desk or the dark room around it, and the light falling on both.

Every array here is float32 RGB in 0-255 (alpha 0-255 where there is one); pixels are
drawn from the numpy Generator handed in, so one seed gives one picture.
"""
from __future__ import annotations

import math

import cv2
import numpy as np

A4_LANDSCAPE = (841.89, 595.28)  # pt
SLIDE_RATIO = 16 / 9
BANNER = 0.09  # a slide's banner, as a share of its height, set above what the page shows
BANNER_RGB = ((22, 54, 122), (168, 28, 36), (0, 104, 116), (34, 90, 52))  # navy, red, teal, green
ACCENT_RGB = (226, 178, 42)  # the thin gold rule under the banner
PANEL = 1.10  # the screen's width over the slide's: what is left shows black
BEZEL = 0.025  # the monitor's frame, a share of the panel's width each side
PANEL_BLACK = (26.0, 27.0, 30.0)  # a lit LCD's black, as a photo shows it
BEZEL_RGB = (14.0, 14.0, 16.0)
SCREEN_WHITE = 238.0  # a screen's white, photographed
INK = 0.06  # toner reflects about 6% of the light
PAPER_RGB = (245.0, 245.0, 240.0)
DESKS = {  # surface -> base colours (a wooden desk, a laminate top, a cloth; the dark room a screen stands in)
    "wood": ((150, 104, 64), (118, 78, 48), (184, 138, 92), (96, 66, 44)),
    "laminate": ((202, 201, 196), (212, 196, 170), (226, 225, 220), (92, 92, 96)),
    "cloth": ((42, 72, 52), (62, 62, 72), (40, 60, 112), (120, 40, 40)),
    "screen": ((40, 36, 33), (30, 30, 34), (52, 46, 40)),
}


def is_slide(size: tuple[float, float]) -> bool:
    """Whether a page (width, height in pt) is a 16:9 slide."""
    return abs(size[0] / size[1] - SLIDE_RATIO) < 0.02


def object_size(page: tuple[float, float], surface: str) -> tuple[float, float]:
    """The photographed object's size in pt: the screen (with its bezel) a slide is shown on,
    the A4 landscape sheet a slide is printed on, or the page itself as printed."""
    if not is_slide(page):
        return page
    if surface != "screen":
        return A4_LANDSCAPE
    w = page[0] * PANEL
    return w * (1 + 2 * BEZEL), w / SLIDE_RATIO + 2 * BEZEL * w


def with_banner(content: np.ndarray, gen: np.random.Generator) -> np.ndarray:
    """The slide with its banner above it: a band of the deck's colour, a gold rule under it."""
    h, w = content.shape[:2]
    band = round(BANNER * h)
    banner = np.empty((band, w, 3), np.float32)
    banner[:] = BANNER_RGB[int(gen.integers(len(BANNER_RGB)))]
    banner[band - max(2, band // 8):] = ACCENT_RGB
    return np.concatenate([banner, content], axis=0)


def fit_into(content: np.ndarray, canvas: np.ndarray, margin: float) -> None:
    """Paste ``content`` centred into ``canvas``, shrunk to leave ``margin`` (a share) each side."""
    ch, cw = content.shape[:2]
    h, w = canvas.shape[:2]
    k = min(1.0, (1 - 2 * margin) * w / cw, (1 - 2 * margin) * h / ch)
    if k < 1.0:
        content = cv2.resize(content, (max(1, round(cw * k)), max(1, round(ch * k))), interpolation=cv2.INTER_AREA)
        ch, cw = content.shape[:2]
    top, left = (h - ch) // 2, (w - cw) // 2
    canvas[top:top + ch, left:left + cw] = content


def printed(content: np.ndarray, size: tuple[int, int], slide: bool, gen: np.random.Generator) -> np.ndarray:
    """The page printed: toner on paper of a drawn tone, with the paper's faint grain."""
    w, h = size
    page = np.full((h, w, 3), 255.0, np.float32)
    if slide:
        fit_into(content, page, 0.04)
    else:  # the page is the sheet: pdfium may round its size by a pixel
        page[:] = cv2.resize(content, (w, h), interpolation=cv2.INTER_AREA) \
            if content.shape[:2] != (h, w) else content
    paper = np.asarray(PAPER_RGB, np.float32) * np.float32(gen.uniform(0.97, 1.0))
    grain = 1.0 + 0.012 * gen.standard_normal((h, w, 1), dtype=np.float32)
    page *= (1 - INK) / 255.0
    page += INK
    page *= paper * grain
    return page


def screen(content: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The slide on a monitor: lit pixels, the black the panel shows beside it, the bezel."""
    w, h = size
    face = np.empty((h, w, 3), np.float32)
    face[:] = BEZEL_RGB
    b = round(w * BEZEL / (1 + 2 * BEZEL))
    panel = face[b:h - b, b:w - b]
    panel[:] = PANEL_BLACK
    lit = np.asarray(PANEL_BLACK, np.float32) + content * ((SCREEN_WHITE - PANEL_BLACK[1]) / 255.0)
    fit_into(lit, panel, 0.03)
    return face


def sheet(content: np.ndarray, size: tuple[int, int], surface: str, slide: bool,
          gen: np.random.Generator) -> np.ndarray:
    """The object photographed, H×W×4 uint8 (alpha 255 all over), from the page rendered (RGB)."""
    content = content.astype(np.float32)
    if slide:
        content = with_banner(content, gen)
    face = screen(content, size) if surface == "screen" else printed(content, size, slide, gen)
    np.clip(face + 0.5, 0, 255, out=face)
    return np.concatenate([face.astype(np.uint8), np.full(face.shape[:2] + (1,), 255, np.uint8)], axis=2)


def smooth(gen: np.random.Generator, shape: tuple[int, int], size: tuple[int, int]) -> np.ndarray:
    """Noise of ``shape`` cells stretched over ``size`` (w, h): blotches or streaks."""
    cells = gen.standard_normal(shape, dtype=np.float32)
    return cv2.resize(cells, size, interpolation=cv2.INTER_CUBIC)


def desk(size: tuple[int, int], surface: str, gen: np.random.Generator) -> np.ndarray:
    """The surface around the sheet, H×W×3: wood grain, a mottled laminate, a woven cloth, a dark room."""
    w, h = size
    colours = DESKS[surface]
    base = np.asarray(colours[int(gen.integers(len(colours)))], np.float32) * np.float32(gen.uniform(0.88, 1.1))
    tex = 1.0 + 0.05 * smooth(gen, (4, 4), size)
    if surface == "wood":  # streaks along the grain, which runs one way or the other: broad and fine
        along = gen.random() < 0.5
        for k, (slow, fast) in ((0.08, (6, 14)), (0.05, (18, 4))):
            tex += k * smooth(gen, (slow, max(8, w // fast)) if along else (max(8, h // fast), slow), size)
    elif surface == "cloth":
        tex += 0.07 * cv2.GaussianBlur(gen.standard_normal((h, w), dtype=np.float32), (0, 0), 0.8)
    elif surface == "screen":
        tex += 0.10 * smooth(gen, (3, 3), size)
    tex += 0.015 * gen.standard_normal((h, w), dtype=np.float32)
    return base * tex[..., None]


def compose(warped: np.ndarray, background: np.ndarray, gen: np.random.Generator) -> np.ndarray:
    """The sheet laid on the background, with the soft shadow it casts on it."""
    h, w = background.shape[:2]
    alpha = warped[..., 3].astype(np.float32) / 255.0
    small = cv2.resize(alpha, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    dx, dy = (int(v) for v in gen.integers(-3, 4, 2))
    small = np.roll(cv2.GaussianBlur(small, (0, 0), float(gen.uniform(1.5, 3.5))), (dy, dx), axis=(0, 1))
    cast = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    background *= (1.0 - float(gen.uniform(0.25, 0.5)) * cast)[..., None]
    a = alpha[..., None]
    return background * (1.0 - a) + warped[..., :3].astype(np.float32) * a


def blend(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Two darkenings (0 none, 1 full) as one."""
    return 1.0 - (1.0 - p) * (1.0 - q)


def band(x: np.ndarray, y: np.ndarray, gen: np.random.Generator) -> np.ndarray:
    """A hard-edged band of shadow across the picture (the phone's, an arm's), at a drawn angle."""
    b = float(gen.uniform(0, math.pi))
    across = x * math.cos(b) + y * math.sin(b)
    lo, hi = float(across.min()), float(across.max())
    centre = lo + (hi - lo) * float(gen.uniform(0.2, 0.8))
    half, edge = float(gen.uniform(0.04, 0.15)), float(gen.uniform(0.002, 0.006))
    return np.clip((half - np.abs(across - centre)) / edge + 0.5, 0.0, 1.0) * np.float32(gen.uniform(0.6, 1.0))


def corner(x: np.ndarray, y: np.ndarray, gen: np.random.Generator) -> np.ndarray:
    """A soft shadow filling one corner of the picture."""
    cx = float(x.max()) if gen.random() < 0.5 else 0.0
    cy = float(y.max()) if gen.random() < 0.5 else 0.0
    rho = float(gen.uniform(0.25, 0.55))
    return np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / rho ** 2) * np.float32(gen.uniform(0.6, 1.0))


def light_field(size: tuple[int, int], shadow: str, floor: float, gen: np.random.Generator) -> np.ndarray:
    """The light on the scene, H×W in (0, 1]: a fall across it, the lens's vignette, the drawn
    shadows; scaled so that its darkest point is exactly ``floor`` (a share of white)."""
    w, h = size
    d = math.hypot(w, h)
    x = (np.arange(w, dtype=np.float32) / d)[None, :]
    y = (np.arange(h, dtype=np.float32) / d)[:, None]
    a = float(gen.uniform(0, 2 * math.pi))
    t = x * math.cos(a) + y * math.sin(a)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    dark = t * t * np.float32(gen.uniform(0.4, 1.0))
    dark = blend(dark, 0.6 * ((x - w / (2 * d)) ** 2 + (y - h / (2 * d)) ** 2))  # vignette
    if shadow in ("band", "both"):
        dark = blend(dark, band(x, y, gen))
    if shadow in ("corner", "both"):
        dark = blend(dark, corner(x, y, gen))
    dark /= max(float(dark.max()), 1e-6)
    return (1.0 - (1.0 - floor) * dark).astype(np.float32)
