"""Benchmark at archive scale: workers, raw Tesseract, the cache, and memory.

Builds a synthetic archive from the scanned sample (its 14 pages repeated into one
PDF of --pages pages, and a --small-page PDF beside it) and prints:

- pages/s of the command line with 1 worker and with --jobs workers, and the speed-up;
- the ratio of the 1-worker pipeline time to raw `tesseract` run one page at a time on
  the same page images with the same settings (OMP_THREAD_LIMIT=1, dpi, lang, psm),
  measured in pairs: the pipeline runs in this process and after (or, every other
  batch, before) each batch of pages it reads, raw tesseract reads the same pages. A
  VM's speed drifts by 10-20 % over minutes here; paired batch by batch, both
  see the same machine;
- the time of a second, cached run of the --jobs run and how many times faster it is;
- peak memory (RSS of the process and its children, sampled) for the small and the
  big document, which should be the same: pages are streamed, images freed.

Every other pipeline run is the real command line in a subprocess (`python -m chitieu run`),
timed from start to exit; the run with N workers is timed before and after the
1-worker run, and the speed-up taken against their mean. With --profile, where the
time of one page goes.

    python bench/bench_scale.py [--pages 200] [--small 20] [--jobs N] [--profile]
"""
from __future__ import annotations


import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCAN = ROOT / "samples" / "deck_2023_scan.pdf"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from process_tree import _bound, run_cli  # noqa: E402


