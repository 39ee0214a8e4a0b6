"""Verification of the event log against its hash chain and signed checkpoints, in the
database or in an exported bundle."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import psycopg
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from psycopg import sql

from audit.chain import GENESIS, checkpoint_message, link, recorded_at


class AuditVerdict(StrEnum):
    """What a verification of the log concludes (the API's and the command line's word)."""

    INTACT = "intact"
    BROKEN = "broken"  # an event or checkpoint does not match the chain
    UNSIGNED_TAIL = "unsigned_tail"  # unchanged, but unsigned for longer than the bound


@dataclass
class Break:
    kind: str  # changed | deleted | inserted | checkpoint | signature
    position: int
    originator_id: UUID | None
    detail: str

    def describe(self) -> str:
        who = f", aggregate {self.originator_id}" if self.originator_id else ""
        return f"{self.kind} at position {self.position}{who}: {self.detail}"


TAIL_SAMPLE = 100


@dataclass
class Tail:
    """The events past the latest signed checkpoint, chained or not: no signature vouches
    for them yet, so a change to them cannot be told from the original. Its age is that of
    the oldest record time among its first ``TAIL_SAMPLE`` events (the log's order is the
    record times' order but for concurrent writes; reading them all would cost a whole log
    of JSON when nothing was ever signed)."""

    events: int = 0
    oldest: datetime | None = None
    unreadable: bool = False  # a record time that could not be read: the age is unknown

    def add(self, state: bytes) -> None:
        self.events += 1
        if self.events <= TAIL_SAMPLE:
            at = recorded_at(state)
            if at is None:
                self.unreadable = True
            elif self.oldest is None or at < self.oldest:
                self.oldest = at


@dataclass
class Report:
    events: int = 0
    chain_head: int = 0
    checkpoints: int = 0
    last_checkpoint: int | None = None
    unchained: int = 0
    seconds: float = 0.0
    first_break: Break | None = None
    notes: list[str] = field(default_factory=list)
    tail: Tail = field(default_factory=Tail)
    as_of: datetime | None = None  # when the log was read (for a bundle: exported)
    as_of_what: str = "the check"
    max_tail_age: float | None = None  # seconds; None: the tail is reported, not judged
    tail_accepted: bool = False  # `audit verify --allow-unsigned-tail`

    @property
    def ok(self) -> bool:
        """Nothing chained or signed was changed (the unsigned tail aside)."""
        return self.first_break is None

    @property
    def tail_age(self) -> float | None:
        """Seconds between the tail's oldest record time and ``as_of``; None if unknown."""
        if self.tail.oldest is None or self.tail.unreadable or self.as_of is None:
            return None
        return max(0.0, (self.as_of - self.tail.oldest).total_seconds())

    @property
    def tail_too_old(self) -> bool:
        if not self.tail.events or self.max_tail_age is None:
            return False
        age = self.tail_age
        return age is None or age > self.max_tail_age

    @property
    def verdict(self) -> AuditVerdict:
        """broken, unsigned_tail (unsigned events older than the bound) or intact."""
        if self.first_break is not None:
            return AuditVerdict.BROKEN
        if self.tail_too_old and not self.tail_accepted:
            return AuditVerdict.UNSIGNED_TAIL
        return AuditVerdict.INTACT

    def tail_line(self) -> str:
        after = f"position {self.last_checkpoint}" if self.last_checkpoint else "none yet"
        line = f"events past the latest signed checkpoint ({after}): {self.tail.events}"
        if self.tail.events:
            age = self.tail_age
            line += (
                f", the oldest recorded {age:.1f} s before {self.as_of_what}"
                if age is not None
                else ", the age of the oldest unknown"
            )
        if self.max_tail_age is not None:
            line += f" (bound {self.max_tail_age:g} s: twice AUDIT_CHECKPOINT_SECONDS)"
        return line

    def lines(self) -> list[str]:
        rate = self.events / self.seconds if self.seconds else 0
        out = [
            f"checked {self.events} events against the chain up to position "
            f"{self.chain_head} in {self.seconds:.2f} s ({rate:,.0f} events/s)",
            f"signed checkpoints checked: {self.checkpoints}"
            + (f", latest at position {self.last_checkpoint}" if self.last_checkpoint else ""),
        ]
        if self.unchained:
            out.append(f"{self.unchained} newer events are not chained yet (the worker follows)")
        if self.ok:
            out.append(self.tail_line())
        out += self.notes
        verdict = self.verdict
        if verdict is AuditVerdict.BROKEN and self.first_break is not None:
            out.append(f"BROKEN: {self.first_break.describe()}")
        elif verdict is AuditVerdict.UNSIGNED_TAIL:
            out.append(
                f"UNSIGNED TAIL: {self.tail.events} events past position "
                f"{self.last_checkpoint or 0} have waited longer than {self.max_tail_age:g} s"
                " for a signature and could have been changed unseen (is the worker that"
                " signs them running?); --allow-unsigned-tail accepts them"
            )
        else:
            accepted = " (an unsigned tail older than the bound accepted)"
            out.append("INTACT" + (accepted if self.tail_too_old else ""))
        return out


