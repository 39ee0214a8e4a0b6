"""The meetings' other reports on real PostgreSQL: the department asked for its information
as the agenda is issued (in the same save), saying late that it came; the people at the
briefing, the notice sent late, the minutes that differ from the petitions linked; the
attendance report as of a moment before the minutes and a back-dated meeting; refusals
that record nothing; the view rebuilt equal to the live one."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from domain.actors import Actor, Role
from domain.errors import InvalidCommand
from service.bootstrap import Service
from tests.integration.helpers import AUDITOR, CLERK, COMMITTEE, INFRA, POLICE, draft
from tests.integration.helpers import stored_event_count as stored
from tests.integration.test_meetings import ATTENDANCE, BRIEFING, MEMBER, briefing_held, up_to_date
from usecases.commands import Context
from usecases.errors import Refused
from usecases.meeting_information import ReceiveInformation
from usecases.meetings import HoldMeeting, RecordMinutes, ScheduleMeeting
from workers import replay

INFRA_CODE = "kinh-te-ha-tang"


def test_the_agenda_asks_its_department_which_says_late_that_it_came(service: Service) -> None:
    meetings, mid, earlier = briefing_held(service)
    state = meetings.meeting(AUDITOR.actor, mid)
    assert state["agenda"] == [earlier]
    history = [e["type"] for e in meetings.history(AUDITOR.actor, mid)]
    assert history[:4] == ["Scheduled", "NoticeSent", "AgendaIssued", "InformationRequested"]
    asked = meetings.history(AUDITOR.actor, mid)[3]
    assert (asked["payload"]["department"], asked["payload"]["due_on"]) == (
        INFRA_CODE,
        date(2026, 11, 1),
    )

    before = stored(service)
    with pytest.raises(Refused):  # the police say nothing of another department's information
        meetings.execute(ReceiveInformation(meeting_id=mid, department=INFRA_CODE), POLICE)
    with pytest.raises(InvalidCommand, match="was not asked"):
        meetings.execute(ReceiveInformation(meeting_id=mid, department="cong-an"), POLICE)
    assert stored(service) == before
    meetings.execute(
        ReceiveInformation(meeting_id=mid, department=INFRA_CODE, on=date(2026, 11, 4)), INFRA
    )
    with pytest.raises(InvalidCommand, match="already"):
        meetings.execute(ReceiveInformation(meeting_id=mid, department=INFRA_CODE), CLERK)
    up_to_date(service)
    found = service.meeting_reports.report(
        COMMITTEE.actor, "information", start=date(2026, 11, 1), end=date(2026, 11, 30)
    )
    (late,) = found["board"]
    assert {k: late[k] for k in ("department", "state", "days_late", "due_on", "petitions")} == {
        "department": INFRA_CODE,
        "state": "late",
        "days_late": 3,
        "due_on": date(2026, 11, 1),
        "petitions": 1,
    }
    (department,) = found["scorecard"]["departments"]
    assert {k: department[k] for k in ("requested", "on_time", "late", "missing")} == {
        "requested": 1,
        "on_time": 0,
        "late": 1,
        "missing": 0,
    }
    assert department["on_time_rate"] == 0.0


def test_people_notices_and_minutes_and_attendance_as_of_before_them(service: Service) -> None:
    meetings, mid, earlier = briefing_held(service)
    app = service.app
    linked = app.raise_petition(
        draft(cell="yen-lac-thon1", raised_on=BRIEFING, meeting=str(mid), summary="Gắn"), CLERK
    ).id
    unlinked = app.raise_petition(
        draft(cell="yen-lac-thon2", raised_on=BRIEFING, meeting="giao ban", summary="Không gắn"),
        CLERK,
    ).id
    elsewhere = app.raise_petition(  # of khu-2: no petition of this briefing
        draft(cell="dong-tam-thon1", raised_on=BRIEFING, meeting="giao ban", summary="Khu 2"),
        CLERK,
    ).id
    up_to_date(service)
    time.sleep(0.01)
    moment = datetime.now(UTC)
    time.sleep(0.01)
    meetings.execute(
        RecordMinutes(
            meeting_id=mid, text="Biên bản", petitions_raised=(linked, earlier), on=BRIEFING
        ),
        CLERK,
    )
    # another briefing, held on a day before the moment but recorded after it
    october = meetings.execute(
        ScheduleMeeting(
            kind="briefing", zone="khu-1", scheduled_on=date(2026, 11, 10), on=date(2026, 11, 5)
        ),
        CLERK,
    ).id
    meetings.execute(
        HoldMeeting(
            meeting_id=october, chair="x", attendance=ATTENDANCE[:1], on=date(2026, 11, 10)
        ),
        CLERK,
    )
    up_to_date(service)
    period = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}
    reports = service.meeting_reports

    people = reports.report(COMMITTEE.actor, "people", **period)
    assert [(r["person"], r["expected"], r["present"], r["rate"]) for r in people["board"]] == [
        (MEMBER, 1, 1, 100.0)
    ]
    notices = reports.report(COMMITTEE.actor, "notices", **period)
    (late,) = notices["board"]  # sent 30 October for 3 November: 4 days of 5
    assert (late["meeting_id"], late["days_before"], late["required_days"]) == (mid, 4, 5)
    (zone,) = notices["scorecard"]["zones"]
    assert {k: zone[k] for k in ("zone", "meetings", "noticed", "late", "held_without_notice")} == {
        "zone": "khu-1",
        "meetings": 2,
        "noticed": 1,
        "late": 1,
        "held_without_notice": 1,
    }
    minutes = reports.report(COMMITTEE.actor, "minutes", **period)
    rows = {r["meeting_id"]: r for r in minutes["board"]}
    assert set(rows) == {mid, october}
    assert (rows[mid]["not_linked"], rows[mid]["not_in_minutes"]) == ([earlier], [])
    assert (
        rows[mid]["raised_not_linked"] == [unlinked]
        and elsewhere not in rows[mid]["raised_not_linked"]
    )
    assert not rows[october]["minuted"]
    (card,) = minutes["scorecard"]["zones"]
    assert {k: card[k] for k in ("held", "without_minutes", "differing", "complete")} == {
        "held": 2,
        "without_minutes": 1,
        "differing": 1,
        "complete": 0,
    }

    now = reports.attendance(COMMITTEE.actor, **period)
    then = reports.attendance(COMMITTEE.actor, as_of=moment, **period)
    assert now["meetings"] == {"held": 2, "notices_late": 1, "without_minutes": 1}
    assert then["meetings"] == {"held": 1, "notices_late": 1, "without_minutes": 1}
    assert [(c["commune"], c["expected"]) for c in now["communes"]] == [
        ("yen-lac", 4),
        ("yen-phu", 1),
    ]
    assert [(c["commune"], c["expected"]) for c in then["communes"]] == [
        ("yen-lac", 3),
        ("yen-phu", 1),
    ]
    assert then["as_of"] == moment
    assert reports.attendance(COMMITTEE.actor, **period)["meetings"] == now["meetings"]


def test_the_reports_rebuilt_equal_the_live_ones(service: Service) -> None:
    meetings, mid, _ = briefing_held(service)
    meetings.execute(ReceiveInformation(meeting_id=mid, department=INFRA_CODE, on=BRIEFING), INFRA)
    up_to_date(service)
    reports = service.meeting_reports
    period = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}
    names = ("people", "notices", "information", "minutes")
    live = {n: reports.report(COMMITTEE.actor, n, **period) for n in names}  # type: ignore[arg-type]
    assert [r["days_late"] for r in live["information"]["board"]] == [2]
    app = service.app
    replay.rebuild(
        service.views, app.recorder, service.open_views, service.conninfo, page_size=3, parts=2
    )
    again = {n: reports.report(COMMITTEE.actor, n, **period) for n in names}  # type: ignore[arg-type]
    assert again == live


def test_a_province_reads_every_organisation_and_one_asked(service: Service) -> None:
    briefing_held(service)
    up_to_date(service)
    province = Context(Actor("p", Role.COMMITTEE, organisation=service.app.province.code))
    reports = service.meeting_reports
    every = reports.report(province.actor, "notices")
    own = service.app.province.only_below()
    assert own is not None
    one = reports.report(province.actor, "notices", organisation=own.code)
    assert every["board"] == one["board"] and len(one["board"]) == 1
    with pytest.raises(InvalidCommand):
        reports.report(CLERK.actor, "notices", organisation="elsewhere")
