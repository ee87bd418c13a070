"""Executors: the same outputs, byte for byte, whichever runs the pages.

The mechanics run on the scanned deck with a fast fake OCR (`fake_ocr`); one test
runs the real Tesseract on a three-page scan, on a real Dask cluster and serially.
"""
from __future__ import annotations

import hashlib
import os
import signal
from dataclasses import replace
from pathlib import Path

from extract.errors import ExitCode

import pytest

from chitieu import runner
from chitieu.executor import (
    DaskExecutor,
    ProcessExecutor,
    SerialExecutor,
    make_executor,
)
from fake_ocr import failing_on_page_3, fake_ocr, killing_its_worker_on_page_3, worker_pid
from normalize.outputs.datasets import write_outputs

SCAN = Path(__file__).resolve().parents[1] / "samples" / "deck_2023_scan.pdf"


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.csv"))}


def run_to(out: Path, inputs, ocr=fake_ocr, **settings) -> dict[str, bytes]:
    result = runner.run([str(p) for p in inputs], runner.Settings(**settings), ocr=ocr)
    write_outputs(out, result.records, result.errors)
    return outputs(out)


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        yield cluster


@pytest.fixture(scope="module")
def serial_outputs(tmp_path_factory):
    return run_to(tmp_path_factory.mktemp("serial"), [SCAN], executor="serial")


def test_serial_run_finds_the_summary_table(serial_outputs):
    tidy = serial_outputs["indicators.csv"].decode("utf-8").splitlines()[1:]
    pages = [line.split(",")[1] for line in tidy]
    # the summary table of pages 10-11, and the list of the 16 targets of pages 3-4
    assert sum(p in ("10", "11") for p in pages) == 176 and sum(p in ("3", "4") for p in pages) == 16


def test_process_pool_gives_the_same_bytes(serial_outputs, tmp_path):
    assert run_to(tmp_path, [SCAN], executor="process", jobs=2) == serial_outputs


def test_dask_cluster_gives_the_same_bytes(serial_outputs, dask_cluster, tmp_path):
    got = run_to(tmp_path, [SCAN], scheduler=dask_cluster.scheduler_address, jobs=2)
    assert got == serial_outputs


@pytest.mark.parametrize("executor", ["serial", "process"])
def test_a_failed_page_is_an_error_and_the_others_go_on(executor, tmp_path):
    result = runner.run([str(SCAN)], runner.Settings(executor=executor, jobs=2), ocr=failing_on_page_3)
    assert [(e.source_file, e.page, e.stage, e.reason) for e in result.errors if e.stage == "ocr"] == [
        ("deck_2023_scan.pdf", 3, "ocr", "ValueError: tesseract crashed on this page")]
    assert sum(r.page in (10, 11) for r in result.records) == 176


def test_a_worker_that_dies_costs_only_its_page(tmp_path):
    """The same outputs as when page 3 fails with an exception, in the worker or in the parent."""
    killed = runner.run([str(SCAN)], runner.Settings(executor="process", jobs=2), ocr=killing_its_worker_on_page_3)
    assert [(e.page, e.reason) for e in killed.errors if e.stage == "ocr"] == [
        (3, "the worker process reading it died (killed, or out of memory), and again when the page was read alone")]
    failed = runner.run([str(SCAN)], runner.Settings(executor="serial"), ocr=failing_on_page_3)
    assert killed.records == failed.records
    assert [e for e in killed.errors if e.stage != "ocr"] == [e for e in failed.errors if e.stage != "ocr"]


def _dies_on_3(x):
    if x == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def test_a_dead_worker_loses_what_was_in_flight_and_a_fresh_pool_goes_on():
    with ProcessExecutor(2, window=2) as ex:
        outcomes = list(ex.imap_unordered(_dies_on_3, range(8)))
        assert sorted(o.index for o in outcomes) == list(range(8))
        lost = {o.index for o in outcomes if o.lost}
        assert 3 in lost and len(lost) <= 2  # what was in flight: the window
        assert all(o.value == o.index for o in outcomes if not o.lost)
        assert sorted(o.value for o in ex.imap_unordered(_dies_on_3, [5, 6])) == [5, 6]


def test_errors_of_two_documents_come_in_input_order(tmp_path):
    other = tmp_path / "copy.pdf"
    other.write_bytes(SCAN.read_bytes())
    result = runner.run([str(other), str(SCAN)], runner.Settings(executor="process", jobs=2),
                          ocr=failing_on_page_3)
    assert [e.source_file for e in result.errors if e.stage == "ocr"] == ["copy.pdf", "deck_2023_scan.pdf"]


def test_process_workers_are_other_processes_with_one_tesseract_thread():
    import os

    with ProcessExecutor(2) as ex:
        outcomes = list(ex.imap_unordered(worker_pid, range(6)))
    assert sorted(o.index for o in outcomes) == list(range(6))
    assert all(o.value[0] != os.getpid() and o.value[1] == "1" for o in outcomes)


