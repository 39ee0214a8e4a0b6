"""Lead and coordinating departments (``domain.coordination``): the assignment that names
them, a coordinating department's contribution, the committee's waiver of missing ones,
and what a department's inbox shows of the contributions it owes.

The departments named are checked against the reference data as the lead is (known, not
retired by the day); who may send a contribution (a coordinating department, for itself)
is ``usecases.access.check_coordinates``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from domain.actors import Actor, Command, Stamp
from domain.errors import InvalidCommand
from domain.petition import Petition
from usecases import access, organisations
from usecases.access import UseCase
from usecases.commands import Assign, Change

if TYPE_CHECKING:
    from usecases.petitions import Petitions
    from usecases.queries import PetitionQueries

__all__ = ["Contribute", "WaiveContributions", "assign", "decide", "owed"]


@dataclass(frozen=True, kw_only=True)
class Contribute(Change):
    """A coordinating department's contribution to the lead's answer, with its letter."""

    command: ClassVar[Command] = Command.CONTRIBUTE
    text: str
    document_number: str
    document_date: date
    signer: str


@dataclass(frozen=True, kw_only=True)
class WaiveContributions(Change):
    """The committee lets the lead answer without the missing contributions it names."""

    command: ClassVar[Command] = Command.WAIVE_CONTRIBUTIONS
    departments: tuple[str, ...]
    reason: str


def assign(app: Petitions, petition: Petition, command: Assign, day: date, stamp: Stamp) -> None:
    """The assign command on its loaded petition: the lead and each coordinating department
    known and open on ``day``, the due dates checked; then the aggregate decides."""
    reference = organisations.reference_of(app.province, petition)
    reference.department_on(command.department, day)
    coordinating = []
    for department, due_on in command.coordinating:
        try:
            reference.department_on(department, day)
        except InvalidCommand as refused:
            raise InvalidCommand("coordinating", refused.message) from None
        coordinating.append((department, app.dates.check("coordinating", due_on)))
    due = organisations.due_fields(app, command.due_on, petition, day)
    petition.assign(
        department=command.department,
        note=command.note,
        stamp=stamp,
        coordinating=coordinating,
        **due,
    )


def decide(app: Petitions, petition: Petition, command: Change, stamp: Stamp) -> None:
    """A contribution (from the actor's own department) or a waiver, on its petition."""
    if isinstance(command, Contribute):
        petition.send_contribution(
            department=str(stamp.actor.department),
            text=command.text,
            document_number=command.document_number,
            document_date=app.dates.check("document_date", command.document_date),
            signer=command.signer,
            stamp=stamp,
        )
    elif isinstance(command, WaiveContributions):
        petition.waive_contributions(
            departments=command.departments, reason=command.reason, stamp=stamp
        )
    else:
        raise TypeError(f"no coordination handler for {type(command).__name__}")


def owed(
    queries: PetitionQueries, actor: Actor, *, min_position: int | None = None
) -> list[dict[str, Any]]:
    """The contributions the actor's department owes now, the earliest due first: each
    petition's list row with ``contribution_due_on`` (and the lead, ``department``)."""
    access.check(actor, UseCase.INBOX)
    organisations_seen = access.organisation_scope(actor, queries.province)
    view = queries.caught_up(queries.views.coordination, min_position)
    listed = queries.caught_up(queries.views.petition_list, min_position)
    items = []
    for part in view.owed(str(actor.department), organisations=organisations_seen):
        row = listed.get(part["petition_id"], organisations=organisations_seen)
        if row is not None:
            items.append(row | {"contribution_due_on": part["due_on"]})
    queries.numbers.of_list_rows(items)
    return items
