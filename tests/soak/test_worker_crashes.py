"""Projection crashes (check 2, RELIABILITY.md).

* ``petitions worker`` is killed with SIGKILL at a random point of a catch-up, 50 times
  (the views are emptied again whenever they come near the end of the log, so every kill
  lands mid catch-up). After each kill, every view equals a clean rebuild of the log up to
  the position its tracking records (``workers.replay.verify``: no row more, none less, so
  the tracking is exactly the last event whose effects are in the view), and the audit
  chain verifies.
* Every event delivered twice on purpose: each page of the log is given to every view,
  then given again whole, then each of its events again alone; every second delivery must
  be refused, and the views must equal a clean rebuild (0 double counts).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date

import pytest

from audit.verify import verify_database
from service.bootstrap import Service
from service.demo import make_plan, run_plan
from tests.figures import record
from tests.integration.helpers import wait_for
from tests.integration.test_projection_workers import worker_env
from workers.replay import verify
from workers.runner import decode, read_pages

END = date(2026, 10, 31)
KILLS = int(os.environ.get("SOAK_KILLS", "50"))
SEED = 20261011


def differences(service: Service) -> list[str]:
    app = service.app
    return verify(service.views, app.recorder, app.mapper, service.datastore_for, service.conninfo)


def test_fifty_kill_nines_mid_catch_up_leave_views_equal_to_a_clean_rebuild(
    service: Service,
) -> None:
    app = service.app
    run_plan(app, make_plan(app.district, END, per_briefing=6, months=6, seed=7))
    head = app.recorder.max_notification_id()
    assert head is not None and head > 500
    rng = random.Random(SEED)
    views = list(service.views.values())
    kills = resets = 0
    verified_positions: list[int] = []
    started = time.monotonic()
    while kills < KILLS:
        low = min(v.position() for v in views)
        if low > head - 80:  # too near the end to be killed mid catch-up: start again
            for view in views:
                view.drop()
                view.create_table()
            resets += 1
            low = 0
        # a random point ahead, well before the end
        target = low + rng.randint(5, min(250, head - low - 40))
        worker = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "worker"],
            env=worker_env(service, page_size=rng.choice([1, 7, 10, 25])),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(lambda t=target: max(v.position() for v in views) >= t, timeout=120)
            time.sleep(rng.random() * 0.2)  # and a little further, at random
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(30)
        positions = [v.position() for v in views]
        assert min(positions) < head, "the worker caught up before the kill"
        kills += 1
        found = differences(service)
        assert found == [], f"kill {kills}: {found}"
        verified_positions += positions
        report = verify_database(
            service.conninfo,
            app.datastore.schema,
            service.chain.signing_key.public_key(),  # type: ignore[union-attr]
        )
        assert report.ok, report.lines()
    seconds = time.monotonic() - started
    record(
        "2 worker kill -9",
        f"{kills} kill -9 of `petitions worker` mid catch-up of {head} events: views equal to a "
        f"clean rebuild up to their tracking {kills}/{kills}, audit chain intact {kills}/{kills} "
        f"({resets} restarts from empty, {seconds:.0f} s)",
        kills=kills,
        equal_to_rebuild=kills,
        events=head,
        seconds=round(seconds),
    )


def test_every_event_delivered_twice_counts_once(service: Service) -> None:
    app = service.app
    run_plan(app, make_plan(app.district, END, per_briefing=4, months=4, seed=9))
    views = list(service.views.values())
    rng = random.Random(SEED)
    delivered_twice = refused = events = 0
    reasons: Counter[str] = Counter()
    after = 0
    while True:
        page = next(read_pages(app.recorder, after, None, rng.randint(1, 40)), None)
        if not page:
            break
        decoded = decode(app.mapper, page)
        for view in views:
            view.process(decoded)
            again = [decoded] + [[item] for item in decoded]
            for repeat in again:
                delivered_twice += 1
                position = view.position()
                # Refused: by the tracking table (IntegrityError), or earlier by the view's
                # own fold when a stale event no longer fits its rows; either way the
                # transaction rolls back.
                with pytest.raises(Exception) as refusal:
                    view.process(repeat)
                reasons[type(refusal.value).__name__] += 1
                assert view.position() == position
                refused += 1
        events += len(page)
        after = page[-1].id
    assert after == app.recorder.max_notification_id()
    assert all(v.position() == after for v in views)
    found = differences(service)
    record(
        "2 double delivery",
        f"{events} events, every page and every event delivered again to {len(views)} views: "
        f"{refused}/{delivered_twice} second deliveries refused ("
        + ", ".join(f"{k} {v}" for k, v in reasons.most_common())
        + f"), {len(found)} rows differing from a clean rebuild",
        events=events,
        second_deliveries=delivered_twice,
        refused=refused,
        differing_rows=len(found),
        refused_by=dict(reasons),
    )
    assert found == []
