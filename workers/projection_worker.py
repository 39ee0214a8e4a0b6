"""`petitions worker`: every view's runner, until SIGTERM or SIGINT."""

from __future__ import annotations

import signal
import threading
from collections.abc import Sequence
from typing import Any

import structlog
from eventsourcing.persistence import Mapper
from eventsourcing.postgres import PostgresApplicationRecorder

from projections.base import View
from service.bootstrap import Service
from workers.runner import ViewRunner

log = structlog.get_logger(__name__)


def start_runners(
    views: Sequence[View],
    recorder: PostgresApplicationRecorder,
    mapper: Mapper[Any],
    conninfo: str,
    stop: threading.Event,
    *,
    page_size: int = 1000,
) -> list[threading.Thread]:
    threads = []
    for view in views:
        runner = ViewRunner(view, recorder, mapper, conninfo, page_size=page_size, stop=stop)
        thread = threading.Thread(target=runner.run, name=f"view-{view.name}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads


def start_service_runners(service: Service, stop: threading.Event) -> list[threading.Thread]:
    """The service's projection runners, each in a thread, until ``stop`` is set."""
    return start_runners(
        service.runners,
        service.app.postgres_recorder,
        service.app.mapper,
        service.conninfo,
        stop,
        page_size=service.settings.projection_page_size,
    )


def stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, _frame: object) -> None:
        log.info("worker.stopping", signal=signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def run_until_stopped(
    threads: list[threading.Thread], stop: threading.Event, grace: float = 10.0
) -> None:
    while not stop.wait(0.5):
        pass
    for thread in threads:
        thread.join(grace)
    log.info("worker.stopped")
