"""What every read model shares: its tables beside a tracking table, and one transaction
per page of events (the view's rows and the tracking record of the page's last event).

A view folds a page in Python: it loads the rows of the petitions the page touches, applies
the events to them in order, and writes the rows back. One round trip per table per page,
whatever the page's length, is what makes a rebuild fast.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar
from uuid import UUID

import psycopg
from eventsourcing.persistence import Notification, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import sql

from domain.vietnam import fold_text, local_date

APPLICATION_NAME = "Petitions"
__all__ = ["APPLICATION_NAME", "Row", "View", "event_name", "fold_text", "local_date"]

Row = dict[str, Any]
COPY_THRESHOLD = 64  # rows from which a COPY beats one INSERT per row


def event_name(event: Any) -> str | None:
    """The Petition event's class name, or None for other aggregates' events."""
    qualname = type(event).__qualname__
    return qualname.split(".", 1)[1] if qualname.startswith("Petition.") else None


class View(PostgresTrackingRecorder):
    """A read model kept by the projection machinery: its own tables and tracking table."""

    name: ClassVar[str]
    tables: ClassVar[dict[str, str]]  # table name -> column definitions
    indexes: ClassVar[Sequence[str]] = ()  # "CREATE INDEX ..." naming tables as {table}

    def __init__(self, datastore: PostgresDatastore) -> None:
        super().__init__(datastore, tracking_table_name=f"{self.name}_tracking")
        for table, columns in self.tables.items():
            self.sql_create_statements.append(
                sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(
                    self.table(table), sql.SQL(columns)
                )
            )
        for index in self.indexes:
            self.sql_create_statements.append(
                sql.SQL(index).format(**{t: self.table(t) for t in self.tables})
            )

    def table(self, name: str) -> sql.Composed:
        return sql.SQL("{}.{}").format(sql.Identifier(self.datastore.schema), sql.Identifier(name))

    # ---- writing --------------------------------------------------------------------

    def process(self, page: Sequence[tuple[Any, Tracking]]) -> None:
        """Apply a page of events and record the last one's tracking, atomically.

        The tracking insert refuses a position at or below the recorded one, so a page
        delivered twice rolls back instead of counting twice.
        """
        if not page:
            return
        with self.datastore.transaction(commit=True) as curs:
            events = [(name, e) for e, _ in page if (name := event_name(e)) is not None]
            if events:
                self.apply_page(curs, events)
            self._insert_tracking(curs, page[-1][1])

    def process_page(
        self, page: Sequence[Notification], decoded: Callable[[], list[tuple[Any, Tracking]]]
    ) -> None:
        """Apply a page of the log. Views of events use ``decoded()``, decoded once per
        page for all views; the audit chain hashes the stored rows themselves."""
        self.process(decoded())

    def process_event(self, event: Any, tracking: Tracking) -> None:
        self.process([(event, tracking)])

    @abstractmethod
    def apply_page(self, curs: psycopg.Cursor[Any], events: list[tuple[str, Any]]) -> None:
        """Apply the page's Petition events, given as (event class name, event)."""

    def position(self) -> int:
        return self.max_tracking_id(APPLICATION_NAME) or 0

    def drop(self) -> None:
        """Drop the view's tables and tracking (for a rebuild)."""
        with self.datastore.transaction(commit=True) as curs:
            for table in [*self.tables, self.tracking_table_name]:
                curs.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(self.table(table)))
        self.tracking_table_exists = False
        self.tracking_migration_previous = self.tracking_migration_current = None

    # ---- helpers for apply_page -------------------------------------------------------

    def select_rows(
        self, curs: psycopg.Cursor[Any], table: str, ids: Iterable[UUID], key: str = "petition_id"
    ) -> list[Row]:
        curs.execute(
            sql.SQL("SELECT * FROM {} WHERE {} = ANY(%s)").format(
                self.table(table), sql.Identifier(key)
            ),
            (list(ids),),
        )
        return [dict(r) for r in curs.fetchall()]

    def upsert_rows(
        self, curs: psycopg.Cursor[Any], table: str, rows: Sequence[Row], keys: Sequence[str]
    ) -> None:
        """Insert or update ``rows``: one statement per row for a few, and for a page of
        many (a catch-up) one COPY into a temporary table and one INSERT … SELECT."""
        if not rows:
            return
        columns = list(rows[0])
        names = sql.SQL(", ").join(map(sql.Identifier, columns))
        on_conflict = sql.SQL(" ON CONFLICT ({}) DO UPDATE SET {}").format(
            sql.SQL(", ").join(map(sql.Identifier, keys)),
            sql.SQL(", ").join(
                sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c))
                for c in columns
                if c not in keys
            ),
        )
        if len(rows) < COPY_THRESHOLD:
            values = sql.SQL(", ").join(sql.Placeholder(c) for c in columns)
            curs.executemany(
                sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(self.table(table), names, values)
                + on_conflict,
                rows,
            )
            return
        staging = sql.Identifier(f"staging_{table}")
        curs.execute(
            sql.SQL("CREATE TEMPORARY TABLE {} (LIKE {}) ON COMMIT DROP").format(
                staging, self.table(table)
            )
        )
        with curs.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(staging, names)) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        curs.execute(
            sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(
                self.table(table), names, names, staging
            )
            + on_conflict
        )
