"""Lost subscriptions (check 3, RELIABILITY.md): the worker's LISTEN connections are terminated
from the server side 20 times in a row; after each, a new event must reach the views
within 5 s (no stall, however often it happens)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest

from service.bootstrap import Service
from tests.figures import record
from tests.integration.helpers import CLERK, draft, wait_for
from workers.projection_worker import start_runners

TERMINATIONS, BOUND = 20, 5.0


@pytest.fixture
def running(service: Service) -> Iterator[threading.Event]:
    stop = threading.Event()
    threads = start_runners(
        service.runners, service.app.recorder, service.app.mapper, service.conninfo, stop
    )
    yield stop
    stop.set()
    for thread in threads:
        thread.join(10)


def test_twenty_lost_listen_connections_never_stall_the_views(
    service: Service, running: threading.Event
) -> None:
    app = service.app
    first = app.raise_petition(draft(), CLERK)
    wait_for(lambda: min(v.position() for v in service.runners) >= first.position, 30)
    delays, killed_total = [], 0
    for _ in range(TERMINATIONS):
        with psycopg.connect(service.conninfo, autocommit=True) as conn:
            killed = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE query ILIKE 'LISTEN%%' AND datname = current_database()"
                " AND pid <> pg_backend_pid()"
            ).fetchall()
        assert killed, "no LISTEN connection found to terminate"
        killed_total += len(killed)
        written = app.raise_petition(draft(), CLERK)
        delays.append(
            wait_for(lambda w=written: min(v.position() for v in service.runners) >= w.position, 60)
        )
    record(
        "3 lost subscriptions",
        f"{TERMINATIONS} terminations ({killed_total} LISTEN connections): each new event in "
        f"every view after at most {max(delays):.2f} s (median "
        f"{sorted(delays)[len(delays) // 2]:.2f} s; bound {BOUND:.0f} s)",
        terminations=TERMINATIONS,
        listen_connections_terminated=killed_total,
        max_seconds=round(max(delays), 2),
        delays=[round(d, 2) for d in delays],
    )
    assert max(delays) < BOUND, [round(d, 2) for d in delays]
