"""Tesseract's readings recorded and played back, for tests that need OCR but not Tesseract.

A reading is Tesseract's TSV (or its OSD text) of one image with one set of settings.
It is keyed by the SHA-256 of the image file's bytes and the settings, so the same
image read the same way gets the same answer, whichever batch, worker or run it comes
in; a changed image (the preprocessing changed) is another key, which misses.

Off unless ``CHITIEU_OCR_REPLAY`` names a folder of recordings:
- on, a recorded reading is played back without starting Tesseract; a reading not
  recorded is made by the real Tesseract (a miss costs time, never correctness);
- with ``CHITIEU_OCR_RECORD=1`` as well, every real reading is written to the folder
  (``make ocr-replay`` records the test suite's readings afresh);
- ``CHITIEU_OCR_REPLAY_LOG`` names a file that gets a line per hit and miss, for the
  test session's summary.

An image of a list read by one Tesseract process (``files_to_words``) is recorded on
its own, as a reading of one image: a list is read as if each image were alone, so a
recording serves any batch its image comes in.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPLAY_ENV = "CHITIEU_OCR_REPLAY"
RECORD_ENV = "CHITIEU_OCR_RECORD"
LOG_ENV = "CHITIEU_OCR_REPLAY_LOG"
FORMAT = "1"  # part of every key: a change of what is stored changes every key


@dataclass(frozen=True)
class Replay:
    folder: Path
    record: bool
    log: str | None

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.gz"

    def get(self, key: str) -> str | None:
        try:
            with gzip.open(self.path(key), "rt", encoding="utf-8", newline="") as fh:
                text = fh.read()
        except FileNotFoundError:
            self._log("miss", key)
            return None
        self._log("hit", key)
        return text

    def put(self, key: str, text: str) -> None:
        """Stored atomically (a temporary file renamed), so workers recording at once never
        leave half a file; gzip without a time stamp, so a recording is the same bytes twice."""
        if not self.record:
            return
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".rec-")
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            fh.write(text.encode("utf-8"))
        os.replace(tmp, target)

    def _log(self, what: str, key: str) -> None:
        if self.log:
            with open(self.log, "a", encoding="utf-8") as fh:  # one short append: whole lines, several writers
                fh.write(f"{what} {key}\n")


def active() -> Replay | None:
    """The replay the environment asks for, or None (the default: always the real Tesseract)."""
    folder = os.environ.get(REPLAY_ENV)
    if not folder:
        return None
    return Replay(Path(folder), os.environ.get(RECORD_ENV) == "1", os.environ.get(LOG_ENV) or None)


def file_digest(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def key(kind: str, digest: str, *settings: str) -> str:
    """The key of a reading of ``kind`` ('tsv', 'osd') of the image whose bytes hash to
    ``digest``, with ``settings`` (language, Tesseract's options)."""
    return hashlib.sha256("\0".join((FORMAT, kind, digest, *settings)).encode("utf-8")).hexdigest()


# --- a list's TSV split into readings of one image each, and put back together ---

def split_pages(tsv: str, images: int) -> list[str]:
    """The TSV of a list of ``images`` images (checked whole by ``extract.ocr.tsv``) as
    one TSV per image, each numbered page 1."""
    header, *rows = tsv[:-1].split("\n")
    pages: list[list[str]] = [[] for _ in range(images)]
    for row in rows:
        level, page, rest = row.split("\t", 2)
        pages[int(page) - 1].append("\t".join((level, "1", rest)))
    return ["\n".join((header, *p)) + "\n" for p in pages]


def join_pages(tsvs: list[str]) -> str:
    """Readings of one image each (as ``split_pages`` gives them) as the TSV of their list."""
    header = tsvs[0].split("\n", 1)[0]
    rows = []
    for n, tsv in enumerate(tsvs, start=1):
        for row in tsv[:-1].split("\n")[1:]:
            level, _page, rest = row.split("\t", 2)
            rows.append("\t".join((level, str(n), rest)))
    return "\n".join((header, *rows)) + "\n"
