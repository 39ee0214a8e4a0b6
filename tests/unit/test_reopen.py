"""The committee reopens a petition it closed, withdrew or merged by mistake: back to the
status it ended from, owing again what it owed then; the cells' satisfied verdict is not
undone. And the petition list's fold of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from domain.actors import Stamp
from domain.errors import IllegalTransition, InvalidCommand, NotPermitted
from domain.lifecycle import check_permitted
from domain.petition import Petition
from domain.vocabulary import Command, Status
from projections.petition_list import apply_event
from tests.unit.builders import (
    CLERK,
    COMMITTEE,
    answer_at_meeting,
    answered,
    assert_refused,
    assert_replay_rebuilds,
    assigned,
    give_verdict,
    raised,
)

ENDED_ON = date(2026, 3, 25)
REOPENED_ON = date(2026, 3, 26)


def end(how: str, p: Petition) -> None:
    stamp = Stamp(COMMITTEE, ENDED_ON)
    if how == "close":
        p.close(reason="Đã giải quyết", stamp=stamp)
    elif how == "withdraw":
        p.withdraw(reason="Chi bộ rút", stamp=stamp)
    else:
        p.merge_into(target=raised(), reason="Trùng", stamp=stamp)


def reopen(p: Petition, on: date = REOPENED_ON, reason: str = "Kết thúc nhầm") -> None:
    p.reopen(reason=reason, stamp=Stamp(COMMITTEE, on))


def spot_answered() -> Petition:
    p = raised()
    answer_at_meeting(p)
    return p


BUILDS: dict[Status, Callable[[], Petition]] = {
    Status.RAISED: raised,
    Status.ASSIGNED: assigned,
    Status.ANSWERED: answered,
}


@pytest.mark.parametrize("how", ["close", "withdraw", "merge"])
@pytest.mark.parametrize("before", list(BUILDS))
def test_a_reopened_petition_is_back_where_it_ended_from(how: str, before: Status) -> None:
    p = BUILDS[before]()
    kept = (p.department, p.due_on, p.assigned_on, list(p.answers), p.reopen_count)
    end(how, p)
    assert p.status is not before and p.ended_from is before
    reopen(p)
    assert p.status is before
    assert (p.department, p.due_on, p.assigned_on, list(p.answers), p.reopen_count) == kept
    assert (p.closing_reason, p.merged_into, p.ended_from) == (None, None, None)
    assert p.last_business_date == REOPENED_ON
    event = p.pending_events[-1]
    assert isinstance(event, Petition.Reinstated)
    assert (event.reason, event.status) == ("Kết thúc nhầm", before)
    assert_replay_rebuilds(p, p.pending_events)


def test_the_reopening_records_what_is_owed_again() -> None:
    """Assigned: the department's answer by its due date; answered: the verdict on the
    latest answer by its verify_by (of no department, when given on the spot)."""
    p = assigned()
    end("close", p)
    reopen(p)
    e = p.pending_events[-1]
    assert (e.department, e.due_on, e.verify_by) == ("roads", date(2026, 4, 3), None)
    p = answered()
    end("close", p)
    reopen(p)
    e = p.pending_events[-1]
    assert (e.department, e.verify_by) == ("roads", p.answers[-1].verify_by)
    p = spot_answered()
    end("withdraw", p)
    reopen(p)
    e = p.pending_events[-1]
    assert (e.status, e.department, e.verify_by) == ("answered", None, date(2026, 12, 3))


def test_a_reopened_petition_goes_on_as_before() -> None:
    """It takes the commands of its status again, and may be ended and reopened again."""
    p = assigned()
    end("close", p)
    reopen(p)
    p.extend_deadline(
        due_on=date(2026, 5, 1), reason="Cần khảo sát", stamp=Stamp(COMMITTEE, REOPENED_ON)
    )
    end_stamp = Stamp(COMMITTEE, date(2026, 3, 27))
    p.withdraw(reason="Chi bộ rút thật", stamp=end_stamp)
    assert p.ended_from is Status.ASSIGNED
    reopen(p, on=date(2026, 3, 28), reason="Rút nhầm")
    assert (p.status, p.due_on) == (Status.ASSIGNED, date(2026, 5, 1))
    assert_replay_rebuilds(p, p.pending_events)


def test_what_the_cells_found_satisfying_stays_closed() -> None:
    p = answered()
    give_verdict(p)
    assert p.status is Status.CLOSED and p.ended_from is None
    assert_refused(p, IllegalTransition, lambda q: reopen(q, on=date(2026, 4, 4)))


@pytest.mark.parametrize("before", list(BUILDS))
def test_an_open_petition_is_not_reopened(before: Status) -> None:
    assert_refused(BUILDS[before](), IllegalTransition, reopen)


def test_a_reopening_says_why_and_is_not_back_dated() -> None:
    p = assigned()
    end("close", p)
    assert_refused(p, InvalidCommand, lambda q: reopen(q, reason="   "))
    assert_refused(p, InvalidCommand, lambda q: reopen(q, reason="x" * 2001))
    assert_refused(p, InvalidCommand, lambda q: reopen(q, on=date(2026, 3, 24)))


@pytest.mark.parametrize("actor", [CLERK], ids=["clerk"])
def test_only_the_committee_reopens(actor: Any) -> None:
    with pytest.raises(NotPermitted):
        check_permitted(actor, Command.REOPEN)
    check_permitted(COMMITTEE, Command.REOPEN)


def list_row(events: list[Any]) -> dict[str, Any]:
    """The petition list's row after ``events`` (the first is Raised), as the view folds."""
    row: dict[str, Any] = {
        "status": "raised", "department": None, "due_on": None, "verify_by": None,
        "departments": [], "reopen_count": 0, "escalations": 0,
    }  # fmt: skip
    for e in events[1:]:
        apply_event(row, e)
    return row


def test_the_list_row_is_as_before_the_ending() -> None:
    p = answered()
    before = list_row(list(p.pending_events))
    end("close", p)
    assert list_row(list(p.pending_events))["status"] == "closed"
    reopen(p)
    after = list_row(list(p.pending_events))
    assert after == before and after["status"] == "answered"
    assert after["reopen_count"] == 0  # not the verdict's reopening
