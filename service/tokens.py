"""API tokens: 192 random bits behind a readable prefix, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from domain.actors import Actor, Role

TOKEN_ROLES = (Role.CLERK, Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR, Role.ADMIN)


@dataclass(frozen=True)
class Principal:
    """Who a request acts for: the token's id, name, role and department."""

    token_id: str
    name: str
    role: Role
    department: str | None

    @property
    def actor(self) -> Actor:
        return Actor(self.token_id, self.role, self.department)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenStore:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.table = sql.Identifier(datastore.schema, "api_tokens")

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (token_id text PRIMARY KEY,"
                    " sha256 text NOT NULL UNIQUE, name text NOT NULL, role text NOT NULL,"
                    " department text, created_at timestamptz NOT NULL DEFAULT now(),"
                    " revoked_at timestamptz)"
                ).format(self.table)
            )

    def create(self, *, role: Role, name: str, department: str | None = None) -> tuple[str, str]:
        """Issue a token; returns (token id, secret). Only the secret's hash is kept."""
        Actor("check", role, department)  # a department role needs its department, others none
        if role not in TOKEN_ROLES:
            raise ValueError(f"no tokens for role {role}")
        token_id = f"tok_{secrets.token_hex(6)}"
        secret = f"pt_{role.value}_{secrets.token_urlsafe(24)}"
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "INSERT INTO {} (token_id, sha256, name, role, department)"
                    " VALUES (%s, %s, %s, %s, %s)"
                ).format(self.table),
                (token_id, digest(secret), name, role.value, department),
            )
        return token_id, secret

    def authenticate(self, secret: str) -> Principal | None:
        wanted = digest(secret)
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT * FROM {} WHERE sha256 = %s AND revoked_at IS NULL").format(
                    self.table
                ),
                (wanted,),
            )
            row: dict[str, Any] | None = curs.fetchone()
        if row is None or not hmac.compare_digest(row["sha256"], wanted):
            return None
        return Principal(row["token_id"], row["name"], Role(row["role"]), row["department"])

    def revoke(self, token_id: str) -> bool:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "UPDATE {} SET revoked_at = now() WHERE token_id = %s AND revoked_at IS NULL"
                ).format(self.table),
                (token_id,),
            )
            return curs.rowcount == 1

    def revoke_named(self, prefix: str) -> int:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "UPDATE {} SET revoked_at = now() WHERE name LIKE %s AND revoked_at IS NULL"
                ).format(self.table),
                (prefix + "%",),
            )
            return curs.rowcount
