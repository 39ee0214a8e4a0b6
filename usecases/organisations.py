"""Which organisation's reference data a command validates against: where a petition is
raised, which departments may take it, whose briefing calendar gives its due dates, where
a referral may go. (Who may see and do what is ``usecases.access``'s.)"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from domain import due_basis
from domain.actors import Actor
from domain.calendar import BusinessDates
from domain.errors import InvalidCommand
from domain.messages import say
from domain.organisations import Organisation
from domain.petition import Petition
from domain.reference import District, Province
from usecases.commands import Refer


def raising_organisation(province: Province, actor: Actor) -> Organisation:
    """Where a petition the actor records is raised: the actor's organisation (the
    deployment's only one for the service's own processes)."""
    code = actor.organisation
    if code is None:
        only = province.only_below()
        if only is None:
            raise InvalidCommand("organisation", say("organisation.unnamed"))
        return only
    organisation = province.organisation(code)
    if organisation.code == province.code:
        raise InvalidCommand("organisation", say("organisation.province"))
    return organisation


def reference_of(province: Province, petition: Petition) -> District:
    """The reference data a command on the petition validates against: the province's
    while a department of it holds the petition."""
    return province.reference(petition.referred_to or petition.organisation)


def briefing_due_date(province: Province, petition: Petition, on: date) -> date:
    """The due date the raising organisation's calendar gives, from ``on``: its zone's
    next briefing, or its cell's next meeting, as the organisation's setting says (its
    meetings hear the answer, whoever gives it)."""
    reference = province.reference(petition.organisation)
    return reference.default_due_date(petition.zone, on, petition.cell)


def due_fields(app: Dated, given: date | None, petition: Petition, on: date) -> dict[str, Any]:
    """The due date of an assignment of ``on`` and how it was computed, as the aggregate's
    command takes them: the ``given`` one (a basis of None: given by hand, as the aggregate
    records it), else the raising organisation's calendar's, explained."""
    if given is not None:
        return {"due_on": app.dates.check("due_on", given), "due_basis": None}
    due_on = briefing_due_date(app.province, petition, on)
    reference = app.province.reference(petition.organisation)
    basis = due_basis.explain(reference, petition.zone, petition.cell, on, due_on)
    return {"due_on": due_on, "due_basis": basis}


class Dated(Protocol):
    """What ``due_fields`` reads of the application: its organisations and its span of dates."""

    province: Province
    dates: BusinessDates


def check_referral(province: Province, command: Refer, day: date) -> None:
    """A referral goes to the province, to one of its own departments not retired by
    ``day``."""
    if command.organisation != province.code:
        province.organisation(command.organisation)  # an unknown one is said so
        raise InvalidCommand("organisation", say("referral.to_province"))
    province.reference(province.code).department_on(command.department, day)
