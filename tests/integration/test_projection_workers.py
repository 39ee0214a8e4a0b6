"""Projection machinery on real PostgreSQL: exactly-once pages, live following, the
advisory lock, a lost LISTEN connection, a worker killed mid catch-up, replay --verify."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import date

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError
from psycopg import sql

from service.bootstrap import Service
from service.demo import make_plan, run_plan
from tests.integration.helpers import (
    CLERK,
    COMMITTEE,
    PETITIONS,
    cli_env,
    draft,
    run_petitions,
    wait_for,
)
from workers import replay
from workers.projection_worker import start_runners
from workers.runner import AdvisoryLock, ViewRunner, catch_up, decode, read_pages

END = date(2026, 10, 31)


def view_rows(service: Service, table: str, view: str) -> list[tuple[object, ...]]:
    with psycopg.connect(service.conninfo) as conn:
        return conn.execute(
            sql.SQL("SELECT * FROM {} ORDER BY 1, 2").format(service.views[view].table(table))
        ).fetchall()


def all_tables(service: Service) -> dict[str, list[tuple[object, ...]]]:
    return {t: view_rows(service, t, name) for name, v in service.views.items() for t in v.tables}


@pytest.fixture
def running(service: Service) -> Iterator[threading.Event]:
    """The service's runners following the log in threads, stopped afterwards."""
    stop = threading.Event()
    threads = start_runners(
        list(service.views.values()),
        service.app.recorder,
        service.app.mapper,
        service.conninfo,
        stop,
        page_size=50,
    )
    yield stop
    stop.set()
    for thread in threads:
        thread.join(10)


def test_a_page_delivered_twice_counts_once(service: Service) -> None:
    app = service.app
    pid = app.raise_petition(draft(), CLERK).id
    app.assign(pid, COMMITTEE, department="kinh-te-ha-tang", on=date(2026, 3, 5))
    page = decode(app.mapper, next(read_pages(app.recorder, 0, None, 100)))
    view = service.views["petition_list"]
    view.process(page)
    before = view.get(pid)
    with pytest.raises(IntegrityError):
        view.process(page)
    assert view.get(pid) == before
    assert view.position() == page[-1][1].notification_id


def test_runners_follow_new_events_live(service: Service, running: threading.Event) -> None:
    app = service.app
    written = app.raise_petition(draft(), CLERK)
    view = service.views["petition_list"]
    view.wait("Petitions", written.position, timeout=10)
    assert view.get(written.id)["status"] == "raised"  # type: ignore[index]
    written = app.assign(written.id, COMMITTEE, department="kinh-te-ha-tang", on=date(2026, 3, 5))
    for v in service.views.values():
        v.wait("Petitions", written.position, timeout=10)
    assert view.get(written.id)["department"] == "kinh-te-ha-tang"  # type: ignore[index]


def test_only_one_runner_per_view_is_active(service: Service) -> None:
    app, view = service.app, service.views["categories"]
    written = app.raise_petition(draft(), CLERK)
    holder = AdvisoryLock.for_view(service.conninfo, view)
    assert holder.try_acquire()
    stop = threading.Event()
    runner = ViewRunner(view, app.recorder, app.mapper, service.conninfo, stop=stop)
    thread = threading.Thread(target=runner.run)
    thread.start()
    try:
        time.sleep(1.5)
        assert view.position() == 0, "a second runner processed while the lock was held"
        holder.release()
        wait_for(lambda: view.position() >= written.position)  # type: ignore[operator]
    finally:
        stop.set()
        thread.join(10)
        holder.release()


def test_a_lost_listen_connection_does_not_stall_the_views(
    service: Service, running: threading.Event
) -> None:
    app, view = service.app, service.views["petition_list"]
    first = app.raise_petition(draft(), CLERK)
    view.wait("Petitions", first.position, timeout=10)
    schema = app.datastore.schema
    delays = []
    for _ in range(3):
        with psycopg.connect(service.conninfo, autocommit=True) as conn:
            killed = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE query ILIKE 'LISTEN%%' AND datname = current_database()"
            ).fetchall()
        assert killed, "no LISTEN connection found to terminate"
        written = app.raise_petition(draft(), CLERK)
        delays.append(wait_for(lambda w=written: view.position() >= w.position))
    assert max(delays) < 5
    assert schema  # the runners were on this test's schema


def worker_env(service: Service, page_size: int) -> dict[str, str]:
    return cli_env(
        service.settings.data_dir,  # the same audit signing key
        service.database,
        service.app.datastore.schema,
        PROJECTION_PAGE_SIZE=str(page_size),
    )


def petitions_cli(
    service: Service, *args: str, page_size: int = 200
) -> subprocess.CompletedProcess[str]:
    return run_petitions(worker_env(service, page_size), *args, timeout=300)


