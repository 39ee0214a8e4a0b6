"""What every read model shares: its tables beside a tracking table, and one transaction
per page of events (the view's rows and the tracking record of the page's last event).

A view folds a page in Python: it loads the rows of the petitions the page touches, applies
the events to them in order, and writes the rows back. One round trip per table per page,
whatever the page's length, is what makes a rebuild fast.

A catch-up (a rebuild, a new view, a start far behind) goes further: in *batch mode* the
view keeps the rows of the petitions it touched in memory across pages, and writes them
back with the tracking record every ``flush_every`` events, in one transaction per flush.
A petition's row is then written about once per flush instead of once per page, read
from the database only when it was evicted since, and rows of petitions the database
cannot hold yet (a view that started empty) are COPYed in without an upsert. A failure
between flushes loses only the work since the last flush, which the next catch-up redoes
from the recorded position.
"""

from __future__ import annotations

import operator
import re
from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar
from uuid import UUID

import psycopg
from eventsourcing.persistence import Notification, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import sql

from domain.petition import RECORDED_EVENTS, Petition
from domain.vietnam import fold_text, local_date
from projections.revisions import check_revision, exists, store_revision

APPLICATION_NAME = "Petitions"
__all__ = [
    "APPLICATION_NAME",
    "PETITION_EVENTS",
    "STATE_EVENTS",
    "Organisations",
    "Row",
    "View",
    "fold_text",
    "local_date",
    "organisation_codes",
]

Row = dict[str, Any]
# The organisations a query's rows are of: None, every one; else those only (none: no row).
Organisations = frozenset[str] | None
COPY_THRESHOLD = 64  # rows from which a COPY beats one INSERT per row


# Every event a petition's log can hold: each view names which of them it handles.
PETITION_EVENTS = RECORDED_EVENTS
# Those that change what a petition is, who holds it and what it owes: escalations,
# reminders, internal notes, the cells that co-sign and a repeat's link to an earlier
# petition change nothing a view of that reads.
STATE_EVENTS = PETITION_EVENTS - {
    Petition.Escalated,
    Petition.ReminderIssued,
    Petition.NoteAdded,
    Petition.Cosigned,
    Petition.RepeatLinked,
}


