"""The lifecycle table is what the aggregate does, and the web pages offer what it accepts.

For every status, command and role, a petition built in that status is handed the command
by an actor of that role (the application's role check, then the aggregate): it is accepted
exactly where ``domain.lifecycle`` says so. The petition page's forms, asked for every
status and role, offer each command the aggregate accepts and none it refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from api.web.pages.petition import PAGE_COMMANDS, actions_for
from domain.actors import Actor, Stamp
from domain.calendar import WorkingDays
from domain.errors import DomainError, IllegalTransition, NotPermitted, WrongDepartment
from domain.lifecycle import LIFECYCLE, accepts, check_permitted, commands_for, may
from domain.petition import Petition
from domain.reference import Department, District, Province, single
from domain.vocabulary import (
    ENDED_STATUSES,
    OPEN_STATUSES,
    Command,
    ReminderKind,
    Role,
    Status,
    Verdict,
)
from stores.tokens import Principal
from tests.unit.builders import (
    CLERK,
    COMMITTEE,
    ROADS,
    WATER,
    answered,
    assign_to,
    assigned,
    commit,
    give_verdict,
    raised,
    write_answer,
)
from usecases.records import describe

# A province with a department of its own, to which petitions are referred.
_ONE = single(District("Huyện", {}, {}, {}, {}))
PROVINCE = Province(
    _ONE.code,
    _ONE.organisations,
    {**_ONE.references, _ONE.code: District("Tỉnh", {}, {}, {}, {"so": Department("so", "Sở")})},
    _ONE.founding,
)
ON = date(2026, 4, 1)  # after every builder's last business date, before the due date
LATER = date(2026, 5, 4)
ACTORS = {
    "clerk": CLERK,
    "committee": COMMITTEE,
    "department in charge": ROADS,  # the builders assign to roads
    "another department": WATER,
    "auditor": Actor("auditor-1", Role.AUDITOR),
    "admin": Actor("admin-1", Role.ADMIN),
    "system": Actor("policy", Role.SYSTEM),
}


def after(build: Callable[[], Petition], command: Command, actor: Actor) -> Petition:
    p = build()
    issue(command, p, actor)
    return p


def closed() -> Petition:
    return after(assigned, Command.CLOSE, COMMITTEE)  # the committee's close


def closed_by_verdict() -> Petition:
    return after(answered, Command.VERIFY, CLERK)  # satisfied


def withdrawn() -> Petition:
    return after(raised, Command.WITHDRAW, COMMITTEE)


def merged() -> Petition:
    return after(raised, Command.MERGE, COMMITTEE)


IN_STATUS: dict[Status, Callable[[], Petition]] = {
    Status.RAISED: raised,
    Status.ASSIGNED: assigned,
    Status.ANSWERED: answered,
    Status.CLOSED: closed,
    Status.WITHDRAWN: withdrawn,
    Status.MERGED: merged,
}


# The commitment's follow-up: of a petition whose written answer made one, answered or
# closed by the cells' satisfied verdict (one the committee closed owes none).
FOLLOW_UPS = frozenset({Command.RECORD_PROGRESS, Command.FULFIL_COMMITMENT})


def committed() -> Petition:
    p = assigned()
    write_answer(p)
    commit(p)
    return p


def built(status: Status, command: Command) -> Petition:
    """A petition in ``status`` to hand ``command``: one with a commitment to follow for
    the follow-up's commands, where the table lets a department follow it."""
    if command in FOLLOW_UPS and status in LIFECYCLE[command].statuses:
        p = committed()
        if status is Status.CLOSED:
            give_verdict(p, on=ON)
        return p
    return IN_STATUS[status]()


