"""The phone of variants/photo.py: where the sheet lies in the picture (perspective, turn,
bow), the light and cast on the scene, the lens's blur and the sensor's noise. OpenCV draws
the warps; every pixel drawn comes from the numpy Generator handed in."""
from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image

from variants import photo_scene as scene
from variants.photo import FOV, MAX_DPI


# --- where the sheet lies in the picture ---

def frame_size(obj: tuple[float, float], ax: dict) -> tuple[int, int]:
    """The picture (w, h) as shown: 4:3, held the way the sheet lies once turned."""
    wide = (obj[0] > obj[1]) != (int(ax["turn"]) in (90, 270))
    w = int(ax["width"])
    return w, round(w * 3 / 4) if wide else round(w * 4 / 3)


def project(obj: tuple[float, float], ax: dict, fill: float) -> np.ndarray:
    """The object's corners (TL, TR, BR, BL) as the phone sees them, in units of its longer side:
    turned in its plane, then tilted about the picture's horizontal axis and yawed about its
    vertical one, seen from the distance at which it spans ``fill`` of the field of view."""
    w, h = (v / max(obj) for v in obj)
    pts = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    a = math.radians(float(ax["turn"]) + float(ax["skew"]))  # anticlockwise as seen (y down)
    pts = pts @ np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    t, y = math.radians(float(ax["tilt"])), math.radians(float(ax["yaw"]))
    rx = np.array([[1, 0, 0], [0, math.cos(t), -math.sin(t)], [0, math.sin(t), math.cos(t)]])
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    space = np.c_[pts, np.zeros(4)] @ (ry @ rx).T
    distance = 0.5 / (fill * FOV)
    return space[:, :2] / (space[:, 2:] + distance)


def place(obj: tuple[float, float], ax: dict, frame: tuple[int, int], gen: np.random.Generator) -> np.ndarray:
    """The object's corners in the picture, px: scaled to span ``fill`` of it, somewhere in it."""
    fill = float(ax["fill"])
    seen = project(obj, ax, fill)
    lo, span = seen.min(axis=0), np.ptp(seen, axis=0)
    size = np.asarray(frame, dtype=np.float64)
    s = fill * min(size / span)
    offset = (size - span * s) * gen.uniform(0.15, 0.85, 2)
    return ((seen - lo) * s + offset).astype(np.float32)


def px_per_pt(obj: tuple[float, float], quad: np.ndarray) -> tuple[float, float]:
    """The most and the mean pixels of the picture an object's point spans along its edges."""
    edges = np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1) / np.array([obj[0], obj[1]] * 2)
    return float(edges.max()), float(edges.mean())


def bend(rgba: np.ndarray, bow: float) -> tuple[np.ndarray, np.ndarray]:
    """The sheet bowed (its middle moved by ``bow`` of its height, its corners where they were),
    padded so nothing is cut; and its corners in the padded image."""
    h, w = rgba.shape[:2]
    if not bow:
        return rgba, np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    amp = bow * h
    pad = math.ceil(abs(amp)) + 2
    rgba = cv2.copyMakeBorder(rgba, pad, pad, 0, 0, cv2.BORDER_CONSTANT, value=(0, 0, 0, 0))
    xs = np.arange(w, dtype=np.float32)
    sag = (amp * np.sin(np.pi * xs / max(w - 1, 1))).astype(np.float32)
    map_x = np.broadcast_to(xs[None, :], rgba.shape[:2]).copy()
    map_y = np.arange(rgba.shape[0], dtype=np.float32)[:, None] - sag[None, :]
    bent = cv2.remap(rgba, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0))
    return bent, np.float32([[0, pad], [w, pad], [w, pad + h], [0, pad + h]])


# --- the phone ---

def cast_gains(cast: str) -> np.ndarray:
    """Per-channel gains of a colour cast ("warm 0.08", "cold 0.12", "none")."""
    name, _, k = cast.partition(" ")
    k = float(k or 0)
    gains = {"warm": (1 + 0.6 * k, 1 + 0.1 * k, 1 - k), "cold": (1 - 0.6 * k, 1.0, 1 + 0.5 * k)}
    return np.asarray(gains.get(name, (1.0, 1.0, 1.0)), np.float32)


def camera(scene_rgb: np.ndarray, ax: dict, gen: np.random.Generator) -> np.ndarray:
    """The light and its cast on the scene, then the lens's blur and the sensor's noise: uint8 RGB."""
    h, w = scene_rgb.shape[:2]
    scene_rgb *= scene.light_field((w, h), ax["shadow"], float(ax["light"]), gen)[..., None]
    scene_rgb *= cast_gains(ax["cast"])
    if float(ax["blur"]) > 0:
        scene_rgb = cv2.GaussianBlur(scene_rgb, (0, 0), float(ax["blur"]))
    scene_rgb += gen.standard_normal(scene_rgb.shape, dtype=np.float32) * np.float32(ax["noise"])
    np.clip(scene_rgb + 0.5, 0, 255, out=scene_rgb)
    return scene_rgb.astype(np.uint8)


def shoot(page, ax: dict, gen: np.random.Generator) -> tuple[Image.Image, int]:
    """One page photographed as ``ax`` says (its surface as it applies): the picture as shown,
    and the page's resolution in it (dpi)."""
    size = page.get_size()
    slide = scene.is_slide(size)
    obj = scene.object_size(size, ax["surface"])
    frame = frame_size(obj, ax)
    quad = place(obj, ax, frame, gen)
    most, mean = px_per_pt(obj, quad)
    scale = min(MAX_DPI, 72 * most * 1.15) / 72  # rendered a little finer than the picture needs
    content = np.asarray(page.render(scale=scale).to_pil().convert("RGB"))
    obj_px = (round(obj[0] * scale), round(obj[1] * scale))
    rgba, corners = bend(scene.sheet(content, obj_px, ax["surface"], slide, gen), float(ax["bow"]))
    matrix = cv2.getPerspectiveTransform(corners, quad)
    warped = cv2.warpPerspective(rgba, matrix, frame, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                                 borderValue=(0, 0, 0, 0))
    picture = scene.compose(warped, scene.desk(frame, ax["surface"], gen), gen)
    return Image.fromarray(camera(picture, ax, gen), "RGB"), round(72 * mean)
