"""The use cases' access rules, without a database: who may call which use case, which
fields of a command only some roles may set, what a department may see; that a write
loads its petition once; that the application's former topics still resolve."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.utils import resolve_topic

from domain.actors import Actor, Command, Role
from domain.errors import PetitionNotFound
from domain.lifecycle import LIFECYCLE
from domain.reference import Department
from stores.attachments import Letter
from tests.unit.test_business_dates import CLERK, COMMITTEE, ROADS, TODAY, application, draft
from usecases import access
from usecases.access import ROLES, UseCase
from usecases.commands import (
    AnswerInWriting,
    AnswerOnTheSpot,
    Assign,
    Change,
    Close,
    Context,
    Decline,
    Escalate,
    ExtendDeadline,
    Merge,
    RaisePetition,
    Verify,
    Withdraw,
)
from usecases.errors import Refused
from usecases.petitions import Petitions
from usecases.records import RaiseRequest

C, M, D, A, ADMIN = Role.CLERK, Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR, Role.ADMIN
S = Role.SECRETARY
EXPECTED: dict[UseCase, set[Role]] = {
    UseCase.RAISE: {C},
    UseCase.IMPORT: {C},
    UseCase.ASSIGN: {M},
    UseCase.REFER: {M},
    UseCase.RETURN_REFERRAL: {M, D},
    UseCase.DECLINE: {D},
    UseCase.EXTEND_DEADLINE: {M},
    UseCase.PAUSE_CLOCK: {M},
    UseCase.RESUME_CLOCK: {M},
    UseCase.ANSWER_IN_WRITING: {D},
    UseCase.ANSWER_ON_THE_SPOT: {C},
    UseCase.VERIFY: {C, M},
    UseCase.ESCALATE: {M},
    UseCase.WITHDRAW: {M},
    UseCase.MERGE: {M},
    UseCase.CLOSE: {M},
    UseCase.REOPEN: {M},
    UseCase.NOTE: {M, D},
    UseCase.COSIGN: {C, M},
    UseCase.CONTRIBUTE: {D},  # a coordinating department's (usecases.access)
    UseCase.WAIVE_CONTRIBUTIONS: {M},
    UseCase.LINK_REPEAT: {C, M},
    # a held written answer: its organisation's office (clerks) or committee clears it
    UseCase.CLEAR: {C, M},
    UseCase.CLEARANCE_LIST: {C, M, A},
    UseCase.RECORD_PROGRESS: {D},
    UseCase.FULFIL_COMMITMENT: {D},
    UseCase.READ_PETITION: {C, M, D, A, S},
    UseCase.READ_HISTORY: {M, D, A},
    UseCase.LIST_PETITIONS: {C, M, D, A, S},
    UseCase.INBOX: {D},
    UseCase.OVERDUE_BOARD: {M, D, A},
    UseCase.SCORECARDS: {M, A},
    UseCase.CATEGORY_REPORT: {M, A},
    UseCase.BRIEFING_PACKET: {C, M, A},
    UseCase.BACKDATED: {M, A},
    UseCase.INTEGRITY: {A},
    UseCase.ACCESS_LOG: {A},
    UseCase.ORGANISATIONS: {C, M, D, A},
    UseCase.ORGANISATION_REPORT: {C, M, D, A},
    UseCase.READ_NOTES: {M, D, A},
    UseCase.SAVED_FILTERS: {C, M, D, A},
    UseCase.API_TOKENS: {ADMIN},
    UseCase.TOKEN_HISTORY: {A, ADMIN},
    UseCase.ADMINISTER_REFERENCE: {ADMIN},
    UseCase.REFERENCE_HISTORY: {A},
    UseCase.QUEUE: {M},
    UseCase.ACCOUNTS: {ADMIN},
    UseCase.ACCOUNT_HISTORY: {ADMIN, A},
    # an organisation's clerks and committee record its meetings; they and auditors read them
    UseCase.SCHEDULE_MEETING: {C, M},
    UseCase.MOVE_MEETING: {C, M},
    UseCase.CANCEL_MEETING: {C, M},
    UseCase.SEND_NOTICE: {C, M},
    UseCase.ISSUE_AGENDA: {C, M},
    UseCase.HOLD_MEETING: {C, M},
    UseCase.RECORD_MINUTES: {C, M},
    UseCase.CLOSE_MEETING: {C, M},
    UseCase.READ_MEETINGS: {C, M, A},
    UseCase.ATTENDANCE_REPORT: {C, M, A},
    UseCase.MEETING_REPORTS: {C, M, A},
    # the departments' information for an agenda: asked with it, said come by the department
    UseCase.REQUEST_INFORMATION: {C, M},
    UseCase.RECEIVE_INFORMATION: {C, M, D},
    # the organisation's admin assigns its committee members to cells; others read them
    UseCase.ASSIGN_DUTY: {ADMIN},
    UseCase.CHANGE_DUTY: {ADMIN},
    UseCase.END_DUTY: {ADMIN},
    UseCase.READ_DUTIES: {ADMIN, C, M, A},
    UseCase.DUTY_REPORTS: {C, M, A},
    # the month's answer register, signed: a secretary's of its own organisation
    UseCase.ANSWER_REGISTER: {C, M, A, S},
    UseCase.CELL_PETITIONS: {S},
    UseCase.ANSWER_QUALITY: {C, M, A},
}


def actor(role: Role) -> Actor:
    cell = "thon-1" if role is Role.SECRETARY else None
    return Actor(f"{role}-1", role, "roads" if role is Role.DEPARTMENT else None, cell=cell)


def test_every_use_case_admits_exactly_its_roles() -> None:
    assert {u: set(r) for u, r in ROLES.items()} == EXPECTED
    for use_case, roles in EXPECTED.items():
        for role in Role:
            if role is Role.SYSTEM:
                continue
            assert access.may(actor(role), use_case) is (role in roles), (use_case, role)


def test_the_commands_rows_are_the_domains_own_but_the_systems() -> None:
    for command, use_case in access.COMMAND_USE_CASES.items():
        assert ROLES[use_case] == LIFECYCLE[command].roles - {Role.SYSTEM}
    assert Role.SYSTEM not in access.roles(*UseCase)
    # an administrator does none of the petitions' work: it keeps the API tokens, the
    # accounts, the reference data and the committee members' assignments
    assert {u for u in UseCase if ADMIN in ROLES[u]} == {
        UseCase.ASSIGN_DUTY,
        UseCase.CHANGE_DUTY,
        UseCase.END_DUTY,
        UseCase.READ_DUTIES,
        UseCase.API_TOKENS,
        UseCase.TOKEN_HISTORY,
        UseCase.ACCOUNTS,
        UseCase.ACCOUNT_HISTORY,
        UseCase.ADMINISTER_REFERENCE,
    }


def test_a_refused_use_case_says_why() -> None:
    with pytest.raises(Refused) as refused:
        access.check(actor(C), UseCase.ANSWER_IN_WRITING)
    assert (refused.value.code, refused.value.detail) == (
        "forbidden",
        "a written answer comes from the assigned department",
    )
    with pytest.raises(Refused) as refused:
        access.check(actor(D), UseCase.ANSWER_ON_THE_SPOT)
    assert refused.value.detail == "the clerk records answers given on the spot"
    with pytest.raises(Refused) as refused:
        access.check(actor(A), UseCase.ASSIGN)
    assert refused.value.detail == "the role auditor may not assign"


def test_only_the_committee_picks_another_department_or_due_date_for_a_verdict() -> None:
    verdict = Verify(petition_id=uuid4(), verdict="unsatisfied")
    chosen = replace(verdict, reassign_to="roads", due_on=date(2026, 7, 3))
    access.check_command(actor(C), verdict)
    access.check_command(actor(M), chosen)
    with pytest.raises(Refused) as refused:
        access.check_command(actor(C), chosen)
    assert refused.value.code == "forbidden"
    assert refused.value.fields == {"reassign_to": "committee only", "due_on": "committee only"}
    with pytest.raises(Refused) as refused:
        access.check_command(actor(C), replace(verdict, due_on=date(2026, 7, 3)))
    assert refused.value.fields == {"due_on": "committee only"}


def test_a_department_sees_only_petitions_ever_assigned_to_it() -> None:
    pid, province = uuid4(), application().province
    roads, police = actor(D), Actor("police-1", D, "police")

    def sees(who: Actor, departments: list[str]) -> bool:
        return access.sees(who, "huyen", departments, province)

    assert sees(roads, ["police", "roads"]) and not sees(police, ["roads"])
    assert not sees(roads, [])
    access.check_sees(roads, pid, "huyen", ["roads"], province)
    with pytest.raises(PetitionNotFound) as missing:
        access.check_sees(police, pid, "huyen", ["roads"], province)
    assert missing.value.message == f"no petition {pid}"  # as for one that does not exist
    for role in (C, M, A):
        assert sees(actor(role), [])
        assert access.department_scope(actor(role)) is None
    assert access.department_scope(roads) == "roads"


# ---- the application: the rules applied, one load per write -------------------------------


def counted(app: Petitions) -> Counter[UUID]:
    """Counts the repository's loads, per aggregate."""
    loads: Counter[UUID] = Counter()
    get = app.repository.get

    def counting(aggregate_id: UUID, **kwargs: Any) -> Any:
        loads[aggregate_id] += 1
        return get(aggregate_id, **kwargs)

    app.repository.get = counting  # type: ignore[method-assign]
    return loads


