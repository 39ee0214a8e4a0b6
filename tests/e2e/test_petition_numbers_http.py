"""Petition numbers and cells over HTTP, in a province of two communes
(``tests/fixtures/two_communes.json``): every read and list row carries ``"number"``;
``?q=<number>`` finds the petition of each organisation the caller sees (both for the
province's committee, one for a commune's, none of the other commune's); the lookup page
opens a petition by its number; every page shows a cell with its commune."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from service.database import Database
from tests.e2e.conftest import Live, live_service
from tests.e2e.test_organisations_api import SEED, ok, raised, signed_in, tokens

CELL_OF_A = "Chi bộ thôn 1 – xã An Thịnh"  # every commune has a thôn 1
CELL_OF_B = "Chi bộ thôn Đông – xã Bình Minh"


@pytest.fixture(scope="module")
def live(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    yield from live_service(database, tmp_path_factory, seed=SEED, tokens=tokens)


@pytest.fixture(scope="module")
def made(live: Live) -> dict[str, Any]:
    """Two petitions of commune A in 2026, one of B; the first of A assigned to its
    department; the log position of the last write."""
    a_clerk, b_clerk = live.client("a_clerk"), live.client("b_clerk")
    first = raised(a_clerk, "an-thon-1", "2026-10-05", "Nhà văn hóa thôn 1 dột nát")
    second = raised(a_clerk, "an-thon-2", "2026-10-06", "Đèn đường thôn 2 hỏng")
    of_b = raised(b_clerk, "binh-thon-1", "2026-10-07", "Cống thôn Đông tắc")
    assigned = ok(
        live.client("a_committee").post(
            f"/v1/petitions/{first['id']}/assignment",
            json={"department": "an-kinh-te", "due_on": "2026-10-20", "assigned_on": "2026-10-06"},
        )
    )
    return {
        "first": first["id"],
        "second": second["id"],
        "of_b": of_b["id"],
        "position": assigned["position"],
    }


def listed(client: httpx.Client, position: int, **params: Any) -> list[dict[str, Any]]:
    page = ok(client.get("/v1/petitions", params={**params, "min_position": position}))
    items: list[dict[str, Any]] = page["items"]
    return items


def test_every_read_carries_its_number(live: Live, made: dict[str, Any]) -> None:
    client = live.client("a_committee")
    rows = {r["petition_id"]: r["number"] for r in listed(client, made["position"])}
    assert rows == {made["first"]: "KN-2026-0001", made["second"]: "KN-2026-0002"}
    one = ok(client.get(f"/v1/petitions/{made['second']}"))
    assert one["number"] == "KN-2026-0002"
    of_b = ok(live.client("b_committee").get(f"/v1/petitions/{made['of_b']}"))
    assert of_b["number"] == "KN-2026-0001"  # B numbers its own year from 1
    board = ok(
        client.get("/v1/overdue", params={"on": "2026-11-30", "min_position": made["position"]})
    )
    assert [(i["petition_id"], i["number"]) for i in board["items"]] == [
        (made["first"], "KN-2026-0001")
    ]
    inbox = ok(
        live.client("a_department").get("/v1/inbox", params={"min_position": made["position"]})
    )
    assert [i["number"] for i in inbox["items"]] == ["KN-2026-0001"]


def test_q_with_a_number_finds_it_in_each_organisation_seen(
    live: Live, made: dict[str, Any]
) -> None:
    at = made["position"]
    assert [r["petition_id"] for r in listed(live.client("a_committee"), at, q="KN-2026-0001")] == [
        made["first"]
    ]
    assert [r["petition_id"] for r in listed(live.client("b_clerk"), at, q="kn-2026-0001")] == [
        made["of_b"]
    ]
    province = listed(live.client("p_committee"), at, q=" KN-2026-0001 ")
    assert {(r["organisation"], r["petition_id"]) for r in province} == {
        ("xa-an", made["first"]),
        ("xa-binh", made["of_b"]),
    }
    assert listed(live.client("a_committee"), at, q="KN-2026-0003") == []
    assert listed(live.client("b_committee"), at, q="KN-2026-0002") == []  # A's second
    # the department sees only what it was assigned: the first, not the second
    assert listed(live.client("a_department"), at, q="KN-2026-0002") == []
    assert [r["number"] for r in listed(live.client("a_department"), at, q="KN-2026-0001")] == [
        "KN-2026-0001"
    ]


def test_the_lookup_page_opens_a_petition_by_its_number(live: Live, made: dict[str, Any]) -> None:
    web, _ = signed_in(live, "a_committee")
    with web:
        found = web.get("/lookup", params={"petition": "kn-2026-0002"})
        assert found.status_code == 303
        assert found.headers["location"] == f"/petitions/{made['second']}"
        page = web.get(found.headers["location"])
        assert page.status_code == 200 and "KN-2026-0002" in page.text
        assert CELL_OF_A.replace("1", "2") in page.text
        missing = web.get("/lookup", params={"petition": "KN-2026-0099"})
        assert missing.status_code == 404
        assert "Không có ý kiến số KN-2026-0099" in missing.text
        garbage = web.get("/lookup", params={"petition": "thôn 1"})
        assert garbage.status_code == 422 and "KN-2026-0123" in garbage.text
    province, _ = signed_in(live, "p_committee")
    with province:
        several = province.get("/lookup", params={"petition": "KN-2026-0001"})
        assert several.status_code == 303
        assert several.headers["location"] == "/petitions?q=KN-2026-0001"
        page = province.get(several.headers["location"])
        assert page.text.count("KN-2026-0001") >= 2
        assert CELL_OF_A in page.text and CELL_OF_B in page.text


def test_the_pages_show_cells_with_their_commune(live: Live, made: dict[str, Any]) -> None:
    web, _ = signed_in(live, "a_committee")
    with web:
        listing = web.get("/petitions", params={"min_position": made["position"]}).text
        assert CELL_OF_A in listing and "KN-2026-0001" in listing
        board = web.get("/board", params={"on": "2026-11-30"}).text
        assert CELL_OF_A in board and "KN-2026-0001" in board
        found = web.get("/petitions", params={"q": "KN-2026-0002"}).text
        assert "Đèn đường thôn 2 hỏng" in found and "Nhà văn hóa thôn 1" not in found
    department, _ = signed_in(live, "a_department")
    with department:
        inbox = department.get("/inbox").text
        assert CELL_OF_A in inbox and "KN-2026-0001" in inbox


def test_the_petition_route_takes_a_number_the_caller_sees_once(
    live: Live, made: dict[str, Any]
) -> None:
    by_number = live.client("a_committee").get("/v1/petitions/kn-2026-0002")
    assert ok(by_number)["id"] == made["second"]
    assert by_number.headers["etag"] == '"1"'
    # of the other commune's second petition there is none for B's users
    unseen = live.client("b_committee").get("/v1/petitions/KN-2026-0002")
    assert unseen.status_code == 404, unseen.text
    assert made["second"] not in unseen.text
    # the province sees a KN-2026-0001 in each commune: it is told to list them
    several = live.client("p_committee").get("/v1/petitions/KN-2026-0001")
    assert several.status_code == 422, several.text
    assert several.headers["content-type"].startswith("application/problem+json")
    assert "?q=" in several.json()["detail"]
    neither = live.client("a_committee").get("/v1/petitions/thon-1")
    assert neither.status_code == 422 and neither.json()["errors"][0]["field"] == "petition_id"
