"""The members' duty on real PostgreSQL: assignments made, changed and ended by the admin
with their history; a cell meeting scheduled without members expecting those assigned; a
cell meeting attended by a committee member raising a petition with channel
``cell_meeting``, which the member's yearly record counts; the calendar, the members
attending none in a month and the cells not visited; refusals that record nothing; the
view rebuilt equal to the live one and covered by ``replay --verify`` and the audit chain."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from psycopg import sql

from audit.verify import verify_database
from domain.actors import Actor, Role
from domain.duty import Duty
from domain.errors import InvalidCommand, NotPermitted
from service.bootstrap import Service
from tests.integration.helpers import AUDITOR, CLERK, COMMITTEE, draft, stored_event_count
from usecases.commands import Context
from usecases.duties import AssignDuty, ChangeDuty, Duties, EndDuty
from usecases.errors import Refused
from usecases.meetings import HoldMeeting, ScheduleMeeting
from workers import replay
from workers.runner import catch_up

ADMIN = Context(Actor("admin-1", Role.ADMIN, name="Quản trị viên"), request_id="req-admin")
THANG = {"code": "cuv-01", "name": "Lò Văn Thắng", "cells": ["yen-lac-thon3"]}
LAN = {"code": "cuv-02", "name": "Hà Thị Lan", "communes": ["yen-phu"]}
TERM = (date(2026, 1, 1), date(2026, 12, 31))


def up_to_date(service: Service) -> None:
    catch_up(service.runners, service.app.recorder, service.app.mapper)


def assigned(service: Service) -> tuple[Duties, UUID, UUID]:
    duties = service.duties
    thang, lan = duties.assign_members([THANG, LAN], *TERM, ADMIN, on=date(2025, 12, 20))
    return duties, thang.id, lan.id


def cell_meeting(service: Service, cell: str, day: date, came: dict[str, str]) -> UUID:
    """A cell meeting of ``cell`` scheduled without members (so those assigned), held on
    ``day`` with each expected member's status as ``came`` says (else absent), and any
    other member ``came`` names."""
    meetings = service.meetings
    up_to_date(service)
    mid = meetings.execute(
        ScheduleMeeting(kind="cell_meeting", cell=cell, scheduled_on=day, on=day), COMMITTEE
    ).id
    expected = meetings.meeting(AUDITOR.actor, mid)["members"]
    attendance = [
        {"role": "committee_member", "person": m, "status": came.get(m, "absent")} for m in expected
    ] + [
        {"role": "committee_member", "person": m, "status": s}
        for m, s in came.items()
        if m not in expected
    ]
    for entry in attendance:
        if entry["status"] == "late":
            entry["minutes_late"] = 10
    meetings.execute(
        HoldMeeting(meeting_id=mid, chair="Bí thư chi bộ", attendance=tuple(attendance), on=day),
        CLERK,
    )
    return mid


def test_assign_change_and_end_with_their_history(service: Service) -> None:
    duties, thang, lan = assigned(service)
    duties.execute(
        ChangeDuty(
            assignment_id=thang,
            effective_on=date(2026, 7, 1),
            cells=("yen-lac-thon3", "yen-lac-thon4"),
            end_on=date(2026, 12, 31),
            reason="Thêm chi bộ Thôn 4",
            on=date(2026, 6, 25),
        ),
        ADMIN,
    )
    duties.execute(
        EndDuty(
            assignment_id=lan, ended_on=date(2026, 9, 30), reason="Nghỉ hưu", on=date(2026, 10, 1)
        ),
        ADMIN,
    )
    up_to_date(service)
    items = duties.assignments(COMMITTEE.actor)["items"]
    assert [(i["member"], i["status"], i["ended_on"]) for i in items] == [
        ("cuv-01", "active", None),
        ("cuv-02", "ended", date(2026, 9, 30)),
    ]
    one = duties.assignment(AUDITOR.actor, thang)
    assert one["spans"] == [
        {
            "start": date(2026, 1, 1),
            "end": date(2026, 6, 30),
            "communes": [],
            "cells": ["yen-lac-thon3"],
        },
        {
            "start": date(2026, 7, 1),
            "end": date(2026, 12, 31),
            "communes": [],
            "cells": ["yen-lac-thon3", "yen-lac-thon4"],
        },
    ]
    assert [(h["type"], h["actor_name"], h["reason"]) for h in one["history"]] == [
        ("Assigned", "Quản trị viên", None),
        ("Changed", "Quản trị viên", "Thêm chi bộ Thôn 4"),
    ]
    assert one["history"][1]["effective_on"] == date(2026, 7, 1)
    stranger = Actor("x", Role.AUDITOR, organisation="elsewhere")
    with pytest.raises(Refused) as refused:
        duties.assignment(stranger, thang)
    assert refused.value.code == "not_found"


def test_refused_commands_record_nothing(service: Service) -> None:
    duties, thang, _ = assigned(service)
    before = stored_event_count(service)
    province_admin = Context(Actor("p", Role.ADMIN, organisation=service.app.province.code))
    attempts: list[tuple[type[Exception], Any, Context]] = [
        (
            Refused,
            AssignDuty(
                member="cuv-9", name="A", cells=("yen-lac-thon1",), start_on=TERM[0], end_on=TERM[1]
            ),
            CLERK,
        ),
        (
            InvalidCommand,
            AssignDuty(
                member="cuv-9", name="A", cells=("no-such-cell",), start_on=TERM[0], end_on=TERM[1]
            ),
            ADMIN,
        ),
        (
            InvalidCommand,
            AssignDuty(
                member="cuv-9", name="A", communes=("no-such",), start_on=TERM[0], end_on=TERM[1]
            ),
            ADMIN,
        ),
        (
            InvalidCommand,
            AssignDuty(member="cuv-9", name="A", start_on=TERM[0], end_on=TERM[1]),
            ADMIN,
        ),
        (
            Refused,
            AssignDuty(
                member="cuv-9", name="A", cells=("yen-lac-thon1",), start_on=TERM[0], end_on=TERM[1]
            ),
            province_admin,
        ),
        (
            InvalidCommand,
            EndDuty(assignment_id=thang, ended_on=date(2027, 3, 1), reason="x"),
            ADMIN,
        ),
        (Refused, EndDuty(assignment_id=UUID(int=3), ended_on=date(2026, 3, 1), reason="x"), ADMIN),
        (
            InvalidCommand,
            ChangeDuty(
                assignment_id=thang,
                effective_on=date(2026, 3, 1),
                cells=("yen-lac-thon3",),
                end_on=TERM[1],
                reason="x",
            ),
            ADMIN,
        ),
    ]
    for error, command, ctx in attempts:
        with pytest.raises(error):
            duties.execute(command, ctx)
    with pytest.raises(NotPermitted):  # the domain's own guard, for the service's processes
        service.app.save(
            Duty.assign(
                organisation="x",
                member="m",
                name="n",
                communes=["a"],
                cells=[],
                start_on=TERM[0],
                end_on=TERM[1],
                stamp=CLERK.stamp(date(2026, 1, 1)),
            )
        )
    assert stored_event_count(service) == before


def test_a_cell_meeting_attended_by_a_member_raises_a_petition_the_record_counts(
    service: Service,
) -> None:
    """The must-show: a cell meeting attended by a committee member raises a petition with
    channel cell_meeting, and the member's record counts it."""
    duties, _, _ = assigned(service)
    march = cell_meeting(service, "yen-lac-thon3", date(2026, 3, 10), {"Lò Văn Thắng": "present"})
    assert service.meetings.meeting(AUDITOR.actor, march)["members"] == ["Lò Văn Thắng"]
    # expected, not attended (another member of the committee came)
    cell_meeting(service, "yen-lac-thon3", date(2026, 4, 10), {"Vì Văn Phong": "present"})
    cell_meeting(service, "yen-phu-thon1", date(2026, 4, 12), {"Hà Thị Lan": "late"})
    pid = service.app.raise_petition(
        draft(
            cell="yen-lac-thon3",
            channel="cell_meeting",
            meeting=str(march),
            member="Lò Văn Thắng",
            raised_on=date(2026, 3, 10),
        ),
        CLERK,
    ).id
    up_to_date(service)
    assert service.app.state(pid)["channel"] == "cell_meeting"
    records = {r["member"]: r for r in duties.records(COMMITTEE.actor, year=2026)["items"]}
    assert records["cuv-01"] == {
        "organisation": records["cuv-01"]["organisation"],
        "member": "cuv-01",
        "name": "Lò Văn Thắng",
        "months_covered": list(range(1, 13)),
        "cell_meetings_expected": 2,
        "cell_meetings_attended": 1,
        "months_without": [1, 2, *range(4, 13)],
        "briefings_expected": 0,
        "briefings_attended": 0,
        "petitions_raised": 1,
    }
    assert (records["cuv-02"]["cell_meetings_attended"], records["cuv-02"]["petitions_raised"]) == (
        1,
        0,
    )
    calendar = duties.calendar(AUDITOR.actor, "cuv-01", year=2026, month=4)
    (thang,) = calendar["members"]
    assert [(m["day"], m["attended"]) for m in thang["meetings"]] == [(date(2026, 4, 10), False)]
    assert thang["months_without"] == ["2026-04"]
    absent = duties.not_attending(CLERK.actor, year=2026, month=4)["items"]
    assert [m["member"] for m in absent] == ["cuv-01"]
    unvisited = duties.unvisited(COMMITTEE.actor, months=3, on=date(2026, 6, 15))["items"]
    cells = {r["cell"]: r["last_visit"] for r in unvisited}
    assert "yen-lac-thon3" not in cells and "yen-phu-thon1" not in cells
    assert "yen-lac-thon1" in cells and cells["yen-lac-thon1"] is None
    later = {
        r["cell"] for r in duties.unvisited(COMMITTEE.actor, months=2, on=date(2026, 7, 1))["items"]
    }
    assert {"yen-lac-thon3", "yen-phu-thon1"} <= later
    with pytest.raises(Refused):
        duties.calendar(AUDITOR.actor, "cuv-77", year=2026)