def issue(command: Command, p: Petition, actor: Actor) -> None:
    """The command with values its own rules accept, so only status and role decide."""
    stamp = Stamp(actor, ON)
    if command is Command.ASSIGN:
        other = "water" if p.department == "roads" else "roads"
        assign_to(p, department=other, due_on=LATER, stamp=stamp)
    elif command is Command.DECLINE:
        p.decline_assignment(reason="Not ours", stamp=stamp)
    elif command is Command.EXTEND_DEADLINE:
        p.extend_deadline(due_on=date(2026, 6, 1), reason="Needs a survey", stamp=stamp)
    elif command is Command.ANSWER_IN_WRITING:
        write_answer(p, document_date=ON, verify_by=LATER, stamp=stamp)
    elif command is Command.ANSWER_ON_THE_SPOT:
        p.answer_on_the_spot(
            text="Xã sẽ sửa.", answered_by="Chủ tịch xã", meeting=None, verify_by=LATER, stamp=stamp
        )
    elif command is Command.VERIFY:
        give_verdict(p, verdict=Verdict.SATISFIED, stamp=stamp)
    elif command is Command.ESCALATE:
        p.escalate(reason="Slow", stamp=stamp)
    elif command is Command.WITHDRAW:
        p.withdraw(reason="Withdrawn", stamp=stamp)
    elif command is Command.MERGE:
        p.merge_into(target=raised(), reason=None, stamp=stamp)
    elif command is Command.CLOSE:
        p.close(reason="Settled", stamp=stamp)
    elif command is Command.REFER:
        p.refer_upward(
            organisation="tinh", department="so-xd", due_on=LATER, note=None, stamp=stamp
        )
    elif command is Command.RETURN_REFERRAL:
        p.return_referral(reason="Within the commune's authority", stamp=stamp)
    elif command is Command.REMIND:
        p.issue_reminder(kind=ReminderKind.DUE_SOON, stamp=stamp)  # due 2026-04-03
    elif command is Command.RECORD_PROGRESS:
        p.record_commitment_progress(percent=30, note="Đã khởi công", stamp=stamp)
    elif command is Command.FULFIL_COMMITMENT:
        p.fulfil_commitment(note="Đã hoàn thành", stamp=stamp)
    elif command is Command.NOTE:
        p.add_note(text="Đã gọi điện cho trưởng thôn.", stamp=stamp)
    elif command is Command.REOPEN:
        p.reopen(reason="Kết thúc nhầm ý kiến khác", stamp=stamp)
    elif command is Command.COSIGN:
        p.cosign(
            organisation="huyen",
            cell="c-2",
            commune="xa-a",
            raised_by="Lê Văn Bình",
            channel="meeting",
            meeting="giao-ban",
            note=None,
            stamp=stamp,
        )
    elif command is Command.CLEAR:
        p.clear_answer(verify_by=LATER, stamp=stamp)
    elif command is Command.PAUSE_CLOCK:
        p.pause_clock(reason="site_visit", note=None, stamp=stamp)
    elif command is Command.RESUME_CLOCK:
        if p.status is Status.ASSIGNED:  # only a paused clock resumes: paused first
            p.pause_clock(reason="site_visit", note=None, stamp=stamp)
        p.resume_clock(working_days=WorkingDays(), stamp=stamp)
    elif command is Command.LINK_REPEAT:
        p.link_repeat(earlier=raised(), number=None, stamp=stamp)
    elif command is Command.CONTRIBUTE:
        p.send_contribution(
            department=str(actor.department),
            text="Ý kiến phối hợp",
            document_number="5/TNMT",
            document_date=ON,
            signer="Trưởng phòng",
            stamp=stamp,
        )
    elif command is Command.WAIVE_CONTRIBUTIONS:
        owing = [c.department for c in p.coordinators if c.outstanding]
        p.waive_contributions(departments=owing or ["water"], reason="Đủ thông tin", stamp=stamp)
    else:
        raise AssertionError(f"no way to issue {command} on a petition")


def accepted(command: Command, status: Status, actor: Actor) -> bool:
    """Whether the application (role) and the aggregate (status, department) accept it."""
    p = built(status, command)
    assert p.status is status
    if command is Command.RETURN_REFERRAL and status is Status.ASSIGNED:
        # Only a referred petition is returned: the department in charge is made the
        # province's (as the committee's referral would), so role and department decide.
        assert p.department is not None
        p.refer_upward(
            organisation="tinh",
            department=p.department,
            due_on=LATER,
            note=None,
            stamp=Stamp(COMMITTEE, ON),
        )
    if command is Command.CLEAR and status is Status.ASSIGNED:
        # Only a held answer is cleared: the organisation's office holds the answer given.
        write_answer(p, clearance="office")
    if command in COORDINATION and status is Status.ASSIGNED:
        coordinated(p)
    version = p.version
    try:
        check_permitted(actor, command)
        issue(command, p, actor)
    except (NotPermitted, IllegalTransition):
        assert p.version == version
        return False
    return True


def in_charge(p: Petition, actor: Actor) -> bool:
    return actor.department is not None and actor.department == p.department


COORDINATION = {Command.CONTRIBUTE, Command.WAIVE_CONTRIBUTIONS}


def coordinated(p: Petition) -> Petition:
    """A contribution comes from a coordinating department (the use cases' rule), and is
    waived while one is missing: ``p`` is reassigned with every department of the table
    coordinating."""
    assign_to(
        p,
        department="parks",
        due_on=LATER,
        coordinating=[("roads", LATER), ("water", LATER)],
        stamp=Stamp(COMMITTEE, ON),
    )
    return p


ON_PETITIONS = [c for c in Command if c is not Command.RAISE]


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("command", ON_PETITIONS)
@pytest.mark.parametrize("who", list(ACTORS))
def test_the_aggregate_accepts_exactly_what_the_table_allows(
    status: Status, command: Command, who: str
) -> None:
    actor = ACTORS[who]
    expected = may(command, status, actor.role, in_charge=in_charge(IN_STATUS[status](), actor))
    assert accepted(command, status, actor) is expected


@pytest.mark.parametrize("who", list(ACTORS))
def test_only_the_table_s_roles_raise(who: str) -> None:
    actor = ACTORS[who]
    try:
        check_permitted(actor, Command.RAISE)
    except NotPermitted:
        assert actor.role not in LIFECYCLE[Command.RAISE].roles
    else:
        assert actor.role in LIFECYCLE[Command.RAISE].roles
        assert raised(actor=actor).status is Status.RAISED


