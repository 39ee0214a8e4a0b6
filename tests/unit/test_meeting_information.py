"""The information a meeting asks of the departments, without a database: asked once, with
the agenda, due some days before the meeting (never before the day asked); received once,
late after its day; refused out of order, for a department not asked, from a role the
meeting's lifecycle table does not name: each refusal records nothing."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.actors import Actor, Role
from domain.errors import InvalidCommand, MeetingOutOfOrder, NotPermitted
from domain.meeting import MEETING_EVENTS, Meeting
from domain.meeting_information import receive_information, request_information
from tests.unit.test_meeting import AUDITOR, ON, at, briefing, held, types

DEPARTMENT = Actor("dept-1", Role.DEPARTMENT, organisation="huyen", department="kinh-te")
P1, P2, P3 = uuid4(), uuid4(), uuid4()


def with_agenda(issued_on: date = date(2026, 2, 25)) -> Meeting:
    meeting = briefing()
    meeting.issue_agenda(petitions=[P1, P2, P3], stamp=at(issued_on))
    request_information(
        meeting,
        {"kinh-te": [P1, P3], "cong-an": [P2]},
        days_before=2,
        stamp=at(issued_on),
    )
    return meeting


def test_each_department_of_the_agenda_is_asked_due_days_before_the_meeting() -> None:
    meeting = with_agenda()
    assert types(meeting) == [
        "Scheduled",
        "AgendaIssued",
        "InformationRequested",
        "InformationRequested",
    ]
    asked = meeting.information
    assert sorted(asked) == ["cong-an", "kinh-te"]
    assert asked["kinh-te"].petitions == (P1, P3)
    assert asked["kinh-te"].due_on == date(2026, 3, 1) and asked["kinh-te"].requested_on == date(
        2026, 2, 25
    )
    assert {Meeting.InformationRequested, Meeting.InformationReceived} <= MEETING_EVENTS


def test_an_agenda_issued_late_gives_no_due_day_before_it_was_asked() -> None:
    meeting = with_agenda(issued_on=date(2026, 3, 2))
    assert meeting.information["kinh-te"].due_on == date(2026, 3, 2)


def test_information_comes_once_late_after_its_day() -> None:
    meeting = with_agenda()
    receive_information(meeting, department="cong-an", stamp=at(date(2026, 2, 28)))
    receive_information(meeting, department="kinh-te", stamp=at(date(2026, 3, 2), DEPARTMENT))
    events = meeting.collect_events()
    received = [e for e in events if isinstance(e, Meeting.InformationReceived)]
    assert [(e.department, e.late) for e in received] == [("cong-an", False), ("kinh-te", True)]
    assert meeting.information["kinh-te"].late and not meeting.information["cong-an"].late
    with pytest.raises(InvalidCommand, match="came on 2026-03-02 already"):
        receive_information(meeting, department="kinh-te", stamp=at(date(2026, 3, 2)))
    assert meeting.collect_events() == []


def test_information_may_come_after_the_meeting_was_held() -> None:
    meeting = held(with_agenda())
    receive_information(meeting, department="kinh-te", stamp=at(date(2026, 3, 5)))
    assert meeting.information["kinh-te"].received_on == date(2026, 3, 5)


def test_refusals_record_nothing() -> None:
    meeting = with_agenda()
    meeting.collect_events()
    with pytest.raises(InvalidCommand, match="was not asked") as refused:
        receive_information(meeting, department="y-te", stamp=at(date(2026, 2, 28)))
    assert refused.value.field == "department"
    with pytest.raises(NotPermitted):
        receive_information(meeting, department="kinh-te", stamp=at(date(2026, 2, 28), AUDITOR))
    with pytest.raises(MeetingOutOfOrder):  # asked once
        request_information(meeting, {"y-te": [P1]}, days_before=2, stamp=at(date(2026, 2, 28)))
    with pytest.raises(InvalidCommand, match="precedes"):
        receive_information(meeting, department="kinh-te", stamp=at(date(2026, 2, 1)))
    assert meeting.collect_events() == []
    fresh = briefing()
    fresh.collect_events()
    with pytest.raises(MeetingOutOfOrder, match="with the agenda"):
        request_information(fresh, {"y-te": [P1]}, days_before=2, stamp=at(ON))
    with pytest.raises(InvalidCommand):
        receive_information(fresh, department="y-te", stamp=at(ON))
    fresh.cancel(reason="Bão", stamp=at(ON))
    fresh.collect_events()
    with pytest.raises(MeetingOutOfOrder):
        receive_information(fresh, department="y-te", stamp=at(ON))
    assert fresh.collect_events() == []
