"""Where the organisation asks for clearance, a written answer counts in no view as an
answer until the office clears it: still owed on the board, unanswered in the scorecards
and the packet, listed for the clearer; a return is counted for the department and the
clock keeps running. A clean rebuild, ``replay --verify`` and the audit chain agree."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from audit.verify import verify_database
from domain.errors import IllegalTransition
from service.bootstrap import Service
from tests.integration.helpers import (
    CLERK,
    COMMITTEE,
    INFRA,
    draft,
    stored_event_count,
    write_answer,
)
from tests.integration.test_meeting_calendar import admin
from tests.integration.test_projection_workers import all_tables
from usecases import scorecard_measures
from usecases.clearance import Clear
from usecases.errors import Refused
from workers import replay
from workers.runner import catch_up

DUE = date(2026, 3, 20)
INFRA_CODE = "kinh-te-ha-tang"


def follow(service: Service) -> None:
    app = service.app
    catch_up(service.runners, app.recorder, app.mapper)


def board(service: Service, on: date) -> set[tuple[UUID, str]]:
    page = service.views.overdue.board(on, limit=None)
    return {(r["petition_id"], r["kind"]) for r in page.items}


def infra_card(service: Service) -> dict[str, Any]:
    views, start, end = service.views, date(2026, 1, 1), date(2026, 4, 30)
    cards = views.quality.scorecards(start, end, min_answered=1)
    cards = scorecard_measures.merged(views, cards, start, end, None)
    (card,) = [c for c in cards if c["department"] == INFRA_CODE]
    return card


def packet(service: Service, pid: UUID) -> dict[str, Any]:
    zone = service.views.petition_list.get(pid)["zone"]  # type: ignore[index]
    return service.views.briefing_packet.packet(zone, date(2026, 3, 1), date(2026, 5, 1))


def ids(rows: list[dict[str, Any]]) -> set[UUID]:
    return {r["petition_id"] for r in rows}


def clear(service: Service, pid: UUID, on: date, **fields: Any) -> None:
    service.app.execute(Clear(petition_id=pid, on=on, **fields), CLERK)


@pytest.fixture
def held(service: Service) -> UUID:
    """The office clears the organisation's answers; a petition assigned on 5 March, due
    on DUE, answered on 9 March and held."""
    admin(service, "clearance", clearance="office")
    assert str(service.app.district.clearance) == "office"
    pid = service.app.raise_petition(draft(), CLERK).id
    service.app.assign(pid, COMMITTEE, department=INFRA_CODE, due_on=DUE, on=date(2026, 3, 5))
    write_answer(service.app, pid, date(2026, 3, 9), document_number="5/CV")
    follow(service)
    return pid


def test_a_held_answer_is_not_answered_in_any_view(service: Service, held: UUID) -> None:
    views = service.views
    row = views.petition_list.get(held)
    assert row is not None and (row["status"], row["answered_on"]) == ("assigned", None)
    assert (held, "answer") in board(service, date(2026, 3, 25))  # still owed, overdue
    card = infra_card(service)
    assert (card["answered"], card["open_overdue"], card["returns"]) == (0, 1, 0)
    found = packet(service, held)
    assert held not in ids(found["awaiting_verification"]) and held in ids(found["unanswered"])
    (waiting,) = views.clearance.waiting()
    assert (waiting["petition_id"], waiting["held_by"], waiting["document_number"]) == (
        held,
        "office",
        "5/CV",
    )
    assert views.clearance.waiting(clearer="committee") == []


def test_a_return_counts_and_a_late_answer_again_is_late(service: Service, held: UUID) -> None:
    clear(service, held, date(2026, 3, 10), decision="return", reason="generic", note="Chung chung")
    follow(service)
    assert service.views.clearance.waiting() == []
    (returned,) = service.views.clearance.returns_of(held)
    assert (returned["reason"], returned["answered_on"]) == ("generic", date(2026, 3, 9))
    assert infra_card(service)["returns"] == 1
    write_answer(service.app, held, date(2026, 3, 25), document_number="9/CV")
    clear(service, held, date(2026, 3, 26), decision="accept")
    follow(service)
    assert (held, "answer") in board(service, date(2026, 3, 25))
    assert (held, "answer") not in board(service, date(2026, 3, 27))
    card = infra_card(service)
    assert (card["answered"], card["on_time"]["count"], card["returns"]) == (1, 0, 1)
    found = packet(service, held)
    assert held in ids(found["awaiting_verification"])
    (entry,) = [p for p in found["awaiting_verification"] if p["petition_id"] == held]
    assert [a["document_number"] for a in entry["answers_given"]] == ["9/CV"]
    row = service.views.petition_list.get(held)
    assert row is not None and row["answered_on"] == date(2026, 3, 26)


def test_only_the_named_clearer_clears_and_a_refusal_records_nothing(
    service: Service, held: UUID
) -> None:
    before = stored_event_count(service)
    with pytest.raises(Refused):
        service.app.execute(Clear(petition_id=held, decision="accept"), COMMITTEE)
    with pytest.raises(IllegalTransition):  # the department answers again only once returned
        write_answer(service.app, held, date(2026, 3, 11))
    assert stored_event_count(service) == before
    assert service.app.state(held)["held_by"] == "office"
    assert INFRA.actor.department == INFRA_CODE


def test_a_rebuild_replay_verify_and_the_audit_chain_agree(service: Service, held: UUID) -> None:
    clear(service, held, date(2026, 3, 10), decision="return", reason="off_topic", note="Sai")
    write_answer(service.app, held, date(2026, 3, 12))
    clear(service, held, date(2026, 3, 13), decision="accept")
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
    assert service.chain.signing_key is not None
    report = verify_database(
        service.conninfo, app.datastore.schema, service.chain.signing_key.public_key()
    )
    assert report.ok, report.lines()
