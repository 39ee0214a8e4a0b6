"""The authorisation matrix one level up: callers of every organisation against every route
of the API and every page, on a deployment of two communes under a province.

Commune A raises two petitions: one it refers to a department of the province, one it
assigns to its own department. Then every user of commune B (clerk, committee, department)
calls every route the API declares (``/openapi.json``) and opens every page, with the
petitions' ids in the paths: a route about one petition answers 404 or 403 (never 2xx), and
no answer of any route or page holds A's ids or texts (0 leaks). No call records anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest

from service.database import Database
from tests.e2e.conftest import Live, live_service, web_client
from tests.e2e.test_organisations_api import B_USERS, PROVINCE, SEED, A, tokens

SECRET_SUMMARY = "Cầu treo thôn Đông sạt móng, học sinh phải lội suối"
OWN_SUMMARY = "Đèn đường xóm Giữa tắt đã ba tháng"
SECRET_CHAIR = "Đồng chí Hoàng Văn Kín"
SECRET_MEMBER = "Đồng chí Lường Thị Kín"  # a committee member of A, assigned to one of its cells
PAGES = (
    "/",
    "/petitions",
    "/petitions/{id}",
    "/petitions/{id}/files/{sha}",
    "/inbox",
    "/board",
    "/scorecards",
    "/categories",
    "/organisations",
    "/audit",
    "/lookup?id={id}",
    "/briefing",
    "/verification",
    "/packet",
    "/import",
    "/reports",
    "/imports/template?format=csv",
    "/exports/petitions?format=csv",
    "/exports/overdue?format=csv",
    "/exports/quality?format=csv",
    "/exports/categories?format=csv",
    "/exports/organisations?format=csv",
    "/admin/reference/cells",
    "/audit/reference",
    "/meetings",
    "/meetings/{meeting}",
    "/reports/attendance",
    "/exports/attendance?format=csv",
    "/duty",
    "/duty/record",
    "/exports/duty-record?year=2026",
)


@dataclass
class World:
    live: Live
    referred: str
    assigned: str
    zone: str
    meeting: str  # commune A's briefing, held: chaired by SECRET_CHAIR
    duty: str  # commune A's assignment of SECRET_MEMBER

    def secrets(self) -> tuple[str, ...]:
        return (
            self.referred,
            self.assigned,
            SECRET_SUMMARY,
            OWN_SUMMARY,
            self.meeting,
            SECRET_CHAIR,
            self.duty,
            SECRET_MEMBER,
        )


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture(scope="module")
def live(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    yield from live_service(database, tmp_path_factory, seed=SEED, tokens=tokens)


@pytest.fixture(scope="module")
def world(live: Live) -> World:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    commune = next(o for o in seed["organisations"] if o["code"] == A)
    cell = commune["cells"][0]
    zone = cell.get("zone") or A
    department = next(d["code"] for d in commune["departments"])
    clerk, committee = live.client("a_clerk"), live.client("a_committee")
    body = {
        "kind": "proposal",
        "category": "transport",
        "text": "Nội dung chi tiết do chi bộ báo cáo.",
        "cell": cell["code"],
        "raised_by": "Bí thư chi bộ",
        "channel": "written_report",
        "raised_on": date.today().isoformat(),
    }
    referred = ok(clerk.post("/v1/petitions", json={**body, "summary": SECRET_SUMMARY}), 201)
    assigned = ok(clerk.post("/v1/petitions", json={**body, "summary": OWN_SUMMARY}), 201)
    ok(
        committee.post(
            f"/v1/petitions/{referred['id']}/referral",
            json={"organisation": PROVINCE, "department": "so-xay-dung", "note": "Đường tỉnh"},
        )
    )
    ok(
        committee.post(
            f"/v1/petitions/{assigned['id']}/assignment", json={"department": department}
        )
    )
    today = date.today().isoformat()
    meeting = ok(clerk.post("/v1/meetings", json={"kind": "briefing", "scheduled_on": today}), 201)[
        "id"
    ]
    held = {
        "chair": SECRET_CHAIR,
        "attendance": [{"cell": cell["code"], "status": "late", "minutes_late": 5}],
    }
    ok(clerk.post(f"/v1/meetings/{meeting}/held", json=held))
    duty = {
        "member": "cuv-kin",
        "name": SECRET_MEMBER,
        "cells": [cell["code"]],
        "start_on": f"{date.today().year}-01-01",
        "end_on": f"{date.today().year}-12-31",
        "on": f"{date.today().year}-01-01",
    }
    assignment = ok(live.client("a_admin").post("/v1/duties", json=duty), 201)["id"]
    return World(live, referred["id"], assigned["id"], zone, meeting, assignment)


def event_count(live: Live) -> int:
    datastore = live.service.app.datastore
    with datastore.transaction(commit=False) as curs:
        curs.execute(f'SELECT count(*) AS n FROM "{datastore.schema}".petitions_events')
        row = curs.fetchone()
    assert row is not None
    return int(row["n"])


def filled(path: str, w: World, pid: str) -> str:
    """The path with A's petition in it, and values every other parameter accepts."""
    values = {
        "petition_id": pid,
        "id": pid,
        "meeting_id": w.meeting,
        "assignment_id": w.duty,
        "zone": w.zone,
        "sha256": "0" * 64,
        "organisation": A,
        "language": "vi",
        "token_id": "tok_000000000000",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "x"), path)


