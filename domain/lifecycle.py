"""Who may issue which command in which status: the petition's lifecycle, in one table.

The application checks the role (``check_permitted``), the aggregate the status and the
department in charge (``check_allowed``), the web pages offer what ``commands_for`` names,
and the policy worker issues only what the table lets the system role issue. What else a
command must satisfy (a different department to reassign to, a later due date, an overdue
answer for an overdue escalation) is the aggregate's to check: the table says only which
commands a petition in a status can take at all, and from whom.

An ended petition (closed, withdrawn, merged) takes one command of its handling: **reopen**,
the committee's alone; a petition the cells' satisfied verdict closed takes the follow-up of
the commitment its answer made too (``domain.commitments``), from the department that
answered. A petition ends by the committee's close, withdrawal or merge, or by
the cells' satisfied verdict. The committee's three are decisions it can get wrong (the
wrong petition closed, a withdrawal the cell never made, a merge into a petition that is
no repeat), and it alone issues them (docs/domain.md): so it alone undoes them, saying
why, and the petition returns to the status it had just before (``Petition.reopen``), with
the same department and due date. No other role ends a petition, so none reopens one: a clerk who
sees a wrong close asks the committee. A satisfied verdict is the cells' at a briefing,
counted in the department's scorecard: it is not the committee's to undo, and the
aggregate refuses to reopen a petition that verdict closed (a matter still unsettled is
raised again). The log keeps both the ending and the reopening: no event is rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import IllegalTransition, NotPermitted, WrongDepartment
from domain.messages import say
from domain.vocabulary import ENDED_STATUSES, OPEN_STATUSES, Command, Role, Status

if TYPE_CHECKING:
    from domain.actors import Actor


@dataclass(frozen=True)
class Rule:
    """One command's row: the statuses it is accepted in (none: it creates the petition),
    the roles that may issue it, how an English refusal names it (``cannot {verb} a
    petition that is …``), and whether a department may issue it only on a petition
    assigned to it."""

    statuses: frozenset[Status]
    roles: frozenset[Role]
    verb: str
    in_charge: bool = False


def rule(
    statuses: frozenset[Status] | set[Status], roles: set[Role], verb: str, **kw: bool
) -> Rule:
    return Rule(frozenset(statuses), frozenset(roles), verb, **kw)


LIFECYCLE: dict[Command, Rule] = {
    Command.RAISE: rule(set(), {Role.CLERK}, "raise"),
    Command.ASSIGN: rule({Status.RAISED, Status.ASSIGNED}, {Role.COMMITTEE}, "assign"),
    Command.REFER: rule({Status.RAISED, Status.ASSIGNED}, {Role.COMMITTEE}, "refer"),
    Command.RETURN_REFERRAL: rule(
        {Status.ASSIGNED},
        {Role.COMMITTEE, Role.DEPARTMENT},
        "return the referral of",
        in_charge=True,
    ),
    Command.DECLINE: rule({Status.ASSIGNED}, {Role.DEPARTMENT}, "decline", in_charge=True),
    Command.EXTEND_DEADLINE: rule({Status.ASSIGNED}, {Role.COMMITTEE}, "extend the deadline of"),
    # The committee stops the clock of an assigned petition, and starts it again
    # (``Petition.pause_clock``): the days paused are not counted late.
    Command.PAUSE_CLOCK: rule({Status.ASSIGNED}, {Role.COMMITTEE}, "pause the clock of"),
    Command.RESUME_CLOCK: rule({Status.ASSIGNED}, {Role.COMMITTEE}, "resume the clock of"),
    Command.ANSWER_IN_WRITING: rule({Status.ASSIGNED}, {Role.DEPARTMENT}, "answer", in_charge=True),
    Command.ANSWER_ON_THE_SPOT: rule({Status.RAISED}, {Role.CLERK}, "answer on the spot"),
    Command.VERIFY: rule({Status.ANSWERED}, {Role.CLERK, Role.COMMITTEE}, "verify"),
    Command.ESCALATE: rule(OPEN_STATUSES, {Role.COMMITTEE, Role.SYSTEM}, "escalate"),
    Command.WITHDRAW: rule(OPEN_STATUSES, {Role.COMMITTEE}, "withdraw"),
    Command.MERGE: rule(OPEN_STATUSES, {Role.COMMITTEE}, "merge"),
    Command.CLOSE: rule(OPEN_STATUSES, {Role.COMMITTEE}, "close"),
    Command.REMIND: rule({Status.ASSIGNED}, {Role.SYSTEM}, "issue a reminder for"),
    # Internal notes: the committee's and the department in charge's, while it is open.
    Command.NOTE: rule(
        OPEN_STATUSES, {Role.COMMITTEE, Role.DEPARTMENT}, "add a note to", in_charge=True
    ),
    # Another cell raising the same matter co-signs the open petition instead of raising a
    # duplicate: the clerk records it at the briefing, the committee may too.
    Command.COSIGN: rule(OPEN_STATUSES, {Role.CLERK, Role.COMMITTEE}, "record a co-signing of"),
    # The petition raises again the matter of an earlier one (its closure did not hold):
    # the clerk links it at entry or later, the committee too, while it is open.
    Command.LINK_REPEAT: rule(OPEN_STATUSES, {Role.CLERK, Role.COMMITTEE}, "link as a repeat"),
    # A coordinating department's part of the lead's answer, while the lead answers (who
    # coordinates is the use cases' rule, usecases.access); the committee may waive parts.
    Command.CONTRIBUTE: rule({Status.ASSIGNED}, {Role.DEPARTMENT}, "send a contribution to"),
    Command.WAIVE_CONTRIBUTIONS: rule(
        {Status.ASSIGNED}, {Role.COMMITTEE}, "waive the contributions to"
    ),
    # The one command of its handling an ended petition takes (see the module's docstring).
    Command.REOPEN: rule(ENDED_STATUSES, {Role.COMMITTEE}, "reopen"),
    # Where the organisation asks for it, a written answer waits (assigned) for the
    # office's or the committee's clearance: ``usecases.record_access.check_clears`` says whose.
    Command.CLEAR: rule({Status.ASSIGNED}, {Role.CLERK, Role.COMMITTEE}, "clear the answer of"),
    # An answer's commitment, followed by the department that answered: from the answer on,
    # and after the satisfied verdict closed the petition (the aggregate checks there is one).
    **{
        command: rule({Status.ANSWERED, Status.CLOSED}, {Role.DEPARTMENT}, verb, in_charge=True)
        for command, verb in (
            (Command.RECORD_PROGRESS, "record the commitment's progress on"),
            (Command.FULFIL_COMMITMENT, "record the commitment done on"),
        )
    },
}
# What a petition whose written answer waits for clearance takes besides the clearance:
# what leaves the answer as it is (a later due date, an escalation, a reminder, a note, a
# co-signing). The rest (another answer, a reassignment, a decline, an ending) waits until
# the answer is cleared or returned.
WHILE_HELD = frozenset(
    {
        Command.CLEAR,
        Command.EXTEND_DEADLINE,
        Command.ESCALATE,
        Command.REMIND,
        Command.NOTE,
        Command.COSIGN,
    }
)


def permitted(command: Command, role: Role) -> bool:
    """Whether the role may issue the command at all (in some status)."""
    return role in LIFECYCLE[command].roles


def accepts(command: Command, status: Status) -> bool:
    """Whether a petition in ``status`` takes the command (from some role)."""
    return status in LIFECYCLE[command].statuses


def may(command: Command, status: Status, role: Role, *, in_charge: bool) -> bool:
    """Whether ``role`` may issue ``command`` on a petition in ``status``; ``in_charge``:
    the actor is the department the petition is assigned to."""
    found = LIFECYCLE[command]
    return (
        status in found.statuses
        and role in found.roles
        and (not found.in_charge or role is not Role.DEPARTMENT or in_charge)
    )


def commands_for(status: Status, role: Role, *, in_charge: bool) -> list[Command]:
    """Every command ``role`` may issue on a petition in ``status``, in the table's order."""
    return [c for c in LIFECYCLE if may(c, status, role, in_charge=in_charge)]


def check_permitted(actor: Actor, command: Command) -> None:
    """The role check, before the petition is loaded: ``NotPermitted``."""
    if not permitted(command, actor.role):
        raise NotPermitted(
            say("role.not_permitted", role=actor.role, command=command),
            role=str(actor.role),
            command=str(command),
        )


def check_allowed(
    command: Command, status: Status, actor: Actor | None = None, department: str | None = None
) -> None:
    """The aggregate's check: the status takes the command (else ``IllegalTransition``),
    and a command of the department in charge comes from it (else ``WrongDepartment``).
    ``actor`` is needed for the latter only; ``department`` is the one in charge."""
    found = LIFECYCLE[command]
    if status not in found.statuses:
        raise IllegalTransition(command, status)
    if found.in_charge:
        assert actor is not None, f"{command} is checked against the acting department"
        if actor.role is Role.DEPARTMENT and actor.department != department:
            raise WrongDepartment(command, status)
