"""Inputs sent to Dask workers as bytes, never as paths: no shared disk needed.

In the parent (``Shipments``), each document an item reads is read once and its bytes
scattered to the cluster once: one future per document, shared by every item that
reads it, let go when no item in flight needs it and the items being sent have moved
on to other documents (pages go out in input order), so memory holds only the
documents of the window. On the worker (``Localised``), the bytes are written to a
file of that worker's own (``LocalCopies``: once per worker and content), the item is
pointed at it, and the function runs; any reason the result gives names the user's
path again, so outputs are the same whichever executor runs. A file the parent cannot
read goes as its path: the worker meets the failure a serial run meets, page by page.

``Shipping`` says how items name their files; ``OCR_BATCHES`` is the runner's
(batches of ``OcrTask``).
"""
from __future__ import annotations

import atexit
import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Mapping

from extract.errors import ChitieuError, reason

log = logging.getLogger(__name__)


def _unchanged(value: Any, swap: Callable[[str], str]) -> Any:
    return value


@dataclass(frozen=True)
class Shipping:
    """How an executor's items name the files they read; its functions go to the workers,
    so they must be picklable (module-level)."""

    paths: Callable[[Any], Iterable[str]]  # the files an item reads (called in the parent)
    relocate: Callable[[Any, Mapping[str, str]], Any]  # the item reading where[path] instead (on the worker)
    restore: Callable[[Any, Callable[[str], str]], Any] = _unchanged  # the value, ``swap`` applied to its texts


def _batch_paths(batch) -> list[str]:
    return [t.path for t in batch]


def _relocate_batch(batch, where: Mapping[str, str]) -> tuple:
    return tuple(replace(t, path=where.get(t.path, t.path)) for t in batch)


def _restore_reasons(value, swap: Callable[[str], str]) -> list:
    return [(page, swap(why)) for page, why in value]


# Batches of OcrTask (chitieu.batches), each giving [(PageResult or None, reason)].
OCR_BATCHES = Shipping(_batch_paths, _relocate_batch, _restore_reasons)


def read_document(path: str) -> bytes:
    """The bytes of an input, read in the parent to be sent to the workers."""
    with open(path, "rb") as fh:
        return fh.read()


def _suffix(path: str) -> str:
    """The file's extension, when it is a plain one, for the copy (readers tell formats by content)."""
    suffix = os.path.splitext(path)[1]
    return suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix) else ""


@dataclass
class _Sent:
    future: Any  # the document's bytes, scattered
    name: tuple[str, str, str]  # (the user's path, sha256 of the bytes, suffix)
    users: int = 0  # items in flight reading it, plus one while the latest item sent reads it


class Shipments:
    """The documents scattered for one ``imap_unordered``, each once while it is needed."""

    def __init__(self, client, ship: Shipping) -> None:
        self.client, self.ship = client, ship
        self.sent: dict[str, _Sent] = {}
        self.latest: set[str] = set()  # the documents of the latest item sent: the next one likely reads them

    def send(self, item) -> tuple[list[str], tuple]:
        """The documents ``item`` holds (to give back to ``done``) and the arguments that follow
        it: the names of its documents, then their bytes' futures."""
        held = [p for p in dict.fromkeys(self.ship.paths(item)) if self._ship(p)]
        for p in held:
            self.sent[p].users += 1
        for p in set(held) - self.latest:
            self.sent[p].users += 1
        old, self.latest = self.latest - set(held), set(held)
        self.done(old)
        return held, (tuple(self.sent[p].name for p in held), *(self.sent[p].future for p in held))

    def _ship(self, path: str) -> bool:
        """Whether ``path`` is on the cluster, scattered now if it was not."""
        if path in self.sent:
            return True
        try:
            data = read_document(path)
        except OSError as exc:  # the worker is given the path, and fails on it as a serial run would
            log.debug("%s not sent to the workers: %s", path, exc)
            return False
        future = self.client.scatter(data, hash=False)
        self.sent[path] = _Sent(future, (path, hashlib.sha256(data).hexdigest(), _suffix(path)))
        return True

    def done(self, held: Iterable[str]) -> None:
        """An item holding ``held`` is done: documents no one holds any more are let go."""
        for p in held:
            sent = self.sent[p]
            sent.users -= 1
            if sent.users <= 0:
                del self.sent[p]
                sent.future.release()

    def close(self) -> None:
        sent, self.sent, self.latest = self.sent, {}, set()
        for s in sent.values():
            s.future.release()


