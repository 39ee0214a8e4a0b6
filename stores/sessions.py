"""Web sessions: a sign-in exchanges a token for a random session id kept in an HttpOnly
cookie. Only the id's hash is stored, with the token it stands for and a CSRF secret, so a
revoked token ends its sessions at once and a leaked table opens none."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import LiteralString

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from stores.tables import TableStore
from stores.tokens import Principal

SESSION_ID_BYTES = 32
SESSION_ID_CHARS = len(secrets.token_urlsafe(SESSION_ID_BYTES))  # base64url, no padding: 43
# An expired session's row is kept this long, so a form it served and posted after it
# ended is still known to be its owner's (``lapsed``); it opens nothing any more.
LAPSED_KEPT = timedelta(days=7)


def new_session_id() -> str:
    return secrets.token_urlsafe(SESSION_ID_BYTES)


def digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    principal: Principal
    csrf: str


class SessionStore(TableStore):
    def __init__(self, datastore: PostgresDatastore, *, hours: int = 10) -> None:
        super().__init__(datastore)
        self.lifetime = timedelta(hours=hours)
        self.table = self.identifier("web_sessions")
        self.tokens = self.identifier("api_tokens")

    def create_table(self) -> None:
        self.write(
            "CREATE TABLE IF NOT EXISTS {} (sha256 text PRIMARY KEY,"
            " token_id text NOT NULL, csrf text NOT NULL,"
            " created_at timestamptz NOT NULL DEFAULT now(),"
            " expires_at timestamptz NOT NULL)",
            self.table,
        )

    def open(self, principal: Principal) -> str:
        """A new session for ``principal``; returns the id to put in the cookie."""
        session_id = new_session_id()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL("DELETE FROM {} WHERE expires_at < now() - %s").format(self.table),
                (LAPSED_KEPT,),
            )
            curs.execute(
                sql.SQL(
                    "INSERT INTO {} (sha256, token_id, csrf, expires_at)"
                    " VALUES (%s, %s, %s, now() + %s)"
                ).format(self.table),
                (digest(session_id), principal.token_id, secrets.token_urlsafe(32), self.lifetime),
            )
        return session_id

    def find(self, session_id: str) -> Session | None:
        """The session's principal and CSRF secret, if it is current and its token is not
        revoked."""
        rows = self.read(
            "SELECT t.token_id, t.name, t.role, t.department, t.subject, t.organisation, s.csrf"
            " FROM {} s"
            " JOIN {} t USING (token_id)"
            " WHERE s.sha256 = %s AND s.expires_at > now() AND t.revoked_at IS NULL",
            self.table,
            self.tokens,
            params=(digest(session_id),),
        )
        if not rows:
            return None
        return Session(Principal.of(rows[0]), rows[0]["csrf"])

    def lapsed(self, *, session_id: str | None = None, csrf: str | None = None) -> Principal | None:
        """Whose session this was, though it has expired (within ``LAPSED_KEPT``) or its
        token was revoked: named by its id (the cookie) or by its CSRF secret (a form
        it served), so what that form was posting can be kept for its owner. Never a
        sign-in: ``find`` alone opens a session."""
        select: LiteralString = (
            "SELECT t.token_id, t.name, t.role, t.department, t.subject, t.organisation"
            " FROM {} s JOIN {} t USING (token_id)"
        )
        if session_id:
            by_id = digest(session_id)
            rows = self.read(
                select + " WHERE s.sha256 = %s", self.table, self.tokens, params=(by_id,)
            )
        elif csrf:
            rows = self.read(select + " WHERE s.csrf = %s", self.table, self.tokens, params=(csrf,))
        else:
            return None
        return Principal.of(rows[0]) if rows else None

    def close(self, session_id: str) -> None:
        """End the session now (signing out); its row stays as an expired one's does, so
        a form another tab of it posts afterwards is still kept for its owner."""
        self.write(
            "UPDATE {} SET expires_at = least(expires_at, now()) WHERE sha256 = %s",
            self.table,
            params=(digest(session_id),),
        )
