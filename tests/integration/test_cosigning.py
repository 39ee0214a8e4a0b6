"""Co-signing on real PostgreSQL: the use case (who may, which cell, what a refusal
records), the petition's read and timeline, the list's count, and a rebuild of the views
that agrees with the live ones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from domain.actors import Actor, Role
from domain.errors import IllegalTransition, InvalidCommand, PetitionNotFound, StaleVersion
from projections.petition_list import PetitionFilter
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo_province import PROVINCE_SEED
from tests.conftest import settings_in
from tests.integration.helpers import (
    AUDITOR,
    CLERK,
    COMMITTEE,
    INFRA,
    assigned_to_infra,
    draft,
    stored_event_count,
)
from tests.integration.test_audit import stored, tamper, verify
from tests.integration.test_projection_workers import all_tables
from usecases.commands import Context, Cosign, Written
from usecases.errors import Refused
from workers import replay
from workers.runner import catch_up

BRIEFING = date(2026, 3, 3)
OTHER_CELL = "yen-lac-thon1"  # Chi bộ Thôn 1, Xã Yên Lạc: the draft's is Thôn 3


def cosign(service: Service, pid: UUID, ctx: Context = CLERK, **fields: object) -> Written:
    given: dict[str, object] = dict(
        cell=OTHER_CELL,
        raised_by="Trần Thị Mai",
        channel="meeting",
        meeting="giao-ban-khu-1-2026-03-03",
        note="Thôn 1 cũng thiếu nước",
        on=BRIEFING,
    )
    given.update(fields)
    return service.app.execute(Cosign(petition_id=pid, **given), ctx)  # type: ignore[arg-type]


def follow(service: Service) -> None:
    app = service.app
    catch_up(list(service.views.values()), app.recorder, app.mapper)


def test_a_cell_cosigns_an_assigned_petition_and_every_reader_sees_it(service: Service) -> None:
    """Recorded after the petition was assigned (a later business date), dated the
    briefing: it changes neither the status nor the department."""
    written = assigned_to_infra(service.app, on=date(2026, 3, 5))
    pid = written.id
    done = cosign(service, pid)
    assert (done.version, done.status) == (written.version + 1, "assigned")
    state = service.queries.petition(INFRA.actor, pid)
    assert state["department"] == "kinh-te-ha-tang"
    assert state["cosigners"] == [
        {
            "cell": OTHER_CELL,
            "commune": "yen-lac",
            "raised_by": "Trần Thị Mai",
            "channel": "meeting",
            "meeting": "giao-ban-khu-1-2026-03-03",
            "note": "Thôn 1 cũng thiếu nước",
            "cosigned_on": BRIEFING,
        }
    ]
    (last,) = service.queries.history(AUDITOR.actor, pid)[-1:]
    assert last["type"] == "Cosigned" and last["business_date"] == BRIEFING
    assert last["payload"]["cell"] == OTHER_CELL and last["actor"]["role"] == "clerk"
    follow(service)
    rows = service.queries.petitions(COMMITTEE.actor, PetitionFilter())["items"]
    (row,) = [r for r in rows if r["petition_id"] == pid]
    assert row["cosigners"] == 1 and row["last_business_date"] == date(2026, 3, 5)
    committee = cosign(service, pid, COMMITTEE, cell="yen-lac-thon2", channel="written_report",
                       meeting=None, note=None, expected_version=done.version)
    assert committee.version == done.version + 1
    follow(service)
    (row,) = [
        r for r in service.queries.petitions(CLERK.actor, PetitionFilter())["items"]
        if r["petition_id"] == pid
    ]
    assert row["cosigners"] == 2
    assert [c["cell"] for c in service.app.state(pid)["cosigners"]] == [OTHER_CELL, "yen-lac-thon2"]


def test_refusals_record_nothing(service: Service) -> None:
    app = service.app
    pid = app.raise_petition(draft(), CLERK).id
    cosign(service, pid)
    count = stored_event_count(service)
    with pytest.raises(InvalidCommand, match="raised the petition itself"):
        cosign(service, pid, cell="yen-lac-thon3")
    with pytest.raises(InvalidCommand, match="already co-signed"):
        cosign(service, pid, raised_by="Người khác")
    with pytest.raises(InvalidCommand, match="unknown code"):
        cosign(service, pid, cell="khong-co")
    with pytest.raises(StaleVersion):
        cosign(service, pid, cell="yen-lac-thon2", expected_version=1)
    with pytest.raises(Refused, match="may not record a co-signing"):
        cosign(service, pid, INFRA, cell="yen-lac-thon2")
    with pytest.raises(Refused, match="may not record a co-signing"):
        cosign(service, pid, AUDITOR, cell="yen-lac-thon2")
    app.withdraw(pid, COMMITTEE, reason="Chi bộ rút", on=date(2026, 3, 6))
    count = stored_event_count(service)
    with pytest.raises(IllegalTransition, match="co-signing of a petition that is withdrawn"):
        cosign(service, pid, cell="yen-lac-thon2")
    assert stored_event_count(service) == count
    assert len(app.state(pid)["cosigners"]) == 1


SEED = Path(__file__).resolve().parents[1] / "fixtures" / "two_communes.json"


@pytest.fixture
def province(database: Database, schema: str, tmp_path: Path) -> Iterator[Service]:
    service = bootstrap(settings_in(tmp_path), database=database, schema=schema, seed=SEED)
    yield service
    service.close()


def clerk_of(organisation: str) -> Context:
    return Context(Actor(f"clerk-{organisation}", Role.CLERK, organisation=organisation))


def test_a_cell_of_another_organisation_does_not_cosign(province: Service) -> None:
    """Nor does another organisation's clerk see the petition to cosign."""
    pid = province.app.raise_petition(draft(cell="an-thon-1"), clerk_of("xa-an")).id
    count = stored_event_count(province)
    with pytest.raises(InvalidCommand, match="is of another organisation"):
        cosign(province, pid, clerk_of("xa-an"), cell="binh-thon-1")
    with pytest.raises(PetitionNotFound):
        cosign(province, pid, clerk_of("xa-binh"), cell="binh-thon-1")
    assert stored_event_count(province) == count
    cosign(province, pid, clerk_of("xa-an"), cell="an-thon-2")
    assert [c["cell"] for c in province.app.state(pid)["cosigners"]] == ["an-thon-2"]


