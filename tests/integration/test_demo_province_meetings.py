"""The province demo's year of meetings (what ``make run`` records): each commune's own
committee members, assigned by its admin to every cell of the commune, attend cell
meetings there; the duty's yearly record counts each member's cell meetings as the
meetings' events hold them, and the petitions raised at them name the member."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

import psycopg
import pytest
from psycopg import sql

from cli.summary import catch_up_all, catch_up_packet
from domain.actors import Actor, Role
from domain.meeting import Meeting
from domain.petition import Petition
from domain.vocabulary import Attendance, AttendeeRole, Channel, MeetingKind
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo_meetings import Year, organisation_members, province_year
from service.demo_province import PROVINCE_SEED, make_province_plan
from service.demo_year import run_year
from tests.conftest import SCHEMAS_USED, settings_in
from tests.integration.test_demo_meetings import stored_events

END = date(2026, 10, 31)


@pytest.fixture(scope="module")
def recorded(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, Year, list[object]]]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    SCHEMAS_USED.append(schema)
    settings = settings_in(tmp_path_factory.mktemp("province-meetings"))
    service = bootstrap(settings, database=database, schema=schema, seed=PROVINCE_SEED)
    try:
        province = service.app.province
        year = province_year(province, make_province_plan(province, END), END)
        run_year(service, year, lambda: catch_up_packet(service))
        catch_up_all(service)
        yield service, year, stored_events(service)
    finally:
        service.close()
        with psycopg.connect(database.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def test_each_communes_members_are_its_seeds_and_attend_its_cells(
    recorded: tuple[Service, Year, list[object]],
) -> None:
    service, year, events = recorded
    seeded = organisation_members()
    assert seeded, "the province seed lists committee members"
    assert {(m.organisation, m.name) for m in year.members} == {
        (code, m.name) for code, members in seeded.items() for m in members
    }
    kinds = {e.originator_id: e for e in events if isinstance(e, Meeting.Scheduled)}
    attended: dict[tuple[str, str], int] = defaultdict(int)
    for e in events:
        scheduled = kinds.get(getattr(e, "originator_id", None))  # type: ignore[arg-type]
        if not isinstance(e, Meeting.Held) or scheduled is None:
            continue
        if scheduled.kind != MeetingKind.CELL_MEETING:
            continue
        for entry in e.attendance:
            member = entry.get("role") == AttendeeRole.COMMITTEE_MEMBER
            if member and entry["status"] != Attendance.ABSENT:
                attended[(scheduled.organisation, entry["person"])] += 1
    for code, members in seeded.items():
        reader = Actor("kiem-toan", Role.AUDITOR, organisation=code)
        counted: dict[str, int] = defaultdict(int)
        for y in (END.year - 1, END.year):
            for item in service.duties.records(reader, year=y)["items"]:
                counted[item["name"]] += item["cell_meetings_attended"]
        assert dict(counted) == {m.name: attended[(code, m.name)] for m in members}
        assert all(counted[m.name] > 0 for m in members), code


def test_petitions_raised_at_a_communes_cell_meeting_name_an_attending_member(
    recorded: tuple[Service, Year, list[object]],
) -> None:
    _, year, events = recorded
    names = {(m.organisation, m.name) for m in year.members}
    raised = [
        e
        for e in events
        if isinstance(e, Petition.Raised) and e.channel == Channel.CELL_MEETING
    ]
    assert raised
    assert {(e.organisation, e.member) for e in raised} <= names
