"""The use cases through real PostgreSQL: each role's allowed and refused commands and
queries, a department told that a petition never assigned to it does not exist, and a
replayed raise answered at its first write's position."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from domain.actors import Actor
from domain.errors import PetitionNotFound, WrongDepartment
from projections.petition_list import PetitionFilter
from service.bootstrap import Service
from tests.integration.helpers import (
    AUDITOR,
    CLERK,
    COMMITTEE,
    INFRA,
    POLICE,
    draft,
    stored_event_count,
)
from usecases.commands import (
    AnswerInWriting,
    AnswerOnTheSpot,
    Assign,
    Close,
    Context,
    Decline,
    Escalate,
    RaisePetition,
    Verify,
)
from usecases.errors import Refused
from usecases.queries import Board

D = date
Query = Callable[[Service, Actor, Any], Any]
QUERIES: dict[str, Query] = {
    "petition": lambda s, a, pid: s.queries.petition(a, pid),
    "history": lambda s, a, pid: s.queries.history(a, pid),
    "list": lambda s, a, _: s.queries.petitions(a, PetitionFilter()),
    "inbox": lambda s, a, _: s.queries.inbox(a),
    "overdue": lambda s, a, _: s.queries.overdue(a, Board()),
    "scorecards": lambda s, a, _: s.queries.scorecards(a),
    "categories": lambda s, a, _: s.queries.categories(a),
    "packet": lambda s, a, _: s.queries.packet(a, "khu-1", D(2026, 3, 3)),
    "backdated": lambda s, a, _: s.queries.backdated(a),
}
MAY_ASK = {
    "clerk": {"petition", "list", "packet"},
    "committee": {"petition", "history", "list", "overdue", "scorecards", "categories", "packet",
                  "backdated"},
    "department": {"petition", "history", "list", "inbox", "overdue"},
    "auditor": {"petition", "history", "list", "overdue", "scorecards", "categories", "packet",
                "backdated"},
}  # fmt: skip
ROLES = {"clerk": CLERK, "committee": COMMITTEE, "department": INFRA, "auditor": AUDITOR}


def assigned(service: Service) -> Any:
    pid = service.app.raise_petition(draft(), CLERK).id
    service.app.assign(pid, COMMITTEE, department="kinh-te-ha-tang", on=D(2026, 3, 5))
    return pid


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_asks_only_the_queries_it_may(service: Service, role: str) -> None:
    pid = assigned(service)
    actor = ROLES[role].actor
    for name, query in QUERIES.items():
        if name in MAY_ASK[role]:
            assert query(service, actor, pid) is not None, name
        else:
            with pytest.raises(Refused) as refused:
                query(service, actor, pid)
            assert refused.value.code == "forbidden", name


def test_each_role_issues_only_the_commands_it_may(service: Service) -> None:
    app = service.app
    pid = assigned(service)
    letter = {"text": "Đã sửa.", "document_number": "12/KT", "signer": "Trưởng phòng"}
    commands: list[tuple[Context, Any, bool]] = [
        (COMMITTEE, RaisePetition(draft=draft()), False),
        (INFRA, RaisePetition(draft=draft()), False),
        (AUDITOR, RaisePetition(draft=draft()), False),
        (CLERK, Assign(petition_id=pid, department="cong-an"), False),
        (INFRA, Escalate(petition_id=pid, reason="x"), False),
        (AUDITOR, Close(petition_id=pid, reason="x"), False),
        (COMMITTEE, Decline(petition_id=pid, reason="x"), False),
        (COMMITTEE, AnswerOnTheSpot(petition_id=pid, text="x", answered_by="x"), False),
        (CLERK, AnswerInWriting(petition_id=pid, document_date=D(2026, 3, 9), **letter), False),
        (CLERK, RaisePetition(draft=draft()), True),
        (COMMITTEE, Escalate(petition_id=pid, reason="Chậm"), True),
        (INFRA, AnswerInWriting(petition_id=pid, document_date=D(2026, 3, 9), **letter), True),
        (CLERK, Verify(petition_id=pid, verdict="unsatisfied"), True),
    ]
    for ctx, command, allowed in commands:
        before = stored_event_count(service)
        if allowed:
            assert app.execute(command, ctx).position is not None
            assert stored_event_count(service) > before
        else:
            with pytest.raises(Refused) as refused:
                app.execute(command, ctx)
            assert refused.value.code == "forbidden", (ctx.actor.role, command)
            assert stored_event_count(service) == before


def test_a_clerk_may_not_reopen_a_petition_with_another_department(service: Service) -> None:
    app = service.app
    pid = assigned(service)
    app.answer_in_writing(
        pid,
        INFRA,
        text="Đã sửa.",
        document_number="12/KT",
        document_date=D(2026, 3, 9),
        signer="Trưởng phòng",
        on=D(2026, 3, 9),
    )
    reopen = Verify(petition_id=pid, verdict="unsatisfied", reassign_to="cong-an")
    with pytest.raises(Refused) as refused:
        app.execute(reopen, CLERK)
    assert refused.value.fields == {"reassign_to": "committee only"}
    assert app.execute(reopen, COMMITTEE).status == "assigned"
    assert app.state(pid)["department"] == "cong-an"


def test_a_department_never_assigned_a_petition_is_told_it_does_not_exist(
    service: Service,
) -> None:
    app = service.app
    pid = assigned(service)
    police = POLICE.actor
    before = stored_event_count(service)
    with pytest.raises(PetitionNotFound):
        service.queries.petition(police, pid)
    with pytest.raises(PetitionNotFound):
        service.queries.history(police, pid)
    for command in (
        Decline(petition_id=pid, reason="Không thuộc thẩm quyền"),
        AnswerInWriting(
            petition_id=pid,
            text="x",
            document_number="1",
            document_date=D(2026, 3, 9),
            signer="x",
        ),
    ):
        with pytest.raises(PetitionNotFound) as missing:
            app.execute(command, POLICE)
        assert missing.value.message == f"no petition {pid}"
    assert stored_event_count(service) == before
    # The department it was assigned to sees it, and so do the other roles.
    assert service.queries.petition(INFRA.actor, pid)["department"] == "kinh-te-ha-tang"
    for ctx in (CLERK, COMMITTEE, AUDITOR):
        assert service.queries.petition(ctx.actor, pid)["id"] == pid


def test_a_department_reassigned_away_sees_it_but_may_not_act(service: Service) -> None:
    app = service.app
    pid = assigned(service)
    app.assign(pid, COMMITTEE, department="cong-an", on=D(2026, 3, 6))
    infra = INFRA.actor
    assert service.queries.petition(infra, pid)["departments"] == ["kinh-te-ha-tang", "cong-an"]
    assert [e["type"] for e in service.queries.history(infra, pid)][-1] == "Reassigned"
    with pytest.raises(WrongDepartment):
        app.execute(Decline(petition_id=pid, reason="x"), INFRA)


def test_a_replayed_raise_answers_at_its_first_writes_position(service: Service) -> None:
    app = service.app
    raise_it = RaisePetition(draft=draft(), idempotency_key="giao-ban-khu-1/row-1")
    first = app.execute(raise_it, CLERK)
    app.raise_petition(draft(summary="Another"), CLERK)  # the log moves on
    events = stored_event_count(service)
    again = app.execute(raise_it, CLERK)
    assert (again.id, again.version, again.replayed) == (first.id, 1, True)
    assert again.position == first.position
    assert again.position < (app.recorder.max_notification_id() or 0)
    assert stored_event_count(service) == events
