"""API tokens: 192 random bits behind a readable prefix, shown once, stored as SHA-256.

Every token stands for a *subject*: the person or client that holds it (by default the
name it was issued under). Tokens of the same subject share its idempotency keys, so a
client whose token is reissued can still retry what it sent before."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from domain.actors import Actor, Role
from stores.tables import Row, TableStore
from stores.token_history import (
    CREATED,
    HISTORY_TABLE,
    REVOKED,
    create_history_table,
    record_change,
)

TOKEN_ROLES = (
    Role.CLERK,
    Role.COMMITTEE,
    Role.DEPARTMENT,
    Role.AUDITOR,
    Role.ADMIN,
    Role.SECRETARY,
)


@dataclass(frozen=True)
class Principal:
    """Who a request acts for: the token's id, name, role and department (for a cell's
    secretary: its cell, which the same column holds), and the subject (person or client)
    the token stands for."""

    token_id: str
    name: str
    role: Role
    department: str | None
    subject: str
    organisation: str | None = None  # the organisation (or the province) it acts for
    full_name: str | None = None  # the person's name, for a signed-in account
    position: str | None = None  # the person's position (chức vụ)
    account: str | None = None  # the account's username, where a person acts

    @property
    def actor(self) -> Actor:
        """The actor of what the principal does: named by the person's full name and
        position, or, for a client's token, by the token's name."""
        return Actor.bound(
            self.token_id,
            self.role,
            self.department,
            organisation=self.organisation,
            name=self.full_name or self.name,
            position=self.position,
        )

    @classmethod
    def of(cls, row: dict[str, Any]) -> Principal:
        """From a row of the token table (with, for a token of an account, the account's
        username, full name and position)."""
        return cls(
            row["token_id"],
            row["name"],
            Role(row["role"]),
            row["department"],
            row["subject"],
            row["organisation"],
            full_name=row.get("full_name"),
            position=row.get("position"),
            account=row.get("username"),
        )


def scoped(organisations: frozenset[str] | None) -> tuple[list[str] | None, list[str] | None]:
    """The parameters of ``%s::text[] IS NULL OR organisation = ANY(%s::text[])``."""
    codes = sorted(organisations) if organisations is not None else None
    return codes, codes


def new_secret(role: Role) -> str:
    return f"pt_{role.value}_{secrets.token_urlsafe(24)}"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenStore(TableStore):
    def __init__(self, datastore: PostgresDatastore) -> None:
        super().__init__(datastore)
        self.table = self.identifier("api_tokens")
        self.accounts = self.identifier("accounts")  # stores.accounts.ACCOUNTS_TABLE
        self.history = self.identifier(HISTORY_TABLE)
        self.only: str | None = None  # the deployment's one organisation below its province

    def create_table(self, founding: str) -> None:
        """Create the table, or upgrade one made before tokens named their subject (the
        column is added in place and each existing token's subject is its name) or their
        organisation (each existing token is the ``founding`` organisation's)."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (token_id text PRIMARY KEY,"
                    " sha256 text NOT NULL UNIQUE, name text NOT NULL, role text NOT NULL,"
                    " department text, created_at timestamptz NOT NULL DEFAULT now(),"
                    " revoked_at timestamptz, subject text NOT NULL)"
                ).format(self.table)
            )
            curs.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = %s"
                " AND table_name = 'api_tokens' AND column_name = 'subject'",
                (self.datastore.schema,),
            )
            if curs.fetchone() is None:
                for statement in (
                    "ALTER TABLE {} ADD COLUMN subject text",
                    "UPDATE {} SET subject = name",
                    "ALTER TABLE {} ALTER COLUMN subject SET NOT NULL",
                ):
                    curs.execute(sql.SQL(statement).format(self.table))
            curs.execute(
                sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS organisation text").format(
                    self.table
                )
            )
            curs.execute(
                sql.SQL("UPDATE {} SET organisation = %s WHERE organisation IS NULL").format(
                    self.table
                ),
                (founding,),
            )
            # the account (a user id) a token belongs to; none: a named client's
            curs.execute(
                sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS account text").format(self.table)
            )
            create_history_table(curs, self.history)

    def create(
        self,
        *,
        role: Role,
        name: str,
        department: str | None = None,
        subject: str | None = None,
        organisation: str | None = None,
        account: str | None = None,
        by: Actor | None = None,
    ) -> tuple[str, str]:
        """Issue a token of ``organisation`` (or the province; by default the
        deployment's only organisation, ``only``); returns (token id, secret). Only the
        secret's hash is kept. The subject defaults to the name. A token of ``account``
        (a user id) acts as that person. The creation is recorded in the tokens' history
        as made by ``by`` (None: the command line)."""
        organisation = organisation or self.only
        if organisation is None:
            raise ValueError("the deployment holds several organisations: name the token's")
        Actor.bound("check", role, department)  # a department's or cell's role needs its unit
        if role not in TOKEN_ROLES:
            raise ValueError(f"no tokens for role {role}")
        subject = (name if subject is None else subject).strip()
        if not name.strip() or not subject:
            raise ValueError("a token needs a name and a subject it stands for")
        token_id = f"tok_{secrets.token_hex(6)}"
        secret = new_secret(role)
        self.change(
            CREATED,
            by,
            "INSERT INTO {} (token_id, sha256, name, role, department, subject, organisation,"
            " account) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING *",
            (
                token_id,
                digest(secret),
                name,
                role.value,
                department,
                subject,
                organisation,
                account,
            ),
        )
        return token_id, secret

    def change(
        self, action: str, by: Actor | None, statement: LiteralString, params: Sequence[Any]
    ) -> Row | None:
        """Run ``statement`` on the token table (``RETURNING *`` the token it changes) and
        record the change in the history in the same transaction; the token's row, or None
        when the statement changed none (and nothing is recorded)."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(sql.SQL(statement).format(self.table), params)
            changed = curs.fetchone()
            if changed is not None:
                record_change(curs, self.history, action, dict(changed), by)
        return dict(changed) if changed is not None else None

    def authenticate(self, secret: str) -> Principal | None:
        """Who the token acts for; a token of an account acts as that person (with the
        account's role, department and organisation), and not at all once the account is
        disabled."""
        wanted = digest(secret)
        rows = self.read(
            "SELECT t.token_id, t.sha256, t.name, t.subject, a.username, a.full_name,"
            " a.position, COALESCE(a.role, t.role) AS role,"
            " CASE WHEN a.user_id IS NULL THEN t.department ELSE a.department END"
            " AS department, COALESCE(a.organisation, t.organisation) AS organisation"
            " FROM {} t LEFT JOIN {} a ON a.user_id = t.account"
            " WHERE t.sha256 = %s AND t.revoked_at IS NULL"
            " AND (t.account IS NULL OR a.disabled_at IS NULL)",
            self.table,
            self.accounts,
            params=(wanted,),
        )
        if not rows or not hmac.compare_digest(rows[0]["sha256"], wanted):
            return None
        return Principal.of(rows[0])

    def revoke(self, token_id: str, by: Actor | None = None) -> bool:
        """Revoke an active token, recorded in the history as done by ``by`` (None: the
        command line); False if there is no such active token."""
        revoked = self.change(
            REVOKED,
            by,
            "UPDATE {} SET revoked_at = now() WHERE token_id = %s AND revoked_at IS NULL"
            " RETURNING *",
            (token_id,),
        )
        return revoked is not None

    def get(self, token_id: str) -> Row | None:
        """A token's row (its hash left out), revoked or not."""
        rows = self.read(
            "SELECT token_id, name, role, department, subject, organisation, account,"
            " created_at, revoked_at FROM {} WHERE token_id = %s",
            self.table,
            params=(token_id,),
        )
        return rows[0] if rows else None

    def listing(
        self, organisations: frozenset[str] | None = None, account: str | None = None
    ) -> list[Row]:
        """The tokens of ``organisations`` (None: every one; ``account``: only that
        account's), their hashes left out, each with its account's username and full name
        (none: a named client's), the active ones first, newest first."""
        return self.read(
            "SELECT t.token_id, t.name, t.role, t.department, t.subject, t.organisation,"
            " t.account, a.username, a.full_name, t.created_at, t.revoked_at"
            " FROM {} t LEFT JOIN {} a ON a.user_id = t.account"
            " WHERE (%s::text[] IS NULL OR t.organisation = ANY(%s::text[]))"
            " AND (%s::text IS NULL OR t.account = %s::text)"
            " ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC, t.token_id",
            self.table,
            self.accounts,
            params=(*scoped(organisations), account, account),
        )

    def changes(self, organisations: frozenset[str] | None = None, limit: int = 200) -> list[Row]:
        """The latest creations and revocations of the tokens of ``organisations``."""
        return self.read(
            "SELECT * FROM {} WHERE %s::text[] IS NULL OR organisation = ANY(%s::text[])"
            " ORDER BY id DESC LIMIT %s",
            self.history,
            params=(*scoped(organisations), limit),
        )

    def names(self, token_ids: Collection[str]) -> dict[str, str]:
        """The name each of ``token_ids`` was issued under, of those the table knows: how
        events recorded before actors named their person are shown."""
        if not token_ids:
            return {}
        rows = self.read(
            "SELECT token_id, name FROM {} WHERE token_id = ANY(%s)",
            self.table,
            params=(sorted(set(token_ids)),),
        )
        return {r["token_id"]: r["name"] for r in rows}