class ShippedFailure(ChitieuError):
    """An exception raised on a worker whose message named the worker's copy, naming the user's file."""


@dataclass(frozen=True)
class Localised:
    """``fn`` run on a worker, on local copies of the documents it was sent."""

    fn: Callable[[Any], Any]
    ship: Shipping

    def __call__(self, item, names: tuple = (), *blobs: bytes) -> Any:
        copies = local_copies()
        where = {path: copies.acquire(digest, suffix, data) for (path, digest, suffix), data in zip(names, blobs)}

        def swap(text: str) -> str:
            for path, local in where.items():
                text = text.replace(local, path)
            return text

        try:
            value = self.fn(self.ship.relocate(item, where))
        except Exception as exc:
            told = reason(exc)
            if swap(told) == told:
                raise
            raise ShippedFailure(swap(told)) from None
        finally:
            copies.release(digest for _, digest, _ in names)
        return self.ship.restore(value, swap)


# Documents a worker keeps on disk. A batch reads at most 8 (chitieu.batches.MAX_BATCH),
# all on disk at once (a copy in use is never removed); twice that keeps the previous
# batch's too, and pages go out in input order, so a worker seldom needs an older one.
# One it does is written again from the bytes its task carries: the 3.9 MB scanned deck
# takes about 1 ms to write here, against seconds to OCR one of its pages.
KEEP_FILES = 16


class LocalCopies:
    """Files of documents' bytes on this worker, one per content, the least recently
    used removed beyond ``keep``; their folder goes when the worker process exits."""

    def __init__(self, keep: int = KEEP_FILES) -> None:
        self.keep = keep
        self.lock = threading.Lock()  # a worker may run several tasks at once, in threads
        self.files: OrderedDict[str, list] = OrderedDict()  # sha256 → [path, tasks using it]
        self.folder: str | None = None

    def acquire(self, digest: str, suffix: str, data: bytes) -> str:
        """The path of a file holding ``data``, written unless it is there already."""
        with self.lock:
            if self.folder is None:
                self.folder = tempfile.mkdtemp(prefix="chitieu-shipped-")
                atexit.register(shutil.rmtree, self.folder, True)
            entry = self.files.get(digest)
            if entry is None or not os.path.exists(entry[0]):
                path = os.path.join(self.folder, digest + suffix)
                with open(path + ".part", "wb") as fh:
                    fh.write(data)
                os.replace(path + ".part", path)
                entry = self.files.setdefault(digest, [path, 0])
            entry[1] += 1
            self.files.move_to_end(digest)
            self._trim()
            return entry[0]

    def release(self, digests: Iterable[str]) -> None:
        with self.lock:
            for d in digests:
                if d in self.files:
                    self.files[d][1] -= 1
            self._trim()

    def _trim(self) -> None:
        idle = [d for d, (_, users) in self.files.items() if users <= 0]
        for d in idle[:max(0, len(self.files) - self.keep)]:
            path, _ = self.files.pop(d)
            try:
                os.unlink(path)
            except OSError:  # gone already
                pass


_COPIES: LocalCopies | None = None
_COPIES_LOCK = threading.Lock()


def local_copies() -> LocalCopies:
    """This process's copies (one per Dask worker process)."""
    global _COPIES
    with _COPIES_LOCK:
        if _COPIES is None:
            _COPIES = LocalCopies()
        return _COPIES
