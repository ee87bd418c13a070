"""``chitieu run``'s work once its options are checked: read, write, say, and keep the run.

A run whose inputs, options and code are those of a run already kept (``chitieu.rerun``)
writes that run's outputs again and says its lines again (its log lines too, as they were
printed), with one more saying so. Until it knows whether a run is kept, it imports only
what deciding needs: a kept run takes a few hundredths of a second.
"""
from __future__ import annotations

import contextlib
from pathlib import Path

import click

from extract.errors import Interrupted, NothingRead, SomeInputsFailed

LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"  # a log record's line on stderr (pipeline's)
# The log lines of these are about a run's processes and cache (a worker that died, a cache
# entry not written), not about its outputs: a kept run does not say them again.
MACHINERY = ("chitieu.executor", "chitieu.batches", "chitieu.shipping", "chitieu.cache", "chitieu.command",
             "chitieu.rerun", "distributed", "tornado", "asyncio")
_CLI: dict = {"level": None, "configured": False}  # the command line's log level, once it says one


def set_log_level(verbose: int) -> None:
    """The command line's log level: WARNING, INFO with -v, DEBUG with -vv (logging is not
    configured yet: a kept run never imports it)."""
    _CLI.update(level=30 - 10 * min(verbose, 2), configured=False)


def configure_logging() -> None:
    """Log records on stderr at the command line's level, from now on; nothing when no command
    line said one (a program calling chitieu configures its own)."""
    if _CLI["level"] is None or _CLI["configured"]:
        return
    import logging
    import sys

    logging.basicConfig(level=_CLI["level"], format=LOG_FORMAT, stream=sys.stderr)
    _CLI["configured"] = True


STATUS_ERRORS = {3: SomeInputsFailed, 4: NothingRead}
OUT = "\0OUT\0"  # the output folder in a kept line: a run made again may write elsewhere
REPLAYED = ("the inputs, options and code are those of a run already made: its outputs were copied from "
            "the cache, nothing was read again (--no-reuse-outputs makes them again)")


def run_and_write(paths, out_dir: str, *, cache: Path | None, read: dict, write: dict, reuse: bool = True) -> None:
    """Read ``paths`` (``chitieu.read`` with ``read``), write the outputs into ``out_dir``
    (``Result.write`` with ``write``), say the errors and the summary on stderr; raise the
    exit status's error. With a ``cache``, a run made before under the same key is copied
    (unless not ``reuse``: the run is made again, and kept)."""
    from chitieu.rerun import Reruns

    reruns = Reruns(cache) if cache is not None else None
    if reruns is not None:
        reruns.recall()
    key = _key(paths, out_dir, read, write) if reruns is not None else None
    kept = reruns.load(key, lambda: _engine(read)) if key and reuse else None
    if kept is not None:
        status = _replay(kept, out_dir)
    else:
        configure_logging()
        status = _run(paths, out_dir, cache, read, write, reruns, key)
    if reruns is not None:
        reruns.remember()
    if status in STATUS_ERRORS:
        raise STATUS_ERRORS[status]("")


def _replay(kept, out_dir: str) -> int:
    """Write the kept run's outputs into ``out_dir``, say its lines (its log lines as the
    verbosity asked now lets through), and one more; its exit status."""
    from chitieu.rerun import SAID, replay

    replay(Path(out_dir), kept)
    shown = _CLI["level"]
    if shown is None:  # called by a program, not the command line
        import logging

        shown = logging.getLogger().getEffectiveLevel()
    for level, line in (*kept.lines, (SAID, REPLAYED)):
        if level == SAID or level >= shown:
            click.echo(line.replace(OUT, out_dir), err=True)
    return kept.status


@contextlib.contextmanager
def _logged(lines: list):
    """Log records printed meanwhile (but the machinery's) go to ``lines`` too, as printed."""
    import logging

    class Kept(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if not any(record.name == m or record.name.startswith(m + ".") for m in MACHINERY):
                lines.append((record.levelno, self.format(record)))

    handler = Kept()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)


