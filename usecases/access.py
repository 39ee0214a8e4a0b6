"""Who may see and do what to which petition: every access rule, in one place.

*Function level*: which roles may call a use case (``ROLES``). The commands' rows come from
the domain's lifecycle table (``domain.lifecycle``) of who may issue which command; the HTTP
routes and the web pages admit exactly these roles, so the API's 403s, its documentation
and the pages agree.

*Object level*: a user of an organisation sees only its petitions, and a department only
the petitions ever assigned to it; to them any other petition does not exist
(``PetitionNotFound``, never a hint that it does), and their lists, inbox, boards and
reports hold what they see only (``organisation_scope``, ``department_scope``); a cell's
secretary sees only the petitions its own cell raised, and does nothing to them
(``scoped_filter``). Users of
the province see every organisation; they act only on petitions referred to the province,
and while a petition is referred, its handling is the province's (``check_acts``).

*Property level*: no field of a petition is hidden from a role that may read it; what is
ruled per field is which fields of a command a role may set (``check_command``): only the
committee picks another department or due date when a verdict reopens a petition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from enum import StrEnum
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.actors import Actor, Command, Role
from domain.duty import ASSIGNERS, DutyCommand
from domain.errors import InvalidCommand, PetitionNotFound
from domain.lifecycle import LIFECYCLE
from domain.meeting import MEETING_LIFECYCLE
from domain.messages import say
from domain.organisations import Organisation
from domain.reference import Province
from domain.vocabulary import MeetingCommand
from projections.petition_list import PetitionFilter
from usecases.commands import PetitionCommand, Verify
from usecases.errors import Refused

if TYPE_CHECKING:
    from stores.tokens import Principal


class UseCase(StrEnum):
    """What a caller may be permitted: each command a person issues, by the command's own
    value, and the reads."""

    RAISE = Command.RAISE.value
    IMPORT = "import"
    ASSIGN = Command.ASSIGN.value
    REFER = Command.REFER.value
    RETURN_REFERRAL = Command.RETURN_REFERRAL.value
    NOTE = Command.NOTE.value
    DECLINE = Command.DECLINE.value
    EXTEND_DEADLINE = Command.EXTEND_DEADLINE.value
    ANSWER_IN_WRITING = Command.ANSWER_IN_WRITING.value
    ANSWER_ON_THE_SPOT = Command.ANSWER_ON_THE_SPOT.value
    VERIFY = Command.VERIFY.value
    ESCALATE = Command.ESCALATE.value
    WITHDRAW = Command.WITHDRAW.value
    MERGE = Command.MERGE.value
    CLOSE = Command.CLOSE.value
    REOPEN = Command.REOPEN.value  # the committee's, of an ended petition (domain.lifecycle)
    COSIGN = Command.COSIGN.value  # another cell raised the same matter (clerk, committee)
    CLEAR = Command.CLEAR.value  # a held written answer accepted or returned (``check_clears``)
    CLEARANCE_LIST = "clearance_list"  # the written answers waiting for clearance
    # the department that answered follows the answer's commitment (domain.lifecycle)
    RECORD_PROGRESS = Command.RECORD_PROGRESS.value
    FULFIL_COMMITMENT = Command.FULFIL_COMMITMENT.value
    PAUSE_CLOCK = Command.PAUSE_CLOCK.value  # the committee stops the answer's clock
    RESUME_CLOCK = Command.RESUME_CLOCK.value
    LINK_REPEAT = Command.LINK_REPEAT.value  # it raises an earlier one's again (clerk, committee)
    CONTRIBUTE = Command.CONTRIBUTE.value  # a coordinating department's part, to the lead
    WAIVE_CONTRIBUTIONS = Command.WAIVE_CONTRIBUTIONS.value  # the committee's
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
    ORGANISATIONS = "organisations"
    ORGANISATION_REPORT = "organisation_report"
    READ_NOTES = "read_notes"
    SAVED_FILTERS = "saved_filters"
    API_TOKENS = "api_tokens"
    TOKEN_HISTORY = "token_history"
    ADMINISTER_REFERENCE = "administer_reference"
    REFERENCE_HISTORY = "reference_history"
    QUEUE = "queue"  # what awaits the committee: to assign, given back, escalated
    ACCOUNTS = "accounts"
    ACCOUNT_HISTORY = "account_history"
    # the meetings: each command by its own value (domain.meeting's table), and the reads
    SCHEDULE_MEETING = MeetingCommand.SCHEDULE.value
    MOVE_MEETING = MeetingCommand.MOVE.value
    CANCEL_MEETING = MeetingCommand.CANCEL.value
    SEND_NOTICE = MeetingCommand.SEND_NOTICE.value
    ISSUE_AGENDA = MeetingCommand.ISSUE_AGENDA.value
    HOLD_MEETING = MeetingCommand.HOLD.value
    RECORD_MINUTES = MeetingCommand.RECORD_MINUTES.value
    CLOSE_MEETING = MeetingCommand.CLOSE.value
    REQUEST_INFORMATION = MeetingCommand.REQUEST_INFORMATION.value
    RECEIVE_INFORMATION = MeetingCommand.RECEIVE_INFORMATION.value
    READ_MEETINGS = "read_meetings"
    ATTENDANCE_REPORT = "attendance_report"
    MEETING_REPORTS = "meeting_reports"  # notices, information, minutes, people at briefings
    # the members' duty: the admin assigns (domain.duty's commands), the others read
    ASSIGN_DUTY = DutyCommand.ASSIGN.value
    CHANGE_DUTY = DutyCommand.CHANGE.value
    END_DUTY = DutyCommand.END.value
    READ_DUTIES = "read_duties"
    DUTY_REPORTS = "duty_reports"
    ANSWER_REGISTER = "answer_register"  # the month's answers of an organisation, signed
    CELL_PETITIONS = "cell_petitions"  # a secretary's own pages of its cell's petitions
    ANSWER_QUALITY = "answer_quality"  # the advisory score of how generic an answer reads


# The use case of each command a person issues (REMIND is the policy worker's alone).
COMMAND_USE_CASES: dict[Command, UseCase] = {
    command: UseCase(command.value) for command in Command if command is not Command.REMIND
}
READERS = frozenset({Role.CLERK, Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR})
OVERSEERS = frozenset({Role.COMMITTEE, Role.AUDITOR})
MEETING_READERS = frozenset({Role.CLERK, Role.COMMITTEE, Role.AUDITOR})
# Who reads a petition and the list: the readers, and a cell's secretary its cell's own.
CELL_READERS = READERS | {Role.SECRETARY}


def issuers(command: Command) -> frozenset[Role]:
    """The people who may issue a command: the domain's roles for it, but the system's,
    which acts on its own and never signs in."""
    return LIFECYCLE[command].roles - {Role.SYSTEM}


ROLES: dict[UseCase, frozenset[Role]] = {
    **{use_case: issuers(command) for command, use_case in COMMAND_USE_CASES.items()},
    UseCase.IMPORT: issuers(Command.RAISE),
    UseCase.READ_PETITION: CELL_READERS,
    UseCase.READ_HISTORY: frozenset({Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR}),
    UseCase.LIST_PETITIONS: CELL_READERS,
    UseCase.INBOX: frozenset({Role.DEPARTMENT}),
    UseCase.OVERDUE_BOARD: frozenset({Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR}),
    UseCase.SCORECARDS: OVERSEERS,
    UseCase.CATEGORY_REPORT: OVERSEERS,
    UseCase.BRIEFING_PACKET: frozenset({Role.CLERK, Role.COMMITTEE, Role.AUDITOR}),
    UseCase.BACKDATED: OVERSEERS,
    UseCase.INTEGRITY: frozenset({Role.AUDITOR}),
    UseCase.ACCESS_LOG: frozenset({Role.AUDITOR}),
    UseCase.ORGANISATIONS: READERS,
    UseCase.ORGANISATION_REPORT: READERS,
    # Internal notes: the committee and the department in charge (``reads_notes``), and
    # the auditors, who read everything.
    UseCase.READ_NOTES: frozenset({Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR}),
    # A user's own filters of the list and the board, on the pages that show them.
    UseCase.SAVED_FILTERS: READERS,
    # the API tokens of the admin's organisation (a province's admin: every one's): list,
    # issue, revoke; their history is read by the auditor too
    UseCase.API_TOKENS: frozenset({Role.ADMIN}),
    UseCase.TOKEN_HISTORY: frozenset({Role.ADMIN, Role.AUDITOR}),
    UseCase.ADMINISTER_REFERENCE: frozenset({Role.ADMIN}),
    UseCase.REFERENCE_HISTORY: frozenset({Role.AUDITOR}),
    # the queue is of petitions to assign: its readers are those who assign them
    UseCase.QUEUE: issuers(Command.ASSIGN),
    # the accounts of the admin's organisation (a province's admin: every one's): create,
    # disable, reset a password, change a role or department; their history is read by
    # the auditor too
    UseCase.ACCOUNTS: frozenset({Role.ADMIN}),
    UseCase.ACCOUNT_HISTORY: frozenset({Role.ADMIN, Role.AUDITOR}),
    # the meetings of an organisation: its clerks and committee record them (domain.meeting's
    # table), they and the auditors read them and their attendance
    **{UseCase(c.value): rule.roles for c, rule in MEETING_LIFECYCLE.items()},
    UseCase.READ_MEETINGS: MEETING_READERS,
    UseCase.ATTENDANCE_REPORT: MEETING_READERS,
    UseCase.MEETING_REPORTS: MEETING_READERS,
    # the members' duty of an organisation: its admin assigns them; the admin, clerks,
    # committee and auditors read the assignments, all but the admin the reports
    **{UseCase(c.value): ASSIGNERS for c in DutyCommand},
    UseCase.READ_DUTIES: MEETING_READERS | ASSIGNERS,
    UseCase.DUTY_REPORTS: MEETING_READERS,
    # what waits for clearance: its clearers' list, and the auditors'
    UseCase.CLEARANCE_LIST: issuers(Command.CLEAR) | {Role.AUDITOR},
    # the month's answer register: the office and committee that keep the answers, the
    # auditors, and a cell's secretary, of its own organisation (``register_organisation``)
    UseCase.ANSWER_REGISTER: MEETING_READERS | {Role.SECRETARY},
    # the phone pages of one cell's petitions, read-only: its secretary's
    UseCase.CELL_PETITIONS: frozenset({Role.SECRETARY}),
    # advisory, for those who judge answers: the committee and the auditors
    UseCase.ANSWER_QUALITY: OVERSEERS | {Role.CLERK},  # the office clears answers too
}
# The roles whose accounts need a second factor (TOTP) when the setting TOTP_REQUIRED is on.
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.COMMITTEE, Role.AUDITOR})
# The commands the province issues on a petition referred to it; while a petition is
# referred, only the province issues them.
PROVINCE_COMMANDS = frozenset(
    {
        Command.ASSIGN,
        Command.DECLINE,
        Command.EXTEND_DEADLINE,
        Command.PAUSE_CLOCK,
        Command.RESUME_CLOCK,
        Command.ANSWER_IN_WRITING,
        Command.RETURN_REFERRAL,
        # what the province's department committed to in its answer, it follows
        Command.RECORD_PROGRESS,
        Command.FULFIL_COMMITMENT,
        Command.CONTRIBUTE,
        Command.WAIVE_CONTRIBUTIONS,
    }
)
# What the province's users issue on a petition referred to it, beside the raising
# organisation's users (neither's alone).
SHARED_ON_REFERRAL = frozenset({Command.NOTE})
# Why a role is refused a use case, where more can be said than that it may not.
REASONS: dict[UseCase, str] = {
    UseCase.ANSWER_IN_WRITING: "forbidden.answer_in_writing",
    UseCase.ANSWER_ON_THE_SPOT: "forbidden.answer_on_the_spot",
}


def roles(*use_cases: UseCase) -> frozenset[Role]:
    """The roles that may call any of ``use_cases`` (a route serving several admits each)."""
    return frozenset().union(*(ROLES[u] for u in use_cases))


def may(actor: Actor, use_case: UseCase) -> bool:
    return actor.role in ROLES[use_case]


def check(actor: Actor, use_case: UseCase) -> None:
    """``Refused`` (forbidden) unless the actor's role may call the use case."""
    if not may(actor, use_case):
        if use_case in REASONS:
            reason = say(REASONS[use_case])
        elif use_case.value in set(Command):
            reason = say("role.not_permitted", role=actor.role, command=use_case.value)
        else:
            reason = say("forbidden.use_case", role=actor.role)
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
                say("forbidden.committee_only"),
                fields=dict.fromkeys(chosen, say("forbidden.committee_field")),
            )


