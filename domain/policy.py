"""The deadline policy: which reminders and escalations a petition is due on a given day.

Pure functions of a petition's state and the day. The ``Petitions`` application records
what they decide as events (``ReminderIssued``, ``Escalated`` with its rule) under the
system role; the aggregate's guards refuse a decision already recorded, and these
functions skip one, so a second pass over the same day records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.deadlines import answer_overdue, days_overdue
from domain.lifecycle import may
from domain.petition import EscalationRule, Petition, ReminderKind
from domain.vocabulary import Command, Role, Status

REMIND = "remind"
ESCALATE = "escalate"


@dataclass(frozen=True)
class PolicyRules:
    """Escalate an answer overdue by more than ``escalate_after_days``; remind the
    department ``remind_days_before`` days before its due date (and on it), and once
    the date has passed."""

    escalate_after_days: int = 14
    remind_days_before: int = 3


@dataclass(frozen=True)
class Decision:
    action: str  # REMIND or ESCALATE
    kind: str  # a ReminderKind for REMIND, an EscalationRule for ESCALATE
    reason: str = ""


def system_may(command: Command, status: Status) -> bool:
    """Whether the lifecycle lets the policy (role system) issue ``command`` in ``status``."""
    return may(command, status, Role.SYSTEM, in_charge=False)


def reminder_kind(petition: Petition, today: date, rules: PolicyRules) -> str | None:
    """The reminder the department in charge is due today, if any: none while the
    clock is paused, and only ever for the due date in force (an extension's, never the
    one it replaced)."""
    if (
        not system_may(Command.REMIND, petition.status)
        or petition.due_on is None
        or petition.is_paused
    ):
        return None
    if answer_overdue(petition.status, petition.due_on, today):
        return ReminderKind.OVERDUE
    if (petition.due_on - today).days <= rules.remind_days_before:
        return ReminderKind.DUE_SOON
    return None


def decisions(petition: Petition, today: date, rules: PolicyRules) -> list[Decision]:
    """What the policy decides for ``petition`` on ``today`` that is not recorded yet."""
    found: list[Decision] = []
    kind = reminder_kind(petition, today, rules)
    if kind is not None:
        assert petition.department is not None and petition.due_on is not None
        if not petition.has_reminder(kind, petition.department, petition.due_on):
            found.append(Decision(REMIND, kind))
    if (
        answer_overdue(petition.status, petition.due_on, today, paused=petition.is_paused)
        and petition.due_on is not None
        and days_overdue(petition.due_on, today) > rules.escalate_after_days
        and not petition.was_escalated_for(EscalationRule.OVERDUE, petition.due_on)
    ):
        days = days_overdue(petition.due_on, today)
        found.append(
            Decision(
                ESCALATE,
                EscalationRule.OVERDUE,
                f"Quá hạn trả lời {days} ngày (hạn {petition.due_on:%d/%m/%Y}) — "
                f"answer overdue by {days} days (due {petition.due_on.isoformat()})",
            )
        )
    if (
        system_may(Command.ESCALATE, petition.status)
        and petition.unsatisfied_verdicts >= 2
        and not petition.was_escalated_for(EscalationRule.UNSATISFIED_TWICE, None)
    ):
        found.append(
            Decision(
                ESCALATE,
                EscalationRule.UNSATISFIED_TWICE,
                f"Chi bộ chưa thỏa mãn với câu trả lời {petition.unsatisfied_verdicts} lần — "
                f"answers found unsatisfying {petition.unsatisfied_verdicts} times",
            )
        )
    return found