def test_the_table_covers_every_command_and_ends_in_terminal_statuses() -> None:
    """An ended petition takes no command but the committee's reopening and, closed, the
    follow-up of its answer's commitment by the department in charge: nobody else may do
    anything to it, and the committee nothing else."""
    assert set(LIFECYCLE) == set(Command)
    terminal = set(Status) - OPEN_STATUSES
    assert terminal == ENDED_STATUSES == {Status.CLOSED, Status.WITHDRAWN, Status.MERGED}
    for status in terminal:
        for role in Role:
            reopens = [Command.REOPEN] if role is Role.COMMITTEE else []
            if role is Role.DEPARTMENT and status is Status.CLOSED:
                reopens = [Command.RECORD_PROGRESS, Command.FULFIL_COMMITMENT]
            assert commands_for(status, role, in_charge=True) == reopens
    for status in OPEN_STATUSES:
        assert not accepts(Command.REOPEN, status)


def test_a_petition_the_cells_found_satisfying_is_not_reopened() -> None:
    """Closed, but by the cells' verdict: the table's status allows reopen, the aggregate
    refuses it, and the page does not offer it."""
    p = closed_by_verdict()
    assert p.status is Status.CLOSED
    version = p.version
    with pytest.raises(IllegalTransition, match="closed by the cells' satisfied verdict"):
        issue(Command.REOPEN, p, COMMITTEE)
    assert p.version == version
    principal = Principal(COMMITTEE.id, "committee", Role.COMMITTEE, None, COMMITTEE.id)
    assert "reopen" not in actions_for(principal, describe(p), PROVINCE)
    assert "reopen" in actions_for(principal, describe(closed()), PROVINCE)


def test_refusals_keep_their_wording() -> None:
    """The aggregate's errors say what they said before the table: the API shows them."""
    raised_only = "cannot extend the deadline of a petition that is raised"
    with pytest.raises(IllegalTransition, match=raised_only):
        raised().extend_deadline(due_on=LATER, reason="x", stamp=Stamp(COMMITTEE, ON))
    with pytest.raises(IllegalTransition, match="answer on the spot a petition that is assigned"):
        issue(Command.ANSWER_ON_THE_SPOT, assigned(), CLERK)
    with pytest.raises(WrongDepartment, match="cannot answer this petition: it is not assigned"):
        issue(Command.ANSWER_IN_WRITING, assigned(), WATER)
    with pytest.raises(IllegalTransition) as refused:
        issue(Command.REMIND, answered(), ACTORS["system"])
    assert refused.value.details == {"command": "remind", "status": "answered"}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("who", list(ACTORS))
def test_the_pages_offer_only_what_the_aggregate_accepts(status: Status, who: str) -> None:
    """What a user of the raising organisation is offered on a petition not referred, and
    (the return of a referral) what the province's users are offered on one referred."""
    actor = ACTORS[who]
    principal = Principal(actor.id, who, actor.role, actor.department, actor.id)
    offered = actions_for(principal, describe(IN_STATUS[status]()), PROVINCE)
    assert set(offered) <= set(PAGE_COMMANDS)
    at_province = Principal(actor.id, who, actor.role, actor.department, actor.id, "tinh")
    p = IN_STATUS[status]()
    if p.department is not None and status is Status.ASSIGNED:
        p.refer_upward(
            organisation="tinh",
            department=p.department,
            due_on=LATER,
            note=None,
            stamp=Stamp(COMMITTEE, ON),
        )
    referred = actions_for(at_province, describe(p), PROVINCE)
    q = IN_STATUS[status]()
    if status is Status.ASSIGNED:  # a clock is resumed once paused (as ``issue`` does)
        q.pause_clock(reason="site_visit", note=None, stamp=Stamp(COMMITTEE, ON))
    paused = actions_for(principal, describe(q), PROVINCE)
    # the coordination's forms, on a petition whose assignment names coordinating departments
    named = IN_STATUS[status]()
    named = coordinated(named) if status is Status.ASSIGNED else named
    coordinating = actions_for(principal, describe(named), PROVINCE)
    for action, command in PAGE_COMMANDS.items():
        shown = referred if command is Command.RETURN_REFERRAL else offered
        if command in FOLLOW_UPS:
            shown = actions_for(principal, describe(built(status, command)), PROVINCE)
        shown = paused if command is Command.RESUME_CLOCK else shown
        shown = coordinating if command in COORDINATION else shown
        assert accepted(command, status, actor) is (action in shown), (
            f"{who} on a {status} petition: {action} "
            + ("offered but refused" if action in shown else "accepted but not offered")
        )


def test_a_command_s_own_rules_still_refuse_what_the_table_allows() -> None:
    """The table says which commands a status takes; the values are still checked."""
    p = assigned()
    with pytest.raises(DomainError, match="already assigned to this department"):
        p.assign(department="roads", due_on=LATER, note=None, stamp=Stamp(COMMITTEE, ON))
