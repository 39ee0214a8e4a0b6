"""The synthetic national-scale history the benchmarks run on, generated once and cached.

* A reference district of national shape: ``ZONES`` zones (each a monthly secretary
  briefing on its own day), five communes per zone, ten party cells per commune, the
  demo's twelve departments.
* Petition lifecycles planned by ``service.demo.make_plan`` (the same generator as the demo
  year: on-the-spot answers, withdrawals, assignments, declines, extensions, answers on
  time or late, escalations, verdicts that reopen) over ``MONTHS`` months, and carried out
  by the application's own command handlers on an in-memory event store, with the record
  time set to each step's business day. The stored events (encoded by the application's
  own mapper, so they decode exactly as real ones) are then COPYed into the PostgreSQL
  event table in big batches: recording a million events through ``save()`` one at a time
  would take about half an hour here.
* The audit chain is caught up over the log, so ``audit verify`` has links to check.

Everything lands in a database ``bench_template`` of an embedded PostgreSQL in the data
folder (``.bench-data`` by default); each run works on a fresh copy of it
(``CREATE DATABASE … TEMPLATE``), so writes made by the benchmarks never leak into the
next run. A ``bench_meta`` table records what was generated; a different ``SPEC`` makes
the next run generate again.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import multiprocessing
import random
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import eventsourcing.domain
import psycopg
from psycopg import sql

from domain.reference import District
from service.bootstrap import Service, bootstrap
from service.database import Database, start_embedded
from service.demo import TOPICS, apply_step, make_plan
from service.settings import Settings
from usecases.petitions import Petitions
from workers.runner import catch_up

TEMPLATE = "bench_template"
RUN = "bench_run"
END = date(2026, 10, 31)  # the last business day of the generated history
SPEC: dict[str, Any] = {
    "version": 3,
    "zones": 300,
    "communes_per_zone": 5,
    "cells_per_commune": 10,
    "months": 36,
    "per_briefing": 21,
    "seed": 9,
    "end": END.isoformat(),
}
SMALL = {"zones": 12, "months": 8, "per_briefing": 8}  # --small: a quick check of the suite
VIETNAM = timedelta(hours=7)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def settings_for(folder: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, PETITIONS_DATA_DIR=str(folder), LOG_LEVEL="WARNING", LOG_FORMAT="json"
    )


def seed_file(folder: Path, spec: dict[str, Any]) -> Path:
    """A national-shaped reference seed in the demo seed's format."""
    demo = json.loads(
        (Path(__file__).parent.parent / "service/seed/demo_district.json").read_text("utf-8")
    )
    zones, communes, cells = [], [], []
    for z in range(1, spec["zones"] + 1):
        zone = f"khu-{z:04d}"
        day = 3 + (z % 10)  # briefings spread over the 3rd to the 12th of the month
        zones.append({"code": zone, "name": f"Khu vực {z}", "briefing_rule": f"day:{day}"})
        for c in range(1, spec["communes_per_zone"] + 1):
            commune = f"xa-{z:04d}-{c}"
            communes.append({"code": commune, "name": f"Xã {z}-{c}", "zone": zone})
            for k in range(1, spec["cells_per_commune"] + 1):
                cells.append(
                    {"code": f"{commune}-thon{k}", "name": f"Chi bộ thôn {k}", "commune": commune}
                )
    seed = {
        "district": "Toàn quốc (dữ liệu tổng hợp cho đo hiệu năng)",
        "answer_period_days": 30,
        "zones": zones,
        "communes": communes,
        "cells": cells,
        "departments": demo["departments"],
    }
    path = folder / "national_seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    return path


def events_table(service: Service) -> sql.Composed:
    schema = service.app.datastore.schema
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier("petitions_events"))


