"""The access log: an append-only record of auditors' and the committee's reads."""

from __future__ import annotations

from typing import Any

from eventsourcing.postgres import PostgresDatastore

from audit.redaction import redact, redact_query
from stores.tables import TableStore


class AccessLog(TableStore):
    """Append-only record of reads made with auditor and committee tokens."""

    def __init__(self, datastore: PostgresDatastore) -> None:
        super().__init__(datastore)
        self.table = self.identifier("audit_access_log")

    def create_table(self) -> None:
        """The table, with the reader's name and position (added in place to a table
        made before reads named their person: its rows keep none)."""
        self.write(
            "CREATE TABLE IF NOT EXISTS {} (id bigserial PRIMARY KEY,"
            " at timestamptz NOT NULL DEFAULT now(), token_id text NOT NULL,"
            " role text NOT NULL, method text NOT NULL, path text NOT NULL,"
            " query text NOT NULL, request_id text)",
            self.table,
        )
        self.write(
            "ALTER TABLE {} ADD COLUMN IF NOT EXISTS actor_name text,"
            " ADD COLUMN IF NOT EXISTS actor_position text,"
            " ADD COLUMN IF NOT EXISTS organisation text",
            self.table,
        )

    def record(
        self,
        *,
        token_id: str,
        role: str,
        method: str,
        path: str,
        query: str,
        request_id: str | None,
        actor_name: str | None = None,
        actor_position: str | None = None,
        organisation: str | None = None,
    ) -> None:
        """One read, by the person (or client) ``actor_name`` of ``organisation``; what
        in its path and query looks like a token or a session id is redacted first, for
        the log is kept for ever and read by auditors."""
        self.write(
            "INSERT INTO {} (token_id, role, method, path, query, request_id, actor_name,"
            " actor_position, organisation) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            self.table,
            params=(
                token_id,
                role,
                method,
                redact(path),
                redact_query(query),
                request_id,
                actor_name,
                actor_position,
                organisation,
            ),
        )

    def entries(
        self, limit: int = 100, *, organisations: frozenset[str] | None = None
    ) -> list[dict[str, Any]]:
        """The latest reads (by the tokens of ``organisations`` only; None: every one),
        redacted as they are shown (rows written before reads were redacted on the way in
        are kept as they are: the table is append-only). A read recorded before reads
        named their person is named by its token's name, where the token is known, and
        is of its token's organisation."""
        codes = sorted(organisations) if organisations is not None else None
        rows = self.read(
            "SELECT a.id, a.at, a.token_id, a.role, a.method, a.path, a.query, a.request_id,"
            " COALESCE(a.actor_name, t.name) AS actor_name, a.actor_position"
            " FROM {} a LEFT JOIN {} t USING (token_id)"
            " WHERE %s::text[] IS NULL"
            " OR COALESCE(a.organisation, t.organisation) = ANY(%s::text[])"
            " ORDER BY a.id DESC LIMIT %s",
            self.table,
            self.identifier("api_tokens"),
            params=(codes, codes, limit),
        )
        for row in rows:
            row.update(path=redact(row["path"]), query=redact_query(row["query"]))
        return rows
