"""Rebuild the read models from the event log, or rebuild them aside and compare."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
from eventsourcing.persistence import Mapper
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import sql

from projections.base import View
from projections.registry import VIEW_CLASSES
from workers.runner import AdvisoryLock, catch_up


def rebuild(
    views: dict[str, View],
    recorder: PostgresApplicationRecorder,
    mapper: Mapper[Any],
    conninfo: str,
    *,
    page_size: int = 1000,
    lock_timeout: float = 60.0,
) -> int:
    """Drop and rebuild every view in place. Each view's runner lock is held meanwhile, so
    a running worker waits on standby and resumes from the rebuilt position."""
    locks = [AdvisoryLock.for_view(conninfo, view) for view in views.values()]
    timeout = threading.Event()
    timer = threading.Timer(lock_timeout, timeout.set)
    timer.start()
    try:
        for lock in locks:
            if not lock.acquire(timeout):
                raise TimeoutError(f"a worker kept the lock {lock.key} for {lock_timeout} s")
        for view in views.values():
            view.drop()
            view.create_table()
        return catch_up(list(views.values()), recorder, mapper, page_size=page_size)
    finally:
        timer.cancel()
        for lock in locks:
            lock.release()


def verify(
    views: dict[str, View],
    recorder: PostgresApplicationRecorder,
    mapper: Mapper[Any],
    make_datastore: Callable[[str], PostgresDatastore],
    conninfo: str,
    *,
    page_size: int = 1000,
    show: int = 5,
) -> list[str]:
    """Rebuild every view into a scratch schema, up to the live view's position, and list
    the rows that differ. An empty list means the live views equal a clean rebuild."""
    scratch = f"replay_check_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(scratch)))
    datastore = make_datastore(scratch)
    differences: list[str] = []
    try:
        for cls in VIEW_CLASSES:
            live = views[cls.name]
            rebuilt = cls(datastore)
            rebuilt.create_table()
            catch_up([rebuilt], recorder, mapper, until=live.position() or 0, page_size=page_size)
            if rebuilt.position() != live.position():
                differences.append(
                    f"{cls.name}: live view at position {live.position()},"
                    f" rebuild reached {rebuilt.position()}"
                )
            for table in cls.tables:
                differences += compare(conninfo, live, rebuilt, table, show)
    finally:
        datastore.close()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(scratch)))
    return differences


def compare(conninfo: str, live: View, rebuilt: View, table: str, show: int) -> list[str]:
    found: list[str] = []
    with psycopg.connect(conninfo) as conn:
        for label, a, b in (
            ("only in the live view", live, rebuilt),
            ("only in the rebuild", rebuilt, live),
        ):
            rows = conn.execute(
                sql.SQL(
                    "SELECT row_to_json(d)::text"
                    " FROM (SELECT * FROM {} EXCEPT ALL SELECT * FROM {}) d"
                ).format(a.table(table), b.table(table))
            ).fetchall()
            found += [f"{table}: {label}: {r[0]}" for r in rows[:show]]
            if len(rows) > show:
                found.append(f"{table}: {label}: … and {len(rows) - show} more rows")
    return found
