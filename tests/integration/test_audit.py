"""Tamper evidence on real PostgreSQL: rows of the event table altered, deleted, inserted and
swapped behind the service's back (as a superuser, past the guard triggers) are found by
`audit verify` at the exact position; bundles verify offline; time travel; back-dating."""

from __future__ import annotations

import gzip
import json
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from audit.bundle import export_bundle, verify_bundle
from audit.keys import key_id, load_public_key, public_pem
from audit.verify import verify_database
from domain.petition import Petition
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo import DEMO_SEED, make_plan, run_plan
from tests.conftest import settings_in
from tests.integration.helpers import (
    CLERK,
    COMMITTEE,
    assigned_to_infra,
    draft,
    run_cli,
    write_answer,
)
from workers.runner import catch_up

END = date(2026, 10, 31)


@pytest.fixture
def history(service: Service) -> Iterator[Service]:
    """A few months of a district, chained, with a signed checkpoint every 40 events."""
    service.chain.checkpoint_every = 40
    run_plan(service.app, make_plan(service.app.district, END, per_briefing=3, months=3, seed=5))
    catch_up(service.runners, service.app.recorder, service.app.mapper, page_size=25)
    yield service


def schema_of(service: Service) -> str:
    return service.app.datastore.schema


def tamper(service: Service, statement: str, *params: Any) -> None:
    """Change the event table as a superuser would: with triggers switched off."""
    with psycopg.connect(service.conninfo, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            sql.SQL(statement).format(
                events=sql.Identifier(schema_of(service), "petitions_events"),
                chain=sql.Identifier(schema_of(service), "audit_chain"),
            ),
            params,
        )


def verify(service: Service) -> Any:
    return verify_database(
        service.conninfo, schema_of(service), service.chain.signing_key.public_key()
    )  # type: ignore[union-attr]


def stored(service: Service, position: int) -> dict[str, Any]:
    with psycopg.connect(service.conninfo) as conn:
        row = conn.execute(
            sql.SQL("SELECT originator_id, state FROM {} WHERE notification_id = %s").format(
                sql.Identifier(schema_of(service), "petitions_events")
            ),
            (position,),
        ).fetchone()
    assert row is not None
    return {"originator_id": row[0], "state": bytes(row[1])}


def test_an_untouched_log_verifies(history: Service) -> None:
    report = verify(history)
    assert report.ok, report.lines()
    assert report.events == history.app.recorder.max_notification_id()
    assert report.checkpoints >= 2


