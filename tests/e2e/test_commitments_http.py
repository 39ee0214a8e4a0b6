"""An answer's commitment through HTTP: a written answer carries one, the cells' satisfied
verdict closes the petition and makes it owed, the department records its progress, the
date passes undone, and it is on the overdue board, in the department's scorecard as not
kept on time and in the next briefing's packet; done late, it leaves the board."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import DEPARTMENT, Live

pytestmark = pytest.mark.integration


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_commitment_comes_due_undone_and_is_on_the_board_and_in_the_scorecard(
    live: Live,
) -> None:
    clerk, committee = live.client("clerk"), live.client("committee")
    department, auditor = live.client("department"), live.client("auditor")
    today = live.service.app.today()

    def day(n: int) -> str:
        return (today - timedelta(days=n)).isoformat()

    raised = {
        "kind": "proposal",
        "category": "transport",
        "summary": "Đề nghị nâng cấp đường liên thôn cam kết",
        "text": "Đường liên thôn 2-3 xuống cấp, mùa mưa lầy lội.",
        "cell": "yen-lac-thon3",
        "raised_by": "Nguyễn Văn Bình",
        "channel": "written_report",
        "raised_on": day(100),
    }
    pid = ok(clerk.post("/v1/petitions", json=raised), 201)["id"]
    assignment = {"department": DEPARTMENT, "due_on": day(70), "assigned_on": day(99)}
    ok(committee.post(f"/v1/petitions/{pid}/assignment", json=assignment))
    answer = {
        "mode": "written",
        "text": "Huyện đã bố trí vốn nâng cấp tuyến đường.",
        "document_number": "88/KTHT",
        "document_date": day(90),
        "signer": "Trưởng phòng Lê Văn An",
        "answered_on": day(90),
        "commitment": {"text": "Bê tông hóa 1,2 km", "due_on": day(10), "cost": 900_000_000},
    }
    ok(department.post(f"/v1/petitions/{pid}/answer", json=answer))
    verdict = ok(
        clerk.post(
            f"/v1/petitions/{pid}/verification",
            json={"verdict": "satisfied", "verified_on": day(60)},
        )
    )
    assert verdict["status"] == "closed"
    progress = {"percent": 70, "note": "Đã đổ xong 800 m", "on": day(20)}
    position = ok(department.post(f"/v1/petitions/{pid}/commitment/progress", json=progress))[
        "position"
    ]

    petition = ok(auditor.get(f"/v1/petitions/{pid}"))
    (commitment,) = petition["commitments"]
    assert petition["status"] == "closed"
    assert (commitment["binding_from"], commitment["percent"]) == (day(60), 70)
    assert commitment["cost"] == 900_000_000 and commitment["fulfilled_on"] is None

    board = ok(
        committee.get(
            "/v1/overdue",
            params={"kind": "commitment", "min_position": position, "limit": 1000},
        )
    )
    (row,) = [r for r in board["items"] if r["petition_id"] == pid]
    assert (row["kind"], row["department"], row["due_on"], row["days_overdue"]) == (
        "commitment",
        DEPARTMENT,
        day(10),
        10,
    )
    assert any(t["commitment"] >= 1 for t in board["totals"] if t["department"] == DEPARTMENT)

    period = {"from": day(100), "to": day(0), "min_position": position}
    cards = ok(committee.get("/v1/departments/quality", params=period))["departments"]
    (card,) = [c for c in cards if c["department"] == DEPARTMENT]
    assert card["commitments_kept"]["total"] >= 1
    assert card["commitments_kept"]["count"] < card["commitments_kept"]["total"]

    zone = ok(auditor.get(f"/v1/petitions/{pid}"))["zone"]
    packet = ok(
        clerk.get(f"/v1/briefings/{zone}/{day(-5)}/packet", params={"min_position": position})
    )
    assert pid in [c["petition_id"] for c in packet["commitments_due"]]

    # another department, the committee and the clerk may not record it done
    assert (
        committee.post(f"/v1/petitions/{pid}/commitment/fulfilment", json={"note": "x"}).status_code
        == 403
    )
    done = ok(
        department.post(
            f"/v1/petitions/{pid}/commitment/fulfilment",
            json={"note": "Đã hoàn thành toàn tuyến", "on": day(0)},
        )
    )
    board = ok(
        committee.get(
            "/v1/overdue", params={"kind": "commitment", "min_position": done["position"]}
        )
    )
    assert pid not in [r["petition_id"] for r in board["items"]]
    again = department.post(
        f"/v1/petitions/{pid}/commitment/progress", json={"percent": 10, "note": "x"}
    )
    assert again.status_code == 409, again.text
