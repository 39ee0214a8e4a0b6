"""The tamper-evident chain over the whole event log, kept like a view.

Each stored event, in notification order, gets a link: SHA-256 of the previous link and the
event exactly as stored (notification id, originator id, version, topic, state bytes).
Every ``checkpoint_every`` events the chain's head is signed with the service's Ed25519
key, so that someone with write access to the database cannot change an event and quietly
recompute the chain: the signed heads no longer match. ``audit/verify.py`` verifies.

The events past the latest checkpoint (the *unsigned tail*) are vouched for by nothing
yet, so the tail is kept short in time as well: the runner that keeps the chain (the one
holding the chain's advisory lock) calls ``tick`` every ``tick_seconds``, which signs the
head once the oldest unsigned event was recorded ``checkpoint_seconds`` ago, whether or not
more events come. ``audit verify`` reports the tail and fails when it is older than twice
that interval.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import Notification, Tracking
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from projections.base import APPLICATION_NAME, View

GENESIS = bytes(32)
EVENTS_TABLE = f"{APPLICATION_NAME.lower()}_events"  # the library's name for the event log


def now() -> datetime:
    return datetime.now(UTC)


def link(
    previous: bytes,
    notification_id: int,
    originator_id: UUID,
    version: int,
    topic: str,
    state: bytes,
) -> bytes:
    """One link of the chain; lengths are framed so no two events encode alike."""
    topic_bytes = topic.encode()
    return hashlib.sha256(
        previous
        + notification_id.to_bytes(8, "big")
        + originator_id.bytes
        + version.to_bytes(8, "big")
        + len(topic_bytes).to_bytes(4, "big")
        + topic_bytes
        + len(state).to_bytes(4, "big")
        + state
    ).digest()


def recorded_at(state: bytes) -> datetime | None:
    """The record time the library stored in an event's state (JSON, the timestamp as
    ``{"_type_": "datetime_iso", "_data_": ...}``), or None if it cannot be read."""
    try:
        stamp = json.loads(state)["timestamp"]
        at = datetime.fromisoformat(stamp["_data_"]) if stamp["_type_"] == "datetime_iso" else None
    except (ValueError, TypeError, KeyError):
        return None
    return at if at is None or at.tzinfo else at.replace(tzinfo=UTC)


def checkpoint_message(position: int, head: bytes) -> bytes:
    """What a checkpoint's signature covers."""
    return b"petitions-audit-checkpoint\n" + position.to_bytes(8, "big") + head