def test_the_event_table_refuses_updates_deletes_and_truncation(history: Service) -> None:
    table = sql.Identifier(schema_of(history), "petitions_events")
    with psycopg.connect(history.conninfo, autocommit=True) as conn:
        for statement in ("UPDATE {} SET topic = topic", "DELETE FROM {}", "TRUNCATE {}"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                conn.execute(sql.SQL(statement).format(table))
    assert verify(history).ok


def change_state(service: Service, position: int) -> None:
    state = json.loads(stored(service, position)["state"])
    state["business_date"] = {"_type_": "date_iso", "_data_": "2020-01-01"}
    tamper(
        service,
        "UPDATE {events} SET state = %s WHERE notification_id = %s",
        json.dumps(state).encode(),
        position,
    )


def delete(service: Service, position: int) -> None:
    tamper(service, "DELETE FROM {events} WHERE notification_id = %s", position)


def swap_with_next(service: Service, position: int) -> None:
    a, b = stored(service, position), stored(service, position + 1)
    tamper(
        service, "UPDATE {events} SET state = %s WHERE notification_id = %s", b["state"], position
    )
    tamper(
        service,
        "UPDATE {events} SET state = %s WHERE notification_id = %s",
        a["state"],
        position + 1,
    )


TAMPERINGS: dict[str, Callable[[Service, int], None]] = {
    "changed": change_state,
    "deleted": delete,
    "swapped": swap_with_next,
}


@pytest.mark.parametrize("how", list(TAMPERINGS))
@pytest.mark.parametrize("where", [1, 57, "last"])
def test_tampering_is_found_at_the_exact_position(
    history: Service, how: str, where: int | str
) -> None:
    head = history.app.recorder.max_notification_id()
    assert head is not None
    position = head - 1 if where == "last" else int(where)
    originator = stored(history, position)["originator_id"]
    TAMPERINGS[how](history, position)
    report = verify(history)
    assert not report.ok
    assert report.first_break.position == position, report.lines()  # type: ignore[union-attr]
    assert report.first_break.kind == ("deleted" if how == "deleted" else "changed")  # type: ignore[union-attr]
    if how != "deleted":
        assert report.first_break.originator_id == originator  # type: ignore[union-attr]


def test_an_inserted_event_is_found(service: Service) -> None:
    app = service.app
    pid = app.raise_petition(draft(), CLERK).id
    # A failed transaction leaves a hole in the notification ids (as a lost race does).
    with psycopg.connect(service.conninfo, autocommit=True) as conn:
        conn.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'notification_id'))",
            (f'"{schema_of(service)}"."petitions_events"',),
        )
    app.assign(pid, COMMITTEE, department="kinh-te-ha-tang", on=date(2026, 3, 5))
    catch_up(service.runners, app.recorder, app.mapper)
    assert verify(service).ok
    hole = app.recorder.max_notification_id() - 1  # type: ignore[operator]
    forged = stored(service, 1)
    tamper(
        service,
        "INSERT INTO {events} (notification_id, originator_id, originator_version,"
        " topic, state) VALUES (%s, %s, 99, 'domain.petition:Petition.Escalated', %s)",
        hole,
        forged["originator_id"],
        forged["state"],
    )
    report = verify(service)
    assert (report.first_break.kind, report.first_break.position) == ("inserted", hole)  # type: ignore[union-attr]


