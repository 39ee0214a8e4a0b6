"""Meetings on real PostgreSQL: a zone's briefing from scheduling to minutes, with the
petitions raised and verified at it and the attendance report's exact figures; a cell
meeting whose petition the member's record counts; refusals that record nothing; the
meetings' view rebuilt in parts and in a batch equal to the live one; the audit chain over
the meetings' events."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from audit.verify import verify_database
from domain.actors import Actor, Role
from domain.errors import InvalidCommand, MeetingNotFound, MeetingOutOfOrder
from domain.meeting import Meeting
from service.bootstrap import Service
from tests.integration.helpers import (
    AUDITOR,
    CLERK,
    COMMITTEE,
    assigned_to_infra,
    draft,
    stored_event_count,
    write_answer,
)
from usecases.commands import Context
from usecases.errors import Refused
from usecases.meetings import (
    CloseMeeting,
    HoldMeeting,
    IssueAgenda,
    Meetings,
    RecordMinutes,
    ScheduleMeeting,
    SendNotice,
)
from workers import replay
from workers.runner import catch_up

BRIEFING = date(2026, 11, 3)  # khu-1 meets on the 3rd
MEMBER = "Lò Văn Thắng"
OTHER_ZONE_CELL = "dong-tam-thon1"  # of khu-2
ATTENDANCE = (
    {"role": "secretary", "cell": "yen-lac-thon1", "person": "Nguyễn Văn A", "status": "present"},
    {"role": "secretary", "cell": "yen-lac-thon2", "status": "late", "minutes_late": 25},
    {
        "role": "secretary",
        "cell": "yen-lac-thon3",
        "status": "absent",
        "reason": "ốm, có giấy xin phép",
        "excused": True,
    },
    {"role": "secretary", "cell": "yen-phu-thon1", "status": "present"},
    {"role": "committee_member", "person": MEMBER, "status": "present"},
)


def up_to_date(service: Service) -> None:
    app = service.app
    catch_up(service.runners, app.recorder, app.mapper)


def briefing_held(service: Service) -> tuple[Meetings, UUID, UUID]:
    """khu-1's November briefing held, with an answer of October awaiting its verdict:
    the meetings' use cases, the meeting and that petition."""
    meetings, app = service.meetings, service.app
    earlier = assigned_to_infra(app, on=date(2026, 10, 6), raised_on=date(2026, 10, 3)).id
    write_answer(app, earlier, date(2026, 10, 20))
    mid = meetings.execute(
        ScheduleMeeting(
            kind="briefing", zone="khu-1", scheduled_on=BRIEFING, on=date(2026, 10, 25)
        ),
        CLERK,
    ).id
    meetings.execute(
        SendNotice(meeting_id=mid, recipients=("Bí thư chi bộ khu 1",), on=date(2026, 10, 30)),
        CLERK,
    )
    up_to_date(service)
    meetings.execute(IssueAgenda(meeting_id=mid, on=date(2026, 10, 31)), CLERK)
    meetings.execute(
        HoldMeeting(meeting_id=mid, chair="Bí thư Đảng ủy", attendance=ATTENDANCE, on=BRIEFING),
        CLERK,
    )
    return meetings, mid, earlier