def _run(paths, out_dir: str, cache, read: dict, write: dict, reruns, key) -> int:
    import chitieu
    from chitieu.rerun import SAID

    lines: list[tuple[int, str]] = []

    def say(line: str) -> None:
        lines.append((SAID, line))
        click.echo(line, err=True)

    with _logged(lines):
        try:
            result = chitieu.read(paths, cache_dir=cache, **read)
        except KeyboardInterrupt:
            resume = "; pages read so far are cached, run again to resume" if cache else ""
            raise Interrupted(f"interrupted: no output written{resume}") from None
        for error in result.run.errors:
            say(f"error: {error.where()}: {error.reason}")
        try:
            counts = result.write(out_dir, **write)
        except KeyboardInterrupt:  # each file is written whole or not at all
            raise Interrupted("interrupted while writing: some outputs may be from an earlier run") from None
        for line in counts["summary"]:
            say(line)
        if counts["corrections_applied"] or counts["corrections_unused"]:
            say(f"corrections: {counts['corrections_applied']} applied, {counts['corrections_unused']} no longer asked")
        say(f"{result.inputs} input(s), {counts['records']} values, {counts['review']} to review in "
            f"{counts['decisions']} decision(s) ({counts['conflicts']} conflict(s) between inputs), "
            f"{counts['communes']} commune file(s), {len(result.run.errors)} error(s), "
            f"{result.run.empty_inputs} input(s) gave no value → {out_dir}")
    if result.inputs == 0 or result.failed_inputs >= max(result.inputs, 1):
        status = 4
    else:
        status = 3 if result.failed_inputs or result.run.errors else 0
    if key is not None and all(e.stage in KEPT_STAGES for e in result.run.errors):
        _keep(reruns, key, result, counts, lines, status, out_dir, read)
    return status


# A run is kept only when its errors are facts of its inputs' content (a page with no
# value, a unit not found), which a run made again would find again. An input refused or
# unreadable, a page whose OCR failed, hung or lost its worker, a .doc without LibreOffice:
# each may go otherwise next time, so such a run is made again in full.
KEPT_STAGES = frozenset({"layout", "unit", "normalize"})


def _keep(reruns, key: str, result, counts: dict, lines: list, status: int, out_dir: str, read: dict) -> None:
    from chitieu.rerun import Outcome, collect

    ocr = any(f.read_as == "ocr" for _, facts in result.run.accounts for f in facts)
    said = tuple((level, line.replace(f"→ {out_dir}", f"→ {OUT}")) for level, line in lines)
    try:
        outcome = Outcome(collect(Path(out_dir), counts["files"]), said, status, _engine(read) if ocr else None,
                          stale=("as_of_2025.csv", "report.html"))
    except OSError as exc:  # an output gone already, a model file unreadable: the run is not kept
        import logging

        logging.getLogger(__name__).warning("this run is not kept for a run made again: %s", exc)
        return
    reruns.store(key, outcome)


def _key(paths, out_dir: str, read: dict, write: dict) -> str | None:
    """The run's key, or None when its inputs cannot all be hashed (it is then not kept)."""
    from chitieu.inputs import expand_inputs
    from chitieu.rerun import digest_of, run_key

    files, refused = expand_inputs(paths)
    options = {k: v for k, v in read.items() if k not in ("jobs", "executor", "scheduler", "progress")}
    options.update({k: v for k, v in write.items() if k not in ("corrections", "weights")})
    corrections = write.get("corrections") or Path(out_dir) / "corrections.csv"
    options["corrections"] = (Path(corrections).name, digest_of(corrections))
    options["weights"] = digest_of(write.get("weights"))
    try:
        return run_key([(f.source_file, str(f.path)) for f in files], [e.where() + e.reason for e in refused],
                       {k: repr(v) for k, v in options.items()})
    except OSError:  # an input that cannot be read: the run says so, and is not kept
        return None


def _engine(read: dict) -> str:
    from chitieu.rerun import engine_fingerprint

    return f"{read.get('ocr_engine', 'auto')} {read.get('lang', 'vie')} {engine_fingerprint()}"
