"""What a petition keeps of its answers, their verifications, its reminders and its
policy escalations: frozen values with typed fields, built by the events' ``apply``.

The events store plain strings and dicts, as they always have (an event is for ever);
these are the aggregate's reading of them, so the checker sees a verdict as a ``Verdict``
and nobody edits an answer after the fact. ``plain`` turns one into the plain data the
callers outside the domain are given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.vocabulary import (
    AnswerMode,
    EscalationRule,
    GiveBack,
    QualityFlag,
    ReminderKind,
    Verdict,
)


@dataclass(frozen=True)
class Attachment:
    """A signed letter of a written answer, as its event records it."""

    name: str
    sha256: str
    size: int
    content_type: str | None = None

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> Attachment:
        """The attachment an event stored as a dict (``content_type`` came later)."""
        return cls(
            name=stored["name"],
            sha256=stored["sha256"],
            size=stored["size"],
            content_type=stored.get("content_type"),
        )


@dataclass(frozen=True)
class Answer:
    """A department's written answer, or one given on the spot at a meeting."""

    mode: AnswerMode
    department: str | None  # None: answered on the spot
    text: str
    document_number: str | None  # the letter's, for a written answer
    document_date: date | None
    signer: str  # who signed the letter, or who answered at the meeting
    answered_on: date
    meeting: str | None
    due_on: date | None  # the due date in force when it was answered
    verify_by: date  # the briefing at which the cells verify it
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Verification:
    """The cells' verdict on the answer numbered ``answer_number`` (1 for the first)."""

    verdict: Verdict
    flags: tuple[QualityFlag, ...]
    meeting: str | None
    comment: str | None
    verified_on: date
    answer_number: int
    meeting_id: UUID | None = None  # the meeting it was given at, if the service keeps it


@dataclass(frozen=True)
class Reminder:
    """A reminder the policy worker issued to the department in charge."""

    kind: ReminderKind
    due_on: date
    department: str
    issued_on: date


@dataclass(frozen=True)
class PolicyEscalation:
    """An escalation by a policy rule, for the due date it concerns (None: no due date)."""

    rule: EscalationRule
    due_on: date | None


@dataclass(frozen=True)
class GivenBack:
    """The department that last held a petition gave it back (``how``), saying why: the
    committee assigns it again. Kept until the next assignment."""

    how: GiveBack
    department: str
    organisation: str | None  # the province, for a returned referral; None: the petition's own
    reason: str
    on: date


@dataclass(frozen=True)
class Cosigner:
    """A party cell of the petition's organisation that raised the same matter and
    co-signs the petition instead of raising a duplicate, as its ``Cosigned`` records it."""

    cell: str
    commune: str
    raised_by: str
    channel: str
    meeting: str | None
    note: str | None
    cosigned_on: date


@dataclass(frozen=True)
class RepeatOf:
    """The earlier petition this one raises again, as its ``RepeatLinked`` records it:
    its number then (None: not numbered yet), whether the cells' satisfied verdict had
    closed it, and the department whose answer they were satisfied with (None: answered
    on the spot, or not closed so)."""

    petition_id: UUID
    number: str | None
    satisfied: bool
    department: str | None
    linked_on: date


def plain(value: Any) -> Any:
    """A record as plain data: a dict of its fields, tuples as lists, values kept."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    return value
