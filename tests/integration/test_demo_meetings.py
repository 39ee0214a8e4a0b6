"""The demo district's year of meetings (``service.demo_meetings``), recorded through the
application: the attendance report equals the figures added up here, independently, from
the meetings' own events as the event store holds them (not from the read model nor its
SQL), per secretary, cell, commune, organisation and committee member; the member who
stops attending shows it, every other member attended a cell meeting every month; the
petitions and verdicts name the meetings the service keeps; and ``replay --verify`` finds
the views equal to a rebuild."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from math import floor
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from cli.summary import catch_up_all, catch_up_packet
from domain.actors import Actor, Role
from domain.meeting import Meeting
from domain.petition import Petition
from domain.vocabulary import Attendance, AttendeeRole, MeetingKind
from projections.meetings import Period
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo import DEMO_SEED
from service.demo_meetings import Year, committee_members, make_year
from service.demo_year import run_year
from tests.conftest import settings_in
from workers import replay

END = date(2026, 11, 30)
FIGURES = ("expected", "present", "late", "absent_excused", "absent_unexcused", "minutes_late")


@dataclass
class Recorded:
    service: Service
    year: Year
    ids: dict[int, UUID]
    events: list[Any] = field(default_factory=list)


@pytest.fixture(scope="module")
def recorded(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    service = bootstrap(
        settings_in(tmp_path_factory.mktemp("demo-meetings")),
        database=database,
        schema=schema,
        seed=DEMO_SEED,
    )
    try:
        year = make_year(service.app.district, END)
        ids = run_year(service, year, lambda: catch_up_packet(service))
        catch_up_all(service)
        found = Recorded(service, year, ids, stored_events(service))
        yield found
    finally:
        service.close()
        with psycopg.connect(database.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def stored_events(service: Service) -> list[Any]:
    """Every event of the log, read back from the event store and decoded."""
    app, events, start = service.app, [], 1
    while page := app.recorder.select_notifications(start=start, limit=2000):
        events += [app.mapper.to_domain_event(n) for n in page]
        start = page[-1].id + 1
    return events


def rate(attended: int, expected: int) -> float | None:
    """Attended of expected in per cent, half up to one decimal, reckoned here."""
    if not expected:
        return None
    return floor(Fraction(attended * 1000, expected) + Fraction(1, 2)) / 10


def added_up(events: list[Any], since: date | None = None) -> dict[str, Any]:
    """The attendance report of the meetings held ``since`` (None: all), from the
    meetings' and petitions' events alone."""

    def within(e: Any) -> bool:
        return since is None or e.business_date >= since

    scheduled = {e.originator_id: e for e in events if isinstance(e, Meeting.Scheduled)}
    held = {e.originator_id: e for e in events if isinstance(e, Meeting.Held) and within(e)}
    minuted = {e.originator_id for e in events if isinstance(e, Meeting.MinutesRecorded)}
    last_notice: dict[UUID, Meeting.NoticeSent] = {}
    for e in events:
        if isinstance(e, Meeting.NoticeSent):
            last_notice[e.originator_id] = e
    groups: dict[str, dict[tuple[Any, ...], dict[str, int]]] = defaultdict(dict)
    members: dict[tuple[str, str], dict[str, int]] = {}

    def count(table: str, key: tuple[Any, ...], entry: dict[str, Any]) -> None:
        row = groups[table].setdefault(key, dict.fromkeys(FIGURES, 0))
        row["expected"] += 1
        status = entry["status"]
        if status == "absent":
            row["absent_excused" if entry.get("excused") else "absent_unexcused"] += 1
        else:
            row[status] += 1
        row["minutes_late"] += entry.get("minutes_late", 0)

    for mid, e in held.items():
        meeting = scheduled[mid]
        org = meeting.organisation
        for entry in e.attendance:
            if entry["role"] == "secretary" and meeting.kind == "briefing":
                commune, cell = entry["commune"], entry["cell"]
                count("secretaries", (org, commune, cell, entry.get("person")), entry)
                count("cells", (org, commune, cell), entry)
                count("communes", (org, commune), entry)
                count("organisations", (org,), entry)
            elif entry["role"] == "committee_member":
                kind = "cell_meetings" if meeting.kind == "cell_meeting" else "briefings"
                row = members.setdefault(
                    (org, entry["person"]),
                    dict.fromkeys(
                        (
                            f"{k}_{w}"
                            for k in ("cell_meetings", "briefings")
                            for w in ("expected", "attended")
                        ),
                        0,
                    )
                    | {"petitions_raised": 0},
                )
                row[f"{kind}_expected"] += 1
                row[f"{kind}_attended"] += entry["status"] != "absent"
    for e in events:
        if (
            isinstance(e, Petition.Raised)
            and e.channel == "cell_meeting"
            and e.member
            and within(e)
        ):
            members[(e.organisation, e.member)]["petitions_raised"] += 1
    names = {
        "secretaries": ("organisation", "commune", "cell", "person"),
        "cells": ("organisation", "commune", "cell"),
        "communes": ("organisation", "commune"),
        "organisations": ("organisation",),
    }
    report: dict[str, Any] = {
        table: [
            dict(zip(names[table], key, strict=True))
            | row
            | {"rate": rate(row["present"] + row["late"], row["expected"])}
            for key, row in sorted(groups[table].items())
        ]
        for table in names
    }
    report["members"] = [
        {"organisation": org, "member": person} | row
        for (org, person), row in sorted(members.items())
    ]
    report["meetings"] = {
        "held": len(held),
        "notices_late": sum(last_notice[m].late for m in held if m in last_notice),
        "without_minutes": len(held.keys() - minuted),
    }
    return report


def plain(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {k: v if isinstance(v, str | float | None) else int(v) for k, v in r.items()} for r in rows
    ]


def test_the_attendance_report_equals_the_meetings_events(recorded: Recorded) -> None:
    expected = added_up(recorded.events)
    report = recorded.service.views.meetings.attendance(Period())
    for table in ("secretaries", "cells", "communes", "organisations", "members"):
        assert plain(report[table]) == expected[table], table
    assert report["meetings"] == expected["meetings"]
    # A year of it: 4 zones' briefings with every cell's secretary, and every member.
    assert len(expected["cells"]) == len(recorded.service.app.district.cells)
    assert {m["member"] for m in expected["members"]} == {m.name for m in committee_members()}
    (whole,) = expected["organisations"]
    assert whole["late"] and whole["absent_excused"] and whole["absent_unexcused"]
    assert whole["present"] > 0.75 * whole["expected"]
    assert expected["meetings"]["notices_late"] > 0
    assert expected["meetings"]["without_minutes"] == 2


def test_the_report_of_a_period_equals_its_meetings_events(recorded: Recorded) -> None:
    """From the day the member stops: his record is of absences only."""
    assert recorded.year.stopped is not None
    stopper, since = recorded.year.stopped
    expected = added_up(recorded.events, since)
    report = recorded.service.views.meetings.attendance(Period(start=since))
    for table in ("secretaries", "cells", "communes", "organisations", "members"):
        assert plain(report[table]) == expected[table], table
    assert report["meetings"] == expected["meetings"]
    (his,) = [m for m in expected["members"] if m["member"] == stopper]
    assert his["cell_meetings_expected"] >= 4
    assert (his["cell_meetings_attended"], his["petitions_raised"]) == (0, 0)


def test_the_year_is_the_same_for_the_same_seed_and_end(recorded: Recorded) -> None:
    district = recorded.service.app.district
    again = make_year(district, END)
    assert [(m.on, m.meeting, m.command, m.args) for m in again.meetings] == [
        (m.on, m.meeting, m.command, m.args) for m in recorded.year.meetings
    ]
    assert [(s.on, s.petition, s.order, s.command) for s in again.plan.steps] == [
        (s.on, s.petition, s.order, s.command) for s in recorded.year.plan.steps
    ]
    other = make_year(district, END, seed=7)
    assert [m.args for m in other.meetings] != [m.args for m in recorded.year.meetings]


def test_every_member_attends_each_month_but_the_one_who_stops(recorded: Recorded) -> None:
    scheduled = {e.originator_id: e for e in recorded.events if isinstance(e, Meeting.Scheduled)}
    months: dict[str, set[tuple[int, int]]] = defaultdict(set)
    expected_after: dict[str, int] = defaultdict(int)
    assert recorded.year.stopped is not None
    stopper, since = recorded.year.stopped
    for e in recorded.events:
        if isinstance(e, Meeting.Held) and scheduled[e.originator_id].kind == "cell_meeting":
            for entry in e.attendance:
                if entry["role"] != "committee_member":
                    continue
                day = e.business_date
                if entry["status"] != "absent":
                    months[entry["person"]].add((day.year, day.month))
                elif day >= since:
                    expected_after[entry["person"]] += 1
    year_months = {
        (d.year, d.month)
        for d in (
            e.business_date
            for e in recorded.events
            if isinstance(e, Meeting.Held) and scheduled[e.originator_id].kind == "cell_meeting"
        )
    }
    for member in committee_members():
        if member.name == stopper:
            assert months[member.name]
            assert max(months[member.name]) <= (since.year, since.month)
            assert expected_after[member.name] >= 4
        else:
            assert months[member.name] == year_months, member.name
    assert set(expected_after) == {stopper}


def test_petitions_and_verdicts_name_the_meetings_kept(recorded: Recorded) -> None:
    kinds = {e.originator_id: e.kind for e in recorded.events if isinstance(e, Meeting.Scheduled)}
    raised = [e for e in recorded.events if isinstance(e, Petition.Raised)]
    assert len(raised) == recorded.year.plan.petitions
    assert all(
        e.meeting_id is not None
        and kinds[e.meeting_id] == ("cell_meeting" if e.channel == "cell_meeting" else "briefing")
        for e in raised
    )
    assert sum(e.channel == "cell_meeting" for e in raised) >= 20
    verified = [e for e in recorded.events if isinstance(e, Petition.Verified)]
    assert verified and all(kinds.get(e.meeting_id) == "briefing" for e in verified)
    linked = recorded.service.views.meetings.linked(raised[0].meeting_id)
    assert raised[0].originator_id in {r["petition_id"] for r in linked["raised"]}


def test_replay_verify_is_clean_after_the_demo(recorded: Recorded) -> None:
    service = recorded.service
    app = service.app
    assert (
        replay.verify(
            service.views, app.recorder, app.mapper, service.datastore_for, service.conninfo
        )
        == []
    )


def test_the_members_duty_holds_the_demo_members_and_the_one_who_stops(
    recorded: Recorded,
) -> None:
    """The admin assigned each seed member for the year; the yearly record counts each
    member's cell meetings attended as the meetings' events hold them, and the member who
    stops has months without one that no other member has."""
    service, year = recorded.service, recorded.year
    attended: dict[str, int] = defaultdict(int)
    cell_meetings = {
        e.originator_id
        for e in recorded.events
        if isinstance(e, Meeting.Scheduled) and e.kind == MeetingKind.CELL_MEETING
    }
    for e in recorded.events:
        if isinstance(e, Meeting.Held) and e.originator_id in cell_meetings:
            for entry in e.attendance:
                member = entry.get("role") == AttendeeRole.COMMITTEE_MEMBER
                if member and entry["status"] != Attendance.ABSENT:
                    attended[entry.get("person") or ""] += 1
    auditor = service.app.province.only_below()
    assert auditor is not None
    reader = Actor("kiem-toan", Role.AUDITOR, organisation=auditor.code)
    items: dict[str, dict[str, Any]] = {}
    for y in sorted({s.on.year for s in year.steps()}):
        for item in service.duties.records(reader, year=y)["items"]:
            row = items.setdefault(item["name"], {"attended": 0, "months_without": 0})
            row["attended"] += item["cell_meetings_attended"]
            row["months_without"] += len(item["months_without"])
    assert set(items) == {m.name for m in year.members}
    assert {name: row["attended"] for name, row in items.items()} == {
        m.name: attended[m.name] for m in year.members
    }
    assert year.stopped is not None
    stopper = year.stopped[0]
    assert items[stopper]["months_without"] > 0
    # the others miss at most the months the plan's 30-day months skip (the calendar's
    # first and last); the one who stops misses every month after he stops as well
    others = [row["months_without"] for name, row in items.items() if name != stopper]
    assert max(others) <= 2
    assert items[stopper]["months_without"] >= max(others) + 3
