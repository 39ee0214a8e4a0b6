"""One petition's whole life through HTTP, each step by the role that does it in a district."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import DEPARTMENT, Live

RAISE = {
    "kind": "proposal",
    "category": "transport",
    "summary": "Đề nghị sửa chữa cầu tràn thôn 5 bị sạt lở",
    "text": "Cầu tràn thôn 5 sạt lở sau lũ, học sinh phải đi vòng 3 km.",
    "cell": "yen-lac-thon5",
    "raised_by": "Trần Thị Lan",
    "channel": "meeting",
    "meeting": "giao-ban-khu-1-2026-06-03",
    "raised_on": "2026-06-03",
}


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


def test_full_lifecycle_by_role(live: Live) -> None:
    clerk, committee = live.client("clerk"), live.client("committee")
    department, auditor = live.client("department"), live.client("auditor")

    # At the June briefing of zone 1 the clerk records the petition.
    raised = ok(clerk.post("/v1/petitions", json=RAISE, headers={"Idempotency-Key": "jun-1"}), 201)
    pid = raised["id"]
    assert (raised["version"], raised["status"]) == (1, "raised")

    # The standing committee assigns it; the zone's next briefing (3 July) is the due date.
    assigned = ok(
        committee.post(
            f"/v1/petitions/{pid}/assignment",
            json={"department": DEPARTMENT, "assigned_on": "2026-06-05"},
            headers={"If-Match": '"1"'},
        )
    )
    assert assigned["status"] == "assigned"
    state = ok(department.get(f"/v1/petitions/{pid}"))
    assert (state["department"], state["due_on"]) == (DEPARTMENT, "2026-07-03")

    # The department sees it in its inbox and answers in writing.
    inbox = ok(department.get("/v1/inbox", params={"min_position": assigned["position"]}))
    assert pid in [row["petition_id"] for row in inbox["items"]]
    answered = ok(
        department.post(
            f"/v1/petitions/{pid}/answer",
            json={
                "mode": "written",
                "text": "Sẽ khảo sát và lập dự toán.",
                "document_number": "88/KTHT",
                "document_date": "2026-06-25",
                "signer": "Trưởng phòng Lê Văn An",
                "answered_on": "2026-06-26",
            },
            headers={"If-Match": f'"{assigned["version"]}"'},
        )
    )
    assert answered["status"] == "answered"

    # At the July briefing the cells find the answer generic: the clerk records it; reopened.
    reopened = ok(
        clerk.post(
            f"/v1/petitions/{pid}/verification",
            json={
                "verdict": "unsatisfied",
                "flags": ["generic"],
                "meeting": "giao-ban-khu-1-2026-07-03",
                "verified_on": "2026-07-03",
                "comment": "Chưa nêu thời gian thi công.",
            },
        )
    )
    assert reopened["status"] == "assigned"
    state = ok(committee.get(f"/v1/petitions/{pid}"))
    assert (state["due_on"], state["reopen_count"]) == ("2026-08-03", 1)

    # The department answers again; in August the cells are satisfied.
    ok(
        department.post(
            f"/v1/petitions/{pid}/answer",
            json={
                "mode": "written",
                "text": "Đã bố trí 350 triệu đồng, thi công xong trước 30/8.",
                "document_number": "102/KTHT",
                "document_date": "2026-07-20",
                "signer": "Trưởng phòng",
                "answered_on": "2026-07-21",
            },
        )
    )
    closed = ok(
        clerk.post(
            f"/v1/petitions/{pid}/verification",
            json={
                "verdict": "satisfied",
                "meeting": "giao-ban-khu-1-2026-08-03",
                "verified_on": "2026-08-03",
            },
        )
    )
    assert closed["status"] == "closed"

    # Every role's view agrees once the read models reach the last write.
    listed = ok(
        committee.get(
            "/v1/petitions", params={"q": "cau tran thon 5", "min_position": closed["position"]}
        )
    )
    assert [(r["petition_id"], r["status"], r["reopen_count"]) for r in listed["items"]] == [
        (pid, "closed", 1)
    ]
    quality = ok(
        auditor.get(
            "/v1/departments/quality",
            params={"from": "2026-06-01", "to": "2026-08-31", "min_position": closed["position"]},
        )
    )
    card = next(c for c in quality["departments"] if c["department"] == DEPARTMENT)
    assert (card["answered"], card["verified"], card["reopen_rate"]["count"]) == (2, 2, 1)
    assert card["on_time"]["count"] == 2
    board = ok(auditor.get("/v1/overdue", params={"on": "2026-07-10"}))
    assert pid not in [r["petition_id"] for r in board["items"]]  # answered, then reopened
    history = ok(auditor.get(f"/v1/petitions/{pid}/events"))
    assert [e["type"] for e in history] == [
        "Raised",
        "Assigned",
        "AnsweredInWriting",
        "Verified",
        "Reopened",
        "AnsweredInWriting",
        "Verified",
    ]
    assert {e["actor"]["role"] for e in history} == {"clerk", "committee", "department"}
    assert all(e["request_id"] for e in history)  # each event names the request that caused it
    packet = ok(clerk.get("/v1/briefings/khu-1/2026-07-03/packet"))
    assert pid in [p["petition_id"] for p in packet["raised_at_previous"]]
    answers = next(p for p in packet["raised_at_previous"] if p["petition_id"] == pid)[
        "answers_given"
    ]
    assert [a["document_number"] for a in answers] == ["88/KTHT", "102/KTHT"]


def test_request_id_travels_from_the_request_into_the_event(live: Live) -> None:
    clerk = live.client("clerk", **{"X-Request-ID": "briefing-2026-06-03-row-4"})
    response = clerk.post("/v1/petitions", json={**RAISE, "summary": "Đèn đường hỏng"})
    assert response.headers["X-Request-ID"] == "briefing-2026-06-03-row-4"
    history = live.client("auditor").get(f"/v1/petitions/{response.json()['id']}/events").json()
    assert history[0]["request_id"] == "briefing-2026-06-03-row-4"


def test_state_as_of_a_past_moment_and_etags(live: Live) -> None:
    clerk, committee = live.client("clerk"), live.client("committee")
    pid = ok(clerk.post("/v1/petitions", json={**RAISE, "summary": "Kênh mương bồi lắng"}), 201)[
        "id"
    ]
    first = committee.get(f"/v1/petitions/{pid}")
    assert first.headers["ETag"] == '"1"'
    assert (
        committee.get(f"/v1/petitions/{pid}", headers={"If-None-Match": '"1"'}).status_code == 304
    )
    moment = first.json()["modified_on"]
    ok(committee.post(f"/v1/petitions/{pid}/escalation", json={"reason": "Bức xúc"}))
    then = ok(committee.get(f"/v1/petitions/{pid}", params={"as_of": moment}))
    assert (then["version"], then["escalations"]) == (1, 0)
    assert ok(committee.get(f"/v1/petitions/{pid}"))["escalations"] == 1


def test_problems_speak_vietnamese_unless_english_is_asked(live: Live) -> None:
    clerk = live.client("clerk")
    bad = {**RAISE, "cell": "no-such-cell"}
    vi = clerk.post("/v1/petitions", json=bad)
    en = clerk.post("/v1/petitions", json=bad, headers={"Accept-Language": "en-GB,en;q=0.9"})
    for response in (vi, en):
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == "cell"
    assert vi.json()["title"] == "Dữ liệu không hợp lệ"
    assert en.json()["title"] == "Invalid data"
    assert vi.json()["detail"] == "«Chi bộ»: không có mã «no-such-cell»."
    assert vi.json()["errors"][0]["message"] == vi.json()["detail"]
    assert en.json()["detail"] == "Party cell: unknown code no-such-cell"
    # pydantic's refusals too: each field by its label, in the client's language
    malformed = {**RAISE, "summary": "", "raised_on": "03/03/2026", "colour": "red"}
    vi = clerk.post("/v1/petitions", json=malformed).json()
    en = clerk.post("/v1/petitions", json=malformed, headers={"Accept-Language": "en"}).json()
    assert {e["field"] for e in vi["errors"]} == {"summary", "raised_on", "colour"}
    assert {e["message"] for e in vi["errors"]} == {
        "«Tóm tắt»: cần nhập.",
        "«Ngày nêu»: không phải một ngày hợp lệ (năm-tháng-ngày, ví dụ 2026-12-31).",
        "«colour»: yêu cầu này không có trường này.",
    }
    assert "Raised on: not a valid date (YYYY-MM-DD)" in en["detail"]
    assert "summary" not in vi["detail"] and "raised_on" not in vi["detail"]
    pid = ok(clerk.post("/v1/petitions", json=RAISE), 201)["id"]
    refused = clerk.post(f"/v1/petitions/{pid}/verification", json={"verdict": "satisfied"})
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "Không thể ghi nhận kết quả xác minh ý kiến đang ở trạng thái «Mới tiếp nhận»."
    )


def test_the_api_docs_load_nothing_from_the_internet(live: Live) -> None:
    anyone = live.client()
    for page in ("/docs", "/redoc"):
        html = anyone.get(page).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets, page
        for asset in assets:
            assert asset.startswith("/"), f"{page} loads {asset}"
            assert anyone.get(asset).status_code == 200


def test_health_readiness_and_metrics(live: Live) -> None:
    anyone = live.client()
    assert ok(anyone.get("/healthz")) == {"status": "ok"}
    ready = anyone.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    refused = anyone.get("/metrics")  # it counts petitions per department: not for anyone
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
    scraped = live.client("department").get("/metrics")
    assert scraped.status_code == 200
    metrics = scraped.text
    assert 'petitions_view_position{view="overdue"}' in metrics
    assert "petitions_http_requests_total" in metrics
