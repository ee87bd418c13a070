"""The memory and wall time of a command-line run of chitieu, its process tree sampled
(bench_scale's helpers: psutil when installed, else /proc)."""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


_PYCACHE: dict[Path, str] = {}


def compiled_env(src: Path) -> dict:
    """The environment a run of ``src`` gets: its byte code compiled once, ahead of every
    timed run, into a temporary ``PYTHONPYCACHEPREFIX`` (nothing written into the tree),
    as an installed program's is (pip compiles what it installs). A development shell's
    ``PYTHONDONTWRITEBYTECODE`` otherwise has every run compile chitieu's modules again:
    ~0.1 s of CPU, a cached run's whole cost over again (bench_text does the same)."""
    if src not in _PYCACHE:
        folder = tempfile.mkdtemp(prefix="chitieu-bench-pyc-")
        atexit.register(shutil.rmtree, folder, True)
        _PYCACHE[src] = folder
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(src / n) for n in _SOURCES)],
                       env=dict(env, PYTHONPYCACHEPREFIX=folder), check=False, stdout=subprocess.DEVNULL)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return dict(env, PYTHONPATH=str(src), PYTHONPYCACHEPREFIX=_PYCACHE[src])


_SOURCES = ("pipeline.py", "chitieu", "extract", "normalize")


def run_cli(args: list[str], src: Path = ROOT) -> tuple[float, int, dict]:
    """Wall time, sampled peak RSS of the whole process tree, and the high-water marks of
    the parent, the largest worker and the largest tesseract, of one CLI run (its byte code
    compiled ahead: ``compiled_env``)."""
    env = compiled_env(src)
    command = [sys.executable, "-m", "chitieu", "run", *args, "--no-progress"]
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
    if proc.returncode not in (0, 3):  # 3: some pages gave no value (page 8 of the scanned deck, on purpose)
        raise SystemExit(f"chitieu failed ({proc.returncode}): {err[-2000:]}")
    return elapsed, peak[0], marks


def _bound(marks: dict, jobs: int) -> int:
    """Peak memory by high-water marks, free of sampling luck: the parent, every worker at
    its largest, and a tesseract at its largest beside each worker."""
    workers = max(1, min(jobs, len(marks["workers"]) or 1))
    return marks["parent"] + workers * (marks["worker"] + marks["tesseract"])
