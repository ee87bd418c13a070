"""Where pages are OCR'd: in this process, in a local process pool, or on a Dask cluster.

Every executor has the same shape, as in OCRmyPDF's ``_concurrent``: it maps a
picklable function over small picklable items (an ``OcrTask``, never an image; Dask
sends the documents' bytes beside them, ``chitieu.shipping``) and
yields each outcome as it completes, so the parent can store and merge results
while the workers go on. Only a bounded window of items is in flight at once, which
keeps memory flat however long the archive is and makes an interrupt quick.
Exceptions raised by the function are outcomes, not failures of the run; an
interrupt (KeyboardInterrupt) cancels the work in flight and is re-raised. A worker
process that dies (killed, out of memory) takes down the local pool with every item
in flight: those items are outcomes marked ``lost`` (whose fault it was is not known),
and the items still to come go to a fresh pool.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Protocol

from extract.errors import ExecutorUnavailable, reason

log = logging.getLogger(__name__)

EXECUTORS = ("serial", "process", "dask")
WORKER_DIED = "the worker process reading it died (killed, or out of memory)"


@dataclass(frozen=True)
class Outcome:
    """The result of one item: ``value`` or, when the function raised, ``error``."""

    index: int  # position of the item in the iterable given to ``imap_unordered``
    item: Any
    value: Any = None
    error: str = ""
    lost: bool = False  # the worker died with the item in flight: no outcome, whose fault unknown


class Executor(Protocol):
    workers: int

    def imap_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        ...

    def close(self) -> None:
        ...


def describe(exc: BaseException) -> str:
    return reason(exc)


def _single_threaded_worker() -> None:
    # The parent decides what an interrupt means; workers finish or are ended by it,
    # and a worker ended takes down the Tesseract it started (in a process group of its own).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_worker)
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()


def _end_worker(signum, frame) -> None:
    from extract.ocr.tesseract import hold_stop, stop_running

    def end() -> None:
        stop_running()
        os._exit(128 + signum)

    if not hold_stop(end):  # held while a Tesseract starts, whose group is not known yet
        end()


def _exit_when_orphaned(parent: int) -> None:
    """End this worker once its parent is gone (killed, power cut): no one waits for its page."""
    while os.getppid() == parent:
        time.sleep(0.5)
    from extract.ocr.tesseract import stop_running

    stop_running()
    os._exit(1)


class SerialExecutor:
    """Everything in this process, one item after the other: the twin used to debug."""

    workers = 1

    def imap_unordered(self, fn, items):
        for i, item in enumerate(items):
            try:
                yield Outcome(i, item, value=fn(item))
            except Exception as exc:  # one bad page never stops the run
                yield Outcome(i, item, error=describe(exc))

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ProcessExecutor:
    """A local pool of ``workers`` processes, each OCR-ing one page at a time."""

    def __init__(self, workers: int, *, window: int | None = None) -> None:
        self.workers = max(1, workers)
        self.window = window or 2 * self.workers
        self._pool = None

    def _get_pool(self):
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_single_threaded_worker)
        return self._pool

    def imap_unordered(self, fn, items):
        from concurrent.futures import FIRST_COMPLETED, wait

        source = iter(enumerate(items))
        running: dict = {}  # future → (index, item, the pool it went to)
        try:
            while True:
                for i, item in source:
                    fut, pool = self._submit(fn, item)
                    running[fut] = (i, item, pool)
                    if len(running) >= self.window:
                        break
                if not running:
                    return
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: running[f][0]):
                    i, item, pool = running.pop(fut)
                    yield self._outcome(fut, i, item, pool)
        except BaseException:
            self._abort()
            raise

    def _submit(self, fn, item):
        """The item's future and the pool it went to; a pool found broken is replaced once."""
        from concurrent.futures.process import BrokenProcessPool

        pool = self._get_pool()
        try:
            return pool.submit(fn, item), pool
        except BrokenProcessPool:
            self._drop(pool)
            pool = self._get_pool()
            return pool.submit(fn, item), pool

    def _outcome(self, fut, i, item, pool) -> Outcome:
        from concurrent.futures.process import BrokenProcessPool

        # A future of a broken pool fails with BrokenProcessPool, or, queued still when the
        # pool was let go, is cancelled: either way its item never ran to its end.
        exc = None if fut.cancelled() else fut.exception()
        if fut.cancelled() or isinstance(exc, BrokenProcessPool):
            self._drop(pool)
            return Outcome(i, item, error=WORKER_DIED, lost=True)
        return Outcome(i, item, error=describe(exc)) if exc else Outcome(i, item, value=fut.result())

    def _drop(self, pool) -> None:
        """Let go of a broken pool (its workers are ended already); the next item gets a fresh one."""
        if pool is self._pool:
            log.warning("a worker process died; what it had in flight is read again")
            self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)

    def _abort(self) -> None:
        """Cancel what is queued and end the workers now rather than after their page."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            try:
                p.terminate()
            except Exception:  # already gone
                pass
        for p in processes:
            p.join(timeout=5)
            # Still busy in a computation, so not waiting on a Tesseract (a worker waiting
            # on one ends at once, and takes it along): killed.
            if p.is_alive():
                p.kill()

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:
            self._abort()
        self.close()


class DaskExecutor:
    """A Dask distributed cluster: the scheduler at ``address``, or a local one.

    Workers of a remote cluster need chitieu and Tesseract installed, not the inputs:
    given ``ship`` (how items name their files, ``chitieu.shipping``), the documents
    an item reads are sent as bytes, once each, and read from the worker's own copy.
    Without it, items go as they are.
    """

    def __init__(self, workers: int, *, address: str | None = None, window: int | None = None,
                 ship=None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ExecutorUnavailable(
                "the dask executor needs Dask distributed: pip install 'chitieu[dask]'"
            ) from exc
        if not log.isEnabledFor(logging.DEBUG):  # Dask's own INFO lines drown ours
            logging.getLogger("distributed").setLevel(logging.WARNING)
        self._cluster = None
        if address:
            self._client = Client(address, set_as_default=False)
        else:
            self._cluster = LocalCluster(
                n_workers=max(1, workers), threads_per_worker=1, processes=True,
                dashboard_address=":0", env={"OMP_THREAD_LIMIT": "1"},
            )
            self._client = Client(self._cluster, set_as_default=False)
        nthreads = self._client.nthreads()
        self.workers = max(1, sum(nthreads.values()) if nthreads else workers)
        self.window = window or 2 * self.workers
        self.ship = ship

    def imap_unordered(self, fn, items):
        from chitieu.shipping import Shipments

        shipments = None if self.ship is None else Shipments(self._client, self.ship)
        try:
            try:
                yield from self._outcomes(fn, items, shipments)
            finally:
                if shipments is not None:  # the documents' bytes leave the cluster with the last item
                    shipments.close()
        except BaseException:
            self.close()
            raise

    def _outcomes(self, fn, items, shipments):
        from distributed import as_completed

        from chitieu.shipping import Localised

        task = fn if shipments is None else Localised(fn, shipments.ship)
        source = iter(enumerate(items))
        running: dict = {}

        def submit(i, item):
            held, args = ((), ()) if shipments is None else shipments.send(item)
            fut = self._client.submit(task, item, *args, pure=False)
            running[fut.key] = (i, item, held)
            return fut

        first = []
        for i, item in source:
            first.append(submit(i, item))
            if len(first) >= self.window:
                break
        if not first:
            return
        completed = as_completed(first, loop=self._client.loop)
        for fut in completed:
            i, item, held = running.pop(fut.key)
            if fut.status == "error":
                outcome = Outcome(i, item, error=describe(fut.exception()))
            else:
                outcome = Outcome(i, item, value=fut.result())
            fut.release()
            if shipments is not None:
                shipments.done(held)
            yield outcome
            for j, nxt in source:
                completed.add(submit(j, nxt))
                break

    def close(self) -> None:
        client, self._client = getattr(self, "_client", None), None
        cluster, self._cluster = getattr(self, "_cluster", None), None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def make_executor(kind: str | None, *, jobs: int, scheduler: str | None = None, ship=None):
    """The executor named by ``kind``; by default a process pool when there are jobs to share.

    A scheduler address implies Dask; ``ship`` (``chitieu.shipping.Shipping``) is given to
    Dask, whose workers need not see the inputs (the others read them where they are).
    """
    if scheduler and kind in (None, "dask"):
        kind = "dask"
    elif scheduler:
        raise ValueError(f"--scheduler needs the dask executor, not {kind}")
    kind = kind or ("process" if jobs > 1 else "serial")
    if kind == "serial":
        return SerialExecutor()
    if kind == "process":
        return ProcessExecutor(jobs)
    if kind == "dask":
        return DaskExecutor(jobs, address=scheduler, ship=ship)
    raise ValueError(f"unknown executor {kind!r}: expected one of {', '.join(EXECUTORS)}")