def at_province(actor: Actor, province: Province) -> bool:
    """Whether the actor reads every organisation: a user of the province, or the
    service's own processes (which act for no organisation)."""
    return actor.organisation is None or actor.organisation == province.code


def sees_every_organisation(actor: Actor, province: Province) -> bool:
    """Whether what the actor may see is all the deployment holds: a user of the province,
    or of the only organisation below it (what counts every organisation at once, such as
    the metrics, is for them); never a cell's secretary, which sees its cell's alone."""
    if actor.role is Role.SECRETARY:
        return False
    only = province.only_below()
    return at_province(actor, province) or (only is not None and actor.organisation == only.code)


def organisation_scope(actor: Actor, province: Province) -> frozenset[str] | None:
    """The organisations whose petitions the actor's lists, boards and reports hold
    (None: every one)."""
    if at_province(actor, province):
        return None
    assert actor.organisation is not None
    return frozenset({actor.organisation})


def organisations_asked(
    actor: Actor, province: Province, asked: str | None
) -> frozenset[str] | None:
    """The organisations a read holds when the caller asks for ``asked`` (None: all it
    may see). An organisation the caller may not see is answered as an unknown one."""
    scope = organisation_scope(actor, province)
    if asked is None:
        return scope
    if asked not in province.organisations or (scope is not None and asked not in scope):
        raise InvalidCommand("organisation", say("organisation.unknown", code=asked))
    return frozenset({asked})


