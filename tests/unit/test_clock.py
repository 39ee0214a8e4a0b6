"""The committee pauses and resumes an answer's clock (``Petition.pause_clock``,
``resume_clock``): while paused nothing is overdue, reminded or escalated; resuming moves
the due date by the working days paused. And an extension never reminds of the old date."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Actor, Command, Role, Stamp
from domain.calendar import WorkingDays
from domain.deadlines import answer_overdue
from domain.errors import IllegalTransition, InvalidCommand, NotPermitted
from domain.lifecycle import check_permitted
from domain.petition import Petition, ReminderKind, Status
from domain.policy import REMIND, Decision, PolicyRules, decisions
from tests.unit.builders import (
    COMMITTEE,
    ROADS,
    assert_replay_rebuilds,
    assign_to,
    assigned,
    raised,
    write_answer,
)
from tests.unit.builders import assert_refused as refused

D = date
SYSTEM = Actor("policy-worker", Role.SYSTEM)
DUE = D(2026, 4, 3)  # builders.assigned(): due Friday 3 April 2026, assigned 5 March
RULES = PolicyRules(escalate_after_days=14, remind_days_before=3)
WORKING = WorkingDays(lambda day: day == D(2026, 4, 30))


def pause(p: Petition, on: date, reason: str = "site_visit", note: str | None = None) -> None:
    p.pause_clock(reason=reason, note=note, stamp=Stamp(COMMITTEE, on))


def resume(p: Petition, on: date) -> None:
    p.resume_clock(working_days=WORKING, stamp=Stamp(COMMITTEE, on))


def test_a_paused_clock_is_not_overdue_and_resuming_moves_the_due_date() -> None:
    p = assigned()
    pause(p, D(2026, 3, 20), note="Khảo sát tuyến ống thôn 3")
    event = p.pending_events[-1]
    assert isinstance(event, Petition.ClockPaused)
    assert (event.reason, event.note, event.due_on) == (
        "site_visit",
        "Khảo sát tuyến ống thôn 3",
        DUE,
    )
    assert p.is_paused and p.status is Status.ASSIGNED
    # long past the due date, the paused petition's answer is not overdue
    assert not answer_overdue(p.status, p.due_on, D(2026, 4, 20), paused=p.is_paused)
    assert decisions(p, D(2026, 4, 20), RULES) == []
    resume(p, D(2026, 4, 20))  # Friday 20 March to Monday 20 April: 21 working days
    resumed = p.pending_events[-1]
    assert isinstance(resumed, Petition.ClockResumed)
    assert (resumed.paused_on, resumed.previous_due_on) == (D(2026, 3, 20), DUE)
    assert resumed.paused_working_days == 21
    assert p.due_on == resumed.due_on == D(2026, 5, 5)  # 21 working days after 3/4, less 30/4
    assert p.due_basis == resumed.due_basis and p.due_basis["kind"] == "resumed"
    assert not p.is_paused
    assert decisions(p, D(2026, 5, 2), RULES) == [Decision(REMIND, ReminderKind.DUE_SOON)]
    assert_replay_rebuilds(p, p.collect_events())


def test_paused_nothing_is_reminded_nor_escalated_as_overdue() -> None:
    p = assigned()
    pause(p, D(2026, 4, 6))  # already overdue when paused
    refused(
        p,
        IllegalTransition,
        lambda q: q.issue_reminder(kind=ReminderKind.OVERDUE, stamp=Stamp(SYSTEM, D(2026, 4, 9))),
    )
    refused(
        p,
        InvalidCommand,
        lambda q: q.escalate(reason="quá hạn", rule="overdue", stamp=Stamp(SYSTEM, D(2026, 5, 1))),
    )
    assert decisions(p, D(2026, 5, 1), RULES) == []


def test_the_pause_rules() -> None:
    p = assigned()
    refused(p, IllegalTransition, lambda q: resume(q, D(2026, 3, 10)))  # not paused
    refused(p, InvalidCommand, lambda q: pause(q, D(2026, 3, 10), reason="holiday"))
    pause(p, D(2026, 3, 10), reason="cell_information")
    refused(p, IllegalTransition, lambda q: pause(q, D(2026, 3, 11)))  # paused already
    refused(  # an extension waits for the clock to run again
        p,
        IllegalTransition,
        lambda q: q.extend_deadline(
            due_on=D(2026, 5, 1), reason="x", stamp=Stamp(COMMITTEE, D(2026, 3, 12))
        ),
    )
    refused(p, InvalidCommand, lambda q: resume(q, D(2026, 3, 9)))  # before the last date
    # a raised petition has no clock; the department does not pause it
    refused(raised(), IllegalTransition, lambda q: pause(q, D(2026, 3, 10)))
    for command in (Command.PAUSE_CLOCK, Command.RESUME_CLOCK):
        with pytest.raises(NotPermitted):
            check_permitted(ROADS, command)


def test_a_new_holder_or_an_answer_ends_the_pause() -> None:
    p = assigned()
    pause(p, D(2026, 3, 10))
    assign_to(p, department="water", due_on=D(2026, 4, 20), on=D(2026, 3, 12))
    assert not p.is_paused and p.due_basis == {"kind": "given", "set_on": "2026-03-12"}
    q = assigned()
    pause(q, D(2026, 3, 10))
    write_answer(q)
    assert q.status is Status.ANSWERED and not q.is_paused


def test_the_due_dates_events_record_their_basis() -> None:
    p = raised()
    basis = {"kind": "briefing", "of": "khu-1"}
    assign_to(p, due_basis=basis)
    assert p.pending_events[-1].due_basis == basis == p.due_basis
    p.extend_deadline(
        due_on=D(2026, 5, 4), reason="Chờ đo đạc", stamp=Stamp(COMMITTEE, D(2026, 3, 9))
    )
    extension = p.pending_events[-1]
    assert extension.due_basis == {
        "kind": "extended",
        "previous_due_on": "2026-04-03",
        "extended_on": "2026-03-09",
        "reason": "Chờ đo đạc",
    }
    assert p.due_basis == extension.due_basis


def test_an_extension_never_reminds_of_the_old_date() -> None:
    """Due 3 April, extended on 30 March to 4 May: the reminders due for 3 April (soon,
    from 31 March; overdue, from 4 April) are never issued, and only the new date's are."""
    p = assigned()
    p.extend_deadline(
        due_on=D(2026, 5, 4), reason="Chờ đo đạc", stamp=Stamp(COMMITTEE, D(2026, 3, 30))
    )
    for day in (D(2026, 3, 31), D(2026, 4, 3), D(2026, 4, 4), D(2026, 4, 20)):
        assert decisions(p, day, RULES) == []
    assert decisions(p, D(2026, 5, 1), RULES) == [Decision(REMIND, ReminderKind.DUE_SOON)]
    p.issue_reminder(kind=ReminderKind.DUE_SOON, stamp=Stamp(SYSTEM, D(2026, 5, 1)))
    assert [r.due_on for r in p.reminders] == [D(2026, 5, 4)]


def test_a_reminder_of_the_old_date_issued_before_the_extension_is_not_repeated() -> None:
    p = assigned()
    p.issue_reminder(kind=ReminderKind.DUE_SOON, stamp=Stamp(SYSTEM, D(2026, 3, 31)))
    p.extend_deadline(
        due_on=D(2026, 5, 4), reason="Chờ đo đạc", stamp=Stamp(COMMITTEE, D(2026, 4, 2))
    )
    # past the old date: no overdue reminder for it; the new date's due-soon comes in time
    assert decisions(p, D(2026, 4, 6), RULES) == []
    assert not p.has_reminder(ReminderKind.OVERDUE, "roads", DUE)
    assert decisions(p, D(2026, 5, 1), RULES) == [Decision(REMIND, ReminderKind.DUE_SOON)]
