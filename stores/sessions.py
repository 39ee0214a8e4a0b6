"""Web sessions: a sign-in opens a random session id kept in an HttpOnly cookie. Only the
id's hash is stored, with the account it stands for and a CSRF secret, so a disabled
account ends its sessions at once and a leaked table opens none.

A session of an account with a second factor is opened waiting for its code
(``code_given`` false) and serves no page but the code's until it is given. Sessions made
before accounts (of a token) are not found: their users sign in again. An ended session's
row is kept a while (``LAPSED_KEPT``), so a form it served and posted after it ended is
still known to be its owner's (``lapsed``)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import LiteralString

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from stores.accounts import ACCOUNTS_TABLE, principal_of
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
    must_change: bool = False  # the account's password is one-time: to be changed first
    enrolled: bool = False  # the account has a second factor
    code_given: bool = True  # this session has given the second factor's code


class SessionStore(TableStore):
    def __init__(self, datastore: PostgresDatastore, *, hours: int = 10) -> None:
        super().__init__(datastore)
        self.lifetime = timedelta(hours=hours)
        self.table = self.identifier("web_sessions")
        self.accounts = self.identifier(ACCOUNTS_TABLE)

    def create_table(self) -> None:
        """Create the table, or upgrade one of before accounts (its sessions, of tokens,
        are left to expire unfound)."""
        with self.datastore.transaction(commit=True) as curs:
            for statement in (
                "CREATE TABLE IF NOT EXISTS {} (sha256 text PRIMARY KEY,"
                " token_id text, csrf text NOT NULL,"
                " created_at timestamptz NOT NULL DEFAULT now(),"
                " expires_at timestamptz NOT NULL)",
                "ALTER TABLE {} ALTER COLUMN token_id DROP NOT NULL",
                "ALTER TABLE {} ADD COLUMN IF NOT EXISTS user_id text",
                "ALTER TABLE {} ADD COLUMN IF NOT EXISTS code_given boolean NOT NULL DEFAULT true",
            ):
                curs.execute(sql.SQL(statement).format(self.table))

    def open(self, principal: Principal, *, code_given: bool = True) -> str:
        """A new session for the account of ``principal``; returns the id to put in the
        cookie. ``code_given`` false: it waits for the second factor's code."""
        session_id = new_session_id()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL("DELETE FROM {} WHERE expires_at < now() - %s").format(self.table),
                (LAPSED_KEPT,),
            )
            curs.execute(
                sql.SQL(
                    "INSERT INTO {} (sha256, user_id, csrf, code_given, expires_at)"
                    " VALUES (%s, %s, %s, %s, now() + %s)"
                ).format(self.table),
                (
                    digest(session_id),
                    principal.token_id,
                    secrets.token_urlsafe(32),
                    code_given,
                    self.lifetime,
                ),
            )
        return session_id

    def find(self, session_id: str) -> Session | None:
        """The session's principal and CSRF secret, if it is current and its account is
        not disabled."""
        rows = self.read(
            "SELECT a.*, s.csrf, s.code_given FROM {} s JOIN {} a USING (user_id)"
            " WHERE s.sha256 = %s AND s.expires_at > now() AND a.disabled_at IS NULL",
            self.table,
            self.accounts,
            params=(digest(session_id),),
        )
        if not rows:
            return None
        row = rows[0]
        return Session(
            principal_of(row),
            row["csrf"],
            must_change=row["must_change"],
            enrolled=row["totp_secret"] is not None,
            code_given=row["code_given"],
        )

    def code_given(self, session_id: str) -> None:
        """The session's second factor was given: it serves every page from now on."""
        self.write(
            "UPDATE {} SET code_given = true WHERE sha256 = %s",
            self.table,
            params=(digest(session_id),),
        )

    def lapsed(self, *, session_id: str | None = None, csrf: str | None = None) -> Principal | None:
        """Whose session this was, though it has expired (within ``LAPSED_KEPT``) or its
        account was disabled since: named by its id (the cookie) or by its CSRF secret (a
        form it served), so what that form was posting can be kept for its owner. Never a
        sign-in: ``find`` alone opens a session."""
        select: LiteralString = "SELECT a.* FROM {} s JOIN {} a USING (user_id)"
        if session_id:
            by_id = digest(session_id)
            rows = self.read(
                select + " WHERE s.sha256 = %s", self.table, self.accounts, params=(by_id,)
            )
        elif csrf:
            rows = self.read(
                select + " WHERE s.csrf = %s", self.table, self.accounts, params=(csrf,)
            )
        else:
            return None
        return principal_of(rows[0]) if rows else None

    def close(self, session_id: str) -> None:
        """End the session now (signing out); its row stays as an expired one's does, so
        a form another tab of it posts afterwards is still kept for its owner."""
        self.write(
            "UPDATE {} SET expires_at = least(expires_at, now()) WHERE sha256 = %s",
            self.table,
            params=(digest(session_id),),
        )

    def close_others(self, user_id: str, keep: str) -> None:
        """End every other session of the account (its password was changed), as
        signing out does."""
        self.write(
            "UPDATE {} SET expires_at = least(expires_at, now())"
            " WHERE user_id = %s AND sha256 <> %s",
            self.table,
            params=(user_id, digest(keep)),
        )
