"""Projection runners: keep each view up to date with the event log.

A runner follows the log through the library's LISTEN/NOTIFY subscription, which reads
the log in pages; the runner hands each whole page to its view, which applies it and
records the tracking of the page's last event in one transaction; once caught up, pages
are as short as what was just recorded. From far behind (a new view, one dropped for a
new revision) the runner first catches up in batch mode (``catch_up``), holding its lock,
then follows. Only one runner per view is active: it holds a PostgreSQL
advisory lock, and a second worker process waits on standby. Any failure (a lost LISTEN
connection, the database restarting, a page delivered twice) ends the subscription; the
runner starts again from the view's recorded position after a backoff.

A view that has work to do when no event comes (the audit chain signs a head left unsigned)
offers ``tick()`` and ``tick_seconds``: while its runner holds the lock and follows, a timer
thread calls ``tick`` that often, so only the lock holder's view does that work.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any, Protocol, runtime_checkable

import psycopg
import structlog
from eventsourcing.persistence import Mapper, Notification, Tracking
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresSubscription
from psycopg import sql

from projections.base import APPLICATION_NAME, View

log = structlog.get_logger(__name__)
POLL_SECONDS = 5.0
BATCH_BEHIND = 20_000  # events behind the log from which a runner catches up in batch mode


@runtime_checkable
class Ticking(Protocol):
    """A view with work of its own between events."""

    @property
    def tick_seconds(self) -> float: ...

    def tick(self) -> object: ...


class PagedSubscription(PostgresSubscription):
    """The library's LISTEN/NOTIFY subscription, handing out whole pages. Its LISTEN is on
    a connection of its own (``conninfo``), not one of the pool's: held for as long as the
    runner follows, one per view, it would leave the pool's reads and writes waiting once
    the views outnumber the pool's connections."""

    def __init__(
        self, recorder: PostgresApplicationRecorder, gt: int | None, page_size: int, conninfo: str
    ):
        self.page_size = page_size  # before the library's pull thread starts reading
        self.conninfo = conninfo
        super().__init__(recorder=recorder, gt=gt)

    @property
    def _select_limit(self) -> int:  # the library's page size, read by its pull thread
        return self.page_size

    @_select_limit.setter
    def _select_limit(self, _library_default: int) -> None:
        pass  # ours is set above

    def _listen(self) -> None:
        """The library's listener, with two guards against a view that waits for nothing:
        a pull once LISTEN is in place (an event recorded between the first read and the
        LISTEN sent its NOTIFY to no one), and a pull every ``POLL_SECONDS`` whatever
        arrives."""
        try:
            with psycopg.connect(self.conninfo, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("LISTEN {0}").format(sql.Identifier(self._recorder.channel_name))
                )
                self._has_been_notified.set()
                last_pull = time.monotonic()
                while not self._has_been_stopped and not self._thread_error:
                    for _ in conn.notifies(timeout=0.1, stop_after=1):
                        self._has_been_notified.set()
                        last_pull = time.monotonic()
                    if time.monotonic() - last_pull > POLL_SECONDS:
                        self._has_been_notified.set()
                        last_pull = time.monotonic()
        except BaseException as error:
            if self._thread_error is None:
                self._thread_error = error
            self.stop()

    def next_page(self) -> list[Notification]:
        """Blocks for the next notification, then takes the rest of its page."""
        first = next(self)
        rest = list(self._notifications[self._notifications_index :])
        self._notifications_index = len(self._notifications)
        return [first, *rest]


def events_after(
    decoded: Callable[[], list[tuple[Any, Tracking]]], position: int
) -> list[tuple[Any, Tracking]]:
    """The decoded events of a page that come after ``position``."""
    return [item for item in decoded() if item[1].notification_id > position]


def decode(
    mapper: Mapper[Any], notifications: Sequence[Notification]
) -> list[tuple[Any, Tracking]]:
    return [(mapper.to_domain_event(n), Tracking(APPLICATION_NAME, n.id)) for n in notifications]


def read_pages(
    recorder: PostgresApplicationRecorder, after: int, until: int | None, page_size: int
) -> Iterator[list[Notification]]:
    """The log after position ``after`` (up to ``until``), in pages, without waiting."""
    while until is None or after < until:
        page = recorder.select_notifications(start=after + 1, limit=page_size, stop=until)
        if not page:
            return
        yield list(page)
        after = page[-1].id


