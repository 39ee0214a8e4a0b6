"""Guards on the append-only tables: triggers that refuse UPDATE, DELETE and TRUNCATE."""

from __future__ import annotations

import psycopg
from psycopg import sql

from stores.token_history import HISTORY_TABLE

APPEND_ONLY_TABLES = (
    "petitions_events",
    "audit_chain",
    "audit_checkpoints",
    "audit_access_log",
    "attachments",
    HISTORY_TABLE,
)


def install_guard_function(conninfo: str, schema: str) -> sql.Composed:
    function = sql.Identifier(schema, "petitions_refuse_change")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                " RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP"
                " USING ERRCODE = 'insufficient_privilege'; END $$"
            ).format(function)
        )
    return sql.SQL("{}").format(function)


def install_guards(conninfo: str, schema: str) -> None:
    """Triggers that refuse UPDATE, DELETE and TRUNCATE on the append-only tables: a second
    guard behind the database role's privileges (see README, "Tamper evidence")."""
    function = install_guard_function(conninfo, schema)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table in APPEND_ONLY_TABLES:
            target = sql.Identifier(schema, table)
            exists = conn.execute("SELECT to_regclass(%s)", (f'"{schema}"."{table}"',)).fetchone()
            if not exists or exists[0] is None:
                continue
            conn.execute(
                sql.SQL(
                    "CREATE OR REPLACE TRIGGER petitions_append_only BEFORE UPDATE OR DELETE ON {}"
                    " FOR EACH ROW EXECUTE FUNCTION {}()"
                ).format(target, function)
            )
            conn.execute(
                sql.SQL(
                    "CREATE OR REPLACE TRIGGER petitions_no_truncate BEFORE TRUNCATE ON {}"
                    " FOR EACH STATEMENT EXECUTE FUNCTION {}()"
                ).format(target, function)
            )
