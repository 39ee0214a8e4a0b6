"""The deadline policy's domain rules (no database): reminders issued once per kind and due
date, escalations once per rule, the system role only, and the pure decision function."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Actor, Command, Role, Stamp, check_permitted
from domain.errors import IllegalTransition, InvalidCommand, NotPermitted
from domain.petition import EscalationRule, Petition, ReminderKind
from domain.policy import ESCALATE, REMIND, Decision, PolicyRules, decisions
from domain.records import PolicyEscalation, Reminder
from tests.unit.builders import (
    COMMITTEE,
    answered,
    assert_replay_rebuilds,
    assigned,
    give_verdict,
    raised,
    write_answer,
)
from tests.unit.builders import assert_refused as refused

D = date
SYSTEM = Actor("policy-worker", Role.SYSTEM)
DUE = D(2026, 4, 3)  # the due date of builders.assigned()
RULES = PolicyRules(escalate_after_days=14, remind_days_before=3)


def remind(p: Petition, kind: str, on: date) -> None:
    p.issue_reminder(kind=kind, stamp=Stamp(SYSTEM, on))


def test_a_reminder_is_issued_once_per_kind_department_and_due_date() -> None:
    p = assigned()
    remind(p, ReminderKind.DUE_SOON, D(2026, 3, 31))
    event = p.pending_events[-1]
    assert isinstance(event, Petition.ReminderIssued)
    assert (event.kind, event.due_on, event.department) == ("due_soon", DUE, "roads")
    assert p.reminders == [Reminder(ReminderKind.DUE_SOON, DUE, "roads", D(2026, 3, 31))]
    refused(p, IllegalTransition, lambda q: remind(q, ReminderKind.DUE_SOON, D(2026, 3, 31)))
    refused(p, IllegalTransition, lambda q: remind(q, ReminderKind.DUE_SOON, D(2026, 4, 2)))
    remind(p, ReminderKind.OVERDUE, D(2026, 4, 4))  # another kind: a reminder of its own
    refused(p, IllegalTransition, lambda q: remind(q, ReminderKind.OVERDUE, D(2026, 4, 9)))
    # A new due date is a new deadline to remind of.
    p.extend_deadline(
        due_on=D(2026, 4, 20), reason="khảo sát", stamp=Stamp(COMMITTEE, D(2026, 4, 10))
    )
    remind(p, ReminderKind.DUE_SOON, D(2026, 4, 18))
    assert [r.due_on for r in p.reminders] == [DUE, DUE, D(2026, 4, 20)]


def test_reminder_kind_must_match_the_calendar_and_the_status() -> None:
    p = assigned()
    refused(p, InvalidCommand, lambda q: remind(q, ReminderKind.OVERDUE, DUE))
    refused(p, InvalidCommand, lambda q: remind(q, ReminderKind.DUE_SOON, D(2026, 4, 4)))
    refused(p, InvalidCommand, lambda q: remind(q, "tomorrow", D(2026, 4, 1)))
    remind(p, ReminderKind.DUE_SOON, DUE)  # on the due date itself: still due soon
    refused(raised(), IllegalTransition, lambda q: remind(q, ReminderKind.DUE_SOON, D(2026, 3, 4)))
    refused(answered(), IllegalTransition, lambda q: remind(q, ReminderKind.OVERDUE, D(2026, 5, 1)))


@pytest.mark.parametrize("role", list(Role))
def test_only_the_system_role_may_remind(role: Role) -> None:
    cell = "thon-1" if role is Role.SECRETARY else None
    actor = Actor("a", role, "roads" if role is Role.DEPARTMENT else None, cell=cell)
    if role is Role.SYSTEM:
        check_permitted(actor, Command.REMIND)
        check_permitted(actor, Command.ESCALATE)
    else:
        with pytest.raises(NotPermitted):
            check_permitted(actor, Command.REMIND)


def test_what_the_system_records_does_not_move_the_business_clock() -> None:
    p = assigned()
    remind(p, ReminderKind.DUE_SOON, D(2026, 4, 1))
    # The department's answer of 31 March is recorded after the reminder of 1 April.
    write_answer(p, document_date=D(2026, 3, 30), verify_by=D(2026, 5, 3), on=D(2026, 3, 31))
    assert p.last_business_date == D(2026, 3, 31)


def test_policy_escalations_happen_once_per_rule_and_due_date() -> None:
    p = assigned()
    refused(
        p,
        InvalidCommand,
        lambda q: q.escalate(reason="x", rule=EscalationRule.OVERDUE, stamp=Stamp(SYSTEM, DUE)),
    )
    p.escalate(reason="quá hạn", rule=EscalationRule.OVERDUE, stamp=Stamp(SYSTEM, D(2026, 4, 20)))
    assert p.policy_escalations == [PolicyEscalation(EscalationRule.OVERDUE, DUE)]
    refused(
        p,
        IllegalTransition,
        lambda q: q.escalate(
            reason="x", rule=EscalationRule.OVERDUE, stamp=Stamp(SYSTEM, D(2026, 5, 1))
        ),
    )
    p.escalate(reason="Ban Thường vụ", stamp=Stamp(COMMITTEE, D(2026, 5, 1)))  # the committee's own
    assert p.escalations == 2
    refused(
        p,
        InvalidCommand,
        lambda q: q.escalate(
            reason="x", rule=EscalationRule.UNSATISFIED_TWICE, stamp=Stamp(SYSTEM, D(2026, 5, 1))
        ),
    )


def twice_unsatisfied() -> Petition:
    p = answered()
    for n, (verified_on, answered_on) in enumerate(
        [(D(2026, 4, 3), D(2026, 4, 10)), (D(2026, 5, 3), None)]
    ):
        give_verdict(
            p,
            verdict="unsatisfied" if n else "partially_satisfied",
            flags=["generic"],
            reopen_with=("roads", D(2026, 6, 3)) if n else ("roads", D(2026, 5, 3)),
            on=verified_on,
        )
        if answered_on:
            write_answer(
                p,
                document_number="2/CV",
                document_date=answered_on,
                verify_by=D(2026, 5, 3),
                on=answered_on,
            )
    return p


def test_decisions_of_the_policy() -> None:
    p = assigned()
    assert decisions(p, D(2026, 3, 30), RULES) == []  # 4 days left
    assert decisions(p, D(2026, 3, 31), RULES) == [Decision(REMIND, ReminderKind.DUE_SOON)]
    assert decisions(p, D(2026, 4, 17), RULES) == [Decision(REMIND, ReminderKind.OVERDUE)]
    late = decisions(p, D(2026, 4, 18), RULES)  # 15 days overdue
    assert [(d.action, d.kind) for d in late] == [
        (REMIND, ReminderKind.OVERDUE),
        (ESCALATE, EscalationRule.OVERDUE),
    ]
    assert "15" in late[1].reason
    remind(p, ReminderKind.OVERDUE, D(2026, 4, 18))
    p.escalate(
        reason=late[1].reason, rule=EscalationRule.OVERDUE, stamp=Stamp(SYSTEM, D(2026, 4, 18))
    )
    assert decisions(p, D(2026, 4, 18), RULES) == []  # all recorded: nothing new
    assert decisions(p, D(2026, 5, 30), RULES) == []

    q = twice_unsatisfied()
    assert q.unsatisfied_verdicts == 2
    assert [(d.action, d.kind) for d in decisions(q, D(2026, 5, 4), RULES)] == [
        (ESCALATE, EscalationRule.UNSATISFIED_TWICE)
    ]
    q.escalate(
        reason="x", rule=EscalationRule.UNSATISFIED_TWICE, stamp=Stamp(SYSTEM, D(2026, 5, 4))
    )
    assert decisions(q, D(2026, 5, 4), RULES) == []


def test_replaying_the_policy_events_rebuilds_the_same_state() -> None:
    p = assigned()
    remind(p, ReminderKind.DUE_SOON, D(2026, 4, 1))
    p.escalate(reason="quá hạn", rule=EscalationRule.OVERDUE, stamp=Stamp(SYSTEM, D(2026, 4, 20)))
    assert_replay_rebuilds(p, p.collect_events())


def test_an_escalation_stored_before_the_rules_reads_as_the_committees_own() -> None:
    state = {"reason": "quá hạn"}
    Petition.Escalated.upcast_v1_v2(state)
    assert state == {"reason": "quá hạn", "rule": None, "due_on": None}
