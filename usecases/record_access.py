"""Who may see or do what on the records beside a petition's own: a meeting, a written
answer held for clearance, an organisation's answer register. The roles' tables and the
petitions' rules they build on are ``usecases.access``'s."""

from __future__ import annotations

from typing import Any

from domain.actors import Actor
from domain.errors import InvalidCommand, MeetingNotFound
from domain.messages import say
from domain.reference import Province
from domain.vocabulary import Clearance, Role
from usecases.access import UseCase, check, sees_organisation
from usecases.errors import Refused


def check_sees_meeting(actor: Actor, meeting: Any, province: Province) -> None:
    """``MeetingNotFound`` for a meeting (anything with ``id`` and ``organisation``) of an
    organisation the actor may not read, worded as for one that does not exist."""
    if not sees_organisation(actor, province, meeting.organisation):
        raise MeetingNotFound(say("meeting.not_found", meeting_id=meeting.id))


def check_receives_information(actor: Actor, department: str) -> None:
    """A department says that its own information came, the clerk and the committee that
    any department's did."""
    if actor.role is Role.DEPARTMENT and actor.department != department:
        raise Refused("forbidden", say("forbidden.other_department_information"))


def check_records_meeting(actor: Actor, meeting: Any, province: Province) -> None:
    """A command on a meeting the actor sees: its organisation's clerks and committee
    record it; the province's users read the organisations' meetings only."""
    check_sees_meeting(actor, meeting, province)
    if actor.organisation is not None and actor.organisation != meeting.organisation:
        raise Refused("forbidden", say("forbidden.other_organisation_meeting"))


# Who clears an organisation's written answers, by its setting (``domain.clearance``).
CLEARERS: dict[Clearance, Role] = {
    Clearance.OFFICE: Role.CLERK,
    Clearance.COMMITTEE: Role.COMMITTEE,
}


def clears(actor: Actor, held_by: Clearance | str | None) -> bool:
    """Whether the actor clears an answer held for ``held_by`` (None: nothing is held,
    and whoever may clear is told so by the petition)."""
    return held_by is None or CLEARERS.get(Clearance(held_by)) is actor.role


def check_clears(actor: Actor, petition: Any) -> None:
    """A held answer (``petition.held_by``) is cleared by the clearer its organisation's
    setting named when it was held: the office's clerks, or the committee."""
    if not clears(actor, petition.held_by):
        raise Refused("forbidden", say(f"forbidden.clear_{petition.held_by}"))


def register_organisation(actor: Actor, province: Province, asked: str | None) -> str:
    """The organisation whose answer register the actor reads: ``asked`` (else its own),
    if it may read it: the province's users every organisation's, others their own (an
    organisation it may not see is answered as an unknown one)."""
    check(actor, UseCase.ANSWER_REGISTER)
    code = asked or actor.organisation or (province.only_below() or province.province).code
    if not sees_organisation(actor, province, code):
        raise InvalidCommand("organisation", say("organisation.unknown", code=code))
    return code
