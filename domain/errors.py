"""Domain errors. Each carries a stable machine-readable ``code``.

The API maps them to problem documents: ``IllegalTransition`` and ``ConcurrentUpdate``
to 409, ``InvalidCommand`` and ``IdempotencyKeyReused`` to 422, ``StaleVersion`` to 412,
``NotPermitted`` to 403 and ``PetitionNotFound`` to 404.
"""

from __future__ import annotations

from typing import Any

from domain.messages import Message, say


class DomainError(Exception):
    """A command was refused; nothing was recorded. ``message`` says why (in the
    adapters' language: ``domain.messages``)."""

    code = "domain_error"

    def __init__(self, message: Message, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidCommand(DomainError):
    """A value in the command breaks a rule (unknown code, empty text, date order)."""

    code = "invalid_command"

    def __init__(self, field: str, message: Message, **details: Any) -> None:
        super().__init__(message.with_params(field=field), field=field, **details)
        self.field = field


class IllegalTransition(DomainError):
    """The petition's current status does not allow the command."""

    code = "illegal_transition"

    def __init__(self, command: str, status: str, message: Message | None = None) -> None:
        text = message or say("transition.illegal", command=command, status=status)
        super().__init__(text, command=command, status=status)
        self.command = command
        self.status = status


class WrongDepartment(IllegalTransition):
    """A department acted on a petition that is assigned to another department."""

    code = "wrong_department"

    def __init__(self, command: str, status: str) -> None:
        super().__init__(
            command, status, say("transition.wrong_department", command=command, status=status)
        )


class NotPermitted(DomainError):
    """The actor's role may not issue this command."""

    code = "not_permitted"


class PetitionNotFound(DomainError):
    """No petition has this id."""

    code = "petition_not_found"


class StaleVersion(DomainError):
    """The client acted on an older version of the petition than the current one."""

    code = "stale_version"


class ConcurrentUpdate(DomainError):
    """Another writer changed the petition between our read and our write: retry."""

    code = "concurrent_update"


class IdempotencyKeyReused(DomainError):
    """The same idempotency key was sent with a different request."""

    code = "idempotency_key_reused"


class MeetingNotFound(DomainError):
    """No meeting has this id (or none the caller may see)."""

    code = "meeting_not_found"


class MeetingOutOfOrder(IllegalTransition):
    """The meeting's status does not allow the command (minutes before it is held, a
    notice for a cancelled meeting, a second agenda)."""

    code = "meeting_out_of_order"

    def __init__(self, command: str, status: str, message: Message | None = None) -> None:
        text = message or say(
            "meeting.out_of_order", meeting_command=command, meeting_status=status
        )
        super().__init__(command, status, text)
