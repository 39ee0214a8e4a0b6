"""The history of the API tokens: every creation and revocation, with who made it and
when. Rows are only ever added (the table is append-only, like the access log), in the
same transaction as the change to the token they record, so no token changes unrecorded."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from domain.actors import Actor

HISTORY_TABLE = "api_token_history"
CREATED, REVOKED = "created", "revoked"


def create_history_table(curs: psycopg.Cursor[Any], table: sql.Identifier) -> None:
    curs.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (id bigserial PRIMARY KEY,"
            " at timestamptz NOT NULL DEFAULT now(), action text NOT NULL,"
            " token_id text NOT NULL, name text NOT NULL, role text NOT NULL,"
            " department text, organisation text, subject text NOT NULL,"
            " by_id text, by_name text, by_position text, by_role text)"
        ).format(table)
    )


def record_change(
    curs: psycopg.Cursor[Any],
    table: sql.Identifier,
    action: str,
    token: dict[str, Any],
    by: Actor | None,
) -> None:
    """One change of ``token`` (a row of the token table) made by ``by`` (None: from the
    command line, or the service's own start)."""
    curs.execute(
        sql.SQL(
            "INSERT INTO {} (action, token_id, name, role, department, organisation, subject,"
            " by_id, by_name, by_position, by_role)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        ).format(table),
        (
            action,
            token["token_id"],
            token["name"],
            token["role"],
            token["department"],
            token["organisation"],
            token["subject"],
            by.id if by else None,
            by.name if by else None,
            by.position if by else None,
            by.role.value if by else None,
        ),
    )
