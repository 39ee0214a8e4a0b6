"""One range of the log checked against its chain in a process of its own, so that
``audit verify`` checks the signed segments of a long log in parallel.

A range runs from one signed checkpoint to a later one. Its walk starts from the head
signed at the first (the genesis at position 0), recomputes every link and compares it
with the stored one, and checks the signed head at each checkpoint it passes. It answers
whether the range is *clean* (every event and every link present, every link and signed
head matching, up to the range's last checkpoint) and, if not, the last checkpoint up to
which it was: from there ``audit.verify`` walks on event by event, as a single process
would, to name the first break exactly as before.

The walk reads each row as three values: the position, the event framed as the link
hashes it, and the stored link. The framing (see ``audit.chain.link``) is done by
PostgreSQL (``int8send``, ``uuid_send``, ``int4send`` and the stored bytes), so no UUID,
text or per-field object is made in Python: that conversion, not the hashing, limited a
single-process walk. The module imports nothing of the project, so that a worker starts
in the time it takes to import psycopg.

Run as ``python -m audit.segments``: JSON tasks on stdin, one a line, until its end; for
each on stdout a ``{"read": n}`` line every ``PROGRESS_EVERY`` events, then its result.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

import psycopg
from psycopg import sql

PROGRESS_EVERY = 20_000
Progress = Callable[[int], None]  # told the number of events checked since its last call
FIRST = -(2**63)  # the lowest bigint: a range from the genesis takes in every position

# The events of the range in order, each with its link if the chain has one (a merge join
# of the two primary keys, no sort); a link whose event is gone is seen by ``LINKS``.
FRAMED = """
SELECT e.notification_id,
       int8send(e.notification_id) || uuid_send(e.originator_id)
       || int8send(e.originator_version::bigint)
       || int4send(octet_length(convert_to(e.topic, 'UTF8'))) || convert_to(e.topic, 'UTF8')
       || int4send(octet_length(e.state)) || e.state,
       c.link
FROM {events} e LEFT JOIN {chain} c ON c.notification_id = e.notification_id
WHERE e.notification_id >= %(low)s AND e.notification_id <= %(end)s
ORDER BY e.notification_id
"""
LINKS = (
    "SELECT count(*) FROM {chain} WHERE notification_id >= %(low)s AND notification_id <= %(end)s"
)


def check_range(
    rows: Iterable[tuple[int, bytes | None, bytes | None]],
    start: int,
    end: int,
    head: bytes,
    signed_heads: dict[int, bytes],
    links: int,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Walk the rows of the range (``start``, ``end``] from ``head``, the head signed at
    ``start``; ``signed_heads`` are the heads signed in the range, ``end``'s among them;
    ``links`` is the number of links the chain holds in the range. Returns ``clean``, the
    ``events`` walked, and ``clean_until`` / ``events_until``: the last checkpoint reached
    with everything before it matching, and the events up to it (a link too many, whose
    event is gone, leaves no such checkpoint known: the range's start)."""
    sha256 = hashlib.sha256
    previous, events, clean_until, events_until, since = head, 0, start, 0, 0
    clean = False
    for nid, framed, stored in rows:
        if framed is None or stored is None:
            break
        previous = sha256(previous + framed).digest()
        if previous != stored:
            break
        events += 1
        signed = signed_heads.get(nid)
        if signed is not None:
            if signed != previous:
                break
            clean_until, events_until = nid, events
        since += 1
        if since == PROGRESS_EVERY and progress is not None:
            progress(since)
            since = 0
    else:
        clean = clean_until == end and links == events
        if links != events:
            clean_until, events_until = start, 0
    if progress is not None and since:
        progress(since)
    return {
        "clean": clean,
        "events": events,
        "clean_until": clean_until,
        "events_until": events_until,
    }


def run(task: dict[str, Any], progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Check the task's range in the snapshot it names (``pg_export_snapshot`` of the
    verifying transaction, so that every range sees the same log)."""
    schema = task["schema"]
    chain = sql.Identifier(schema, task["chain_table"])
    query = sql.SQL(FRAMED).format(events=sql.Identifier(schema, task["events_table"]), chain=chain)
    start, end = int(task["start"]), int(task["end"])
    bounds = {"low": start + 1 if start else FIRST, "end": end}
    with psycopg.connect(task["conninfo"]) as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        if task.get("snapshot"):
            conn.execute(
                sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(task["snapshot"]))
            )
        counted = conn.execute(sql.SQL(LINKS).format(chain=chain), bounds).fetchone()
        with conn.cursor(name="audit_segment", binary=True) as cursor:
            cursor.itersize = 20_000
            cursor.execute(query, bounds)
            return check_range(
                cursor,
                start,
                end,
                bytes.fromhex(task["head"]),
                {int(p): bytes.fromhex(h) for p, h in task["signed_heads"].items()},
                int(counted[0]) if counted else 0,
                progress,
            )


def main() -> None:
    def report(read: int) -> None:
        print(json.dumps({"read": read}), flush=True)

    for line in sys.stdin:
        print(json.dumps(run(json.loads(line), report)), flush=True)


if __name__ == "__main__":
    main()
