"""A cell's secretary over HTTP: it reads the petitions its own cell raised, and any other
petition (another cell's, one that does not exist) answers 404 alike; its list holds its
cell's alone; every command is 403 and records nothing; it fetches its organisation's
signed answer register, and no other organisation's; the admin creates its account on
the accounts page, naming its cell."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import CELL, DEPARTMENT, OTHER_CELL, Live
from tests.e2e.web.test_web_accounts import create, one_time_password, signed_in

RAISE = {
    "kind": "proposal",
    "category": "transport",
    "summary": "Đề nghị sửa cầu tràn",
    "text": "Cầu tràn sạt lở sau lũ, xe máy không qua được.",
    "raised_by": "Bí thư chi bộ",
    "channel": "written_report",
    "raised_on": "2026-06-03",
}
WRITTEN = {
    "mode": "written",
    "text": "Đã khảo sát, sẽ sửa trong tháng 7.",
    "document_number": "77/KTHT",
    "document_date": "2026-06-20",
    "signer": "Trưởng phòng Lê Văn An",
    "answered_on": "2026-06-22",
}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture(scope="module")
def clients(live: Live) -> Iterator[dict[str, httpx.Client]]:
    made = {who: live.client(who) for who in ("clerk", "committee", "department", "secretary")}
    yield made
    for client in made.values():
        client.close()


def raised(clients: dict[str, httpx.Client], cell: str, tag: str) -> str:
    body = {**RAISE, "cell": cell, "summary": f"{RAISE['summary']} {tag}"}
    return str(ok(clients["clerk"].post("/v1/petitions", json=body), 201)["id"])


def answered(clients: dict[str, httpx.Client], pid: str) -> int:
    assign = {"department": DEPARTMENT, "assigned_on": "2026-06-05"}
    ok(clients["committee"].post(f"/v1/petitions/{pid}/assignment", json=assign))
    return int(
        ok(clients["department"].post(f"/v1/petitions/{pid}/answer", json=WRITTEN))["position"]
    )


def every_page(client: httpx.Client, params: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    asked = {**params, "limit": 200}
    while True:
        page = ok(client.get("/v1/petitions", params=asked))
        items += page["items"]
        if not page["next_cursor"]:
            return items
        asked = {**params, "limit": 200, "cursor": page["next_cursor"]}


def test_a_secretary_sees_only_the_cells_own_petitions(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    secretary = clients["secretary"]
    tag = uuid.uuid4().hex[:8]
    ours, theirs = (
        raised(clients, CELL, f"ours {tag}"),
        raised(clients, OTHER_CELL, f"theirs {tag}"),
    )
    position = answered(clients, ours)
    answered(clients, theirs)

    state = ok(secretary.get(f"/v1/petitions/{ours}"))
    assert (state["cell"], state["status"]) == (CELL, "answered")
    answer = state["answers"][0]
    assert (answer["document_number"], answer["signer"]) == ("77/KTHT", WRITTEN["signer"])
    assert state["due_on"] and answer["verify_by"]

    nothing = secretary.get(f"/v1/petitions/{uuid.uuid4()}")
    for path, params in (
        (f"/v1/petitions/{theirs}", {}),
        (f"/v1/petitions/{theirs}", {"as_of": "2030-01-01T00:00:00+07:00"}),
    ):
        hidden = secretary.get(path, params=params)
        assert hidden.status_code == 404, hidden.text
        assert hidden.json()["code"] == nothing.json()["code"] == "petition_not_found"
        assert hidden.json()["title"] == nothing.json()["title"]
        assert tag not in hidden.text and OTHER_CELL not in hidden.text

    listed = every_page(secretary, {"min_position": position, "q": tag})
    assert [r["petition_id"] for r in listed] == [ours]
    assert {r["cell"] for r in every_page(secretary, {})} == {CELL}
    other = secretary.get("/v1/petitions", params={"cell": OTHER_CELL})
    assert other.status_code == 422, other.text
    assert [e["field"] for e in other.json()["errors"]] == ["cell"]
    assert ok(secretary.get("/v1/petitions", params={"cell": CELL, "q": tag}))["items"]
    # the committee sees both
    seen = every_page(clients["committee"], {"q": tag})
    assert {r["petition_id"] for r in seen} == {ours, theirs}


def test_a_secretary_does_nothing_to_a_petition(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    secretary = clients["secretary"]
    pid = raised(clients, CELL, uuid.uuid4().hex[:8])
    head = live.service.app.recorder.max_notification_id()
    reason = {"reason": "Chi bộ rút ý kiến", "on": "2026-06-10"}
    for action, body in (
        ("withdrawal", reason),
        ("closure", reason),
        ("notes", {"text": "Ghi chú"}),
        ("answer", {**WRITTEN, "mode": "written"}),
        ("cosign", {"cell": OTHER_CELL, "raised_by": "Ai đó", "channel": "written_report"}),
    ):
        refused = secretary.post(f"/v1/petitions/{pid}/{action}", json=body)
        assert refused.status_code == 403, f"{action}: {refused.text}"
    assert secretary.post("/v1/petitions", json={**RAISE, "cell": CELL}).status_code == 403
    assert secretary.get(f"/v1/petitions/{pid}/events").status_code == 403
    assert secretary.get("/v1/overdue").status_code == 403
    # the metrics count every organisation's petitions: not a secretary's, a clerk's
    assert secretary.get("/metrics").status_code == 403
    assert clients["clerk"].get("/metrics").status_code == 200
    assert live.service.app.recorder.max_notification_id() == head


def test_a_secretary_fetches_its_organisations_signed_register(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    secretary = clients["secretary"]
    pid = raised(clients, CELL, uuid.uuid4().hex[:8])
    answered(clients, pid)
    response = secretary.get("/v1/registers/answers", params={"month": "2026-06"})
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["signature"]["algorithm"] == "Ed25519"
    rows = {r["petition_id"]: r for r in document["register"]["rows"]}
    assert rows[pid]["document_number"] == "77/KTHT" and rows[pid]["cell"] == CELL
    province = live.service.app.province.code
    refused = secretary.get("/v1/registers/answers", params={"organisation": province})
    assert refused.status_code == 422, refused.text
    assert clients["department"].get("/v1/registers/answers").status_code == 403


def test_the_admin_creates_a_secretarys_account_on_its_page(live: Live) -> None:
    admin, csrf = signed_in(live, "admin")
    form = admin.get("/admin/accounts").text
    assert 'name="cell"' in form and f'value="{CELL}"' in form
    fields = {"username": f"bi.thu.{uuid.uuid4().hex[:6]}", "full_name": "Lò Thị Bí"}
    refused = create(admin, csrf, **fields, role="secretary")
    assert refused.status_code == 422 and "Bí thư chi bộ cần chọn chi bộ" in refused.text
    made = create(admin, csrf, **fields, role="secretary", cell=CELL, position="Bí thư Chi bộ")
    assert made.status_code == 200, made.text[:1000]
    one_time_password(made.text)
    row = live.service.accounts.by_username(fields["username"])
    assert row is not None and (row["role"], row["department"]) == ("secretary", CELL)
    assert "Chi bộ Thôn 3" in admin.get(f"/admin/accounts/{row['user_id']}").text