class AuditChainView(View):
    name = "audit_chain"
    tables = {
        "audit_chain": """
            notification_id bigint PRIMARY KEY, originator_id uuid NOT NULL,
            originator_version bigint NOT NULL, link bytea NOT NULL""",
        "audit_checkpoints": """
            position bigint PRIMARY KEY, head bytea NOT NULL, signature bytea NOT NULL,
            key_id text NOT NULL, signed_at timestamptz NOT NULL DEFAULT now()""",
    }

    def __init__(
        self,
        datastore: PostgresDatastore,
        signing_key: Ed25519PrivateKey | None = None,
        *,
        key_id: str = "",
        checkpoint_every: int = 1000,
        checkpoint_seconds: float = 60.0,
    ) -> None:
        """Signs a checkpoint at the first page, then after ``checkpoint_every`` events or
        with the first page more than ``checkpoint_seconds`` after the last checkpoint;
        ``tick`` signs a head left unsigned for ``checkpoint_seconds``."""
        super().__init__(datastore)
        self.signing_key, self.key_id = signing_key, key_id
        self.checkpoint_every, self.checkpoint_seconds = checkpoint_every, checkpoint_seconds

    def process_page(
        self, page: Sequence[Notification], decoded: Callable[[], list[tuple[Any, Tracking]]]
    ) -> None:
        if not page:
            return
        with self.datastore.transaction(commit=True) as curs:
            previous, last_checkpoint, last_signed_at = self.head(curs)
            rows = []
            for n in page:
                # the PostgreSQL recorder reads originator ids as UUIDs
                assert isinstance(n.originator_id, UUID)
                previous = link(
                    previous, n.id, n.originator_id, n.originator_version, n.topic, n.state
                )
                rows.append((n.id, n.originator_id, n.originator_version, previous))
            with curs.copy(
                sql.SQL(
                    "COPY {} (notification_id, originator_id, originator_version, link) FROM STDIN"
                ).format(self.table("audit_chain"))
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            position = page[-1].id
            if self.signing_key is not None and (
                position - last_checkpoint >= self.checkpoint_every
                or last_signed_at is None
                or (now() - last_signed_at).total_seconds() > self.checkpoint_seconds
            ):
                self.sign(curs, position, previous)
            self._insert_tracking(curs, Tracking(APPLICATION_NAME, position))

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[tuple[str, Any]]) -> None:
        """Not used: the chain hashes stored rows in ``process_page``."""

    def head(self, curs: psycopg.Cursor[Any]) -> tuple[bytes, int, datetime | None]:
        """The last link (or the genesis), the last checkpoint's position and time."""
        curs.execute(
            sql.SQL("SELECT link FROM {} ORDER BY notification_id DESC LIMIT 1").format(
                self.table("audit_chain")
            )
        )
        row = curs.fetchone()
        curs.execute(
            sql.SQL("SELECT position, signed_at FROM {} ORDER BY position DESC LIMIT 1").format(
                self.table("audit_checkpoints")
            )
        )
        checkpoint = curs.fetchone()
        return (
            bytes(row["link"]) if row else GENESIS,
            int(checkpoint["position"]) if checkpoint else 0,
            checkpoint["signed_at"] if checkpoint else None,
        )

    def sign(self, curs: psycopg.Cursor[Any], position: int, head: bytes) -> None:
        assert self.signing_key is not None
        signature = self.signing_key.sign(checkpoint_message(position, head))
        curs.execute(
            sql.SQL(
                "INSERT INTO {} (position, head, signature, key_id) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (position) DO NOTHING"
            ).format(self.table("audit_checkpoints")),
            (position, head, signature, self.key_id),
        )

    def latest_checkpoint(self) -> int | None:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT max(position) AS p FROM {}").format(self.table("audit_checkpoints"))
            )
            row = curs.fetchone()
        return None if row is None or row["p"] is None else int(row["p"])

    def checkpoint_now(self) -> int | None:
        """Sign the current head (e.g. before an export); returns its position."""
        return self.sign_head(due=lambda curs, signed: True)

    @property
    def tick_seconds(self) -> float:
        """How often the chain's runner calls ``tick``: a tenth of the interval, at most 1 s,
        so a head waits at most about ``checkpoint_seconds`` plus a second to be signed."""
        return max(0.05, min(1.0, self.checkpoint_seconds / 10))

    def tick(self) -> int | None:
        """Sign the head if its oldest unsigned event was recorded ``checkpoint_seconds``
        ago (or its record time cannot be read); returns the head's position if signed."""
        return self.sign_head(due=self.tail_is_due)

    def tail_is_due(self, curs: psycopg.Cursor[Any], signed: int) -> bool:
        curs.execute(
            sql.SQL(
                "SELECT state FROM {} WHERE notification_id > %s ORDER BY notification_id LIMIT 1"
            ).format(sql.Identifier(self.datastore.schema, EVENTS_TABLE)),
            (signed,),
        )
        row = curs.fetchone()
        since = recorded_at(bytes(row["state"])) if row else None
        return since is None or (now() - since).total_seconds() >= self.checkpoint_seconds

    def sign_head(self, due: Callable[[psycopg.Cursor[Any], int], bool]) -> int | None:
        """Sign the chain's head when it is past the latest checkpoint and ``due(cursor,
        latest checkpoint's position)`` says so; returns the head's position if it is signed
        (now or before). Signing a position another process signs at the same moment does
        nothing (the checkpoint is the same)."""
        if self.signing_key is None:
            return None
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT notification_id, link FROM {} ORDER BY notification_id DESC LIMIT 1"
                ).format(self.table("audit_chain"))
            )
            row = curs.fetchone()
            if row is None:
                return None
            position = int(row["notification_id"])
            _, signed, _ = self.head(curs)
            if position <= signed:
                return position
            if not due(curs, signed):
                return None
            self.sign(curs, position, bytes(row["link"]))
            return position