def with_two_departments() -> Petitions:
    app = application()
    app.district.departments["police"] = Department("police", "Công an")
    return app


POLICE = Context(Actor("police-head", Role.DEPARTMENT, "police"))
LETTER = Letter(name="cv.pdf", content=b"%PDF-1.4 signed", content_type="application/pdf")


def writes(app: Petitions) -> list[tuple[str, Context, Any]]:
    """Every command a person issues, each on a petition in a status that takes it."""
    day = date(2026, 6, 1)
    raised = [app.raise_petition(draft(date(2026, 5, 4)), CLERK).id for _ in range(6)]
    assigned = [app.raise_petition(draft(date(2026, 5, 4)), CLERK).id for _ in range(4)]
    for pid in assigned:
        app.assign(pid, COMMITTEE, department="roads", on=date(2026, 5, 5))
    answered = app.raise_petition(draft(date(2026, 5, 4)), CLERK).id
    app.answer_on_the_spot(answered, CLERK, text="Đã trả lời.", answered_by="Chủ tịch xã")
    return [
        ("assign", COMMITTEE, Assign(petition_id=raised[0], department="roads", on=day)),
        ("escalate", COMMITTEE, Escalate(petition_id=raised[1], reason="Chậm")),
        ("withdraw", COMMITTEE, Withdraw(petition_id=raised[2], reason="Rút")),
        ("close", COMMITTEE, Close(petition_id=raised[3], reason="Đóng")),
        ("merge", COMMITTEE, Merge(petition_id=raised[4], into=raised[0], reason="Trùng")),
        (
            "spot",
            CLERK,
            AnswerOnTheSpot(petition_id=raised[5], text="Đã trả lời.", answered_by="Xã"),
        ),
        ("extend", COMMITTEE, ExtendDeadline(petition_id=assigned[0], due_on=TODAY, reason="Thêm")),
        ("decline", ROADS, Decline(petition_id=assigned[1], reason="Không thuộc thẩm quyền")),
        (
            "answer",
            ROADS,
            AnswerInWriting(
                petition_id=assigned[2],
                text="Đã sửa.",
                document_number="1/KT",
                document_date=day,
                signer="Trưởng phòng",
                letters=(LETTER,),
            ),
        ),
        ("verify", CLERK, Verify(petition_id=answered, verdict="satisfied")),
    ]


