"""Lead and coordinating departments over HTTP: a petition with a lead and two coordinating
departments, one of them late, is scored against that department (on the overdue board, in
its inbox, late on its scorecard), not against the other; the lead's written answer is
refused until every contribution is in or waived, and a refusal records nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from domain.actors import Role
from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live
from tests.e2e.test_writes import head, marker, ok, problem, raise_body

FARMING = "nong-nghiep"


@pytest.fixture(scope="module")
def farming(live: Live) -> httpx.Client:
    """A client of the agriculture office, the second coordinating department."""
    secret = live.service.tokens.create(role=Role.DEPARTMENT, department=FARMING, name="e2e nn")[1]
    return httpx.Client(
        base_url=live.url, headers={"Authorization": f"Bearer {secret}"}, timeout=30
    )


def day(live: Live, offset: int) -> str:
    return (live.service.app.today() + timedelta(days=offset)).isoformat()


def letter(live: Live, on: int, **changes: Any) -> dict[str, Any]:
    return {
        "text": "Phòng đã kiểm tra hiện trường, đề nghị bố trí kinh phí.",
        "document_number": "9/CV",
        "document_date": day(live, on),
        "signer": "Trưởng phòng",
        "contributed_on": day(live, on),
        **changes,
    }


def coordinated(
    live: Live, clients: dict[str, httpx.Client], *coordinating: tuple[str, int]
) -> str:
    """Raised 40 days ago, assigned 30 days ago to DEPARTMENT (due in 10 days) with the
    coordinating departments given (each due ``offset`` days from today)."""
    body = raise_body(marker(), raised_on=day(live, -40))
    pid = ok(clients["clerk"].post("/v1/petitions", json=body), 201)["id"]
    assignment = {
        "department": DEPARTMENT,
        "due_on": day(live, 10),
        "assigned_on": day(live, -30),
        "coordinating": [{"department": d, "due_on": day(live, o)} for d, o in coordinating],
    }
    ok(clients["committee"].post(f"/v1/petitions/{pid}/assignment", json=assignment))
    return str(pid)


def answer(live: Live, clients: dict[str, httpx.Client], pid: str) -> httpx.Response:
    body = {
        "mode": "written",
        "text": "Đã sửa xong đoạn cống.",
        "document_number": "45/KTHT",
        "document_date": day(live, 0),
        "signer": "Trưởng phòng",
        "answered_on": day(live, 0),
    }
    return clients["department"].post(f"/v1/petitions/{pid}/answer", json=body)


def card(live: Live, clients: dict[str, httpx.Client], department: str) -> dict[str, Any]:
    params = {"from": day(live, -60), "to": day(live, 0), "min_position": head(live)}
    cards = ok(clients["committee"].get("/v1/departments/quality", params=params))["departments"]
    (found,) = [c for c in cards if c["department"] == department]
    return found["contributions"]  # type: ignore[no-any-return]


def board(live: Live, client: httpx.Client, pid: str) -> list[tuple[str, str | None]]:
    params = {"on": day(live, 0), "min_position": head(live), "limit": 1000}
    items = ok(client.get("/v1/overdue", params=params))["items"]
    return sorted((i["kind"], i["department"]) for i in items if i["petition_id"] == pid)


def test_a_late_coordinating_department_is_scored_against_itself_alone(
    live: Live, clients: dict[str, httpx.Client], farming: httpx.Client
) -> None:
    police = clients["other_department"]
    pid = coordinated(live, clients, (OTHER_DEPARTMENT, -10), (FARMING, -5))
    read = ok(police.get(f"/v1/petitions/{pid}"))  # a coordinating department sees it
    assert read["department"] == DEPARTMENT
    assert [(c["department"], c["due_on"]) for c in read["coordinators"]] == [
        (OTHER_DEPARTMENT, day(live, -10)),
        (FARMING, day(live, -5)),
    ]
    ok(farming.post(f"/v1/petitions/{pid}/contributions", json=letter(live, -8)))  # on time
    # the late one is on the board, under its own department; the other is not
    assert board(live, clients["committee"], pid) == [("contribution", OTHER_DEPARTMENT)]
    assert board(live, police, pid) == [("contribution", OTHER_DEPARTMENT)]
    assert board(live, farming, pid) == []
    owed = ok(police.get("/v1/inbox/contributions", params={"min_position": head(live)}))
    assert [(i["petition_id"], i["contribution_due_on"]) for i in owed["items"]] == [
        (pid, day(live, -10))
    ]
    assert ok(farming.get("/v1/inbox/contributions"))["items"] == []
    exported = police.get("/v1/exports/overdue", params={"format": "csv", "on": day(live, 0)})
    assert exported.status_code == 200, exported.text
    assert "Chưa gửi ý kiến phối hợp" in exported.content.decode("utf-8-sig")
    assert card(live, clients, OTHER_DEPARTMENT) == {
        "sent": 0, "on_time": 0, "late": 0, "open_overdue": 1,
    }  # fmt: skip
    assert card(live, clients, FARMING) == {
        "sent": 1, "on_time": 1, "late": 0, "open_overdue": 0,
    }  # fmt: skip
    # the lead's answer waits for the late part, in Vietnamese, and records nothing
    before = head(live)
    refused = problem(answer(live, clients, pid), 409, "illegal_transition")
    assert refused["detail"] == (
        f"Chưa thể ghi nhận văn bản trả lời: còn thiếu ý kiến phối hợp của {OTHER_DEPARTMENT}."
        " Các đơn vị này gửi ý kiến, hoặc Ban Thường vụ miễn phần còn thiếu."
    ), refused
    english = clients["department"].post(
        f"/v1/petitions/{pid}/answer",
        json={"mode": "written", "text": "x", "document_number": "1", "signer": "TP",
              "document_date": day(live, 0), "answered_on": day(live, 0)},
        headers={"Accept-Language": "en"},
    )  # fmt: skip
    assert "waits for the contributions of" in problem(english, 409)["detail"]
    again = problem(farming.post(f"/v1/petitions/{pid}/contributions", json=letter(live, -1)), 422)
    assert again["detail"] == "«Đơn vị»: đơn vị đã gửi ý kiến phối hợp rồi.", again
    problem(
        clients["department"].post(f"/v1/petitions/{pid}/contributions", json=letter(live, -1)), 403
    )
    assert head(live) == before
    # sent late: off the board, late on its scorecard; then the lead answers
    ok(police.post(f"/v1/petitions/{pid}/contributions", json=letter(live, 0)))
    assert board(live, clients["committee"], pid) == []
    assert card(live, clients, OTHER_DEPARTMENT) == {
        "sent": 1, "on_time": 0, "late": 1, "open_overdue": 0,
    }  # fmt: skip
    assert card(live, clients, FARMING)["late"] == 0
    assert ok(answer(live, clients, pid))["status"] == "answered"
    types = [e["type"] for e in ok(clients["committee"].get(f"/v1/petitions/{pid}/events"))]
    assert types[1:3] == ["Assigned", "CoordinatorsNamed"]
    assert types.count("ContributionSent") == 2 and types[-1] == "AnsweredInWriting"


def test_the_committee_waives_a_missing_contribution(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    committee = clients["committee"]
    pid = coordinated(live, clients, (OTHER_DEPARTMENT, -10))
    problem(answer(live, clients, pid), 409, "illegal_transition")
    waiver = {
        "departments": [OTHER_DEPARTMENT],
        "reason": "Đã có đủ thông tin",
        "waived_on": day(live, 0),
    }
    before = head(live)
    problem(
        clients["department"].post(f"/v1/petitions/{pid}/contributions/waiver", json=waiver), 403
    )
    wrong = {**waiver, "departments": [DEPARTMENT]}
    problem(committee.post(f"/v1/petitions/{pid}/contributions/waiver", json=wrong), 422)
    assert head(live) == before
    ok(committee.post(f"/v1/petitions/{pid}/contributions/waiver", json=waiver))
    read = ok(committee.get(f"/v1/petitions/{pid}"))
    assert read["coordinators"][0]["waived"] == "Đã có đủ thông tin"
    assert board(live, committee, pid) == []
    assert ok(answer(live, clients, pid))["status"] == "answered"


def test_an_assignment_s_coordinators_are_checked(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    pid = ok(clients["clerk"].post("/v1/petitions", json=raise_body(marker())), 201)["id"]
    before = head(live)
    for coordinating, field in (
        ([{"department": DEPARTMENT, "due_on": day(live, 5)}], "coordinating"),
        ([{"department": "khong-co", "due_on": day(live, 5)}], "coordinating"),
        ([{"department": FARMING, "due_on": day(live, 30)}], "coordinating"),
    ):
        body = {"department": DEPARTMENT, "due_on": day(live, 10), "coordinating": coordinating}
        refused = problem(
            clients["committee"].post(f"/v1/petitions/{pid}/assignment", json=body), 422
        )
        assert refused["errors"][0]["field"] == field, refused
    assert head(live) == before
    assert ok(clients["clerk"].get(f"/v1/petitions/{pid}"))["status"] == "raised"
