"""``chitieu run``'s work once its options are checked: read, write, say, and keep the run.

A run whose inputs, options and code are those of a run already kept (``chitieu.rerun``)
writes that run's outputs again and says its lines again (its log lines too, as they were
printed), with one more saying so. Until it knows whether a run is kept, it imports only
what deciding needs: a kept run takes a few hundredths of a second.
"""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path

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


def set_level(level: int | None) -> None:
    """The command line's log level as ``set_log_level`` made it (a command given again)."""
    _CLI.update(level=level, configured=False)


def configure_logging() -> None:
    """Log records on stderr at the command line's level, from now on; nothing when no command
    line said one (a program calling chitieu configures its own)."""
    if _CLI["level"] is None or _CLI["configured"]:
        return
    import logging
    import sys

    logging.basicConfig(level=_CLI["level"], format=LOG_FORMAT, stream=sys.stderr)
    _CLI["configured"] = True


def say(line: str) -> None:
    """A line on stderr (as ``click.echo(err=True)`` writes it; a kept run does not import click)."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


STATUS_ERRORS = {3: SomeInputsFailed, 4: NothingRead}
OUT = "\0OUT\0"  # the output folder in a kept line: a run made again may write elsewhere
REPLAYED = ("the inputs, options and code are those of a run already made: its outputs were copied from "
            "the cache, nothing was read again (--no-reuse-outputs makes them again)")


def run_and_write(paths, out_dir: str, *, cache: Path | None, read: dict, write: dict, reuse: bool = True,
                  argv: tuple[str, ...] | None = None) -> None:
    """Read ``paths`` (``chitieu.read`` with ``read``), write the outputs into ``out_dir``
    (``Result.write`` with ``write``), say the errors and the summary on stderr; raise the
    exit status's error. With a ``cache``, a run made before under the same key is copied
    (unless not ``reuse``: the run is made again, and kept). ``argv``: the command line's
    words, remembered for the same words given again (``chitieu.quick``)."""
    from chitieu.rerun import Reruns

    reruns = Reruns(cache) if cache is not None else None
    if reruns is not None:
        reruns.recall()
    key = run_key_of(paths, out_dir, read, write) if reruns is not None else None
    status = replay_kept(reruns, key, out_dir, read) if key and reuse else None
    if status is None:
        configure_logging()
        status = _run(paths, out_dir, cache, read, write, reruns, key)
    if reruns is not None:
        reruns.remember()
        if argv is not None and key and reuse:
            from chitieu.quick import remember_command

            remember_command(reruns, argv, dict(paths=[str(p) for p in paths], out_dir=str(out_dir), cache=str(cache),
                                                read=dict(read), write=dict(write), level=_CLI["level"]))
    if status in STATUS_ERRORS:
        raise STATUS_ERRORS[status]("")


def replay_kept(reruns, key: str, out_dir: str, read: dict) -> int | None:
    """The exit status of the run kept under ``key``, its outputs written into ``out_dir`` and
    its lines said again; None when no run is kept under it."""
    kept = reruns.load(key, lambda: _engine(read))
    return None if kept is None else _replay(kept, out_dir)


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
            say(line.replace(OUT, out_dir))
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

    def said(line: str) -> None:
        lines.append((SAID, line))
        say(line)

    with _logged(lines):
        try:
            result = chitieu.read(paths, cache_dir=cache, **read)
        except KeyboardInterrupt:
            resume = "; pages read so far are cached, run again to resume" if cache else ""
            raise Interrupted(f"interrupted: no output written{resume}") from None
        for error in result.run.errors:
            said(f"error: {error.where()}: {error.reason}")
        try:
            counts = result.write(out_dir, **write)
        except KeyboardInterrupt:  # each file is written whole or not at all
            raise Interrupted("interrupted while writing: some outputs may be from an earlier run") from None
        for line in counts["summary"]:
            said(line)
        if counts["corrections_applied"] or counts["corrections_unused"]:
            said(f"corrections: {counts['corrections_applied']} applied, {counts['corrections_unused']} no longer asked")
        said(f"{result.inputs} input(s), {counts['records']} values, {counts['review']} to review in "
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


def run_key_of(paths, out_dir: str, read: dict, write: dict) -> str | None:
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
