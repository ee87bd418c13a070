"""No traceback reaches the user for any input (issue 15): a folder of broken, renamed,
truncated and hostile files, each a one-line reason, read in a real process."""
from __future__ import annotations

import csv
import io
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares a huge size and holds almost nothing."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def _hostile(folder: Path, samples: Path) -> list[str]:
    good = (samples / "deck_2023_summary_text.pdf").read_bytes()
    files = {
        "empty.pdf": b"",
        "truncated.pdf": good[: len(good) // 3],
        "not_a_pdf.pdf": b"GIF89a" + os.urandom(200),
        "random.docx": os.urandom(512),
        "empty.docx": b"",
        "binary.txt": bytes(range(256)) * 8,
        "empty.txt": b"",
        "empty.png": b"",
        "huge.png": _png_header(60000, 60000),
        "garbage.jpg": b"\xff\xd8\xff" + os.urandom(300),
        "legacy.doc": os.urandom(700),
    }
    # a page tree that breaks while its pages are parsed (a MediaBox of two numbers)
    files["short_mediabox.pdf"] = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0] >>\nendobj\n"
        b"trailer\n<< /Size 4 /Root 1 0 R >>\n%%EOF\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # a .docx whose document part is missing
        z.writestr("[Content_Types].xml", "<Types/>")
    files["hollow.docx"] = buf.getvalue()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return sorted(files)


def test_hostile_inputs_give_reasons_never_a_traceback(samples, tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    names = _hostile(inputs, samples)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", "from pipeline import main; main()", "run", str(inputs), "-o", str(out),
                           "--no-cache", "--jobs", "2"], capture_output=True, text=True, env=env, timeout=600)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (3, 4), proc.stderr[-2000:]
    with open(out / "errors.csv", encoding="utf-8-sig", newline="") as fh:
        said = {Path(r["source_file"]).name for r in csv.DictReader(fh)}
    assert set(names) <= said  # every one of them named, with its reason
