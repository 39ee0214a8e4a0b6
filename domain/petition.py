"""The Petition aggregate: one petition from the moment it is raised to its verification.

Command methods check the rules and trigger an event; each event's ``apply`` evolves the
state, so replaying the log rebuilds exactly what the commands decided. Every event
carries the actor, the business date (when it happened in the world) and the request id;
the library adds the record timestamp (when the system learnt of it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain import coordination
from domain import due_basis as bases
from domain.actors import Actor, Stamp
from domain.calendar import WorkingDays
from domain.clearance import ReturnedAnswer
from domain.commitments import (
    DONE,
    Commitment,
    check_attachments,
    check_cost,
    check_percent,
)
from domain.coordination import Contribution, Coordinator
from domain.deadlines import answer_overdue
from domain.due_basis import Basis, ClockPause
from domain.errors import IllegalTransition, InvalidCommand, WrongDepartment
from domain.lifecycle import WHILE_HELD, check_allowed
from domain.messages import say
from domain.records import (
    Answer,
    Attachment,
    Cosigner,
    GivenBack,
    PolicyEscalation,
    Reminder,
    RepeatOf,
    Verification,
)
from domain.vocabulary import (
    OPEN_STATUSES,
    AnswerMode,
    Channel,
    Clearance,
    Command,
    EscalationRule,
    GiveBack,
    Kind,
    PauseReason,
    QualityFlag,
    ReminderKind,
    ReturnReason,
    Role,
    Status,
    Verdict,
)

# The vocabularies are domain.vocabulary's; the aggregate's callers find them here too.
__all__ = [
    "FOUNDING",
    "NAME_MAX",
    "NOTE_MAX",
    "OPEN_STATUSES",
    "RECORDED_EVENTS",
    "SUMMARY_MAX",
    "TEXT_MAX",
    "Answer",
    "AnswerMode",
    "Attachment",
    "Cosigner",
    "EscalationRule",
    "GivenBack",
    "Petition",
    "PolicyEscalation",
    "QualityFlag",
    "Reminder",
    "ReminderKind",
    "RepeatOf",
    "Stamp",
    "Status",
    "Verdict",
    "Verification",
]

# The organisation a version-1 Raised is upcast to: the deployment's founding one, which
# the application's mapper puts in its place (usecases.records.FoundingMapper).
FOUNDING = ""
SUMMARY_MAX = 300
TEXT_MAX = 20_000
NAME_MAX = 200
NOTE_MAX = 2_000


def clean_text(field: str, value: str, max_length: int) -> str:
    text = value.strip()
    if not text:
        raise InvalidCommand(field, say("text.empty"))
    if len(text) > max_length:
        raise InvalidCommand(field, say("text.too_long", max_length=max_length))
    return text


def clean_optional(field: str, value: str | None, max_length: int) -> str | None:
    if value is None or not value.strip():
        return None
    return clean_text(field, value, max_length)


def check_channel(channel: str, meeting: str | None) -> None:
    """How a cell brought a matter up: a known channel, a meeting named for a meeting."""
    if channel not in Channel.__members__.values():
        raise InvalidCommand("channel", say("value.not_listed"))
    if channel != Channel.WRITTEN_REPORT and not (meeting and meeting.strip()):
        raise InvalidCommand("meeting", say("meeting.unnamed"))


class Petition(Aggregate):
    """A reflection or proposal raised by a party cell, followed until it is settled."""

    class Event(Aggregate.Event):
        actor: Actor
        business_date: date
        request_id: str | None

        @property
        def stamp(self) -> Stamp:
            """Who recorded the event, on which business date, in which request."""
            return Stamp(self.actor, self.business_date, self.request_id)

        @property
        def moves_clock(self) -> bool:
            """Whether the event moves the petition's business clock (the last business
            date a later command may not precede). What the policy worker (role system)
            records reacts to the calendar; it is no fact of the petition's handling, so
            after today's reminder a clerk may still record yesterday's meeting."""
            return self.actor.role is not Role.SYSTEM

        def apply(self, aggregate: Any) -> None:
            if self.moves_clock:
                aggregate.last_business_date = self.business_date
            aggregate.status = self.next_status(aggregate.status)
            if aggregate.status is not Status.ASSIGNED:
                aggregate.paused = None  # a clock is paused only while an answer is owed

        def next_status(self, status: Status) -> Status:
            """The petition's status once this event has happened to it in ``status``:
            the one rule the aggregate and the read models follow."""
            return status

    class Raised(Event, Aggregate.Created):
        # Version 1 knew one district; version 2 names the organisation the petition was
        # raised in. A version-1 event gets FOUNDING, which the application's mapper turns
        # into the deployment's founding organisation: its stored bytes never change.
        # Version 3 names the meeting (``meeting_id``) where it was raised, and for a cell
        # meeting the committee member who attended it (``member``); before, none.
        class_version = 3

        organisation: str
        kind: str
        category: str
        summary: str
        text: str
        cell: str
        commune: str
        zone: str
        raised_by: str
        channel: str
        meeting: str | None
        meeting_id: UUID | None
        member: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["organisation"] = FOUNDING

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["meeting_id"] = None
            state["member"] = None

        def apply(self, aggregate: Any) -> None:
            aggregate.status = Status.RAISED
            super().apply(aggregate)
            p: Petition = aggregate
            p.organisation = self.organisation
            p.referred_to = None
            p.kind, p.category, p.summary, p.text = (
                self.kind,
                self.category,
                self.summary,
                self.text,
            )
            p.cell, p.commune, p.zone = self.cell, self.commune, self.zone
            p.raised_by, p.channel, p.meeting = self.raised_by, self.channel, self.meeting
            p.meeting_id, p.member = self.meeting_id, self.member
            p.raised_on = self.business_date
            p.department = None
            p.due_on = None
            p.due_basis = None
            p.paused = None
            p.assigned_on = None
            p.departments = []
            p.answers = []
            p.verifications = []
            p.escalations = 0
            p.policy_escalations = []
            p.reminders = []
            p.reopen_count = 0
            p.merged_into = None
            p.closing_reason = None
            p.given_back = None
            p.ended_from = None
            p.cosigners = []
            p.held_by, p.held_answer, p.returns = None, None, []
            p.commitments = []
            p.repeat_of = None
            p.coordinators = []

    class Assignment(Event):
        """What Assigned and Reassigned share (never recorded itself): a department
        takes the petition with a due date."""

        if TYPE_CHECKING:  # the fields are the subclasses', in their stored order
            department: str
            due_on: date
            due_basis: Basis | None  # how the due date was computed (``domain.due_basis``)

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.take_department(self.department, self.due_on, self.business_date)
            aggregate.due_basis = self.due_basis
            aggregate.coordinators = []  # a new assignment names its own (CoordinatorsNamed)

        def next_status(self, status: Status) -> Status:
            return Status.ASSIGNED

    class Assigned(Assignment):
        # Version 2 records how the due date was computed (``domain.due_basis``), as
        # Reassigned's and ReferredUpward's do; a version-1 event's is None: not recorded.
        class_version = 2
        department: str
        due_on: date
        note: str | None
        due_basis: Basis | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["due_basis"] = None

    class Reassigned(Assignment):
        class_version = 2
        from_department: str
        department: str
        due_on: date
        note: str | None
        due_basis: Basis | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["due_basis"] = None

    class ReferredUpward(Assignment):
        """The raising organisation's committee hands the petition to a department of the
        province (``organisation``), beyond its own authority; it stays the raising
        organisation's, whose next briefing verifies the answer."""

        class_version = 2
        organisation: str
        department: str
        due_on: date
        note: str | None
        due_basis: Basis | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["due_basis"] = None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.referred_to = self.organisation

    class ReferralReturned(Event):
        """The province gives a referral back: the matter is within the raising
        organisation's authority; its committee assigns it again."""

        organisation: str
        department: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.give_back()
            aggregate.referred_to = None
            aggregate.given_back = GivenBack(
                GiveBack.REFERRAL_RETURNED,
                self.department,
                self.organisation,
                self.reason,
                self.business_date,
            )

        def next_status(self, status: Status) -> Status:
            return Status.RAISED

    class AssignmentDeclined(Event):
        department: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.give_back()
            aggregate.given_back = GivenBack(
                GiveBack.DECLINED,
                self.department,
                aggregate.referred_to,
                self.reason,
                self.business_date,
            )

        def next_status(self, status: Status) -> Status:
            return Status.RAISED

    class CoordinatorsNamed(Event):
        """The coordinating departments (phối hợp) of the assignment just recorded, by the
        same assign command: each owes the lead its contribution by its own ``due_on``,
        and sees the petition from now on. ``coordinators``: {department, due_on}."""

        coordinators: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.coordinators = coordination.named(self.coordinators, self.business_date)
            for c in aggregate.coordinators:
                if c.department not in aggregate.departments:
                    aggregate.departments.append(c.department)

    class ContributionSent(Event):
        """A coordinating department's contribution to the lead: its text and signed
        letter, as a written answer's."""

        department: str
        text: str
        document_number: str
        document_date: date
        signer: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            part = Contribution(
                self.text, self.document_number, self.document_date, self.signer, self.business_date
            )
            coordination.sent(aggregate.coordinators, self.department, part)

    class ContributionsWaived(Event):
        """The committee lets the lead answer without the contributions of ``departments``,
        saying why."""

        departments: list[str]
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            coordination.waived(
                aggregate.coordinators, self.departments, self.reason, self.business_date
            )

    class DeadlineExtended(Event):
        # Version 2 records the basis of the new date (``domain.due_basis.extended``);
        # a version-1 event's is None: not recorded.
        class_version = 2

        previous_due_on: date
        due_on: date
        reason: str
        due_basis: Basis | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["due_basis"] = None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.due_on = self.due_on
            aggregate.due_basis = self.due_basis

    class ClockPaused(Event):
        """The committee stopped the answer's clock (``reason`` a ``PauseReason``, with a
        ``note``): while paused the petition is not overdue, and nothing reminds or
        escalates it. ``due_on`` is the due date in force, which resuming moves."""

        reason: str
        note: str | None
        due_on: date

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.paused = ClockPause(
                PauseReason(self.reason), self.note, self.business_date, self.due_on
            )

    class ClockResumed(Event):
        """The committee started the clock again: the due date moves from
        ``previous_due_on`` by the ``paused_working_days``, to ``due_on`` (its basis
        ``due_basis``, of kind ``resumed``)."""

        paused_on: date
        previous_due_on: date
        paused_working_days: int
        due_on: date
        due_basis: Basis

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.paused = None
            aggregate.due_on = self.due_on
            aggregate.due_basis = self.due_basis

    class AnsweredInWriting(Event):
        department: str
        text: str
        document_number: str
        document_date: date
        signer: str
        attachments: list[dict[str, Any]]
        verify_by: date  # the briefing at which the cells verify this answer

        def next_status(self, status: Status) -> Status:
            return Status.ANSWERED

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.answers.append(
                Answer(
                    mode=AnswerMode.WRITTEN,
                    department=self.department,
                    text=self.text,
                    document_number=self.document_number,
                    document_date=self.document_date,
                    signer=self.signer,
                    answered_on=self.business_date,
                    meeting=None,
                    due_on=aggregate.due_on,
                    verify_by=self.verify_by,
                    attachments=tuple(Attachment.of(a) for a in self.attachments),
                )
            )

    class AnsweredOnTheSpot(Event):
        text: str
        answered_by: str
        meeting: str | None
        verify_by: date

        def next_status(self, status: Status) -> Status:
            return Status.ANSWERED

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.answers.append(
                Answer(
                    mode=AnswerMode.ON_THE_SPOT,
                    department=None,
                    text=self.text,
                    document_number=None,
                    document_date=None,
                    signer=self.answered_by,
                    answered_on=self.business_date,
                    meeting=self.meeting,
                    due_on=aggregate.due_on,
                    verify_by=self.verify_by,
                )
            )

    class AnswerHeld(Event):
        """The organisation asks for its written answers' clearance: the answer just given
        (``AnsweredInWriting``, recorded just before) waits for the ``clearer`` (office or
        committee) and does not count as answered meanwhile. The petition stays with the
        department (assigned), its due date unchanged."""

        clearer: str
        department: str

        def next_status(self, status: Status) -> Status:
            return Status.ASSIGNED

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.held_by = Clearance(self.clearer)
            aggregate.held_answer = aggregate.answers.pop()

    class AnswerCleared(Event):
        """The clearer accepts the held answer: it counts as answered from this day, and
        the cells verify it at the briefing on ``verify_by``."""

        clearer: str
        verify_by: date

        def next_status(self, status: Status) -> Status:
            return Status.ANSWERED

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.answers.append(replace(aggregate.held_answer, verify_by=self.verify_by))
            aggregate.held_by = aggregate.held_answer = None

    class AnswerReturned(Event):
        """The clearer returns the held answer to the department (``reason``, ``note``): it
        answers again, by the same due date."""

        clearer: str
        department: str
        reason: str
        note: str

        def next_status(self, status: Status) -> Status:
            return Status.ASSIGNED

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.returns.append(
                ReturnedAnswer(
                    department=self.department,
                    clearer=Clearance(self.clearer),
                    reason=ReturnReason(self.reason),
                    note=self.note,
                    answered_on=aggregate.held_answer.answered_on,
                    returned_on=self.business_date,
                )
            )
            aggregate.held_by = aggregate.held_answer = None

    class Verified(Event):
        # Version 1 recorded a yes/no ``satisfied``; version 2 has the three verdicts
        # and the quality flags the districts asked for; version 3 the meeting (its id)
        # where the verdict was given, if it is one the service keeps.
        class_version = 3

        verdict: str
        flags: list[str]
        meeting: str | None
        comment: str | None
        meeting_id: UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            satisfied = state.pop("satisfied")
            state["verdict"] = Verdict.SATISFIED if satisfied else Verdict.UNSATISFIED
            state["flags"] = []

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["meeting_id"] = None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.verifications.append(
                Verification(
                    verdict=Verdict(self.verdict),
                    flags=tuple(QualityFlag(f) for f in self.flags),
                    meeting=self.meeting,
                    comment=self.comment,
                    verified_on=self.business_date,
                    answer_number=len(aggregate.answers),
                    meeting_id=self.meeting_id,
                )
            )
            aggregate.settle_commitment(Verdict(self.verdict), self.business_date)

        def next_status(self, status: Status) -> Status:
            # Any other verdict is followed by Reopened, which says where it goes.
            return Status.CLOSED if self.verdict == Verdict.SATISFIED else status

    class CommitmentMade(Event):
        """The written answer just recorded commits its department to ``text`` by
        ``due_on``, at ``cost`` VND if it says (``domain.commitments``): recorded by the
        answer's own command, right after its ``AnsweredInWriting``."""

        department: str
        text: str
        due_on: date
        cost: int | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.commitments.append(
                Commitment(
                    department=self.department,
                    text=self.text,
                    due_on=self.due_on,
                    cost=self.cost,
                    made_on=self.business_date,
                    answer_number=len(aggregate.answers),
                )
            )

    class CommitmentProgressed(Event):
        """The department that answered says how far its commitment has come."""

        percent: int
        note: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.commitments[-1] = replace(
                aggregate.commitments[-1],
                percent=self.percent,
                note=self.note,
                progressed_on=self.business_date,
            )

    class CommitmentFulfilled(Event):
        """The department that answered has done what it committed to, with its evidence
        (files recorded as an answer's letters are)."""

        note: str
        attachments: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.commitments[-1] = replace(
                aggregate.commitments[-1],
                percent=DONE,
                note=self.note,
                fulfilled_on=self.business_date,
                evidence=tuple(Attachment.of(a) for a in self.attachments),
            )

    class Reopened(Event):
        department: str | None
        due_on: date | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.reopen_count += 1
            if self.department is None:
                aggregate.give_back()
                aggregate.given_back = None  # reopened by a verdict, not given back
            else:
                assert self.due_on is not None
                aggregate.take_department(self.department, self.due_on, self.business_date)

        def next_status(self, status: Status) -> Status:
            return Status.RAISED if self.department is None else Status.ASSIGNED

    class Escalated(Event):
        # Version 1 had the reason only; version 2 adds the policy rule that escalated
        # (None for the committee's own escalation) and the due date it concerns.
        class_version = 2

        reason: str
        rule: str | None
        due_on: date | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["rule"] = None
            state["due_on"] = None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.escalations += 1
            if self.rule is not None:
                aggregate.policy_escalations.append(
                    PolicyEscalation(EscalationRule(self.rule), self.due_on)
                )

    class ReminderIssued(Event):
        """The policy worker reminded the department in charge of its due date."""

        kind: str
        due_on: date
        department: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.reminders.append(
                Reminder(
                    kind=ReminderKind(self.kind),
                    due_on=self.due_on,
                    department=self.department,
                    issued_on=self.business_date,
                )
            )

    class Ending(Event):
        """What the committee's endings share (never recorded itself): the petition ends,
        and keeps the status it ended from, to which a reopening returns it."""

        def apply(self, aggregate: Any) -> None:
            aggregate.ended_from = aggregate.status
            super().apply(aggregate)

    class Withdrawn(Ending):
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.closing_reason = self.reason

        def next_status(self, status: Status) -> Status:
            return Status.WITHDRAWN

    class MergedInto(Ending):
        target_id: UUID
        reason: str | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.merged_into = self.target_id

        def next_status(self, status: Status) -> Status:
            return Status.MERGED

    class NoteAdded(Event):
        """An internal note of the committee or the department in charge, read by them
        (and the auditors) only (``usecases.access.reads_notes``): it is no fact of the
        petition's handling, so it changes no state and does not move the business clock."""

        text: str

        @property
        def moves_clock(self) -> bool:
            return False

    class Closed(Ending):
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.closing_reason = self.reason

        def next_status(self, status: Status) -> Status:
            return Status.CLOSED

    class Reinstated(Event):
        """The committee reopens a petition it closed, withdrew or merged by mistake
        (``Petition.reopen``): it is back in ``status``, the one it ended from. What it
        owes then is recorded with it, for the read models to open again: the answer of
        ``department`` by ``due_on`` (assigned), or the cells' verdict on the latest answer
        by ``verify_by`` (answered)."""

        reason: str
        status: str
        department: str | None
        due_on: date | None
        verify_by: date | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.ended_from = None
            aggregate.closing_reason = None
            aggregate.merged_into = None

        def next_status(self, status: Status) -> Status:
            return Status(self.status)

    class Cosigned(Event):
        """Another party cell of the petition's organisation raised the same matter, at a
        meeting or in a written report as a raise is: it co-signs this petition instead of
        raising a duplicate. It is no step of the petition's handling: it changes no
        status and does not move the business clock, so a briefing's co-signing is still
        recorded after the petition was assigned or answered since."""

        cell: str
        commune: str
        raised_by: str
        channel: str
        meeting: str | None
        note: str | None

        @property
        def moves_clock(self) -> bool:
            return False

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.cosigners.append(
                Cosigner(
                    cell=self.cell,
                    commune=self.commune,
                    raised_by=self.raised_by,
                    channel=self.channel,
                    meeting=self.meeting,
                    note=self.note,
                    cosigned_on=self.business_date,
                )
            )

    class RepeatLinked(Event):
        """The petition raises again the matter of an earlier one of its organisation
        (``repeats``, numbered ``number`` then): the earlier one's answer did not settle
        it, or the same matter came up again. ``satisfied``: the cells' satisfied verdict
        had closed the earlier one, on the answer of ``department`` (None: answered on the
        spot), which the scorecards count against that closure. Like a co-signing it is no
        step of the handling: no status, no business clock."""

        repeats: UUID
        number: str | None
        satisfied: bool
        department: str | None

        @property
        def moves_clock(self) -> bool:
            return False

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.repeat_of = RepeatOf(
                petition_id=self.repeats,
                number=self.number,
                satisfied=self.satisfied,
                department=self.department,
                linked_on=self.business_date,
            )

    if TYPE_CHECKING:  # state set by the events above; not dataclass fields at run time
        organisation: str
        referred_to: str | None  # the province, while a department of it holds the petition
        kind: str
        category: str
        summary: str
        text: str
        cell: str
        commune: str
        zone: str
        raised_by: str
        channel: str
        meeting: str | None
        meeting_id: UUID | None  # the meeting it was raised at, if the service keeps it
        member: str | None  # the committee member at the cell meeting it was raised at
        raised_on: date
        status: Status
        department: str | None
        due_on: date | None
        due_basis: Basis | None  # how the due date in force was computed (None: unrecorded)
        paused: ClockPause | None  # the answer's clock, while the committee stopped it
        assigned_on: date | None
        departments: list[str]
        answers: list[Answer]
        verifications: list[Verification]
        escalations: int
        policy_escalations: list[PolicyEscalation]
        reminders: list[Reminder]
        reopen_count: int
        merged_into: UUID | None
        closing_reason: str | None
        given_back: GivenBack | None  # the last department's giving back, until reassigned
        ended_from: Status | None  # the status the committee ended it from, until reopened
        cosigners: list[Cosigner]  # the other cells that raised the same matter, in order
        held_by: Clearance | None  # who must clear the written answer that waits for it
        held_answer: Answer | None  # that answer, until cleared or returned
        returns: list[ReturnedAnswer]  # the answers the clearer returned, in order
        commitments: list[Commitment]  # what the written answers committed to, in order
        repeat_of: RepeatOf | None  # the earlier petition whose matter this one raises again
        coordinators: list[Coordinator]  # the current assignment's coordinating departments
        last_business_date: date

    # ---- creation ---------------------------------------------------------------

    @classmethod
    def record(
        cls,
        *,
        organisation: str,
        kind: str,
        category: str,
        summary: str,
        text: str,
        cell: str,
        commune: str,
        zone: str,
        raised_by: str,
        channel: str,
        meeting: str | None,
        stamp: Stamp,
        id: UUID | None = None,
        meeting_id: UUID | None = None,
        member: str | None = None,
    ) -> Petition:
        """Record a petition raised at a meeting or in a written report, on the business
        date of ``stamp``; at a meeting the service keeps, ``meeting_id`` names it, and at a
        cell meeting ``member`` names the committee member who attended it."""
        if kind not in Kind.__members__.values():
            raise InvalidCommand("kind", say("value.not_listed"))
        check_channel(channel, meeting)
        member = clean_optional("member", member, NAME_MAX)
        if (channel == Channel.CELL_MEETING) != (member is not None):
            raise InvalidCommand("member", say("member.cell_meeting_only"))
        if channel == Channel.WRITTEN_REPORT and meeting_id is not None:
            raise InvalidCommand("meeting", say("meeting.written_report"))
        return cls._create(
            cls.Raised,
            id=id,
            organisation=organisation,
            kind=kind,
            category=category,
            summary=clean_text("summary", summary, SUMMARY_MAX),
            text=clean_text("text", text, TEXT_MAX),
            cell=cell,
            commune=commune,
            zone=zone,
            raised_by=clean_text("raised_by", raised_by, NAME_MAX),
            channel=channel,
            meeting=clean_optional("meeting", meeting, NAME_MAX),
            meeting_id=meeting_id,
            member=member,
            **stamp.event_fields(),
        )

    # ---- commands ---------------------------------------------------------------

    def assign(
        self,
        *,
        department: str,
        due_on: date,
        note: str | None,
        stamp: Stamp,
        due_basis: Basis | None = None,
        coordinating: Sequence[tuple[str, date]] = (),
    ) -> None:
        """Assign to a department, or reassign to another while it is still unanswered;
        ``due_basis``: how the calendar gave ``due_on`` (None: given by hand); the
        departments ``coordinating`` (each with its due date) send it their parts."""
        self.admit(Command.ASSIGN, stamp)
        self.check_due_date(due_on, stamp.on)
        note = clean_optional("note", note, NOTE_MAX)
        basis = due_basis or bases.given(stamp.on)
        named = coordination.checked(coordinating, department, due_on, stamp.on)
        if self.status == Status.RAISED:
            self.happen(
                self.Assigned,
                stamp,
                department=department,
                due_on=due_on,
                note=note,
                due_basis=basis,
            )
        else:
            if department == self.department:
                raise InvalidCommand("department", say("department.already_assigned"))
            assert self.department is not None
            self.happen(
                self.Reassigned,
                stamp,
                from_department=self.department,
                department=department,
                due_on=due_on,
                note=note,
                due_basis=basis,
            )
        if named:
            self.happen(self.CoordinatorsNamed, stamp, coordinators=named)

    def refer_upward(
        self,
        *,
        organisation: str,
        department: str,
        due_on: date,
        note: str | None,
        stamp: Stamp,
        due_basis: Basis | None = None,
    ) -> None:
        """Hand the petition to a department of the province (``organisation``): once
        only, while it is still unanswered."""
        self.admit(Command.REFER, stamp)
        if self.referred_to is not None:
            raise InvalidCommand("organisation", say("referral.already"))
        if organisation == self.organisation:
            raise InvalidCommand("organisation", say("referral.to_province"))
        self.check_due_date(due_on, stamp.on)
        self.happen(
            self.ReferredUpward,
            stamp,
            organisation=organisation,
            department=department,
            due_on=due_on,
            note=clean_optional("note", note, NOTE_MAX),
            due_basis=due_basis or bases.given(stamp.on),
        )

    def return_referral(self, *, reason: str, stamp: Stamp) -> None:
        """The province gives the referral back to the raising organisation's committee;
        a department of the province only if it holds the petition."""
        self.admit(Command.RETURN_REFERRAL, stamp)
        if self.referred_to is None:
            raise InvalidCommand("organisation", say("referral.none"))
        assert self.department is not None
        self.happen(
            self.ReferralReturned,
            stamp,
            organisation=self.referred_to,
            department=self.department,
            reason=clean_text("reason", reason, NOTE_MAX),
        )

    def decline_assignment(self, *, reason: str, stamp: Stamp) -> None:
        """The assigned department says the matter is not within its competence."""
        self.admit(Command.DECLINE, stamp)
        assert self.department is not None
        self.happen(
            self.AssignmentDeclined,
            stamp,
            department=self.department,
            reason=clean_text("reason", reason, NOTE_MAX),
        )

    def send_contribution(
        self,
        *,
        department: str,
        text: str,
        document_number: str,
        document_date: date,
        signer: str,
        stamp: Stamp,
    ) -> None:
        """A coordinating department's contribution to the lead's answer, with its letter;
        once, unless the committee waived it."""
        self.admit(Command.CONTRIBUTE, stamp)
        coordination.check_contributor(self.coordinators, department)
        if document_date > stamp.on:
            raise InvalidCommand("document_date", say("coordination.letter_after"))
        if document_date < self.raised_on:
            raise InvalidCommand("document_date", say("letter.before_petition"))
        self.happen(
            self.ContributionSent,
            stamp,
            department=department,
            text=clean_text("text", text, TEXT_MAX),
            document_number=clean_text("document_number", document_number, NAME_MAX),
            document_date=document_date,
            signer=clean_text("signer", signer, NAME_MAX),
        )

    def waive_contributions(self, *, departments: Sequence[str], reason: str, stamp: Stamp) -> None:
        """The committee lets the lead answer without the missing contributions it names."""
        self.admit(Command.WAIVE_CONTRIBUTIONS, stamp)
        self.happen(
            self.ContributionsWaived,
            stamp,
            departments=coordination.check_waivable(self.coordinators, list(departments)),
            reason=clean_text("reason", reason, NOTE_MAX),
        )

    def extend_deadline(self, *, due_on: date, reason: str, stamp: Stamp) -> None:
        self.admit(Command.EXTEND_DEADLINE, stamp)
        assert self.due_on is not None
        if self.paused is not None:
            raise IllegalTransition(
                Command.EXTEND_DEADLINE, self.status, say("clock.paused", day=self.paused.since)
            )
        if due_on <= self.due_on:
            raise InvalidCommand("due_on", say("deadline.not_later", due_on=self.due_on))
        reason = clean_text("reason", reason, NOTE_MAX)
        self.happen(
            self.DeadlineExtended,
            stamp,
            previous_due_on=self.due_on,
            due_on=due_on,
            reason=reason,
            due_basis=bases.extended(self.due_on, stamp.on, reason),
        )

    def pause_clock(self, *, reason: str, note: str | None, stamp: Stamp) -> None:
        """The committee stops the clock of the answer owed, saying why (a
        ``PauseReason``, and a note): the days until it resumes are not counted late."""
        self.admit(Command.PAUSE_CLOCK, stamp)
        if reason not in PauseReason.__members__.values():
            raise InvalidCommand("reason", say("value.not_listed"))
        if self.paused is not None:
            raise IllegalTransition(
                Command.PAUSE_CLOCK, self.status, say("clock.paused", day=self.paused.since)
            )
        assert self.due_on is not None
        self.happen(
            self.ClockPaused,
            stamp,
            reason=reason,
            note=clean_optional("note", note, NOTE_MAX),
            due_on=self.due_on,
        )

    def resume_clock(self, *, working_days: WorkingDays, stamp: Stamp) -> None:
        """The committee starts the clock again: the due date moves by the working days
        paused (the raising organisation's ``working_days``)."""
        self.admit(Command.RESUME_CLOCK, stamp)
        if self.paused is None:
            raise IllegalTransition(Command.RESUME_CLOCK, self.status, say("clock.running"))
        due_on, basis = bases.resumed(self.paused, stamp.on, working_days)
        self.happen(
            self.ClockResumed,
            stamp,
            paused_on=self.paused.since,
            previous_due_on=self.paused.due_on,
            paused_working_days=basis["paused_working_days"],
            due_on=due_on,
            due_basis=basis,
        )

    def answer_in_writing(
        self,
        *,
        text: str,
        document_number: str,
        document_date: date,
        signer: str,
        verify_by: date,
        attachments: list[dict[str, Any]] | None = None,
        stamp: Stamp,
        clearance: str = Clearance.NONE,
    ) -> None:
        """The assigned department's official written answer, to be verified by the
        cells at the briefing on ``verify_by``; held for the office's or the committee's
        clearance where the organisation's ``clearance`` asks for it."""
        self.admit(Command.ANSWER_IN_WRITING, stamp)
        if clearance not in Clearance.__members__.values():
            raise InvalidCommand("clearance", say("value.not_listed"))
        missing = coordination.missing(self.coordinators)
        if missing:
            raise IllegalTransition(
                Command.ANSWER_IN_WRITING,
                self.status,
                say("coordination.missing", departments=", ".join(missing)),
            )
        self.check_verify_by(verify_by, stamp.on)
        if document_date > stamp.on:
            raise InvalidCommand("document_date", say("letter.after_answer"))
        if document_date < self.raised_on:
            raise InvalidCommand("document_date", say("letter.before_petition"))
        for attachment in attachments or []:
            digest = str(attachment.get("sha256", ""))
            if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                raise InvalidCommand("attachments", say("attachment.digest"))
            if not isinstance(attachment.get("name"), str) or not isinstance(
                attachment.get("size"), int
            ):
                raise InvalidCommand("attachments", say("attachment.name_size"))
        assert self.department is not None
        self.happen(
            self.AnsweredInWriting,
            stamp,
            department=self.department,
            text=clean_text("text", text, TEXT_MAX),
            document_number=clean_text("document_number", document_number, NAME_MAX),
            document_date=document_date,
            signer=clean_text("signer", signer, NAME_MAX),
            attachments=[dict(a) for a in attachments or []],
            verify_by=verify_by,
        )
        if clearance != Clearance.NONE:
            self.happen(self.AnswerHeld, stamp, clearer=clearance, department=self.department)

    def answer_on_the_spot(
        self,
        *,
        text: str,
        answered_by: str,
        meeting: str | None,
        verify_by: date,
        stamp: Stamp,
    ) -> None:
        """A leader present at the meeting answered there and then."""
        self.admit(Command.ANSWER_ON_THE_SPOT, stamp)
        self.check_verify_by(verify_by, stamp.on)
        self.happen(
            self.AnsweredOnTheSpot,
            stamp,
            text=clean_text("text", text, TEXT_MAX),
            answered_by=clean_text("answered_by", answered_by, NAME_MAX),
            meeting=clean_optional("meeting", meeting, NAME_MAX),
            verify_by=verify_by,
        )

    def clear_answer(self, *, verify_by: date, stamp: Stamp) -> None:
        """The clearer accepts the held written answer: it counts as answered today, and
        the cells verify it at the briefing on ``verify_by``."""
        self.admit(Command.CLEAR, stamp)
        self.check_verify_by(verify_by, stamp.on)
        assert self.held_by is not None
        self.happen(self.AnswerCleared, stamp, clearer=str(self.held_by), verify_by=verify_by)

    def return_answer(self, *, reason: str, note: str, stamp: Stamp) -> None:
        """The clearer returns the held written answer to the department, saying why: the
        department answers again, by the due date it had (a late answer is late)."""
        self.admit(Command.CLEAR, stamp)
        if reason not in ReturnReason.__members__.values():
            raise InvalidCommand("reason", say("value.not_listed"))
        assert self.held_by is not None and self.department is not None
        self.happen(
            self.AnswerReturned,
            stamp,
            clearer=str(self.held_by),
            department=self.department,
            reason=reason,
            note=clean_text("note", note, NOTE_MAX),
        )

    def verify(
        self,
        *,
        verdict: str,
        flags: list[str],
        meeting: str | None,
        comment: str | None,
        reopen_with: tuple[str, date] | None,
        stamp: Stamp,
        meeting_id: UUID | None = None,
    ) -> None:
        """Record the cell secretaries' verdict on the latest answer (at the meeting
        ``meeting_id``, if it is one the service keeps).

        Anything but ``satisfied`` reopens the petition: with ``reopen_with``
        (department, new due date) it is assigned again, without it it goes back to
        the committee to assign.
        """
        self.admit(Command.VERIFY, stamp)
        if verdict not in Verdict.__members__.values():
            raise InvalidCommand("verdict", say("value.not_listed"))
        unknown = [f for f in flags if f not in QualityFlag.__members__.values()]
        if unknown:
            raise InvalidCommand("flags", say("flags.unknown"))
        if len(set(flags)) != len(flags):
            raise InvalidCommand("flags", say("flags.twice"))
        if verdict == Verdict.SATISFIED and reopen_with is not None:
            raise InvalidCommand("department", say("verdict.satisfied_reopen"))
        if reopen_with is not None:
            self.check_due_date(reopen_with[1], stamp.on)
        self.happen(
            self.Verified,
            stamp,
            verdict=verdict,
            flags=list(flags),
            meeting=clean_optional("meeting", meeting, NAME_MAX),
            comment=clean_optional("comment", comment, NOTE_MAX),
            meeting_id=meeting_id,
        )
        if verdict != Verdict.SATISFIED:
            department, due_on = reopen_with if reopen_with else (None, None)
            self.happen(self.Reopened, stamp, department=department, due_on=due_on)

    def make_commitment(self, *, text: str, due_on: date, cost: int | None, stamp: Stamp) -> None:
        """The written answer this command has just recorded commits its department to
        ``text`` by ``due_on`` (after the answer's day), at ``cost`` VND if it says."""
        pending = self.pending_events
        if not pending or not isinstance(pending[-1], self.AnsweredInWriting):
            raise InvalidCommand("commitment_text", say("commitment.with_answer"))
        if due_on <= stamp.on:
            raise InvalidCommand("commitment_due_on", say("commitment.due_after_answer"))
        answer = pending[-1]
        self.happen(
            self.CommitmentMade,
            stamp,
            department=answer.department,
            text=clean_text("commitment_text", text, NOTE_MAX),
            due_on=due_on,
            cost=check_cost(cost),
        )

    def record_commitment_progress(self, *, percent: int, note: str, stamp: Stamp) -> None:
        """How far the commitment of the latest answer has come, short of done."""
        self.admit_commitment(Command.RECORD_PROGRESS, stamp)
        self.happen(
            self.CommitmentProgressed,
            stamp,
            percent=check_percent(percent),
            note=clean_text("note", note, NOTE_MAX),
        )

    def fulfil_commitment(
        self, *, note: str, attachments: list[dict[str, Any]] | None = None, stamp: Stamp
    ) -> None:
        """The commitment of the latest answer is done, with its evidence."""
        self.admit_commitment(Command.FULFIL_COMMITMENT, stamp)
        self.happen(
            self.CommitmentFulfilled,
            stamp,
            note=clean_text("note", note, NOTE_MAX),
            attachments=check_attachments("attachments", attachments or []),
        )

    def escalate(
        self,
        *,
        reason: str,
        stamp: Stamp,
        rule: str | None = None,
    ) -> None:
        """Escalate to the standing committee. A policy ``rule`` escalates once for its
        cause: ``overdue`` once per due date, ``unsatisfied_twice`` once."""
        self.admit(Command.ESCALATE, stamp)
        due_on = None
        if rule == EscalationRule.OVERDUE:
            if not answer_overdue(self.status, self.due_on, stamp.on, paused=self.is_paused):
                raise InvalidCommand("rule", say("escalation.not_overdue"))
            due_on = self.due_on
        elif rule == EscalationRule.UNSATISFIED_TWICE:
            if self.unsatisfied_verdicts < 2:
                raise InvalidCommand("rule", say("escalation.not_unsatisfied"))
        elif rule is not None:
            raise InvalidCommand("rule", say("value.not_listed"))
        if rule is not None and self.was_escalated_for(rule, due_on):
            already = (
                say("transition.escalated_overdue", day=due_on)
                if rule == EscalationRule.OVERDUE
                else say("transition.escalated_unsatisfied")
            )
            raise IllegalTransition(Command.ESCALATE, self.status, already)
        self.happen(
            self.Escalated,
            stamp,
            reason=clean_text("reason", reason, NOTE_MAX),
            rule=rule,
            due_on=due_on,
        )

    def issue_reminder(self, *, kind: str, stamp: Stamp) -> None:
        """Remind the department in charge that its answer is due soon, or overdue.
        The same reminder (kind, department, due date) is never issued twice."""
        self.admit(Command.REMIND, stamp)
        assert self.due_on is not None and self.department is not None
        if kind not in ReminderKind.__members__.values():
            raise InvalidCommand("kind", say("value.not_listed"))
        if self.paused is not None:
            raise IllegalTransition(
                Command.REMIND, self.status, say("clock.paused", day=self.paused.since)
            )
        late = answer_overdue(self.status, self.due_on, stamp.on)
        if kind == ReminderKind.DUE_SOON and late:
            raise InvalidCommand("kind", say("reminder.passed"))
        if kind == ReminderKind.OVERDUE and not late:
            raise InvalidCommand("kind", say("reminder.not_overdue"))
        if self.has_reminder(kind, self.department, self.due_on):
            raise IllegalTransition(
                Command.REMIND, self.status, say("transition.reminded", day=self.due_on)
            )
        self.happen(
            self.ReminderIssued,
            stamp,
            kind=kind,
            due_on=self.due_on,
            department=self.department,
        )

    def withdraw(self, *, reason: str, stamp: Stamp) -> None:
        self.admit(Command.WITHDRAW, stamp)
        self.end(self.Withdrawn, reason, stamp)

    def merge_into(
        self,
        *,
        target: Petition,
        reason: str | None,
        stamp: Stamp,
    ) -> None:
        """This petition repeats ``target``; it is followed there from now on."""
        self.admit(Command.MERGE, stamp)
        if target.id == self.id:
            raise InvalidCommand("target", say("merge.self"))
        if target.status in (Status.WITHDRAWN, Status.MERGED):
            raise InvalidCommand("target", say("merge.target_ended", status=target.status))
        self.happen(
            self.MergedInto,
            stamp,
            target_id=target.id,
            reason=clean_optional("reason", reason, NOTE_MAX),
        )

    def close(self, *, reason: str, stamp: Stamp) -> None:
        """The committee closes the matter without a satisfied verdict, saying why."""
        self.admit(Command.CLOSE, stamp)
        self.end(self.Closed, reason, stamp)

    def reopen(self, *, reason: str, stamp: Stamp) -> None:
        """The committee undoes its close, withdrawal or merge, saying why: the petition
        is back in the status it ended from (raised, assigned or answered), with the same
        department and due date, and owes again what it owed then. A petition the cells'
        satisfied verdict closed is not reopened: the verdict is theirs, not the
        committee's (``domain.lifecycle`` says why)."""
        self.admit(Command.REOPEN, stamp)
        if self.ended_from is None:
            raise IllegalTransition(Command.REOPEN, self.status, say("transition.reopen_satisfied"))
        answered = self.ended_from is Status.ANSWERED and bool(self.answers)
        self.happen(
            self.Reinstated,
            stamp,
            reason=clean_text("reason", reason, NOTE_MAX),
            status=str(self.ended_from),
            department=self.department,
            due_on=self.due_on,
            verify_by=self.answers[-1].verify_by if answered else None,
        )

    def add_note(self, *, text: str, stamp: Stamp) -> None:
        """An internal note on the open petition, of the committee or the department in
        charge (kept from every other reader by the access rules)."""
        self.admit(Command.NOTE, stamp)
        self.happen(self.NoteAdded, stamp, text=clean_text("text", text, NOTE_MAX))

    def cosign(
        self,
        *,
        organisation: str,
        cell: str,
        commune: str,
        raised_by: str,
        channel: str,
        meeting: str | None,
        note: str | None,
        stamp: Stamp,
    ) -> None:
        """Another cell of ``organisation`` (where it belongs) raised the same matter, on
        the day of ``stamp`` (before or after this petition was: the cells raised it each
        at its own meeting): it co-signs the open petition, once. Neither the raising cell
        nor a cell of another organisation co-signs."""
        check_allowed(Command.COSIGN, self.status, stamp.actor, self.department)
        if organisation != self.organisation:
            raise InvalidCommand("cell", say("cosign.other_organisation"))
        if cell == self.cell:
            raise InvalidCommand("cell", say("cosign.own_cell"))
        if any(c.cell == cell for c in self.cosigners):
            raise InvalidCommand("cell", say("cosign.already"))
        check_channel(channel, meeting)
        self.happen(
            self.Cosigned,
            stamp,
            cell=cell,
            commune=commune,
            raised_by=clean_text("raised_by", raised_by, NAME_MAX),
            channel=channel,
            meeting=clean_optional("meeting", meeting, NAME_MAX),
            note=clean_optional("note", note, NOTE_MAX),
        )

    def link_repeat(self, *, earlier: Petition, number: str | None, stamp: Stamp) -> None:
        """This open petition raises again the matter of ``earlier``, a petition of its
        organisation raised on or before its own day, open or ended: linked once. Whether
        the cells' satisfied verdict had closed ``earlier``, and on whose answer, is read
        from it now and recorded with the link."""
        check_allowed(Command.LINK_REPEAT, self.status, stamp.actor, self.department)
        if earlier.id == self.id:
            raise InvalidCommand("repeats", say("repeat.self"))
        if earlier.organisation != self.organisation:
            raise InvalidCommand("repeats", say("repeat.other_organisation"))
        if earlier.raised_on > self.raised_on:
            raise InvalidCommand("repeats", say("repeat.later", day=earlier.raised_on))
        if self.repeat_of is not None:
            raise InvalidCommand(
                "repeats",
                say("repeat.already", number=self.repeat_of.number or self.repeat_of.petition_id),
            )
        satisfied = earlier.closed_satisfied
        self.happen(
            self.RepeatLinked,
            stamp,
            repeats=earlier.id,
            number=number,
            satisfied=satisfied,
            department=earlier.answers[-1].department if satisfied else None,
        )

    def end(self, ending: type[Petition.Event], reason: str, stamp: Stamp) -> None:
        """Withdrawn or closed: the reason is all the event says."""
        self.happen(ending, stamp, reason=clean_text("reason", reason, NOTE_MAX))

    def happen(self, event: type[Petition.Event], stamp: Stamp, **fields: Any) -> None:
        """Trigger ``event`` with the command's ``fields`` and who issued it, when."""
        self.trigger_event(event, **fields, **stamp.event_fields())

    # ---- guards -----------------------------------------------------------------

    def admit(self, command: Command, stamp: Stamp) -> None:
        """The petition takes the command now: its status allows it, it comes from the
        department in charge where it must, and its business day is not before the last."""
        check_allowed(command, self.status, stamp.actor, self.department)
        if command is Command.CLEAR and self.held_by is None:
            raise IllegalTransition(command, self.status, say("clearance.not_held"))
        if self.held_by is not None and command not in WHILE_HELD:
            raise IllegalTransition(command, self.status, say("clearance.held"))
        self.check_business_date(stamp.on)

    def admit_commitment(self, command: Command, stamp: Stamp) -> None:
        """A commitment's follow-up: the latest answer's commitment, still to keep, of the
        actor's department; after a close, only one the cells' satisfied verdict made owed."""
        self.admit(command, stamp)
        commitment = self.commitments[-1] if self.commitments else None
        if (
            commitment is None
            or not commitment.is_open
            or commitment.answer_number != len(self.answers)
        ):
            raise IllegalTransition(command, self.status, say("transition.no_commitment"))
        if self.status is Status.CLOSED and commitment.binding_from is None:
            raise IllegalTransition(command, self.status, say("transition.commitment_unbound"))
        if stamp.actor.department != commitment.department:
            raise WrongDepartment(command, self.status)

    def check_business_date(self, on: date) -> None:
        if on < self.last_business_date:
            raise InvalidCommand(
                "business_date", say("date.before_last", day=on, last=self.last_business_date)
            )

    @staticmethod
    def check_due_date(due_on: date, on: date) -> None:
        if due_on <= on:
            raise InvalidCommand("due_on", say("due.before_assignment"))

    @staticmethod
    def check_verify_by(verify_by: date, on: date) -> None:
        if verify_by <= on:
            raise InvalidCommand("verify_by", say("verify_by.not_after"))

    # ---- state helpers used by the events' apply() -----------------------------

    def take_department(self, department: str, due_on: date, on: date) -> None:
        self.department = department
        self.due_on = due_on
        self.due_basis = None  # an assignment's own, set by its event; a reopening's unrecorded
        self.paused = None  # a new holder's clock runs
        self.assigned_on = on
        self.given_back = None
        if department not in self.departments:
            self.departments.append(department)

    def give_back(self) -> None:
        """No department has the petition any more: the committee assigns it again."""
        self.department = None
        self.due_on = None
        self.due_basis = None
        self.assigned_on = None
        self.coordinators = []  # the next assignment names its own

    def settle_commitment(self, verdict: Verdict, on: date) -> None:
        """The cells' verdict on the latest answer settles its commitment, if it made one:
        owed from ``on`` if they are satisfied, lapsed with the answer otherwise."""
        commitment = self.commitments[-1] if self.commitments else None
        if commitment is None or commitment.answer_number != len(self.answers):
            return
        if verdict is Verdict.SATISFIED:
            self.commitments[-1] = replace(commitment, binding_from=on)
        else:
            self.commitments[-1] = replace(commitment, lapsed=True)

    @property
    def is_paused(self) -> bool:
        """Whether the committee stopped the answer's clock (not overdue meanwhile)."""
        return self.paused is not None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def closed_satisfied(self) -> bool:
        """Whether the cells' satisfied verdict closed the petition (not the committee)."""
        return (
            self.status is Status.CLOSED
            and self.ended_from is None
            and bool(self.verifications)
            and self.verifications[-1].verdict is Verdict.SATISFIED
        )

    @property
    def unsatisfied_verdicts(self) -> int:
        """Verdicts other than satisfied: answers the cells did not accept."""
        return sum(v.verdict is not Verdict.SATISFIED for v in self.verifications)

    def has_reminder(self, kind: str, department: str, due_on: date) -> bool:
        return any(
            (r.kind, r.department, r.due_on) == (kind, department, due_on) for r in self.reminders
        )

    def was_escalated_for(self, rule: str, due_on: date | None) -> bool:
        return any((e.rule, e.due_on) == (rule, due_on) for e in self.policy_escalations)


def recorded_events(cls: type[Aggregate]) -> frozenset[type]:
    """The event classes of the aggregate ``cls`` that its commands record: the leaves of
    its event classes (Petition.Assignment is what Assigned and Reassigned share, never
    recorded itself), but the library's default ``Created`` (Petition records Raised)."""
    classes = [
        v
        for k, v in vars(cls).items()
        if isinstance(v, type) and issubclass(v, Aggregate.Event) and k != "Created"
    ]
    return frozenset(
        c for c in classes if not any(o is not c and issubclass(o, c) for o in classes)
    )


# Every event class a petition's log can hold.
RECORDED_EVENTS = recorded_events(Petition)
