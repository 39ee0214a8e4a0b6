"""The application's business-date bounds: every date a command carries (the business date,
a due date, a letter's date, a state's moment), and the policy's day, is within the span
``BusinessDates`` gives, else InvalidCommand (the API's 422) and nothing is recorded; the
earliest is the application's, as the service configures it."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from uuid import UUID

import pytest

from domain.actors import Actor, Role
from domain.calendar import BriefingCalendar, BriefingRule, BusinessDates
from domain.errors import InvalidCommand
from domain.policy import PolicyRules
from domain.reference import Cell, Commune, Department, District, Zone
from usecases.commands import Context, PetitionDraft
from usecases.petitions import Petitions

TODAY = date(2026, 6, 10)
CLERK = Context(Actor("clerk-1", Role.CLERK))
COMMITTEE = Context(Actor("committee-1", Role.COMMITTEE))
ROADS = Context(Actor("roads-head", Role.DEPARTMENT, "roads"))
POLICY = Context(Actor("policy", Role.SYSTEM))


def application(earliest: date = date(2000, 1, 1)) -> Petitions:
    district = District(
        name="Huyện mẫu",
        zones={"k": Zone("k", "Khu", BriefingCalendar(BriefingRule(day=3)))},
        communes={"x": Commune("x", "Xã", "k")},
        cells={"c": Cell("c", "Chi bộ", "x")},
        departments={"roads": Department("roads", "Phòng")},
    )
    return Petitions(
        district,
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        today=lambda: TODAY,
        dates=BusinessDates(earliest=earliest),
    )


def draft(raised_on: date) -> PetitionDraft:
    return PetitionDraft(
        kind="proposal",
        category="transport",
        summary="Đề nghị sửa cầu tràn",
        text="Cầu tràn sạt lở sau lũ.",
        cell="c",
        raised_by="Bí thư",
        channel="written_report",
        raised_on=raised_on,
    )


def head(app: Petitions) -> int:
    return app.recorder.max_notification_id() or 0


def refused(app: Petitions, field: str, command: object, *args: object, **kwargs: object) -> None:
    before = head(app)
    with pytest.raises(InvalidCommand) as error:
        command(*args, **kwargs)  # type: ignore[operator]
    assert error.value.field == field, error.value
    assert head(app) == before


@pytest.mark.parametrize("day", [date.min, date(1, 2, 15), date(1999, 12, 31)])
def test_every_date_of_a_command_before_the_earliest_is_refused(day: date) -> None:
    app = application()
    refused(app, "business_date", app.raise_petition, draft(day), CLERK)
    pid = app.raise_petition(draft(date(2026, 5, 4)), CLERK).id
    refused(app, "business_date", app.assign, pid, COMMITTEE, department="roads", on=day)
    refused(app, "due_on", app.assign, pid, COMMITTEE, department="roads", due_on=day)
    app.assign(pid, COMMITTEE, department="roads", on=date(2026, 5, 5))
    refused(app, "due_on", app.extend_deadline, pid, COMMITTEE, due_on=day, reason="Thêm")
    letter = {"text": "Đã sửa.", "document_number": "1/KT", "signer": "Trưởng phòng"}
    refused(app, "document_date", app.answer_in_writing, pid, ROADS, document_date=day, **letter)
    refused(app, "business_date", app.apply_policy, pid, POLICY, PolicyRules(), on=day)
    moment = datetime.combine(day, datetime.min.time(), timezone(timedelta(hours=14)))
    refused(app, "as_of", app.state, pid, as_of=moment)


@pytest.mark.parametrize("due_on", [date(2101, 1, 1), date(9999, 11, 15), date.max])
def test_due_dates_past_2100_are_refused(due_on: date) -> None:
    app = application()
    pid = app.raise_petition(draft(date(2026, 5, 4)), CLERK).id
    refused(app, "due_on", app.assign, pid, COMMITTEE, department="roads", due_on=due_on)
    app.assign(pid, COMMITTEE, department="roads", due_on=date(2100, 12, 31))
    refused(app, "due_on", app.extend_deadline, pid, COMMITTEE, due_on=due_on, reason="Thêm")


def test_the_earliest_is_the_applications_own() -> None:
    app = application(earliest=date(1995, 7, 1))
    written = app.raise_petition(draft(date(1995, 7, 1)), CLERK)
    assert isinstance(written.id, UUID)
    refused(app, "business_date", app.raise_petition, draft(date(1995, 6, 30)), CLERK)
    # The zone's briefing after 1 July 1995 is due, computed on the calendar.
    app.assign(written.id, COMMITTEE, department="roads", on=date(1995, 7, 1))
    assert app.state(written.id)["due_on"] == date(1995, 8, 3)
