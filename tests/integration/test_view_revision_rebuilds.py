"""View revisions on real PostgreSQL: a view whose stored revision is not the code's is
dropped when the service starts and rebuilt from the log (by its runner, in batch mode,
or by a catch-up); an up-to-date view is left alone, and processes starting together
rebuild a view once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg
import pytest
from psycopg import sql
from structlog.testing import capture_logs

from projections.petition_list import PetitionListView
from projections.registry import VIEW_CLASSES
from projections.revisions import REVISIONS_TABLE, revision_of
from service.bootstrap import Service, bootstrap
from service.demo import make_plan, run_plan
from tests.integration.helpers import wait_for
from workers import replay
from workers.runner import ViewRunner, catch_up

END = date(2026, 10, 31)


@pytest.fixture
def recorded(service: Service) -> Service:
    """The service with two months of petitions, every view caught up."""
    app = service.app
    run_plan(app, make_plan(app.district, END, per_briefing=3, months=2, seed=31))
    catch_up(list(service.views.values()), app.recorder, app.mapper)
    return service


def execute(service: Service, statement: sql.Composable, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(service.conninfo, autocommit=True) as conn:
        cursor = conn.execute(statement, args or None)
        return cursor.fetchall() if cursor.description else []


def stored(service: Service) -> dict[str, tuple[str, Any]]:
    """Each view's stored revision and since when."""
    table = sql.Identifier(service.app.datastore.schema, REVISIONS_TABLE)
    rows = execute(service, sql.SQL("SELECT view, revision, since FROM {}").format(table))
    return {view: (revision, since) for view, revision, since in rows}


def contents(service: Service) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of every view, in a stable order."""
    return {
        table: execute(service, sql.SQL("SELECT * FROM {} ORDER BY 1, 2").format(view.table(table)))
        for view in service.views.values()
        for table in view.tables
    }


def positions(service: Service) -> dict[str, int]:
    return {name: view.position() for name, view in service.views.items()}


@pytest.fixture
def restart(recorded: Service) -> Iterator[Any]:
    """Start the service again on the same schema (as after an upgrade), closed after."""
    started: list[Service] = []

    def start() -> Service:
        started.append(
            bootstrap(
                recorded.settings, database=recorded.database, schema=recorded.app.datastore.schema
            )
        )
        return started[-1]

    yield start
    for service in started:
        service.close()


def test_a_start_leaves_up_to_date_views_alone(recorded: Service, restart: Any) -> None:
    before, at, revisions = contents(recorded), positions(recorded), stored(recorded)
    assert set(revisions) == {cls.name for cls in VIEW_CLASSES}
    assert all(revisions[cls.name][0] == revision_of(cls) for cls in VIEW_CLASSES)
    with capture_logs() as logs:
        again = restart()
    assert positions(again) == at and min(at.values()) > 0
    assert stored(again) == revisions  # not even written again
    assert contents(again) == before
    assert not [entry for entry in logs if entry["event"] == "view.rebuilding"]


def test_a_view_of_another_revision_is_rebuilt_by_its_runner_in_batch_mode(
    recorded: Service, restart: Any
) -> None:
    before, at = contents(recorded), positions(recorded)
    head = recorded.app.recorder.max_notification_id()
    assert head and all(p == head for p in at.values())
    listed = recorded.views.petition_list
    # as an older revision left it: a column fewer, its own revision stored
    execute(
        recorded,
        sql.SQL("ALTER TABLE {} DROP COLUMN referred_to").format(listed.table("petition_list")),
    )
    execute(
        recorded,
        sql.SQL("UPDATE {} SET revision = '0:older' WHERE view = 'petition_list'").format(
            sql.Identifier(recorded.app.datastore.schema, REVISIONS_TABLE)
        ),
    )
    with capture_logs() as logs:
        again = restart()
    rebuilding = [entry for entry in logs if entry["event"] == "view.rebuilding"]
    assert [(e["view"], e["stored_revision"]) for e in rebuilding] == [("petition_list", "0:older")]
    view = again.views.petition_list
    assert view.position() == 0
    assert stored(again)["petition_list"][0] == revision_of(PetitionListView)
    assert contents(again)["petition_list"] == []
    assert {k: v for k, v in positions(again).items() if k != "petition_list"} == {
        k: v for k, v in at.items() if k != "petition_list"
    }
    batches: list[int] = []
    begin = view.begin_batch

    def counted_begin(*args: Any, **kwargs: Any) -> None:
        batches.append(view.position())
        begin(*args, **kwargs)

    view.begin_batch = counted_begin  # type: ignore[method-assign]
    stop = threading.Event()
    runner = ViewRunner(
        view, again.app.recorder, again.app.mapper, again.conninfo, stop=stop, batch_behind=1
    )
    thread = threading.Thread(target=runner.run)
    thread.start()
    try:
        wait_for(lambda: view.position() >= head, timeout=60)
    finally:
        stop.set()
        thread.join(10)
    assert batches == [0]  # one catch-up in batch mode, from the start of the log
    assert runner.failures == 0
    assert contents(again) == before


def test_views_from_before_revisions_are_rebuilt_and_verify_clean(
    recorded: Service, restart: Any
) -> None:
    before = contents(recorded)
    schema = recorded.app.datastore.schema
    # a database made before organisations: no revisions, tables without the column
    execute(recorded, sql.SQL("DROP TABLE {}").format(sql.Identifier(schema, REVISIONS_TABLE)))
    for view in recorded.views.values():
        for table in view.tables:
            execute(
                recorded,
                sql.SQL("ALTER TABLE {} DROP COLUMN organisation").format(view.table(table)),
            )
    again = restart()
    assert set(positions(again).values()) == {0}
    catch_up(list(again.views.values()), again.app.recorder, again.app.mapper)
    assert contents(again) == before
    differences = replay.verify(
        again.views, again.app.recorder, again.app.mapper, again.datastore_for, again.conninfo
    )
    assert differences == []


def test_processes_starting_together_rebuild_a_stale_view_once(recorded: Service) -> None:
    schema = recorded.app.datastore.schema
    execute(
        recorded,
        sql.SQL("UPDATE {} SET revision = '0:older' WHERE view = 'petition_list'").format(
            sql.Identifier(schema, REVISIONS_TABLE)
        ),
    )
    datastores = [recorded.datastore_for(schema) for _ in range(4)]
    ready = threading.Barrier(len(datastores))
    failures: list[BaseException] = []

    def start(datastore: Any) -> None:
        view = PetitionListView(datastore)
        ready.wait()
        try:
            view.create_table()
        except BaseException as error:  # reported below
            failures.append(error)

    try:
        with capture_logs() as logs:
            threads = [threading.Thread(target=start, args=(d,)) for d in datastores]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
    finally:
        for datastore in datastores:
            datastore.close()
    assert failures == []
    assert [e["view"] for e in logs if e["event"] == "view.rebuilding"] == ["petition_list"]
    listed = recorded.views.petition_list
    assert listed.position() == 0
    assert stored(recorded)["petition_list"][0] == revision_of(PetitionListView)
    # and the view at its revision is left alone from then on
    catch_up([listed], recorded.app.recorder, recorded.app.mapper)
    caught_up = listed.position()
    assert caught_up > 0
    PetitionListView(recorded.app.datastore).create_table()
    assert listed.position() == caught_up
