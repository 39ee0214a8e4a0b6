"""What the application stores and answers beside the petition itself: the transcodings
of its events' values, the idempotency record of a raise, and plain data of a petition's
state and events for callers outside the domain.

The application lived in ``domain.application`` before the use cases had a folder of their
own; the idempotency records stored then name that module in their topics, so those topics
are registered here and old databases replay as they were written.
"""

from __future__ import annotations

import functools
import json
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoding
from eventsourcing.utils import register_topic

from domain.actors import Actor, Role
from domain.due_basis import sentence
from domain.petition import FOUNDING, Petition
from domain.records import plain
from domain.reference import District

if TYPE_CHECKING:
    from usecases.commands import Context

IDEMPOTENCY_NAMESPACE = UUID("6f1c2a4e-3b7d-5e8f-9a0b-1c2d3e4f5a6b")
IDEMPOTENCY_KEY_MAX = 200


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
        # Actors recorded before organisations existed had no organisation, and before
        # actors named their person no name or position; an actor without them is still
        # stored as those were, so old events decode as they were written.
        encoded = {"id": obj.id, "role": str(obj.role), "department": obj.department}
        for key in OPTIONAL_ACTOR_FIELDS:
            value = getattr(obj, key)
            if value is not None:
                encoded[key] = value
        return encoded

    def decode(self, data: dict[str, Any]) -> Actor:
        return actor_of(
            data["id"],
            data["role"],
            data["department"],
            *(data.get(key) for key in OPTIONAL_ACTOR_FIELDS),
        )


# The actor's fields stored only when they are given, in the order ``actor_of`` takes them.
OPTIONAL_ACTOR_FIELDS = ("organisation", "name", "position", "cell")


@functools.lru_cache(maxsize=4096)
def actor_of(
    actor_id: str,
    role: str,
    department: str | None,
    organisation: str | None = None,
    name: str | None = None,
    position: str | None = None,
    cell: str | None = None,
) -> Actor:
    """The Actor of a stored event. A district has few actors and Actor is frozen, so
    one instance per actor is shared: decoding the log skips the enum and the checks."""
    return Actor(
        id=actor_id,
        role=Role(role),
        department=department,
        organisation=organisation,
        name=name,
        position=position,
        cell=cell,
    )


class FoundingMapper(Mapper[UUID]):
    """The library's mapper, but that a ``Raised`` of version 1 (upcast with
    ``FOUNDING``) is given the deployment's founding organisation (``founding``, set when
    the reference data is loaded). The stored event is untouched."""

    founding: str = FOUNDING

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        event = super().to_domain_event(stored_event)
        if isinstance(event, Petition.Raised) and event.organisation == FOUNDING:
            object.__setattr__(event, "organisation", self.founding)
        return event


class RaiseRequest(Aggregate):
    """An idempotency key of a raise. Its id is a uuid5 of the key, so the event store
    itself refuses a second petition under the same key."""

    petition_id: UUID
    fingerprint: str

    class Recorded(Aggregate.Created):
        petition_id: UUID
        fingerprint: str

        def apply(self, aggregate: Any) -> None:
            request: RaiseRequest = aggregate
            request.petition_id = self.petition_id
            request.fingerprint = self.fingerprint

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


# The topics the records were stored under while the application was ``domain.application``
# (the event's own topic, and the aggregate's in its ``originator_topic``).
FORMER_MODULE = "domain.application"
register_topic(f"{FORMER_MODULE}:RaiseRequest", RaiseRequest)


def describe(p: Petition) -> dict[str, Any]:
    """Plain data of a petition's state, for callers outside the domain."""
    return {
        "id": p.id,
        "version": p.version,
        "status": str(p.status),
        "organisation": p.organisation,
        "referred_to": p.referred_to,
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
        "meeting_id": p.meeting_id,
        "member": p.member,
        "raised_on": p.raised_on,
        "department": p.department,
        "due_on": p.due_on,
        "due_basis": p.due_basis,
        "due_explanation": None if p.due_on is None else sentence(p.due_on, p.due_basis),
        "clock_paused": None if p.paused is None else plain(p.paused),
        "assigned_on": p.assigned_on,
        "departments": list(p.departments),
        "answers": [plain(a) for a in p.answers],
        "verifications": [plain(v) for v in p.verifications],
        "escalations": p.escalations,
        "reopen_count": p.reopen_count,
        "merged_into": p.merged_into,
        "closing_reason": p.closing_reason,
        "reopens_to": None if p.ended_from is None else str(p.ended_from),
        "given_back": plain(p.given_back) if p.given_back else None,
        "cosigners": [plain(c) for c in p.cosigners],
        "held_by": None if p.held_by is None else str(p.held_by),
        "held_answer": plain(p.held_answer) if p.held_answer else None,
        "returns": [plain(r) for r in p.returns],
        "commitments": [plain(c) for c in p.commitments],
        "repeat_of": plain(p.repeat_of) if p.repeat_of else None,
        "coordinators": [plain(c) for c in p.coordinators],
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
            "name": event.actor.name,
            "position": event.actor.position,
        },
        "request_id": event.request_id,
        "payload": {k: v for k, v in state.items() if k not in EVENT_ENVELOPE},
    }


def reminder_delivery(
    petition: Petition, event: Petition.ReminderIssued, holder: District
) -> dict[str, Any]:
    """What the department's reminder e-mail says about one petition (plain data);
    ``holder``: the reference data of the organisation whose department holds it."""
    department = holder.departments.get(event.department)
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
