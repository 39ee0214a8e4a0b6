"""The accounts people sign in with, and the history of every change made to them.

An account is a person of an organisation: a user id (``usr_<hex>``), a unique username,
the full name and position (chức vụ) their actions are recorded under, a role (and the
department of a department user), the password's argon2id hash, whether the password must
be changed at the next sign-in, when the account was disabled, and the TOTP secret of a
second factor. Every change (created, password reset or changed, role or department
changed, second factor enrolled or removed, disabled) adds a row to the history in the same
transaction, with who made it and when; rows there are only ever added."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, LiteralString

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql
from psycopg.types.json import Jsonb

from domain.actors import Role
from stores.tables import Row, TableStore
from stores.tokens import Principal

ACCOUNTS_TABLE = "accounts"
HISTORY_TABLE = "account_history"
TABLES = (ACCOUNTS_TABLE, HISTORY_TABLE)  # what a backup keeps
# The columns a listing shows: never the hash nor the second factor's secret.
SHOWN: LiteralString = (
    "user_id, username, full_name, position, organisation, role, department, must_change,"
    " created_at, disabled_at, totp_secret IS NOT NULL AS second_factor"
)


class Change(StrEnum):
    """What a row of the history records."""

    CREATED = "created"
    DISABLED = "disabled"
    PASSWORD_RESET = "password_reset"
    PASSWORD_CHANGED = "password_changed"
    ROLE_CHANGED = "role_changed"
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled"
    SECOND_FACTOR_REMOVED = "second_factor_removed"


class UsernameTaken(Exception):
    pass


HASHER = PasswordHasher()  # argon2id, the library's current parameters
# Verified against when the username is unknown, so a wrong username takes as long as a
# wrong password and the answer's time tells no one which usernames exist.
UNKNOWN = HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def new_user_id() -> str:
    return f"usr_{secrets.token_hex(8)}"


def principal_of(row: Row) -> Principal:
    """Who an account's requests act for: the person, by user id, username, full name
    and position."""
    return Principal(
        row["user_id"],
        row["username"],
        Role(row["role"]),
        row["department"],
        row["user_id"],
        row["organisation"],
        full_name=row["full_name"],
        position=row["position"],
        account=row["username"],
    )


@dataclass(frozen=True)
class By:
    """Who made a change, as the history records it (None fields: the command line)."""

    id: str | None = None
    name: str | None = None
    position: str | None = None
    role: str | None = None

    @classmethod
    def of(cls, principal: Principal | None) -> By:
        if principal is None:
            return cls()
        actor = principal.actor
        return cls(actor.id, actor.name, actor.position, actor.role.value)


class AccountStore(TableStore):
    def __init__(self, datastore: PostgresDatastore) -> None:
        super().__init__(datastore)
        self.table = self.identifier(ACCOUNTS_TABLE)
        self.history_table = self.identifier(HISTORY_TABLE)

    def create_tables(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (user_id text PRIMARY KEY,"
                    " username text NOT NULL UNIQUE, full_name text NOT NULL, position text,"
                    " organisation text NOT NULL, role text NOT NULL, department text,"
                    " password_hash text NOT NULL, must_change boolean NOT NULL,"
                    " created_at timestamptz NOT NULL DEFAULT now(), disabled_at timestamptz,"
                    " totp_secret text, totp_step bigint)"
                ).format(self.table)
            )
            curs.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (id bigserial PRIMARY KEY,"
                    " at timestamptz NOT NULL DEFAULT now(), user_id text NOT NULL,"
                    " username text NOT NULL, organisation text NOT NULL, change text NOT NULL,"
                    " detail jsonb NOT NULL DEFAULT '{{}}', by_id text, by_name text,"
                    " by_position text, by_role text)"
                ).format(self.history_table)
            )

    # ---- reading ------------------------------------------------------------------------

    def get(self, user_id: str) -> Row | None:
        rows = self.read("SELECT * FROM {} WHERE user_id = %s", self.table, params=(user_id,))
        return rows[0] if rows else None

    def by_username(self, username: str) -> Row | None:
        rows = self.read("SELECT * FROM {} WHERE username = %s", self.table, params=(username,))
        return rows[0] if rows else None

    def listing(self, organisations: frozenset[str] | None = None) -> list[Row]:
        """The accounts of ``organisations`` (None: every one), the active first, by
        username; never their hashes or secrets."""
        codes = sorted(organisations) if organisations is not None else None
        return self.read(
            "SELECT " + SHOWN + " FROM {} WHERE %s::text[] IS NULL"
            " OR organisation = ANY(%s::text[]) ORDER BY disabled_at IS NOT NULL, username",
            self.table,
            params=(codes, codes),
        )

    def history(self, organisations: frozenset[str] | None = None, limit: int = 200) -> list[Row]:
        """The latest changes to the accounts of ``organisations`` (None: every one)."""
        codes = sorted(organisations) if organisations is not None else None
        return self.read(
            "SELECT * FROM {} WHERE %s::text[] IS NULL OR organisation = ANY(%s::text[])"
            " ORDER BY id DESC LIMIT %s",
            self.history_table,
            params=(codes, codes, limit),
        )

    def verify(self, username: str, password: str) -> Row | None:
        """The active account ``username`` names, if ``password`` is its password (its
        hash renewed if the hasher's parameters have grown since)."""
        row = self.by_username(username)
        hashed = row["password_hash"] if row is not None else UNKNOWN
        try:
            HASHER.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or row["disabled_at"] is not None:
            return None
        if HASHER.check_needs_rehash(hashed):
            self.write(
                "UPDATE {} SET password_hash = %s WHERE user_id = %s",
                self.table,
                params=(hash_password(password), row["user_id"]),
            )
        return row

    # ---- changing -----------------------------------------------------------------------

    def create(
        self,
        *,
        username: str,
        full_name: str,
        role: Role,
        organisation: str,
        password: str,
        department: str | None = None,
        position: str | None = None,
        must_change: bool = True,
        by: By | None = None,
    ) -> str:
        """A new account; its user id. ``UsernameTaken`` if the username is another's."""
        user_id = new_user_id()
        row = {
            "user_id": user_id,
            "username": username,
            "full_name": full_name,
            "position": position,
            "organisation": organisation,
            "role": role.value,
            "department": department,
        }
        try:
            with self.datastore.transaction(commit=True) as curs:
                curs.execute(
                    sql.SQL(
                        "INSERT INTO {} (user_id, username, full_name, position, organisation,"
                        " role, department, password_hash, must_change)"
                        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                    ).format(self.table),
                    (*row.values(), hash_password(password), must_change),
                )
                detail = {k: v for k, v in row.items() if k not in ("user_id", "username")}
                self.record(curs, row, Change.CREATED, detail, by)
        except psycopg.errors.UniqueViolation:
            raise UsernameTaken(username) from None
        return user_id

    def disable(self, user_id: str, by: By | None = None) -> bool:
        """Disable an active account: its sessions and tokens stop working at once."""
        return self.change(
            user_id, "disabled_at = now()", (), Change.DISABLED, {}, by, "disabled_at IS NULL"
        )

    def set_password(
        self, user_id: str, password: str, *, must_change: bool, by: By | None = None
    ) -> bool:
        """A new password: reset by someone else (to be changed at the next sign-in), or
        changed by its holder."""
        change = Change.PASSWORD_RESET if must_change else Change.PASSWORD_CHANGED
        return self.change(
            user_id,
            "password_hash = %s, must_change = %s",
            (hash_password(password), must_change),
            change,
            {},
            by,
        )

    def set_role(
        self, user_id: str, role: Role, department: str | None, by: By | None = None
    ) -> bool:
        before = self.get(user_id)
        if before is None:
            return False
        detail = {
            "from": {"role": before["role"], "department": before["department"]},
            "to": {"role": role.value, "department": department},
        }
        return self.change(
            user_id,
            "role = %s, department = %s",
            (role.value, department),
            Change.ROLE_CHANGED,
            detail,
            by,
        )

    def set_second_factor(self, user_id: str, secret: str, step: int, by: By | None) -> bool:
        """Enrol a TOTP secret, its confirming code's time step already used."""
        return self.change(
            user_id,
            "totp_secret = %s, totp_step = %s",
            (secret, step),
            Change.SECOND_FACTOR_ENROLLED,
            {},
            by,
            "disabled_at IS NULL",
        )

    def remove_second_factor(self, user_id: str, by: By | None) -> bool:
        """Remove the TOTP secret of an active account that has one (its holder lost the
        device): it signs in with its password alone, or enrols again where required."""
        return self.change(
            user_id,
            "totp_secret = NULL, totp_step = NULL",
            (),
            Change.SECOND_FACTOR_REMOVED,
            {},
            by,
            "disabled_at IS NULL AND totp_secret IS NOT NULL",
        )

    def use_step(self, user_id: str, step: int) -> bool:
        """Mark a TOTP time step used; False if it (or a later one) was used already, so
        no code signs in twice."""
        used = self.write(
            "UPDATE {} SET totp_step = %s WHERE user_id = %s"
            " AND (totp_step IS NULL OR totp_step < %s) RETURNING user_id",
            self.table,
            params=(step, user_id, step),
        )
        return bool(used)

    def change(
        self,
        user_id: str,
        assignments: LiteralString,
        values: tuple[Any, ...],
        change: str,
        detail: dict[str, Any],
        by: By | None,
        condition: LiteralString = "TRUE",
    ) -> bool:
        """One update of an account and its row in the history, in one transaction;
        False if no account ``user_id`` meets ``condition``."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "UPDATE {} SET "
                    + assignments
                    + " WHERE user_id = %s AND "
                    + condition
                    + " RETURNING *"
                ).format(self.table),
                (*values, user_id),
            )
            row = curs.fetchone()
            if row is None:
                return False
            self.record(curs, dict(row), change, detail, by)
        return True

    def record(
        self,
        curs: psycopg.Cursor[Any],
        account: dict[str, Any],
        change: str,
        detail: dict[str, Any],
        by: By | None,
    ) -> None:
        by = by or By()
        curs.execute(
            sql.SQL(
                "INSERT INTO {} (user_id, username, organisation, change, detail, by_id,"
                " by_name, by_position, by_role) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            ).format(self.history_table),
            (
                account["user_id"],
                account["username"],
                account["organisation"],
                change,
                Jsonb(detail),
                by.id,
                by.name,
                by.position,
                by.role,
            ),
        )
