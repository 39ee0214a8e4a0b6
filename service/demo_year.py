"""The demo's year of petitions and meetings (``service.demo_meetings``' plan), recorded
through the application: the petitions' commands through ``Petitions``, the meetings'
through the meetings' use cases, each by the clerk of the meeting's organisation, the
petitions naming the meetings by their ids once they are recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from uuid import UUID

from domain.actors import Actor, Command, Role
from domain.vocabulary import MeetingKind
from service.bootstrap import Service
from service.demo import Step, apply_step, issuer
from service.demo_meetings import MeetingStep, Year
from usecases.commands import Context
from usecases.meetings import (
    CancelMeeting,
    CloseMeeting,
    HoldMeeting,
    IssueAgenda,
    MeetingCommandType,
    Meetings,
    MoveMeeting,
    RecordMinutes,
    ScheduleMeeting,
    SendNotice,
)


def run_year(
    service: Service,
    year: Year,
    packet: Callable[[], None],
    on_progress: Callable[[int], None] | None = None,
) -> dict[int, UUID]:
    """Record the year through the application; returns plan index -> petition id. The
    petitions name the meetings by their ids, once recorded; ``packet`` brings the
    briefing packet's view up to the log before an agenda is issued from it."""
    assign_members(service, year)
    meetings = service.meetings
    ids: dict[int, UUID] = {}
    kept: dict[str, UUID] = {}
    for n, step in enumerate(year.steps()):
        if isinstance(step, MeetingStep):
            record_meeting(meetings, step, ids, kept, clerk(step.organisation), packet)
        else:
            apply_step(service.app, named(step, kept), ids)
        if on_progress and n % 500 == 0:
            on_progress(n)
    return ids


def assign_members(service: Service, year: Year) -> None:
    """The year's committee members assigned by their organisation's admin for the
    year's span, before any meeting of it, so the duty's reports hold them: to their
    group's communes, or (a commune's own members) to every cell of the commune."""
    days = [s.on for s in year.steps()]
    if not year.members or not days:
        return
    start, end = min(days), max(days)
    by_organisation: dict[str | None, list[dict[str, object]]] = {}
    for m in year.members:
        places: dict[str, object] = {"communes": m.communes}
        if not m.communes and m.organisation is not None:
            places = {"cells": sorted(service.app.province.reference(m.organisation).cells)}
        by_organisation.setdefault(m.organisation, []).append(
            {"code": m.code, "name": m.name, **places}
        )
    for organisation, members in by_organisation.items():
        code = f"quan-tri-{organisation or 'huyen'}"
        admin = Actor(code, Role.ADMIN, organisation=organisation, name="Quản trị hệ thống")
        service.duties.assign_members(members, start, end, Context(admin), on=start)


def clerk(organisation: str | None) -> Context:
    """The clerk of ``organisation`` who records its meetings: the one who records what
    is said at its briefings."""
    return Context(issuer(Step(date.min, 0, 0, Command.RAISE, organisation=organisation)))


def named(step: Step, kept: dict[str, UUID]) -> Step:
    """The step with the meeting it names by the plan's key named by its id."""
    if step.command == "raise":
        draft = step.args["draft"]
        if draft.meeting in kept:
            return replace(step, args={"draft": replace(draft, meeting=str(kept[draft.meeting]))})
    elif step.args.get("meeting") in kept:
        return replace(step, args=step.args | {"meeting": str(kept[step.args["meeting"]])})
    return step


def record_meeting(
    meetings: Meetings,
    step: MeetingStep,
    ids: dict[int, UUID],
    kept: dict[str, UUID],
    ctx: Context,
    packet: Callable[[], None],
) -> None:
    a, on = step.args, step.on
    command: MeetingCommandType
    if step.command == "schedule":
        kind = MeetingKind.CELL_MEETING if "cell" in a else MeetingKind.SECRETARY_BRIEFING
        schedule = ScheduleMeeting(
            kind=str(kind),
            scheduled_on=a["scheduled_on"],
            zone=a.get("zone"),
            cell=a.get("cell"),
            members=tuple(a.get("members", ())),
            on=on,
        )
        kept[step.meeting] = meetings.execute(schedule, ctx).id
        return
    mid = kept[step.meeting]
    if step.command == "agenda":  # the packet as the views hold the log so far
        packet()
    match step.command:
        case "move":
            command = MoveMeeting(meeting_id=mid, on=on, **a)
        case "cancel":
            command = CancelMeeting(meeting_id=mid, on=on, **a)
        case "notice":
            command = SendNotice(meeting_id=mid, on=on, recipients=tuple(a["recipients"]))
        case "agenda":
            command = IssueAgenda(meeting_id=mid, on=on)
        case "hold":
            command = HoldMeeting(
                meeting_id=mid, on=on, chair=a["chair"], attendance=tuple(a["attendance"])
            )
        case "minutes":
            command = RecordMinutes(
                meeting_id=mid,
                on=on,
                text=a["text"],
                petitions_raised=tuple(ids[p] for p in a["raised"]),
                answers_read=tuple(ids[p] for p in a["read"]),
                verdicts=tuple((ids[p], v) for p, v in a["verdicts"]),
            )
        case "close":
            command = CloseMeeting(meeting_id=mid, on=on)
        case _:
            raise ValueError(f"unknown meeting step {step.command}")
    meetings.execute(command, ctx)