def leaks(w: World, text: str, asked: str) -> list[str]:
    """A's ids and texts in an answer, but the path asked for and the ids it names, which a
    refusal echoes ("no petition <id>", as for an id that names none)."""
    path = asked.split("?")[0]
    text = text.replace(path, "")
    return [s for s in w.secrets() if s in text and s not in path]


def api_routes(w: World) -> list[tuple[str, str]]:
    spec = ok(w.live.client().get("/openapi.json"))
    return sorted(
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        if path.startswith("/v1/")
        for method in operations
    )


@pytest.mark.parametrize("who", B_USERS)
def test_another_communes_users_reach_nothing_of_it_through_the_api(world: World, who: str) -> None:
    client = world.live.client(who)
    before = event_count(world.live)
    about_one, calls = 0, 0
    for method, path in api_routes(world):
        for pid in (world.referred, world.assigned):
            url = filled(path, world, pid)
            params = {"organisation": A} if "{" not in path and method == "GET" else None
            for query in (None, params) if params else (None,):
                response = client.request(method, url, params=query, json={})
                calls += 1
                assert response.status_code < 500, (method, url, response.text)
                assert not leaks(world, response.text, url), (method, url, response.text[:500])
                if any(
                    f"{{{name}}}" in path
                    for name in ("petition_id", "id", "meeting_id", "assignment_id")
                ):
                    about_one += 1
                    assert response.status_code in (403, 404, 422), (method, url, response.text)
    assert event_count(world.live) == before
    assert calls > 100 and about_one > 20  # the matrix is the API, not a sample of it


@pytest.mark.parametrize("who", B_USERS)
def test_another_communes_users_see_nothing_of_it_on_the_pages(world: World, who: str) -> None:
    client, signed = web_client(world.live, who)
    assert signed.status_code == 303, signed.text
    for page in PAGES:
        for pid in (world.referred, world.assigned):
            url = page.format(id=pid, sha="0" * 64, meeting=world.meeting)
            response = client.get(url, params={"zone": world.zone})
            assert response.status_code < 500, (url, response.text[:500])
            assert not leaks(world, response.text, url), (url, response.text[:500])
            if ("{id}" in page and "lookup" not in page) or "{meeting}" in page:
                assert response.status_code in (403, 404), (url, response.status_code)


def test_the_raising_commune_and_the_province_do_see_it(world: World) -> None:
    """The matrix's other side: the same calls find the petitions for those who may."""
    for who in ("a_committee", "p_committee", "p_auditor"):
        listed = ok(world.live.client(who).get("/v1/petitions", params={"limit": 200}))
        ids = {row["petition_id"] for row in listed["items"]}
        assert world.referred in ids, who
    for who in ("a_clerk", "p_auditor"):
        meeting = ok(world.live.client(who).get(f"/v1/meetings/{world.meeting}"))
        assert (meeting["organisation"], meeting["chair"]) == (A, SECRET_CHAIR), who
    for who in ("a_clerk", "p_auditor"):  # and its page, through the same use case
        client, _ = web_client(world.live, who)
        page = client.get(f"/meetings/{world.meeting}")
        assert page.status_code == 200 and SECRET_CHAIR in page.text, who
    # The province reads the organisations' meetings; each records its own: no form offered.
    for who, offered in (("a_committee", True), ("p_committee", False)):
        client, _ = web_client(world.live, who)
        listed = client.get("/meetings")
        assert listed.status_code == 200, who
        assert ('action="/meetings"' in listed.text) is offered, who
    inbox = ok(world.live.client("p_department").get("/v1/petitions", params={"limit": 200}))
    assert {row["petition_id"] for row in inbox["items"]} == {world.referred}
    for who in ("p_committee", "a_committee"):
        one = ok(world.live.client(who).get(f"/v1/petitions/{world.referred}"))
        assert (one["organisation"], one["referred_to"]) == (A, PROVINCE)


def test_the_metrics_of_every_organisation_are_the_provinces(world: World) -> None:
    """/metrics counts every organisation's petitions by department: not for a commune."""
    for who in B_USERS:
        refused = world.live.client(who).get("/metrics")
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert not leaks(world, refused.text, "/metrics")
    scraped = world.live.client("p_auditor").get("/metrics")
    assert scraped.status_code == 200 and "so-xay-dung" in scraped.text


def test_the_commune_and_the_province_read_its_assignment(world: World) -> None:
    """A's committee member's assignment: A's users and the province's read it, with its
    history; B's users were answered 404 above."""
    for who in ("a_committee", "a_auditor", "p_auditor"):
        one = ok(world.live.client(who).get(f"/v1/duties/{world.duty}"))
        assert (one["organisation"], one["name"], len(one["history"])) == (A, SECRET_MEMBER, 1)
    refused = world.live.client("b_auditor").get(f"/v1/duties/{world.duty}")
    assert refused.status_code == 404, refused.text
    assert SECRET_MEMBER not in refused.text