Row = tuple[int, UUID, int, str, bytes]  # notification id, originator id, version, topic, state


def verify_stream(
    events: Iterator[Row],
    chain: Iterator[tuple[int, bytes]],
    checkpoints: dict[int, tuple[bytes, bytes]],
    public_key: Ed25519PublicKey,
    *,
    as_of: datetime | None = None,
    max_tail_age: float | None = None,
) -> Report:
    """Walk the log and the chain together, recomputing each link; check every signed
    checkpoint's signature and head; count the events past the latest checkpoint and the
    age at ``as_of`` of the oldest of them. Stops at the first break."""
    report, started = Report(as_of=as_of, max_tail_age=max_tail_age), time.perf_counter()
    for position, (head, signature) in sorted(checkpoints.items()):
        try:
            public_key.verify(signature, checkpoint_message(position, head))
        except InvalidSignature:
            report.first_break = Break(
                "signature", position, None, "the checkpoint's signature does not verify"
            )
            return report
    report.checkpoints = len(checkpoints)
    report.last_checkpoint = max(checkpoints) if checkpoints else None
    signed = report.last_checkpoint or 0
    previous, event, chained = GENESIS, next(events, None), next(chain, None)
    while chained is not None:
        chain_id, stored = chained
        if event is None or event[0] > chain_id:
            report.first_break = Break(
                "deleted", chain_id, None, "the chain records an event the log no longer has"
            )
            break
        nid, originator_id, version, topic, state = event
        if nid < chain_id:
            report.first_break = Break(
                "inserted",
                nid,
                originator_id,
                f"an event ({topic.rsplit('.', 1)[-1]}, version {version})"
                " the chain never recorded",
            )
            break
        previous = link(previous, nid, originator_id, version, topic, state)
        report.events += 1
        if previous != stored:
            report.first_break = Break(
                "changed",
                nid,
                originator_id,
                f"the stored event ({topic.rsplit('.', 1)[-1]}, version "
                f"{version}) does not match its chain link",
            )
            break
        if nid in checkpoints and checkpoints[nid][0] != previous:
            report.first_break = Break(
                "checkpoint",
                nid,
                originator_id,
                "the chain up to here differs from the signed head: "
                "the chain itself was rewritten at or before this position",
            )
            break
        report.chain_head = nid
        if nid > signed:
            report.tail.add(state)
        event, chained = next(events, None), next(chain, None)
    else:
        if report.last_checkpoint is not None and report.last_checkpoint > report.chain_head:
            report.first_break = Break(
                "deleted",
                report.last_checkpoint,
                None,
                "a signed checkpoint lies beyond the end of the chain",
            )
        while event is not None:
            report.unchained += 1
            report.tail.add(event[4])
            event = next(events, None)
    report.seconds = time.perf_counter() - started
    return report


def stream(
    conn: psycopg.Connection[Any], name: str, query: sql.Composed, size: int = 20_000
) -> Iterator[tuple[Any, ...]]:
    with conn.cursor(name=name, binary=True) as cursor:
        cursor.itersize = size
        cursor.execute(query)
        yield from cursor


def verify_database(
    conninfo: str,
    schema: str,
    public_key: Ed25519PublicKey,
    *,
    max_tail_age: float | None = None,
) -> Report:
    """Verify the log in the database (one snapshot); the unsigned tail's age is counted
    against the database's time of the snapshot, and judged against ``max_tail_age``."""

    def table(name: str) -> sql.Identifier:
        return sql.Identifier(schema, name)

    with psycopg.connect(conninfo) as conn, conn.transaction():
        as_of = snapshot_time(conn)
        checkpoints = {
            int(p): (bytes(h), bytes(s))
            for p, h, s in conn.execute(
                sql.SQL("SELECT position, head, signature FROM {}").format(
                    table("audit_checkpoints")
                )
            ).fetchall()
        }
        events = stream(
            conn,
            "audit_events",
            sql.SQL(
                "SELECT notification_id, originator_id, originator_version, topic, state"
                " FROM {} ORDER BY notification_id"
            ).format(table("petitions_events")),
        )
        chain = stream(
            conn,
            "audit_links",
            sql.SQL("SELECT notification_id, link FROM {} ORDER BY notification_id").format(
                table("audit_chain")
            ),
        )
        return verify_stream(
            events,
            ((i, bytes(b)) for i, b in chain),
            checkpoints,
            public_key,
            as_of=as_of,
            max_tail_age=max_tail_age,
        )


def snapshot_time(conn: psycopg.Connection[Any]) -> datetime:
    """Start a repeatable-read snapshot in the open transaction; the database's time of it."""
    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    row = conn.execute("SELECT now()").fetchone()
    assert row is not None
    started: datetime = row[0]
    return started