def test_the_duties_view_rebuilt_equals_the_live_one_and_verify_covers_it(
    service: Service,
) -> None:
    duties, thang, lan = assigned(service)
    duties.execute(
        EndDuty(
            assignment_id=lan,
            ended_on=date(2026, 5, 31),
            reason="Chuyển công tác",
            on=date(2026, 6, 1),
        ),
        ADMIN,
    )
    up_to_date(service)
    view, app = service.views.duties, service.app
    tables = {t: rows(service, view.table(t)) for t in view.tables}
    assert all(tables.values())
    replay.rebuild(
        service.views, app.recorder, service.open_views, service.conninfo, page_size=2, parts=2
    )
    assert {t: rows(service, view.table(t)) for t in view.tables} == tables

    def differences() -> list[str]:
        return replay.verify(
            service.views, app.recorder, app.mapper, service.datastore_for, service.conninfo
        )

    assert differences() == []
    with app.datastore.transaction(commit=True) as curs:
        curs.execute(
            sql.SQL("UPDATE {} SET name = 'Người khác' WHERE assignment_id = %s").format(
                view.table("duty_assignments")
            ),
            (thang,),
        )
    assert any("duty_assignments" in d for d in differences())
    schema = app.datastore.schema
    report = verify_database(service.conninfo, schema, service.chain.signing_key.public_key())  # type: ignore[union-attr]
    assert report.ok and report.events == app.recorder.max_notification_id()


def rows(service: Service, table: sql.Composable) -> list[tuple[object, ...]]:
    with service.app.datastore.transaction(commit=False) as curs:
        curs.execute(sql.SQL("SELECT * FROM {}").format(table))
        return sorted((tuple(r.values()) for r in curs.fetchall()), key=repr)