class View(PostgresTrackingRecorder):
    """A read model kept by the projection machinery: its own tables and tracking table."""

    name: ClassVar[str]
    tables: ClassVar[dict[str, str]]  # table name -> column definitions
    # The Petition event classes the view is given (others pass it by: each view says which
    # it handles, and a unit test that together with what it ignores they are them all).
    handles: ClassVar[frozenset[type]] = PETITION_EVENTS
    indexes: ClassVar[Sequence[str]] = ()  # "CREATE INDEX ..." naming tables as {table}
    # Raised by hand when what an event does to the rows changes; with a hash of the tables
    # and indexes it is the view's revision, and a view whose stored revision differs is
    # dropped and rebuilt (``projections.revisions``). None: not revisioned (the audit
    # chain, whose signed checkpoints no rebuild could give back).
    revision: ClassVar[int | None] = None
    # The column naming the aggregate each row of a table is of, where it is not the
    # petition's (``petition_id``): a meeting's rows name their meeting. A batch keeps rows
    # by it, and a parallel rebuild's parts split the log by it.
    owners: ClassVar[dict[str, str]] = {}

    def __init__(self, datastore: PostgresDatastore, *, indexes: bool = True) -> None:
        """``indexes=False``: ``create_table`` makes the tables without their indexes
        (primary keys aside), for a rebuild that loads them first and indexes them
        afterwards (``create_indexes``), which is several times faster."""
        super().__init__(datastore, tracking_table_name=f"{self.name}_tracking")
        self.batch: Batch | None = None
        self.positions: list[int] = []  # of the events ``apply_page`` is given (``handled``)
        self.array_columns = {
            table: {d.split()[0] for d in columns.split(",") if "[]" in d}
            for table, columns in self.tables.items()
        }
        for table, columns in self.tables.items():
            self.sql_create_statements.append(
                sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(
                    self.table(table), sql.SQL(columns)
                )
            )
        self.index_statements = [
            sql.SQL(index).format(**{t: self.table(t) for t in self.tables})
            for index in self.indexes
        ]
        if indexes:
            self.sql_create_statements += self.index_statements

    def _create_table(self, curs: psycopg.Cursor[Any]) -> None:
        """The library's creation of the tables (in its transaction, from ``create_table``),
        after the revision check: a view of another revision is dropped first."""
        schema = self.datastore.schema
        revised = check_revision(self, schema, curs)
        if revised is not None:  # tracking dropped, or never made: the library makes it
            self.tracking_table_exists = False
            self.tracking_migration_previous = self.tracking_migration_current = None
        elif self.revision is not None:
            # Looked at again under the revision lock: a process starting at the same time
            # may have made the tracking table since the library looked.
            self.tracking_table_exists = exists(curs, schema, self.tracking_table_name)
            self.tracking_migration_previous = self.tracking_migration_current = (
                self._max_tracking_id(self.table_migration_identifier, curs)
                if self.tracking_table_exists
                else None
            )
        super()._create_table(curs)
        if revised is not None:
            store_revision(self, schema, curs, revised)

    def create_indexes(self) -> None:
        """The indexes left out at creation (``indexes=False``), then fresh statistics
        for the planner."""
        with self.datastore.transaction(commit=True) as curs:
            for statement in self.index_statements:
                curs.execute(statement)
            for table in self.tables:
                curs.execute(sql.SQL("ANALYZE {}").format(self.table(table)))

    def table(self, name: str) -> sql.Composed:
        return sql.SQL("{}.{}").format(sql.Identifier(self.datastore.schema), sql.Identifier(name))

    # ---- writing --------------------------------------------------------------------

    def process(self, page: Sequence[tuple[Any, Tracking]]) -> None:
        """Apply a page of events and record the last one's tracking, atomically.

        The tracking insert refuses a position at or below the recorded one, so a page
        delivered twice rolls back instead of counting twice. It goes first: a page seen
        before is refused the same way whatever its events, before any of them is applied.
        """
        if not page:
            return
        with self.datastore.transaction(commit=True) as curs:
            self._insert_tracking(curs, page[-1][1])
            events = self.handled(page)
            if events:
                self.apply_page(curs, events)

    def process_page(
        self, page: Sequence[Notification], decoded: Callable[[], list[tuple[Any, Tracking]]]
    ) -> None:
        """Apply a page of the log. Views of events use ``decoded()``, decoded once per
        page for all views; the audit chain hashes the stored rows themselves."""
        if self.batch is None:
            self.process(decoded())
            return
        items = decoded()
        if not items:
            return
        events = self.handled(items)
        if events:
            self.apply_page(None, events)  # type: ignore[arg-type]  # rows come from the batch
        self.batch.position = items[-1][1].notification_id
        self.batch.events += len(items)
        if self.batch.events - self.batch.flushed_at >= self.batch.flush_every:
            self.flush()

    def handled(self, items: Sequence[tuple[Any, Tracking]]) -> list[Any]:
        """The events of ``items`` the view handles; their log positions, in the same
        order, are left in ``positions`` for an ``apply_page`` that needs them."""
        kept = [(e, t) for e, t in items if type(e) in self.handles]
        self.positions = [t.notification_id for _, t in kept]
        return [e for e, _ in kept]

    @property
    def in_part(self) -> bool:
        """Whether the view applies one part of a rebuild: the petitions of the other
        parts are not seen (``workers.replay.rebuild``)."""
        return self.batch is not None and not self.batch.track

    def finish_rebuild(self) -> None:
        """After every part of a parallel rebuild is in, before the indexes are made: what
        no part could do alone (no view but the petition list's numbers needs it)."""

    # ---- batch mode (catch-up) ----------------------------------------------------------

    def begin_batch(
        self, flush_every: int = 100_000, keep: int = 150_000, *, track: bool = True
    ) -> None:
        """Keep rows in memory across pages until ``end_batch``; see the module's doc.
        With ``track=False`` the flushes write rows only: a part of a parallel rebuild,
        whose tracking the rebuild records once every part is done."""
        self.batch = Batch(self, flush_every, keep, empty=self.position() == 0, track=track)

    def end_batch(self, *, flush: bool = True) -> None:
        """Write back what the batch holds (unless it is abandoned after a failure)."""
        try:
            if flush and self.batch is not None:
                self.flush()
        finally:
            self.batch = None

    def flush(self) -> None:
        """Write the batch's changed rows and the tracking record in one transaction,
        then forget the petitions not touched for ``keep`` events."""
        batch = self.batch
        if batch is None or batch.position is None or batch.position == batch.tracked:
            return
        with self.datastore.transaction(commit=True) as curs:
            for table, by_petition in batch.rows.items():
                fresh: list[Row] = []
                known: list[Row] = []
                for pid in batch.dirty.get(table, ()):
                    rows = list(by_petition[pid].values())
                    (fresh if batch.empty and pid not in batch.written else known).extend(rows)
                self.copy_rows(curs, table, fresh)
                self.write_rows(curs, table, known, list(batch.keys[table]))
            if batch.track:
                self._insert_tracking(curs, Tracking(APPLICATION_NAME, batch.position))
        for pids in batch.dirty.values():
            batch.written |= pids
        batch.dirty.clear()
        batch.tracked, batch.flushed_at = batch.position, batch.events
        batch.evict()

    def process_event(self, event: Any, tracking: Tracking) -> None:
        self.process([(event, tracking)])

    @abstractmethod
    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        """Apply the page's Petition events of the classes the view ``handles``."""

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

    def owner(self, table: str) -> str:
        """The column of ``table`` naming the aggregate a row is of (see ``owners``)."""
        return self.owners.get(table, "petition_id")

    def select_rows(
        self, curs: psycopg.Cursor[Any], table: str, ids: Iterable[UUID], key: str | None = None
    ) -> list[Row]:
        """The rows of ``table`` whose ``key`` (by default: the aggregate's) is one of ``ids``."""
        key = key or self.owner(table)
        if self.batch is not None and key == self.owner(table):
            return self.batch.select(table, ids)
        return self.query_rows(curs, table, ids, key)

    def rows_by_petition(
        self, curs: psycopg.Cursor[Any], table: str, ids: Iterable[UUID]
    ) -> dict[UUID, Row]:
        """The row of each petition in ``table`` (one a petition), by its id."""
        return {r["petition_id"]: r for r in self.select_rows(curs, table, ids)}

    def rows_of_each(
        self, curs: psycopg.Cursor[Any], table: str, ids: Iterable[UUID]
    ) -> dict[UUID, list[Row]]:
        """The rows of each of ``ids`` in ``table`` (many a petition), an empty list for one
        that has none yet."""
        ids = set(ids)
        grouped: dict[UUID, list[Row]] = {i: [] for i in ids}
        for row in self.select_rows(curs, table, ids):
            grouped[row["petition_id"]].append(row)
        return grouped

    def count_by(
        self, table: str, column: str, *, organisations: Organisations = None
    ) -> dict[str, int]:
        """How many rows of ``table`` (of ``organisations``) hold each value of ``column``."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT {column} AS value, count(*) AS n FROM {table}"
                    " WHERE %(organisations)s::text[] IS NULL"
                    " OR organisation = ANY(%(organisations)s::text[]) GROUP BY 1"
                ).format(column=sql.Identifier(column), table=self.table(table)),
                {"organisations": organisation_codes(organisations)},
            )
            return {r["value"]: int(r["n"]) for r in curs.fetchall()}

    def query_rows(
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
        """Insert or update ``rows`` (in batch mode: in the batch, written at its flush)."""
        if self.batch is not None:
            self.batch.upsert(table, rows)
            return
        self.write_rows(curs, table, rows, keys)

    def copy_rows(self, curs: psycopg.Cursor[Any], table: str, rows: Sequence[Row]) -> None:
        """Rows the table cannot hold yet: one COPY, no conflict to resolve."""
        if not rows:
            return
        columns = list(rows[0])
        names = sql.SQL(", ").join(map(sql.Identifier, columns))
        with curs.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(self.table(table), names)) as copy:
            self.write_copy(copy, table, columns, rows)

    def write_copy(
        self, copy: psycopg.Copy, table: str, columns: list[str], rows: Iterable[Row]
    ) -> None:
        """COPY rows in text format; arrays go as array literals, which PostgreSQL parses
        much faster than psycopg adapts Python lists row by row."""
        values = operator.itemgetter(*columns)
        arrays = [i for i, c in enumerate(columns) if c in self.array_columns[table]]
        if not arrays:
            for row in rows:
                copy.write_row(values(row) if len(columns) > 1 else (values(row),))
            return
        for row in rows:
            items = list(values(row)) if len(columns) > 1 else [values(row)]
            for i in arrays:
                if items[i] is not None:
                    items[i] = array_literal(items[i])
            copy.write_row(items)

    def write_rows(
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
            self.write_copy(copy, table, columns, rows)
        curs.execute(
            sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(
                self.table(table), names, names, staging
            )
            + on_conflict
        )


def organisation_codes(organisations: Organisations) -> list[str] | None:
    """A query's ``organisations`` as its parameter: a list of codes, or None for all."""
    return None if organisations is None else sorted(organisations)


