"""View revisions: a view whose tables or fold changed is dropped and rebuilt from the log.

A view's *revision* is its ``revision`` number (raised by hand when the fold changes: what
an event does to the rows) and a hash of its tables' column definitions and its index
statements (so a column or an index added changes it without anyone remembering to).
Each schema keeps the revision its views were built at in ``view_revisions``. When a view
creates its tables and the stored revision is not the code's (or there is none: tables
made before revisions, or a fresh schema), its tables and tracking are dropped and made
afresh in the same transaction, at position 0, and whoever keeps the view (a runner, a
catch-up) rebuilds it from the log. An unchanged view is left alone.

The check runs under a transaction-level advisory lock of the schema's, so processes
starting together check one after the other: the first rebuilds, the others find the
revision it stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import psycopg
import structlog
from psycopg import sql

log = structlog.get_logger(__name__)

REVISIONS_TABLE = "view_revisions"


class Described(Protocol):
    """What a view's revision is made of (a view class has it, or a view)."""

    @property
    def name(self) -> str: ...
    @property
    def revision(self) -> int | None: ...
    @property
    def tables(self) -> Mapping[str, str]: ...
    @property
    def indexes(self) -> Sequence[str]: ...


class Revisioned(Described, Protocol):
    """What the revision check reads of a view."""

    @property
    def tracking_table_name(self) -> str: ...

    def table(self, name: str) -> sql.Composed: ...


def code_revision(revision: int, tables: Mapping[str, str], indexes: Sequence[str]) -> str:
    """``<revision>:<hash>``: the hash of the tables' definitions and the index statements,
    whitespace aside (a definition re-indented is the same definition)."""
    parts = [f"{name}({' '.join(tables[name].split())})" for name in sorted(tables)]
    parts += [" ".join(index.split()) for index in indexes]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return f"{revision}:{digest}"


def revision_of(view: Described) -> str | None:
    """The code's revision of ``view`` (None: the view is not revisioned)."""
    if view.revision is None:
        return None
    return code_revision(view.revision, view.tables, view.indexes)


def lock_key(schema: str) -> str:
    return f"petitions-view-revisions:{schema}"


def check_revision(view: Revisioned, schema: str, curs: psycopg.Cursor[Any]) -> str | None:
    """In the transaction that creates ``view``'s tables: wait for the schema's revision
    lock, and if the stored revision is not the code's, drop the view's tables and
    tracking. Returns the revision to store once the tables are made (None: nothing to
    store, the stored one is the code's or the view has none)."""
    wanted = revision_of(view)
    if wanted is None:
        return None
    curs.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock_key(schema),))
    revisions = sql.Identifier(schema, REVISIONS_TABLE)
    curs.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (view text PRIMARY KEY, revision text NOT NULL,"
            " since timestamptz NOT NULL DEFAULT now())"
        ).format(revisions)
    )
    stored = stored_revision(view, schema, curs)
    if stored == wanted:
        return None
    existing = [t for t in [*view.tables, view.tracking_table_name] if exists(curs, schema, t)]
    for table in existing:
        curs.execute(sql.SQL("DROP TABLE {} CASCADE").format(view.table(table)))
    if existing:
        log.warning(
            "view.rebuilding",
            view=view.name,
            stored_revision=stored,
            revision=wanted,
            dropped=existing,
        )
    return wanted


def store_revision(view: Revisioned, schema: str, curs: psycopg.Cursor[Any], revision: str) -> None:
    curs.execute(
        sql.SQL(
            "INSERT INTO {} (view, revision) VALUES (%s, %s)"
            " ON CONFLICT (view) DO UPDATE SET revision = EXCLUDED.revision, since = now()"
        ).format(sql.Identifier(schema, REVISIONS_TABLE)),
        (view.name, revision),
    )


def stored_revision(view: Revisioned, schema: str, curs: psycopg.Cursor[Any]) -> str | None:
    """The revision ``view`` was built at in ``schema`` (None: none stored)."""
    if not exists(curs, schema, REVISIONS_TABLE):
        return None
    curs.execute(
        sql.SQL("SELECT revision FROM {} WHERE view = %s").format(
            sql.Identifier(schema, REVISIONS_TABLE)
        ),
        (view.name,),
    )
    row = curs.fetchone()
    return row["revision"] if row else None


def exists(curs: psycopg.Cursor[Any], schema: str, table: str) -> bool:
    curs.execute(
        "SELECT 1 FROM pg_tables WHERE schemaname = %s AND tablename = %s", (schema, table)
    )
    return curs.fetchone() is not None
