"""The clearance of written answers (``domain.clearance``): the clearer's command on a
held answer, the organisation's setting read where the department answers, and the
admin's change of that setting.

Who clears is ``usecases.record_access.check_clears``'s rule; what the petition takes while its
answer is held is the lifecycle's (``domain.lifecycle.WHILE_HELD``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from domain.actors import Actor, Command, Stamp
from domain.errors import InvalidCommand
from domain.messages import say
from domain.petition import Petition
from domain.reference import Province
from domain.vocabulary import Clearance, ClearanceDecision, values
from projections.base import Row
from stores.reference_changes import Op, Record, Update
from usecases import access, record_access
from usecases.commands import Change

if TYPE_CHECKING:
    from usecases.petitions import Petitions
    from usecases.queries import PetitionQueries
    from usecases.reference_admin import Target
    from usecases.reference_form import Form

__all__ = ["Clear", "clear", "clearance_of", "clearer_of", "decide", "plan_setting", "waiting"]
SETTING = "clearance"  # the admin's action, and the history's key


@dataclass(frozen=True, kw_only=True)
class Clear(Change):
    """The clearer's decision on the held written answer: ``accept`` it (it counts as
    answered, verified at the next briefing), or ``return`` it to the department with a
    ``reason`` (``ReturnReason``) and a ``note``."""

    command: ClassVar[Command] = Command.CLEAR
    decision: str
    reason: str | None = None
    note: str | None = None


def clearance_of(province: Province, petition: Petition) -> Clearance:
    """Who clears the petition's written answers: the raising organisation's setting (its
    briefing hears the answer, whoever gives it, a department of the province too)."""
    return province.reference(petition.organisation).clearance


def decide(app: Petitions, petition: Petition, command: Change, actor: Actor, stamp: Stamp) -> None:
    """The clearer's command on its loaded petition (``Petitions.decide`` hands on what it
    has no case of; a command of no handler is a ``TypeError``)."""
    if not isinstance(command, Clear):
        raise TypeError(f"no handler for {type(command).__name__}")
    clear(petition, command, actor, stamp, app.verification_date(petition, stamp.on))


def clear(petition: Petition, command: Clear, actor: Actor, stamp: Stamp, verify_by: date) -> None:
    """The command on its loaded petition: the clearer its hold names, then the aggregate
    decides. An accepted answer is verified at ``verify_by``, the briefing after today."""
    record_access.check_clears(actor, petition)
    if command.decision == ClearanceDecision.ACCEPT:
        if command.reason is not None:
            raise InvalidCommand("reason", say("clearance.reason_on_accept"))
        petition.clear_answer(verify_by=verify_by, stamp=stamp)
    elif command.decision == ClearanceDecision.RETURN:
        petition.return_answer(reason=command.reason or "", note=command.note or "", stamp=stamp)
    else:
        raise InvalidCommand("decision", say("value.not_listed"))


def plan_setting(form: Form, target: Target) -> tuple[list[Op], Record]:
    """The admin's change of who clears the organisation's written answers."""
    before, after = str(target.reference.clearance), form.text(SETTING)
    if after not in values(Clearance):
        form.fault(SETTING, "Chọn một trong các cách.", "Choose one of the choices.")
    elif after == before:
        form.fault(SETTING, "Không có gì thay đổi.", "Nothing was changed.")
    form.check()
    details = {SETTING: {"before": before, "after": after}}
    return [Update("ref_organisations", {"code": target.code}, {SETTING: after})], Record(
        target.code, "setting", target.code, SETTING, details
    )


def clearer_of(actor: Actor) -> Clearance | None:
    """Whose holds the actor clears (None: an auditor, who reads them all)."""
    return next((c for c, role in record_access.CLEARERS.items() if role is actor.role), None)


def waiting(
    queries: PetitionQueries, province: Province, actor: Actor, min_position: int | None = None
) -> list[Row]:
    """The written answers waiting for the actor's clearance (the clerk's: the office's;
    the committee's: its own; the auditor's: all), of the organisations it sees; once
    the view has processed ``min_position``."""
    access.check(actor, access.UseCase.CLEARANCE_LIST)
    clearer = clearer_of(actor)
    return queries.caught_up(queries.views.clearance, min_position).waiting(
        clearer=None if clearer is None else str(clearer),
        organisations=access.organisation_scope(actor, province),
    )
