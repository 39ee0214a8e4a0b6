"""The use cases' input and output: who acts (``Context``), the typed commands on
petitions, and the answer to every write (``Written``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from domain.actors import Actor, Command, Stamp
from stores.attachments import Letter

if TYPE_CHECKING:
    from stores.tokens import Principal


@dataclass(frozen=True)
class Context:
    """Who issues a command, and the request it came in (carried into every event).
    ``subject`` is the person or client the actor's credential stands for: idempotency
    keys are scoped to it (to the actor when it is None)."""

    actor: Actor
    request_id: str | None = None
    subject: str | None = None

    @classmethod
    def of(cls, principal: Principal, request_id: str | None = None) -> Context:
        """A request's context: idempotency keys scoped to the token's subject."""
        return cls(principal.actor, request_id=request_id, subject=principal.subject)

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
    member: str | None = None  # the committee member at the cell meeting it was raised at
    repeat_of: UUID | None = None  # the earlier petition it raises again (usecases.repeats)

    def fingerprint(self) -> str:
        # A field added later counts only when given, so a key recorded before it was
        # added still fingerprints its request as it did then.
        fields = {k: v for k, v in asdict(self).items() if k not in LATER or v is not None}
        canonical = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


# The draft's fields added after idempotency keys were first recorded.
LATER = frozenset({"member", "repeat_of"})


@dataclass(frozen=True)
class Written:
    """The answer to every write: the petition's new version and the log position to
    wait for before reading the views. A replayed raise answers as its first time did."""

    id: UUID
    version: int
    position: int | None
    status: str
    replayed: bool = False

    @classmethod
    def saved(cls, petition: Any, recordings: Sequence[Any]) -> Written:
        """The answer to a write that saved ``petition``: at its last recording's position."""
        position = recordings[-1].notification.id
        return cls(petition.id, petition.version, position, petition.status)


# ---- the commands ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RaisePetition:
    """Record a petition; under an idempotency key, a repeat answers as the first did."""

    command: ClassVar[Command] = Command.RAISE
    draft: PetitionDraft
    idempotency_key: str | None = None


@dataclass(frozen=True, kw_only=True)
class Change:
    """A command on one petition: the business day it happened (None: today) and the
    version the issuer saw (None: any)."""

    command: ClassVar[Command]
    petition_id: UUID
    on: date | None = None
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class Assign(Change):
    """Assign, or reassign; without ``due_on`` the zone's next briefing decides."""

    command: ClassVar[Command] = Command.ASSIGN
    department: str
    due_on: date | None = None
    note: str | None = None
    coordinating: tuple[tuple[str, date], ...] = ()  # each department with its due date


@dataclass(frozen=True, kw_only=True)
class Refer(Change):
    """Refer upward to a department of the province (``organisation``); without
    ``due_on`` the raising organisation's next briefing decides."""

    command: ClassVar[Command] = Command.REFER
    organisation: str
    department: str
    due_on: date | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReturnReferral(Change):
    command: ClassVar[Command] = Command.RETURN_REFERRAL
    reason: str


@dataclass(frozen=True, kw_only=True)
class Decline(Change):
    command: ClassVar[Command] = Command.DECLINE
    reason: str


@dataclass(frozen=True, kw_only=True)
class ExtendDeadline(Change):
    command: ClassVar[Command] = Command.EXTEND_DEADLINE
    due_on: date
    reason: str


@dataclass(frozen=True, kw_only=True)
class Pledge:
    """What a written answer commits its department to: ``text`` by ``due_on``, at
    ``cost`` VND if it says (``domain.commitments``)."""

    text: str
    due_on: date
    cost: int | None = None


@dataclass(frozen=True, kw_only=True)
class AnswerInWriting(Change):
    """The assigned department's written answer, with the signed letters uploaded with
    it: their bytes are stored with the event, in its transaction."""

    command: ClassVar[Command] = Command.ANSWER_IN_WRITING
    text: str
    document_number: str
    document_date: date
    signer: str
    letters: tuple[Letter, ...] = ()
    commitment: Pledge | None = None


@dataclass(frozen=True, kw_only=True)
class AnswerOnTheSpot(Change):
    command: ClassVar[Command] = Command.ANSWER_ON_THE_SPOT
    text: str
    answered_by: str
    meeting: str | None = None


@dataclass(frozen=True, kw_only=True)
class Verify(Change):
    """The verdict; anything but satisfied reopens with the same department (or
    ``reassign_to``) and a new due date (given, or the zone's next briefing)."""

    command: ClassVar[Command] = Command.VERIFY
    verdict: str
    flags: tuple[str, ...] = ()
    meeting: str | None = None
    comment: str | None = None
    reassign_to: str | None = None
    due_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class Escalate(Change):
    command: ClassVar[Command] = Command.ESCALATE
    reason: str


@dataclass(frozen=True, kw_only=True)
class Withdraw(Change):
    command: ClassVar[Command] = Command.WITHDRAW
    reason: str


@dataclass(frozen=True, kw_only=True)
class Close(Change):
    command: ClassVar[Command] = Command.CLOSE
    reason: str


@dataclass(frozen=True, kw_only=True)
class Reopen(Change):
    """The committee undoes its close, withdrawal or merge of the petition, saying why."""

    command: ClassVar[Command] = Command.REOPEN
    reason: str


@dataclass(frozen=True, kw_only=True)
class Merge(Change):
    """This petition repeats ``into``; it is followed there."""

    command: ClassVar[Command] = Command.MERGE
    into: UUID
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class AddNote(Change):
    """An internal note: the committee's, or the department in charge's; read by them and
    the auditors only (``usecases.access.reads_notes``). Dated the day it is written."""

    command: ClassVar[Command] = Command.NOTE
    text: str


@dataclass(frozen=True, kw_only=True)
class Cosign(Change):
    """Another party cell raised the same matter (at ``meeting``, or in a written report):
    it co-signs this petition instead of raising a duplicate, on the business day ``on``."""

    command: ClassVar[Command] = Command.COSIGN
    cell: str
    raised_by: str
    channel: str
    meeting: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Remind(Change):
    """Remind the department in charge (``due_soon`` or ``overdue``); system only."""

    command: ClassVar[Command] = Command.REMIND
    kind: str


PetitionCommand = RaisePetition | Change
