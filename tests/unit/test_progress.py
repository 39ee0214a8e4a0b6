"""The progress of a long command: a bar with the rate and the time left on a terminal,
log lines every few seconds and at the end otherwise."""

from __future__ import annotations

import io
from typing import Any

import pytest

from cli import progress as progress_module
from cli.progress import LogProgress, progress


class Lines:
    """A logger that keeps what it is told."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, dict[str, Any]]] = []

    def info(self, event: str, **fields: Any) -> None:
        self.lines.append((event, fields))


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_log_lines_come_every_few_seconds_with_the_rate_and_the_time_left() -> None:
    clock, log = Clock(), Lines()
    reporter = LogProgress("audit.verify", 1000, "events", every=5.0, clock=clock, log=log)
    clock.now += 2
    reporter.advance(100)
    assert log.lines == []  # not yet: less than 5 s since the start
    clock.now += 3
    reporter.advance(150)
    clock.now += 1
    reporter.advance(50)
    assert len(log.lines) == 1
    event, fields = log.lines[0]
    assert event == "audit.verify.progress"
    assert fields["done"] == 250 and fields["total"] == 1000 and fields["unit"] == "events"
    assert fields["per_second"] == 50 and fields["seconds_left"] == 15.0
    assert fields["finished"] is False
    reporter.finish()
    assert log.lines[-1][1]["done"] == 300 and log.lines[-1][1]["finished"] is True
    assert log.lines[-1][1]["seconds_left"] is None


def test_without_a_terminal_the_progress_is_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    log = Lines()
    monkeypatch.setattr(progress_module.structlog, "get_logger", lambda *_: log)
    stream = io.StringIO()  # not a terminal
    with progress("replay", 10, stream=stream) as advance:
        advance(4)
        advance(6)
    assert stream.getvalue() == ""
    assert [(e, f["done"], f["finished"]) for e, f in log.lines] == [("replay.progress", 10, True)]


def test_on_a_terminal_a_bar_shows_the_count_the_rate_and_the_time_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = Lines()
    monkeypatch.setattr(progress_module.structlog, "get_logger", lambda *_: log)
    stream = io.StringIO()
    with progress("audit.export", 2000, stream=stream, terminal=True) as advance:
        advance(500)
        advance(1500)
    shown = stream.getvalue()
    assert "audit.export" in shown and "2000/2000" in shown and "events/s" in shown
    assert "left" in shown
    assert log.lines == []
