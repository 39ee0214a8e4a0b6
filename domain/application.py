"""The ``Petitions`` application: command handlers and single-petition queries.

Each handler checks the actor's role, loads the petition, lets the aggregate decide,
and saves; it returns plain data (id, version, log position, status), never the
aggregate. The library's optimistic concurrency turns a lost race into
``ConcurrentUpdate``, which the caller may retry.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoding

from domain.actors import Actor, Command, Role, Stamp, check_permitted
from domain.calendar import BusinessDates
from domain.errors import (
    ConcurrentUpdate,
    IdempotencyKeyReused,
    InvalidCommand,
    PetitionNotFound,
    StaleVersion,
)
from domain.petition import Petition, Status, Verdict
from domain.policy import REMIND, Decision, PolicyRules, decisions
from domain.records import plain
from domain.reference import District
from domain.vietnam import today_in_vietnam

IDEMPOTENCY_NAMESPACE = UUID("6f1c2a4e-3b7d-5e8f-9a0b-1c2d3e4f5a6b")
IDEMPOTENCY_KEY_MAX = 200
OUTBOX = "outbox"  # the save() keyword that hands reminders' deliveries to the recorder
LETTERS = "letters"  # the save() keyword that hands an answer's letters to the recorder


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, Any]:
        return {"id": obj.id, "role": str(obj.role), "department": obj.department}

    def decode(self, data: dict[str, Any]) -> Actor:
        return actor_of(data["id"], data["role"], data["department"])


@functools.lru_cache(maxsize=4096)
def actor_of(actor_id: str, role: str, department: str | None) -> Actor:
    """The Actor of a stored event. A district has few actors and Actor is frozen, so
    one instance per actor is shared: decoding the log skips the enum and the checks."""
    return Actor(id=actor_id, role=Role(role), department=department)


class RaiseRequest(Aggregate):
    """An idempotency key of a raise. Its id is a uuid5 of the key, so the event store
    itself refuses a second petition under the same key."""

    class Recorded(Aggregate.Created):
        petition_id: UUID
        fingerprint: str

        def apply(self, aggregate: Any) -> None:
            aggregate.petition_id = self.petition_id
            aggregate.fingerprint = self.fingerprint

    @staticmethod
    def id_for(ctx: Context, key: str) -> UUID:
        """Keys are scoped to the subject the caller stands for (the person or client, the
        same across its tokens); a context without a subject, to its actor."""
        if ctx.subject is None:
            return RaiseRequest.actor_id_for(ctx.actor, key)
        return uuid5(IDEMPOTENCY_NAMESPACE, json.dumps(["subject", ctx.subject, key]))

    @staticmethod
    def actor_id_for(actor: Actor, key: str) -> UUID:
        """A key scoped to the actor: how every key was recorded before keys were scoped
        to subjects, when an API caller's actor was its token."""
        return uuid5(IDEMPOTENCY_NAMESPACE, f"{actor.id}\n{key}")


@dataclass(frozen=True)
class Context:
    """Who issues a command, and the request it came in (carried into every event).
    ``subject`` is the person or client the actor's credential stands for: idempotency
    keys are scoped to it (to the actor when it is None)."""

    actor: Actor
    request_id: str | None = None
    subject: str | None = None

    def stamp(self, on: date) -> Stamp:
        """What the events of a command issued in this context on ``on`` record."""
        return Stamp(self.actor, on, self.request_id)


