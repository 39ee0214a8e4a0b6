"""A petition the committee ended by mistake and reopened counts in every view as it did
before the ending, from the reopening on; a clean rebuild and ``replay --verify`` agree
with the live views; a refused reopening records nothing."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.errors import IllegalTransition
from service.bootstrap import Service
from tests.integration.helpers import (
    CLERK,
    COMMITTEE,
    INFRA,
    assigned_to_infra,
    draft,
    stored_event_count,
    write_answer,
)
from tests.integration.test_projection_workers import all_tables
from usecases.commands import Reopen, Written
from usecases.errors import Refused
from workers import replay
from workers.runner import catch_up

ENDED = date(2026, 3, 10)
REOPENED = date(2026, 3, 12)
DUE = date(2026, 3, 20)
LATER = date(2026, 4, 30)  # after every due date and verify_by below


def reopen(service: Service, pid: UUID, on: date = REOPENED) -> Written:
    return service.app.execute(Reopen(petition_id=pid, reason="Kết thúc nhầm", on=on), COMMITTEE)


def follow(service: Service) -> None:
    app = service.app
    catch_up(list(service.views.values()), app.recorder, app.mapper)


def board(service: Service, on: date = LATER) -> set[tuple[UUID, str]]:
    page = service.views.overdue.board(on, limit=None)
    return {(r["petition_id"], r["kind"]) for r in page.items}


def infra_card(service: Service) -> dict[str, Any]:
    cards = service.views.quality.scorecards(date(2026, 1, 1), LATER, min_answered=1)
    (card,) = [c for c in cards if c["department"] == "kinh-te-ha-tang"]
    return card


def counted(service: Service) -> int:
    return int(service.views.categories.report(2026)["total"])


def assigned(service: Service, summary: str) -> UUID:
    """Raised on 3 March, assigned to the infrastructure office on the 5th, due on DUE."""
    pid = service.app.raise_petition(draft(summary=summary), CLERK).id
    service.app.assign(
        pid, COMMITTEE, department="kinh-te-ha-tang", due_on=DUE, on=date(2026, 3, 5)
    )
    return pid


@pytest.fixture
def ended(service: Service) -> dict[str, UUID]:
    """An assigned petition closed, an answered one withdrawn, a raised one merged into
    another, each by the committee on ENDED; and one the cells found satisfying."""
    app = service.app
    closed = assigned(service, "Đường ống nước sạch bị vỡ")
    app.close_petition(closed, COMMITTEE, reason="Nhầm ý kiến", on=ENDED)
    withdrawn = assigned(service, "Đèn đường hỏng")
    write_answer(app, withdrawn, date(2026, 3, 9))
    app.withdraw(withdrawn, COMMITTEE, reason="Nhầm chi bộ", on=ENDED)
    target = app.raise_petition(draft(summary="Cầu tràn sạt lở"), CLERK).id
    merged = app.raise_petition(draft(summary="Mương thoát nước tắc"), CLERK).id
    app.merge(merged, COMMITTEE, into=target, reason="Tưởng trùng", on=ENDED)
    satisfied = assigned_to_infra(app, summary="Trường học dột").id
    write_answer(app, satisfied, date(2026, 3, 9))
    app.verify(satisfied, CLERK, verdict="satisfied", on=ENDED)
    follow(service)
    return {"closed": closed, "withdrawn": withdrawn, "merged": merged, "satisfied": satisfied}


def test_every_view_counts_a_reopened_petition_again(
    service: Service, ended: dict[str, UUID]
) -> None:
    views = service.views
    closed, withdrawn, merged = ended["closed"], ended["withdrawn"], ended["merged"]
    assert not board(service) & {(closed, "answer"), (withdrawn, "verification")}
    before_total, card = counted(service), infra_card(service)
    assert card["open_overdue"] == 0
    for pid in (closed, withdrawn, merged):
        reopen(service, pid)
    follow(service)
    assert [views.petition_list.get(p)["status"] for p in (closed, withdrawn, merged)] == [  # type: ignore[index]
        "assigned",
        "answered",
        "raised",
    ]
    # owed again: the answer by its due date, the verdict on the answer by its verify_by
    assert {(closed, "answer"), (withdrawn, "verification")} <= board(service)
    assert not board(service, DUE) & {(closed, "answer")}  # due that day: on time
    assert (closed, "answer") not in board(service, date(2026, 3, 11))  # ended then
    # the episode the close ended goes on: one episode, overdue now; no verdict's reopening
    again = infra_card(service)
    assert again["assigned"] == card["assigned"]
    assert again["open_overdue"] == card["open_overdue"] + 1
    assert again["reopen_rate"] == card["reopen_rate"]
    # the merge undone: no longer a duplicate
    assert counted(service) == before_total + 1
    zone = views.petition_list.get(closed)["zone"]  # type: ignore[index]
    packet = views.briefing_packet.packet(zone, date(2026, 3, 1), date(2026, 4, 1))
    assert withdrawn in {p["petition_id"] for p in packet["awaiting_verification"]}
    assert closed in {p["petition_id"] for p in packet["unanswered"]}
    types = views.backdating.counts_by_type()
    assert types["Reinstated"] == 3


def test_a_rebuild_and_replay_verify_equal_the_live_views(
    service: Service, ended: dict[str, UUID]
) -> None:
    for pid in (ended["closed"], ended["withdrawn"], ended["merged"]):
        reopen(service, pid)
    service.app.close_petition(ended["closed"], COMMITTEE, reason="Xong thật", on=LATER)
    follow(service)
    app = service.app
    differences = replay.verify(
        service.views, app.postgres_recorder, app.mapper, service.datastore_for, service.conninfo
    )
    assert differences == []
    before = all_tables(service)
    replay.rebuild(
        service.views, app.recorder, service.open_views, service.conninfo, page_size=3, parts=2
    )
    assert all_tables(service) == before


def test_a_refused_reopening_records_nothing(service: Service, ended: dict[str, UUID]) -> None:
    with pytest.raises(IllegalTransition):
        reopen(service, ended["satisfied"])
    open_one = assigned_to_infra(service.app).id
    count = stored_event_count(service)
    with pytest.raises(IllegalTransition):
        reopen(service, open_one)
    with pytest.raises(Refused, match="may not reopen"):
        service.app.execute(Reopen(petition_id=ended["closed"], reason="x"), INFRA)
    assert stored_event_count(service) == count
    assert service.app.state(ended["closed"])["status"] == "closed"
