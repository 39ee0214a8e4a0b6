"""Repeats: a petition that raises again the matter of an earlier one of its organisation
is linked to it (``Petition.link_repeat``), at entry (the raise names it, ``repeat_of``)
or afterwards from the petition's page. The scorecards count, of a department's
satisfied closures, those a repeat followed (``projections.repeats``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from domain.actors import Command, Stamp
from domain.errors import InvalidCommand
from domain.messages import say
from domain.petition import Petition
from usecases import access
from usecases.commands import Change, PetitionDraft

if TYPE_CHECKING:
    from usecases.petitions import Petitions

FIELD = "repeats"  # the field a refusal of the earlier petition names


@dataclass(frozen=True, kw_only=True)
class LinkRepeat(Change):
    """The petition raises again the matter of ``repeats``, an earlier one."""

    command: ClassVar[Command] = Command.LINK_REPEAT
    repeats: UUID


def link(app: Petitions, petition: Petition, repeats: UUID, stamp: Stamp) -> None:
    """The loaded ``petition`` linked to the earlier petition ``repeats``: one the actor
    may see (else no such petition, as for an id that names none), with its number as
    the list knows it now; then the aggregate decides."""
    earlier = app.load(repeats, field=FIELD)
    if not access.sees(stamp.actor, earlier.organisation, earlier.departments, app.province):
        raise InvalidCommand(FIELD, say("petition.unknown", petition_id=repeats))
    petition.link_repeat(earlier=earlier, number=app.number_of(earlier.id), stamp=stamp)


def at_raise(app: Petitions, petition: Petition, draft: PetitionDraft, stamp: Stamp) -> None:
    """A petition raised as a repeat (the draft's ``repeat_of``) is linked in the same
    write: both are recorded, or neither."""
    if draft.repeat_of is not None:
        access.check(stamp.actor, access.UseCase.LINK_REPEAT)
        link(app, petition, draft.repeat_of, stamp)