def array_literal(items: Sequence[str]) -> str:
    """A text[] value as PostgreSQL's array input reads it."""
    quoted = ('"' + i.replace("\\", "\\\\").replace('"', '\\"') + '"' for i in items)
    return "{" + ",".join(quoted) + "}"


def primary_key(columns: str) -> tuple[str, ...]:
    """The primary key of a table's column definitions (``PRIMARY KEY (a, b)`` or a column
    declared ``… PRIMARY KEY``)."""
    found = re.search(r"PRIMARY KEY\s*\(([^)]*)\)", columns)
    if found:
        return tuple(c.strip() for c in found.group(1).split(","))
    for definition in columns.split(","):
        if "PRIMARY KEY" in definition:
            return (definition.split()[0],)
    raise ValueError(f"no primary key in {columns!r}")


class Batch:
    """A view's rows in memory during a catch-up, by table and petition.

    ``rows[table][petition]`` holds every row the petition has in that table (rows read
    from the database when the petition was first asked for, and rows made since);
    ``dirty`` the petitions whose rows changed since the last flush; ``written`` the
    petitions flushed at least once (their rows are upserted from then on)."""

    def __init__(
        self, view: View, flush_every: int, keep: int, *, empty: bool, track: bool = True
    ) -> None:
        self.view, self.flush_every, self.keep, self.empty = view, flush_every, keep, empty
        self.track = track
        self.keys = {table: primary_key(columns) for table, columns in view.tables.items()}
        self.owner = {table: view.owner(table) for table in view.tables}
        self.key_of = {t: operator.itemgetter(*k) for t, k in self.keys.items()}
        self.rows: dict[str, dict[UUID, dict[tuple[Any, ...], Row]]] = {t: {} for t in self.keys}
        self.dirty: dict[str, set[UUID]] = {}
        self.incomplete: dict[str, set[UUID]] = {t: set() for t in self.keys}
        self.written: set[UUID] = set()
        self.touched: dict[UUID, int] = {}
        self.events = self.flushed_at = 0
        self.position: int | None = None
        self.tracked: int | None = None

    def stored(self, pid: UUID) -> bool:
        """Whether the database may hold rows of ``pid`` (else it surely holds none)."""
        return not self.empty or pid in self.written

    def select(self, table: str, ids: Iterable[UUID]) -> list[Row]:
        by_petition, key_of = self.rows[table], self.key_of[table]
        incomplete, touched, now = self.incomplete[table], self.touched, self.events
        empty, written = self.empty, self.written
        missing: list[UUID] = []
        found: list[Row] = []
        for i in ids:
            touched[i] = now
            rows = by_petition.get(i)
            if rows is None:
                by_petition[i] = {}
                if not empty or i in written:
                    missing.append(i)
            elif i in incomplete:
                missing.append(i)
            else:
                found.extend(rows.values())
        if missing:
            owner = self.owner[table]
            with self.view.datastore.transaction(commit=False) as curs:
                for row in self.view.query_rows(curs, table, missing, owner):
                    # a row made in the batch is newer than the one stored
                    by_petition[row[owner]].setdefault(key_of(row), row)
            incomplete.difference_update(missing)
            for i in missing:
                found.extend(by_petition[i].values())
        return found

    def upsert(self, table: str, rows: Sequence[Row]) -> None:
        by_petition, key_of = self.rows[table], self.key_of[table]
        dirty = self.dirty.setdefault(table, set())
        touched, now, owner = self.touched, self.events, self.owner[table]
        for row in rows:
            pid = row[owner]
            held = by_petition.get(pid)
            if held is None:
                held = by_petition[pid] = {}
                if self.stored(pid):  # written without being read: the rest is not known
                    self.incomplete[table].add(pid)
            held[key_of(row)] = row
            dirty.add(pid)
            touched[pid] = now

    def evict(self) -> None:
        """Forget the petitions not touched for ``keep`` events (they are all written)."""
        horizon = self.events - self.keep
        idle = [pid for pid, at in self.touched.items() if at < horizon]
        for pid in idle:
            del self.touched[pid]
            for by_petition in self.rows.values():
                by_petition.pop(pid, None)
            for incomplete in self.incomplete.values():
                incomplete.discard(pid)
