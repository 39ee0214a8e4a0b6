"""The Meeting aggregate: a secretaries' briefing or a cell meeting, from its scheduling to
its minutes.

A meeting is scheduled (then perhaps moved, or cancelled with a reason), its notice sent
(to whom, and when: late if fewer than the configured days before it), its agenda issued
from the briefing packet and frozen, then it is held (date, chair, each expected person's
attendance), its minutes recorded (text, petitions raised, answers read out, verdicts
given) and it is closed. As on a petition, every event carries the actor, the business
date and the request id; a command out of order (minutes before it is held, a notice for
a cancelled meeting) is refused with ``MeetingOutOfOrder`` and nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actors import Actor, Stamp
from domain.errors import InvalidCommand, MeetingOutOfOrder, NotPermitted
from domain.meeting_records import Attendee, InformationRequest, Minutes, Notice, VerdictGiven
from domain.messages import say
from domain.petition import (
    NAME_MAX,
    NOTE_MAX,
    TEXT_MAX,
    clean_text,
    recorded_events,
)
from domain.vocabulary import (
    AttendeeRole,
    MeetingCommand,
    MeetingKind,
    MeetingStatus,
    Role,
    Verdict,
)

MAX_ATTENDEES = 1_000
MAX_PETITIONS = 1_000


@dataclass(frozen=True)
class MeetingRule:
    """One command's row: the statuses it is taken in (none: it creates the meeting),
    the roles that may issue it, and how a refusal names it."""

    statuses: frozenset[MeetingStatus]
    roles: frozenset[Role]
    verb: str


RECORDERS = frozenset({Role.CLERK, Role.COMMITTEE})


def meeting_rule(statuses: set[MeetingStatus], verb: str) -> MeetingRule:
    return MeetingRule(frozenset(statuses), RECORDERS, verb)


# Who may issue which command on a meeting in which status: the meeting's life, in one table.
MEETING_LIFECYCLE: dict[MeetingCommand, MeetingRule] = {
    MeetingCommand.SCHEDULE: meeting_rule(set(), "schedule"),
    MeetingCommand.MOVE: meeting_rule({MeetingStatus.SCHEDULED}, "move"),
    MeetingCommand.CANCEL: meeting_rule({MeetingStatus.SCHEDULED}, "cancel"),
    MeetingCommand.SEND_NOTICE: meeting_rule({MeetingStatus.SCHEDULED}, "send the notice of"),
    MeetingCommand.ISSUE_AGENDA: meeting_rule({MeetingStatus.SCHEDULED}, "issue the agenda of"),
    MeetingCommand.HOLD: meeting_rule({MeetingStatus.SCHEDULED}, "hold"),
    MeetingCommand.RECORD_MINUTES: meeting_rule({MeetingStatus.HELD}, "record the minutes of"),
    MeetingCommand.CLOSE: meeting_rule({MeetingStatus.HELD, MeetingStatus.MINUTED}, "close"),
    # the packet's departments asked for their information as the agenda is issued; each
    # (or the clerk for it) says it came, before the meeting or after (late, then)
    MeetingCommand.REQUEST_INFORMATION: meeting_rule({MeetingStatus.SCHEDULED}, "ask for"),
    MeetingCommand.RECEIVE_INFORMATION: MeetingRule(
        frozenset(set(MeetingStatus) - {MeetingStatus.CANCELLED}),
        RECORDERS | {Role.DEPARTMENT},
        "receive the information for",
    ),
}


class Meeting(Aggregate):
    """A secretaries' briefing of an organisation (or a zone of it), or a cell's meeting
    attended by members of the upper committee."""

    class Event(Aggregate.Event):
        actor: Actor
        business_date: date
        request_id: str | None

        @property
        def stamp(self) -> Stamp:
            return Stamp(self.actor, self.business_date, self.request_id)

        def apply(self, aggregate: Any) -> None:
            aggregate.last_business_date = self.business_date
            aggregate.status = self.next_status(aggregate.status)

        def next_status(self, status: MeetingStatus) -> MeetingStatus:
            return status

    class Scheduled(Event, Aggregate.Created):
        organisation: str
        kind: str
        zone: str | None  # a zone's briefing; None: the whole organisation's, or a cell's
        cell: str | None  # a cell meeting's cell
        commune: str | None  # a cell meeting's cell's commune
        scheduled_on: date
        members: list[str]  # the committee members expected at a cell meeting

        def apply(self, aggregate: Any) -> None:
            aggregate.status = MeetingStatus.SCHEDULED
            super().apply(aggregate)
            m: Meeting = aggregate
            m.organisation, m.kind = self.organisation, MeetingKind(self.kind)
            m.zone, m.cell, m.commune = self.zone, self.cell, self.commune
            m.scheduled_on = self.scheduled_on
            m.members = tuple(self.members)
            m.moves = 0
            m.cancel_reason = None
            m.notices = []
            m.agenda = None
            m.held_on = None
            m.chair = None
            m.attendance = ()
            m.minutes = None
            m.information = {}

    class Moved(Event):
        previous_on: date
        scheduled_on: date
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.scheduled_on = self.scheduled_on
            aggregate.moves += 1

    class Cancelled(Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.cancel_reason = self.reason

        def next_status(self, status: MeetingStatus) -> MeetingStatus:
            return MeetingStatus.CANCELLED

    class NoticeSent(Event):
        recipients: list[str]
        scheduled_on: date  # the date the notice announced
        days_before: int
        required_days: int  # the rule in force when it was sent
        late: bool

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.notices.append(
                Notice(
                    recipients=tuple(self.recipients),
                    sent_on=self.business_date,
                    days_before=self.days_before,
                    required_days=self.required_days,
                    late=self.late,
                )
            )

    class AgendaIssued(Event):
        petitions: list[UUID]  # the briefing packet's, frozen as the agenda

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.agenda = tuple(self.petitions)

    class Held(Event):
        chair: str
        attendance: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.held_on = self.business_date
            aggregate.chair = self.chair
            aggregate.attendance = tuple(Attendee.of(a) for a in self.attendance)

        def next_status(self, status: MeetingStatus) -> MeetingStatus:
            return MeetingStatus.HELD

    class MinutesRecorded(Event):
        text: str
        petitions_raised: list[UUID]
        answers_read: list[UUID]
        verdicts: list[dict[str, Any]]  # {"petition": UUID, "verdict": str}

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.minutes = Minutes(
                text=self.text,
                petitions_raised=tuple(self.petitions_raised),
                answers_read=tuple(self.answers_read),
                verdicts=tuple(
                    VerdictGiven(UUID(str(v["petition"])), Verdict(v["verdict"]))
                    for v in self.verdicts
                ),
                recorded_on=self.business_date,
            )

        def next_status(self, status: MeetingStatus) -> MeetingStatus:
            return MeetingStatus.MINUTED

    class InformationRequested(Event):
        department: str  # in charge of ``petitions`` of the agenda when it was issued
        petitions: list[UUID]
        due_on: date

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.information[self.department] = InformationRequest(
                self.department, tuple(self.petitions), self.business_date, self.due_on
            )

    class InformationReceived(Event):
        department: str
        late: bool  # received after the day it was due

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            request = aggregate.information[self.department]
            aggregate.information[self.department] = request.received(self.business_date)

    class Closed(Event):
        def next_status(self, status: MeetingStatus) -> MeetingStatus:
            return MeetingStatus.CLOSED

    if TYPE_CHECKING:  # state set by the events above
        organisation: str
        kind: MeetingKind
        zone: str | None
        cell: str | None
        commune: str | None
        scheduled_on: date
        members: tuple[str, ...]
        status: MeetingStatus
        moves: int
        cancel_reason: str | None
        notices: list[Notice]
        agenda: tuple[UUID, ...] | None
        held_on: date | None
        chair: str | None
        attendance: tuple[Attendee, ...]
        minutes: Minutes | None
        information: dict[str, InformationRequest]
        last_business_date: date

    # ---- creation ---------------------------------------------------------------

    @classmethod
    def schedule(
        cls,
        *,
        organisation: str,
        kind: str,
        scheduled_on: date,
        stamp: Stamp,
        zone: str | None = None,
        cell: str | None = None,
        commune: str | None = None,
        members: Sequence[str] = (),
        id: UUID | None = None,
    ) -> Meeting:
        """Schedule a briefing (of the organisation, or of ``zone``) or a cell meeting
        (of ``cell``, in ``commune``, attended by the committee ``members``)."""
        if kind not in MeetingKind.__members__.values():
            raise InvalidCommand("kind", say("value.not_listed"))
        names = [clean_text("members", m, NAME_MAX) for m in members]
        if len(set(names)) != len(names):
            raise InvalidCommand("members", say("meeting.member_twice"))
        if kind == MeetingKind.CELL_MEETING:
            if not cell:
                raise InvalidCommand("cell", say("meeting.cell_unnamed"))
            if zone is not None:
                raise InvalidCommand("zone", say("meeting.cell_not_zone"))
            if not names:
                raise InvalidCommand("members", say("meeting.cell_members"))
        elif cell is not None or names:
            raise InvalidCommand("cell", say("meeting.briefing_of"))
        return cls._create(
            cls.Scheduled,
            id=id,
            organisation=organisation,
            kind=kind,
            zone=zone,
            cell=cell,
            commune=commune if kind == MeetingKind.CELL_MEETING else None,
            scheduled_on=scheduled_on,
            members=names,
            **stamp.event_fields(),
        )

    # ---- commands ---------------------------------------------------------------

    def move(self, *, scheduled_on: date, reason: str, stamp: Stamp) -> None:
        self.admit(MeetingCommand.MOVE, stamp)
        if scheduled_on == self.scheduled_on:
            raise InvalidCommand("scheduled_on", say("meeting.already_on", day=scheduled_on))
        self.happen(
            self.Moved,
            stamp,
            previous_on=self.scheduled_on,
            scheduled_on=scheduled_on,
            reason=clean_text("reason", reason, NOTE_MAX),
        )

    def cancel(self, *, reason: str, stamp: Stamp) -> None:
        self.admit(MeetingCommand.CANCEL, stamp)
        self.happen(self.Cancelled, stamp, reason=clean_text("reason", reason, NOTE_MAX))

    def send_notice(self, *, recipients: Sequence[str], required_days: int, stamp: Stamp) -> None:
        """Tell ``recipients`` of the meeting, on the stamp's day: late if fewer than
        ``required_days`` before the date it is scheduled on."""
        self.admit(MeetingCommand.SEND_NOTICE, stamp)
        names = [clean_text("recipients", r, NAME_MAX) for r in recipients]
        if not names:
            raise InvalidCommand("recipients", say("notice.no_recipients"))
        if len(names) > MAX_ATTENDEES:
            raise InvalidCommand("recipients", say("list.too_many", max_items=MAX_ATTENDEES))
        if required_days < 0:
            raise InvalidCommand("required_days", say("number.negative"))
        days_before = (self.scheduled_on - stamp.on).days
        if days_before < 0:
            raise InvalidCommand("business_date", say("notice.after_meeting"))
        self.happen(
            self.NoticeSent,
            stamp,
            recipients=names,
            scheduled_on=self.scheduled_on,
            days_before=days_before,
            required_days=required_days,
            late=days_before < required_days,
        )

    def issue_agenda(self, *, petitions: Sequence[UUID], stamp: Stamp) -> None:
        """The briefing packet's petitions become the agenda, frozen: issued once."""
        self.admit(MeetingCommand.ISSUE_AGENDA, stamp)
        if self.agenda is not None:
            raise MeetingOutOfOrder(MeetingCommand.ISSUE_AGENDA, self.status, say("agenda.frozen"))
        self.happen(self.AgendaIssued, stamp, petitions=unique("petitions", petitions))

    def hold(self, *, chair: str, attendance: Sequence[Mapping[str, Any]], stamp: Stamp) -> None:
        """The meeting was held on the stamp's day, chaired by ``chair``, with each
        expected person's attendance."""
        self.admit(MeetingCommand.HOLD, stamp)
        entries = [Attendee.checked(a) for a in attendance]
        if not entries:
            raise InvalidCommand("attendance", say("attendance.none"))
        if len(entries) > MAX_ATTENDEES:
            raise InvalidCommand("attendance", say("list.too_many", max_items=MAX_ATTENDEES))
        keys = [e.key for e in entries]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise InvalidCommand("attendance", say("attendance.twice", entries=", ".join(twice)))
        if self.kind is MeetingKind.CELL_MEETING:
            self.check_cell_attendance(entries)
        self.happen(
            self.Held,
            stamp,
            chair=clean_text("chair", chair, NAME_MAX),
            attendance=[e.stored() for e in entries],
        )

    def check_cell_attendance(self, entries: Sequence[Attendee]) -> None:
        """A cell meeting's attendance names each expected member, and one came; a
        secretary there is its own cell's."""
        members = {e.person for e in entries if e.role is AttendeeRole.COMMITTEE_MEMBER}
        missing = [m for m in self.members if m not in members]
        if missing:
            raise InvalidCommand(
                "attendance", say("attendance.member_unsaid", members=", ".join(missing))
            )
        if not any(e.attended for e in entries if e.role is AttendeeRole.COMMITTEE_MEMBER):
            raise InvalidCommand("attendance", say("attendance.no_member"))
        if any(e.role is AttendeeRole.SECRETARY and e.cell != self.cell for e in entries):
            raise InvalidCommand("attendance", say("attendance.other_secretary", cell=self.cell))

    def record_minutes(
        self,
        *,
        text: str,
        petitions_raised: Sequence[UUID] = (),
        answers_read: Sequence[UUID] = (),
        verdicts: Sequence[tuple[UUID, str]] = (),
        stamp: Stamp,
    ) -> None:
        """The minutes: free text, and the petitions raised, the answers read out and
        the verdicts given, each naming its petition."""
        self.admit(MeetingCommand.RECORD_MINUTES, stamp)
        given = []
        for petition, verdict in verdicts:
            if verdict not in Verdict.__members__.values():
                raise InvalidCommand("verdicts", say("verdicts.not_listed"))
            given.append({"petition": petition, "verdict": verdict})
        unique("verdicts", [v["petition"] for v in given])
        self.happen(
            self.MinutesRecorded,
            stamp,
            text=clean_text("text", text, TEXT_MAX),
            petitions_raised=unique("petitions_raised", petitions_raised),
            answers_read=unique("answers_read", answers_read),
            verdicts=given,
        )

    def close(self, *, stamp: Stamp) -> None:
        self.admit(MeetingCommand.CLOSE, stamp)
        self.happen(self.Closed, stamp)

    def happen(self, event: type[Meeting.Event], stamp: Stamp, **fields: Any) -> None:
        self.trigger_event(event, **fields, **stamp.event_fields())

    # ---- guards -----------------------------------------------------------------

    def admit(self, command: MeetingCommand, stamp: Stamp) -> None:
        """The meeting takes the command in its status, from a role that may issue it,
        on a business day not before its last."""
        check_meeting_permitted(stamp.actor, command)
        rule = MEETING_LIFECYCLE[command]
        if self.status not in rule.statuses:
            raise MeetingOutOfOrder(command, self.status)
        if stamp.on < self.last_business_date:
            raise InvalidCommand(
                "business_date",
                say("meeting.date_before_last", day=stamp.on, last=self.last_business_date),
            )

    # ---- what the meeting's attendance adds up to ----------------------------------

    @property
    def members_attending(self) -> tuple[str, ...]:
        """The committee members who came (present or late)."""
        return tuple(
            e.person
            for e in self.attendance
            if e.role is AttendeeRole.COMMITTEE_MEMBER and e.attended and e.person
        )


def check_meeting_permitted(actor: Actor, command: MeetingCommand) -> None:
    """The role check of a command on a meeting: ``NotPermitted``."""
    if actor.role not in MEETING_LIFECYCLE[command].roles:
        raise NotPermitted(
            say("meeting.role_not_permitted", role=actor.role, meeting_command=command),
            role=str(actor.role),
            command=str(command),
        )


def unique(field: str, ids: Sequence[object]) -> list[UUID]:
    """Petition ids as an event stores them, each once."""
    try:
        found = [i if isinstance(i, UUID) else UUID(str(i)) for i in ids]
    except ValueError:
        raise InvalidCommand(field, say("petitions.not_an_id")) from None
    if len(found) > MAX_PETITIONS:
        raise InvalidCommand(field, say("list.too_many", max_items=MAX_PETITIONS))
    if len(set(found)) != len(found):
        raise InvalidCommand(field, say("petitions.twice"))
    return found


# Every event class a meeting's log can hold.
MEETING_EVENTS = recorded_events(Meeting)
