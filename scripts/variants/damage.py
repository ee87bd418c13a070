"""Turn a text PDF into the scan of it: an image-only PDF, gray, skewed, noisy, maybe JPEG'd.

Axes: dpi 150-300, skew within ±2°, gaussian noise, JPEG re-encode (quality) or none.
Randomness comes from a numpy generator seeded per document, so the pixels repeat.
"""
from __future__ import annotations

import io
import random
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

FIXED_DATE = time.gmtime(1703980800)  # 2023-12-31: no wall clock in the file


def draw_axes(rng: random.Random, share: float) -> dict:
    if rng.random() >= share:
        return {"damage": "none", "dpi": "", "skew": "", "noise": "", "jpeg": ""}
    return {"damage": "scan", "dpi": rng.choice((150, 200, 250, 300)),
            "skew": round(rng.uniform(-2.0, 2.0), 2), "noise": round(rng.uniform(1.0, 8.0), 1),
            "jpeg": rng.choice(("", 40, 60, 80))}


def scan_image(img: Image.Image, ax: dict, noise: np.random.Generator) -> Image.Image:
    g = img.convert("L").rotate(ax["skew"], resample=Image.BICUBIC, expand=False, fillcolor=255)
    a = np.asarray(g, dtype=np.float32) * 0.97 + 3.0  # paper is never quite white
    a += noise.normal(0.0, ax["noise"], size=a.shape).astype(np.float32)
    g = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), mode="L")
    if ax["jpeg"]:
        buf = io.BytesIO()
        g.save(buf, "JPEG", quality=int(ax["jpeg"]))
        g = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return g


def scan_pdf(text_pdf: Path, out: Path, ax: dict, seed: int) -> None:
    noise = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(text_pdf))
    try:
        pages = [scan_image(doc[i].render(scale=ax["dpi"] / 72).to_pil(), ax, noise) for i in range(len(doc))]
    finally:
        doc.close()
    pages[0].save(out, "PDF", resolution=ax["dpi"], save_all=True, append_images=pages[1:],
                  title="chitieu variant scan", author="scripts/make_variants.py",
                  creationDate=FIXED_DATE, modDate=FIXED_DATE)
