"""Changes to the reference data made on the administration pages, each written whole in
one transaction together with the row of history (``ref_changes``) that says who made
it, when, and what it changed; the history read back for the auditor.

The rules of what a valid change is are the use cases' (``usecases.reference_admin``):
this store only writes what they planned, as rows to insert, update or delete. A change
that meets a row written meanwhile (a code taken by another admin a moment before) is
refused whole (``Taken``) and writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg
from eventsourcing.persistence import IntegrityError
from psycopg import sql

from stores.reference import ADMINISTERED_COLUMNS, SCHEMA, ReferenceStore, columns


@dataclass(frozen=True)
class Insert:
    """A new row; a row of the same key written meanwhile refuses the change."""

    table: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Update:
    table: str
    key: dict[str, Any]
    values: dict[str, Any]


@dataclass(frozen=True)
class Upsert:
    """A row inserted, or updated where its key is found."""

    table: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Delete:
    table: str
    key: dict[str, Any]


Op = Insert | Update | Upsert | Delete


@dataclass(frozen=True)
class Record:
    """What the history keeps of one change: of which organisation, what (``kind`` and
    ``code``), the ``action``, the day it takes effect where it has one, and each field's
    value before and after (``details``: field -> {"before": …, "after": …})."""

    organisation: str
    kind: str
    code: str
    action: str
    details: dict[str, dict[str, Any]]
    effective: date | None = None


@dataclass(frozen=True)
class Who:
    """Who made a change: the actor's id, the name people read, the role."""

    actor: str
    name: str
    role: str


@dataclass(frozen=True)
class Change:
    """A row of the history, as read back."""

    id: int
    at: Any
    organisation: str
    kind: str
    code: str
    action: str
    effective: date | None
    details: dict[str, dict[str, Any]]
    who: Who = field(compare=False)


class Taken(Exception):
    """A row the change inserts was written meanwhile: nothing of the change is written."""


class ReferenceChanges:
    def __init__(self, reference: ReferenceStore) -> None:
        self.reference = reference
        self.datastore = reference.datastore

    def allowed(self, table: str, names: list[str]) -> None:
        known = set(columns(table)) | {c.split()[0] for t, c in ADMINISTERED_COLUMNS if t == table}
        unknown = set(names) - known
        assert not unknown, f"{table} has no columns {sorted(unknown)}"

    def statement(self, op: Op) -> tuple[sql.Composed, list[Any]]:
        table = self.reference.table(op.table)
        if isinstance(op, Insert | Upsert):
            names = list(op.values)
            self.allowed(op.table, names)
            insert = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                table,
                sql.SQL(", ").join(map(sql.Identifier, names)),
                sql.SQL(", ").join(sql.Placeholder() * len(names)),
            )
            if isinstance(op, Upsert):
                key = SCHEMA[op.table][1]
                others = [n for n in names if n not in key]
                insert += sql.SQL(" ON CONFLICT ({}) DO UPDATE SET {}").format(
                    sql.SQL(", ").join(map(sql.Identifier, key)),
                    sql.SQL(", ").join(
                        sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(n)) for n in others
                    ),
                )
            return insert, list(op.values.values())
        where = sql.SQL(" AND ").join(sql.SQL("{} = %s").format(sql.Identifier(k)) for k in op.key)
        if isinstance(op, Update):
            self.allowed(op.table, [*op.values, *op.key])
            return sql.SQL("UPDATE {} SET {} WHERE {}").format(
                table,
                sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(k)) for k in op.values),
                where,
            ), [*op.values.values(), *op.key.values()]
        self.allowed(op.table, list(op.key))
        return sql.SQL("DELETE FROM {} WHERE {}").format(table, where), list(op.key.values())

    def apply(self, ops: list[Op], record: Record, who: Who) -> int:
        """Write ``ops`` and the history row of ``record`` in one transaction; the row's
        id, which is the reference data's new revision. ``Taken`` if an inserted row's
        key was written meanwhile (nothing is written then)."""
        try:
            with self.datastore.transaction(commit=True) as curs:
                for op in ops:
                    statement, params = self.statement(op)
                    curs.execute(statement, params)
                curs.execute(
                    sql.SQL(
                        "INSERT INTO {} (organisation, kind, code, action, effective, details,"
                        " actor, actor_name, actor_role) VALUES (%s, %s, %s, %s, %s, %s, %s, %s,"
                        " %s) RETURNING id"
                    ).format(self.reference.table("ref_changes")),
                    (
                        record.organisation,
                        record.kind,
                        record.code,
                        record.action,
                        record.effective,
                        json.dumps(record.details, ensure_ascii=False, default=str),
                        who.actor,
                        who.name,
                        who.role,
                    ),
                )
                row = curs.fetchone()
        except (psycopg.errors.UniqueViolation, IntegrityError) as error:
            raise Taken(str(error)) from None
        assert row is not None
        return int(row["id"])

    def history(
        self, organisations: frozenset[str] | None = None, *, limit: int = 200, offset: int = 0
    ) -> list[Change]:
        """The latest changes first, of ``organisations`` (None: every one)."""
        where = (
            sql.SQL("WHERE organisation = ANY(%s)") if organisations is not None else sql.SQL("")
        )
        params: list[Any] = [sorted(organisations)] if organisations is not None else []
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT * FROM {} {} ORDER BY id DESC LIMIT %s OFFSET %s").format(
                    self.reference.table("ref_changes"), where
                ),
                [*params, limit, offset],
            )
            rows = curs.fetchall()
        return [
            Change(
                r["id"],
                r["at"],
                r["organisation"],
                r["kind"],
                r["code"],
                r["action"],
                r["effective"],
                r["details"],
                Who(r["actor"], r["actor_name"], r["actor_role"]),
            )
            for r in rows
        ]