@pytest.mark.parametrize("through", ["execute", "handle"])
def test_every_write_loads_its_petition_once(through: str) -> None:
    app = application()
    commands = writes(app)
    assert {name for name, _, _ in commands} == {
        "assign", "escalate", "withdraw", "close", "merge", "spot", "extend", "decline",
        "answer", "verify",
    }  # fmt: skip
    for name, ctx, command in commands:
        loads = counted(app)
        written = getattr(app, through)(command, ctx)
        assert loads[command.petition_id] == 1, (name, loads)
        assert written.version == app.load(command.petition_id).version


def test_a_department_never_assigned_a_petition_is_told_it_does_not_exist() -> None:
    app = with_two_departments()
    pid = app.raise_petition(draft(date(2026, 5, 4)), CLERK).id
    app.assign(pid, COMMITTEE, department="roads", on=date(2026, 5, 5))
    head = app.recorder.max_notification_id()
    for command in (
        Decline(petition_id=pid, reason="Không"),
        AnswerInWriting(
            petition_id=pid,
            text="x",
            document_number="1",
            document_date=date(2026, 5, 6),
            signer="x",
        ),
    ):
        with pytest.raises(PetitionNotFound):
            app.execute(command, POLICE)
    assert app.recorder.max_notification_id() == head
    # Through the handlers the domain alone decides: not this department's to answer.
    with pytest.raises(Exception) as wrong:
        app.decline_assignment(pid, POLICE, reason="Không")
    assert type(wrong.value).__name__ == "WrongDepartment"


