"""GET /v1/overdue through HTTP: its pages, their order and the whole board's totals; bad
paging or sorting answered with a problem and nothing else; a department's pages hold
only its own rows, whatever it asks for."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from domain.actors import Actor, Role
from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live
from usecases.commands import Context, PetitionDraft

pytestmark = pytest.mark.integration

CLERK = Context(Actor("e2e-clerk", Role.CLERK))
COMMITTEE = Context(Actor("e2e-committee", Role.COMMITTEE))
PROBLEM_JSON = "application/problem+json"


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def overdue_world(live: Live) -> int:
    """Thirty petitions overdue today across zones, two departments and due dates shared by
    several; returns the log position of the last write."""
    app, rng = live.service.app, random.Random(3)
    today = app.today()
    cells = sorted(app.district.cells)
    position = 0
    for n in range(30):
        raised_on = today - timedelta(days=90)
        pid = app.raise_petition(
            PetitionDraft(
                kind="reflection",
                category="transport",
                summary=f"Quá hạn số {n}",
                text="Nội dung.",
                cell=rng.choice(cells),
                raised_by="Bí thư",
                channel="meeting",
                meeting="Giao ban",
                raised_on=raised_on,
            ),
            CLERK,
        ).id
        written = app.assign(
            pid,
            COMMITTEE,
            department=DEPARTMENT if n % 3 else OTHER_DEPARTMENT,
            due_on=today - timedelta(days=rng.choice([3, 10, 10, 31, 45])),
            on=raised_on + timedelta(days=1),
        )
        position = written.position or position
    return position


def all_pages(client: httpx.Client, params: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """Every page of the board, following next_offset; the items and each page's body."""
    pages = [ok(client.get("/v1/overdue", params=params))]
    while pages[-1]["next_offset"] is not None:
        following = {**params, "offset": pages[-1]["next_offset"]}
        pages.append(ok(client.get("/v1/overdue", params=following)))
    return [i for p in pages for i in p["items"]], pages


def test_the_board_comes_in_pages_each_row_once_in_the_order_asked(
    live: Live, overdue_world: int
) -> None:
    committee = live.client("committee")
    whole = ok(committee.get("/v1/overdue", params={"min_position": overdue_world}))
    assert whole["total"] == len(whole["items"]) >= 30 and whole["next_offset"] is None
    assert (whole["sort"], whole["order"], whole["limit"], whole["offset"]) == (
        "days",
        "desc",
        100,
        0,
    )
    assert sum(t["answer"] + t["verification"] for t in whole["totals"]) == whole["total"]
    keys = {
        "days": lambda i: i["days_overdue"],
        "due_on": lambda i: i["due_on"],
        "department": lambda i: i["department"] or "",
        "zone": lambda i: i["zone"],
        "kind": lambda i: i["kind"],
    }
    for sort, key in keys.items():
        for order in ("asc", "desc"):
            items, pages = all_pages(committee, {"sort": sort, "order": order, "limit": 7})
            assert len(pages) == -(-whole["total"] // 7), (sort, order)
            assert [p["offset"] for p in pages] == list(range(0, whole["total"], 7))
            ids = [i["petition_id"] for i in items]
            assert len(ids) == len(set(ids)) and set(ids) == {
                i["petition_id"] for i in whole["items"]
            }, (sort, order)
            assert [key(i) for i in items] == sorted(
                (key(i) for i in items), reverse=order == "desc"
            ), (sort, order)
            for page in pages:  # each page counts the whole board
                assert (page["total"], page["totals"]) == (whole["total"], whole["totals"])
    # ties between rows equally overdue: by petition, the same way on every page
    items, _ = all_pages(committee, {"limit": 4})
    assert [i["petition_id"] for i in items] == [i["petition_id"] for i in whole["items"]]
    # a filter pages through its own rows, and counts only them
    zone = whole["items"][0]["zone"]
    items, pages = all_pages(committee, {"zone": zone, "limit": 3})
    assert {i["zone"] for i in items} == {zone} and pages[0]["total"] == len(items)
    assert {t["zone"] for t in pages[0]["totals"]} == {zone}
    # as of a past date: nothing was overdue before the first due date
    past = ok(committee.get("/v1/overdue", params={"on": "2020-01-01"}))
    assert (past["total"], past["items"], past["totals"], past["next_offset"]) == (0, [], [], None)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**10}, "offset"),
        ({"offset": "1e3"}, "offset"),
        ({"sort": "summary"}, "sort"),
        ({"sort": ""}, "sort"),
        ({"order": "up"}, "order"),
        ({"order": "ASC"}, "order"),
    ],
)
def test_bad_paging_or_sorting_is_a_problem_not_a_page(
    live: Live, params: dict[str, Any], field: str
) -> None:
    for who in ("committee", "department"):
        response = live.client(who).get("/v1/overdue", params=params)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
        body = response.json()
        assert body["code"] == "validation_error"
        assert [e["field"] for e in body["errors"]] == [field], body


def test_a_department_pages_through_its_own_rows_only(live: Live, overdue_world: int) -> None:
    committee = live.client("committee")
    everyone = ok(committee.get("/v1/overdue", params={"min_position": overdue_world}))
    for who, own in (("department", DEPARTMENT), ("other_department", OTHER_DEPARTMENT)):
        client = live.client(who)
        mine = [i for i in everyone["items"] if i["department"] == own]
        for asked in ({}, {"department": DEPARTMENT}, {"department": OTHER_DEPARTMENT}):
            for sort in ("department", "days"):
                items, pages = all_pages(client, {**asked, "sort": sort, "limit": 5})
                assert {i["department"] for i in items} == {own}, (who, asked)
                assert sorted(i["petition_id"] for i in items) == sorted(
                    i["petition_id"] for i in mine
                ), (who, asked)
                assert pages[0]["total"] == len(mine)
                assert {t["department"] for t in pages[0]["totals"]} == {own}
        # the committee's figures for that department are the department's own
        theirs = ok(committee.get("/v1/overdue", params={"department": own, "limit": 1}))
        assert theirs["total"] == len(mine) and theirs["totals"] == pages[0]["totals"]


def test_the_export_holds_the_whole_board_not_a_page(live: Live, overdue_world: int) -> None:
    committee = live.client("committee")
    whole = ok(committee.get("/v1/overdue", params={"min_position": overdue_world}))
    exported = committee.get("/v1/exports/overdue", params={"format": "csv"})
    assert exported.status_code == 200, exported.text
    lines = exported.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + whole["total"]
    assert date.fromisoformat(whole["on"]) == live.service.app.today()