def organisations_seen(actor: Actor, province: Province) -> list[Organisation]:
    """The organisations the actor may know of: every one from the province; else its
    own and the province, which it refers petitions to."""
    scope = organisation_scope(actor, province)
    return [
        o
        for code, o in sorted(province.organisations.items())
        if scope is None or code in scope or code == province.code
    ]


def sees(
    actor: Actor,
    organisation: str,
    departments: Iterable[str],
    province: Province,
    cell: str | None = None,
) -> bool:
    """Whether the actor may see a petition of ``organisation`` assigned, ever, to
    ``departments`` and raised by ``cell`` (a secretary sees its own cell's alone: none
    whose cell is not given)."""
    scope = organisation_scope(actor, province)
    return (
        (scope is None or organisation in scope)
        and (actor.role is not Role.DEPARTMENT or actor.department in list(departments))
        and (actor.role is not Role.SECRETARY or (cell is not None and cell == actor.cell))
    )


def check_sees(
    actor: Actor,
    petition_id: UUID,
    organisation: str,
    departments: Iterable[str],
    province: Province,
    cell: str | None = None,
) -> None:
    """``PetitionNotFound`` for a petition the actor may not see, worded as for a
    petition that does not exist."""
    if not sees(actor, organisation, departments, province, cell):
        raise PetitionNotFound(say("petition.not_found", petition_id=petition_id))


