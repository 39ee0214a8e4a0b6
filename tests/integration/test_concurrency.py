"""Optimistic concurrency and idempotent raise, on real PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from threading import Barrier

import pytest

from domain.actors import Stamp
from domain.errors import ConcurrentUpdate, IdempotencyKeyReused
from service.bootstrap import Service, bootstrap
from service.settings import Settings
from tests.integration.helpers import CLERK, COMMITTEE, draft, stored_event_count
from usecases.commands import Written
from usecases.petitions import Petitions


def second_writer(service: Service, settings: Settings) -> Petitions:
    return bootstrap(settings, database=service.database, schema=service.app.datastore.schema).app


def test_two_writers_racing_one_wins_the_other_retries(
    service: Service, settings: Settings
) -> None:
    a, b = service.app, second_writer(service, settings)
    pid = a.raise_petition(draft(), CLERK).id
    mine, theirs = a.load(pid), b.load(pid)  # both read version 1
    mine.escalate(reason="lần 1", stamp=Stamp(COMMITTEE.actor, date(2026, 3, 4)))
    theirs.escalate(reason="lần 2", stamp=Stamp(COMMITTEE.actor, date(2026, 3, 4)))
    a.save_petition(mine)
    before = stored_event_count(service)
    with pytest.raises(ConcurrentUpdate):
        b.save_petition(theirs)
    assert stored_event_count(service) == before
    b.escalate(pid, COMMITTEE, reason="lần 2", on=date(2026, 3, 4))  # the retry
    history = a.history(pid)
    assert [h["payload"].get("reason") for h in history[1:]] == ["lần 1", "lần 2"]
    assert [h["version"] for h in history] == [1, 2, 3]


def test_many_racing_writers_lose_nothing_and_duplicate_nothing(
    service: Service, settings: Settings
) -> None:
    writers = [service.app] + [second_writer(service, settings) for _ in range(3)]
    pid = service.app.raise_petition(draft(), CLERK).id
    per_writer, conflicts = 5, []
    start = Barrier(len(writers))

    def work(app: Petitions) -> None:
        start.wait()
        for n in range(per_writer):
            while True:
                try:
                    app.escalate(pid, COMMITTEE, reason=f"{id(app)}-{n}", on=date(2026, 3, 4))
                    break
                except ConcurrentUpdate:
                    conflicts.append(1)

    with ThreadPoolExecutor(len(writers)) as pool:
        list(pool.map(work, writers))
    history = service.app.history(pid)
    reasons = [h["payload"]["reason"] for h in history[1:]]
    assert len(reasons) == len(set(reasons)) == len(writers) * per_writer
    assert [h["version"] for h in history] == list(range(1, len(history) + 1))
    print(f"{len(writers)} writers x {per_writer} escalations: {len(conflicts)} conflicts retried")


def test_same_idempotency_key_records_one_petition(service: Service) -> None:
    app = service.app
    first = app.raise_petition(draft(), CLERK, idempotency_key="briefing-42/row-7")
    events = stored_event_count(service)
    again = app.raise_petition(draft(), CLERK, idempotency_key="briefing-42/row-7")
    assert (again.id, again.version, again.status, again.replayed) == (first.id, 1, "raised", True)
    assert again.position is not None and first.position is not None
    assert again.position >= first.position
    assert stored_event_count(service) == events
    with pytest.raises(IdempotencyKeyReused):
        app.raise_petition(draft(summary="Khác hẳn"), CLERK, idempotency_key="briefing-42/row-7")
    assert stored_event_count(service) == events
    other = app.raise_petition(draft(), CLERK, idempotency_key="briefing-42/row-8")
    assert other.id != first.id


def test_concurrent_retries_of_one_key_record_exactly_one_petition(
    service: Service, settings: Settings
) -> None:
    apps = [service.app] + [second_writer(service, settings) for _ in range(3)]
    start = Barrier(len(apps) * 2)

    def send(app: Petitions) -> Written:
        start.wait()
        return app.raise_petition(draft(), CLERK, idempotency_key="same-key")

    with ThreadPoolExecutor(len(apps) * 2) as pool:
        results = list(pool.map(send, apps * 2))
    assert len({r.id for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    raised = [
        h
        for h in service.app.recorder.select_notifications(start=1, limit=100)
        if h.topic.endswith("Petition.Raised")
    ]
    assert len(raised) == 1
