"""Petition numbers on real PostgreSQL, in a province of two communes: each organisation's
year numbered 1, 2, 3… in the order its petitions were recorded (a back-dated one takes
the next number of its year); the same numbers whether the view followed the log page by
page, caught up in batch mode, or was rebuilt in parts by petition; ``replay --verify``
finds no difference; a search by number finds the petition of each organisation the
caller sees."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from domain.actors import Actor, Role
from projections.numbering import TABLE
from projections.petition_list import PetitionFilter
from service.bootstrap import Service, bootstrap
from service.database import Database
from tests.conftest import settings_in
from tests.integration.helpers import draft
from usecases import lookup
from usecases.commands import Context
from workers import replay
from workers.runner import catch_up, decode, read_pages

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "two_communes.json"
A, B = "xa-an", "xa-binh"
CELLS = {A: ("an-thon-1", "an-thon-2"), B: ("binh-thon-1", "binh-thon-2")}
DAYS = (date(2025, 7, 4), date(2025, 11, 20), date(2026, 2, 10), date(2026, 9, 1))


def clerk(organisation: str) -> Context:
    return Context(Actor(f"clerk-{organisation}", Role.CLERK, organisation=organisation))


@pytest.fixture
def province(database: Database, schema: str, tmp_path: Path) -> Iterator[Service]:
    service = bootstrap(settings_in(tmp_path), database=database, schema=schema, seed=SEED)
    yield service
    service.close()


def raise_mixed(service: Service, count: int, seed: int) -> list[tuple[UUID, str, int]]:
    """``count`` petitions of both communes on dates of two years in no order of date
    (later ones back-dated), each with an assignment or two among them; (id, organisation,
    year) in the order recorded."""
    rng = random.Random(seed)
    made = []
    for i in range(count):
        organisation = rng.choice((A, B))
        day = rng.choice(DAYS)
        pid = service.app.raise_petition(
            draft(cell=rng.choice(CELLS[organisation]), raised_on=day, summary=f"Ý kiến {i}"),
            clerk(organisation),
        ).id
        made.append((pid, organisation, day.year))
    return made


def expected(made: list[tuple[UUID, str, int]]) -> dict[UUID, tuple[int, int]]:
    counted: dict[tuple[str, int], int] = {}
    numbers = {}
    for pid, organisation, year in made:
        counted[organisation, year] = counted.get((organisation, year), 0) + 1
        numbers[pid] = (year, counted[organisation, year])
    return numbers


def number_rows(service: Service) -> list[tuple[object, ...]]:
    view = service.views.petition_list
    with psycopg.connect(service.conninfo) as conn:
        return conn.execute(
            sql.SQL("SELECT * FROM {} ORDER BY petition_id").format(view.table(TABLE))
        ).fetchall()


def test_the_paths_of_the_view_give_one_sequence(province: Service) -> None:
    app, view = province.app, province.views.petition_list
    first = raise_mixed(province, 30, seed=1)
    # followed live: one page of 7 events a transaction, as a runner does
    for page in read_pages(app.recorder, 0, None, 7):
        view.process(decode(app.mapper, page))
    assert view.numbers({pid for pid, _, _ in first}) == expected(first)
    # then caught up in batch mode from where it stood, numbers already in the table
    second = first + raise_mixed(province, 25, seed=2)
    catch_up(list(province.views.values()), app.recorder, app.mapper, page_size=9)
    numbers = view.numbers({pid for pid, _, _ in second})
    assert numbers == expected(second)
    assert {n for n in numbers.values()} >= {(2025, 1), (2026, 1)}
    live = number_rows(province)
    assert len(live) == 55

    # rebuilt in three parts by petition: the same rows, numbers and positions alike
    replay.rebuild(
        province.views, app.recorder, province.open_views, province.conninfo, page_size=5, parts=3
    )
    assert number_rows(province) == live
    assert view.numbers({pid for pid, _, _ in second}) == expected(second)
    # and a clean one-part rebuild beside the live views finds no difference
    assert (
        replay.verify(
            province.views,
            app.postgres_recorder,
            app.mapper,
            province.datastore_for,
            province.conninfo,
        )
        == []
    )
    # the rebuilt view numbers on from there
    third = second + raise_mixed(province, 6, seed=3)
    catch_up(list(province.views.values()), app.recorder, app.mapper)
    assert view.numbers({pid for pid, _, _ in third}) == expected(third)


def test_a_number_altered_by_hand_is_a_difference(province: Service) -> None:
    raise_mixed(province, 8, seed=4)
    catch_up(list(province.views.values()), province.app.recorder, province.app.mapper)
    view = province.views.petition_list
    with psycopg.connect(province.conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("UPDATE {} SET seq = seq + 100").format(view.table(TABLE)))
    found = replay.verify(
        province.views,
        province.app.postgres_recorder,
        province.app.mapper,
        province.datastore_for,
        province.conninfo,
    )
    assert any(line.startswith(f"{TABLE}: only in the live view") for line in found), found


def test_a_number_is_found_in_each_organisation_the_caller_sees(province: Service) -> None:
    made = raise_mixed(province, 12, seed=5)
    catch_up(list(province.views.values()), province.app.recorder, province.app.mapper)
    queries, numbers = province.queries, expected(made)
    first_of = {org: next(p for p, o, y in made if o == org and y == 2026) for org in (A, B)}
    assert all(numbers[first_of[org]] == (2026, 1) for org in (A, B))
    of_a = Actor("committee-a", Role.COMMITTEE, organisation=A)
    of_province = Actor("committee-p", Role.COMMITTEE, organisation="tinh-thu")
    page = queries.petitions(of_a, PetitionFilter(text=" kn-2026-0001 "))
    assert [(r["petition_id"], r["number"]) for r in page["items"]] == [
        (first_of[A], "KN-2026-0001")
    ]
    assert set(lookup.numbered(queries, of_province, "KN-2026-0001") or []) == set(
        first_of.values()
    )
    assert lookup.numbered(queries, of_a, "KN-2026-0999") == []
    assert lookup.numbered(queries, of_a, "nhà văn hóa") is None  # words, not a number
    state = queries.petition(of_a, first_of[A])
    assert state["number"] == "KN-2026-0001"
