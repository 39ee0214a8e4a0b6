"""Plain tables kept beside the event store, in its schema (tokens, sessions, the outbox,
the access log): each statement a store runs on them in a transaction of its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

Row = dict[str, Any]


class TableStore:
    """What such a store shares: the datastore, its tables' names, one-statement reads and
    writes. A store that needs several statements in one transaction opens it itself."""

    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore

    def identifier(self, name: str) -> sql.Identifier:
        """A table of the event store's schema."""
        return sql.Identifier(self.datastore.schema, name)

    def read(
        self, statement: LiteralString, *tables: sql.Composable, params: Sequence[Any] = ()
    ) -> list[Row]:
        """The rows of one query, its ``{}`` the ``tables`` in order."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(sql.SQL(statement).format(*tables), params)
            return [dict(r) for r in curs.fetchall()]

    def write(
        self, statement: LiteralString, *tables: sql.Composable, params: Sequence[Any] = ()
    ) -> list[Row]:
        """Run one statement and commit it; the rows it returns (``RETURNING``), if any."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(sql.SQL(statement).format(*tables), params)
            return [dict(r) for r in curs.fetchall()] if curs.description else []
