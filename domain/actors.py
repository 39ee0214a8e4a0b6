"""Who acts on petitions, and which role may issue which command."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import InvalidCommand, NotPermitted


class Role(StrEnum):
    CLERK = "clerk"
    COMMITTEE = "committee"
    DEPARTMENT = "department"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"  # the policy worker, which escalates on its own


@dataclass(frozen=True)
class Actor:
    """The person or process behind a command; ``department`` binds a department role."""

    id: str
    role: Role
    department: str | None = None

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise InvalidCommand("actor", "an actor needs an id")
        if (self.role is Role.DEPARTMENT) != (self.department is not None):
            raise InvalidCommand(
                "actor", "a department actor names exactly one department; other roles none"
            )


class Command(StrEnum):
    RAISE = "raise"
    ASSIGN = "assign"
    DECLINE = "decline"
    EXTEND_DEADLINE = "extend_deadline"
    ANSWER_IN_WRITING = "answer_in_writing"
    ANSWER_ON_THE_SPOT = "answer_on_the_spot"
    VERIFY = "verify"
    ESCALATE = "escalate"
    WITHDRAW = "withdraw"
    MERGE = "merge"
    CLOSE = "close"
    REMIND = "remind"


PERMITTED_ROLES: dict[Command, frozenset[Role]] = {
    Command.RAISE: frozenset({Role.CLERK}),
    Command.ASSIGN: frozenset({Role.COMMITTEE}),
    Command.DECLINE: frozenset({Role.DEPARTMENT}),
    Command.EXTEND_DEADLINE: frozenset({Role.COMMITTEE}),
    Command.ANSWER_IN_WRITING: frozenset({Role.DEPARTMENT}),
    Command.ANSWER_ON_THE_SPOT: frozenset({Role.CLERK}),
    Command.VERIFY: frozenset({Role.CLERK, Role.COMMITTEE}),
    Command.ESCALATE: frozenset({Role.COMMITTEE, Role.SYSTEM}),
    Command.WITHDRAW: frozenset({Role.COMMITTEE}),
    Command.MERGE: frozenset({Role.COMMITTEE}),
    Command.CLOSE: frozenset({Role.COMMITTEE}),
    Command.REMIND: frozenset({Role.SYSTEM}),
}


def check_permitted(actor: Actor, command: Command) -> None:
    if actor.role not in PERMITTED_ROLES[command]:
        raise NotPermitted(
            f"role {actor.role} may not {command}", role=str(actor.role), command=str(command)
        )
