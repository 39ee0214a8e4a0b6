"""Who acts on petitions (which role may issue which command: ``domain.lifecycle``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.errors import InvalidCommand
from domain.lifecycle import check_permitted
from domain.messages import say
from domain.vocabulary import Command, Role


@dataclass(frozen=True)
class Actor:
    """The person or process behind a command; ``department`` binds a department role,
    ``cell`` a cell's secretary, ``organisation`` the organisation (or the province) the
    person acts for (None: the service's own processes, and events recorded before
    organisations existed);
    ``name`` and ``position`` the person's full name and position (chức vụ), or a named
    client's name (None: events recorded before actors named their person, and the
    service's own processes)."""

    id: str
    role: Role
    department: str | None = None
    organisation: str | None = None
    name: str | None = None
    position: str | None = None
    cell: str | None = None

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise InvalidCommand("actor", say("actor.no_id"))
        if (self.role is Role.DEPARTMENT) != (self.department is not None):
            raise InvalidCommand("actor", say("actor.department"))
        if (self.role is Role.SECRETARY) != (self.cell is not None):
            raise InvalidCommand("actor", say("actor.cell"))

    @classmethod
    def bound(
        cls,
        actor_id: str,
        role: Role,
        unit: str | None,
        organisation: str | None = None,
        name: str | None = None,
        position: str | None = None,
    ) -> Actor:
        """The actor of a credential, whose one ``unit`` column binds its role: the
        department of a department user, the cell of a cell's secretary (none for the
        others)."""
        secretary = role is Role.SECRETARY
        return cls(
            actor_id,
            role,
            None if secretary else unit,
            organisation,
            name,
            position,
            cell=unit if secretary else None,
        )


@dataclass(frozen=True)
class Stamp:
    """What every event of a command records beside its own facts: who issued it
    (``actor``), the business date it happened on in the world (``on``) and the request
    it came in (``request_id``). The events store it as ``actor``, ``business_date`` and
    ``request_id``, as they always have."""

    actor: Actor
    on: date
    request_id: str | None = None

    def event_fields(self) -> dict[str, Any]:
        """The stamp under the names the events store it by."""
        return {"actor": self.actor, "business_date": self.on, "request_id": self.request_id}


# The role and command vocabularies live in domain.vocabulary, which role may issue which
# command in domain.lifecycle; they are named here too, where the callers look for them.
__all__ = ["Actor", "Command", "Role", "Stamp", "check_permitted"]
