"""Benchmark: chitieu on the scanned sample against raw `tesseract` on the same page images.

Prints pages per second for both and the ratio of wall times (pipeline / raw).
Both run one page at a time with OMP_THREAD_LIMIT=1, so the ratio is the cost of
everything chitieu adds (rendering, deskew, ruling detection, tables, outputs);
a second pipeline run with --jobs N shows what parallel pages buy.

    python bench/bench_ocr.py [PDF] [--jobs N]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def raw_tesseract(images: list[Path], lang: str) -> float:
    """One `tesseract` per page image, with the settings chitieu reads pages with."""
    from extract.ocr.engine import PAGE_PSM

    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    start = time.perf_counter()
    for img in images:
        subprocess.run(["tesseract", str(img), "-", "-l", lang, "--psm", str(PAGE_PSM), "--dpi", "300", "tsv"],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def pipeline_time(pdf: Path, jobs: int, out: Path) -> float:
    from chitieu import runner  # imported before the clock starts, as the raw run's programs are on disk

    start = time.perf_counter()
    result = runner.run([str(pdf)], runner.Settings(jobs=jobs))
    from normalize.outputs.datasets import write_outputs

    write_outputs(out, result.records, result.errors)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", default=str(ROOT / "samples" / "deck_2023_scan.pdf"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--lang", default="vie")
    args = parser.parse_args()
    from extract.imaging.render import render_pdf_page
    import pdfplumber

    pdf = Path(args.pdf)
    with pdfplumber.open(pdf) as doc:
        n = len(doc.pages)
    with tempfile.TemporaryDirectory() as tmp:
        images = []
        for i in range(n):
            path = Path(tmp) / f"p{i:04d}.png"
            render_pdf_page(str(pdf), i, dpi=300).save(path, dpi=(300, 300))
            images.append(path)
        raw = raw_tesseract(images, args.lang)
        one = pipeline_time(pdf, 1, Path(tmp) / "out1")
        many = pipeline_time(pdf, args.jobs, Path(tmp) / "outN") if args.jobs > 1 else one
    print(f"pages                     {n}")
    print(f"raw tesseract (1 proc)    {raw:8.2f} s  {n / raw:6.3f} pages/s")
    print(f"chitieu --jobs 1          {one:8.2f} s  {n / one:6.3f} pages/s")
    print(f"chitieu --jobs {args.jobs:<2d}         {many:8.2f} s  {n / many:6.3f} pages/s")
    print(f"ratio chitieu/raw (1 job) {one / raw:8.3f}")
    print(f"speed-up 1 → {args.jobs} jobs       {one / many:8.3f}")


if __name__ == "__main__":
    main()
