"""Repeats on real PostgreSQL: a petition raised as a repeat (or linked later), its read,
the closures that hold (``projections.repeats``), a rebuild and ``replay --verify`` that
agree with the live views, and the audit chain over a link."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import InvalidCommand
from service.bootstrap import Service
from tests.integration.helpers import (
    CLERK,
    COMMITTEE,
    assigned_to_infra,
    draft,
    stored_event_count,
    write_answer,
)
from tests.integration.test_audit import stored, tamper, verify
from tests.integration.test_projection_workers import all_tables
from usecases.repeats import LinkRepeat
from workers import replay
from workers.runner import catch_up

INFRA_CODE = "kinh-te-ha-tang"
CLOSED_ON = date(2026, 4, 3)


def closed_satisfied(service: Service, summary: str) -> UUID:
    app = service.app
    pid = assigned_to_infra(app, summary=summary).id
    write_answer(app, pid, date(2026, 3, 20))
    app.verify(pid, CLERK, verdict="satisfied", on=CLOSED_ON)
    return pid


def follow(service: Service) -> None:
    app = service.app
    catch_up(list(service.views.values()), app.recorder, app.mapper)


def test_the_closures_that_hold_count_the_repeats_within_6_and_12_months(
    service: Service,
) -> None:
    app = service.app
    repeated = closed_satisfied(service, "Đường ống nước vỡ lần một")
    closed_satisfied(service, "Đèn đường hỏng")  # held: no repeat followed it
    again = app.raise_petition(draft(raised_on=date(2026, 6, 3), repeat_of=repeated), CLERK)
    state = app.state(again.id)
    assert state["repeat_of"]["petition_id"] == repeated and state["repeat_of"]["satisfied"]
    assert state["repeat_of"]["department"] == INFRA_CODE
    # Seven months after the closure the matter comes up a third time: linked later.
    late = app.raise_petition(draft(raised_on=date(2026, 11, 3)), CLERK).id
    app.execute(LinkRepeat(petition_id=late, repeats=repeated, on=date(2026, 11, 4)), COMMITTEE)
    follow(service)
    found = service.views.repeats.closures_held(date(2026, 4, 1), date(2026, 4, 30))
    figures = found[INFRA_CODE]
    assert figures["satisfied_closures"] == 2
    six, twelve = figures["repeated_within_6_months"], figures["repeated_within_12_months"]
    assert (six["count"], six["total"], six["rate"]) == (1, 2, 0.5)
    assert (twelve["count"], twelve["total"]) == (1, 2)  # one closure, two repeats: once
    assert service.views.repeats.closures_held(date(2026, 5, 1), date(2026, 12, 31)) == {}
    cards = service.queries.scorecards(
        COMMITTEE.actor, start=date(2026, 4, 1), end=date(2026, 4, 30)
    )
    (card,) = [c for c in cards["departments"] if c["department"] == INFRA_CODE]
    assert card["repeated_within_6_months"] == six


def test_a_raise_naming_an_unknown_earlier_petition_records_nothing(service: Service) -> None:
    count = stored_event_count(service)
    missing = UUID("00000000-0000-4000-8000-000000000000")
    with pytest.raises(InvalidCommand) as refused:
        service.app.raise_petition(draft(repeat_of=missing), CLERK)
    assert refused.value.field == "repeats"
    assert stored_event_count(service) == count


def test_a_rebuild_and_replay_verify_equal_the_live_views(service: Service) -> None:
    app = service.app
    earlier = closed_satisfied(service, "Cống thoát nước tắc")
    app.raise_petition(draft(raised_on=date(2026, 5, 5), repeat_of=earlier), CLERK)
    open_one = app.raise_petition(draft(summary="Loa truyền thanh hỏng"), CLERK).id
    app.raise_petition(draft(raised_on=date(2026, 5, 6), repeat_of=open_one), CLERK)
    follow(service)
    differences = replay.verify(
        service.views, app.postgres_recorder, app.mapper, service.datastore_for, service.conninfo
    )
    assert differences == []
    before = all_tables(service)
    replay.rebuild(
        service.views, app.recorder, service.open_views, service.conninfo, page_size=2, parts=2
    )
    assert all_tables(service) == before
    assert service.views.backdating.counts_by_type()["RepeatLinked"] == 2


def test_the_audit_chain_covers_a_repeat_s_link(service: Service) -> None:
    """A link is chained as every event is: the log verifies, and the earlier petition it
    names changed behind the service's back is found at its position."""
    app = service.app
    earlier = app.raise_petition(draft(summary="Trạm bơm hỏng"), CLERK).id
    later = app.raise_petition(draft(summary="Trạm bơm lại hỏng"), CLERK).id
    done = app.execute(LinkRepeat(petition_id=later, repeats=earlier), CLERK)
    assert done.position is not None
    catch_up(service.runners, app.recorder, app.mapper)
    report = verify(service)
    assert report.ok, report.lines()
    state = stored(service, done.position)["state"]
    assert earlier.hex.encode() in state
    tamper(
        service,
        "UPDATE {events} SET state = %s WHERE notification_id = %s",
        state.replace(earlier.hex.encode(), later.hex.encode()),
        done.position,
    )
    report = verify(service)
    assert not report.ok
    assert report.first_break is not None and report.first_break.position == done.position
