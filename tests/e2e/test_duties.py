"""The members' duty through HTTP: the admin assigns committee members to cells and a
commune, changes and ends an assignment with its history; a cell meeting scheduled
without members expects the member assigned there; the must-show: a cell meeting attended
by a committee member raises a petition with channel ``cell_meeting``, and the member's
yearly record counts it (as JSON and in the XLSX export); the calendar, the members
attending none in a month and the unvisited cells. Refusals are Vietnamese problems and
record nothing."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import Live

PROBLEM_JSON = "application/problem+json"
THANG = {
    "member": "cuv-01",
    "name": "Lò Văn Thắng",
    "cells": ["yen-phu-thon2"],
    "start_on": "2026-01-01",
    "end_on": "2026-12-31",
    "on": "2025-12-20",
}
LAN = {
    "member": "cuv-02",
    "name": "Hà Thị Lan",
    "communes": ["yen-lac"],
    "start_on": "2026-01-01",
    "end_on": "2026-12-31",
    "on": "2025-12-20",
}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


@pytest.fixture(scope="module")
def clients(live: Live) -> Any:
    made = {who: live.client(who) for who in ("admin", "clerk", "committee", "auditor")}
    yield made
    for client in made.values():
        client.close()


def test_the_admin_assigns_changes_and_ends_with_the_history(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    admin, committee = clients["admin"], clients["committee"]
    made = admin.post("/v1/duties", json=LAN)
    lan = ok(made, 201)
    assert made.headers["Location"] == f"/v1/duties/{lan['id']}" and lan["status"] == "active"
    changed = ok(
        admin.post(
            f"/v1/duties/{lan['id']}/change",
            json={
                "effective_on": "2026-07-01",
                "communes": ["yen-lac", "yen-phu"],
                "end_on": "2026-12-31",
                "reason": "Thêm xã Yên Phú",
                "on": "2026-06-20",
            },
            headers={"If-Match": '"1"'},
        )
    )
    stale = admin.post(
        f"/v1/duties/{lan['id']}/end",
        json={"ended_on": "2026-10-31", "reason": "Nghỉ hưu", "on": "2026-11-01"},
        headers={"If-Match": '"1"'},
    )
    assert stale.status_code == 412, stale.text
    ended = ok(
        admin.post(
            f"/v1/duties/{lan['id']}/end",
            json={"ended_on": "2026-10-31", "reason": "Nghỉ hưu", "on": "2026-11-01"},
            headers={"If-Match": f'"{changed["version"]}"'},
        )
    )
    assert ended["status"] == "ended"
    one = ok(committee.get(f"/v1/duties/{lan['id']}"))
    assert [(h["type"], h["reason"]) for h in one["history"]] == [
        ("Assigned", None),
        ("Changed", "Thêm xã Yên Phú"),
        ("Ended", "Nghỉ hưu"),
    ]
    assert [(s["start"], s["end"], s["communes"]) for s in one["spans"]] == [
        ("2026-01-01", "2026-06-30", ["yen-lac"]),
        ("2026-07-01", "2026-10-31", ["yen-lac", "yen-phu"]),
    ]
    listed = ok(clients["auditor"].get("/v1/duties", params={"member": "cuv-02"}))
    assert [i["assignment_id"] for i in listed["items"]] == [lan["id"]]


def test_a_cell_meeting_attended_by_a_member_counts_in_the_member_s_record(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    admin, clerk, committee = clients["admin"], clients["clerk"], clients["committee"]
    thang = ok(admin.post("/v1/duties", json=THANG), 201)
    ok(committee.get("/v1/duties", params={"min_position": thang["position"]}))
    mid = ok(
        committee.post(
            "/v1/meetings",
            json={
                "kind": "cell_meeting",
                "cell": "yen-phu-thon2",
                "scheduled_on": "2026-10-12",
                "on": "2026-10-01",
            },
        ),
        201,
    )["id"]
    meeting = ok(committee.get(f"/v1/meetings/{mid}"))
    # the member assigned to the cell (and Lan, if the first test assigned her its commune)
    assert "Lò Văn Thắng" in meeting["members"]
    others = [m for m in meeting["members"] if m != "Lò Văn Thắng"]
    ok(
        clerk.post(
            f"/v1/meetings/{mid}/held",
            json={
                "held_on": "2026-10-12",
                "chair": "Bí thư chi bộ Thôn 2",
                "attendance": [
                    {"person": "Lò Văn Thắng", "status": "present"},
                    *(
                        {"person": m, "status": "absent", "reason": "Ốm", "excused": True}
                        for m in others
                    ),
                    {"cell": "yen-phu-thon2", "status": "present"},
                ],
            },
        )
    )
    raised = ok(
        clerk.post(
            "/v1/petitions",
            json={
                "kind": "proposal",
                "category": "transport",
                "summary": "Làm lại cầu tràn Thôn 2",
                "text": "Cầu tràn Thôn 2 ngập khi mưa lớn, học sinh không qua được.",
                "cell": "yen-phu-thon2",
                "raised_by": "Bí thư chi bộ",
                "channel": "cell_meeting",
                "meeting": mid,
                "member": "Lò Văn Thắng",
                "raised_on": "2026-10-12",
            },
        ),
        201,
    )
    state = ok(clerk.get(f"/v1/petitions/{raised['id']}"))
    assert (state["channel"], state["member"]) == ("cell_meeting", "Lò Văn Thắng")
    at = {"min_position": head(live)}
    records = ok(committee.get("/v1/reports/duty/record", params={"year": 2026, **at}))
    record = next(r for r in records["items"] if r["member"] == "cuv-01")
    assert {k: record[k] for k in ("cell_meetings_expected", "cell_meetings_attended")} == {
        "cell_meetings_expected": 1,
        "cell_meetings_attended": 1,
    }
    assert record["petitions_raised"] == 1 and record["months_covered"] == list(range(1, 13))
    assert record["months_without"] == [m for m in range(1, 13) if m != 10]
    calendar = ok(
        clients["auditor"].get(
            "/v1/reports/duty/calendar", params={"member": "cuv-01", "year": 2026, **at}
        )
    )
    (member,) = calendar["members"]
    assert [(m["meeting_id"], m["attended"]) for m in member["meetings"]] == [(mid, True)]
    october = ok(clerk.get("/v1/reports/duty/absent", params={"year": 2026, "month": 10, **at}))
    assert "cuv-01" not in [m["member"] for m in october["items"]]
    september = ok(clerk.get("/v1/reports/duty/absent", params={"year": 2026, "month": 9, **at}))
    assert "cuv-01" in [m["member"] for m in september["items"]]
    unvisited = ok(committee.get("/v1/reports/duty/unvisited", params={"on": "2026-11-30", **at}))
    assert unvisited["months"] == 3
    cells = [c["cell"] for c in unvisited["items"]]
    assert "yen-phu-thon2" not in cells and "yen-phu-thon1" in cells
    exported = committee.get("/v1/exports/duty-record", params={"year": 2026, **at})
    assert exported.status_code == 200, exported.text
    sheet = load_workbook(BytesIO(exported.content)).active
    assert sheet is not None
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    row = next(r for r in rows if r[0] == "cuv-01")
    assert (row[1], row[3], row[5], row[6], row[10]) == ("Lò Văn Thắng", 12, 1, 1, 1)


def test_refusals_are_vietnamese_problems_that_record_nothing(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    admin = clients["admin"]
    before = head(live)
    unknown = admin.post("/v1/duties", json={**THANG, "member": "cuv-9", "cells": ["khong-co"]})
    assert unknown.status_code == 422 and unknown.headers["content-type"].startswith(PROBLEM_JSON)
    assert "khong-co" in unknown.json()["detail"] and "Chi bộ phụ trách" in unknown.json()["detail"]
    nowhere = admin.post("/v1/duties", json={**THANG, "member": "cuv-9", "cells": []})
    assert nowhere.status_code == 422
    assert nowhere.json()["detail"] == (
        "«Chi bộ phụ trách»: phân công phải ghi ít nhất một xã hoặc một chi bộ."
    )
    reversed_ = admin.post("/v1/duties", json={**THANG, "end_on": "2025-06-30"})
    assert reversed_.status_code == 422
    committee = clients["committee"].post("/v1/duties", json=THANG)
    assert committee.status_code == 403
    missing = clients["auditor"].get("/v1/duties/00000000-0000-0000-0000-000000000007")
    assert missing.status_code == 404 and missing.json()["detail"].startswith("Không tìm thấy")
    assert head(live) == before