def test_a_briefing_from_its_notice_to_its_minutes_and_its_attendance(service: Service) -> None:
    meetings, mid, earlier = briefing_held(service)
    app = service.app
    raised = [
        app.raise_petition(
            draft(cell=cell, raised_on=BRIEFING, meeting=str(mid), summary=f"Ý kiến {i}"), CLERK
        ).id
        for i, cell in enumerate(["yen-lac-thon1", "yen-phu-thon1"])
    ]
    app.verify(earlier, CLERK, verdict="satisfied", meeting=str(mid), on=BRIEFING)
    meetings.execute(
        RecordMinutes(
            meeting_id=mid,
            text="Hội nghị giao ban tháng 11 khu 1.",
            petitions_raised=tuple(raised),
            answers_read=(earlier,),
            verdicts=((earlier, "satisfied"),),
            on=BRIEFING,
        ),
        CLERK,
    )
    meetings.execute(CloseMeeting(meeting_id=mid, on=BRIEFING), COMMITTEE)
    up_to_date(service)

    state = meetings.meeting(AUDITOR.actor, mid)
    assert state["status"] == "closed"
    assert earlier in state["agenda"]  # the packet's: the answer awaiting its verdict
    assert state["notices"][0]["days_before"] == 4 and state["notices"][0]["late"] is True
    assert sorted(p["petition_id"] for p in state["linked_petitions"]) == sorted(raised)
    assert [v["petition_id"] for v in state["linked_verdicts"]] == [earlier]
    assert app.state(raised[0])["meeting_id"] == mid
    assert app.state(earlier)["verifications"][-1]["meeting_id"] == mid

    report = meetings.attendance(COMMITTEE.actor, start=date(2026, 11, 1), end=date(2026, 11, 30))
    cells = {c["cell"]: c for c in report["cells"]}
    assert {k: cells["yen-lac-thon2"][k] for k in ("expected", "present", "late")} == {
        "expected": 1,
        "present": 0,
        "late": 1,
    }
    assert cells["yen-lac-thon2"]["minutes_late"] == 25
    assert (cells["yen-lac-thon3"]["absent_excused"], cells["yen-lac-thon3"]["rate"]) == (1, 0.0)
    communes = {c["commune"]: c for c in report["communes"]}
    assert {
        k: communes["yen-lac"][k]
        for k in ("expected", "present", "late", "absent_excused", "absent_unexcused", "rate")
    } == {
        "expected": 3,
        "present": 1,
        "late": 1,
        "absent_excused": 1,
        "absent_unexcused": 0,
        "rate": 66.7,
    }
    assert communes["yen-phu"]["rate"] == 100.0
    (whole,) = report["organisations"]
    assert (whole["expected"], whole["present"], whole["late"]) == (4, 2, 1)
    assert report["meetings"] == {"held": 1, "notices_late": 1, "without_minutes": 0}
    (member,) = report["members"]
    assert member["member"] == MEMBER and member["briefings_attended"] == 1
    assert (member["cell_meetings_attended"], member["petitions_raised"]) == (0, 0)
    october = meetings.attendance(AUDITOR.actor, start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert october["cells"] == [] and october["meetings"]["held"] == 0


def test_a_cell_meeting_s_petition_counts_in_the_member_s_record(service: Service) -> None:
    meetings, app = service.meetings, service.app
    mid = meetings.execute(
        ScheduleMeeting(
            kind="cell_meeting",
            cell="yen-lac-thon3",
            members=(MEMBER, "Hà Thị Lan"),
            scheduled_on=date(2026, 11, 10),
            on=date(2026, 11, 1),
        ),
        COMMITTEE,
    ).id
    attendance = (
        {"role": "committee_member", "person": MEMBER, "status": "present"},
        {"role": "committee_member", "person": "Hà Thị Lan", "status": "absent"},
    )
    meetings.execute(
        HoldMeeting(
            meeting_id=mid, chair="Bí thư chi bộ", attendance=attendance, on=date(2026, 11, 10)
        ),
        CLERK,
    )
    cell_draft = draft(
        cell="yen-lac-thon3",
        channel="cell_meeting",
        meeting=str(mid),
        member=MEMBER,
        raised_on=date(2026, 11, 10),
    )
    pid = app.raise_petition(cell_draft, CLERK).id
    before = stored_event_count(service)
    with pytest.raises(InvalidCommand, match="did not attend"):
        app.raise_petition(
            draft(
                cell="yen-lac-thon3",
                channel="cell_meeting",
                meeting=str(mid),
                member="Hà Thị Lan",
                raised_on=date(2026, 11, 10),
            ),
            CLERK,
        )
    with pytest.raises(InvalidCommand, match="its cell's meeting"):
        app.raise_petition(
            draft(
                cell="yen-lac-thon1",
                channel="cell_meeting",
                meeting=str(mid),
                member=MEMBER,
                raised_on=date(2026, 11, 10),
            ),
            CLERK,
        )
    assert stored_event_count(service) == before
    up_to_date(service)
    assert app.state(pid)["channel"] == "cell_meeting" and app.state(pid)["member"] == MEMBER
    members = {m["member"]: m for m in meetings.attendance(AUDITOR.actor)["members"]}
    assert members[MEMBER] == {
        "organisation": members[MEMBER]["organisation"],
        "member": MEMBER,
        "cell_meetings_expected": 1,
        "cell_meetings_attended": 1,
        "briefings_expected": 0,
        "briefings_attended": 0,
        "petitions_raised": 1,
    }
    assert members["Hà Thị Lan"]["cell_meetings_attended"] == 0
    assert members["Hà Thị Lan"]["petitions_raised"] == 0


def test_refusals_record_nothing(service: Service) -> None:
    meetings = service.meetings
    mid = meetings.execute(
        ScheduleMeeting(
            kind="briefing", zone="khu-1", scheduled_on=BRIEFING, on=date(2026, 10, 25)
        ),
        CLERK,
    ).id
    before = stored_event_count(service)
    attempts: list[tuple[type[Exception], Any]] = [
        (MeetingOutOfOrder, RecordMinutes(meeting_id=mid, text="Biên bản", on=BRIEFING)),
        (MeetingOutOfOrder, CloseMeeting(meeting_id=mid, on=BRIEFING)),
        (Refused, SendNotice(meeting_id=mid, recipients=("x",))),  # an auditor's
        (MeetingNotFound, CloseMeeting(meeting_id=UUID(int=7))),
        (InvalidCommand, IssueAgenda(meeting_id=mid, petitions=(UUID(int=9),))),
        (
            InvalidCommand,
            HoldMeeting(
                meeting_id=mid,
                chair="x",
                attendance=({"role": "secretary", "cell": "no-such-cell", "status": "present"},),
                on=BRIEFING,
            ),
        ),
        (
            InvalidCommand,
            HoldMeeting(
                meeting_id=mid,
                chair="x",
                attendance=({"role": "secretary", "cell": OTHER_ZONE_CELL, "status": "present"},),
                on=BRIEFING,
            ),
        ),
    ]
    for error, command in attempts:
        ctx = AUDITOR if isinstance(command, SendNotice) else CLERK
        with pytest.raises(error):
            meetings.execute(command, ctx)
    with pytest.raises(InvalidCommand, match="not held"):
        service.app.raise_petition(draft(raised_on=BRIEFING, meeting=str(mid)), CLERK)
    with pytest.raises(InvalidCommand, match="no meeting"):
        service.app.raise_petition(draft(raised_on=BRIEFING, meeting=str(UUID(int=5))), CLERK)
    assert stored_event_count(service) == before


def test_another_organisation_s_meeting_does_not_exist_to_its_users(service: Service) -> None:
    meetings = service.meetings
    mid = meetings.execute(
        ScheduleMeeting(kind="briefing", scheduled_on=BRIEFING, on=date(2026, 10, 25)), CLERK
    ).id
    stranger = Context(Actor("x", Role.AUDITOR, organisation="elsewhere"))
    with pytest.raises(MeetingNotFound):
        meetings.meeting(stranger.actor, mid)
    with pytest.raises(Refused):
        meetings.execute(
            ScheduleMeeting(kind="briefing", scheduled_on=BRIEFING),
            Context(Actor("p", Role.CLERK, organisation=service.app.province.code)),
        )


def test_the_meetings_view_rebuilt_equals_the_live_one(service: Service) -> None:
    _, mid, earlier = briefing_held(service)
    service.app.raise_petition(draft(raised_on=BRIEFING, meeting=str(mid)), CLERK)
    service.app.verify(earlier, CLERK, verdict="unsatisfied", meeting=str(mid), on=BRIEFING)
    up_to_date(service)
    view = service.views.meetings
    tables = {t: rows(service, view.table(t)) for t in view.tables}
    assert all(tables.values()), {t: len(r) for t, r in tables.items()}
    app = service.app
    replay.rebuild(
        service.views, app.recorder, service.open_views, service.conninfo, page_size=7, parts=3
    )
    assert {t: rows(service, view.table(t)) for t in view.tables} == tables
    view.drop()
    view.create_table()
    view.begin_batch(flush_every=5)  # a catch-up in batch mode, rows kept across pages
    try:
        catch_up([view], app.recorder, app.mapper, page_size=4)
    finally:
        view.end_batch()
    assert {t: rows(service, view.table(t)) for t in view.tables} == tables


def test_replay_verify_covers_the_meetings_view(service: Service) -> None:
    _, mid, _ = briefing_held(service)
    up_to_date(service)
    app = service.app

    def differences() -> list[str]:
        return replay.verify(
            service.views, app.recorder, app.mapper, service.datastore_for, service.conninfo
        )

    assert differences() == []
    attendance = service.views.meetings.table("meeting_attendance")
    with app.datastore.transaction(commit=True) as curs:
        curs.execute(
            sql.SQL("UPDATE {} SET status = 'present' WHERE attendee = %s").format(attendance),
            ("secretary:yen-lac-thon3",),
        )
    found = differences()
    assert any("meeting_attendance: only in the live view" in d for d in found), found
    assert mid


def test_the_audit_chain_covers_the_meetings_events(service: Service) -> None:
    briefing_held(service)
    up_to_date(service)
    schema = service.app.datastore.schema
    report = verify_database(service.conninfo, schema, service.chain.signing_key.public_key())  # type: ignore[union-attr]
    assert report.ok, report.lines()
    assert report.events == service.app.recorder.max_notification_id()
    with service.app.datastore.transaction(commit=False) as curs:
        curs.execute(
            f'SELECT count(*) AS n FROM "{schema}".petitions_events WHERE topic LIKE %s',
            ("domain.meeting:Meeting.%",),
        )
        found = curs.fetchone()
    # scheduled, noticed, its agenda issued with its request for information, held
    assert found is not None and found["n"] == 5
    with psycopg.connect(service.conninfo, autocommit=True) as conn:
        position, state = conn.execute(
            sql.SQL(
                "SELECT notification_id, state FROM {} WHERE topic LIKE %s"
                " ORDER BY notification_id DESC LIMIT 1"
            ).format(sql.Identifier(schema, "petitions_events")),
            ("domain.meeting:Meeting.Held",),
        ).fetchone() or (0, b"")
        held = json.loads(bytes(state))
        held["chair"] = "Người khác"  # the minutes' chair rewritten behind the service's back
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            sql.SQL("UPDATE {} SET state = %s WHERE notification_id = %s").format(
                sql.Identifier(schema, "petitions_events")
            ),
            (json.dumps(held).encode(), position),
        )
    report = verify_database(service.conninfo, schema, service.chain.signing_key.public_key())  # type: ignore[union-attr]
    assert not report.ok
    assert report.first_break.position == position  # type: ignore[union-attr]


