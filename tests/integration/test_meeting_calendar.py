"""The cells' calendars and the calendars' periods in PostgreSQL: loaded from the seed and
read back whole, changed by the admin with their history; due dates after the cell's next
meeting where the organisation says so (recorded in the assignment's event, so a changed
calendar moves none); and a period's meetings scheduled from the calendar once each, a
refusal scheduling nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from domain.errors import InvalidCommand
from domain.vocabulary import MeetingKind
from service.bootstrap import Service
from service.demo import DEMO_SEED
from stores.province_seed import SeedError
from tests.integration.helpers import CLERK, COMMITTEE, draft, stored_event_count
from tests.integration.test_meetings import up_to_date
from tests.integration.test_reference_admin import ADMIN, rows
from tests.integration.test_reference_seed import PROVINCE_SEED, empty, row_counts
from usecases.meeting_calendar import MeetingCalendar, ScheduleFromCalendar
from usecases.meetings import ScheduleMeeting
from usecases.reference_form import Refusal

D = date
__all__ = ["empty"]  # the fixture of a service without reference data


def written(tmp_path: Path, seed: dict[str, Any], name: str = "seed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    return path


def province_seed() -> dict[str, Any]:
    seed = json.loads(PROVINCE_SEED.read_text(encoding="utf-8"))
    seed["province"]["cell_meeting_exceptions"] = [
        {"scheduled": "2026-02-03", "held_on": "2026-02-24", "note": "sau Tết"}
    ]
    commune = next(o for o in seed["organisations"] if o["code"] == "xa-hoa-binh")
    commune["cell_meeting_rule"] = "day:5;every:2:2026-01"
    commune["cell_meeting_exceptions"] = [{"scheduled": "2026-03-05", "held_on": None}]
    commune["due_after"] = "cell_meeting"
    commune["cells"][0]["cell_meeting_rule"] = "weekday:0:1;months:12,6"
    return seed


def test_the_cells_calendars_are_loaded_from_the_seed_and_read_back_whole(
    empty: Service, tmp_path: Path
) -> None:
    seed = province_seed()
    cell = seed["organisations"][2]["cells"][0]["code"]
    empty.reference.load_seed(written(tmp_path, seed))
    province = empty.reference.load_province()
    commune = province.reference("xa-hoa-binh")
    own = commune.cell_meetings.organisation
    assert own is not None and not commune.cell_meetings.inherited
    assert str(own.rule) == "day:5;every:2:2026-01"
    assert own.cancelled == frozenset({D(2026, 3, 5)})
    assert commune.due_after == "cell_meeting"
    kept = commune.cell_calendar(cell)
    assert kept is not None and str(kept.rule) == "weekday:0:1;months:6,12"
    assert kept.rule.label() == "thứ Hai đầu tiên của tháng 6 và tháng 12"
    other = commune.cell_calendar(next(c for c in commune.cells if c != cell))
    assert other is own
    # an organisation without a rule of its own meets by the province's, with its exceptions
    ward = province.reference("phuong-yen-hoa")
    assert ward.cell_meetings.inherited and ward.due_after == "briefing"
    assert ward.cell_meetings.organisation is not None
    assert ward.cell_meetings.organisation.held(2026, 2) == D(2026, 2, 24)
    assert ward.cell_meetings.organisation.held(2026, 3) == D(2026, 3, 3)
    # loaded again, the same
    before = row_counts(empty)
    empty.reference.load_seed(written(tmp_path, seed))
    assert row_counts(empty) == before
    assert empty.reference.load_province().reference("xa-hoa-binh") == commune


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        ({"cell_meeting_rule": "day:3;months:13"}, "briefing rule 'day:3;months:13'"),
        (
            {
                "cell_meeting_rule": "day:3",
                "cell_meeting_exceptions": [{"scheduled": "2026-03-04"}],
            },
            "2026-03-04 is no day of the rule 'day:3'",
        ),
        ({"cell_meeting_exceptions": [{"scheduled": "2026-03-03"}]}, "exceptions without a rule"),
    ],
)
def test_a_seed_with_a_wrong_cells_calendar_is_refused_whole(
    empty: Service, tmp_path: Path, change: dict[str, Any], fault: str
) -> None:
    empty.reference.load_seed(PROVINCE_SEED)
    before = row_counts(empty)
    seed = json.loads(PROVINCE_SEED.read_text(encoding="utf-8"))
    seed["organisations"][1] |= change
    with pytest.raises(SeedError) as refused:
        empty.reference.load_seed(written(tmp_path, seed))
    assert len(refused.value.faults) == 1 and fault in refused.value.faults[0]
    assert row_counts(empty) == before


def district_seed(tmp_path: Path, **top: Any) -> Path:
    seed = json.loads(DEMO_SEED.read_text(encoding="utf-8"))
    return written(tmp_path, seed | top, "district.json")


def reload(service: Service, path: Path) -> None:
    service.reference.load_seed(path)
    service.app.province = service.reference.load_province(
        min_working_days=service.settings.min_working_days
    )


def test_due_dates_follow_the_cells_next_meeting_where_the_organisation_says_so(
    service: Service, tmp_path: Path
) -> None:
    app = service.app
    reload(service, district_seed(tmp_path, cell_meeting_rule="day:20"))
    first = app.raise_petition(draft(), CLERK).id
    app.assign(first, COMMITTEE, department="kinh-te-ha-tang", on=D(2026, 3, 5))
    assert app.state(first)["due_on"] == D(2026, 4, 3)  # the briefing, as before
    reload(service, district_seed(tmp_path, cell_meeting_rule="day:20", due_after="cell_meeting"))
    second = app.raise_petition(draft(summary="Cống thoát nước tắc"), CLERK).id
    app.assign(second, COMMITTEE, department="kinh-te-ha-tang", on=D(2026, 3, 5))
    assert app.state(second)["due_on"] == D(2026, 3, 20)  # the cell's next meeting
    assert app.history(second)[1]["payload"]["due_on"] == D(2026, 3, 20)
    # a changed calendar decides new deadlines only
    reload(service, district_seed(tmp_path, cell_meeting_rule="day:25", due_after="cell_meeting"))
    assert app.state(second)["due_on"] == D(2026, 3, 20)
    assert app.state(first)["due_on"] == D(2026, 4, 3)
    third = app.raise_petition(draft(summary="Đèn đường hỏng"), CLERK).id
    app.assign(third, COMMITTEE, department="kinh-te-ha-tang", on=D(2026, 3, 5))
    assert app.state(third)["due_on"] == D(2026, 3, 25)
    assert app.district.due_basis("khu-1", app.state(third)["cell"], D(2026, 3, 25)) == (
        "cell_meeting"
    )


def admin(service: Service, action: str, **values: str) -> Any:
    return service.reference_admin.apply(
        ADMIN, None, "calendars", action, values, D(2026, 6, 30), service.app.dates
    )


def test_the_admin_keeps_the_cells_calendars_and_the_due_date_setting(service: Service) -> None:
    admin(service, "cell_rule", rule="day", day="3")
    admin(
        service,
        "cell_rule",
        owner="yen-lac",
        rule="weekday",
        weekday="0",
        nth="1",
        period="months",
        months="12, 6",
    )
    admin(service, "cell_exception", owner="yen-lac", scheduled="2026-12-07", held_on="2026-12-14")
    admin(service, "due_after", due_after="cell_meeting")
    district = service.app.district
    assert district.due_after == "cell_meeting"
    assert str(district.cell_meetings.organisation.rule) == "day:3"
    calendar = district.cell_calendar("yen-lac-thon1")
    assert calendar is not None and str(calendar.rule) == "weekday:0:1;months:6,12"
    assert calendar.moved == {D(2026, 12, 7): D(2026, 12, 14)}
    history = [(r["kind"], r["code"], r["action"]) for r in rows(service, "ref_changes")]
    assert history == [
        ("cell_calendar", "huyen", "cell_rule"),
        ("cell_calendar", "yen-lac", "cell_rule"),
        ("cell_calendar", "yen-lac", "cell_exception"),
        ("setting", "huyen", "due_after"),
    ]
    before = rows(service, "ref_changes")
    with pytest.raises(Refusal) as refused:  # a rule that would leave the moved day behind
        admin(
            service,
            "cell_rule",
            owner="yen-lac",
            rule="day",
            day="3",
            period="every",
            every="13",
            anchor="1/2026",
        )
    assert {f.field for f in refused.value.faults} == {"every", "rule"}
    with pytest.raises(Refusal) as refused:
        admin(service, "cell_exception", owner="yen-lac", scheduled="2026-11-02")
    assert refused.value.by_field()["scheduled"].startswith("Theo lịch (thứ Hai đầu tiên")
    with pytest.raises(Refusal):
        admin(service, "due_after", due_after="sometimes")
    assert rows(service, "ref_changes") == before


def calendar_of(service: Service) -> MeetingCalendar:
    return MeetingCalendar(service.meetings)


def test_a_period_is_scheduled_from_the_calendar_once(service: Service, tmp_path: Path) -> None:
    reload(service, district_seed(tmp_path, cell_meeting_rule="day:20"))
    district = service.app.district
    meetings = service.meetings
    by_hand = meetings.execute(
        ScheduleMeeting(
            kind="briefing", zone="khu-1", scheduled_on=D(2026, 11, 3), on=D(2026, 10, 1)
        ),
        CLERK,
    )
    up_to_date(service)
    command = ScheduleFromCalendar(
        start=D(2026, 11, 1),
        end=D(2026, 11, 30),
        members=("Lò Văn Thắng",),
        cell_members={"yen-lac-thon1": ("Hà Thị Mai",)},
        on=D(2026, 10, 20),
    )
    first = calendar_of(service).schedule(command, CLERK)
    zones = sorted(code for code, z in district.zones.items() if z.calendar is not None)
    open_cells = [c for c in district.cells.values() if c.open_on(D(2026, 11, 20))]
    briefings = [m for m in first["scheduled"] if m["kind"] == MeetingKind.SECRETARY_BRIEFING]
    cells = [m for m in first["scheduled"] if m["kind"] == MeetingKind.CELL_MEETING]
    assert sorted(m["zone"] for m in briefings) == [z for z in zones if z != "khu-1"]
    assert first["already_scheduled"] == [
        {
            "kind": "briefing",
            "zone": "khu-1",
            "cell": None,
            "scheduled_on": D(2026, 11, 3),
            "id": by_hand.id,
        }
    ]
    assert len(cells) == len(open_cells) and {m["scheduled_on"] for m in cells} == {D(2026, 11, 20)}
    one = meetings.meeting(
        CLERK.actor, next(m["id"] for m in cells if m["cell"] == "yen-lac-thon1")
    )
    assert one["members"] == ["Hà Thị Mai"] and one["commune"] == "yen-lac"
    other = meetings.meeting(
        CLERK.actor, next(m["id"] for m in cells if m["cell"] != "yen-lac-thon1")
    )
    assert other["members"] == ["Lò Văn Thắng"]
    events = stored_event_count(service)
    # again, at once or after the views caught up: nothing new
    again = calendar_of(service).schedule(command, CLERK)
    assert again["scheduled"] == [] and again["position"] is None
    assert len(again["already_scheduled"]) == len(first["scheduled"]) + 1
    up_to_date(service)
    assert calendar_of(service).schedule(command, COMMITTEE)["scheduled"] == []
    assert stored_event_count(service) == events
    # a longer period schedules December's only
    december = calendar_of(service).schedule(
        ScheduleFromCalendar(
            start=D(2026, 11, 1),
            end=D(2026, 12, 31),
            members=("Lò Văn Thắng",),
            kinds=("briefing",),
            on=D(2026, 10, 20),
        ),
        CLERK,
    )
    assert {m["scheduled_on"].month for m in december["scheduled"]} == {12}
    assert len(december["scheduled"]) == len(zones)


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (ScheduleFromCalendar(start=D(2026, 11, 30), end=D(2026, 11, 1)), "from"),
        (ScheduleFromCalendar(start=D(2026, 1, 1), end=D(2027, 1, 2)), "to"),
        (
            ScheduleFromCalendar(start=D(2026, 11, 1), end=D(2026, 11, 30), kinds=("party",)),
            "kinds",
        ),
        (ScheduleFromCalendar(start=D(2026, 11, 1), end=D(2026, 11, 30)), "members"),
        (
            ScheduleFromCalendar(
                start=D(2026, 11, 1),
                end=D(2026, 11, 30),
                members=("A",),
                cell_members={"x": ("B",)},
            ),
            "cell",
        ),
    ],
)
def test_a_refused_schedule_from_the_calendar_schedules_nothing(
    service: Service, tmp_path: Path, command: ScheduleFromCalendar, field: str
) -> None:
    reload(service, district_seed(tmp_path, cell_meeting_rule="day:20"))
    events = stored_event_count(service)
    with pytest.raises(InvalidCommand) as refused:
        calendar_of(service).schedule(command, CLERK)
    assert refused.value.field == field
    assert stored_event_count(service) == events
