"""Random tamper trials on the event table (check 8, RELIABILITY.md).

A few months of a district are recorded, their notification ids spread out (every odd id
left free, so that a forged row can be slipped in between two real ones), then chained by
the audit chain. Each trial tampers with the table as a superuser would (triggers off):
flips one bit of one byte of an event's stored state, deletes an event, inserts a forged
event into a gap, or swaps two events' places in the log; ``verify_database`` must report
the first break at exactly that position and of the matching kind. The table is then put
back and must verify intact again before the next trial.

``make test`` runs a small count; ``make soak`` runs 100 (TAMPER_TRIALS overrides both).
"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import psycopg
import pytest
from psycopg import sql

from audit.verify import Report, verify_database
from service.bootstrap import Service
from service.demo import make_plan, run_plan
from tests.figures import record
from workers.runner import catch_up

END = date(2026, 10, 31)
KINDS = ("flip", "delete", "insert", "swap")
SEED = int(os.environ.get("TAMPER_SEED", "20261010"))


@pytest.fixture
def spread_history(service: Service) -> Iterator[Service]:
    service.chain.checkpoint_every = 40
    run_plan(service.app, make_plan(service.app.district, END, per_briefing=3, months=3, seed=5))
    with superuser(service) as conn:
        events = table(service)
        conn.execute(sql.SQL("UPDATE {} SET notification_id = -notification_id").format(events))
        conn.execute(sql.SQL("UPDATE {} SET notification_id = -2 * notification_id").format(events))
        conn.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'),"
            " (SELECT max(notification_id) FROM " + events.as_string(conn) + "))",
            (f'"{schema_of(service)}"."petitions_events"',),
        )
    catch_up(service.runners, service.app.recorder, service.app.mapper, page_size=50)
    assert verify(service).ok
    yield service


def schema_of(service: Service) -> str:
    return service.app.datastore.schema


def table(service: Service) -> sql.Identifier:
    return sql.Identifier(schema_of(service), "petitions_events")


def superuser(service: Service) -> psycopg.Connection[Any]:
    """A connection past the guard triggers, as someone with the superuser's rights."""
    conn = psycopg.connect(service.conninfo, autocommit=True)
    conn.execute("SET session_replication_role = replica")
    return conn


def verify(service: Service) -> Report:
    return verify_database(
        service.conninfo, schema_of(service), service.chain.signing_key.public_key()
    )  # type: ignore[union-attr]


def columns(conn: psycopg.Connection[Any], service: Service) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = %s AND table_name = 'petitions_events' ORDER BY ordinal_position",
        (schema_of(service),),
    ).fetchall()
    return [r[0] for r in rows]


def row_at(conn: psycopg.Connection[Any], service: Service, position: int) -> dict[str, Any]:
    names = columns(conn, service)
    found = conn.execute(
        sql.SQL("SELECT {} FROM {} WHERE notification_id = %s").format(
            sql.SQL(", ").join(map(sql.Identifier, names)), table(service)
        ),
        (position,),
    ).fetchone()
    assert found is not None
    return dict(zip(names, found, strict=True))


def insert_row(conn: psycopg.Connection[Any], service: Service, row: dict[str, Any]) -> None:
    conn.execute(
        sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            table(service),
            sql.SQL(", ").join(map(sql.Identifier, row)),
            sql.SQL(", ").join(sql.Placeholder() for _ in row),
        ),
        list(row.values()),
    )


def move(conn: psycopg.Connection[Any], service: Service, source: int, target: int) -> None:
    conn.execute(
        sql.SQL("UPDATE {} SET notification_id = %s WHERE notification_id = %s").format(
            table(service)
        ),
        (target, source),
    )


Undo = Callable[[psycopg.Connection[Any]], None]


def trial(service: Service, rng: random.Random, kind: str, ids: list[int]) -> tuple[str, int, Undo]:
    """Tamper once; return the (kind, position) verify must report, and how to undo it."""
    events = table(service)
    with superuser(service) as conn:
        if kind == "flip":
            position = rng.choice(ids)
            original = bytes(row_at(conn, service, position)["state"])
            state = bytearray(original)
            state[rng.randrange(len(state))] ^= 1 << rng.randrange(8)
            update = sql.SQL("UPDATE {} SET state = %s WHERE notification_id = %s").format(events)
            conn.execute(update, (bytes(state), position))
            return "changed", position, lambda c: c.execute(update, (original, position))
        if kind == "delete":
            position = rng.choice(ids)
            saved = row_at(conn, service, position)
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE notification_id = %s").format(events), (position,)
            )
            return "deleted", position, lambda c: insert_row(c, service, saved)
        if kind == "insert":
            gap = rng.choice(ids) - 1  # every odd id is free
            model = row_at(conn, service, rng.choice(ids))
            insert_row(
                conn, service, {**model, "notification_id": gap, "originator_version": 10_000 + gap}
            )
            return (
                "inserted",
                gap,
                lambda c: c.execute(
                    sql.SQL("DELETE FROM {} WHERE notification_id = %s").format(events), (gap,)
                ),
            )
        if rng.random() < 0.5:  # often neighbours: the smallest reordering
            index = rng.randrange(len(ids) - 1)
            first, second = ids[index], ids[index + 1]
        else:
            first, second = sorted(rng.sample(ids, 2))

        def swap(c: psycopg.Connection[Any]) -> None:
            move(c, service, first, -1)
            move(c, service, second, first)
            move(c, service, -1, second)

        swap(conn)
        return "changed", first, swap


def run_trials(service: Service, count: int, seed: int) -> tuple[int, Counter[str], list[str]]:
    rng = random.Random(seed)
    with psycopg.connect(service.conninfo) as conn:
        ids = [
            r[0]
            for r in conn.execute(
                sql.SQL("SELECT notification_id FROM {} ORDER BY 1").format(table(service))
            )
        ]
    detected, kinds, misses = 0, Counter[str](), []
    for n in range(count):
        kind = KINDS[n % len(KINDS)] if n < len(KINDS) else rng.choice(KINDS)
        kinds[kind] += 1
        expected_kind, position, put_back = trial(service, rng, kind, ids)
        report = verify(service)
        found = (
            (report.first_break.kind, report.first_break.position) if report.first_break else None
        )
        if found == (expected_kind, position):
            detected += 1
        else:
            misses.append(
                f"trial {n} ({kind}): expected {expected_kind} at {position}, got {found}"
            )
        with superuser(service) as conn:
            put_back(conn)
        restored = verify(service)
        assert restored.ok, f"trial {n} ({kind}) was not undone: {restored.lines()}"
    return detected, kinds, misses


def check(service: Service, count: int, label: str) -> None:
    count = int(os.environ.get("TAMPER_TRIALS", count))
    detected, kinds, misses = run_trials(service, count, SEED)
    events = service.app.recorder.max_notification_id()
    by_kind = ", ".join(f"{k} {kinds[k]}" for k in KINDS)
    record(
        label,
        f"{detected}/{count} tamper trials detected at the exact position ({by_kind}; "
        f"log of {events // 2} events, seed {SEED})",  # type: ignore[operator]
        detected=detected,
        trials=count,
        by_kind=dict(kinds),
        seed=SEED,
    )
    assert detected == count, "\n".join(misses)


def test_random_tamper_trials_are_found_at_the_exact_position(spread_history: Service) -> None:
    check(spread_history, 16, "8 tampering (make test)")


@pytest.mark.soak
def test_one_hundred_random_tamper_trials(spread_history: Service) -> None:
    check(spread_history, 100, "8 tampering (soak)")