def rows(service: Service, table: sql.Composable) -> list[tuple[object, ...]]:
    with service.app.datastore.transaction(commit=False) as curs:
        curs.execute(sql.SQL("SELECT * FROM {}").format(table))
        return sorted((tuple(r.values()) for r in curs.fetchall()), key=repr)


def test_the_attendance_report_equals_a_count_of_the_held_events(service: Service) -> None:
    """Briefings of two zones over four months with random attendance: the report's
    figures per cell, commune and member are those counted from the Held events alone."""
    rng = random.Random(19)
    meetings, reference = service.meetings, service.app.district
    cells = {
        zone: sorted(c for c in reference.cells if reference.zone_of_cell(c).code == zone)[:6]
        for zone in ("khu-1", "khu-2")
    }
    for month in range(6, 10):
        for zone, zone_cells in cells.items():
            day = date(2026, month, 3 if zone == "khu-1" else 5)
            mid = meetings.execute(
                ScheduleMeeting(kind="briefing", zone=zone, scheduled_on=day, on=day), CLERK
            ).id
            attendance: list[dict[str, Any]] = []
            for cell in zone_cells:
                status = rng.choice(["present", "present", "present", "late", "absent"])
                entry: dict[str, Any] = {"role": "secretary", "cell": cell, "status": status}
                if status == "late":
                    entry["minutes_late"] = rng.randint(5, 60)
                if status == "absent" and rng.random() < 0.5:
                    entry |= {"excused": True, "reason": "Có việc gia đình"}
                attendance.append(entry)
            for member in ("Ủy viên A", "Ủy viên B"):
                status = rng.choice(["present", "absent"])
                attendance.append({"role": "committee_member", "person": member, "status": status})
            meetings.execute(
                HoldMeeting(meeting_id=mid, chair="Chủ trì", attendance=tuple(attendance), on=day),
                CLERK,
            )
    up_to_date(service)

    counted: dict[str, Counter[str]] = {}
    members: Counter[str] = Counter()
    for notification in service.app.recorder.select_notifications(1, 10_000):
        event = service.app.mapper.to_domain_event(notification)
        if not isinstance(event, Meeting.Held):
            continue
        for entry in event.attendance:
            if entry["role"] == "committee_member":
                members[entry["person"]] += entry["status"] != "absent"
                continue
            figures = counted.setdefault(entry["cell"], Counter())
            figures["expected"] += 1
            key = entry["status"]
            if key == "absent":
                key = "absent_excused" if entry.get("excused") else "absent_unexcused"
            figures[key] += 1
            figures["minutes_late"] += entry.get("minutes_late", 0)
    report = meetings.attendance(AUDITOR.actor)
    names = ("expected", "present", "late", "absent_excused", "absent_unexcused", "minutes_late")
    assert {c["cell"]: {k: c[k] for k in names} for c in report["cells"]} == {
        cell: {k: figures[k] for k in names} for cell, figures in counted.items()
    }
    assert sum(c["expected"] for c in report["communes"]) == 4 * 12
    assert {m["member"]: m["briefings_attended"] for m in report["members"]} == dict(members)
    assert report["meetings"]["held"] == 8 and report["meetings"]["without_minutes"] == 8