def test_a_worker_killed_mid_catch_up_ends_identical_to_a_clean_rebuild(service: Service) -> None:
    app = service.app
    run_plan(app, make_plan(app.district, END, per_briefing=6, months=6, seed=7))
    head = app.recorder.max_notification_id()
    assert head is not None and head > 500
    kills = 0
    while kills < 3 and min(v.position() for v in service.views.values()) < head:
        worker = subprocess.Popen(
            [*PETITIONS, "worker"],
            env=worker_env(service, page_size=10),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        start_position = min(v.position() for v in service.views.values())
        try:
            # Kill it once it has committed some pages, well before it has caught up.
            wait_for(
                lambda s=start_position: (
                    min(v.position() for v in service.views.values()) >= min(s + 30, head)
                ),
                timeout=60,
            )
            behind = min(v.position() for v in service.views.values()) < head
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(30)
        kills += behind
        for view in service.views.values():  # tracking is at a page boundary it committed
            assert view.position() <= head
    assert kills >= 1, "the worker caught up before it could be killed"
    resumed = subprocess.Popen(
        [*PETITIONS, "worker"],
        env=worker_env(service, page_size=200),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        caught_up = True
        wait_for(lambda: min(v.position() for v in service.views.values()) >= head, timeout=60)
    except AssertionError:
        caught_up = False
    finally:
        resumed.send_signal(signal.SIGTERM)
        _, stderr = resumed.communicate(timeout=30)
    assert caught_up, stderr
    assert resumed.returncode == 0, stderr
    assert "worker.stopped" in stderr  # a clean shutdown on SIGTERM
    check = petitions_cli(service, "replay", "--verify")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 differences" in check.stdout
    print(f"killed the worker {kills} times during catch-up of {head} events; views verified")


def test_replay_verify_reports_a_row_altered_by_hand(service: Service) -> None:
    app = service.app
    run_plan(app, make_plan(app.district, END, per_briefing=3, months=3, seed=11))
    catch_up(list(service.views.values()), app.recorder, app.mapper)
    clean = petitions_cli(service, "replay", "--verify")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "0 differences" in clean.stdout
    with psycopg.connect(service.conninfo, autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "UPDATE {} SET due_on = due_on + 7 WHERE petition_id = (SELECT petition_id FROM {}"
                " WHERE due_on IS NOT NULL ORDER BY petition_id LIMIT 1)"
            ).format(
                service.views["overdue"].table("overdue_obligations"),
                service.views["overdue"].table("overdue_obligations"),
            )
        )
    altered = petitions_cli(service, "replay", "--verify")
    assert altered.returncode == 1
    assert "overdue_obligations: only in the live view" in altered.stdout
    assert "overdue_obligations: only in the rebuild" in altered.stdout


def test_replay_rebuilds_every_view_in_place(service: Service) -> None:
    app = service.app
    run_plan(app, make_plan(app.district, END, per_briefing=3, months=3, seed=12))
    catch_up(list(service.views.values()), app.recorder, app.mapper)
    before = all_tables(service)
    rebuilt = petitions_cli(service, "replay")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"from {app.recorder.max_notification_id()} events" in rebuilt.stdout
    assert all_tables(service) == before
    assert sum(len(rows) for rows in before.values()) > 0


def test_replay_while_a_worker_runs_says_so_and_changes_nothing(service: Service) -> None:
    app = service.app
    run_plan(app, make_plan(app.district, END, per_briefing=3, months=2, seed=16))
    catch_up(list(service.views.values()), app.recorder, app.mapper)
    before = all_tables(service)
    with AdvisoryLock.for_view(service.conninfo, service.views["overdue"]) as held:
        assert held  # as a running worker's runner holds it
        refused = petitions_cli(service, "replay", "--wait", "1")
    assert refused.returncode == 1
    assert "a running worker keeps the views" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert all_tables(service) == before


def schemas(service: Service) -> set[str]:
    with psycopg.connect(service.conninfo) as conn:
        return {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace").fetchall()}


def indexes(service: Service) -> set[tuple[str, str]]:
    with psycopg.connect(service.conninfo) as conn:
        rows = conn.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = %s",
            (service.app.datastore.schema,),
        ).fetchall()
    return {(table, definition) for table, definition in rows}


def test_a_rebuild_in_three_parts_equals_the_views_it_replaces(service: Service) -> None:
    app = service.app
    run_plan(app, make_plan(app.district, END, per_briefing=3, months=3, seed=14))
    catch_up(list(service.views.values()), app.recorder, app.mapper)
    before, schemas_before, indexes_before = all_tables(service), schemas(service), indexes(service)
    read = replay.rebuild(
        service.views, app.recorder, service.open_views, service.conninfo, page_size=37, parts=3
    )
    head = app.recorder.max_notification_id()
    assert read == head  # every event read by exactly one part
    assert all_tables(service) == before
    assert {v.name: v.position() for v in service.views.values()} == dict.fromkeys(
        service.views, head
    )
    assert schemas(service) == schemas_before  # the scratch schema is gone
    assert indexes(service) == indexes_before  # indexed after loading, moved in with the tables
    # the rebuilt views follow the log from there
    app.raise_petition(draft(), CLERK)
    catch_up(list(service.views.values()), app.recorder, app.mapper)
    assert (
        len(view_rows(service, "petition_list", "petition_list"))
        == len(before["petition_list"]) + 1
    )


class FailingOpener:
    """The service's opener, with the quality view failing mid-rebuild."""

    def __init__(self, service: Service) -> None:
        self.open = service.open_views

    def __call__(self, schema: str, *, indexes: bool = True, create: bool = True) -> replay.Part:
        part = self.open(schema, indexes=indexes, create=create)

        def fail(*_: object) -> None:
            raise RuntimeError("the disk is full")

        part.views["quality"].apply_page = fail  # type: ignore[method-assign]
        return part


def test_a_failed_rebuild_leaves_the_live_views_as_they_were(service: Service) -> None:
    app = service.app
    run_plan(app, make_plan(app.district, END, per_briefing=3, months=2, seed=15))
    catch_up(list(service.views.values()), app.recorder, app.mapper)
    before, schemas_before = all_tables(service), schemas(service)
    positions = {v.name: v.position() for v in service.views.values()}
    with pytest.raises(RuntimeError, match="the disk is full"):
        replay.rebuild(service.views, app.recorder, FailingOpener(service), service.conninfo)
    assert all_tables(service) == before
    assert {v.name: v.position() for v in service.views.values()} == positions
    assert schemas(service) == schemas_before
