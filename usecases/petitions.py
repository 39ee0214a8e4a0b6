"""The ``Petitions`` application: the use cases that write, and single-petition reads.

``execute`` is a person's use case: the access rules (``usecases.access``), then its handler.
The keyword methods (``assign``, ``verify``…) are the handlers as the service's own processes
call them, with the domain's rules only. Each loads the petition once, lets the aggregate
decide, saves and returns plain data, never the aggregate; a lost race is ``ConcurrentUpdate``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Mapper
from eventsourcing.postgres import PostgresDatastore

from domain.actors import Actor, Command, Stamp, check_permitted
from domain.calendar import BusinessDates
from domain.errors import (
    ConcurrentUpdate,
    IdempotencyKeyReused,
    InvalidCommand,
    PetitionNotFound,
    StaleVersion,
)
from domain.messages import say
from domain.petition import Petition, Status, Verdict
from domain.policy import REMIND, Decision, PolicyRules, decisions
from domain.reference import District, Province, single
from domain.vietnam import today_in_vietnam
from stores.attachments import Letter
from stores.outbox import LETTERS, OUTBOX, OutboxRecorder
from usecases import (
    access,
    coordination,
    cosigning,
    meetings,
    organisations,
    repeats,
    topic_commands,
)
from usecases.commands import (
    AddNote,
    AnswerInWriting,
    AnswerOnTheSpot,
    Assign,
    Change,
    Close,
    Context,
    Decline,
    Escalate,
    ExtendDeadline,
    Merge,
    PetitionCommand,
    PetitionDraft,
    RaisePetition,
    Refer,
    Remind,
    Reopen,
    ReturnReferral,
    Verify,
    Withdraw,
    Written,
)
from usecases.records import (
    IDEMPOTENCY_KEY_MAX,
    ActorAsDict,
    DateAsISO,
    FoundingMapper,
    RaiseRequest,
    describe,
    event_record,
    reminder_delivery,
)

Guard = Callable[[Actor, Petition], None]
Decided = tuple[Petition, Sequence[Letter]]  # a petition with its events pending, its letters


class Petitions(Application[UUID]):
    """The petition tracker's command side."""

    name = "Petitions"

    def __init__(
        self,
        reference: Province | District,
        env: dict[str, str] | None = None,
        today: Callable[[], date] = today_in_vietnam,
        dates: BusinessDates | None = None,
    ) -> None:
        super().__init__(env)
        self.province = reference if isinstance(reference, Province) else single(reference)
        self.today = today
        self.dates = dates or BusinessDates()
        self.number_of: Callable[[UUID], str | None] = lambda _: None  # the service's numbers

    @property
    def province(self) -> Province:
        """Every organisation of the deployment with its reference data."""
        return self._province

    @province.setter
    def province(self, province: Province) -> None:
        self._province = province
        if isinstance(self.mapper, FoundingMapper) and province.founding is not None:
            self.mapper.founding = province.founding

    @property
    def district(self) -> District:
        """The reference data of the deployment's one organisation below its province."""
        only = self.province.only_below()
        if only is None:
            raise LookupError("the deployment holds several organisations: name one")
        return self.province.reference(only.code)

    @district.setter
    def district(self, district: District) -> None:
        self.province = single(district)

    def construct_mapper(self) -> Mapper[UUID]:
        return FoundingMapper(transcoder=self.construct_transcoder())

    @property
    def postgres_recorder(self) -> OutboxRecorder:
        """The recorder the service runs on: PostgreSQL through the outbox's recorder (the
        library's APPLICATION_RECORDER_TOPIC, service/database.py); none in memory."""
        if not isinstance(self.recorder, OutboxRecorder):
            raise TypeError(f"not on PostgreSQL: the recorder is {self.recorder!r}")
        return self.recorder

    @property
    def datastore(self) -> PostgresDatastore:
        """The connection pool the event log, the reference data and the views share."""
        return self.postgres_recorder.datastore

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(ActorAsDict())

    # ---- the use cases ------------------------------------------------------------------

    def execute(self, command: PetitionCommand, ctx: Context) -> Written:
        """A person's command: refused unless the access rules let the actor issue it as
        given, on a petition the actor may see; then the domain decides."""
        access.check_command(ctx.actor, command)
        if isinstance(command, RaisePetition):
            return self.raise_petition(command.draft, ctx, idempotency_key=command.idempotency_key)
        return self.handle(command, ctx, guard=self.guard(command.command))

    def guard(self, command: Command) -> Guard:
        """The object-level rules of a person's command on a loaded petition."""

        def check(actor: Actor, petition: Petition) -> None:
            access.visible(actor, petition, self.province)
            access.check_acts(actor, petition, command, self.province)
            access.check_coordinates(actor, petition, command)

        return check

    def handle(self, command: Change, ctx: Context, *, guard: Guard | None = None) -> Written:
        """One command on one petition, as ``decide`` decides it, saved with its letters."""
        return self.save_petition(*self.decide(command, ctx, guard=guard))

    def decide(self, command: Change, ctx: Context, *, guard: Guard | None = None) -> Decided:
        """The command on its petition, loaded once: the role, the business day, the ``guard``
        (the caller's object rule), the version seen, the aggregate's decision, the letters."""
        check_permitted(ctx.actor, command.command)
        target = self.load(command.into, field="target") if isinstance(command, Merge) else None
        day = self.business_date(command.on)
        petition = self.load(command.petition_id)
        if guard is not None:
            guard(ctx.actor, petition)
            if target is not None:  # a person merges only into a petition it may see
                access.check_target(ctx.actor, target, self.province)
        if command.expected_version is not None and command.expected_version != petition.version:
            raise StaleVersion(
                say("version.stale", current=petition.version, expected=command.expected_version),
                current_version=petition.version,
            )
        stamp = ctx.stamp(day)
        letters: Sequence[Letter] = ()
        match command:
            case Assign():
                coordination.assign(self, petition, command, day, stamp)
            case Refer():
                organisations.check_referral(self.province, command, day)
                due = organisations.due_fields(self, command.due_on, petition, day)
                petition.refer_upward(
                    organisation=command.organisation,
                    department=command.department,
                    **due,
                    note=command.note,
                    stamp=stamp,
                )
            case ReturnReferral():
                petition.return_referral(reason=command.reason, stamp=stamp)
            case Decline():
                petition.decline_assignment(reason=command.reason, stamp=stamp)
            case ExtendDeadline():
                due_on = self.dates.check("due_on", command.due_on)
                petition.extend_deadline(due_on=due_on, reason=command.reason, stamp=stamp)
            case AnswerInWriting(letters=letters):  # held for clearance, with a commitment
                topic_commands.answer_in_writing(self, petition, command, day, stamp)
            case AnswerOnTheSpot():
                petition.answer_on_the_spot(
                    text=command.text,
                    answered_by=command.answered_by,
                    meeting=command.meeting,
                    verify_by=self.verification_date(petition, day),
                    stamp=stamp,
                )
            case Verify():
                self.record_verdict(petition, command, day, stamp)
            case Escalate():
                petition.escalate(reason=command.reason, stamp=stamp)
            case Withdraw():
                petition.withdraw(reason=command.reason, stamp=stamp)
            case Close():
                petition.close(reason=command.reason, stamp=stamp)
            case Reopen():
                petition.reopen(reason=command.reason, stamp=stamp)
            case Merge():
                assert target is not None
                petition.merge_into(target=target, reason=command.reason, stamp=stamp)
            case Remind():
                petition.issue_reminder(kind=command.kind, stamp=stamp)
            case AddNote():
                petition.add_note(text=command.text, stamp=stamp)
            case cosigning.Cosign():
                cosigning.cosign(self.province, petition, command, day, stamp)
            case _:  # the commands of the topics in modules of their own
                letters = topic_commands.decide(self, petition, command, ctx.actor, stamp)
        return petition, letters

    def record_verdict(self, petition: Petition, command: Verify, day: date, stamp: Stamp) -> None:
        if command.reassign_to is not None:
            organisations.reference_of(self.province, petition).department_on(
                command.reassign_to, day
            )
        reopen_with = None
        department = command.reassign_to or petition.department
        if command.verdict != Verdict.SATISFIED and department is not None:
            due = self.due_date(command.due_on) or self.briefing_due_date(petition, day)
            reopen_with = (department, due)
        elif command.reassign_to is not None or command.due_on is not None:
            raise InvalidCommand("department", say("reopen.only"))
        petition.verify(
            verdict=command.verdict,
            flags=list(command.flags),
            meeting=command.meeting,
            comment=command.comment,
            reopen_with=reopen_with,
            stamp=stamp,
            meeting_id=meetings.verified_at(self, petition, command.meeting, day),
        )

    # ---- the handlers by keyword, as the service's own processes call them -------------

    def raise_petition(
        self, draft: PetitionDraft, ctx: Context, *, idempotency_key: str | None = None
    ) -> Written:
        check_permitted(ctx.actor, Command.RAISE)
        organisation = organisations.raising_organisation(self.province, ctx.actor)
        reference = self.province.reference(organisation.code)
        reference.category(draft.category)
        zone = reference.zone_of_cell(draft.cell)
        day = self.business_date(draft.raised_on)
        cell = reference.cell_on(draft.cell, day)
        organisation.check_takes_petition(day)
        petition = Petition.record(
            organisation=organisation.code,
            kind=draft.kind,
            category=draft.category,
            summary=draft.summary,
            text=draft.text,
            cell=cell.code,
            commune=cell.commune,
            zone=zone.code,
            raised_by=draft.raised_by,
            channel=draft.channel,
            meeting=draft.meeting,
            stamp=ctx.stamp(day),
            **meetings.raised_at(self, organisation.code, draft, cell.code, zone.code, day),
        )
        repeats.at_raise(self, petition, draft, ctx.stamp(day))
        if idempotency_key is None:
            return self.save_petition(petition)
        key = idempotency_key.strip()
        if not key or len(key) > IDEMPOTENCY_KEY_MAX:
            raise InvalidCommand(
                "idempotency_key", say("idempotency.key_length", max_length=IDEMPOTENCY_KEY_MAX)
            )
        if ctx.subject is not None:
            # Recorded before keys were scoped to subjects: still the same request's.
            earlier = RaiseRequest.actor_id_for(ctx.actor, key)
            if self.raise_request(earlier) is not None:
                return self.replay_raise(earlier, draft)
        request_id = RaiseRequest.id_for(ctx, key)
        request = RaiseRequest._create(
            RaiseRequest.Recorded,
            id=request_id,
            petition_id=petition.id,
            fingerprint=draft.fingerprint(),
        )
        try:
            recordings = self.save(petition, request)
        except IntegrityError:
            return self.replay_raise(request_id, draft)
        return Written.saved(petition, recordings)

    def raise_request(self, request_id: UUID) -> RaiseRequest | None:
        try:
            request: RaiseRequest = self.repository.get(request_id)
        except AggregateNotFoundError:
            return None
        return request

    def replay_raise(self, request_id: UUID, draft: PetitionDraft) -> Written:
        """The key was used before: the same request gets the first result again, at
        the log position the first write had (the request was recorded with it)."""
        request = self.raise_request(request_id)
        if request is None:
            raise ConcurrentUpdate(say("update.not_recorded"))
        if request.fingerprint != draft.fingerprint():
            raise IdempotencyKeyReused(
                say("idempotency.reused"),
                petition_id=str(request.petition_id),
            )
        return Written(
            request.petition_id, 1, self.position_of(request_id, 1), Status.RAISED, replayed=True
        )

    def position_of(self, originator_id: UUID, version: int) -> int | None:
        """One stored event's log position; in memory the log's head (safe to wait for)."""
        if isinstance(self.recorder, OutboxRecorder):
            return self.recorder.position_of(originator_id, version)
        return self.recorder.max_notification_id()

    def assign(self, petition_id: UUID, ctx: Context, **fields: Any) -> Written:
        """Assign, or reassign; without ``due_on`` the zone's next briefing decides."""
        return self.handle(Assign(petition_id=petition_id, **fields), ctx)

    def refer(self, petition_id: UUID, ctx: Context, **fields: Any) -> Written:
        return self.handle(Refer(petition_id=petition_id, **fields), ctx)

    def return_referral(self, petition_id: UUID, ctx: Context, **fields: Any) -> Written:
        return self.handle(ReturnReferral(petition_id=petition_id, **fields), ctx)

    def decline_assignment(self, petition_id: UUID, ctx: Context, **fields: Any) -> Written:
        return self.handle(Decline(petition_id=petition_id, **fields), ctx)

    def extend_deadline(self, petition_id: UUID, ctx: Context, **fields: Any) -> Written:
        return self.handle(ExtendDeadline(petition_id=petition_id, **fields), ctx)

    def answer_in_writing(
        self, petition_id: UUID, ctx: Context, *, letters: Sequence[Letter] = (), **fields: Any
    ) -> Written:
        command = AnswerInWriting(petition_id=petition_id, letters=tuple(letters), **fields)
        return self.handle(command, ctx)

    def answer_on_the_spot(self, petition_id: UUID, ctx: Context, **fields: Any) -> Written:
        return self.handle(AnswerOnTheSpot(petition_id=petition_id, **fields), ctx)

    def verify(
        self, petition_id: UUID, ctx: Context, *, flags: Sequence[str] | None = None, **fields: Any
    ) -> Written:
        command = Verify(petition_id=petition_id, flags=tuple(flags or ()), **fields)
        return self.handle(command, ctx)

    def escalate(self, petition_id: UUID, ctx: Context, **fields: Any) -> Written:
        return self.handle(Escalate(petition_id=petition_id, **fields), ctx)

    def withdraw(self, petition_id: UUID, ctx: Context, **fields: Any) -> Written:
        return self.handle(Withdraw(petition_id=petition_id, **fields), ctx)

    def close_petition(self, petition_id: UUID, ctx: Context, **fields: Any) -> Written:
        return self.handle(Close(petition_id=petition_id, **fields), ctx)

    def merge(self, petition_id: UUID, ctx: Context, **fields: Any) -> Written:
        return self.handle(Merge(petition_id=petition_id, **fields), ctx)

    def issue_reminder(self, petition_id: UUID, ctx: Context, **fields: Any) -> Written:
        """The reminder is saved with its delivery request (see ``save_petition``)."""
        return self.handle(Remind(petition_id=petition_id, **fields), ctx)

    def apply_policy(
        self, petition_id: UUID, ctx: Context, rules: PolicyRules, *, on: date | None = None
    ) -> tuple[list[Decision], Written | None]:
        """What the deadline policy decides for the petition on the business day (reminders,
        escalations), recorded in one transaction: the decisions, the write (None: none)."""
        check_permitted(ctx.actor, Command.REMIND)
        check_permitted(ctx.actor, Command.ESCALATE)
        day = self.business_date(on)
        petition = self.load(petition_id)
        stamp = ctx.stamp(day)
        taken = decisions(petition, day, rules)
        for decision in taken:
            if decision.action == REMIND:
                petition.issue_reminder(kind=decision.kind, stamp=stamp)
            else:
                petition.escalate(reason=decision.reason, rule=decision.kind, stamp=stamp)
        if not taken:
            return [], None
        return taken, self.save_petition(petition)

    # ---- single-petition reads -----------------------------------------------------------

    def state(self, petition_id: UUID, *, as_of: datetime | None = None) -> dict[str, Any]:
        """The petition's current state, or as it stood at ``as_of`` (a record time)."""
        if as_of is None:
            return describe(self.load(petition_id))
        self.dates.check_moment("as_of", as_of)
        petition: Petition | None = None
        for event in self.events.get(petition_id):  # in version order: stop at as_of
            assert isinstance(event, Petition.Event)
            if event.timestamp > as_of:
                break
            petition = event.mutate(petition)
        if not isinstance(petition, Petition):
            raise PetitionNotFound(say("petition.not_then", petition_id=petition_id, day=as_of))
        return describe(petition)

    def history(self, petition_id: UUID) -> list[dict[str, Any]]:
        """Every event of the petition: type, both times, actor, request id, payload."""
        events = list(self.events.get(petition_id))
        if not events or not isinstance(events[0], Petition.Raised):
            raise PetitionNotFound(say("petition.not_found", petition_id=petition_id))
        return [event_record(e) for e in events]

    # ---- helpers ----------------------------------------------------------------------

    def verification_date(self, petition: Petition, answered_on: date) -> date:
        """The briefing after the answer, where the cells verify it."""
        return self.briefing_due_date(petition, answered_on)

    def briefing_due_date(self, petition: Petition, on: date) -> date:
        """The raising organisation's briefing calendar's due date from ``on``."""
        return organisations.briefing_due_date(self.province, petition, on)

    def business_date(self, on: date | None) -> date:
        today = self.today()
        if on is None:
            return today
        if on > today:
            raise InvalidCommand("business_date", say("date.future", day=on))
        return self.dates.check("business_date", on)

    def due_date(self, due_on: date | None) -> date | None:
        """A due date given with a command (None: the calendar decides)."""
        return None if due_on is None else self.dates.check("due_on", due_on)

    def load(
        self, petition_id: UUID, *, version: int | None = None, field: str | None = None
    ) -> Petition:
        missing = (
            PetitionNotFound(say("petition.not_found", petition_id=petition_id))
            if field is None
            else InvalidCommand(field, say("petition.unknown", petition_id=petition_id))
        )
        try:
            found: object = self.repository.get(petition_id, version=version)
        except AggregateNotFoundError:
            raise missing from None
        if not isinstance(found, Petition):  # another aggregate's id (a request's)
            raise missing
        return found

    def save_petition(self, petition: Petition, letters: Sequence[Letter] = ()) -> Written:
        # A reminder is saved with its delivery request, and an answer (a fulfilment) with its
        # letters' bytes, in one transaction: the recorder writes ``outbox`` and ``letters``.
        outbox = [
            reminder_delivery(petition, e, organisations.reference_of(self.province, petition))
            for e in petition.pending_events
            if isinstance(e, Petition.ReminderIssued)
        ]
        extra: dict[str, Any] = {}
        if outbox:
            extra[OUTBOX] = outbox
        if letters:
            extra[LETTERS] = list(letters)
        try:
            recordings = self.save(petition, **extra)
        except IntegrityError:
            raise ConcurrentUpdate(say("update.concurrent")) from None
        return Written.saved(petition, recordings)
