"""The clearance of written answers over HTTP: where the organisation asks for it, an
answer waits for the office (``GET /v1/clearance``), out of the packet and not answered on
the board nor the scorecards; ``POST /v1/petitions/{id}/clearance`` accepts or returns
it. An answer returned at clearance counts as a return and does not stop the clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.test_writes import head, marker, ok, problem, raise_body

DUE = "2026-06-20"
PACKET = "/v1/briefings/khu-1/2026-07-03/packet"


def answer(number: str, on: str) -> dict[str, Any]:
    return {
        "mode": "written",
        "text": "Đã đưa vào kế hoạch nạo vét.",
        "document_number": number,
        "document_date": on,
        "signer": "Trưởng phòng Lê Văn An",
        "answered_on": on,
    }


def set_clearance(live: Live, value: str) -> None:
    """The admin's setting of the organisation (as its page sets it)."""
    service = live.service
    principal = service.tokens.authenticate(live.tokens["admin"])
    assert principal is not None
    service.reference_admin.apply(
        principal, None, "calendars", "clearance", {"clearance": value}, date(2026, 6, 30),
        service.app.dates,
    )  # fmt: skip


@pytest.fixture
def office(live: Live) -> Iterator[None]:
    set_clearance(live, "office")
    yield
    set_clearance(live, "none")


def petition_ids(rows: list[dict[str, Any]]) -> set[str]:
    return {r["petition_id"] for r in rows}


def test_a_returned_answer_counts_and_does_not_stop_the_clock(
    live: Live, clients: dict[str, httpx.Client], office: None
) -> None:
    clerk, committee, department = clients["clerk"], clients["committee"], clients["department"]
    auditor = clients["auditor"]
    pid = ok(clerk.post("/v1/petitions", json=raise_body(marker())), 201)["id"]
    assigned = {"department": DEPARTMENT, "due_on": DUE, "assigned_on": "2026-06-05"}
    ok(committee.post(f"/v1/petitions/{pid}/assignment", json=assigned))
    held = ok(department.post(f"/v1/petitions/{pid}/answer", json=answer("7/KTHT", "2026-06-10")))
    assert held["status"] == "assigned"  # not answered until cleared
    at = {"min_position": held["position"]}
    waiting = ok(clerk.get("/v1/clearance", params=at))
    assert pid in petition_ids(waiting)
    assert pid not in petition_ids(ok(committee.get("/v1/clearance", params=at)))
    packet = ok(clerk.get(PACKET, params=at))
    assert pid not in petition_ids(packet["awaiting_verification"])
    state = ok(clerk.get(f"/v1/petitions/{pid}"))
    assert (state["held_by"], state["held_answer"]["document_number"]) == ("office", "7/KTHT")

    # the committee is not the clearer the setting names; a return says why
    before = head(live)
    problem(committee.post(f"/v1/petitions/{pid}/clearance", json={"decision": "accept"}), 403)
    no_note = {"decision": "return", "reason": "generic", "on": "2026-06-11"}
    problem(clerk.post(f"/v1/petitions/{pid}/clearance", json=no_note), 422, "invalid_command")
    assert head(live) == before
    returned = {**no_note, "note": "Chưa nêu thời gian nạo vét"}
    ok(clerk.post(f"/v1/petitions/{pid}/clearance", json=returned))
    state = ok(clerk.get(f"/v1/petitions/{pid}"))
    assert (state["status"], state["due_on"], state["held_by"]) == ("assigned", DUE, None)
    assert [(r["reason"], r["note"]) for r in state["returns"]] == [
        ("generic", "Chưa nêu thời gian nạo vét")
    ]
    again = problem(clerk.post(f"/v1/petitions/{pid}/clearance", json={"decision": "accept"}), 409)
    assert again["code"] == "illegal_transition"

    # answered again after the due date, then cleared: late on the board and the scorecard
    ok(department.post(f"/v1/petitions/{pid}/answer", json=answer("9/KTHT", "2026-06-25")))
    cleared = ok(
        clerk.post(
            f"/v1/petitions/{pid}/clearance", json={"decision": "accept", "on": "2026-06-26"}
        )
    )
    assert cleared["status"] == "answered"
    at = {"min_position": cleared["position"]}
    board = ok(auditor.get("/v1/overdue", params={"on": "2026-06-24", **at}))
    assert (pid, "answer") in {(r["petition_id"], r["kind"]) for r in board["items"]}
    later = ok(auditor.get("/v1/overdue", params={"on": "2026-06-27", **at}))
    assert pid not in petition_ids(later["items"])
    quality = ok(
        auditor.get(
            "/v1/departments/quality", params={"from": "2026-06-01", "to": "2026-06-30", **at}
        )
    )
    card = next(c for c in quality["departments"] if c["department"] == DEPARTMENT)
    assert card["returns"] == 1
    assert card["answered"] == 1 and card["on_time"]["count"] == 0
    packet = ok(clerk.get(PACKET, params=at))
    (entry,) = [p for p in packet["awaiting_verification"] if p["petition_id"] == pid]
    assert [a["document_number"] for a in entry["answers_given"]] == ["9/KTHT"]
    assert pid not in petition_ids(ok(clerk.get("/v1/clearance", params=at)))
    events = [e["type"] for e in ok(auditor.get(f"/v1/petitions/{pid}/events"))]
    assert events[2:] == [
        "AnsweredInWriting",
        "AnswerHeld",
        "AnswerReturned",
        "AnsweredInWriting",
        "AnswerHeld",
        "AnswerCleared",
    ]


def test_without_the_setting_an_answer_counts_at_once(clients: dict[str, httpx.Client]) -> None:
    clerk, committee = clients["clerk"], clients["committee"]
    pid = ok(clerk.post("/v1/petitions", json=raise_body(marker())), 201)["id"]
    assigned = {"department": DEPARTMENT, "due_on": DUE, "assigned_on": "2026-06-05"}
    ok(committee.post(f"/v1/petitions/{pid}/assignment", json=assigned))
    accept = {"decision": "accept"}
    nothing = problem(clerk.post(f"/v1/petitions/{pid}/clearance", json=accept), 409)
    assert nothing["detail"] == "Ý kiến này không có văn bản trả lời nào đang chờ thẩm định."
    done = ok(
        clients["department"].post(
            f"/v1/petitions/{pid}/answer", json=answer("8/KTHT", "2026-06-10")
        )
    )
    assert done["status"] == "answered"
    answered = problem(clerk.post(f"/v1/petitions/{pid}/clearance", json=accept), 409)
    assert answered["code"] == "illegal_transition"