@dataclass(frozen=True)
class PetitionDraft:
    """What a clerk records when a petition is raised."""

    kind: str
    category: str
    summary: str
    text: str
    cell: str
    raised_by: str
    channel: str
    raised_on: date
    meeting: str | None = None

    def fingerprint(self) -> str:
        canonical = json.dumps(asdict(self), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Letter:
    """A signed letter uploaded with a written answer: its file name, its bytes and the
    media type they were measured to be. Its SHA-256 and size are computed from the bytes;
    the answer's event records them, and the recorder stores the bytes in the transaction
    that records the event, so a refused answer stores nothing."""

    name: str
    content: bytes = field(repr=False)
    content_type: str
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", hashlib.sha256(self.content).hexdigest())

    @property
    def size(self) -> int:
        return len(self.content)

    def attachment(self) -> dict[str, Any]:
        """What the event records of the letter."""
        return {
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "content_type": self.content_type,
        }


@dataclass(frozen=True)
class Written:
    """The answer to every write: the petition's new version and the log position to
    wait for before reading the views."""

    id: UUID
    version: int
    position: int | None
    status: str
    replayed: bool = False
    request: UUID | None = None  # a replayed raise: the idempotency record it came from


class Petitions(Application[UUID]):
    """The petition tracker's command side."""

    name = "Petitions"

    def __init__(
        self,
        district: District,
        env: dict[str, str] | None = None,
        today: Callable[[], date] = today_in_vietnam,
        dates: BusinessDates | None = None,
    ) -> None:
        super().__init__(env)
        self.district = district
        self.today = today
        self.dates = dates or BusinessDates()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(ActorAsDict())

    # ---- commands ---------------------------------------------------------------

    def raise_petition(
        self, draft: PetitionDraft, ctx: Context, *, idempotency_key: str | None = None
    ) -> Written:
        check_permitted(ctx.actor, Command.RAISE)
        self.district.category(draft.category)
        zone = self.district.zone_of_cell(draft.cell)
        cell = self.district.cell(draft.cell)
        petition = Petition.record(
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
            stamp=ctx.stamp(self.business_date(draft.raised_on)),
        )
        if idempotency_key is None:
            return self.save_petition(petition)
        key = idempotency_key.strip()
        if not key or len(key) > IDEMPOTENCY_KEY_MAX:
            raise InvalidCommand(
                "idempotency_key", f"must be 1 to {IDEMPOTENCY_KEY_MAX} characters"
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
        return Written(
            petition.id, petition.version, recordings[-1].notification.id, petition.status
        )

    def raise_request(self, request_id: UUID) -> RaiseRequest | None:
        try:
            request: RaiseRequest = self.repository.get(request_id)
        except AggregateNotFoundError:
            return None
        return request

    def replay_raise(self, request_id: UUID, draft: PetitionDraft) -> Written:
        """The key was used before: the same request gets the first result again."""
        request = self.raise_request(request_id)
        if request is None:
            raise ConcurrentUpdate("the petition could not be recorded; retry")
        if request.fingerprint != draft.fingerprint():
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for a different petition",
                petition_id=str(request.petition_id),
            )
        # The first write's exact position is not kept; the log's head is at or after
        # it, so waiting for it is safe.
        return Written(
            request.petition_id,
            1,
            self.recorder.max_notification_id(),
            Status.RAISED,
            replayed=True,
            request=request_id,
        )

    def assign(
        self,
        petition_id: UUID,
        ctx: Context,
        *,
        department: str,
        due_on: date | None = None,
        note: str | None = None,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        """Assign, or reassign; without ``due_on`` the zone's next briefing decides."""

        def change(p: Petition, day: date) -> None:
            self.district.department(department)
            due = self.due_date(due_on) or self.district.default_due_date(p.zone, day)
            p.assign(
                department=department,
                due_on=due,
                note=note,
                stamp=ctx.stamp(day),
            )

        return self.change(petition_id, ctx, Command.ASSIGN, expected_version, on, change)

    def decline_assignment(
        self,
        petition_id: UUID,
        ctx: Context,
        *,
        reason: str,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        return self.change(
            petition_id,
            ctx,
            Command.DECLINE,
            expected_version,
            on,
            lambda p, day: p.decline_assignment(reason=reason, stamp=ctx.stamp(day)),
        )

    def extend_deadline(
        self,
        petition_id: UUID,
        ctx: Context,
        *,
        due_on: date,
        reason: str,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        return self.change(
            petition_id,
            ctx,
            Command.EXTEND_DEADLINE,
            expected_version,
            on,
            lambda p, day: p.extend_deadline(
                due_on=self.dates.check("due_on", due_on),
                reason=reason,
                stamp=ctx.stamp(day),
            ),
        )

    def answer_in_writing(
        self,
        petition_id: UUID,
        ctx: Context,
        *,
        text: str,
        document_number: str,
        document_date: date,
        signer: str,
        letters: Sequence[Letter] = (),
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        """The assigned department's written answer, with the signed letters uploaded
        with it: their bytes are stored with the event, in its transaction."""
        return self.change(
            petition_id,
            ctx,
            Command.ANSWER_IN_WRITING,
            expected_version,
            on,
            lambda p, day: p.answer_in_writing(
                text=text,
                document_number=document_number,
                document_date=self.dates.check("document_date", document_date),
                signer=signer,
                verify_by=self.verification_date(p, day),
                attachments=[letter.attachment() for letter in letters],
                stamp=ctx.stamp(day),
            ),
            letters=letters,
        )

    def answer_on_the_spot(
        self,
        petition_id: UUID,
        ctx: Context,
        *,
        text: str,
        answered_by: str,
        meeting: str | None = None,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        return self.change(
            petition_id,
            ctx,
            Command.ANSWER_ON_THE_SPOT,
            expected_version,
            on,
            lambda p, day: p.answer_on_the_spot(
                text=text,
                answered_by=answered_by,
                meeting=meeting,
                verify_by=self.verification_date(p, day),
                stamp=ctx.stamp(day),
            ),
        )

    def verify(
        self,
        petition_id: UUID,
        ctx: Context,
        *,
        verdict: str,
        flags: list[str] | None = None,
        meeting: str | None = None,
        comment: str | None = None,
        reassign_to: str | None = None,
        due_on: date | None = None,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        """Record the verdict; anything but satisfied reopens with the same department
        (or ``reassign_to``) and a new due date (given, or the zone's next briefing)."""

        def change(p: Petition, day: date) -> None:
            if reassign_to is not None:
                self.district.department(reassign_to)
            reopen_with = None
            department = reassign_to or p.department
            if verdict != Verdict.SATISFIED and department is not None:
                due = self.due_date(due_on) or self.district.default_due_date(p.zone, day)
                reopen_with = (department, due)
            elif reassign_to is not None or due_on is not None:
                raise InvalidCommand(
                    "department", "a department and due date are given only to reopen"
                )
            p.verify(
                verdict=verdict,
                flags=list(flags or []),
                meeting=meeting,
                comment=comment,
                reopen_with=reopen_with,
                stamp=ctx.stamp(day),
            )

        return self.change(petition_id, ctx, Command.VERIFY, expected_version, on, change)

    def escalate(
        self,
        petition_id: UUID,
        ctx: Context,
        *,
        reason: str,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        return self.change(
            petition_id,
            ctx,
            Command.ESCALATE,
            expected_version,
            on,
            lambda p, day: p.escalate(reason=reason, stamp=ctx.stamp(day)),
        )

    def withdraw(
        self,
        petition_id: UUID,
        ctx: Context,
        *,
        reason: str,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        return self.change(
            petition_id,
            ctx,
            Command.WITHDRAW,
            expected_version,
            on,
            lambda p, day: p.withdraw(reason=reason, stamp=ctx.stamp(day)),
        )

    def close_petition(
        self,
        petition_id: UUID,
        ctx: Context,
        *,
        reason: str,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        return self.change(
            petition_id,
            ctx,
            Command.CLOSE,
            expected_version,
            on,
            lambda p, day: p.close(reason=reason, stamp=ctx.stamp(day)),
        )

    def merge(
        self,
        petition_id: UUID,
        ctx: Context,
        *,
        into: UUID,
        reason: str | None = None,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        target = self.load(into, field="target")
        return self.change(
            petition_id,
            ctx,
            Command.MERGE,
            expected_version,
            on,
            lambda p, day: p.merge_into(target=target, reason=reason, stamp=ctx.stamp(day)),
        )

    def issue_reminder(
        self,
        petition_id: UUID,
        ctx: Context,
        *,
        kind: str,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        """Remind the department in charge (``due_soon`` or ``overdue``); system only.
        The reminder is saved with its delivery request (see ``save_petition``)."""
        return self.change(
            petition_id,
            ctx,
            Command.REMIND,
            expected_version,
            on,
            lambda p, day: p.issue_reminder(kind=kind, stamp=ctx.stamp(day)),
        )

    def apply_policy(
        self, petition_id: UUID, ctx: Context, rules: PolicyRules, *, on: date | None = None
    ) -> tuple[list[Decision], Written | None]:
        """Record what the deadline policy decides for the petition on the business day
        (reminders, escalations), all in one transaction. Returns the decisions taken
        and the write (None when nothing was new)."""
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

    # ---- queries ----------------------------------------------------------------

    def state(self, petition_id: UUID, *, as_of: datetime | None = None) -> dict[str, Any]:
        """The petition's current state, or as it stood at ``as_of`` (a record time)."""
        if as_of is None:
            return describe(self.load(petition_id))
        self.dates.check_moment("as_of", as_of)
        petition: Any = None
        for event in self.events.get(petition_id):  # in version order: stop at as_of
            if event.timestamp > as_of:
                break
            petition = event.mutate(petition)
        if not isinstance(petition, Petition):
            raise PetitionNotFound(f"petition {petition_id} did not exist at {as_of.isoformat()}")
        return describe(petition)

    def history(self, petition_id: UUID) -> list[dict[str, Any]]:
        """Every event of the petition: type, both times, actor, request id, payload."""
        events = list(self.events.get(petition_id))
        if not events or not isinstance(events[0], Petition.Raised):
            raise PetitionNotFound(f"no petition {petition_id}")
        return [event_record(e) for e in events]

    # ---- helpers ----------------------------------------------------------------

    def verification_date(self, petition: Petition, answered_on: date) -> date:
        """The zone's next briefing after the answer, where the cells verify it."""
        return self.district.default_due_date(petition.zone, answered_on)

    def business_date(self, on: date | None) -> date:
        today = self.today()
        if on is None:
            return today
        if on > today:
            raise InvalidCommand("business_date", f"{on.isoformat()} is in the future")
        return self.dates.check("business_date", on)

    def due_date(self, due_on: date | None) -> date | None:
        """A due date given with a command (None: the calendar decides)."""
        return None if due_on is None else self.dates.check("due_on", due_on)

    def load(
        self, petition_id: UUID, *, version: int | None = None, field: str | None = None
    ) -> Petition:
        try:
            petition = self.repository.get(petition_id, version=version)
        except AggregateNotFoundError:
            petition = None
        if not isinstance(petition, Petition):
            if field is not None:
                raise InvalidCommand(field, f"no petition {petition_id}")
            raise PetitionNotFound(f"no petition {petition_id}")
        return petition

    def change(
        self,
        petition_id: UUID,
        ctx: Context,
        command: Command,
        expected_version: int | None,
        on: date | None,
        decide: Callable[[Petition, date], None],
        letters: Sequence[Letter] = (),
    ) -> Written:
        check_permitted(ctx.actor, command)
        day = self.business_date(on)
        petition = self.load(petition_id)
        if expected_version is not None and expected_version != petition.version:
            raise StaleVersion(
                f"the petition is at version {petition.version}, not {expected_version}",
                current_version=petition.version,
            )
        decide(petition, day)
        return self.save_petition(petition, letters)

    def save_petition(self, petition: Petition, letters: Sequence[Letter] = ()) -> Written:
        # A reminder is saved with its delivery request, and an answer with its letters'
        # bytes, in the same transaction: the service's recorder writes the ``outbox``
        # items to its outbox table and the ``letters`` to the attachments table.
        outbox = [
            self.reminder_delivery(petition, e)
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
            raise ConcurrentUpdate(
                "the petition was changed by someone else meanwhile; reload and retry"
            ) from None
        return Written(
            petition.id, petition.version, recordings[-1].notification.id, petition.status
        )

    def reminder_delivery(
        self, petition: Petition, event: Petition.ReminderIssued
    ) -> dict[str, Any]:
        """What the department's reminder e-mail says about one petition (plain data)."""
        department = self.district.departments.get(event.department)
        return {
            "petition_id": petition.id,
            "event_version": event.originator_version,
            "kind": event.kind,
            "department": event.department,
            "department_name": department.name if department else event.department,
            "due_on": event.due_on,
            "issued_on": event.business_date,
            "summary": petition.summary,
        }


def describe(p: Petition) -> dict[str, Any]:
    """Plain data of a petition's state, for callers outside the domain."""
    return {
        "id": p.id,
        "version": p.version,
        "status": str(p.status),
        "kind": p.kind,
        "category": p.category,
        "summary": p.summary,
        "text": p.text,
        "cell": p.cell,
        "commune": p.commune,
        "zone": p.zone,
        "raised_by": p.raised_by,
        "channel": p.channel,
        "meeting": p.meeting,
        "raised_on": p.raised_on,
        "department": p.department,
        "due_on": p.due_on,
        "assigned_on": p.assigned_on,
        "departments": list(p.departments),
        "answers": [plain(a) for a in p.answers],
        "verifications": [plain(v) for v in p.verifications],
        "escalations": p.escalations,
        "reopen_count": p.reopen_count,
        "merged_into": p.merged_into,
        "closing_reason": p.closing_reason,
        "created_on": p.created_on,
        "modified_on": p.modified_on,
    }


EVENT_ENVELOPE = (
    "originator_id",
    "originator_version",
    "timestamp",
    "actor",
    "business_date",
    "request_id",
    "originator_topic",
)


def event_record(event: Any) -> dict[str, Any]:
    state = vars(event)
    return {
        "type": type(event).__name__,
        "version": event.originator_version,
        "recorded_at": event.timestamp,
        "business_date": event.business_date,
        "actor": {
            "id": event.actor.id,
            "role": str(event.actor.role),
            "department": event.actor.department,
        },
        "request_id": event.request_id,
        "payload": {k: v for k, v in state.items() if k not in EVENT_ENVELOPE},
    }
