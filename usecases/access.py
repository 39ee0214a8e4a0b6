"""Who may see and do what to which petition: every access rule, in one place.

*Function level*: which roles may call a use case (``ROLES``). The commands' rows come from
the domain's lifecycle table (``domain.lifecycle``) of who may issue which command; the HTTP
routes and the web pages admit exactly these roles, so the API's 403s, its documentation
and the pages agree.

*Object level*: a department sees only the petitions ever assigned to it; to it any other
petition does not exist (``PetitionNotFound``, never a hint that it does), and its lists,
inbox and overdue board hold its own petitions only (``department_scope``).

*Property level*: no field of a petition is hidden from a role that may read it; what is
ruled per field is which fields of a command a role may set (``check_command``): only the
committee picks another department or due date when a verdict reopens a petition.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.actors import Actor, Command, Role
from domain.errors import PetitionNotFound
from domain.lifecycle import LIFECYCLE
from usecases.commands import PetitionCommand, Verify
from usecases.errors import Refused


class UseCase(StrEnum):
    """What a caller may be permitted: each command a person issues, by the command's own
    value, and the reads."""

    RAISE = Command.RAISE.value
    IMPORT = "import"
    ASSIGN = Command.ASSIGN.value
    DECLINE = Command.DECLINE.value
    EXTEND_DEADLINE = Command.EXTEND_DEADLINE.value
    ANSWER_IN_WRITING = Command.ANSWER_IN_WRITING.value
    ANSWER_ON_THE_SPOT = Command.ANSWER_ON_THE_SPOT.value
    VERIFY = Command.VERIFY.value
    ESCALATE = Command.ESCALATE.value
    WITHDRAW = Command.WITHDRAW.value
    MERGE = Command.MERGE.value
    CLOSE = Command.CLOSE.value
    READ_PETITION = "read_petition"
    READ_HISTORY = "read_history"
    LIST_PETITIONS = "list_petitions"
    INBOX = "inbox"
    OVERDUE_BOARD = "overdue_board"
    SCORECARDS = "scorecards"
    CATEGORY_REPORT = "category_report"
    BRIEFING_PACKET = "briefing_packet"
    BACKDATED = "backdated"
    INTEGRITY = "integrity"
    ACCESS_LOG = "access_log"


# The use case of each command a person issues (REMIND is the policy worker's alone).
COMMAND_USE_CASES: dict[Command, UseCase] = {
    command: UseCase(command.value) for command in Command if command is not Command.REMIND
}
READERS = frozenset({Role.CLERK, Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR})
OVERSEERS = frozenset({Role.COMMITTEE, Role.AUDITOR})


def issuers(command: Command) -> frozenset[Role]:
    """The people who may issue a command: the domain's roles for it, but the system's,
    which acts on its own and never signs in."""
    return LIFECYCLE[command].roles - {Role.SYSTEM}


ROLES: dict[UseCase, frozenset[Role]] = {
    **{use_case: issuers(command) for command, use_case in COMMAND_USE_CASES.items()},
    UseCase.IMPORT: issuers(Command.RAISE),
    UseCase.READ_PETITION: READERS,
    UseCase.READ_HISTORY: frozenset({Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR}),
    UseCase.LIST_PETITIONS: READERS,
    UseCase.INBOX: frozenset({Role.DEPARTMENT}),
    UseCase.OVERDUE_BOARD: frozenset({Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR}),
    UseCase.SCORECARDS: OVERSEERS,
    UseCase.CATEGORY_REPORT: OVERSEERS,
    UseCase.BRIEFING_PACKET: frozenset({Role.CLERK, Role.COMMITTEE, Role.AUDITOR}),
    UseCase.BACKDATED: OVERSEERS,
    UseCase.INTEGRITY: frozenset({Role.AUDITOR}),
    UseCase.ACCESS_LOG: frozenset({Role.AUDITOR}),
}
# Why a role is refused a use case, where more can be said than that it may not.
REASONS: dict[UseCase, str] = {
    UseCase.ANSWER_IN_WRITING: "a written answer comes from the assigned department",
    UseCase.ANSWER_ON_THE_SPOT: "the clerk records answers given on the spot",
}


def roles(*use_cases: UseCase) -> frozenset[Role]:
    """The roles that may call any of ``use_cases`` (a route serving several admits each)."""
    return frozenset().union(*(ROLES[u] for u in use_cases))


def may(actor: Actor, use_case: UseCase) -> bool:
    return actor.role in ROLES[use_case]


def check(actor: Actor, use_case: UseCase) -> None:
    """``Refused`` (forbidden) unless the actor's role may call the use case."""
    if not may(actor, use_case):
        reason = REASONS.get(use_case, f"role {actor.role.value} may not {use_case.value}")
        raise Refused("forbidden", reason)


def check_command(actor: Actor, command: PetitionCommand) -> None:
    """Whether the actor may issue this command as given: its use case, and the fields
    only some roles may set."""
    check(actor, COMMAND_USE_CASES[command.command])
    if isinstance(command, Verify) and actor.role is not Role.COMMITTEE:
        chosen = [f for f in ("reassign_to", "due_on") if getattr(command, f)]
        if chosen:
            raise Refused(
                "forbidden",
                "only the committee chooses another department or due date",
                fields=dict.fromkeys(chosen, "committee only"),
            )


def sees(actor: Actor, departments: Iterable[str]) -> bool:
    """Whether the actor may see a petition assigned, ever, to ``departments``."""
    return actor.role is not Role.DEPARTMENT or actor.department in list(departments)


def check_sees(actor: Actor, petition_id: UUID, departments: Iterable[str]) -> None:
    """``PetitionNotFound`` for a petition the actor may not see, worded as for a
    petition that does not exist."""
    if not sees(actor, departments):
        raise PetitionNotFound(f"no petition {petition_id}")


def department_scope(actor: Actor) -> str | None:
    """The only department whose petitions the actor's lists and boards hold (None: all)."""
    return actor.department if actor.role is Role.DEPARTMENT else None


def visible(actor: Actor, petition: Any) -> None:
    """The object-level check of a loaded petition (anything with ``id`` and
    ``departments``), before a command decides on it."""
    check_sees(actor, petition.id, petition.departments)
