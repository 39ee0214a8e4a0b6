"""Audit: the signing key, guards on the append-only tables, verification of the event
log against its hash chain and signed checkpoints (in the database or in an exported
bundle), and the access log of auditors' and the committee's reads."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from projections.audit_chain import GENESIS, checkpoint_message, link, recorded_at
from service.redaction import redact, redact_query

APPEND_ONLY_TABLES = (
    "petitions_events",
    "audit_chain",
    "audit_checkpoints",
    "audit_access_log",
    "attachments",
)


# ---- keys -------------------------------------------------------------------------------


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """The service's checkpoint key; made (mode 0600) on first use if the file is missing."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 private key")
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created here or not at all (never over a key made meanwhile), 0600 whatever the umask.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(fd, 0o600)
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return key


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


# ---- guards -----------------------------------------------------------------------------


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


# ---- verification -----------------------------------------------------------------------


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
    def verdict(self) -> str:
        """broken, unsigned_tail (unsigned events older than the bound) or intact."""
        if self.first_break is not None:
            return "broken"
        if self.tail_too_old and not self.tail_accepted:
            return "unsigned_tail"
        return "intact"

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
        if verdict == "broken":
            out.append(f"BROKEN: {self.first_break.describe()}")  # type: ignore[union-attr]
        elif verdict == "unsigned_tail":
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
    conn: psycopg.Connection[Any], name: str, query: sql.Composable, size: int = 20_000
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
    table = lambda name: sql.Identifier(schema, name)  # noqa: E731
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
    return row[0]  # type: ignore[no-any-return]


# ---- export -----------------------------------------------------------------------------


def export_bundle(conninfo: str, schema: str, public_key: Ed25519PublicKey, path: Path) -> int:
    """Everything needed to verify the log offline, as gzipped JSON lines: a header with the
    public key, every event as stored with its chain link, and the signed checkpoints."""
    table = lambda name: sql.Identifier(schema, name)  # noqa: E731
    written = 0
    with psycopg.connect(conninfo) as conn, conn.transaction(), gzip.open(path, "wt") as out:
        exported_at = snapshot_time(conn)
        out.write(
            json.dumps(
                {
                    "kind": "header",
                    "format": "petitions-audit-bundle/1",
                    "public_key": public_pem(public_key),
                    "key_id": key_id(public_key),
                    "exported_at": exported_at.isoformat(),
                }
            )
            + "\n"
        )
        for position, head, signature, signed_at in conn.execute(
            sql.SQL(
                "SELECT position, head, signature, signed_at FROM {} ORDER BY position"
            ).format(table("audit_checkpoints"))
        ):
            out.write(
                json.dumps(
                    {
                        "kind": "checkpoint",
                        "position": position,
                        "head": bytes(head).hex(),
                        "signature": bytes(signature).hex(),
                        "signed_at": signed_at.isoformat(),
                    }
                )
                + "\n"
            )
        rows = stream(
            conn,
            "bundle_events",
            sql.SQL(
                "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, e.state,"
                " c.link FROM {} e JOIN {} c USING (notification_id) ORDER BY e.notification_id"
            ).format(table("petitions_events"), table("audit_chain")),
        )
        for nid, originator_id, version, topic, state, chain_link in rows:
            out.write(
                json.dumps(
                    {
                        "kind": "event",
                        "id": nid,
                        "originator_id": str(originator_id),
                        "version": version,
                        "topic": topic,
                        "state": base64.b64encode(bytes(state)).decode(),
                        "link": bytes(chain_link).hex(),
                    }
                )
                + "\n"
            )
            written += 1
    return written


def verify_bundle(
    path: Path,
    public_key: Ed25519PublicKey | None = None,
    *,
    max_tail_age: float | None = None,
) -> Report:
    """Verify an exported bundle without a database. Pass the public key obtained through a
    trusted channel; without it the bundle's own key is used (then the check proves only
    that the bundle is consistent). The unsigned tail's age is counted against the
    bundle's export time (a bundle written before it carried one: its latest checkpoint's
    signing time, if it has that)."""
    with gzip.open(path, "rt") as lines:
        records = [json.loads(line) for line in lines]
    header = records[0]
    if header.get("kind") != "header":
        raise ValueError(f"{path} is not a petitions audit bundle")
    key = public_key or load_public_key(header["public_key"].encode())
    checkpoints = {
        r["position"]: (bytes.fromhex(r["head"]), bytes.fromhex(r["signature"]))
        for r in records
        if r["kind"] == "checkpoint"
    }
    events = [r for r in records if r["kind"] == "event"]
    signed_at = [r["signed_at"] for r in records if r["kind"] == "checkpoint" and "signed_at" in r]
    as_of = header.get("exported_at") or (signed_at[-1] if signed_at else None)
    report = verify_stream(
        iter(
            [
                (
                    r["id"],
                    UUID(r["originator_id"]),
                    r["version"],
                    r["topic"],
                    base64.b64decode(r["state"]),
                )
                for r in events
            ]
        ),
        iter([(r["id"], bytes.fromhex(r["link"])) for r in events]),
        checkpoints,
        key,
        as_of=datetime.fromisoformat(as_of) if as_of else None,
        max_tail_age=max_tail_age,
    )
    report.as_of_what = "the export" if header.get("exported_at") else "the latest checkpoint"
    if public_key is None:
        report.notes.append(
            f"verified with the bundle's own key {header['key_id']}; compare it "
            "with the key published by the district office"
        )
    return report


# ---- access log -------------------------------------------------------------------------


class AccessLog:
    """Append-only record of reads made with auditor and committee tokens."""

    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.table = sql.Identifier(datastore.schema, "audit_access_log")

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (id bigserial PRIMARY KEY,"
                    " at timestamptz NOT NULL DEFAULT now(), token_id text NOT NULL,"
                    " role text NOT NULL, method text NOT NULL, path text NOT NULL,"
                    " query text NOT NULL, request_id text)"
                ).format(self.table)
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
    ) -> None:
        """One read; what in its path and query looks like a token or a session id is
        redacted first, for the log is kept for ever and read by auditors."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "INSERT INTO {} (token_id, role, method, path, query, request_id)"
                    " VALUES (%s, %s, %s, %s, %s, %s)"
                ).format(self.table),
                (token_id, role, method, redact(path), redact_query(query), request_id),
            )

    def entries(self, limit: int = 100) -> list[dict[str, Any]]:
        """The latest reads, redacted as they are shown (rows written before reads were
        redacted on the way in are kept as they are: the table is append-only)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT * FROM {} ORDER BY id DESC LIMIT %s").format(self.table), (limit,)
            )
            rows = [dict(r) for r in curs.fetchall()]
        for row in rows:
            row.update(path=redact(row["path"]), query=redact_query(row["query"]))
        return rows