def test_the_access_rules_come_before_the_command_is_decided() -> None:
    app = application()
    pid = app.raise_petition(draft(date(2026, 5, 4)), CLERK).id
    with pytest.raises(Refused):
        app.execute(Assign(petition_id=pid, department="roads"), CLERK)
    with pytest.raises(Refused):
        app.execute(RaisePetition(draft=draft(date(2026, 5, 4))), COMMITTEE)
    assert app.load(pid).version == 1


def test_a_replayed_raise_answers_with_the_first_writes_position() -> None:
    app = application()
    first = app.execute(RaisePetition(draft=draft(date(2026, 5, 4)), idempotency_key="k"), CLERK)
    app.raise_petition(draft(date(2026, 5, 5)), CLERK)  # the log moves on
    again = app.execute(RaisePetition(draft=draft(date(2026, 5, 4)), idempotency_key="k"), CLERK)
    assert (again.id, again.version, again.replayed) == (first.id, 1, True)
    # In memory the store cannot say where an event is: the head, at or after it.
    assert again.position is not None and first.position is not None
    assert again.position >= first.position


def test_every_change_command_is_handled() -> None:
    handled = {cls.__name__ for cls in Change.__subclasses__()}
    assert handled == {
        "Assign", "Refer", "ReturnReferral", "Decline", "ExtendDeadline", "AnswerInWriting",
        "AnswerOnTheSpot", "Verify", "Escalate", "Withdraw", "Close", "Merge", "Remind",
        "AddNote", "Reopen", "Cosign", "Clear", "RecordProgress", "FulfilCommitment",
        "PauseClock", "ResumeClock", "LinkRepeat",
        "Contribute", "WaiveContributions",
    }  # fmt: skip
    assert {c.command for c in Change.__subclasses__()} == set(Command) - {Command.RAISE}


# ---- the topics stored while the application was domain.application ----------------------


def test_the_former_topics_of_the_idempotency_record_resolve() -> None:
    assert resolve_topic("domain.application:RaiseRequest") is RaiseRequest
    assert resolve_topic("domain.application:RaiseRequest.Recorded") is RaiseRequest.Recorded


def test_a_record_stored_under_the_former_topic_replays() -> None:
    app = application()
    request = RaiseRequest._create(
        RaiseRequest.Recorded, id=uuid4(), petition_id=uuid4(), fingerprint="f"
    )
    stored = app.mapper.to_stored_event(request.collect_events()[0])
    old = replace(stored, topic="domain.application:RaiseRequest.Recorded")
    event = app.mapper.to_domain_event(old)
    assert isinstance(event, RaiseRequest.Recorded)
    again = event.mutate(None)
    assert isinstance(again, RaiseRequest)
    assert (again.id, again.petition_id, again.fingerprint) == (
        request.id,
        request.petition_id,
        "f",
    )
