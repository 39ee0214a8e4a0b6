"""A dissolved district in a province: readable, closed to new petitions after its end
date (a problem naming the date, nothing recorded), open to the minutes of its active
years, which show as recorded late."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from domain.actors import Actor, Role
from domain.errors import InvalidCommand
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo_province import PROVINCE_SEED
from tests.conftest import settings_in
from tests.integration.helpers import draft, stored_event_count
from usecases.commands import Context
from workers.runner import catch_up

DISTRICT = "huyen-yen-hoa"


@pytest.fixture
def province(database: Database, schema: str, tmp_path: Path) -> Iterator[Service]:
    service = bootstrap(settings_in(tmp_path), database=database, schema=schema, seed=PROVINCE_SEED)
    yield service
    service.close()


def test_a_dissolved_district_takes_old_minutes_only_and_shows_them_recorded_late(
    province: Service,
) -> None:
    app = province.app
    assert app.province.organisation(DISTRICT).active_until == date(2025, 7, 1)
    clerk = Context(Actor("district-clerk", Role.CLERK, organisation=DISTRICT))
    cell = "thi-tran-yen-hoa-tdp1"
    before = stored_event_count(province)
    with pytest.raises(InvalidCommand, match="ceased to exist on 2025-07-01") as refused:
        app.raise_petition(draft(cell=cell, raised_on=date(2025, 7, 1)), clerk)
    assert refused.value.field == "raised_on"
    assert stored_event_count(province) == before
    old = app.raise_petition(
        draft(cell=cell, raised_on=date(2025, 6, 3), meeting="giao-ban-khu-1-2025-06-03"), clerk
    )
    assert app.state(old.id)["organisation"] == DISTRICT
    catch_up(province.runners, app.recorder, app.mapper)  # type: ignore[arg-type]
    auditor = Actor("auditor", Role.AUDITOR, organisation=DISTRICT)
    late = province.queries.backdated(auditor, start=date(2025, 6, 1), end=date(2025, 6, 30))
    assert [item["petition_id"] for item in late["items"]] == [old.id]
