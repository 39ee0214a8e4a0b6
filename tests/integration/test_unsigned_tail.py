"""The unsigned tail of the audit chain, on real PostgreSQL: the events past the latest
signed checkpoint. The chain's runner signs the head within AUDIT_CHECKPOINT_SECONDS of
the last event even when no further event comes, so a superuser who rewrites the last
event afterwards (and recomputes its link) is caught by the signature; `audit verify`
reports the tail (count, age) and exits 1 when it is older than twice the interval and
nothing signs it, unless ``--allow-unsigned-tail``."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from audit.bundle import export_bundle, verify_bundle
from audit.chain import AuditChainView, link, recorded_at
from service.bootstrap import Service
from service.settings import Settings
from tests.conftest import settings_in
from tests.figures import record
from tests.integration.helpers import CLERK, COMMITTEE, draft, run_cli
from workers.runner import ViewRunner, catch_up

INTERVAL = 1.0  # AUDIT_CHECKPOINT_SECONDS in these tests
INTERVAL_ENV = {"AUDIT_CHECKPOINT_SECONDS": str(INTERVAL)}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_in(
        tmp_path,
        audit_checkpoint_seconds=INTERVAL,
    )


@contextmanager
def chain_runner(service: Service, view: AuditChainView | None = None) -> Iterator[ViewRunner]:
    """The chain's runner, as `petitions worker` runs it (under the chain's advisory lock)."""
    app, stop, view = service.app, threading.Event(), view or service.chain
    runner = ViewRunner(view, app.recorder, app.mapper, service.conninfo, stop=stop)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    try:
        yield runner
    finally:
        stop.set()
        thread.join(20)
        assert not thread.is_alive()


def record_events(service: Service, petitions: int = 2) -> int:
    """Raise and assign ``petitions`` petitions; the position of the last event."""
    app = service.app
    for _ in range(petitions):
        pid = app.raise_petition(draft(), CLERK).id
        app.assign(pid, COMMITTEE, department="kinh-te-ha-tang", on=date(2026, 3, 5))
    head = app.recorder.max_notification_id()
    assert head is not None
    return head


def chain_unsigned(service: Service) -> None:
    """Chain what is new without signing it, as a page that came just after a checkpoint
    is chained."""
    keyless = AuditChainView(service.app.datastore, None)
    catch_up([keyless], service.app.recorder, service.app.mapper)


def latest_checkpoint(service: Service) -> tuple[int, Any] | None:
    with psycopg.connect(service.conninfo) as conn:
        return conn.execute(  # type: ignore[return-value]
            sql.SQL("SELECT position, signed_at FROM {} ORDER BY position DESC LIMIT 1").format(
                service.chain.table("audit_checkpoints")
            )
        ).fetchone()


def state_at(service: Service, position: int) -> bytes:
    with psycopg.connect(service.conninfo) as conn:
        row = conn.execute(
            sql.SQL("SELECT state FROM {} WHERE notification_id = %s").format(events(service)),
            (position,),
        ).fetchone()
    assert row is not None
    return bytes(row[0])


def events(service: Service) -> sql.Identifier:
    return sql.Identifier(service.app.datastore.schema, "petitions_events")


def signed_at(service: Service, position: int, timeout: float = 20) -> Any:
    """Wait until ``position`` is signed; the time its checkpoint was signed."""
    deadline = time.monotonic() + timeout
    while (latest := latest_checkpoint(service)) is None or latest[0] < position:
        assert time.monotonic() < deadline, f"position {position} still unsigned after {timeout} s"
        time.sleep(0.05)
    return latest[1]


def seconds_unsigned(service: Service, position: int, since: int | None = None) -> float:
    """Seconds from the record time of the event at ``since`` (default: ``position``) to the
    signing of a checkpoint at or past ``position``."""
    signed = signed_at(service, position)
    recorded = recorded_at(state_at(service, since or position))
    assert recorded is not None
    return float((signed - recorded).total_seconds())


def test_the_head_is_signed_within_the_interval_when_no_further_event_comes(
    service: Service,
) -> None:
    record_events(service)
    catch_up([service.chain], service.app.recorder, service.app.mapper)  # signs the first page
    head = record_events(service)
    chain_unsigned(service)
    first_unsigned = latest_checkpoint(service)[0] + 1  # type: ignore[index]
    assert first_unsigned < head
    with chain_runner(service) as runner:
        # Nothing new to chain: only the runner's timer can sign the head, once the oldest
        # unsigned event is INTERVAL old.
        waited = seconds_unsigned(service, head, since=first_unsigned)
        waits = [seconds_unsigned(service, head)]
        for _ in range(3):  # events the runner chains itself, then nothing more
            waits.append(seconds_unsigned(service, record_events(service, petitions=1)))
    assert (runner.failures, runner.tick_failures) == (0, 0)
    assert waited >= INTERVAL - 0.01  # the timer waited for the interval ...
    longest = max(waits)
    record(
        "8b the unsigned tail: age bound",
        f"the head signed at most {longest:.2f} s after its event was recorded, no further "
        f"event coming (AUDIT_CHECKPOINT_SECONDS={INTERVAL:g}; {len(waits)} heads)",
        seconds=[round(w, 3) for w in waits],
        interval=INTERVAL,
    )
    assert longest < INTERVAL + 1.0, waits  # ... and signed within a tick or so of it


def test_two_runners_on_the_chain_sign_once_and_never_fail(service: Service) -> None:
    """Two worker processes: only the lock holder follows and signs; the same checkpoint
    signed at once by another process (an export's) changes nothing and fails nothing."""
    record_events(service)
    other = AuditChainView(
        service.app.datastore,
        service.chain.signing_key,
        key_id=service.chain.key_id,
        checkpoint_seconds=INTERVAL,
    )
    with chain_runner(service) as first, chain_runner(service, other) as second:
        head = record_events(service)
        seconds_unsigned(service, head)
        assert service.chain.checkpoint_now() == other.checkpoint_now() == head
        with service.app.datastore.transaction(commit=True) as curs:
            other.sign(curs, head, service.chain.head(curs)[0])  # a duplicate insert
    assert (first.failures, second.failures) == (0, 0)
    assert (first.tick_failures, second.tick_failures) == (0, 0)
    # The standby never followed, so it never ticked.
    assert [first.subscription is None, second.subscription is None].count(True) == 1
    assert run_cli(service, "audit", "verify", **INTERVAL_ENV).returncode == 0


def rewrite_last_event(service: Service, position: int) -> None:
    """What a superuser can do: triggers off, the last event's state changed, its link
    recomputed from the link before it (nothing comes after it)."""
    state = json.loads(state_at(service, position))
    state["business_date"] = {"_type_": "date_iso", "_data_": "2020-01-01"}
    forged = json.dumps(state).encode()
    chain = service.chain.table("audit_chain")
    with psycopg.connect(service.conninfo, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            sql.SQL("UPDATE {} SET state = %s WHERE notification_id = %s").format(events(service)),
            (forged, position),
        )
        previous, (originator_id, version, topic) = (
            conn.execute(
                sql.SQL(
                    "SELECT link FROM {} WHERE notification_id < %s"
                    " ORDER BY notification_id DESC LIMIT 1"
                ).format(chain),
                (position,),
            ).fetchone()[0],  # type: ignore[index]
            conn.execute(
                sql.SQL(
                    "SELECT originator_id, originator_version, topic FROM {}"
                    " WHERE notification_id = %s"
                ).format(events(service)),
                (position,),
            ).fetchone(),
        )
        conn.execute(
            sql.SQL("UPDATE {} SET link = %s WHERE notification_id = %s").format(chain),
            (link(bytes(previous), position, originator_id, version, topic, forged), position),
        )


def test_the_last_event_rewritten_after_the_interval_is_caught(service: Service) -> None:
    record_events(service)
    with chain_runner(service):
        head = record_events(service)
        seconds_unsigned(service, head)  # the interval has passed: the runner signed it
        recorded = recorded_at(state_at(service, head))
        rewrite_last_event(service, head)
        after = (datetime.now(UTC) - recorded).total_seconds()  # type: ignore[operator]
        verified = run_cli(service, "audit", "verify", **INTERVAL_ENV)
    assert verified.returncode == 1, verified.stdout
    assert f"BROKEN: checkpoint at position {head}" in verified.stdout
    record(
        "8b the unsigned tail: detection",
        f"the last event rewritten with its link recomputed {after:.2f} s after it was "
        f"recorded (AUDIT_CHECKPOINT_SECONDS={INTERVAL:g}, no event after it): `audit verify` "
        f"exit 1, BROKEN: checkpoint at position {head}",
        position=head,
        seconds_after=round(after, 3),
    )


def tail_figures(output: str) -> tuple[int, float]:
    found = re.search(r"signed checkpoint .*?: (\d+), the oldest recorded ([\d.]+) s", output)
    assert found, output
    return int(found[1]), float(found[2])


def test_a_tail_older_than_twice_the_interval_fails_verification(
    service: Service, tmp_path: Path
) -> None:
    """No worker signing: some events chained unsigned, the newest not chained at all."""
    record_events(service)
    catch_up([service.chain], service.app.recorder, service.app.mapper)
    signed = latest_checkpoint(service)[0]  # type: ignore[index]
    record_events(service)
    chain_unsigned(service)
    head = record_events(service, petitions=1)
    time.sleep(2 * INTERVAL + 0.2)

    old = run_cli(service, "audit", "verify", **INTERVAL_ENV)
    assert old.returncode == 1, old.stdout
    count, age = tail_figures(old.stdout)
    assert count == head - signed and age > 2 * INTERVAL, old.stdout
    assert f"UNSIGNED TAIL: {count} events past position {signed}" in old.stdout
    accepted = run_cli(service, "audit", "verify", "--allow-unsigned-tail", **INTERVAL_ENV)
    assert accepted.returncode == 0, accepted.stdout
    assert tail_figures(accepted.stdout)[0] == count
    assert "INTACT (an unsigned tail older than the bound accepted)" in accepted.stdout
    lenient = run_cli(service, "audit", "verify", AUDIT_CHECKPOINT_SECONDS="60")
    assert lenient.returncode == 0, lenient.stdout

    # A bundle: its tail (the chained events past the checkpoint) against its export time.
    key = service.chain.signing_key.public_key()  # type: ignore[union-attr]
    bundle = tmp_path / "audit.jsonl.gz"
    export_bundle(service.conninfo, service.app.datastore.schema, key, bundle)
    report = verify_bundle(bundle, key, max_tail_age=2 * INTERVAL)
    assert report.ok and report.verdict == "unsigned_tail", report.lines()
    assert report.tail.events == head - 2 - signed  # the last petition's two are not chained
    assert report.as_of_what == "the export" and report.tail_age > 2 * INTERVAL  # type: ignore[operator]
    offline = run_cli(service, "audit", "verify", "--bundle", str(bundle), **INTERVAL_ENV)
    assert offline.returncode == 1 and "UNSIGNED TAIL" in offline.stdout, offline.stdout
    assert tail_figures(offline.stdout)[0] == head - 2 - signed


def test_the_head_signed_by_a_runner_leaves_no_tail(service: Service) -> None:
    with chain_runner(service):
        head = record_events(service)
        seconds_unsigned(service, head)
    time.sleep(2 * INTERVAL + 0.2)
    verified = run_cli(service, "audit", "verify", **INTERVAL_ENV)
    assert verified.returncode == 0, verified.stdout
    assert f"events past the latest signed checkpoint (position {head}): 0" in verified.stdout
