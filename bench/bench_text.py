"""Benchmark of text PDFs: chitieu end to end against a bare pdfplumber word extraction.

Both are timed as whole processes, from start to exit, start-up included, on the same
PDF and with the same Python:

- pdfplumber: ``python -c`` a script that opens the PDF and calls ``page.extract_words()``
  on every page, and nothing else;
- chitieu: ``chitieu run FILE -o OUT --no-report --no-cache --no-progress`` (the console
  script's entry point, ``python -m chitieu``, run in --root: this
  tree by default, another checkout to compare), into a fresh output folder each run, with
  ``XDG_CACHE_HOME`` a temporary folder too (no cache is read or written). Its outputs are
  written (the CSVs and chitieu.xlsx), as a user's run does.

Both run with their byte code cached, as an installed program's is: ``PYTHONPYCACHEPREFIX``
a temporary folder (nothing is written into the tree) and ``PYTHONDONTWRITEBYTECODE``
unset; --no-pyc keeps the environment's setting instead (with it set, every run compiles
chitieu's modules again: compiling all 109 takes 0.14 s of CPU on the 2-core development
machine, a deck's run measured 0.05 s slower).

Two documents: the 14-page ``samples/deck_2023_text.pdf`` and a PDF of --pages pages
made by repeating its pages (pypdfium2 ``import_pages``, as ``bench_scale.build_pdf``
does for the scan). The two commands take turns, run after run, so that both see the
same machine (a VM's speed drifts over minutes); one untimed run of each comes first
(files into the page cache, byte code compiled). Printed for each document: seconds
(min and median of --runs), pages per second, CPU seconds (user and system, the min:
less disturbed than wall time by other work on the machine), the ratio chitieu /
pdfplumber (of the mins, of the medians and of the CPU) and the peak resident memory of
each process (its largest process: ``ru_maxrss`` of ``wait4``).

    python bench/bench_text.py [--runs 5] [--pages 200] [--root DIR] [--no-pyc]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DECK = ROOT / "samples" / "deck_2023_text.pdf"

BARE = """
import sys
import pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_words()
"""


def build_pdf(pages: int, out: Path, source: Path = DECK) -> Path:
    """``source``'s pages repeated to ``pages`` pages, copied as they are."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(source))
    n = len(src)
    dst = pdfium.PdfDocument.new()
    done = 0
    while done < pages:
        take = min(n, pages - done)
        dst.import_pages(src, pages=list(range(take)))
        done += take
    dst.save(str(out))
    dst.close()
    src.close()
    return out


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


# What the ``chitieu`` console script runs; from the --root folder (first on sys.path) its code.
CHITIEU = [sys.executable, "-m", "chitieu"]


def timed(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float, int]:
    """Seconds from start to exit, CPU seconds (user and system) and peak RSS (bytes) of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode not in (0, 3):  # 3: some inputs gave errors (the deck's page of prose)
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def environment(work: Path, pyc: bool) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "xdg-cache")}
    if pyc:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def compare(pdf: Path, runs: int, work: Path, root: Path, env: dict) -> dict:
    """Both commands on ``pdf``, in turns; their times and peak memory."""
    bare = [sys.executable, "-c", BARE, str(pdf)]
    out_no = iter(range(10**6))

    def ours() -> list[str]:
        out = work / f"out-{pdf.stem}-{next(out_no)}"  # a fresh folder each run
        return [*CHITIEU, "run", str(pdf), "-o", str(out), "--no-report", "--no-cache", "--no-progress"]

    timed(bare, env, root)  # warm-up: the file in the page cache, byte code compiled
    timed(ours(), env, root)
    times: dict[str, list[float]] = {"pdfplumber": [], "chitieu": []}
    cpu: dict[str, list[float]] = {"pdfplumber": [], "chitieu": []}
    peak = {"pdfplumber": 0, "chitieu": 0}
    for k in range(runs):
        order = [("pdfplumber", bare), ("chitieu", None)]
        for name, cmd in order if k % 2 == 0 else order[::-1]:
            seconds, cpu_seconds, rss = timed(cmd or ours(), env, root)
            times[name].append(seconds)
            cpu[name].append(cpu_seconds)
            peak[name] = max(peak[name], rss)
    return {"times": times, "cpu": cpu, "peak": peak}


def report(label: str, pages: int, result: dict) -> None:
    times, cpu, peak = result["times"], result["cpu"], result["peak"]
    print(f"\n{label}: {pages} pages")
    print(f"  {'':<11} {'min s':>7} {'median s':>9} {'pages/s':>8} {'cpu s':>6} {'peak MB':>8}")
    for name in ("pdfplumber", "chitieu"):
        lo, mid = min(times[name]), statistics.median(times[name])
        print(f"  {name:<11} {lo:7.2f} {mid:9.2f} {pages / lo:8.1f} {min(cpu[name]):6.2f} {peak[name] / 2**20:8.0f}")
    ratio_min = min(times["chitieu"]) / min(times["pdfplumber"])
    ratio_mid = statistics.median(times["chitieu"]) / statistics.median(times["pdfplumber"])
    ratio_cpu = min(cpu["chitieu"]) / min(cpu["pdfplumber"])
    print(f"  chitieu / pdfplumber: {ratio_min:.2f}× (mins), {ratio_mid:.2f}× (medians), {ratio_cpu:.2f}× (CPU, mins)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command per document [5]")
    parser.add_argument("--pages", type=int, default=200, help="pages of the long PDF [200]")
    parser.add_argument("--root", type=Path, default=ROOT, help="the tree whose chitieu is run [this one]")
    parser.add_argument("--no-pyc", action="store_true", help="byte code as the environment says (see above)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench_text_") as tmp:
        work = Path(tmp)
        long_pdf = build_pdf(args.pages, work / f"deck_text_{args.pages}.pdf")
        env = environment(work, not args.no_pyc)
        print(f"{args.runs} run(s) of each, whole processes; pages/s from the min; chitieu of {args.root.resolve()}; "
              f"byte code {'as the environment says' if args.no_pyc else 'cached'}")
        for label, pdf in ((DECK.name, DECK), (long_pdf.name, long_pdf)):
            report(label, page_count(pdf), compare(pdf, args.runs, work, args.root.resolve(), env))


if __name__ == "__main__":
    main()
