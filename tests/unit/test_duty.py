"""The members' duty without a database: an assignment's term, its changes from a day on
and its early end (each span what the member is assigned to when), refusals that record
nothing, and what the duty adds up to (calendar, members attending none in a month, cells
not visited, the yearly record)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.application import Application

from domain.actors import Actor, Role, Stamp
from domain.duty import DUTY_EVENTS, Duty, DutyStatus, Span
from domain.duty_record import (
    BriefingSeat,
    CellMeeting,
    CellPetition,
    Member,
    calendar,
    months_of,
    not_attending,
    shift_months,
    unvisited,
    yearly_record,
)
from domain.errors import InvalidCommand, NotPermitted
from usecases.records import ActorAsDict, DateAsISO

ADMIN = Actor("admin-1", Role.ADMIN, organisation="huyen")
CLERK = Actor("clerk-1", Role.CLERK, organisation="huyen")
START, END = date(2026, 1, 1), date(2026, 12, 31)


def at(day: date, actor: Actor = ADMIN) -> Stamp:
    return Stamp(actor, day)


def assigned(**overrides: Any) -> Duty:
    fields: dict[str, Any] = dict(
        organisation="huyen",
        member="cuv-01",
        name="Lò Văn Thắng",
        communes=["xa-a"],
        cells=[],
        start_on=START,
        end_on=END,
        stamp=at(date(2025, 12, 20)),
    )
    fields.update(overrides)
    return Duty.assign(**fields)


def pending(duty: Duty) -> list[str]:
    return [type(e).__name__ for e in duty.collect_events()]


def test_an_assignment_runs_its_term_over_its_communes() -> None:
    duty = assigned()
    assert (duty.member, duty.name, duty.status) == ("cuv-01", "Lò Văn Thắng", DutyStatus.ACTIVE)
    assert duty.spans == [Span(START, END, ("xa-a",), ())]
    assert duty.span_on(date(2026, 5, 1)) is not None and duty.span_on(date(2027, 1, 1)) is None


def test_a_change_closes_one_span_and_opens_the_next() -> None:
    duty = assigned()
    duty.change(
        effective_on=date(2026, 7, 1),
        communes=[],
        cells=["c-1", "c-2"],
        end_on=date(2027, 6, 30),
        reason="Điều chỉnh địa bàn",
        stamp=at(date(2026, 6, 25)),
    )
    assert duty.spans == [
        Span(START, date(2026, 6, 30), ("xa-a",), ()),
        Span(date(2026, 7, 1), date(2027, 6, 30), (), ("c-1", "c-2")),
    ]
    assert duty.end_on == date(2027, 6, 30)
    assert pending(duty) == ["Assigned", "Changed"]


def test_an_early_end_cuts_the_term_with_its_reason() -> None:
    duty = assigned()
    duty.change(
        effective_on=date(2026, 9, 1),
        communes=["xa-b"],
        cells=[],
        end_on=END,
        reason="Chuyển xã",
        stamp=at(date(2026, 5, 20)),
    )
    duty.end(ended_on=date(2026, 5, 31), reason="Nghỉ hưu", stamp=at(date(2026, 6, 1)))
    assert duty.status is DutyStatus.ENDED and duty.last_day == date(2026, 5, 31)
    assert duty.spans == [Span(START, date(2026, 5, 31), ("xa-a",), ())]
    assert duty.end_reason == "Nghỉ hưu"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"communes": [], "cells": []}, "cells"),
        ({"communes": ["xa-a", "xa-a"]}, "communes"),
        ({"end_on": date(2025, 12, 31)}, "end_on"),
        ({"name": "  "}, "name"),
        ({"member": ""}, "member"),
    ],
)
def test_an_assignment_is_refused_as_given_wrong(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        assigned(**overrides)
    assert refused.value.field == field


def test_only_the_admin_assigns() -> None:
    with pytest.raises(NotPermitted):
        assigned(stamp=at(START, CLERK))
    duty = assigned()
    with pytest.raises(NotPermitted):
        duty.end(ended_on=date(2026, 3, 1), reason="x", stamp=at(date(2026, 3, 1), CLERK))


def test_refused_changes_record_nothing() -> None:
    duty = assigned()
    version = duty.version
    wrong: list[dict[str, Any]] = [
        {"effective_on": date(2027, 2, 1)},  # outside the term
        {"communes": ["xa-a"], "end_on": END},  # the same as it is
        {"communes": [], "cells": []},  # nowhere
        {"reason": " "},
    ]
    for change in wrong:
        fields: dict[str, Any] = {
            "effective_on": date(2026, 3, 1),
            "communes": ["xa-b"],
            "cells": [],
            "end_on": END,
            "reason": "Lý do",
            "stamp": at(date(2026, 3, 1)),
        } | change
        with pytest.raises(InvalidCommand):
            duty.change(**fields)
    with pytest.raises(InvalidCommand):
        duty.end(ended_on=END, reason="Hết nhiệm kỳ", stamp=at(date(2026, 3, 1)))
    duty.end(ended_on=date(2026, 3, 31), reason="Nghỉ", stamp=at(date(2026, 4, 1)))
    with pytest.raises(InvalidCommand):  # ended: no more changes
        duty.end(ended_on=date(2026, 3, 15), reason="Nghỉ", stamp=at(date(2026, 4, 2)))
    with pytest.raises(InvalidCommand):  # a day before the last recorded
        assigned().end(ended_on=date(2026, 3, 1), reason="x", stamp=at(date(2025, 1, 1)))
    assert duty.version == version + 1


def test_the_events_are_stored_and_read_back() -> None:
    app: Application[Any] = Application()
    app.mapper.transcoder.register(DateAsISO())
    app.mapper.transcoder.register(ActorAsDict())
    duty = assigned()
    duty.end(ended_on=date(2026, 6, 30), reason="Nghỉ", stamp=at(date(2026, 7, 1)))
    app.save(duty)
    again: Duty = app.repository.get(duty.id)
    assert again.spans == duty.spans and again.status is DutyStatus.ENDED
    assert {type(e) for e in app.events.get(duty.id)} <= DUTY_EVENTS
    assert {e.__name__ for e in DUTY_EVENTS} == {"Assigned", "Changed", "Ended"}


# ---- what it adds up to -------------------------------------------------------------------

THANG = Member("huyen", "cuv-01", "Lò Văn Thắng", (Span(date(2026, 3, 1), END, (), ("c-1",)),))
HOA = Member("huyen", "cuv-02", "Vì Thị Hoa", (Span(START, date(2026, 6, 30), ("xa-b",), ()),))


def meeting(
    cell: str, day: date, came: set[str], commune: str = "xa-a", **more: Any
) -> CellMeeting:
    return CellMeeting(
        meeting_id=uuid4(),
        organisation="huyen",
        cell=cell,
        commune=commune,
        day=day,
        status=more.pop("status", "held"),
        attended_by=frozenset(came),
        held=more.pop("held", True),
        **more,
    )


MEETINGS = [
    meeting("c-1", date(2026, 2, 10), {"Lò Văn Thắng"}),  # before the term: not expected
    meeting("c-1", date(2026, 3, 10), {"Lò Văn Thắng"}),
    meeting("c-1", date(2026, 4, 10), set()),  # not attended
    meeting("c-1", date(2026, 5, 10), {"cuv-01"}),  # named by the code
    meeting("c-1", date(2026, 6, 10), set(), status="cancelled", held=False),
    meeting("c-1", date(2026, 12, 10), set(), status="scheduled", held=False),
    meeting("c-5", date(2026, 4, 12), {"Vì Thị Hoa"}, commune="xa-b"),
]


def test_a_member_s_calendar_lists_the_expected_meetings_and_months_without() -> None:
    found = calendar(THANG, MEETINGS, START, END)
    assert [(m["day"].month, m["attended"], m["held"]) for m in found["meetings"]] == [
        (3, True, True),
        (4, False, True),
        (5, True, True),
        (12, False, False),
    ]
    assert found["months_without"] == [f"2026-{m:02d}" for m in (4, 6, 7, 8, 9, 10, 11, 12)]


def test_members_attending_none_in_a_month() -> None:
    assert not_attending([THANG, HOA], MEETINGS, (2026, 4)) == [THANG]
    assert not_attending([THANG, HOA], MEETINGS, (2026, 3)) == [HOA]
    assert not_attending([THANG, HOA], MEETINGS, (2026, 8)) == [THANG]  # Hoa's term is over


def test_cells_not_visited_for_n_months() -> None:
    cells = [("huyen", "c-1", "xa-a"), ("huyen", "c-5", "xa-b"), ("huyen", "c-9", "xa-b")]
    found = unvisited(cells, MEETINGS, date(2026, 7, 20), 2)
    assert [(r["cell"], r["last_visit"]) for r in found] == [
        ("c-1", date(2026, 5, 10)),
        ("c-5", date(2026, 4, 12)),
        ("c-9", None),
    ]
    assert [r["cell"] for r in unvisited(cells, MEETINGS, date(2026, 7, 20), 3)] == ["c-5", "c-9"]


def test_the_yearly_record_counts_meetings_briefings_and_petitions() -> None:
    seats = [
        BriefingSeat("huyen", "Lò Văn Thắng", date(2026, 3, 3), True),
        BriefingSeat("huyen", "Lò Văn Thắng", date(2026, 4, 3), False),
        BriefingSeat("huyen", "Vì Thị Hoa", date(2026, 4, 3), True),
    ]
    petitions = [
        CellPetition("huyen", "Lò Văn Thắng", date(2026, 3, 10)),
        CellPetition("huyen", "Lò Văn Thắng", date(2025, 3, 10)),  # another year
        CellPetition("other", "Lò Văn Thắng", date(2026, 3, 10)),  # another organisation
    ]
    record = yearly_record(THANG, MEETINGS, seats, petitions, 2026).plain()
    assert record == {
        "organisation": "huyen",
        "member": "cuv-01",
        "name": "Lò Văn Thắng",
        "months_covered": list(range(3, 13)),
        "cell_meetings_expected": 3,
        "cell_meetings_attended": 2,
        "months_without": [4, 6, 7, 8, 9, 10, 11, 12],
        "briefings_expected": 2,
        "briefings_attended": 1,
        "petitions_raised": 1,
    }


def test_months_and_their_shifts() -> None:
    assert months_of(date(2025, 11, 5), date(2026, 2, 1)) == [
        (2025, 11),
        (2025, 12),
        (2026, 1),
        (2026, 2),
    ]
    assert shift_months(date(2026, 5, 31), -3) == date(2026, 2, 28)
    assert shift_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
