"""Calendars over HTTP, on a district whose cells meet on the 20th and whose due dates
follow the cells' meetings: ``GET /v1/reference`` shows the cells' calendar and the
setting; ``POST /v1/calendar/meetings`` schedules a month's briefings and cell
meetings once (again: nothing new); its refusals are problems in Vietnamese that record
nothing; the pages schedule from the calendar and say which meeting a due date follows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from service.database import Database
from service.demo import DEMO_SEED
from tests.e2e.conftest import DEPARTMENT, Live, live_service, web_client

PROBLEM_JSON = "application/problem+json"
ROUTE = "/v1/calendar/meetings"
MONTH = {"from": "2027-03-01", "to": "2027-03-31", "on": "2026-11-20"}
MEMBERS = ["Đồng chí Lò Văn Thắng"]


@pytest.fixture(scope="module")
def live(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    seed = json.loads(DEMO_SEED.read_text(encoding="utf-8"))
    seed |= {"cell_meeting_rule": "day:20", "due_after": "cell_meeting"}
    path = tmp_path_factory.mktemp("seed") / "district.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    yield from live_service(database, tmp_path_factory, seed=path)


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def test_the_reference_shows_the_cells_calendar_and_what_due_dates_follow(live: Live) -> None:
    with live.client("clerk") as clerk:
        reference = ok(clerk.get("/v1/reference"))
    assert reference["due_after"] == "cell_meeting"
    assert reference["cell_meetings"] == {
        "calendar": {
            "code": reference["organisation"],
            "rule": "day:20",
            "rule_label": "ngày 20 hằng tháng",
            "exceptions": [],
        },
        "inherited": False,
        "overrides": [],
    }


def test_a_month_is_scheduled_from_the_calendar_once(live: Live) -> None:
    district = live.service.app.district
    with live.client("clerk") as clerk, live.client("committee") as committee:
        body = {**MONTH, "members": MEMBERS}
        first = ok(clerk.post(ROUTE, json=body))
        briefings = [m for m in first["scheduled"] if m["kind"] == "briefing"]
        cells = [m for m in first["scheduled"] if m["kind"] == "cell_meeting"]
        assert sorted(m["zone"] for m in briefings) == sorted(district.zones)
        assert {m["scheduled_on"] for m in cells} == {"2027-03-20"}
        assert len(cells) == len([c for c in district.cells.values() if c.retired_on is None])
        assert first["already_scheduled"] == [] and first["position"]
        meeting = ok(clerk.get(f"/v1/meetings/{cells[0]['id']}"))
        assert (meeting["status"], meeting["members"]) == ("scheduled", MEMBERS)
        before = head(live)
        again = ok(committee.post(ROUTE, json=body))
        assert again["scheduled"] == [] and again["position"] is None
        assert sorted(m["id"] for m in again["already_scheduled"]) == sorted(
            m["id"] for m in first["scheduled"]
        )
        assert head(live) == before


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"from": "2027-04-30", "to": "2027-04-01"}, "from", "«Từ ngày»"),
        ({"from": "2027-01-01", "to": "2028-06-30", "members": MEMBERS}, "to", "366 ngày"),
        ({"from": "2027-04-01", "to": "2027-04-30"}, "members", "sinh hoạt chi bộ"),
        (
            {"from": "2027-04-01", "to": "2027-04-30", "kinds": ["party"]},
            "kinds",
            "«Loại hội nghị»",
        ),
        ({"from": "2027-04-01", "to": "2027-04-30", "weekly": True}, "weekly", ""),
    ],
)
def test_a_refusal_is_a_problem_in_vietnamese_and_schedules_nothing(
    live: Live, body: dict[str, Any], field: str, words: str
) -> None:
    before = head(live)
    with live.client("clerk") as clerk:
        refused = clerk.post(ROUTE, json=body)
    assert refused.status_code in (400, 422), refused.text
    assert refused.headers["content-type"].startswith(PROBLEM_JSON)
    problem = refused.json()
    named = {str(e["field"]).split(".")[0] for e in problem.get("errors", [])}
    assert field in named | {problem.get("field")}, problem
    assert words in problem["detail"], problem
    assert head(live) == before


def test_the_calendars_last_month_and_edges_answer_no_server_error(live: Live) -> None:
    with live.client("clerk") as clerk:
        last = ok(
            clerk.post(
                ROUTE,
                json={"from": "2100-12-01", "to": "2100-12-31", "kinds": ["briefing"]},
            )
        )
        assert {m["scheduled_on"][:7] for m in last["scheduled"]} == {"2100-12"}
        for body in (
            {"from": "2101-01-01", "to": "2101-01-31"},
            {"from": "1899-12-01", "to": "1899-12-31"},
            {"from": "2027-04-01", "to": "2027-04-30", "on": "2099-01-01", "members": MEMBERS},
            {"from": "2027-04-01", "to": "2027-04-30", "members": ["A", "A"]},
        ):
            before = head(live)
            refused = clerk.post(ROUTE, json=body)
            assert refused.status_code == 422, (body, refused.text)
            assert refused.headers["content-type"].startswith(PROBLEM_JSON)
            assert head(live) == before


def test_only_the_organisations_recorders_schedule_from_the_calendar(live: Live) -> None:
    before = head(live)
    for who in ("department", "auditor", "admin"):
        with live.client(who) as client:
            refused = client.post(ROUTE, json={**MONTH, "members": MEMBERS})
        assert refused.status_code == 403, (who, refused.text)
    assert head(live) == before


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_the_pages_schedule_from_the_calendar_and_explain_a_due_date(live: Live) -> None:
    client, signed = web_client(live, "clerk")
    assert signed.status_code == 303, signed.text
    page = client.get("/meetings")
    assert 'action="/meetings/from-calendar"' in page.text
    csrf = csrf_of(page.text)
    before = head(live)
    refused = client.post(
        "/meetings/from-calendar",
        data={"csrf": csrf, "from": "30/05/2027", "to": "01/05/2027", "kinds": "briefing"},
    )
    assert refused.status_code == 422 and "field-error" in refused.text
    assert head(live) == before
    done = client.post(
        "/meetings/from-calendar",
        data={"csrf": csrf, "from": "01/05/2027", "to": "31/05/2027", "kinds": "briefing"},
    )
    assert done.status_code == 200, done.text
    zones = len(live.service.app.district.zones)
    assert f"Đã lên lịch {zones} hội nghị từ 01/05/2027 đến 31/05/2027" in done.text
    again = client.post(
        "/meetings/from-calendar",
        data={"csrf": csrf, "from": "01/05/2027", "to": "31/05/2027", "kinds": "briefing"},
    )
    assert "Đã lên lịch 0 hội nghị" in again.text and f"{zones} hội nghị đã có lịch" in again.text
    # a due date left to the calendar falls on the cell's meeting, and says so
    with live.client("clerk") as clerk, live.client("committee") as committee:
        raised = ok(
            clerk.post(
                "/v1/petitions",
                json={
                    "kind": "reflection",
                    "category": "transport",
                    "summary": "Đường liên thôn sạt lở",
                    "text": "Đoạn đường liên thôn bị sạt lở sau mưa lớn.",
                    "raised_by": "Bí thư chi bộ",
                    "channel": "written_report",
                    "cell": "yen-lac-thon1",
                    "raised_on": "2026-11-02",
                },
            ),
            201,
        )
        ok(
            committee.post(
                f"/v1/petitions/{raised['id']}/assignment",
                json={"department": DEPARTMENT, "assigned_on": "2026-11-03"},
            )
        )
        assert ok(clerk.get(f"/v1/petitions/{raised['id']}"))["due_on"] == "2026-11-20"
    shown = client.get(f"/petitions/{raised['id']}")
    assert "20/11/2026" in shown.text and "ngày sinh hoạt của chi bộ" in shown.text
    client.close()
