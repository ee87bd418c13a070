"""The command line's way in (the ``chitieu`` program, ``python -m chitieu``): a command
given again, word for word, from the same folder, is answered from the run it made
before without parsing it again.

A kept run (``chitieu.rerun``) is decided from the options as click parsed them; importing
click and building the command's options costs more than the rest of a kept run together
(~0.03 s of a ~0.06 s run). So each ``run`` command that could be kept leaves, in the cache,
what it was parsed into (its paths, output folder and options) under the digest of its words,
the folder it was given in, the number of cores (the default ``--jobs``) and the code's
version (a new chitieu may parse the same words otherwise). The same words again find that
entry, and the run's key is computed from it exactly as the parsed command's would be
(each input's bytes, the options, the code, the environment): any change of an input, of
the code or of what an output depends on gives another key, no kept run, and the command is
parsed and run as always. Nothing here answers a command that is not a kept run's.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

FORMAT = "1"  # part of every entry's name: a change of what an entry holds changes them all
# Commands remembered. An entry is a few hundred bytes; a user alternates between a few
# commands (an archive, a folder of it, a test file), and a script may loop over communes:
# 256 keep a province's communes' commands without letting the folder grow unbounded.
KEEP_COMMANDS = 256
# Words after which a command is never answered from a kept run: help and version are
# click's to print; --no-cache and --no-reuse-outputs ask for a run made again.
_NOT_KEPT = frozenset({"-h", "--help", "--version", "--no-cache", "--no-reuse-outputs"})
_given: list[tuple[str, ...]] = []  # the words of the command being run, while ``entry`` runs it


def entry(argv: list[str] | None = None) -> None:
    """Run the command line ``argv`` (default ``sys.argv[1:]``): a kept run's outputs when the
    same words were run before and nothing they depend on changed, else the command line (``chitieu.cli.main``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        status = replay_command(argv)
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        sys.exit(130)
    if status is not None:
        sys.exit(status)
    from chitieu.cli import main

    _given[:] = [tuple(argv)]
    try:
        main(argv, prog_name="chitieu")
    finally:
        _given.clear()


def given() -> tuple[str, ...] | None:
    """The words of the command line ``entry`` is running (None when click was called otherwise)."""
    return _given[0] if _given else None


def cache_of(argv: list[str]) -> Path | None:
    """The cache folder the words name (the last ``--cache-dir``, as click takes it), the default
    one when they name none, None with ``--no-cache``."""
    from chitieu.rerun import default_cache_dir

    folder = None
    for i, word in enumerate(argv):
        if word == "--cache-dir" and i + 1 < len(argv):
            folder = argv[i + 1]
        elif word.startswith("--cache-dir="):
            folder = word.split("=", 1)[1]
    return Path(folder) if folder else default_cache_dir()


# The files that decide what a command's words are parsed into: its options and their
# defaults, and what is kept of them. (A run's key covers the whole code.)
_PARSING = ("chitieu/cli.py", "chitieu/quick.py", "chitieu/command.py", "extract/limits.py")


def _entry_path(folder: Path, argv) -> Path:
    from chitieu.inputs import digest
    from chitieu.rerun import _ROOT, _sha256

    h = _sha256()
    code = [digest(_ROOT / name) for name in _PARSING]
    for part in (FORMAT, os.getcwd(), str(os.cpu_count()), *code, *argv):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return folder / "commands" / f"{h.hexdigest()}.cmd"


def remember_command(reruns, argv, parsed: dict) -> None:
    """Keep what ``argv`` was parsed into (``parsed``: paths, out_dir, cache, read, write, level:
    plain values) for the same words given again."""
    import marshal

    from normalize.outputs.atomic import write_bytes_atomic

    try:
        path = _entry_path(reruns.folder, argv)
        data = marshal.dumps(parsed)
        if path.is_file() and path.read_bytes() == data:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data)
        entries = sorted(path.parent.glob("*.cmd"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP_COMMANDS:]:
            old.unlink(missing_ok=True)
    except (OSError, ValueError):  # a read-only cache, another run trimming: parsed again next time
        pass


def replay_command(argv: list[str]) -> int | None:
    """The exit status of the kept run ``argv`` made before, its outputs written and its lines
    said again; None when there is none (or it cannot be told without click)."""
    if "run" not in argv or _NOT_KEPT.intersection(argv):
        return None
    cache = cache_of(argv)
    from chitieu.rerun import Reruns

    reruns = Reruns(cache)
    reruns.recall()
    import marshal

    try:
        path = _entry_path(reruns.folder, argv)  # a parsing file unreadable: OSError, parsed as always
        with open(path, "rb") as fh:
            parsed = marshal.load(fh)
        paths, out_dir, read, write = parsed["paths"], parsed["out_dir"], parsed["read"], parsed["write"]
        if parsed["cache"] != str(cache):
            return None
    except Exception:  # none yet, cut short, or written by another chitieu: parsed as always
        return None
    from chitieu import command
    from extract.errors import ChitieuError
    from normalize.outputs.lock import output_lock

    command.set_level(parsed["level"])
    try:
        with output_lock(out_dir):
            key = command.run_key_of(paths, out_dir, read, write)
            status = command.replay_kept(reruns, key, out_dir, read) if key else None
    except (ChitieuError, OSError):  # the folder in use, unwritable, an output now a folder:
        return None  # the command, parsed, says so as always (its errors mapped in one place)
    try:
        os.utime(path)  # used: kept longest
    except OSError:
        pass
    if status is not None:
        reruns.remember()
    return status
