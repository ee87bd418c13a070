"""Run chitieu on samples/ (all together, as `make demo` does, and each sample alone)
and keep every CSV it writes, so that two trees can be compared byte for byte.

    python scripts/snapshot_outputs.py take DIR        # outputs of this tree into DIR
    python scripts/snapshot_outputs.py compare A B     # exit 1 and name each file that differs

A restructuring that must not change behaviour is checked by taking a snapshot
before, one after, and comparing them.
"""
from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
INPUT_SUFFIXES = {".pdf", ".txt", ".docx", ".doc", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".md"}


def _chitieu(args: list[str]) -> int:
    cmd = [sys.executable, "-c", "import pipeline; pipeline.main()", "run", *args, "--no-cache", "--no-progress"]
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def take(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    cases = [("all", [str(SAMPLES)])]
    cases += [(p.name, [str(p)]) for p in sorted(SAMPLES.iterdir()) if p.suffix.lower() in INPUT_SUFFIXES
              and not p.name.isupper() and p.name not in ("README.md",) and not p.name.endswith("SAMPLES.md")]
    for name, args in cases:
        out = dest / name
        code = _chitieu([*args, "-o", str(out)])
        (out / "exit_code").write_text(f"{code}\n")
        print(f"{name}: exit {code}", file=sys.stderr)


def _outputs(folder: Path) -> set[Path]:
    # The lock file holds the pid of the run that wrote the folder: not an output.
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and p.name != ".chitieu.lock"}


def compare(a: Path, b: Path) -> int:
    names = sorted(_outputs(a) | _outputs(b))
    differ = [n for n in names if not (a / n).is_file() or not (b / n).is_file()
              or not filecmp.cmp(a / n, b / n, shallow=False)]
    for n in differ:
        print(f"differs: {n}")
    print(f"{len(names) - len(differ)} of {len(names)} files identical", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "take":
        take(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
