"""The answer's clock through HTTP: a paused clock is not counted late, and its due date
explains itself. The committee pauses an overdue answer's clock: it leaves the overdue
board for the board's paused list, the scorecards' open overdue and the policy's reminders
and escalations; resuming moves the due date by the working days paused, and the petition
says in one sentence how each of its due dates was computed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from domain.actors import Actor, Role
from domain.policy import PolicyRules
from tests.e2e.conftest import DEPARTMENT, Live
from usecases.commands import Context, PetitionDraft

pytestmark = pytest.mark.integration

CLERK = Context(Actor("e2e-clerk", Role.CLERK))
POLICY = Context(Actor("policy-worker", Role.SYSTEM))


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def raised(live: Live, on: date, summary: str) -> str:
    app = live.service.app
    draft = PetitionDraft(
        kind="reflection",
        category="transport",
        summary=summary,
        text="Đường liên thôn xuống cấp, ổ gà sâu.",
        cell=sorted(app.district.cells)[0],
        raised_by="Bí thư chi bộ",
        channel="meeting",
        meeting="Giao ban",
        raised_on=on,
    )
    return str(app.raise_petition(draft, CLERK).id)


def board(client: httpx.Client, position: int) -> dict[str, Any]:
    found: dict[str, Any] = ok(
        client.get("/v1/overdue", params={"min_position": position, "limit": 1000})
    )
    return found


def open_overdue(client: httpx.Client, start: date, end: date, position: int) -> int:
    cards = ok(
        client.get(
            "/v1/departments/quality",
            params={"from": start.isoformat(), "to": end.isoformat(), "min_position": position},
        )
    )
    return sum(c["open_overdue"] for c in cards["departments"] if c["department"] == DEPARTMENT)


def test_a_paused_clock_is_not_counted_late_and_its_due_date_explains_itself(
    live: Live,
) -> None:
    app, today = live.service.app, live.service.app.today()
    committee = live.client("committee")
    pid = raised(live, today - timedelta(days=95), "Đường liên thôn xuống cấp")
    assigned_on = today - timedelta(days=90)
    ok(
        committee.post(
            f"/v1/petitions/{pid}/assignment",
            json={"department": DEPARTMENT, "assigned_on": assigned_on.isoformat()},
        )
    )
    state = ok(committee.get(f"/v1/petitions/{pid}"))
    due = date.fromisoformat(state["due_on"])
    assert due < today - timedelta(days=10), "the calendar's due date has passed"
    basis = state["due_basis"]
    assert basis["kind"] in ("briefing", "cell_meeting", "period")
    assert basis["from"] == assigned_on.isoformat()
    said = state["due_explanation"]
    assert said["vi"].startswith(f"Hạn {due:%d/%m/%Y}: ") and said["vi"].endswith(".")
    assert said["en"].startswith(f"Due {due:%d/%m/%Y}: ")
    if basis["kind"] != "period":
        assert "bỏ qua thứ Bảy, Chủ nhật" in said["vi"]
        assert f"sau ngày giao {assigned_on:%d/%m/%Y}" in said["vi"]
    assert state["clock_paused"] is None

    written = ok(committee.get(f"/v1/petitions/{pid}"))  # the write's position: below
    position = app.recorder.max_notification_id() or 0
    late = board(committee, position)
    assert pid in {i["petition_id"] for i in late["items"]}
    assert late["paused"] == []
    start = today - timedelta(days=120)
    assert open_overdue(committee, start, today, position) == 1

    paused_on = today - timedelta(days=10)
    result = ok(
        committee.post(
            f"/v1/petitions/{pid}/clock/pause",
            json={
                "reason": "other_agency",
                "note": "Chờ Sở Giao thông khảo sát",
                "paused_on": paused_on.isoformat(),
            },
            headers={"If-Match": f'"{written["version"]}"'},
        )
    )
    position = result["position"]
    state = ok(committee.get(f"/v1/petitions/{pid}"))
    assert state["clock_paused"] == {
        "reason": "other_agency",
        "note": "Chờ Sở Giao thông khảo sát",
        "since": paused_on.isoformat(),
        "due_on": due.isoformat(),
    }
    assert state["due_on"] == due.isoformat() and state["status"] == "assigned"
    now = board(committee, position)
    assert pid not in {i["petition_id"] for i in now["items"]}, "paused: not late"
    (row,) = [p for p in now["paused"] if p["petition_id"] == pid]
    assert (row["reason"], row["days_paused"], row["due_on"]) == ("other_agency", 10, str(due))
    assert row["department"] == DEPARTMENT and row["number"]
    # as of a day before the pause it was late then, and not paused
    before = ok(
        committee.get(
            "/v1/overdue", params={"on": (paused_on - timedelta(days=1)).isoformat(), "limit": 1000}
        )
    )
    assert pid in {i["petition_id"] for i in before["items"]} and before["paused"] == []
    assert open_overdue(committee, start, today, position) == 0
    # the department sees its paused answer too; nothing reminds or escalates it
    department = ok(live.client("department").get("/v1/overdue", params={"limit": 1000}))
    assert pid in {p["petition_id"] for p in department["paused"]}
    assert app.apply_policy(app.load(pid).id, POLICY, PolicyRules(), on=today) == ([], None)
    again = committee.post(f"/v1/petitions/{pid}/clock/pause", json={"reason": "site_visit"})
    assert again.status_code == 409, again.text
    extend = committee.post(
        f"/v1/petitions/{pid}/deadline",
        json={"due_on": (today + timedelta(days=30)).isoformat(), "reason": "Chờ kinh phí"},
    )
    assert (extend.status_code, extend.json()["code"]) == (409, "illegal_transition"), extend.text

    resumed = ok(committee.post(f"/v1/petitions/{pid}/clock/resume"))
    state = ok(committee.get(f"/v1/petitions/{pid}"))
    moved = date.fromisoformat(state["due_on"])
    basis = state["due_basis"]
    assert basis["kind"] == "resumed" and state["clock_paused"] is None
    assert basis["previous_due_on"] == due.isoformat()
    assert (basis["paused_on"], basis["resumed_on"]) == (paused_on.isoformat(), today.isoformat())
    assert 6 <= basis["paused_working_days"] <= 8  # ten days, less weekends and holidays
    assert moved > due and (moved - due).days >= basis["paused_working_days"]
    assert state["due_explanation"]["vi"].startswith(
        f"Hạn {moved:%d/%m/%Y}: hạn {due:%d/%m/%Y} lùi thêm {basis['paused_working_days']}"
        f" ngày làm việc tạm dừng tính hạn từ {paused_on:%d/%m/%Y} đến {today:%d/%m/%Y}"
        " (lý do: chờ ý kiến cơ quan khác — Chờ Sở Giao thông khảo sát)"
    )
    after = board(committee, resumed["position"])
    assert pid not in {p["petition_id"] for p in after["paused"]}
    on_board = {i["petition_id"]: i for i in after["items"]}
    assert (pid in on_board) is (moved < today)
    if pid in on_board:
        assert on_board[pid]["due_on"] == moved.isoformat()
    kinds = [e["type"] for e in ok(committee.get(f"/v1/petitions/{pid}/events"))]
    assert kinds[-2:] == ["ClockPaused", "ClockResumed"]


def test_a_date_given_by_hand_and_an_extension_say_so(live: Live) -> None:
    committee = live.client("committee")
    today = live.service.app.today()
    pid = raised(live, today - timedelta(days=5), "Chiếu sáng ngõ xóm")
    ok(
        committee.post(
            f"/v1/petitions/{pid}/assignment",
            json={
                "department": DEPARTMENT,
                "due_on": (today + timedelta(days=20)).isoformat(),
                "assigned_on": (today - timedelta(days=4)).isoformat(),
            },
        )
    )
    state = ok(committee.get(f"/v1/petitions/{pid}"))
    assert state["due_basis"] == {
        "kind": "given",
        "set_on": (today - timedelta(days=4)).isoformat(),
    }
    assert "do Ban Thường vụ ấn định" in state["due_explanation"]["vi"]
    assert "set by hand by the committee" in state["due_explanation"]["en"]
    new_due = today + timedelta(days=40)
    ok(
        committee.post(
            f"/v1/petitions/{pid}/deadline",
            json={"due_on": new_due.isoformat(), "reason": "Chờ bố trí kinh phí"},
        )
    )
    state = ok(committee.get(f"/v1/petitions/{pid}"))
    assert state["due_basis"]["kind"] == "extended"
    assert state["due_explanation"]["vi"] == (
        f"Hạn {new_due:%d/%m/%Y}: Ban Thường vụ gia hạn ngày {today:%d/%m/%Y} từ hạn"
        f" {today + timedelta(days=20):%d/%m/%Y}, lý do: Chờ bố trí kinh phí."
    )
    department = live.client("department")
    refused = department.post(f"/v1/petitions/{pid}/clock/pause", json={"reason": "site_visit"})
    assert refused.status_code == 403, refused.text
    unknown = committee.post(f"/v1/petitions/{pid}/clock/pause", json={"reason": "holiday"})
    assert unknown.status_code == 422, unknown.text
