"""The exported bundle: the log, its chain and checkpoints as gzipped JSON lines, verified
offline without a database."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import datetime
from pathlib import Path
from uuid import UUID

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from psycopg import sql

from audit.keys import key_id, load_public_key, public_pem
from audit.segments import Progress
from audit.verify import (
    PROGRESS_EVERY,
    Report,
    snapshot_time,
    stream,
    verify_stream,
)


def export_bundle(
    conninfo: str,
    schema: str,
    public_key: Ed25519PublicKey,
    path: Path,
    progress: Progress | None = None,
) -> int:
    """Everything needed to verify the log offline, as gzipped JSON lines: a header with the
    public key, every event as stored with its chain link, and the signed checkpoints;
    ``progress`` is told the events written as they go."""

    def table(name: str) -> sql.Identifier:
        return sql.Identifier(schema, name)

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
            sql.SQL("SELECT position, head, signature, signed_at FROM {} ORDER BY position").format(
                table("audit_checkpoints")
            )
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
            if progress is not None and written % PROGRESS_EVERY == 0:
                progress(PROGRESS_EVERY)
    if progress is not None and written % PROGRESS_EVERY:
        progress(written % PROGRESS_EVERY)
    return written


def verify_bundle(
    path: Path,
    public_key: Ed25519PublicKey | None = None,
    *,
    max_tail_age: float | None = None,
    progress: Progress | None = None,
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
        progress=progress,
    )
    report.as_of_what = "the export" if header.get("exported_at") else "the latest checkpoint"
    if public_key is None:
        report.notes.append(
            f"verified with the bundle's own key {header['key_id']}; compare it "
            "with the key published by the district office"
        )
    return report