def snapshot_source(folder: Path) -> Path:
    """A copy of the code, so that edits made while the benchmark runs change nothing in it."""
    folder.mkdir()
    shutil.copy2(ROOT / "pipeline.py", folder / "pipeline.py")
    for package in ("chitieu", "extract", "normalize"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def build_pdf(pages: int, out: Path) -> Path:
    """The scanned deck's pages repeated to ``pages`` pages, images copied as they are."""
    from bench_text import build_pdf as repeat_pages

    return repeat_pages(pages, out, SCAN)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def raw_tesseract(images: list[Path], *, lang: str, psm: int, dpi: int) -> tuple[float, float]:
    """Wall and CPU seconds of the tesseract program reading ``images`` one process each."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    start, cpu = time.perf_counter(), _children_cpu()
    for img in images:
        subprocess.run(["tesseract", str(img), "-", "-l", lang, "--psm", str(psm), "--dpi", str(dpi), "tsv"],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, _children_cpu() - cpu


def paired_ratio(pdf: Path, images: list[Path], out: Path, *, dpi: int, lang: str, psm: int,
                 engine: str) -> tuple[float, float, float, float]:
    """Wall and CPU seconds of the pipeline (serial, in this process, with ``engine``,
    outputs written) and of raw tesseract on the same pages, the two interleaved batch
    by batch: (pipeline wall, raw wall, pipeline CPU, raw CPU).

    The pipeline's own time is the run's less the raw readings made inside it; its CPU
    counts this process and the tesseract processes it started. CPU seconds do not
    depend on what else the machine runs; wall seconds do."""
    from chitieu import runner
    from chitieu.executor import Outcome, SerialExecutor, describe
    from normalize.outputs.datasets import write_outputs

    raw = [0.0, 0.0]

    class Paired(SerialExecutor):
        def imap_unordered(self, fn, items):
            for i, item in enumerate(items):
                if i % 2:
                    raw[:] = [a + b for a, b in zip(raw, raw_tesseract([images[t.index] for t in item], lang=lang,
                                                                       psm=psm, dpi=dpi))]
                try:
                    outcome = Outcome(i, item, value=fn(item))
                except Exception as exc:
                    outcome = Outcome(i, item, error=describe(exc))
                if not i % 2:
                    raw[:] = [a + b for a, b in zip(raw, raw_tesseract([images[t.index] for t in item], lang=lang,
                                                                       psm=psm, dpi=dpi))]
                yield outcome

    original = runner._executor
    runner._executor = lambda settings: Paired()
    try:
        start, cpu = time.perf_counter(), _own_cpu() + _children_cpu()
        result = runner.run([str(pdf)], runner.Settings(dpi=dpi, lang=lang, jobs=1, executor="serial",
                                                        ocr_engine=engine))
        write_outputs(out, result.records, result.errors, other_figures=result.other_figures)
        total, total_cpu = time.perf_counter() - start, _own_cpu() + _children_cpu() - cpu
    finally:
        runner._executor = original
    if not result.records or any(e.stage == "ocr" for e in result.errors):
        raise SystemExit(f"chitieu failed on {pdf}: {result.errors[:3]}")
    return total - raw[0], raw[0], total_cpu - raw[1], raw[1]


def render_pages(pdf: Path, folder: Path, *, dpi: int) -> list[Path]:
    from extract.imaging.render import pdf_page_count, render_pdf_page

    images = []
    for i in range(pdf_page_count(pdf)):
        path = folder / f"p{i:04d}.png"
        render_pdf_page(str(pdf), i, dpi=dpi).save(path, dpi=(dpi, dpi))
        images.append(path)
    return images


STAGES = (  # (module, function) of run_ocr_task's stages, timed when present
    ("extract.imaging.render", "render_pdf_page"),
    ("extract.imaging.preprocess", "prepare_page"),
    ("extract.imaging.deskew", "estimate_skew"),
    ("extract.ocr.page", "page_for_engine"),
    ("extract.ocr.page", "lone_cell_words"),
    ("extract.layout.ruled", "page_to_tables"),
    ("extract.ocr.cells", "second_readings"),
    ("extract.layout.page", "page_to_result"),
)


def profile_pages(pdf: Path, pages: list[int], *, dpi: int, lang: str) -> None:
    """Where the time of one page goes: run_ocr_task's stages and its Tesseract calls, in this process."""
    import importlib

    import extract.ocr.engine as ocr
    from extract.ocr.tasks import OcrTask, run_ocr_task
    from normalize.indicators.cells import PERCENT_CELLS

    spent: dict[str, float] = {}
    counts: dict[str, int] = {}
    restore = []

    def timed(name, fn):
        def wrapper(*a, **k):
            start = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
                counts[name] = counts.get(name, 0) + 1
        return wrapper

    for module_name, attr in STAGES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, attr):
            restore.append((module, attr, getattr(module, attr)))
            setattr(module, attr, timed(f"{module_name.split('.')[-1]}.{attr}", getattr(module, attr)))
    engines = (ocr.TesseractEngine, ocr.TesserocrEngine)
    originals = [(cls, cls.image_to_words, cls.files_to_words) for cls in engines]

    def patched(cls, image_fn, files_fn):
        def engine_call(self, image, *, lang, psm, config=""):
            return timed(f"{cls.name} call, psm {psm}" + (" (whitelist)" if "whitelist" in config else ""),
                         image_fn)(self, image, lang=lang, psm=psm, config=config)

        def files_call(self, paths, *, lang, psm, config=""):
            return timed(f"{cls.name} call on page files, psm {psm}", files_fn)(self, paths, lang=lang, psm=psm,
                                                                                 config=config)
        return engine_call, files_call

    for cls, image_fn, files_fn in originals:
        cls.image_to_words, cls.files_to_words = patched(cls, image_fn, files_fn)
    try:
        start = time.perf_counter()
        for i in pages:
            run_ocr_task(OcrTask(str(pdf), i, "pdf", dpi, lang), rule=PERCENT_CELLS)
        total = time.perf_counter() - start
    finally:
        for cls, image_fn, files_fn in originals:
            cls.image_to_words, cls.files_to_words = image_fn, files_fn
        for module, attr, fn in restore:
            setattr(module, attr, fn)
    n = len(pages)
    print(f"\nprofile of run_ocr_task (a page at a time, not batched), mean per page over {n} page(s): "
          f"{total / n:.3f} s (stages nest: words_to_page and reread_cells include their tesseract calls)")
    for name in sorted(spent, key=spent.get, reverse=True):
        print(f"  {name:40s} {spent[name] / n:7.3f} s   {counts[name] / n:5.1f} calls")


