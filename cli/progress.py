"""The progress of a long command (``replay``, ``restore``, ``audit verify``, ``audit
export``): on a terminal a bar with the rate and the time left (rich), otherwise a log
line every ``LOG_EVERY`` seconds and one at the end (structlog, JSON in production).

``progress(what, total)`` is a context manager yielding ``advance(n)``, to be told the
number of items done since its last call; it may be called from several threads."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

import structlog
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

LOG_EVERY = 5.0  # seconds between two log lines when no terminal shows a bar

Advance = Callable[[int], None]


class RateColumn(ProgressColumn):
    """Items per second, e.g. ``123,456 events/s``."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} {self.unit}/s" if speed else f"? {self.unit}/s")


class LogProgress:
    """Progress as log lines: ``<what>.progress`` with the count done, the total, the rate
    and the seconds left, every ``every`` seconds, and one when done."""

    def __init__(
        self,
        what: str,
        total: int | None,
        unit: str,
        every: float = LOG_EVERY,
        clock: Callable[[], float] = time.monotonic,
        log: Any = None,
    ) -> None:
        self.what, self.total, self.unit, self.every, self.clock = what, total, unit, every, clock
        self.log = log or structlog.get_logger("petitions")
        self.done, self.lock = 0, threading.Lock()
        self.started = self.last = clock()

    def advance(self, n: int) -> None:
        with self.lock:
            self.done += n
            now = self.clock()
            if now - self.last >= self.every:
                self.last = now
                self.emit(now)

    def finish(self) -> None:
        with self.lock:
            self.emit(self.clock(), finished=True)

    def emit(self, now: float, finished: bool = False) -> None:
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed > 0 else None
        left = (
            max(0.0, (self.total - self.done) / rate)
            if rate and self.total is not None and not finished
            else None
        )
        self.log.info(
            f"{self.what}.progress",
            done=self.done,
            total=self.total,
            unit=self.unit,
            per_second=round(rate) if rate else None,
            seconds=round(elapsed, 1),
            seconds_left=round(left, 1) if left is not None else None,
            finished=finished,
        )


@contextmanager
def progress(
    what: str,
    total: int | None,
    *,
    unit: str = "events",
    stream: IO[str] | None = None,
    terminal: bool | None = None,
) -> Iterator[Advance]:
    """Show the progress of ``what`` (``total`` items if known) on ``stream`` (stderr): a
    bar if it is a terminal (or ``terminal``), else log lines."""
    stream = stream or sys.stderr
    if terminal is None:
        terminal = stream.isatty()
    if not terminal:
        logged = LogProgress(what, total, unit)
        yield logged.advance
        logged.finish()
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(unit),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=Console(file=stream),
    ) as bar:
        task = bar.add_task(what, total=total)
        yield lambda n: bar.advance(task, n)
