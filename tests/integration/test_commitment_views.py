"""An answer's commitment in the read models: owed from the satisfied verdict, on the
overdue board once its date passes undone, counted in its department's scorecard as kept
on time or not, listed in the packets of the briefings it falls due before; a lapsed one
nowhere. A clean rebuild, ``replay --verify`` and the audit chain agree with the live views."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from audit.verify import verify_database
from service.bootstrap import Service
from tests.integration.helpers import CLERK, INFRA, assigned_to_infra
from tests.integration.test_projection_workers import all_tables
from usecases.commands import Pledge
from usecases.commitments import FulfilCommitment, RecordProgress
from workers import replay
from workers.runner import catch_up

ANSWERED = date(2026, 3, 9)
VERIFIED = date(2026, 3, 20)
DUE = date(2026, 4, 30)
INFRA_CODE = "kinh-te-ha-tang"


def answer_committing(service: Service, summary: str, due_on: date = DUE) -> UUID:
    """Assigned to the infrastructure office on 5 March, answered on the 9th committing
    to repair the road by ``due_on``."""
    app = service.app
    pid = assigned_to_infra(app, summary=summary).id
    app.answer_in_writing(
        pid,
        INFRA,
        on=ANSWERED,
        text="Sẽ sửa đường.",
        document_number="7/CV",
        document_date=ANSWERED,
        signer="TP",
        commitment=Pledge(text="Sửa đường thôn 3", due_on=due_on, cost=120_000_000),
    )
    return pid


def follow(service: Service) -> None:
    catch_up(service.runners, service.app.recorder, service.app.mapper)


def board(service: Service, on: date) -> set[tuple[UUID, str]]:
    return {(r["petition_id"], r["kind"]) for r in service.views.overdue.board(on).items}


@pytest.fixture
def followed(service: Service) -> dict[str, UUID]:
    """Three answers with commitments: one accepted and not done (progress only), one
    accepted and done on time, one the cells did not accept."""
    app = service.app
    late = answer_committing(service, "Đường thôn 3 xuống cấp")
    kept = answer_committing(service, "Cống thôn 5 tắc")
    lapsed = answer_committing(service, "Đèn đường hỏng")
    for pid in (late, kept):
        app.verify(pid, CLERK, verdict="satisfied", on=VERIFIED)
    app.verify(lapsed, CLERK, verdict="unsatisfied", on=VERIFIED)
    app.handle(
        RecordProgress(petition_id=late, percent=30, note="Đã khảo sát", on=date(2026, 4, 2)),
        INFRA,
    )
    app.handle(FulfilCommitment(petition_id=kept, note="Đã nạo vét", on=date(2026, 4, 20)), INFRA)
    follow(service)
    return {"late": late, "kept": kept, "lapsed": lapsed}


def test_an_owed_commitment_is_on_the_board_once_its_date_passes(
    service: Service, followed: dict[str, UUID]
) -> None:
    late, kept, lapsed = followed["late"], followed["kept"], followed["lapsed"]
    assert (late, "commitment") not in board(service, DUE)  # due that day: not late yet
    after = board(service, date(2026, 5, 4))
    assert (late, "commitment") in after
    assert not after & {(kept, "commitment"), (lapsed, "commitment")}
    # the verdict settled the question: no verification is awaited any more
    assert (late, "verification") not in after
    page = service.views.overdue.board(date(2026, 5, 4), limit=None)
    (total,) = [t for t in page.totals if t["department"] == INFRA_CODE]
    assert total["commitment"] == 1 and page.total >= 1


def test_the_scorecard_counts_commitments_kept_on_time(
    service: Service, followed: dict[str, UUID]
) -> None:
    kept = service.views.commitments.kept(date(2026, 1, 1), date(2026, 12, 31))
    assert kept == [{"department": INFRA_CODE, "due": 2, "kept": 1}]
    assert service.views.commitments.kept(date(2026, 5, 1), date(2026, 12, 31)) == []


def test_the_packet_lists_what_falls_due_before_the_briefing(
    service: Service, followed: dict[str, UUID]
) -> None:
    zone = service.views.petition_list.get(followed["late"])["zone"]  # type: ignore[index]
    due = service.views.commitments.due(zone, date(2026, 5, 3))
    assert [(c["petition_id"], c["percent"], c["note"]) for c in due] == [
        (followed["late"], 30, "Đã khảo sát")
    ]
    assert service.views.commitments.due(zone, DUE) == []  # due on the briefing's day


def test_a_rebuild_replay_verify_and_the_audit_chain_agree(
    service: Service, followed: dict[str, UUID]
) -> None:
    app = service.app
    differences = replay.verify(
        service.views, app.postgres_recorder, app.mapper, service.datastore_for, service.conninfo
    )
    assert differences == []
    before = all_tables(service)
    replay.rebuild(
        service.views, app.recorder, service.open_views, service.conninfo, page_size=4, parts=2
    )
    assert all_tables(service) == before
    report: Any = verify_database(
        service.conninfo,
        app.datastore.schema,
        service.chain.signing_key.public_key(),  # type: ignore[union-attr]
    )
    assert report.ok, report.lines()
    assert report.events == app.recorder.max_notification_id()
