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

Every other pipeline run is the real command line in a subprocess (`pipeline.py run`),
timed from start to exit; the run with N workers is timed before and after the
1-worker run, and the speed-up taken against their mean. With --profile, where the
time of one page goes.

    python bench/bench_scale.py [--pages 200] [--small 20] [--jobs N] [--profile]
"""
from __future__ import annotations


import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCAN = ROOT / "samples" / "deck_2023_scan.pdf"


def snapshot_source(folder: Path) -> Path:
    """A copy of the code, so that edits made while the benchmark runs change nothing in it."""
    folder.mkdir()
    shutil.copy2(ROOT / "pipeline.py", folder / "pipeline.py")
    for package in ("extract", "normalize"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def build_pdf(pages: int, out: Path) -> Path:
    """The scanned deck's pages repeated to ``pages`` pages, images copied as they are."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(SCAN))
    n = len(src)
    dst = pdfium.PdfDocument.new()
    done = 0
    while done < pages:
        take = min(n, pages - done)
        dst.import_pages(src, pages=list(range(take)))
        done += take
    dst.save(str(out))
    return out


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (psutil, else /proc)."""
    try:
        import psutil

        try:
            proc = psutil.Process(pid)
            procs = [proc] + proc.children(recursive=True)
        except psutil.Error:
            return 0
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total
    except ImportError:
        return _proc_tree_rss(pid)


def _proc_tree_rss(pid: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    children.setdefault(int(fh.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    out, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _high_water(pid: int) -> tuple[str, int]:
    """Name and peak resident memory (VmHWM, exact, kept by the kernel) of a live process."""
    name, hwm = "", 0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("Name:"):
                    name = line.split()[1]
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) * 1024
    except OSError:
        pass
    return name, hwm


def run_cli(args: list[str], src: Path = ROOT) -> tuple[float, int, dict]:
    """Wall time, sampled peak RSS of the whole process tree, and the high-water marks of
    the parent, the largest worker and the largest tesseract, of one CLI run."""
    env = dict(os.environ, PYTHONPATH=str(src))
    command = [sys.executable, str(src / "pipeline.py"), "run", *args, "--no-progress"]
    peak = [0]
    marks = {"parent": 0, "worker": 0, "tesseract": 0, "workers": set()}
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            marks["parent"] = max(marks["parent"], _high_water(proc.pid)[1])
            for pid in _descendants(proc.pid):
                name, hwm = _high_water(pid)
                kind = "tesseract" if name.startswith("tesseract") else "worker"
                marks[kind] = max(marks[kind], hwm)
                if kind == "worker":
                    marks["workers"].add(pid)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"chitieu failed ({proc.returncode}): {err[-2000:]}")
    return elapsed, peak[0], marks


def _bound(marks: dict, jobs: int) -> int:
    """Peak memory by high-water marks, free of sampling luck: the parent, every worker at
    its largest, and a tesseract at its largest beside each worker."""
    workers = max(1, min(jobs, len(marks["workers"]) or 1))
    return marks["parent"] + workers * (marks["worker"] + marks["tesseract"])


def raw_tesseract(images: list[Path], *, lang: str, psm: int, dpi: int) -> float:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    start = time.perf_counter()
    for img in images:
        subprocess.run(["tesseract", str(img), "-", "-l", lang, "--psm", str(psm), "--dpi", str(dpi), "tsv"],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def paired_ratio(pdf: Path, images: list[Path], out: Path, *, dpi: int, lang: str, psm: int) -> tuple[float, float]:
    """Seconds of the pipeline (serial, in this process, outputs written) and of raw
    tesseract on the same pages, the two interleaved batch by batch.

    The pipeline's own time is the run's wall time less the raw readings made inside it."""
    from chitieu import runner
    from chitieu.executor import Outcome, SerialExecutor, describe
    from normalize.outputs.datasets import write_outputs

    raw_spent = [0.0]

    class Paired(SerialExecutor):
        def imap_unordered(self, fn, items):
            for i, item in enumerate(items):
                if i % 2:
                    raw_spent[0] += raw_tesseract([images[t.index] for t in item], lang=lang, psm=psm, dpi=dpi)
                try:
                    outcome = Outcome(i, item, value=fn(item))
                except Exception as exc:
                    outcome = Outcome(i, item, error=describe(exc))
                if not i % 2:
                    raw_spent[0] += raw_tesseract([images[t.index] for t in item], lang=lang, psm=psm, dpi=dpi)
                yield outcome

    original = runner._executor
    runner._executor = lambda settings: Paired()
    try:
        start = time.perf_counter()
        result = runner.run([str(pdf)], runner.Settings(dpi=dpi, lang=lang, jobs=1, executor="serial"))
        write_outputs(out, result.records, result.errors, other_figures=result.other_figures)
        total = time.perf_counter() - start
    finally:
        runner._executor = original
    if result.errors:
        raise SystemExit(f"chitieu failed on {pdf}: {result.errors[:3]}")
    return total - raw_spent[0], raw_spent[0]


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
    original = ocr.TesseractEngine.image_to_words
    original_files = ocr.TesseractEngine.files_to_words

    def engine_call(self, image, *, lang, psm, config=""):
        return timed(f"tesseract call, psm {psm}" + (" (whitelist)" if "whitelist" in config else ""),
                     original)(self, image, lang=lang, psm=psm, config=config)

    def files_call(self, paths, *, lang, psm, config=""):
        return timed(f"tesseract call on page files, psm {psm}", original_files)(self, paths, lang=lang, psm=psm,
                                                                                 config=config)

    ocr.TesseractEngine.image_to_words = engine_call
    ocr.TesseractEngine.files_to_words = files_call
    try:
        start = time.perf_counter()
        for i in pages:
            run_ocr_task(OcrTask(str(pdf), i, "pdf", dpi, lang), rule=PERCENT_CELLS)
        total = time.perf_counter() - start
    finally:
        ocr.TesseractEngine.image_to_words = original
        ocr.TesseractEngine.files_to_words = original_files
        for module, attr, fn in restore:
            setattr(module, attr, fn)
    n = len(pages)
    print(f"\nprofile of run_ocr_task (a page at a time, not batched), mean per page over {n} page(s): "
          f"{total / n:.3f} s (stages nest: words_to_page and reread_cells include their tesseract calls)")
    for name in sorted(spent, key=spent.get, reverse=True):
        print(f"  {name:40s} {spent[name] / n:7.3f} s   {counts[name] / n:5.1f} calls")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="pages of the big document [200]")
    parser.add_argument("--small", type=int, default=20, help="pages of the small document, for memory [20]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers of the parallel run [cores]")
    parser.add_argument("--lang", default="vie")
    parser.add_argument("--dpi", type=int, default=300)
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
        n = args.pages
        print(f"archive: {n}-page and {args.small}-page scans from {SCAN.name}, dpi {args.dpi}, lang {args.lang}, "
              f"psm {PAGE_PSM}, {os.cpu_count()} cores, --jobs {args.jobs}", flush=True)
        common = ["--dpi", str(args.dpi), "--lang", args.lang]
        cache = tmp / "cache"
        many, peak_big, marks_big = run_cli([str(big), "-o", str(tmp / "outN"), "--executor", "process",
                                              "-j", str(args.jobs), "--cache-dir", str(cache), *common], src)
        print(f"chitieu, {args.jobs} workers (process)  {many:8.1f} s  {n / many:6.3f} pages/s", flush=True)
        if not args.no_serial:
            one, _, _ = run_cli([str(big), "-o", str(tmp / "out1"), "--executor", "serial", "--no-cache", *common], src)
            print(f"chitieu, 1 worker (serial)      {one:8.1f} s  {n / one:6.3f} pages/s", flush=True)
            # The parallel run again, after: their mean cancels a machine that drifts.
            again, _, _ = run_cli([str(big), "-o", str(tmp / "outN2"), "--executor", "process", "-j", str(args.jobs),
                                   "--no-cache", *common], src)
            print(f"chitieu, {args.jobs} workers again          {again:8.1f} s  {n / again:6.3f} pages/s", flush=True)
        if not args.no_raw:
            images_dir = tmp / "images"
            images_dir.mkdir()
            images = render_pages(big, images_dir, dpi=args.dpi)
            mine, raw = paired_ratio(big, images, tmp / "outP", dpi=args.dpi, lang=args.lang, psm=PAGE_PSM)
            shutil.rmtree(images_dir)
            print(f"paired: chitieu 1 worker        {mine:8.1f} s  {n / mine:6.3f} pages/s (in this process)")
            print(f"paired: raw tesseract           {raw:8.1f} s  {n / raw:6.3f} pages/s", flush=True)
        cached, _, _ = run_cli([str(big), "-o", str(tmp / "outC"), "--executor", "process", "-j", str(args.jobs),
                                "--cache-dir", str(cache), *common], src)
        outputs = {d: (tmp / d / "indicators.csv").read_bytes() for d in ("outN", "outC", "out1", "outN2", "outP")
                   if (tmp / d / "indicators.csv").exists()}
        same = len(set(outputs.values())) == 1
        print(f"chitieu, cached second run      {cached:8.1f} s  {n / cached:6.1f} pages/s", flush=True)
        _, peak_small, marks_small = run_cli([str(small), "-o", str(tmp / "outS"), "--executor", "process",
                                               "-j", str(args.jobs), "--no-cache", *common], src)
        print()
        if not args.no_raw:
            print(f"ratio pipeline / raw tesseract (1 worker)  {mine / raw:6.3f}   (want <= 1.10; paired batch by "
                  f"batch; the command line's own 1-worker run against this raw: "
                  f"{'-' if args.no_serial else f'{one / raw:.3f}'})")
        if not args.no_serial:
            both = (many + again) / 2
            print(f"speed-up 1 -> {args.jobs} workers                  {one / both:6.3f}   (want >= 1.7 for 2; "
                  f"against the mean of the runs before and after, {one / many:.3f} and {one / again:.3f})")
        print(f"cached re-run: {cached:.2f} s, {many / cached:6.1f}x faster        (want >= 50); "
              f"indicators.csv identical across the runs "
              f"({', '.join(outputs)}): {same}")
        mib = 1 << 20
        for pages, peak, marks in ((args.small, peak_small, marks_small), (n, peak_big, marks_big)):
            print(f"peak memory, {pages:3d}-page document: {_bound(marks, args.jobs) / mib:7.1f} MiB by high-water "
                  f"marks (parent {marks['parent'] / mib:.1f}, largest worker {marks['worker'] / mib:.1f}, "
                  f"largest tesseract {marks['tesseract'] / mib:.1f}); sampled tree {peak / mib:.1f}")
        print(f"peak memory ratio {n} / {args.small} pages: "
              f"{_bound(marks_big, args.jobs) / max(_bound(marks_small, args.jobs), 1):.2f} by high-water marks, "
              f"{peak_big / max(peak_small, 1):.2f} sampled   (want ~1)")
        if args.profile:
            profile_pages(big, list(range(min(n, 14))), dpi=args.dpi, lang=args.lang)


if __name__ == "__main__":
    main()
