"""Meetings scheduled from the calendar: every briefing the zones' rules give in a period,
and every meeting the cells' calendars give, each scheduled once.

A meeting the calendar gives is scheduled under an id of its own drawn from what it is
(the organisation, the kind, the zone or cell, the day), so scheduling the same period
again schedules nothing twice, even two requests at once; a meeting already scheduled by
hand for that zone or cell and day (as the meetings' view holds them) is not scheduled
again either. The whole period is checked before anything is saved, then saved at once:
a refused request schedules nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.persistence import IntegrityError

from domain.errors import ConcurrentUpdate, InvalidCommand
from domain.meeting import Meeting
from domain.messages import say
from domain.reference import District
from domain.vocabulary import MeetingKind
from projections.meetings import Period
from usecases import access
from usecases.access import UseCase
from usecases.commands import Context

if TYPE_CHECKING:
    from usecases.meetings import Meetings

SPAN_MAX = 366  # days a request schedules at most: a year's meetings
KINDS = (MeetingKind.SECRETARY_BRIEFING, MeetingKind.CELL_MEETING)
NAMESPACE = uuid5(NAMESPACE_URL, "petitions:meeting-calendar")


@dataclass(frozen=True, kw_only=True)
class ScheduleFromCalendar:
    """The meetings of ``kinds`` the calendars give from ``start`` to ``end``: a cell
    meeting is attended by its cell's ``cell_members`` if named, else by ``members``."""

    start: date
    end: date
    kinds: tuple[str, ...] = tuple(KINDS)
    members: tuple[str, ...] = ()
    cell_members: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    on: date | None = None


@dataclass(frozen=True)
class Planned:
    """One meeting a calendar gives."""

    kind: MeetingKind
    scheduled_on: date
    zone: str | None = None
    cell: str | None = None
    commune: str | None = None

    def key(self) -> tuple[str, str | None, str | None, date]:
        return (str(self.kind), self.zone, self.cell, self.scheduled_on)

    def id(self, organisation: str) -> UUID:
        """The id the calendar's meeting is scheduled under."""
        kind, zone, cell, day = self.key()
        return uuid5(NAMESPACE, f"{organisation}/{kind}/{zone or ''}/{cell or ''}/{day}")

    def read(self, meeting_id: UUID | None = None) -> dict[str, Any]:
        found = {"kind": str(self.kind), "zone": self.zone, "cell": self.cell}
        return found | {"scheduled_on": self.scheduled_on, "id": meeting_id}


def planned(reference: District, start: date, end: date, kinds: tuple[str, ...]) -> list[Planned]:
    """The meetings of ``kinds`` the organisation's calendars give from ``start`` to
    ``end``: each zone's briefings, and each cell's meetings while it is not retired."""
    found: list[Planned] = []
    if MeetingKind.SECRETARY_BRIEFING in kinds:
        for code, zone in sorted(reference.zones.items()):
            if zone.calendar is not None:
                found += [
                    Planned(MeetingKind.SECRETARY_BRIEFING, day, zone=code)
                    for day in zone.calendar.between(start, end)
                ]
    if MeetingKind.CELL_MEETING in kinds:
        for code, cell in sorted(reference.cells.items()):
            calendar = reference.cell_calendar(code)
            if calendar is not None:
                found += [
                    Planned(MeetingKind.CELL_MEETING, day, cell=code, commune=cell.commune)
                    for day in calendar.between(start, end)
                    if cell.open_on(day)
                ]
    return sorted(found, key=lambda p: (p.scheduled_on, str(p.kind), p.zone or "", p.cell or ""))


class MeetingCalendar:
    """Scheduling from the calendar, over the meetings' use cases."""

    def __init__(self, meetings: Meetings) -> None:
        self.meetings = meetings

    def schedule(self, command: ScheduleFromCalendar, ctx: Context) -> dict[str, Any]:
        """Schedule what the calendars give in the period and was not yet scheduled;
        answer what was scheduled and what already was."""
        access.check(ctx.actor, UseCase.SCHEDULE_MEETING)
        meetings, app = self.meetings, self.meetings.app
        organisation = meetings.organisation_of(ctx.actor)
        reference = meetings.province.reference(organisation.code)
        day = app.business_date(command.on)
        start = app.dates.check("from", command.start)
        end = app.dates.check("to", command.end)
        if start > end:
            raise InvalidCommand("from", say("period.reversed"))
        if (end - start).days >= SPAN_MAX:
            raise InvalidCommand("to", say("meeting_calendar.span", most=SPAN_MAX))
        if not command.kinds or any(k not in KINDS for k in command.kinds):
            raise InvalidCommand("kinds", say("value.not_listed"))
        for cell in command.cell_members:
            reference.cell(cell)  # an unknown cell is said so
        plan = planned(reference, start, end, command.kinds)
        before = self.scheduled_before(organisation.code, start, end)
        stamp = ctx.stamp(day)
        new: list[Meeting] = []
        already: list[dict[str, Any]] = []
        for p in plan:
            meeting_id = p.id(organisation.code)
            if p.key() in before or self.kept(meeting_id):
                already.append(p.read(before.get(p.key(), meeting_id)))
                continue
            members = command.members
            if p.cell is not None:
                members = command.cell_members.get(p.cell) or command.members
                if not members:
                    raise InvalidCommand("members", say("meeting_calendar.members"))
            new.append(
                Meeting.schedule(
                    organisation=organisation.code,
                    kind=p.kind,
                    scheduled_on=p.scheduled_on,
                    zone=p.zone,
                    cell=p.cell,
                    commune=p.commune,
                    members=members if p.cell is not None else (),
                    stamp=stamp,
                    id=meeting_id,
                )
            )
        position = None
        if new:
            try:
                recordings = app.save(*new)
            except IntegrityError:
                raise ConcurrentUpdate(say("meeting.concurrent")) from None
            position = recordings[-1].notification.id
        by_id = {m.id: m for m in new}
        return {
            "from": start,
            "to": end,
            "scheduled": [
                p.read(p.id(organisation.code)) for p in plan if p.id(organisation.code) in by_id
            ],
            "already_scheduled": already,
            "position": position,
        }

    def scheduled_before(self, organisation: str, start: date, end: date) -> dict[Any, UUID]:
        """The meetings the view holds of the organisation in the period, by kind, zone,
        cell and day (whoever scheduled them, however they went since)."""
        view = self.meetings.queries.views.meetings
        rows = view.meetings(Period(frozenset({organisation}), start, end), limit=100_000)
        return {(r["kind"], r["zone"], r["cell"], r["scheduled_on"]): r["meeting_id"] for r in rows}

    def kept(self, meeting_id: UUID) -> bool:
        """Whether the log holds the meeting (the calendar scheduled it before)."""
        return bool(self.meetings.app.recorder.select_events(meeting_id, limit=1))
