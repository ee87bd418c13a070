"""Progress of the OCR on stderr: a bar on a terminal, a line now and then in a log."""
from __future__ import annotations

import sys
import time


def make_progress(total: int, label: str):
    """A bar when stderr is a terminal, else a ``LineProgress``; both have update and render_finish."""
    if sys.stderr.isatty():
        import click

        return click.progressbar(length=total, label=label, file=sys.stderr)
    return LineProgress(total, label)


class NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def render_finish(self) -> None:
        pass


class LineProgress:
    """Progress for a log rather than a terminal: a line every ``every`` seconds of work,
    with the rate and the time left, and a last one if any was written."""

    def __init__(self, total: int, label: str, *, every: float = 30.0, file=None, clock=None) -> None:
        self.total, self.label, self.every = total, label, every
        self.file = file or sys.stderr
        self.clock = clock or time.monotonic
        self.done = 0
        self.start = self.last = self.clock()
        self.lines = 0

    def update(self, n: int = 1) -> None:
        self.done += n
        now = self.clock()
        if now - self.last >= self.every and self.done < self.total:
            self.last = now
            self._line(now)

    def render_finish(self) -> None:
        if self.lines:
            self._line(self.clock())

    def _line(self, now: float) -> None:
        spent = max(now - self.start, 1e-9)
        rate = self.done / spent
        left = (self.total - self.done) / rate if rate else float("inf")
        tail = f", about {_duration(left)} left" if self.done < self.total and rate else f" in {_duration(spent)}"
        print(f"{self.label}: {self.done}/{self.total} ({100 * self.done // max(self.total, 1)}%), "
              f"{rate:.2f}/s{tail}", file=self.file, flush=True)
        self.lines += 1


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{round(seconds)} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"
