"""The members' duty to attend cell meetings: the admin of an organisation assigns its
committee members to communes and/or cells for a term, changes an assignment or ends it
early (each with a reason); the organisation's clerks, committee and auditors read the
assignments with their history, and the reports: a member's calendar of expected cell
meetings, who attended none this month, which cells no member visited for some months,
and each member's yearly record for the year-end evaluation.

Assignments are stored in the petitions' event store (``Petitions``), like the meetings:
one log, one audit chain, one set of read models. To anyone else an organisation's
assignment does not exist (404).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.duty import Duty, DutyCommand
from domain.duty_record import (
    Member,
    calendar,
    month_days,
    not_attending,
    unvisited,
    yearly_record,
)
from domain.errors import ConcurrentUpdate, InvalidCommand, StaleVersion
from domain.messages import say
from domain.organisations import Organisation
from domain.records import plain
from domain.reference import District
from domain.vietnam import local_date
from usecases import access
from usecases.access import UseCase
from usecases.commands import Context, Written
from usecases.errors import Refused
from usecases.people import name_unnamed

if TYPE_CHECKING:
    from domain.actors import Actor
    from projections.duties import DutiesView
    from usecases.petitions import Petitions
    from usecases.queries import PetitionQueries

DEFAULT_MONTHS = 3  # the cells not visited for this many months, unless asked otherwise


# ---- the commands ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AssignDuty:
    """The member ``member`` (named ``name``) assigned to ``communes`` and/or ``cells``
    from ``start_on`` to ``end_on``; recorded on ``on`` (None: today)."""

    command: ClassVar[DutyCommand] = DutyCommand.ASSIGN
    member: str
    name: str
    communes: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()
    start_on: date
    end_on: date
    on: date | None = None


@dataclass(frozen=True, kw_only=True)
class DutyChange:
    """A command on one assignment: the business day (None: today), the version seen."""

    command: ClassVar[DutyCommand]
    assignment_id: UUID
    on: date | None = None
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class ChangeDuty(DutyChange):
    command: ClassVar[DutyCommand] = DutyCommand.CHANGE
    effective_on: date
    communes: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()
    end_on: date
    reason: str


@dataclass(frozen=True, kw_only=True)
class EndDuty(DutyChange):
    command: ClassVar[DutyCommand] = DutyCommand.END
    ended_on: date
    reason: str


DutyCommandType = AssignDuty | DutyChange


# ---- the use cases -----------------------------------------------------------------------


class Duties:
    """The members' duty: its commands and reads, on the petitions' application and views."""

    def __init__(self, app: Petitions, queries: PetitionQueries) -> None:
        self.app, self.queries = app, queries

    @property
    def view(self) -> DutiesView:
        return self.queries.views.duties

    def execute(self, command: DutyCommandType, ctx: Context) -> Written:
        """The admin's command on an assignment: the role first, then what it is of."""
        access.check(ctx.actor, UseCase(command.command.value))
        if isinstance(command, AssignDuty):
            return self.assign(command, ctx)
        duty = self.load(ctx.actor, command.assignment_id)
        self.organisation_of(ctx.actor, duty.organisation)
        expected = command.expected_version
        if expected is not None and expected != duty.version:
            raise StaleVersion(
                say("duty.version_stale", current=duty.version, expected=expected),
                current_version=duty.version,
            )
        stamp = ctx.stamp(self.app.business_date(command.on))
        reference = self.app.province.reference(duty.organisation)
        if isinstance(command, ChangeDuty):
            communes, cells = self.places(reference, command.communes, command.cells)
            duty.change(
                effective_on=self.app.dates.check("effective_on", command.effective_on),
                communes=communes,
                cells=cells,
                end_on=self.app.dates.check("end_on", command.end_on),
                reason=command.reason,
                stamp=stamp,
            )
        elif isinstance(command, EndDuty):
            duty.end(
                ended_on=self.app.dates.check("ended_on", command.ended_on),
                reason=command.reason,
                stamp=stamp,
            )
        else:
            raise TypeError(f"no handler for {type(command).__name__}")
        return self.save(duty)

    def assign(self, command: AssignDuty, ctx: Context) -> Written:
        organisation = self.organisation_of(ctx.actor)
        reference = self.app.province.reference(organisation.code)
        communes, cells = self.places(reference, command.communes, command.cells)
        duty = Duty.assign(
            organisation=organisation.code,
            member=command.member,
            name=command.name,
            communes=communes,
            cells=cells,
            start_on=self.app.dates.check("start_on", command.start_on),
            end_on=self.app.dates.check("end_on", command.end_on),
            stamp=ctx.stamp(self.app.business_date(command.on)),
        )
        return self.save(duty)

    def assign_members(
        self,
        members: Iterable[Mapping[str, Any]],
        start_on: date,
        end_on: date,
        ctx: Context,
        on: date | None = None,
    ) -> list[Written]:
        """Each of ``members`` ({code, name, communes, cells}, as a seed lists them)
        assigned for the term from ``start_on`` to ``end_on``."""
        return [
            self.execute(
                AssignDuty(
                    member=str(m["code"]),
                    name=str(m["name"]),
                    communes=tuple(m.get("communes") or ()),
                    cells=tuple(m.get("cells") or ()),
                    start_on=start_on,
                    end_on=end_on,
                    on=on,
                ),
                ctx,
            )
            for m in members
        ]

    def organisation_of(self, actor: Actor, code: str | None = None) -> Organisation:
        """The organisation whose members the actor assigns: its own (the deployment's
        only one for the service's own processes); the province assigns none here."""
        province = self.app.province
        own = actor.organisation
        if own is None:
            only = province.only_below()
            if only is None:
                raise InvalidCommand("organisation", say("meeting.organisation_unnamed"))
            own = only.code
        if own == province.code:
            raise Refused("forbidden", say("forbidden.province_duties"))
        if code is not None and code != own:  # seen through the province's eyes only
            raise Refused("forbidden", say("forbidden.province_duties"))
        return province.organisation(own)

    @staticmethod
    def places(
        reference: District, communes: Iterable[str], cells: Iterable[str]
    ) -> tuple[list[str], list[str]]:
        """The communes and cells named, each known to the organisation's reference data."""
        found: list[list[str]] = []
        for field, known, given in (
            ("communes", reference.communes, communes),
            ("cells", reference.cells, cells),
        ):
            codes = [c.strip() for c in given]
            for code in codes:
                if code and code not in known:
                    raise InvalidCommand(field, say("reference.unknown", code=code))
            found.append(codes)
        return found[0], found[1]

    # ---- reads ----------------------------------------------------------------------------

    def assignments(
        self,
        actor: Actor,
        *,
        organisation: str | None = None,
        member: str | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        access.check(actor, UseCase.READ_DUTIES)
        view = self.queries.caught_up(self.view, min_position)
        items = view.assignments(self.queries.asked(actor, organisation), member=member)
        return {"items": items}

    def assignment(self, actor: Actor, assignment_id: UUID) -> dict[str, Any]:
        """The assignment read from its events, with its history: who assigned, changed
        or ended it, when, why."""
        access.check(actor, UseCase.READ_DUTIES)
        duty = self.load(actor, assignment_id)
        events = [e for e in self.app.events.get(assignment_id) if isinstance(e, Duty.Event)]
        history = [history_row(e) for e in events]
        name_unnamed(history, self.queries.known_names, id_key="actor_id", name_key="actor_name")
        last = duty.spans[-1]
        return {
            "assignment_id": duty.id,
            "organisation": duty.organisation,
            "member": duty.member,
            "name": duty.name,
            "start_on": duty.start_on,
            "end_on": duty.end_on,
            "ended_on": duty.ended_on,
            "end_reason": duty.end_reason,
            "status": str(duty.status),
            "communes": list(last.communes),
            "cells": list(last.cells),
            "spans": [plain(s) for s in duty.spans],
            "assigned_on": events[0].business_date,
            "version": duty.version,
            "history": history,
        }

    def reading(
        self, actor: Actor, organisation: str | None, min_position: int | None
    ) -> frozenset[str] | None:
        """The organisations a report holds, once both views it reads are caught up."""
        access.check(actor, UseCase.DUTY_REPORTS)
        scope = self.queries.asked(actor, organisation)
        self.queries.caught_up(self.view, min_position)
        self.queries.caught_up(self.queries.views.meetings, min_position)
        return scope

    def calendar(
        self,
        actor: Actor,
        member: str,
        *,
        year: int,
        month: int | None = None,
        organisation: str | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        """The member's expected cell meetings in the year (or a month of it)."""
        scope = self.reading(actor, organisation, min_position)
        start, end = self.period(year, month)
        members = self.view.members(scope, start, end, member=member)
        if not members:
            raise Refused("not_found", say("duty.member_unknown", member=member))
        meetings = self.view.cell_meetings(self.queries.views.meetings, scope, start, end)
        return {
            "year": year,
            "month": month,
            "members": [
                {"organisation": m.organisation, "member": m.code, "name": m.name}
                | calendar(m, meetings, start, end)
                for m in members
            ],
        }

    def not_attending(
        self,
        actor: Actor,
        *,
        year: int,
        month: int,
        organisation: str | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        """The members with a term in the month who attended no cell meeting in it."""
        scope = self.reading(actor, organisation, min_position)
        start, end = self.period(year, month)
        members = self.view.members(scope, start, end)
        meetings = self.view.cell_meetings(self.queries.views.meetings, scope, start, end)
        return {
            "year": year,
            "month": month,
            "items": [named(m) for m in not_attending(members, meetings, (year, month))],
        }

    def unvisited(
        self,
        actor: Actor,
        *,
        months: int = DEFAULT_MONTHS,
        on: date | None = None,
        organisation: str | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        """The cells no committee member came to a cell meeting of in the ``months`` months
        up to ``on`` (today), with the last visit."""
        scope = self.reading(actor, organisation, min_position)
        day = self.app.dates.check("on", on or self.app.today())
        codes = sorted(self.app.province.organisations) if scope is None else sorted(scope)
        cells = [
            (code, cell.code, cell.commune)
            for code in codes
            if code != self.app.province.code
            for cell in sorted(self.app.province.reference(code).cells.values(), key=key)
            if cell.open_on(day)
        ]
        meetings = self.view.cell_meetings(
            self.queries.views.meetings, scope, self.app.dates.earliest, day
        )
        return {"on": day, "months": months, "items": unvisited(cells, meetings, day, months)}

    def records(
        self,
        actor: Actor,
        *,
        year: int,
        organisation: str | None = None,
        member: str | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        """Each member's record of the year for the year-end evaluation."""
        scope = self.reading(actor, organisation, min_position)
        start, end = self.period(year, None)
        meetings_view = self.queries.views.meetings
        members = self.view.members(scope, start, end, member=member)
        meetings = self.view.cell_meetings(meetings_view, scope, start, end)
        seats = self.view.briefing_seats(meetings_view, scope, start, end)
        petitions = self.view.cell_petitions(meetings_view, scope, start, end)
        return {
            "year": year,
            "items": [yearly_record(m, meetings, seats, petitions, year).plain() for m in members],
        }

    def period(self, year: int, month: int | None) -> tuple[date, date]:
        self.app.dates.check_year("year", year)
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if not 1 <= month <= 12:
            raise InvalidCommand("month", say("value.not_listed"))
        return month_days((year, month))

    # ---- loading and saving ---------------------------------------------------------------

    def load(self, actor: Actor, assignment_id: UUID) -> Duty:
        """The assignment, if the actor may see its organisation's (else as for none)."""
        try:
            found: object = self.app.repository.get(assignment_id)
        except AggregateNotFoundError:
            found = None
        if not isinstance(found, Duty) or not access.sees_organisation(
            actor, self.app.province, found.organisation
        ):
            raise Refused("not_found", say("duty.not_found", assignment_id=assignment_id))
        return found

    def save(self, duty: Duty) -> Written:
        try:
            recordings = self.app.save(duty)
        except IntegrityError:
            raise ConcurrentUpdate(say("duty.concurrent")) from None
        return Written.saved(duty, recordings)


def history_row(e: Duty.Event) -> dict[str, Any]:
    """An event of an assignment as its history lists it (as the view's rows are)."""
    return {
        "version": e.originator_version,
        "type": type(e).__name__,
        "business_date": e.business_date,
        "recorded_on": local_date(e.timestamp),
        "actor_id": e.actor.id,
        "actor_name": e.actor.name,
        "effective_on": getattr(e, "effective_on", None),
        "communes": getattr(e, "communes", None),
        "cells": getattr(e, "cells", None),
        "start_on": getattr(e, "start_on", None),
        "end_on": getattr(e, "end_on", getattr(e, "ended_on", None)),
        "reason": getattr(e, "reason", None),
    }


def named(member: Member) -> dict[str, Any]:
    return {"organisation": member.organisation, "member": member.code, "name": member.name}


def key(cell: Any) -> str:
    return str(cell.code)
