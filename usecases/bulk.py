"""Commands on several petitions at once, all or nothing: the committee assigns a
briefing's petitions in one go.

Each command is checked as ``Petitions.execute`` checks it alone (the access rules, then the
aggregate's decision); only when every one is accepted are they saved, together, in one
transaction. A refusal of any leaves every petition as it was, and says, per petition,
why it was refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.errors import ConcurrentUpdate, DomainError, InvalidCommand
from domain.messages import say
from domain.petition import Petition
from usecases import access
from usecases.commands import Assign, Context, Written
from usecases.errors import Refused
from usecases.petitions import Petitions


class Refusals(Exception):
    """Some of the commands were refused: nothing was recorded. ``faults`` holds each
    refused petition's refusal (a ``DomainError`` or a ``Refused``)."""

    def __init__(self, faults: dict[UUID, DomainError | Refused]) -> None:
        super().__init__(f"{len(faults)} of the petitions were refused; none was changed")
        self.faults = faults


def assign_all(app: Petitions, commands: Sequence[Assign], ctx: Context) -> list[Written]:
    """Every assignment of ``commands``, or none (``Refusals``); a petition named twice
    is refused, as a form that named it twice would be a mistake."""
    if not commands:
        raise Refused(
            "validation_error", say("choose.none"), fields={"petition": say("field.required")}
        )
    faults: dict[UUID, DomainError | Refused] = {}
    decided: list[Petition] = []
    seen: set[UUID] = set()
    for command in commands:
        try:
            if command.petition_id in seen:
                raise InvalidCommand(
                    "petition", say("petition.named_twice", petition_id=command.petition_id)
                )
            seen.add(command.petition_id)
            access.check_command(ctx.actor, command)
            petition, _ = app.decide(command, ctx, guard=app.guard(command.command))
            decided.append(petition)
        except (DomainError, Refused) as refused:
            faults[command.petition_id] = refused
    if faults:
        raise Refusals(faults)
    try:
        recordings = app.save(*decided)
    except IntegrityError:
        raise ConcurrentUpdate(say("update.concurrent")) from None
    position = max(r.notification.id for r in recordings)
    return [Written(p.id, p.version, position, p.status) for p in decided]