def test_a_rebuild_and_replay_verify_equal_the_live_views(service: Service) -> None:
    first = assigned_to_infra(service.app).id
    second = service.app.raise_petition(draft(summary="Loa truyền thanh hỏng"), CLERK).id
    cosign(service, first)
    cosign(service, second, cell="yen-lac-thon2")
    cosign(service, second, cell="yen-lac-thon4")
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
    assert service.views.backdating.counts_by_type()["Cosigned"] == 3


def test_the_audit_chain_covers_a_cosigning(service: Service) -> None:
    """A co-signing is chained as every event is: the log verifies, and the co-signing
    cell changed behind the service's back is found at its position."""
    pid = assigned_to_infra(service.app).id
    done = cosign(service, pid)
    assert done.position is not None
    catch_up(service.runners, service.app.recorder, service.app.mapper)
    report = verify(service)
    assert report.ok, report.lines()
    assert report.events == service.app.recorder.max_notification_id()
    state = stored(service, done.position)["state"]
    assert OTHER_CELL.encode() in state
    tamper(
        service,
        "UPDATE {events} SET state = %s WHERE notification_id = %s",
        state.replace(OTHER_CELL.encode(), b"yen-lac-thon9"),
        done.position,
    )
    report = verify(service)
    assert not report.ok
    assert report.first_break is not None and report.first_break.position == done.position


def test_a_dissolved_district_takes_no_cosigning_after_its_end(
    database: Database, schema: str, tmp_path: Path
) -> None:
    """As it takes no petition raised on or after its end date; before it, one does."""
    service = bootstrap(
        settings_in(tmp_path), database=database, schema=schema, seed=PROVINCE_SEED
    )
    try:
        clerk = Context(Actor("district-clerk", Role.CLERK, organisation="huyen-yen-hoa"))
        old = service.app.raise_petition(
            draft(cell="thi-tran-yen-hoa-tdp1", raised_on=date(2025, 6, 3)), clerk
        ).id
        count = stored_event_count(service)
        with pytest.raises(InvalidCommand, match="ceased to exist on 2025-07-01"):
            cosign(service, old, clerk, cell="thi-tran-yen-hoa-tdp2", on=date(2025, 7, 2))
        assert stored_event_count(service) == count
        cosign(service, old, clerk, cell="thi-tran-yen-hoa-tdp2", on=date(2025, 6, 20))
        assert [c["cell"] for c in service.app.state(old)["cosigners"]] == ["thi-tran-yen-hoa-tdp2"]
    finally:
        service.close()
