"""Rebuild the read models from the event log, or rebuild them aside and compare."""

from __future__ import annotations

import multiprocessing
import threading
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol

import psycopg
from eventsourcing.persistence import Mapper, Tracking
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import sql

from projections.base import APPLICATION_NAME, View
from projections.registry import VIEW_CLASSES, Part
from workers.runner import AdvisoryLock, catch_up


class OpenViews(Protocol):
    """Opens the read models on a schema, creating their tables (without their indexes if
    ``indexes`` is false; none if ``create`` is false: they exist); picklable, since each
    part of a parallel rebuild runs it in a process of its own."""

    def __call__(self, views_schema: str, *, indexes: bool = True, create: bool = True) -> Part: ...


def rebuild(
    views: Mapping[str, View],
    recorder: PostgresApplicationRecorder,
    open_views: OpenViews,
    conninfo: str,
    *,
    page_size: int = 1000,
    parts: int = 1,
    lock_timeout: float = 60.0,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild every view from the log, aside, then swap it in (``progress`` is told the
    events read, page by page, by every part).

    The views are rebuilt into a scratch schema up to the log's end as it stands when the
    rebuild starts, in ``parts`` processes, each applying the events of its share of the
    petitions (every read model keeps its rows per petition), and indexed once loaded.
    Then one transaction drops
    the live tables, moves the rebuilt ones in and records their position. Meanwhile the
    live views still answer (as of before the rebuild), and each view's runner lock is
    held, so a running worker waits on standby and resumes from the rebuilt position. A
    failed rebuild leaves the live views as they were. Returns the events read."""
    locks = [AdvisoryLock.for_view(conninfo, view) for view in views.values()]
    timeout = threading.Event()
    timer = threading.Timer(lock_timeout, timeout.set)
    timer.start()
    scratch = f"rebuild_{uuid.uuid4().hex[:10]}"
    try:
        for lock in locks:
            if not lock.acquire(timeout):
                raise TimeoutError(
                    f"a running worker keeps the views ({lock.key}; waited {lock_timeout:g} s):"
                    " stop `petitions worker` or `petitions serve`, then replay; nothing changed"
                )
        until = recorder.max_notification_id() or 0
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(scratch)))
        staged = open_views(scratch, indexes=False)
        try:
            if parts == 1:
                read = build_part(staged, 0, 1, until, page_size, progress)
            else:
                spawn = multiprocessing.get_context("spawn")
                pages: Any = spawn.Queue() if progress is not None else None
                relay = threading.Thread(target=relay_progress, args=(pages, progress))
                if pages is not None:
                    relay.start()
                try:
                    with ProcessPoolExecutor(
                        parts, mp_context=spawn, initializer=report_pages_to, initargs=(pages,)
                    ) as pool:
                        futures = [
                            pool.submit(
                                open_and_build_part, open_views, scratch, k, parts, until, page_size
                            )
                            for k in range(parts)
                        ]
                        read = sum(f.result() for f in futures)
                finally:
                    if pages is not None:
                        pages.put(None)
                        relay.join()
            for view in staged.views.values():
                view.finish_rebuild()  # what needs every part: the petitions' numbers
                view.create_indexes()
            swap_in(views, staged.views, until)
        finally:
            staged.close()
    finally:
        timer.cancel()
        for lock in locks:
            lock.release()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(scratch))
            )
    return read


def build_part(
    part: Part,
    k: int,
    parts: int,
    until: int,
    page_size: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Apply the k-th of ``parts`` shares of the log up to ``until`` to ``part``'s views."""
    return catch_up(
        list(part.views.values()),
        part.recorder,
        part.mapper,
        until=until,
        page_size=page_size,
        part=(k, parts),
        progress=progress,
    )


PAGES_READ: Any = None  # in a part's process: where it tells the events it read, if anywhere


def report_pages_to(queue: Any) -> None:
    """A part process's initializer: tell ``queue`` (if any) the events of each page read."""
    global PAGES_READ
    PAGES_READ = queue


def relay_progress(queue: Any, progress: Callable[[int], None]) -> None:
    """Pass on what the parts tell ``queue`` until it is told None."""
    while (read := queue.get()) is not None:
        progress(read)


def open_and_build_part(
    open_views: OpenViews, schema: str, k: int, parts: int, until: int, page_size: int
) -> int:
    """``build_part`` in a process of its own, on views it opens itself."""
    part = open_views(schema, indexes=False, create=False)  # made by the rebuild
    try:
        return build_part(
            part, k, parts, until, page_size, PAGES_READ.put if PAGES_READ is not None else None
        )
    finally:
        part.close()


def swap_in(live: Mapping[str, View], rebuilt: Mapping[str, View], until: int) -> None:
    """In one transaction: drop the live views' tables, move the rebuilt ones (their
    indexes with them) into the live schema, and record the position they reached."""
    first = next(iter(live.values()))
    with first.datastore.transaction(commit=True) as curs:
        for name, view in live.items():
            for table in [*view.tables, view.tracking_table_name]:
                curs.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(view.table(table)))
                curs.execute(
                    sql.SQL("ALTER TABLE {} SET SCHEMA {}").format(
                        rebuilt[name].table(table), sql.Identifier(view.datastore.schema)
                    )
                )
            if until:
                view._insert_tracking(curs, Tracking(APPLICATION_NAME, until))


def verify(
    views: Mapping[str, View],
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
