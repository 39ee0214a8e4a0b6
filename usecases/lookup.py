"""A petition looked up by what a person types: its id, or its number ("KN-2026-0123"),
among the petitions the person may see (the list's rule: ``usecases.access``)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from domain.actors import Actor
from domain.errors import PetitionNotFound
from domain.messages import say
from projections.petition_list import PetitionFilter
from usecases.errors import Refused

if TYPE_CHECKING:
    from usecases.queries import PetitionQueries

MAX_NUMBERED = 200  # petitions of one number a lookup lists (one per organisation)


def numbered(queries: PetitionQueries, actor: Actor, text: str) -> list[UUID] | None:
    """The petitions the actor sees numbered ``text`` (one per organisation at most),
    newest first; None: the text is no number."""
    found = queries.numbers.search(PetitionFilter(text=text))
    if found.number is None:
        return None
    page = queries.petitions(actor, found, limit=MAX_NUMBERED)
    return [row["petition_id"] for row in page["items"]]


def identified(queries: PetitionQueries, actor: Actor, key: str) -> UUID:
    """The petition ``key`` names: its id, or its number if the actor sees exactly one
    petition of that number (a province's user may see one in each organisation)."""
    try:
        return UUID(key.strip())
    except ValueError:
        pass
    found = numbered(queries, actor, key)
    if found is None:
        raise Refused(
            "validation_error",
            say("lookup.unread", given=key),
            fields={"petition_id": say("lookup.unread_field")},
        )
    if not found:
        raise PetitionNotFound(say("petition.not_found_number", number=key.strip()))
    if len(found) > 1:
        raise Refused(
            "validation_error",
            say("lookup.several", count=len(found), number=key.strip()),
            fields={"petition_id": say("lookup.several_field")},
        )
    return found[0]
