"""The meetings' use cases: schedule, move, cancel, send the notice, issue the agenda from
the briefing packet, hold with attendance, record the minutes and close a meeting; read
one, list them, and report their attendance. And the links a petition makes to a meeting
the service keeps: the one it was raised at, the one its verdict was given at.

Meetings are stored in the petitions' event store (``Petitions``), so one log, one audit
chain and one set of read models hold both. The access rules are ``usecases.access``'s:
an organisation's clerks and committee record its meetings, they and the auditors read them;
to anyone else a meeting of another organisation does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.errors import ConcurrentUpdate, InvalidCommand, MeetingNotFound, StaleVersion
from domain.meeting import Meeting
from domain.messages import say
from domain.organisations import Organisation
from domain.petition import Petition
from domain.records import plain
from domain.reference import District, Province
from domain.vietnam import local_date
from domain.vocabulary import (
    AttendeeRole,
    Channel,
    MeetingCommand,
    MeetingKind,
    MeetingStatus,
)
from projections.meetings import Period
from usecases import access
from usecases.access import UseCase
from usecases.commands import Context, PetitionDraft, Written
from usecases.errors import Refused
from usecases.people import name_unnamed
from usecases.records import event_record

if TYPE_CHECKING:
    from domain.actors import Actor
    from usecases.petitions import Petitions
    from usecases.queries import PetitionQueries

# The statuses of a meeting that was held: petitions are raised and verified at it.
HELD = frozenset({MeetingStatus.HELD, MeetingStatus.MINUTED})
PACKET_PARTS = ("raised_at_previous", "unanswered", "awaiting_verification")


# ---- the commands ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ScheduleMeeting:
    """A briefing of the organisation (or of ``zone``), or a ``cell``'s meeting attended
    by the committee ``members``, on ``scheduled_on``; recorded on ``on`` (None: today)."""

    command: ClassVar[MeetingCommand] = MeetingCommand.SCHEDULE
    kind: str
    scheduled_on: date
    zone: str | None = None
    cell: str | None = None
    members: tuple[str, ...] = ()
    on: date | None = None


@dataclass(frozen=True, kw_only=True)
class MeetingChange:
    """A command on one meeting: the business day (None: today), the version seen."""

    command: ClassVar[MeetingCommand]
    meeting_id: UUID
    on: date | None = None
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class MoveMeeting(MeetingChange):
    command: ClassVar[MeetingCommand] = MeetingCommand.MOVE
    scheduled_on: date
    reason: str


@dataclass(frozen=True, kw_only=True)
class CancelMeeting(MeetingChange):
    command: ClassVar[MeetingCommand] = MeetingCommand.CANCEL
    reason: str


@dataclass(frozen=True, kw_only=True)
class SendNotice(MeetingChange):
    command: ClassVar[MeetingCommand] = MeetingCommand.SEND_NOTICE
    recipients: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class IssueAgenda(MeetingChange):
    """The agenda: ``petitions`` as given, or (None) the briefing packet's, as the views
    hold it at ``min_position``."""

    command: ClassVar[MeetingCommand] = MeetingCommand.ISSUE_AGENDA
    petitions: tuple[UUID, ...] | None = None
    min_position: int | None = None


@dataclass(frozen=True, kw_only=True)
class HoldMeeting(MeetingChange):
    command: ClassVar[MeetingCommand] = MeetingCommand.HOLD
    chair: str
    attendance: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, kw_only=True)
class RecordMinutes(MeetingChange):
    command: ClassVar[MeetingCommand] = MeetingCommand.RECORD_MINUTES
    text: str
    petitions_raised: tuple[UUID, ...] = ()
    answers_read: tuple[UUID, ...] = ()
    verdicts: tuple[tuple[UUID, str], ...] = ()


@dataclass(frozen=True, kw_only=True)
class CloseMeeting(MeetingChange):
    command: ClassVar[MeetingCommand] = MeetingCommand.CLOSE


MeetingCommandType = ScheduleMeeting | MeetingChange


# ---- the use cases -----------------------------------------------------------------------


class Meetings:
    """The meetings' command and read side, on the petitions' application and views."""

    def __init__(self, app: Petitions, queries: PetitionQueries, notice_days: int) -> None:
        self.app, self.queries, self.notice_days = app, queries, notice_days

    @property
    def province(self) -> Province:
        return self.app.province

    def execute(self, command: MeetingCommandType, ctx: Context) -> Written:
        """A person's command on a meeting: the role first, then what it is of."""
        access.check(ctx.actor, UseCase(command.command.value))
        if isinstance(command, ScheduleMeeting):
            return self.schedule(command, ctx)
        meeting = self.load(command.meeting_id)
        access.check_records_meeting(ctx.actor, meeting, self.province)
        expected = command.expected_version
        if expected is not None and expected != meeting.version:
            raise StaleVersion(
                say("meeting.version_stale", current=meeting.version, expected=expected),
                current_version=meeting.version,
            )
        day = self.app.business_date(command.on)
        stamp = ctx.stamp(day)
        reference = self.province.reference(meeting.organisation)
        match command:
            case MoveMeeting():
                on = self.app.dates.check("scheduled_on", command.scheduled_on)
                meeting.move(scheduled_on=on, reason=command.reason, stamp=stamp)
            case CancelMeeting():
                meeting.cancel(reason=command.reason, stamp=stamp)
            case SendNotice():
                meeting.send_notice(
                    recipients=command.recipients, required_days=self.notice_days, stamp=stamp
                )
            case IssueAgenda():
                petitions = (
                    self.packet_of(ctx.actor, meeting, reference, command.min_position)
                    if command.petitions is None
                    else self.petitions_of(meeting, "petitions", command.petitions)
                )
                meeting.issue_agenda(petitions=petitions, stamp=stamp)
            case HoldMeeting():
                attendance = [self.attendee(reference, meeting, a) for a in command.attendance]
                meeting.hold(chair=command.chair, attendance=attendance, stamp=stamp)
            case RecordMinutes():
                meeting.record_minutes(
                    text=command.text,
                    petitions_raised=self.petitions_of(
                        meeting, "petitions_raised", command.petitions_raised
                    ),
                    answers_read=self.petitions_of(meeting, "answers_read", command.answers_read),
                    verdicts=[
                        (p, v)
                        for p, v in zip(
                            self.petitions_of(
                                meeting, "verdicts", [p for p, _ in command.verdicts]
                            ),
                            [v for _, v in command.verdicts],
                            strict=True,
                        )
                    ],
                    stamp=stamp,
                )
            case CloseMeeting():
                meeting.close(stamp=stamp)
            case _:
                raise TypeError(f"no handler for {type(command).__name__}")
        return self.save(meeting)

    def schedule(self, command: ScheduleMeeting, ctx: Context) -> Written:
        organisation = self.organisation_of(ctx.actor)
        reference = self.province.reference(organisation.code)
        day = self.app.business_date(command.on)
        scheduled_on = self.app.dates.check("scheduled_on", command.scheduled_on)
        commune = None
        if command.zone is not None and command.zone not in reference.zones:
            raise InvalidCommand("zone", say("zone.unknown_here", zone=command.zone))
        if command.cell is not None:
            commune = reference.cell_on(command.cell, day).commune
        members = command.members or self.queries.views.duties.expected(  # else those assigned
            organisation.code, command.cell, commune, scheduled_on)
        meeting = Meeting.schedule(
            organisation=organisation.code,
            kind=command.kind,
            scheduled_on=scheduled_on,
            zone=command.zone,
            cell=command.cell,
            commune=commune,
            members=members,
            stamp=ctx.stamp(day),
        )
        return self.save(meeting)

    def organisation_of(self, actor: Actor) -> Organisation:
        """The organisation whose meeting the actor schedules: its own (the deployment's
        only one for the service's own processes); the province holds no meetings here."""
        code = actor.organisation
        if code is None:
            only = self.province.only_below()
            if only is None:
                raise InvalidCommand("organisation", say("meeting.organisation_unnamed"))
            return only
        if code == self.province.code:
            raise Refused("forbidden", say("forbidden.province_meetings"))
        return self.province.organisation(code)

    # ---- what the commands name, checked against the reference data and the log ----------

    def attendee(
        self, reference: District, meeting: Meeting, entry: Mapping[str, Any]
    ) -> dict[str, Any]:
        """An attendance entry with its secretary's commune: the cell known, and of the
        zone whose briefing it is; the department known."""
        found = dict(entry)
        if found.get("role") == AttendeeRole.SECRETARY and found.get("cell"):
            cell = str(found["cell"])
            found["commune"] = reference.cell(cell).commune
            if meeting.zone is not None and reference.zone_of_cell(cell).code != meeting.zone:
                raise InvalidCommand(
                    "attendance", say("attendance.cell_zone", cell=cell, zone=meeting.zone)
                )
        if found.get("department"):
            reference.department(str(found["department"]))
        return found

    def petitions_of(self, meeting: Meeting, field: str, ids: Sequence[UUID]) -> list[UUID]:
        """Petitions a command on ``meeting`` names: each of the meeting's organisation,
        else no such petition (as for an id that names none)."""
        for pid in ids:
            petition = self.app.load(pid, field=field)
            if petition.organisation != meeting.organisation:
                raise InvalidCommand(field, say("petition.unknown", petition_id=pid))
        return list(ids)

    def packet_of(
        self, actor: Actor, meeting: Meeting, reference: District, min_position: int | None
    ) -> list[UUID]:
        """The briefing packet's petitions for the meeting, in the packet's order: its
        zone's (every zone's, for the organisation's briefing; a cell meeting's, those of
        its cell in its zone's), each once."""
        if meeting.kind is MeetingKind.CELL_MEETING:
            assert meeting.cell is not None
            zones = [reference.zone_of_cell(meeting.cell).code]
        else:
            zones = [meeting.zone] if meeting.zone else sorted(reference.zones)
        found: list[UUID] = []
        for zone in zones:
            packet = self.queries.packet(
                actor, zone, meeting.scheduled_on, min_position=min_position
            )
            for part in PACKET_PARTS:
                for row in packet[part]:
                    if meeting.cell is not None and row["cell"] != meeting.cell:
                        continue
                    if row["petition_id"] not in found:
                        found.append(row["petition_id"])
        return found

    # ---- reads ----------------------------------------------------------------------------

    def meeting(
        self, actor: Actor, meeting_id: UUID, *, min_position: int | None = None
    ) -> dict[str, Any]:
        """The meeting's state, read from its events, and what the views link to it."""
        access.check(actor, UseCase.READ_MEETINGS)
        meeting = self.load(meeting_id)
        access.check_sees_meeting(actor, meeting, self.province)
        view = self.queries.caught_up(self.queries.views.meetings, min_position)
        linked = view.linked(meeting_id)
        return describe(meeting) | {
            "linked_petitions": linked["raised"],
            "linked_verdicts": linked["verdicts"],
        }

    def history(self, actor: Actor, meeting_id: UUID) -> list[dict[str, Any]]:
        """Every event of the meeting: type, both times, actor, request id, payload, and
        how many days after its business date it was recorded (``backdated`` beyond the
        tolerance)."""
        access.check(actor, UseCase.READ_MEETINGS)
        access.check_sees_meeting(actor, self.load(meeting_id), self.province)
        events = [e for e in self.app.events.get(meeting_id) if isinstance(e, Meeting.Event)]
        records = [event_record(e) for e in events]
        tolerance = self.queries.settings.backdating_tolerance_days
        for record, event in zip(records, events, strict=True):
            record["actor"]["organisation"] = event.actor.organisation
            record["delay_days"] = (local_date(event.timestamp) - event.business_date).days
            record["backdated"] = record["delay_days"] > tolerance
        name_unnamed((r["actor"] for r in records), self.queries.known_names)
        return records

    def meetings(
        self,
        actor: Actor,
        *,
        organisation: str | None = None,
        start: date | None = None,
        end: date | None = None,
        kind: str | None = None,
        status: str | None = None,
        limit: int = 100,
        offset: int = 0,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        access.check(actor, UseCase.READ_MEETINGS)
        self.queries.checked_dates(**{"from": start, "to": end})
        view = self.queries.caught_up(self.queries.views.meetings, min_position)
        period = Period(self.queries.asked(actor, organisation), start, end)
        items = view.meetings(period, kind=kind, status=status, limit=limit, offset=offset)
        return {"items": items, "limit": limit, "offset": offset}

    def attendance(
        self,
        actor: Actor,
        *,
        organisation: str | None = None,
        start: date | None = None,
        end: date | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        """Attendance at the meetings held from ``start`` to ``end``: per secretary, cell,
        commune and organisation at the briefings, per committee member at cell meetings
        and briefings with the petitions raised at the cell meetings, and how many were
        held, noticed late, left without minutes."""
        access.check(actor, UseCase.ATTENDANCE_REPORT)
        self.queries.checked_dates(**{"from": start, "to": end})
        if start is not None and end is not None and start > end:
            raise InvalidCommand("from", say("period.reversed"))
        view = self.queries.caught_up(self.queries.views.meetings, min_position)
        period = Period(self.queries.asked(actor, organisation), start, end)
        return {"from": start, "to": end, "notice_days": self.notice_days} | view.attendance(period)

    # ---- loading and saving ---------------------------------------------------------------

    def load(self, meeting_id: UUID) -> Meeting:
        try:
            found: object = self.app.repository.get(meeting_id)
        except AggregateNotFoundError:
            raise MeetingNotFound(say("meeting.not_found", meeting_id=meeting_id)) from None
        if not isinstance(found, Meeting):  # a petition's id, or a request's
            raise MeetingNotFound(say("meeting.not_found", meeting_id=meeting_id))
        return found

    def save(self, meeting: Meeting) -> Written:
        try:
            recordings = self.app.save(meeting)
        except IntegrityError:
            raise ConcurrentUpdate(say("meeting.concurrent")) from None
        return Written.saved(meeting, recordings)


def describe(m: Meeting) -> dict[str, Any]:
    """Plain data of a meeting's state, for callers outside the domain."""
    minutes = m.minutes
    return {
        "id": m.id,
        "version": m.version,
        "status": str(m.status),
        "organisation": m.organisation,
        "kind": str(m.kind),
        "zone": m.zone,
        "cell": m.cell,
        "commune": m.commune,
        "scheduled_on": m.scheduled_on,
        "members": list(m.members),
        "moves": m.moves,
        "cancel_reason": m.cancel_reason,
        "notices": [plain(n) for n in m.notices],
        "agenda": None if m.agenda is None else list(m.agenda),
        "held_on": m.held_on,
        "chair": m.chair,
        "attendance": [a.stored() for a in m.attendance],
        "minutes": None
        if minutes is None
        else {
            "text": minutes.text,
            "petitions_raised": list(minutes.petitions_raised),
            "answers_read": list(minutes.answers_read),
            "verdicts": [
                {"petition": v.petition, "verdict": str(v.verdict)} for v in minutes.verdicts
            ],
            "recorded_on": minutes.recorded_on,
        },
        "created_on": m.created_on,
        "modified_on": m.modified_on,
    }


# ---- the petitions' links to a meeting -----------------------------------------------------


def kept_meeting(app: Petitions, reference: str | None, organisation: str) -> Meeting | None:
    """The meeting a petition's ``meeting`` names, if it names one the service keeps by
    its id (else it is free text, as it always was): of the petition's organisation, and
    held, else it is refused as no such meeting."""
    if reference is None:
        return None
    try:
        meeting_id = UUID(reference.strip())
    except ValueError:
        return None
    try:
        found: object = app.repository.get(meeting_id)
    except AggregateNotFoundError:
        found = None
    if not isinstance(found, Meeting) or found.organisation != organisation:
        raise InvalidCommand("meeting", say("meeting.unknown", meeting_id=meeting_id))
    if found.status not in HELD:
        raise InvalidCommand("meeting", say("meeting.not_held", meeting_status=found.status))
    return found


def raised_at(
    app: Petitions, organisation: str, draft: PetitionDraft, cell: str, zone: str, day: date
) -> dict[str, Any]:
    """Where the petition ``draft`` raised on ``day`` in ``cell`` (of ``zone``) was raised,
    as ``Petition.record`` takes it: the meeting it names, if it is one the service keeps
    (held that day, a briefing of its zone or of the whole organisation for the channel
    ``meeting``, its cell's meeting for ``cell_meeting``, which the ``member`` named
    attended), and that member."""
    return {
        "meeting_id": raised_at_meeting(app, organisation, draft, cell, zone, day),
        "member": draft.member,
    }


def raised_at_meeting(
    app: Petitions, organisation: str, draft: PetitionDraft, cell: str, zone: str, day: date
) -> UUID | None:
    channel, member = draft.channel, draft.member
    meeting = kept_meeting(app, draft.meeting, organisation)
    if meeting is None:
        return None
    if meeting.held_on != day:
        raise InvalidCommand("raised_on", say("meeting.held_on", day=meeting.held_on))
    if channel == Channel.CELL_MEETING:
        if meeting.kind is not MeetingKind.CELL_MEETING or meeting.cell != cell:
            raise InvalidCommand("meeting", say("meeting.not_the_cells"))
        if member not in meeting.members_attending:
            raise InvalidCommand("member", say("meeting.member_absent", member=member))
    elif channel == Channel.MEETING:
        if meeting.kind is not MeetingKind.SECRETARY_BRIEFING:
            raise InvalidCommand("channel", say("meeting.not_a_briefing"))
        if meeting.zone is not None and meeting.zone != zone:
            raise InvalidCommand(
                "meeting", say("meeting.other_zone", zone=meeting.zone, own_zone=zone)
            )
    return meeting.id


def verified_at(
    app: Petitions, petition: Petition, reference: str | None, day: date
) -> UUID | None:
    """The meeting a verdict names, if it is one the service keeps: of the petition's
    organisation, held on the day of the verdict."""
    meeting = kept_meeting(app, reference, petition.organisation)
    if meeting is None:
        return None
    if meeting.held_on != day:
        raise InvalidCommand("verified_on", say("meeting.held_on", day=meeting.held_on))
    return meeting.id
