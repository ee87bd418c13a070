"""A stand-in for the tesseract program, put first on PATH, as OCRmyPDF's tests do:
it reads prose lines on every page, and fails as asked on one chosen page.

The pages to read are blank PDF pages of different widths (``blank_pdf``): page k is
``BASE_WIDTH + STEP * k`` points wide, so the stand-in knows a page by the width of the
image it is given (a BMP's header says it), whichever batch or worker it comes in.
Each page states a few indicators of a district, none stated on another page, so the
records of one page do not depend on another's being read.

Faults: ``crash`` (exit 1 with a message), ``killed`` (the process kills itself with
SIGKILL, as the OOM killer would), ``hang`` (waits on a ``sleep`` it started, which
must die with it), ``truncate`` (the TSV cut in the middle of a row), ``garble`` (a row
with a field missing), ``kill-worker`` (SIGKILL to the worker process that started it).
"""
from __future__ import annotations

import stat
import sys
from pathlib import Path

DPI = 300
BASE_WIDTH, STEP, HEIGHT = 400, 10, 300  # points
HANG_MARK = "61.2345"  # the sleep of a hung fake: its argument, to find it in /proc

# Short indicator statements, two a page, each indicator on one page only.
LINES = {
    1: ["- Tỷ lệ tiếp nhận, giải quyết hồ sơ trực tuyến: 95%.",
        "- Tỷ lệ người dân có điện thoại thông minh: 74%."],
    2: ["- Tỷ lệ người dân được cấp tài khoản định danh điện tử: 88%.",
        "- Tỷ lệ người dân có chữ ký điện tử cá nhân: 45%."],
    3: ["- Lãnh đạo, cán bộ, công chức được cấp chứng thư số: 100%.",
        "- Cán bộ, công chức có hộp thư điện tử công vụ của các cơ quan Nhà nước: 97%."],
    4: ["- Tỷ lệ hộ gia đình thanh toán tiền điện bằng phương thức thanh toán không dùng tiền mặt: 91%."],
}
HEADER = ["UBND HUYỆN THƯỜNG XUÂN", "BÁO CÁO Kết quả triển khai Mô hình 3 KHÔNG năm 2024"]

SCRIPT = r'''#!{python}
import os, signal, struct, subprocess, sys

FAULT, FAULT_PAGE = {fault!r}, {page!r}
LINES, HEADER = {lines!r}, {header!r}
BASE, STEP, DPI = {base!r}, {step!r}, {dpi!r}

args = sys.argv[1:]
if args[:1] == ["--version"]:
    print("tesseract 5.3.0-fake")
    sys.exit(0)
if args[:1] == ["--list-langs"]:
    print('List of available languages in "/fake/" (3):\neng\nosd\nvie')
    sys.exit(0)
source, base = args[0], args[1]
if "osd" in args:
    sys.stderr.write("Too few characters. Skipping this page\n")
    sys.exit(1)
paths = open(source).read().split() if source.endswith(".txt") else [source]


def page_of(path):
    with open(path, "rb") as fh:
        width, height = struct.unpack("<ii", fh.read(26)[18:26])
    return width, abs(height), round((width * 72 / DPI - BASE) / STEP)


rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
ends = {{}}
for n, path in enumerate(paths, 1):
    if len(paths) > 1:
        sys.stderr.write("Page %d : %s\n" % (n, path))
        sys.stderr.flush()
    width, height, k = page_of(path)
    if k == FAULT_PAGE and FAULT in ("crash", "killed", "hang", "kill-worker"):
        if FAULT == "crash":
            sys.stderr.write("Error: fake tesseract crashed on page %d\n" % k)
            sys.exit(1)
        if FAULT == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        if FAULT == "hang":
            subprocess.run(["sleep", {mark!r}])
        if FAULT == "kill-worker":
            os.kill(os.getppid(), signal.SIGKILL)
    rows.append("1\t%d\t0\t0\t0\t0\t0\t0\t%d\t%d\t-1\t" % (n, width, height))
    for b, line in enumerate(HEADER + LINES.get(k, []), 1):
        top, x = 60 + 50 * b, 40
        rows.append("2\t%d\t%d\t0\t0\t0\t%d\t%d\t%d\t30\t-1\t" % (n, b, x, top, 11 * len(line)))
        rows.append("3\t%d\t%d\t1\t0\t0\t%d\t%d\t%d\t30\t-1\t" % (n, b, x, top, 11 * len(line)))
        rows.append("4\t%d\t%d\t1\t1\t0\t%d\t%d\t%d\t30\t-1\t" % (n, b, x, top, 11 * len(line)))
        for w, word in enumerate(line.split(), 1):
            rows.append("5\t%d\t%d\t1\t1\t%d\t%d\t%d\t%d\t30\t95.5\t%s" % (n, b, w, x, top, 11 * len(word), word))
            x += 11 * (len(word) + 1)
    ends[k] = len(rows)
tsv = "\n".join(rows) + "\n"
if FAULT_PAGE in ends and FAULT == "truncate":
    tsv = "\n".join(rows[:ends[FAULT_PAGE]])[:-3]  # the file ends in the middle of the page's last row
if FAULT_PAGE in ends and FAULT == "garble":
    rows[ends[FAULT_PAGE] - 1] = rows[ends[FAULT_PAGE] - 1].rsplit("\t", 2)[0]
    tsv = "\n".join(rows) + "\n"
with open(base + ".tsv", "w", encoding="utf-8") as fh:
    fh.write(tsv)
'''


def install(folder: Path, fault: str = "", page: int = 0) -> Path:
    """The fake ``tesseract`` written into ``folder`` (to be put first on PATH), failing
    with ``fault`` on ``page``; the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "tesseract"
    script.write_text(SCRIPT.format(python=sys.executable, fault=fault, page=page, lines=LINES, header=HEADER,
                                    base=BASE_WIDTH, step=STEP, dpi=DPI, mark=HANG_MARK), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder


def blank_pdf(path: Path, pages: int = 4) -> Path:
    """``pages`` blank pages, page k ``BASE_WIDTH + STEP * k`` points wide: all OCR'd."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for k in range(1, pages + 1):
        pdf.new_page(BASE_WIDTH + STEP * k, HEIGHT)
    pdf.save(str(path))
    return path
