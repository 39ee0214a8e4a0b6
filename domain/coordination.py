"""Lead and coordinating departments (chủ trì, phối hợp) of one assignment.

The committee's assignment names the lead department, which answers in writing, and any
number of coordinating departments, each owing the lead its contribution (text and signed
letter) by its own due date, no later than the lead's. The lead's written answer waits for
every contribution, unless the committee waives the missing ones, saying why. A new
assignment (reassigned, referred) names its own coordinators: the former ones owe nothing
more. The aggregate keeps them as ``Coordinator`` records (``Petition.coordinators``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from domain.errors import InvalidCommand
from domain.messages import say

# How many coordinating departments one assignment names at most.
COORDINATORS_MAX = 20


@dataclass(frozen=True)
class Contribution:
    """What a coordinating department sent the lead: its text and signed letter."""

    text: str
    document_number: str
    document_date: date
    signer: str
    sent_on: date


@dataclass(frozen=True)
class Coordinator:
    """A coordinating department of the current assignment, with its due date, and its
    contribution once sent, or the committee's waiver of it (its reason)."""

    department: str
    due_on: date
    named_on: date
    contribution: Contribution | None = None
    waived: str | None = None
    waived_on: date | None = None

    @property
    def outstanding(self) -> bool:
        """Still owed: neither sent nor waived."""
        return self.contribution is None and self.waived is None


def checked(
    coordinating: Sequence[tuple[str, date]], lead: str, lead_due: date, on: date
) -> list[dict[str, Any]]:
    """The coordinating departments an assignment on ``on`` names, as ``CoordinatorsNamed``
    records them: none the lead, none twice, each due after ``on`` and no later than the
    lead's due date ``lead_due`` (its part comes before the answer it feeds)."""
    if len(coordinating) > COORDINATORS_MAX:
        raise InvalidCommand("coordinating", say("coordination.too_many", count=COORDINATORS_MAX))
    seen: set[str] = set()
    named: list[dict[str, Any]] = []
    for department, due_on in coordinating:
        if department == lead:
            raise InvalidCommand("coordinating", say("coordination.lead_named"))
        if department in seen:
            raise InvalidCommand("coordinating", say("coordination.twice"))
        if due_on <= on:
            raise InvalidCommand("coordinating", say("due.before_assignment"))
        if due_on > lead_due:
            raise InvalidCommand("coordinating", say("coordination.after_lead", due_on=lead_due))
        seen.add(department)
        named.append({"department": department, "due_on": due_on})
    return named


def named(coordinators: Iterable[dict[str, Any]], on: date) -> list[Coordinator]:
    """The ``Coordinator`` records of a ``CoordinatorsNamed``'s list."""
    return [Coordinator(str(c["department"]), as_date(c["due_on"]), on) for c in coordinators]


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def sent(coordinators: list[Coordinator], department: str, part: Contribution) -> None:
    """``department``'s contribution is in."""
    for i, c in enumerate(coordinators):
        if c.department == department:
            coordinators[i] = replace(c, contribution=part)


def waived(
    coordinators: list[Coordinator], departments: Iterable[str], reason: str, on: date
) -> None:
    """The committee waived ``departments``' contributions."""
    let_off = set(departments)
    for i, c in enumerate(coordinators):
        if c.department in let_off:
            coordinators[i] = replace(c, waived=reason, waived_on=on)


def check_contributor(coordinators: Sequence[Coordinator], department: str | None) -> None:
    """``department`` owes a contribution now: refused unless it coordinates, and has
    neither sent nor been let off its part."""
    found = next((c for c in coordinators if c.department == department), None)
    if found is None:
        raise InvalidCommand("department", say("coordination.not_coordinator"))
    if found.contribution is not None:
        raise InvalidCommand("department", say("coordination.already_sent"))
    if found.waived is not None:
        raise InvalidCommand("department", say("coordination.already_waived"))


def check_waivable(coordinators: Sequence[Coordinator], departments: Sequence[str]) -> list[str]:
    """The departments a waiver names: at least one, each a coordinator still owing."""
    owing = {c.department for c in coordinators if c.outstanding}
    if not departments:
        raise InvalidCommand("departments", say("coordination.waive_none"))
    if len(set(departments)) != len(departments) or not set(departments) <= owing:
        raise InvalidCommand("departments", say("coordination.not_outstanding"))
    return list(departments)


def missing(coordinators: Sequence[Coordinator]) -> list[str]:
    """The coordinating departments whose contribution the lead's answer still waits for."""
    return [c.department for c in coordinators if c.outstanding]