def read_part_pages(
    recorder: PostgresApplicationRecorder,
    after: int,
    until: int,
    page_size: int,
    part: int,
    parts: int,
) -> Iterator[list[Notification]]:
    """The events of one part of the petitions (by their id's last byte, modulo
    ``parts``) after ``after`` up to ``until``, in pages. Every read model keeps rows
    per petition, so the parts of a parallel rebuild never touch the same row."""
    statement = sql.SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state FROM {}"
        " WHERE notification_id > %s AND notification_id <= %s"
        " AND get_byte(uuid_send(originator_id), 15) %% %s = %s"
        " ORDER BY notification_id LIMIT %s"
    ).format(sql.Identifier(recorder.datastore.schema, recorder.events_table_name))
    while after < until:
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, (after, until, parts, part, page_size), prepare=True)
            page = [
                Notification(
                    id=row["notification_id"],
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]
        if not page:
            return
        yield page
        after = page[-1].id


class AdvisoryLock:
    """A PostgreSQL session advisory lock on a connection of its own: held until released
    or until the session ends, so a crashed holder never keeps it."""

    def __init__(self, conninfo: str, key: str) -> None:
        self.conninfo, self.key = conninfo, key
        self.conn: psycopg.Connection[Any] | None = None

    @classmethod
    def for_view(cls, conninfo: str, view: View) -> AdvisoryLock:
        """One active runner per view of a schema."""
        return cls(conninfo, f"petitions-view:{view.datastore.schema}:{view.name}")

    def try_acquire(self) -> bool:
        self.conn = psycopg.connect(self.conninfo, autocommit=True)
        row = self.conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (self.key,)).fetchone()
        if row and row[0]:
            return True
        self.release()
        return False

    def acquire(self, stop: threading.Event, poll: float = 1.0) -> bool:
        while not stop.is_set():
            if self.try_acquire():
                return True
            stop.wait(poll)
        return False

    def release(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(psycopg.Error):
                self.conn.close()  # closing the session releases the lock
            self.conn = None

    def __enter__(self) -> bool:
        return self.try_acquire()

    def __exit__(self, *_: object) -> None:
        self.release()


class ViewRunner:
    """Keeps one view up to date until ``stop`` is set; restarts itself on failure."""

    def __init__(
        self,
        view: View,
        recorder: PostgresApplicationRecorder,
        mapper: Mapper[Any],
        conninfo: str,
        *,
        page_size: int = 1000,
        stop: threading.Event | None = None,
        max_backoff: float = 30.0,
        batch_behind: int = BATCH_BEHIND,
    ) -> None:
        self.view, self.recorder, self.mapper = view, recorder, mapper
        self.conninfo = conninfo
        self.page_size = page_size
        self.batch_behind = batch_behind
        self.stop = stop or threading.Event()
        self.max_backoff = max_backoff
        self.subscription: PagedSubscription | None = None
        self.failures = 0
        self.tick_failures = 0
        self.progressed = False  # a page applied since the runner (re)started
        self.log = log.bind(view=view.name)

    def run(self) -> None:
        backoff = 0.5
        watcher = threading.Thread(target=self.stop_subscription_on_stop, daemon=True)
        watcher.start()
        while not self.stop.is_set():
            lock = AdvisoryLock.for_view(self.conninfo, self.view)
            self.progressed, following = False, time.monotonic()
            try:
                if not lock.acquire(self.stop):
                    break
                following = time.monotonic()
                self.follow()
                backoff = 0.5
            except Exception as error:  # every failure restarts the runner, logged
                self.failures += 1
                if self.progressed or time.monotonic() - following > POLL_SECONDS:
                    # It had been working since the last failure: a new failure (a lost
                    # LISTEN connection, say) starts the backoff afresh, instead of waiting
                    # ever longer (up to max_backoff) after each occasional failure.
                    backoff = 0.5
                self.log.warning("runner.failed", error=repr(error), retry_in=backoff)
                self.stop.wait(backoff)
                backoff = min(backoff * 2, self.max_backoff)
            finally:
                lock.release()

    def follow(self) -> None:
        self.catch_up_in_batch()
        position = self.view.position()
        started, processed = time.perf_counter(), 0
        self.log.info("runner.started", position=position)
        self.subscription = PagedSubscription(
            self.recorder, gt=position, page_size=self.page_size, conninfo=self.conninfo
        )
        with self.subscription, self.ticking():
            while not self.stop.is_set():
                try:
                    page = self.subscription.next_page()
                except StopIteration:
                    return
                self.view.process_page(page, partial(decode, self.mapper, page))
                self.progressed = True
                processed += len(page)
                if len(page) < self.page_size:
                    elapsed = time.perf_counter() - started
                    self.log.info(
                        "runner.caught_up",
                        position=page[-1].id,
                        events=processed,
                        events_per_second=round(processed / elapsed) if elapsed else None,
                    )
                    started, processed = time.perf_counter(), 0

    def catch_up_in_batch(self) -> None:
        """From ``batch_behind`` events behind the log or more, catch up in batch mode (rows
        kept in memory across pages, written with the tracking every ``flush_every``
        events), up to the log's end as it stands; ``stop`` ends it at a page, written."""
        position = self.view.position()
        head = self.recorder.max_notification_id() or 0
        if head - position < self.batch_behind:
            return
        started = time.perf_counter()
        self.log.info("runner.batch_catch_up", position=position, head=head)
        read = catch_up(
            [self.view],
            self.recorder,
            self.mapper,
            until=head,
            page_size=self.page_size,
            stop=self.stop,
        )
        self.progressed = True
        elapsed = time.perf_counter() - started
        self.log.info(
            "runner.caught_up",
            position=self.view.position(),
            events=read,
            events_per_second=round(read / elapsed) if elapsed else None,
        )

    @contextlib.contextmanager
    def ticking(self) -> Iterator[None]:
        """The view's timer, while the runner follows (and so holds the view's lock)."""
        if not isinstance(self.view, Ticking):
            yield
            return
        done = threading.Event()
        thread = threading.Thread(
            target=self.tick_until, args=(self.view, done), name=f"tick-{self.view.name}"
        )
        thread.daemon = True
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()

    def tick_until(self, view: Ticking, done: threading.Event) -> None:
        while not done.wait(view.tick_seconds) and not self.stop.is_set():
            try:
                view.tick()
            except Exception as error:  # a failed tick is tried again at the next one
                self.tick_failures += 1
                self.log.warning("runner.tick_failed", error=repr(error))

    def stop_subscription_on_stop(self) -> None:
        self.stop.wait()
        if self.subscription is not None:
            self.subscription.stop()


def catch_up(
    views: Sequence[View],
    recorder: PostgresApplicationRecorder,
    mapper: Mapper[Any],
    *,
    until: int | None = None,
    page_size: int = 1000,
    flush_every: int = 100_000,
    part: tuple[int, int] | None = None,
    progress: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Bring ``views`` up to ``until`` (or the log's end) in pages, decoding each page once
    (``progress``, if given, is told the events of each page read; ``stop``, once set,
    ends the catch-up after the page in hand, what was read written as at the end).
    The views run in batch mode meanwhile (rows kept in memory across pages, written back
    with the tracking every ``flush_every`` events and at the end). Returns the number of
    events read.

    With ``part=(k, n)`` only the events of the k-th of n parts of the petitions are
    applied (see ``read_part_pages``), and no tracking is written: a parallel rebuild
    records it once all n parts are in."""
    positions = {view.name: view.position() for view in views}
    start = min(positions.values(), default=0)
    read = 0
    if part is None:
        pages = read_pages(recorder, start, until, page_size)
    else:
        if until is None:
            raise ValueError("a part of a rebuild needs the position it ends at")
        pages = read_part_pages(recorder, start, until, page_size, *part)
    for view in views:
        view.begin_batch(flush_every=flush_every, track=part is None)
    try:
        for page in pages:
            decoded = Once(partial(decode, mapper, page))
            for view in views:
                after = positions[view.name]
                todo = [n for n in page if n.id > after]
                if todo:
                    view.process_page(
                        todo,
                        partial(events_after, decoded, after),
                    )
                positions[view.name] = max(after, page[-1].id)
            read += len(page)
            if progress is not None:
                progress(len(page))
            if stop is not None and stop.is_set():
                break
    except BaseException:
        for view in views:  # what a failed page left half-applied is not written
            view.end_batch(flush=False)
        raise
    failures = []
    for view in views:
        try:
            view.end_batch()
        except Exception as error:  # every view leaves batch mode; the first failure is raised
            failures.append(error)
    if failures:
        raise failures[0]
    return read


class Once:
    """A computation done on first call and remembered."""

    def __init__(self, compute: Callable[[], Any]) -> None:
        self.compute, self.done, self.value = compute, False, None

    def __call__(self) -> Any:
        if not self.done:
            self.value, self.done = self.compute(), True
        return self.value