def department_scope(actor: Actor) -> str | None:
    """The only department whose petitions the actor's lists and boards hold (None: all)."""
    return actor.department if actor.role is Role.DEPARTMENT else None


def scoped_filter(actor: Actor, petition_filter: PetitionFilter) -> PetitionFilter:
    """The list's filter as the actor may ask it: a department's, of what it was ever
    assigned; a secretary's, of its own cell (another cell asked is answered as an unknown
    one)."""
    scoped = replace(petition_filter, visible_to_department=department_scope(actor))
    if actor.role is not Role.SECRETARY:
        return scoped
    if petition_filter.cell not in (None, actor.cell):
        raise InvalidCommand("cell", say("cell.unknown", code=petition_filter.cell))
    return replace(scoped, cell=actor.cell)


def visible(actor: Actor, petition: Any, province: Province) -> None:
    """The object-level check of a loaded petition (anything with ``id``,
    ``organisation``, ``departments`` and ``cell``), before a command decides on it."""
    check_sees(
        actor,
        petition.id,
        petition.organisation,
        petition.departments,
        province,
        getattr(petition, "cell", None),
    )


def check_acts(actor: Actor, petition: Any, command: Command, province: Province) -> None:
    """Who handles a petition of ``organisation`` while it is, or is not, referred
    (``referred_to``): the province acts only on what is referred to it, and what it
    handles then is its own alone."""
    referred = petition.referred_to is not None
    if actor.organisation is not None and actor.organisation == province.code:
        if not referred or command not in PROVINCE_COMMANDS | SHARED_ON_REFERRAL:
            raise Refused(
                "forbidden",
                say("forbidden.province_referred_only"),
            )
    elif referred and command in PROVINCE_COMMANDS:
        raise Refused("forbidden", say("forbidden.referred"))


def check_coordinates(actor: Actor, petition: Any, command: Command) -> None:
    """A contribution comes from a department the petition's assignment names among its
    coordinating ones (``coordinators``), for itself: ``Refused`` (forbidden) otherwise."""
    if command is Command.CONTRIBUTE and actor.department not in {
        c.department for c in petition.coordinators
    }:
        raise Refused("forbidden", say("forbidden.not_coordinator"))