class Clock:
    """Record times for generated events: the step's business day from 08:00 (Vietnam),
    advancing a few seconds per event, never backwards."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = datetime(2000, 1, 1, tzinfo=UTC)
        self.day = date(2000, 1, 1)

    def set_day(self, day: date) -> None:
        self.day = day
        opening = datetime(day.year, day.month, day.day, 8, tzinfo=UTC) - VIETNAM
        self.now = max(self.now, opening)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=self.rng.uniform(0.5, 6.0))
        return self.now


def part_of(district: District, part: int, parts: int) -> District:
    """Every ``parts``-th zone of the district, with its communes and cells, and
    memoised briefing calendars (the calendar arithmetic is pure; the generator asks it the
    same questions thousands of times)."""
    zones = {
        code: z for i, (code, z) in enumerate(sorted(district.zones.items())) if i % parts == part
    }
    communes = {k: c for k, c in district.communes.items() if c.zone in zones}
    cells = {k: c for k, c in district.cells.items() if c.commune in communes}
    sub = dataclasses.replace(district, zones=zones, communes=communes, cells=cells)
    for method in ("default_due_date", "next_briefing"):  # District is frozen
        object.__setattr__(sub, method, functools.lru_cache(maxsize=None)(getattr(sub, method)))
    return sub


def generate_stored_events(district: District, spec: dict[str, Any], seed: int) -> Iterator[tuple]:
    """The plan carried out by the application on an in-memory store; yields the stored
    events (originator id, version, topic, state) in the order they were recorded."""
    end = date.fromisoformat(spec["end"])
    plan = make_plan(
        district, end, per_briefing=spec["per_briefing"], months=spec["months"], seed=seed
    )
    clock = Clock(random.Random(seed))
    app = Petitions(district, env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, today=lambda: end)
    ids: dict[int, Any] = {}
    original = eventsourcing.domain.datetime_now_with_tzinfo
    eventsourcing.domain.datetime_now_with_tzinfo = clock  # the record time of each event
    try:
        for step in plan.steps:
            clock.set_day(step.on)
            apply_step(app, step, ids)
    finally:
        eventsourcing.domain.datetime_now_with_tzinfo = original
    position = 0
    while True:
        page = app.recorder.select_notifications(start=position + 1, limit=50_000)
        if not page:
            break
        for n in page:
            yield (n.originator_id, n.originator_version, n.topic, n.state)
        position = page[-1].id


def generate_part(
    folder: str, database: Database, spec: dict[str, Any], part: int, parts: int
) -> int:
    """One process's share: every ``parts``-th zone, generated and COPYed into the log in
    batches. Returns the events written. (It connects to the server the suite started:
    the embedded server's bookkeeping of the processes using it is not safe for several
    processes starting at once.)"""
    service = bootstrap(settings_for(Path(folder)), database=database)
    try:
        district = part_of(service.app.district, part, parts)
        rows = generate_stored_events(district, spec, spec["seed"] * 100 + part)
        written = 0
        with psycopg.connect(database.conninfo()) as conn:
            while batch := list(itertools.islice(rows, 50_000)):
                written += copy_events(conn, events_table(service), iter(batch))
                conn.commit()
        return written
    finally:
        service.close()


def copy_events(conn: psycopg.Connection[Any], table: sql.Composed, rows: Iterator[tuple]) -> int:
    count = 0
    with (
        conn.cursor() as curs,
        curs.copy(
            sql.SQL("COPY {} (originator_id, originator_version, topic, state) FROM STDIN").format(
                table
            )
        ) as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def generated(database: Database, spec: dict[str, Any]) -> dict[str, Any] | None:
    with psycopg.connect(database.conninfo("postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)).fetchone():
            return None
    with psycopg.connect(database.conninfo(TEMPLATE), autocommit=True) as conn:
        if not conn.execute("SELECT to_regclass('bench_meta')").fetchone()[0]:  # type: ignore[index]
            return None
        row = conn.execute("SELECT spec, facts FROM bench_meta").fetchone()
        if row is None or row[0] != spec:
            return None
        return dict(row[1])


def drop_database(database: Database, name: str) -> None:
    with psycopg.connect(database.conninfo("postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def ensure_template(folder: Path, spec: dict[str, Any] = SPEC) -> tuple[Database, dict[str, Any]]:
    """The embedded server in ``folder`` with the generated history in ``bench_template``
    (generated now if missing or of another spec). Returns the server and the facts."""
    server = start_embedded(folder, dbname="postgres")
    facts = generated(server, spec)
    if facts is not None:
        log(f"generated history found in {folder}: {facts['events']:,} events (cached)")
        return server, facts
    started = time.perf_counter()
    drop_database(server, TEMPLATE)
    database = start_embedded(folder, dbname=TEMPLATE)
    settings = settings_for(folder)
    service = bootstrap(settings, database=database, seed=seed_file(folder, spec))
    try:
        district = service.app.district
        log(
            f"generating: {len(district.zones)} zones, {len(district.communes)} communes,"
            f" {len(district.cells)} cells, {len(district.departments)} departments,"
            f" {spec['months']} months"
        )
        parts = 2  # the machine's cores: each process plans, records and COPYs its zones
        with multiprocessing.get_context("spawn").Pool(parts) as pool:
            counts = pool.starmap(
                generate_part, [(str(folder), database, spec, p, parts) for p in range(parts)]
            )
        copied_in = time.perf_counter() - started
        log(f"generated and copied {sum(counts):,} events in {copied_in:.0f} s")
        log("chaining the log for the audit")
        catch_up([service.chain], service.app.recorder, service.app.mapper, page_size=10_000)
        with psycopg.connect(database.conninfo(), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            events, petitions = conn.execute(
                sql.SQL("SELECT count(*), count(DISTINCT originator_id) FROM {}").format(
                    events_table(service)
                )
            ).fetchone()  # type: ignore[misc]
            facts = {
                "events": int(events),
                "petitions": int(petitions),
                "zones": len(district.zones),
                "communes": len(district.communes),
                "cells": len(district.cells),
                "departments": len(district.departments),
                "categories": sorted(TOPICS),
                "first_day": (
                    date.fromisoformat(spec["end"]) - timedelta(days=30 * spec["months"])
                ).isoformat(),
                "last_day": spec["end"],
                "generation_seconds": round(time.perf_counter() - started, 1),
            }
            conn.execute("CREATE TABLE bench_meta (spec jsonb NOT NULL, facts jsonb NOT NULL)")
            conn.execute(
                "INSERT INTO bench_meta VALUES (%s, %s)",
                (psycopg.types.json.Jsonb(spec), psycopg.types.json.Jsonb(facts)),
            )
    finally:
        service.close()
    log(f"history ready: {facts['events']:,} events, {facts['petitions']:,} petitions")
    return server, facts


def fresh_copy(server: Database, name: str = RUN) -> Database:
    """A copy of the template for one run (its writes never reach the next run)."""
    drop_database(server, name)
    with psycopg.connect(server.conninfo("postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(TEMPLATE)
            )
        )
    return Database(server.host, server.port, server.user, server.password, name, embedded=True)