def engine_runs(engine: str, big: Path, small: Path, tmp: Path, src: Path, args) -> dict:
    """The runs of one engine: N workers (cached into a fresh cache), 1 worker, N again,
    paired against raw tesseract, the cached re-run, the small document for memory."""
    from extract.ocr.engine import PAGE_PSM

    n, jobs, out = args.pages, str(args.jobs), tmp / engine
    out.mkdir()
    common = ["--dpi", str(args.dpi), "--lang", args.lang, "--ocr-engine", engine]
    got: dict = {"engine": engine}
    got["many"], got["peak_big"], got["marks_big"] = run_cli(
        [str(big), "-o", str(out / "outN"), "--executor", "process", "-j", jobs, "--cache-dir", str(out / "cache"),
         *common], src)
    print(f"[{engine}] chitieu, {jobs} workers (process)  {got['many']:8.1f} s  {n / got['many']:6.3f} pages/s", flush=True)
    if not args.no_serial:
        got["one"] = run_cli([str(big), "-o", str(out / "out1"), "--executor", "serial", "--no-cache", *common], src)[0]
        print(f"[{engine}] chitieu, 1 worker (serial)      {got['one']:8.1f} s  {n / got['one']:6.3f} pages/s", flush=True)
        # The parallel run again, after: their mean cancels a machine that drifts.
        got["again"] = run_cli([str(big), "-o", str(out / "outN2"), "--executor", "process", "-j", jobs, "--no-cache",
                                *common], src)[0]
        print(f"[{engine}] chitieu, {jobs} workers again          {got['again']:8.1f} s", flush=True)
    if not args.no_raw:
        images_dir = out / "images"
        images_dir.mkdir()
        images = render_pages(big, images_dir, dpi=args.dpi)
        got["paired"] = paired_ratio(big, images, out / "outP", dpi=args.dpi, lang=args.lang, psm=PAGE_PSM,
                                     engine=engine)
        shutil.rmtree(images_dir)
        mine, raw, mine_cpu, raw_cpu = got["paired"]
        print(f"[{engine}] paired: chitieu 1 worker {mine:8.1f} s ({mine_cpu:.1f} s CPU), raw tesseract {raw:8.1f} s "
              f"({raw_cpu:.1f} s CPU)", flush=True)
    got["cached"] = run_cli([str(big), "-o", str(out / "outC"), "--executor", "process", "-j", jobs, "--cache-dir",
                             str(out / "cache"), *common], src)[0]
    print(f"[{engine}] chitieu, cached second run      {got['cached']:8.2f} s", flush=True)
    outputs = {d: (out / d / "indicators.csv").read_bytes() for d in ("outN", "outC", "out1", "outN2", "outP")
               if (out / d / "indicators.csv").exists()}
    got["same"] = len(set(outputs.values())) == 1
    got["indicators"] = outputs["outN"]
    _, got["peak_small"], got["marks_small"] = run_cli(
        [str(small), "-o", str(out / "outS"), "--executor", "process", "-j", jobs, "--no-cache", *common], src)
    return got


def cached_sample(engine: str, tmp: Path, src: Path) -> tuple[float, float]:
    """Seconds of the first run of the 14-page scanned sample into a fresh cache, and of the cached re-run."""
    out = tmp / f"sample-{engine}"
    args = [str(SCAN), "-o", str(out), "--cache-dir", str(out / "cache"), "--ocr-engine", engine, "--no-report"]
    return run_cli(args, src)[0], run_cli(args, src)[0]