def coordinates(actor: Actor, petition: Any) -> bool:
    """Whether the actor is a coordinating department of the petition (anything with
    ``coordinators``) whose contribution is still owed: what its page offers it."""
    return actor.role is Role.DEPARTMENT and any(
        c.department == actor.department and c.outstanding for c in petition.coordinators
    )


def reads_notes(actor: Actor, petition: Any, province: Province) -> bool:
    """Whether the actor reads the internal notes of a petition it may see (anything with
    ``id``, ``organisation``, ``departments`` and ``department``): the committee and the
    auditors; a department only while the petition is in its charge, never another
    department, nor one that held it before."""
    return (
        may(actor, UseCase.READ_NOTES)
        and sees(actor, petition.organisation, petition.departments, province)
        and (actor.role is not Role.DEPARTMENT or actor.department == petition.department)
    )


def check_reads_notes(actor: Actor, petition: Any, province: Province) -> None:
    """``PetitionNotFound`` for a petition the actor may not see; ``Refused`` (forbidden)
    for notes it may not read on one it sees."""
    visible(actor, petition, province)
    if not reads_notes(actor, petition, province):
        raise Refused(
            "forbidden",
            say("forbidden.notes"),
        )


def owner(principal: Principal) -> str:
    """Whose saved filters and kept forms a user's are: the person's account where one acts,
    else the subject the credential stands for. A user reads and changes only its own."""
    return f"account:{principal.account}" if principal.account else f"subject:{principal.subject}"


def sees_organisation(actor: Actor, province: Province, code: str) -> bool:
    """Whether the actor may read what belongs to the organisation ``code`` (its zones,
    packets, figures): the province reads every one, others their own."""
    scope = organisation_scope(actor, province)
    return code in province.organisations and (scope is None or code in scope)


def comparison_scope(actor: Actor, province: Province) -> frozenset[str] | None:
    """The organisations whose rows the table comparing organisations holds (None: every
    one below the province): the province's committee and auditor compare them all,
    anyone else of an organisation sees its own row; other users of the province, who
    raise no petitions, have no row to see."""
    scope = organisation_scope(actor, province)
    if scope is not None:
        return scope
    if actor.role not in OVERSEERS:
        raise Refused("forbidden", say("forbidden.comparison"))
    return None


def acts(actor: Actor, referred: bool, command: Command, province: Province) -> bool:
    """Whether ``check_acts`` lets the actor issue ``command`` on a petition that is, or
    is not, ``referred`` (what the pages offer; the command is checked again when sent)."""
    petition = SimpleNamespace(referred_to=province.code if referred else None)
    try:
        check_acts(actor, petition, command, province)
    except Refused:
        return False
    return True


def check_target(actor: Actor, target: Any, province: Province) -> None:
    """The petition a merge names (anything with ``id``, ``organisation`` and
    ``departments``): one the actor may see, else no such petition, worded as for an id
    that names none (``InvalidCommand`` of ``target``)."""
    if not sees(actor, target.organisation, target.departments, province):
        raise InvalidCommand("target", say("petition.unknown", petition_id=target.id))


def administered(actor: Actor, province: Province) -> list[Organisation]:
    """The organisations whose reference data the actor changes: a province admin's every
    one (the province's own departments too), another admin its own alone."""
    check(actor, UseCase.ADMINISTER_REFERENCE)
    scope = organisation_scope(actor, province)
    return [
        o for code, o in sorted(province.organisations.items()) if scope is None or code in scope
    ]


def administered_organisation(actor: Actor, province: Province, asked: str | None) -> Organisation:
    """The organisation whose reference data an admin's change or page is of: ``asked``,
    if the actor administers it (else an unknown organisation, as ``organisations_asked``
    answers), or the actor's own."""
    mine = administered(actor, province)
    code = asked or actor.organisation or (province.only_below() or province.province).code
    found = next((o for o in mine if o.code == code), None)
    if found is None:
        raise InvalidCommand("organisation", say("organisation.unknown", code=code))
    return found


def reference_history_scope(actor: Actor, province: Province) -> frozenset[str] | None:
    """The organisations whose history of reference changes the actor reads (None: every
    one): the province's auditor all, another auditor its own organisation's."""
    check(actor, UseCase.REFERENCE_HISTORY)
    return organisation_scope(actor, province)
