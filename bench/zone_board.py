"""A zone's overdue board at national size, with and without the index on
``overdue_obligations (zone, due_on)``: the query the board route runs with ``?zone=``,
over 50 zones of the benchmark's database (run `make bench` first).

Run: .venv/bin/python -m bench.zone_board
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

import psycopg

from service.database import start_embedded

QUERY = (
    "SELECT o.petition_id FROM overdue_obligations o JOIN overdue_petitions p USING (petition_id)"
    " WHERE o.valid_from <= %(on)s AND (o.valid_to IS NULL OR o.valid_to > %(on)s)"
    " AND o.due_on < %(on)s AND o.zone = %(zone)s ORDER BY (%(on)s - o.due_on) DESC, o.petition_id"
)


def timings(conn: psycopg.Connection, zones: list[str], on: date) -> tuple[float, float]:
    spent = []
    for zone in zones:
        started = time.perf_counter()
        conn.execute(QUERY, {"on": on, "zone": zone}).fetchall()
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return statistics.median(spent), spent[max(0, int(len(spent) * 0.99) - 1)]


def main(folder: str = ".bench-data", dbname: str = "bench_run") -> None:
    database = start_embedded(Path(folder), dbname=dbname)
    with psycopg.connect(database.conninfo(), autocommit=True) as conn:
        rows = conn.execute("SELECT count(*) FROM overdue_obligations").fetchone()
        zones = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT zone FROM overdue_obligations WHERE valid_to IS NULL LIMIT 50"
            ).fetchall()
        ]
        on = date(2026, 11, 23)
        conn.execute("DROP INDEX IF EXISTS overdue_zone")
        without = timings(conn, zones, on)
        conn.execute("CREATE INDEX overdue_zone ON overdue_obligations (zone, due_on)")
        conn.execute("ANALYZE overdue_obligations")
        with_index = timings(conn, zones, on)
    print(f"{rows[0] if rows else 0:,} obligation rows, {len(zones)} zones")
    print(f"without the index: p50 {without[0]:.1f} ms, p99 {without[1]:.1f} ms")
    print(f"with the index:    p50 {with_index[0]:.1f} ms, p99 {with_index[1]:.1f} ms")


if __name__ == "__main__":
    main()
