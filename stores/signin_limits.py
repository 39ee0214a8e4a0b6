"""Sign-in limits kept in PostgreSQL, so they hold across every process of the API: each
attempt is counted against its username and its client address before the password is
checked, and an attempt past ``limit`` of either within the window is refused.

An attempt is reserved (counted) in a short transaction holding an advisory lock per key,
so two processes counting at once cannot both let the last one through; one that signs
in is forgiven (its rows taken back), so only failures count."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from stores.tables import TableStore


@dataclass(frozen=True)
class Attempt:
    """A counted attempt (``id``), or, when ``retry_after`` is set, a refused one."""

    id: str | None
    retry_after: int | None = None

    @property
    def allowed(self) -> bool:
        return self.retry_after is None


class SignInLimits(TableStore):
    def __init__(self, datastore: PostgresDatastore, *, limit: int, window_seconds: int) -> None:
        super().__init__(datastore)
        self.table = self.identifier("signin_attempts")
        self.limit, self.window = limit, timedelta(seconds=window_seconds)

    def create_table(self) -> None:
        self.write(
            "CREATE TABLE IF NOT EXISTS {} (key text NOT NULL, attempt text NOT NULL,"
            " at timestamptz NOT NULL DEFAULT now())",
            self.table,
        )
        self.write("CREATE INDEX IF NOT EXISTS signin_attempts_key ON {} (key, at)", self.table)

    def reserve(self, *keys: str) -> Attempt:
        """Count an attempt against each of ``keys`` (``user:<name>``, ``address:<ip>``),
        unless one has reached the limit within the window: then the seconds until it
        has not."""
        attempt = secrets.token_hex(8)
        keys = tuple(sorted(set(keys)))  # locked in one order: no two processes deadlock
        with self.datastore.transaction(commit=True) as curs:
            for key in keys:
                curs.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 17))", (key,))
            curs.execute(
                sql.SQL("DELETE FROM {} WHERE key = ANY(%s) AND at <= now() - %s").format(
                    self.table
                ),
                (list(keys), self.window),
            )
            curs.execute(
                sql.SQL(
                    "SELECT key, count(*) AS n, min(at) + %s - now() AS wait FROM {}"
                    " WHERE key = ANY(%s) GROUP BY key"
                ).format(self.table),
                (self.window, list(keys)),
            )
            waits = [row["wait"] for row in curs.fetchall() if row["n"] >= self.limit]
            if waits:
                return Attempt(None, max(1, math.ceil(max(waits).total_seconds())))
            for key in keys:
                curs.execute(
                    sql.SQL("INSERT INTO {} (key, attempt) VALUES (%s, %s)").format(self.table),
                    (key, attempt),
                )
        return Attempt(attempt)

    def forgive(self, attempt: Attempt) -> None:
        """An attempt that signed in is not a failure: its rows are taken back."""
        if attempt.id is not None:
            self.write("DELETE FROM {} WHERE attempt = %s", self.table, params=(attempt.id,))
