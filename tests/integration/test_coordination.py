"""Lead and coordinating departments on real PostgreSQL: the coordinating departments see
the petition; the overdue board, the inboxes and the scorecards count each department's own
part; a refused command records nothing; a rebuild, ``replay --verify`` and the audit chain
agree with the live views."""

from __future__ import annotations

from datetime import date as D
from uuid import UUID

import pytest

from domain.errors import IllegalTransition, InvalidCommand, PetitionNotFound
from projections.overdue import OverdueFilter
from projections.petition_list import PetitionFilter
from service.bootstrap import Service
from tests.integration.helpers import (
    AUDITOR,
    CLERK,
    COMMITTEE,
    INFRA,
    department_context,
    draft,
    stored_event_count,
    write_answer,
)
from tests.integration.test_audit import verify
from tests.integration.test_projection_workers import all_tables
from usecases import coordination
from usecases.commands import Assign, Context, Reopen, Written
from usecases.coordination import Contribute, WaiveContributions
from usecases.errors import Refused
from usecases.queries import Board
from workers import replay
from workers.runner import catch_up

POLICE = department_context("cong-an")
FARMING = department_context("nong-nghiep")
ENVIRONMENT = department_context("tai-nguyen-moi-truong")
POLICE_DUE, FARMING_DUE = D(2026, 3, 20), D(2026, 3, 25)


def coordinated(service: Service) -> UUID:
    """Infrastructure leads (due 20 April); police (20 March) and farming (25 March)
    coordinate."""
    pid = service.app.raise_petition(draft(), CLERK).id
    service.app.execute(
        coordination_assign(pid, (("cong-an", POLICE_DUE), ("nong-nghiep", FARMING_DUE))),
        COMMITTEE,
    )
    return pid


def coordination_assign(pid: UUID, coordinating: tuple[tuple[str, D], ...]) -> Assign:
    return Assign(
        petition_id=pid,
        department="kinh-te-ha-tang",
        due_on=D(2026, 4, 20),
        coordinating=coordinating,
        on=D(2026, 3, 5),
    )


def contribute(service: Service, pid: UUID, ctx: Context, on: D, **fields: object) -> Written:
    given: dict[str, object] = dict(
        text="Đã kiểm tra hiện trường.", document_number="7/CV", document_date=on, signer="TP"
    )
    given.update(fields)
    return service.app.execute(Contribute(petition_id=pid, on=on, **given), ctx)  # type: ignore[arg-type]


def waive(service: Service, pid: UUID, departments: tuple[str, ...], on: D) -> Written:
    command = WaiveContributions(
        petition_id=pid, departments=departments, reason="Đủ thông tin để trả lời", on=on
    )
    return service.app.execute(command, COMMITTEE)


def follow(service: Service) -> None:
    app = service.app
    catch_up(list(service.views.values()), app.recorder, app.mapper)


def board(service: Service, on: D, ctx: Context = COMMITTEE, **filters: str) -> list[dict]:
    wanted = Board(on=on, filter=OverdueFilter(**filters))
    return service.queries.overdue(ctx.actor, wanted)["items"]


def test_the_coordinating_departments_see_the_petition_and_owe_their_parts(
    service: Service,
) -> None:
    pid = coordinated(service)
    state = service.queries.petition(POLICE.actor, pid)
    assert state["department"] == "kinh-te-ha-tang"
    assert [(c["department"], c["due_on"]) for c in state["coordinators"]] == [
        ("cong-an", POLICE_DUE),
        ("nong-nghiep", FARMING_DUE),
    ]
    assert state["departments"] == ["kinh-te-ha-tang", "cong-an", "nong-nghiep"]
    follow(service)
    owed = coordination.owed(service.queries, POLICE.actor)
    assert [(r["petition_id"], r["contribution_due_on"]) for r in owed] == [(pid, POLICE_DUE)]
    assert owed[0]["department"] == "kinh-te-ha-tang"  # the lead
    assert coordination.owed(service.queries, ENVIRONMENT.actor) == []
    # the list of petitions shows it to them too, as to the lead; not to another department
    listed = {
        r["petition_id"] for r in service.queries.petitions(POLICE.actor, PetitionFilter())["items"]
    }
    assert pid in listed
    assert pid not in {
        r["petition_id"]
        for r in service.queries.petitions(ENVIRONMENT.actor, PetitionFilter())["items"]
    }
    # the lead's inbox holds it as before; the coordinators' inbox of answers does not
    assert [r["petition_id"] for r in service.queries.inbox(INFRA.actor)["items"]] == [pid]
    assert service.queries.inbox(POLICE.actor)["items"] == []


