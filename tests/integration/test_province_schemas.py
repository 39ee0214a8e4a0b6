"""The national layout in one database: one schema per province, each its own event log,
views, reference data and tokens, side by side (see the README's "National layout").
Nothing of one province is visible through the other's service."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from domain.actors import Actor, Role
from projections.petition_list import PetitionFilter
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo import DEMO_SEED
from tests.conftest import settings_in
from tests.integration.helpers import draft
from usecases.commands import Context
from workers.runner import catch_up


@pytest.fixture
def provinces(database: Database, tmp_path: Path) -> Iterator[dict[str, Service]]:
    """Two provinces, each on its schema of the same database, each holding a district
    of the same reference data (so the same codes: only the schema keeps them apart)."""
    services: dict[str, Service] = {}
    schemas = []
    try:
        for code in ("tinh-a", "tinh-b"):
            schema = f"p_{code.replace('-', '_')}_{uuid.uuid4().hex[:6]}"
            schemas.append(schema)
            settings = settings_in(
                tmp_path / code, province_code=code, province_name=f"Tỉnh {code[-1].upper()}"
            )
            services[code] = bootstrap(settings, database=database, schema=schema, seed=DEMO_SEED)
        yield services
    finally:
        for service in services.values():
            service.close()
        with psycopg.connect(database.conninfo(), autocommit=True) as conn:
            for schema in schemas:
                conn.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
                )


def test_two_province_schemas_side_by_side_are_isolated(provinces: dict[str, Service]) -> None:
    raised: dict[str, set[uuid.UUID]] = {}
    secrets: dict[str, str] = {}
    for code, service in provinces.items():
        assert service.app.province.code == code
        clerk = Context(Actor(f"clerk-{code}", Role.CLERK, organisation="huyen"))
        raised[code] = {
            service.app.raise_petition(draft(summary=f"{code} số {n}"), clerk).id for n in range(3)
        }
        secrets[code] = service.tokens.create(role=Role.AUDITOR, name=f"auditor {code}")[1]
        catch_up(service.runners, service.app.recorder, service.app.mapper)
    for code, service in provinces.items():
        other = "tinh-b" if code == "tinh-a" else "tinh-a"
        auditor = Actor(f"auditor-{code}", Role.AUDITOR, organisation=code)
        listed = service.queries.petitions(auditor, PetitionFilter(), limit=200)["items"]
        assert {row["petition_id"] for row in listed} == raised[code]
        assert all(code in row["summary"] for row in listed)
        assert service.tokens.authenticate(secrets[other]) is None
        assert service.tokens.authenticate(secrets[code]) is not None
        for pid in raised[other]:
            with pytest.raises(Exception, match="no petition"):
                service.queries.petition(auditor, pid)
        report = service.queries.categories(auditor, year=2026)
        assert report["total"] == len(raised[code]) == 3