def test_a_rewritten_chain_is_caught_by_the_signed_checkpoints(history: Service) -> None:
    """Change an event and recompute every later link: only the signatures give it away."""
    from audit.chain import GENESIS, link

    change_state(history, 10)
    with psycopg.connect(history.conninfo, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        rows = conn.execute(
            sql.SQL(
                "SELECT notification_id, originator_id, originator_version, topic, state FROM {}"
                " ORDER BY notification_id"
            ).format(sql.Identifier(schema_of(history), "petitions_events"))
        ).fetchall()
        previous = GENESIS
        for nid, originator_id, version, topic, state in rows:
            previous = link(previous, nid, originator_id, version, topic, bytes(state))
            conn.execute(
                sql.SQL("UPDATE {} SET link = %s WHERE notification_id = %s").format(
                    sql.Identifier(schema_of(history), "audit_chain")
                ),
                (previous, nid),
            )
    report = verify(history)
    assert report.first_break.kind == "checkpoint"  # type: ignore[union-attr]
    assert 10 <= report.first_break.position <= 40  # type: ignore[union-attr]


def test_audit_verify_command_exits_1_and_names_the_position(history: Service) -> None:
    clean = run_cli(history, "audit", "verify")
    assert clean.returncode == 0, clean.stderr
    assert "INTACT" in clean.stdout
    delete(history, 33)
    broken = run_cli(history, "audit", "verify")
    assert broken.returncode == 1
    assert "BROKEN: deleted at position 33" in broken.stdout


def test_audit_keygen_writes_a_key_the_service_signs_with(
    database: Database, schema: str, tmp_path: Path
) -> None:
    """The deployment step: `petitions audit keygen PATH` (no database needed), then a
    service with AUDIT_SIGNING_KEY_FILE=PATH signs its checkpoints with that key."""
    key_file = tmp_path / "secrets" / "audit-signing-key.pem"
    made = run_cli(None, "audit", "keygen", str(key_file), PETITIONS_DATA_DIR=str(tmp_path))
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    published = public_pem(key.public_key())
    assert published in made.stdout and key_id(key.public_key()) in made.stdout
    settings = settings_in(tmp_path / "data", audit_signing_key_file=key_file)
    service = bootstrap(settings, database=database, schema=schema, seed=DEMO_SEED)
    try:
        assert service.chain.key_id == key_id(key.public_key())
        service.app.raise_petition(draft(), CLERK)
        catch_up([service.chain], service.app.recorder, service.app.mapper)
        report = verify_database(service.conninfo, schema, load_public_key(published.encode()))
        assert report.ok and report.checkpoints == 1, report.lines()
    finally:
        service.close()
    again = run_cli(None, "audit", "keygen", str(key_file), PETITIONS_DATA_DIR=str(tmp_path))
    assert again.returncode == 1 and "not overwritten" in again.stderr
    assert serialization.load_pem_private_key(key_file.read_bytes(), None).public_key() == (
        key.public_key()
    )


def test_a_bundle_verifies_offline_and_shows_tampering(history: Service, tmp_path: Path) -> None:
    key = history.chain.signing_key.public_key()  # type: ignore[union-attr]
    history.chain.checkpoint_now()
    bundle = tmp_path / "audit.jsonl.gz"
    events = export_bundle(history.conninfo, schema_of(history), key, bundle)
    assert events == history.app.recorder.max_notification_id()
    report = verify_bundle(bundle, key)
    assert report.ok and report.last_checkpoint == events, report.lines()
    with gzip.open(bundle, "rt") as original:
        lines = original.read().splitlines()
    record = json.loads(lines[20])
    assert record["kind"] == "event"
    record["topic"] = "domain.petition:Petition.Withdrawn"
    lines[20] = json.dumps(record)
    forged = tmp_path / "forged.jsonl.gz"
    with gzip.open(forged, "wt") as out:
        out.write("\n".join(lines) + "\n")
    report = verify_bundle(forged, key)
    assert (report.first_break.kind, report.first_break.position) == ("changed", record["id"])  # type: ignore[union-attr]


def test_state_as_of_each_record_time_equals_the_state_right_after_it(history: Service) -> None:
    app = history.app
    checked = 0
    for pid in list(
        {
            n.originator_id
            for n in app.recorder.select_notifications(
                start=1, limit=400, topics=["domain.petition:Petition.Raised"]
            )
        }
    )[:60]:
        events = list(app.events.get(pid))
        for event in events:
            after = app.state(pid, as_of=event.timestamp)
            assert after["version"] == event.originator_version
            assert after == app.state(pid, as_of=event.timestamp + timedelta(microseconds=0))
            checked += 1
        assert app.state(pid, as_of=events[-1].timestamp) == app.state(pid)
    assert checked > 100


class Clock:
    """The record time of the next events (the business dates are chosen by each command)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_back_dated_events_are_listed_exactly(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, tolerance = service.app, service.settings.backdating_tolerance_days
    clock = Clock(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # 09:00 in Hà Nội
    monkeypatch.setattr(Petition.Event, "create_timestamp", staticmethod(clock))
    app.today = lambda: clock.now.date()
    expected = set()
    for n in range(6):
        clock.now = datetime(2026, 3, 3, 2, 0, tzinfo=UTC) + timedelta(days=n)
        pid = assigned_to_infra(app, clock.now.date(), raised_on=clock.now.date()).id
        late = n % 3  # 0: on the day, 1: within the tolerance, 2: well past it
        clock.now += timedelta(days={0: 2, 1: 2 + tolerance, 2: 10}[late])
        answered_on = clock.now.date() - timedelta(days={0: 0, 1: tolerance, 2: 9}[late])
        written = write_answer(app, pid, answered_on, document_number=f"{n}/CV")
        if late == 2:
            expected.add((pid, written.version))
    catch_up(service.runners, app.recorder, app.mapper)
    listed = service.views["backdating"].backdated(tolerance)  # type: ignore[attr-defined]
    assert {(r["petition_id"], r["version"]) for r in listed} == expected
    assert all(r["delay_days"] == 9 and r["type"] == "AnsweredInWriting" for r in listed)
    assert (
        service.views["backdating"].backdated(  # type: ignore[attr-defined]
            tolerance, department="cong-an"
        )
        == []
    )
    assert len(
        service.views["backdating"].backdated(  # type: ignore[attr-defined]
            tolerance, department="kinh-te-ha-tang", start=date(2026, 3, 1), end=date(2026, 3, 31)
        )
    ) == len(expected)