def test_process_pool_takes_items_lazily():
    taken = []

    def items():
        for i in range(50):
            taken.append(i)
            yield i

    with ProcessExecutor(2, window=4) as ex:
        it = ex.imap_unordered(abs, items())
        first = next(it)
        assert len(taken) <= 5  # the window, not the whole archive
        assert sorted([first.value] + [o.value for o in it]) == list(range(50))


def test_serial_executor_turns_exceptions_into_outcomes():
    outcomes = list(SerialExecutor().imap_unordered(lambda x: 1 // x, [1, 0, 2]))
    assert [o.value for o in outcomes] == [1, None, 0]
    assert outcomes[1].error.startswith("ZeroDivisionError")


def test_an_interrupt_stops_the_pool_and_is_raised():
    def items():
        yield from range(3)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        with ProcessExecutor(2) as ex:
            list(ex.imap_unordered(abs, items()))


def test_make_executor_defaults_and_usage_errors():
    assert isinstance(make_executor(None, jobs=1), SerialExecutor)
    assert isinstance(make_executor(None, jobs=4), ProcessExecutor)
    with pytest.raises(ValueError, match="dask"):
        make_executor("process", jobs=2, scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(ValueError, match="unknown executor"):
        make_executor("threads", jobs=2)


def test_scheduler_with_another_executor_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    args = ["run", str(SCAN), "-o", str(tmp_path), "--executor", "serial", "--scheduler", "tcp://127.0.0.1:1"]
    from pipeline import main

    result = CliRunner().invoke(main, args)
    assert result.exit_code == ExitCode.USAGE
    assert "--scheduler" in result.output


def test_dask_executor_maps_over_a_cluster(dask_cluster):
    with DaskExecutor(2, address=dask_cluster.scheduler_address, window=3) as ex:
        outcomes = list(ex.imap_unordered(worker_pid, range(7)))
    assert sorted(o.index for o in outcomes) == list(range(7))
    # A cluster we did not start keeps its environment; each Tesseract gets the limit in its own (extract.ocr.tesseract).
    assert all(o.value[0] > 0 for o in outcomes)


@pytest.fixture(scope="module")
def three_page_scan(tmp_path_factory) -> Path:
    """Slides 9–11 of the scanned deck: the summary table and a page before it."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(SCAN))
    dst = pdfium.PdfDocument.new()
    dst.import_pages(src, pages=[8, 9, 10])
    path = tmp_path_factory.mktemp("scan3") / "deck_slides_9_11.pdf"
    dst.save(str(path))
    return path


@pytest.mark.tesseract
def test_real_tesseract_on_a_local_dask_cluster_matches_serial(three_page_scan, tmp_path):
    serial = run_to(tmp_path / "serial", [three_page_scan], ocr=None, executor="serial")
    dask = run_to(tmp_path / "dask", [three_page_scan], ocr=None, executor="dask", jobs=2)
    assert dask == serial
    assert serial["indicators.csv"].count(b"\n") > 100


# Dask without a shared disk (chitieu.shipping): the workers are sent the documents' bytes.

def _hidden_once_read(monkeypatch) -> list[str]:
    """The parent's reads of inputs, each input removed once read: no worker can see it after."""
    from chitieu import shipping

    reads, read = [], shipping.read_document

    def read_then_remove(path):
        data = read(path)
        reads.append(path)
        os.unlink(path)
        return data

    monkeypatch.setattr(shipping, "read_document", read_then_remove)
    return reads


def reading_the_file_it_is_given(task):
    """``fake_ocr``, after checking the page's file is there, is the deck, and is not the user's."""
    import hashlib

    assert os.path.basename(task.path) == hashlib.sha256(SCAN.read_bytes()).hexdigest() + ".pdf"
    assert Path(task.path).read_bytes() == SCAN.read_bytes()
    return fake_ocr(task)


def test_dask_workers_that_cannot_see_the_input_give_the_same_bytes(serial_outputs, dask_cluster, tmp_path,
                                                                   monkeypatch):
    copy = tmp_path / "in" / SCAN.name  # the same name: the same source_file
    copy.parent.mkdir()
    copy.write_bytes(SCAN.read_bytes())
    reads = _hidden_once_read(monkeypatch)
    got = run_to(tmp_path / "out", [copy], ocr=reading_the_file_it_is_given,
                 scheduler=dask_cluster.scheduler_address, jobs=2)
    assert reads == [os.path.abspath(copy)]  # once, for the 14 pages of its several batches
    assert got == serial_outputs


@pytest.mark.tesseract
def test_real_reader_on_dask_workers_that_cannot_see_the_input_matches_serial(three_page_scan, dask_cluster,
                                                                              tmp_path, monkeypatch):
    copy = tmp_path / "in" / three_page_scan.name
    copy.parent.mkdir()
    copy.write_bytes(three_page_scan.read_bytes())
    serial = run_to(tmp_path / "serial", [copy], ocr=None, executor="serial")
    reads = _hidden_once_read(monkeypatch)
    dask = run_to(tmp_path / "dask", [copy], ocr=None, scheduler=dask_cluster.scheduler_address, jobs=2)
    assert not copy.exists() and reads == [os.path.abspath(copy)]
    assert dask == serial and serial["indicators.csv"].count(b"\n") > 100


class _Scattered:
    def __init__(self, data):
        self.data, self.released = data, False

    def release(self):
        self.released = True


class _Client:
    def __init__(self):
        self.scattered = []

    def scatter(self, data, hash=True):
        self.scattered.append(_Scattered(data))
        return self.scattered[-1]


def test_a_document_is_scattered_once_and_let_go_when_no_item_needs_it(tmp_path):
    from chitieu.shipping import OCR_BATCHES, Shipments
    from extract.ocr.tasks import OcrTask

    a, b = tmp_path / "a.pdf", tmp_path / "b.png"
    a.write_bytes(b"A")
    b.write_bytes(b"B")
    pa, pb = OcrTask(str(a), 0, "pdf"), OcrTask(str(b), 0, "image")
    client = _Client()
    ships = Shipments(client, OCR_BATCHES)
    held1, args1 = ships.send((pa, replace(pa, index=1)))
    held2, _ = ships.send((replace(pa, index=2), pb))
    ships.done(held1)
    assert [s.data for s in client.scattered] == [b"A", b"B"] and args1[1] is client.scattered[0]
    assert args1[0] == ((str(a), hashlib.sha256(b"A").hexdigest(), ".pdf"),)
    held3, _ = ships.send((replace(pb, index=1),))  # the items moved on: a is held by item 2 only
    assert not client.scattered[0].released
    ships.done(held2)
    assert client.scattered[0].released and not client.scattered[1].released
    ships.done(held3)
    assert not client.scattered[1].released  # the latest item sent read it: the next may too
    ships.close()
    assert client.scattered[1].released and len(client.scattered) == 2


def test_a_file_the_parent_cannot_read_goes_as_its_path(tmp_path):
    from chitieu.shipping import OCR_BATCHES, Shipments
    from extract.ocr.tasks import OcrTask

    ships = Shipments(_Client(), OCR_BATCHES)
    assert ships.send((OcrTask(str(tmp_path / "gone.pdf"), 0, "pdf"),)) == ([], ((),))


def _page_reading(task):
    if task.index == 1:
        raise ValueError(f"cannot read {task.path}")
    return Path(task.path).read_bytes(), task.path


def _batch_reading(batch):
    return [((Path(t.path).read_bytes(), t.path), f"{t.path} page {t.page_no}") for t in batch]


def test_a_worker_writes_a_document_once_and_names_the_users_file(tmp_path, monkeypatch):
    from chitieu import shipping
    from extract.ocr.tasks import OcrTask

    copies = shipping.LocalCopies(keep=1)
    monkeypatch.setattr(shipping, "local_copies", lambda: copies)
    name = ("/users/report.pdf", hashlib.sha256(b"PDF").hexdigest(), ".pdf")
    batch = (OcrTask(name[0], 0, "pdf"), OcrTask(name[0], 2, "pdf"))
    got = shipping.Localised(_batch_reading, shipping.OCR_BATCHES)(batch, (name,), b"PDF")
    (data, local), why = got[0]
    assert data == b"PDF" and local != name[0] and why == "/users/report.pdf page 1"
    assert got[1][1] == "/users/report.pdf page 3"
    written = os.stat(local).st_mtime_ns
    shipping.Localised(_batch_reading, shipping.OCR_BATCHES)(batch, (name,), b"PDF")
    assert os.stat(local).st_mtime_ns == written  # the same content is not written again
    one = shipping.Shipping(lambda t: [t.path], lambda t, where: _one(t, where))
    with pytest.raises(shipping.ShippedFailure, match="^ValueError: cannot read /users/report.pdf$"):
        shipping.Localised(_page_reading, one)(OcrTask(name[0], 1, "pdf"), (name,), b"PDF")
    other = ("/users/b.pdf", hashlib.sha256(b"B").hexdigest(), ".pdf")
    shipping.Localised(_batch_reading, shipping.OCR_BATCHES)((OcrTask(other[0], 0, "pdf"),), (other,), b"B")
    assert not os.path.exists(local) and len(copies.files) == 1  # beyond ``keep``, the oldest idle one goes


def _one(task, where):
    return replace(task, path=where[task.path])


def _where_it_reads(path):
    return path


def test_a_dask_workers_copies_go_when_it_exits():
    distributed = pytest.importorskip("distributed")
    from chitieu.shipping import Localised, Shipping

    ship = Shipping(lambda path: [path], lambda path, where: where[path])
    name = ("/users/x.pdf", hashlib.sha256(b"x").hexdigest(), ".pdf")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        local = client.submit(Localised(_where_it_reads, ship), name[0], (name,), b"x", pure=False).result()
        assert Path(local).read_bytes() == b"x"
    assert not os.path.exists(os.path.dirname(local))