def report(got: dict, args, sample: tuple[float, float]) -> None:
    n, engine, mib = args.pages, got["engine"], 1 << 20
    print(f"\n== {engine} ==")
    if "paired" in got:
        mine, raw, mine_cpu, raw_cpu = got["paired"]
        print(f"ratio pipeline / raw tesseract (1 worker)  wall {mine / raw:6.3f}, CPU {mine_cpu / raw_cpu:6.3f}   "
              "(want <= 0.85; paired batch by batch"
              + (f"; the command line's own 1-worker run against this raw: {got['one'] / raw:.3f})" if "one" in got
                 else ")"))
    if "one" in got:
        both = (got["many"] + got["again"]) / 2
        print(f"speed-up 1 -> {args.jobs} workers                  {got['one'] / both:6.3f}   (want >= 1.8 for 2; "
              f"against the mean of the runs before and after, {got['one'] / got['many']:.3f} and "
              f"{got['one'] / got['again']:.3f})")
    first, again = sample
    print(f"cached re-run of the {n}-page archive: {got['cached']:.2f} s, {got['many'] / got['cached']:6.1f}x faster; "
          f"of the 14-page sample: {again:.2f} s against {first:.1f} s, {first / again:6.1f}x faster (want >= 100, "
          f"fixed cost <= 0.4 s); indicators.csv identical across the runs: {got['same']}")
    for pages, peak, marks in ((args.small, got["peak_small"], got["marks_small"]), (n, got["peak_big"], got["marks_big"])):
        print(f"peak memory, {pages:3d}-page document: {_bound(marks, args.jobs) / mib:7.1f} MiB by high-water "
              f"marks (parent {marks['parent'] / mib:.1f}, largest worker {marks['worker'] / mib:.1f}, "
              f"largest tesseract {marks['tesseract'] / mib:.1f}); sampled tree {peak / mib:.1f}")
    print(f"peak memory ratio {n} / {args.small} pages: "
          f"{_bound(got['marks_big'], args.jobs) / max(_bound(got['marks_small'], args.jobs), 1):.2f} by high-water "
          f"marks, {got['peak_big'] / max(got['peak_small'], 1):.2f} sampled   (want ~1)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="pages of the big document [200]")
    parser.add_argument("--small", type=int, default=20, help="pages of the small document, for memory [20]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers of the parallel run [cores]")
    parser.add_argument("--lang", default="vie")
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--engines", default="tesserocr,tesseract",
                        help="OCR engines to measure, side by side [tesserocr,tesseract]")
    parser.add_argument("--no-raw", action="store_true", help="skip raw tesseract (and the ratio)")
    parser.add_argument("--no-serial", action="store_true", help="skip the 1-worker run (and the speed-up)")
    parser.add_argument("--profile", action="store_true", help="also time the stages of a few pages")
    parser.add_argument("--profile-only", action="store_true", help="only time the stages of a few pages")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="chitieu-bench-") as tmp:
        tmp = Path(tmp)
        src = snapshot_source(tmp / "src")
        sys.path.insert(0, str(src))
        from extract.ocr.engine import PAGE_PSM

        if args.profile_only:
            profile_pages(build_pdf(14, tmp / "deck.pdf"), list(range(14)), dpi=args.dpi, lang=args.lang)
            return
        big = build_pdf(args.pages, tmp / f"archive_{args.pages}p.pdf")
        small = build_pdf(args.small, tmp / f"archive_{args.small}p.pdf")
        print(f"archive: {args.pages}-page and {args.small}-page scans from {SCAN.name}, dpi {args.dpi}, "
              f"lang {args.lang}, psm {PAGE_PSM}, {os.cpu_count()} cores, --jobs {args.jobs}", flush=True)
        results = []
        for engine in args.engines.split(","):
            results.append((engine_runs(engine, big, small, tmp, src, args), cached_sample(engine, tmp, src)))
        for got, sample in results:
            report(got, args, sample)
        if len(results) > 1:
            same = len({got["indicators"] for got, _ in results}) == 1
            print(f"\nindicators.csv of the {', '.join(g['engine'] for g, _ in results)} runs identical: {same}")
        if args.profile:
            profile_pages(big, list(range(min(args.pages, 14))), dpi=args.dpi, lang=args.lang)


if __name__ == "__main__":
    main()
