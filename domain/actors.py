"""Who acts on petitions (which role may issue which command: ``domain.lifecycle``)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidCommand
from domain.lifecycle import check_permitted
from domain.vocabulary import Command, Role


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


# The role and command vocabularies live in domain.vocabulary, which role may issue which
# command in domain.lifecycle; they are named here too, where the callers look for them.
__all__ = ["Actor", "Command", "Role", "check_permitted"]