def test_a_late_coordinator_is_on_the_board_and_scored_late(service: Service) -> None:
    pid = coordinated(service)
    contribute(service, pid, FARMING, D(2026, 3, 24))  # on time
    follow(service)
    late = board(service, D(2026, 3, 22))
    assert [(r["kind"], r["department"], r["due_on"]) for r in late] == [
        ("contribution", "cong-an", POLICE_DUE)
    ]
    assert board(service, D(2026, 3, 22), POLICE) == late  # a department sees its own
    assert board(service, D(2026, 3, 22), FARMING) == []
    assert board(service, D(2026, 3, 22), kind="contribution") == late
    (totals,) = service.queries.overdue(COMMITTEE.actor, Board(on=D(2026, 3, 22)))["totals"]
    assert (totals["department"], totals["contribution"], totals["answer"]) == ("cong-an", 1, 0)
    cards = scorecards(service, D(2026, 3, 24))
    assert cards["cong-an"]["contributions"] == {
        "sent": 0, "on_time": 0, "late": 0, "open_overdue": 1,
    }  # fmt: skip
    assert cards["nong-nghiep"]["contributions"] == {
        "sent": 1, "on_time": 1, "late": 0, "open_overdue": 0,
    }  # fmt: skip
    assert cards["kinh-te-ha-tang"]["contributions"]["sent"] == 0
    # sent late: off the board from that day, and counted late
    contribute(service, pid, POLICE, D(2026, 3, 25))
    follow(service)
    assert board(service, D(2026, 3, 25)) == []
    assert [r["department"] for r in board(service, D(2026, 3, 22))] == ["cong-an"]  # as of
    cards = scorecards(service, D(2026, 3, 31))
    assert cards["cong-an"]["contributions"] == {
        "sent": 1, "on_time": 0, "late": 1, "open_overdue": 0,
    }  # fmt: skip
    assert coordination.owed(service.queries, POLICE.actor) == []
    write_answer(service.app, pid, D(2026, 3, 30))


def scorecards(service: Service, end: D) -> dict[str, dict]:
    found = service.queries.scorecards(COMMITTEE.actor, start=D(2026, 1, 1), end=end)
    return {c["department"]: c for c in found["departments"]}


def test_the_answer_waits_for_the_parts_and_a_refusal_records_nothing(service: Service) -> None:
    pid = coordinated(service)
    contribute(service, pid, POLICE, D(2026, 3, 18))
    count = stored_event_count(service)
    with pytest.raises(IllegalTransition, match="waits for the contributions of nong-nghiep"):
        write_answer(service.app, pid, D(2026, 3, 19))
    with pytest.raises(Refused, match="comes from a coordinating department"):
        contribute(service, pid, INFRA, D(2026, 3, 19))  # the lead itself
    with pytest.raises(PetitionNotFound):
        contribute(service, pid, ENVIRONMENT, D(2026, 3, 19))  # it does not see it
    with pytest.raises(InvalidCommand, match="already sent"):
        contribute(service, pid, POLICE, D(2026, 3, 19))
    with pytest.raises(Refused, match="may not"):
        service.app.execute(
            WaiveContributions(petition_id=pid, departments=("nong-nghiep",), reason="x"), INFRA
        )
    assert stored_event_count(service) == count
    with pytest.raises(InvalidCommand, match="still missing"):
        waive(service, pid, ("cong-an",), D(2026, 3, 26))
    assert stored_event_count(service) == count
    waive(service, pid, ("nong-nghiep",), D(2026, 3, 26))
    follow(service)
    assert board(service, D(2026, 3, 27)) == []  # the waived part is owed no more
    # a waived part counts neither way: the department has nothing to be scored on
    assert "nong-nghiep" not in scorecards(service, D(2026, 3, 27))
    assert write_answer(service.app, pid, D(2026, 3, 27)).status == "answered"


def test_a_reassignment_lifts_the_former_parts_and_an_undone_ending_owes_them_again(
    service: Service,
) -> None:
    pid = coordinated(service)
    service.app.close_petition(pid, COMMITTEE, reason="Nhầm", on=D(2026, 3, 21))
    follow(service)
    assert board(service, D(2026, 3, 22)) == []
    service.app.handle(Reopen(petition_id=pid, reason="Đóng nhầm", on=D(2026, 3, 22)), COMMITTEE)
    follow(service)
    again = sorted((r["kind"], r["department"]) for r in board(service, D(2026, 3, 26)))
    assert again == [("contribution", "cong-an"), ("contribution", "nong-nghiep")]
    service.app.assign(pid, COMMITTEE, department="tai-nguyen-moi-truong", on=D(2026, 3, 27))
    follow(service)
    assert board(service, D(2026, 3, 28)) == []
    assert coordination.owed(service.queries, POLICE.actor) == []
    assert service.queries.petition(POLICE.actor, pid)["coordinators"] == []


def test_a_rebuild_replay_verify_and_the_audit_chain_agree(service: Service) -> None:
    pid = coordinated(service)
    contribute(service, pid, POLICE, D(2026, 3, 23))
    waive(service, pid, ("nong-nghiep",), D(2026, 3, 26))
    write_answer(service.app, pid, D(2026, 3, 27))
    follow(service)
    app = service.app
    differences = replay.verify(
        service.views, app.postgres_recorder, app.mapper, service.datastore_for, service.conninfo
    )
    assert differences == []
    before = all_tables(service)
    replay.rebuild(
        service.views, app.recorder, service.open_views, service.conninfo, page_size=2, parts=2
    )
    assert all_tables(service) == before
    counts = service.views.backdating.counts_by_type()
    assert (counts["CoordinatorsNamed"], counts["ContributionSent"]) == (1, 1)
    assert counts["ContributionsWaived"] == 1
    catch_up(service.runners, app.recorder, app.mapper)
    report = verify(service)
    assert report.ok, report.lines()
    assert service.queries.history(AUDITOR.actor, pid)[2]["type"] == "CoordinatorsNamed"
