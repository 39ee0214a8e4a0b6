"""The admin's page of API tokens over HTTP: it lists its organisation's tokens, issues
one for a named client (the secret shown once, then working on the API, its events named
after the client), revokes one (the API refuses it from then on), and records both in a
history the auditor reads; a wrong form changes nothing and names each field's fault."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Live, web_client
from tests.e2e.test_authorization import RAISE as AUTHORIZATION_RAISE
from tests.e2e.web.test_web_security import signed_in

pytestmark = pytest.mark.integration

RAISE = {**AUTHORIZATION_RAISE, "summary": "Bãi rác tự phát cạnh kênh N3 (cổng)"}


def admin_page(live: Live) -> tuple[httpx.Client, str]:
    """A signed-in admin's client, and the CSRF token of its forms."""
    client, answer = web_client(live, "admin", next="/admin/tokens")
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/tokens"
    page = client.get("/admin/tokens")
    assert page.status_code == 200, page.text[:500]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    return client, csrf.group(1)


def state(live: Live) -> tuple[int, int]:
    """How many tokens there are, and how many changes the history holds."""
    tokens = live.service.tokens
    return len(tokens.listing()), len(tokens.changes())


def test_issue_list_revoke_and_the_history(live: Live) -> None:
    client, csrf = admin_page(live)
    listed = client.get("/admin/tokens").text
    assert "Mã truy cập API" in listed and "e2e clerk" in listed  # the deployment's tokens
    before = state(live)

    issued = client.post(
        "/admin/tokens",
        data={"csrf": csrf, "name": "Cổng tiếp nhận ý kiến", "role": "clerk", "organisation": ""},
    )
    assert issued.status_code == 422  # the organisation is not one of the admin's
    organisation = live.service.tokens.only
    assert organisation is not None
    issued = client.post(
        "/admin/tokens",
        data={
            "csrf": csrf,
            "name": "Cổng tiếp nhận ý kiến",
            "role": "clerk",
            "organisation": organisation,
        },
    )
    assert issued.status_code == 201, issued.text[:1000]
    secret = re.search(r"<code class=\"secret\" data-secret>(pt_clerk_[^<]+)</code>", issued.text)
    assert secret, issued.text
    assert state(live) == (before[0] + 1, before[1] + 1)
    again = client.get("/admin/tokens").text
    assert secret.group(1) not in again  # shown once
    token_id = re.search(r'data-token="(tok_[0-9a-f]+)">\s*<td[^>]*>Cổng tiếp nhận ý kiến', again)
    assert token_id, again

    # the token works on the API, and what it does is named after the client
    api = live.client(Authorization=f"Bearer {secret.group(1)}")
    raised = api.post("/v1/petitions", json=RAISE)
    assert raised.status_code == 201, raised.text
    pid = raised.json()["id"]
    events = live.client("auditor").get(f"/v1/petitions/{pid}/events").json()
    assert events[0]["actor"] == {
        "id": token_id.group(1),
        "role": "clerk",
        "department": None,
        "organisation": organisation,
        "name": "Cổng tiếp nhận ý kiến",
        "position": None,
    }
    auditor, _ = signed_in(live, "auditor")
    timeline = auditor.get(f"/petitions/{pid}").text
    assert re.search(r"<strong data-actor>Cổng tiếp nhận ý kiến</strong>", timeline)

    revoked = client.post(f"/admin/tokens/{token_id.group(1)}/revoke", data={"csrf": csrf})
    assert revoked.status_code == 303
    assert "Đã thu hồi mã truy cập." in client.get(revoked.headers["location"]).text
    refused = api.get("/v1/petitions")
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
    twice = client.post(f"/admin/tokens/{token_id.group(1)}/revoke", data={"csrf": csrf})
    assert twice.status_code == 422 and "Mã truy cập này đã bị thu hồi" in twice.text

    changes = live.service.tokens.changes()
    assert [(c["action"], c["token_id"], c["by_name"]) for c in changes[:2]] == [
        ("revoked", token_id.group(1), "Người thử admin"),  # the admin's account
        ("created", token_id.group(1), "Người thử admin"),
    ]
    audit = auditor.get("/audit").text
    assert "Lịch sử cấp và thu hồi mã truy cập" in audit
    assert audit.count(f"<code>{token_id.group(1)}</code>") == 2  # issued, revoked
    assert "Người thử auditor" in audit  # the access log names its readers


def test_a_wrong_form_names_each_fault_and_changes_nothing(live: Live) -> None:
    client, csrf = admin_page(live)
    before = state(live)
    organisation = live.service.tokens.only
    cases: list[tuple[dict[str, Any], list[str]]] = [
        (
            {"name": "  ", "role": "department", "organisation": organisation},
            ["Cần nhập", "Mã của phòng, ban, ngành cần chọn đơn vị"],
        ),
        (
            {"name": "x" * 201, "role": "mayor", "organisation": "tinh-khac"},
            [
                "Quá dài (tối đa 200 ký tự)",
                "Hãy chọn một vai trò trong danh sách",
                "Hãy chọn một tổ chức trong danh sách",
            ],
        ),
        (
            {
                "name": "Máy\x07",
                "role": "clerk",
                "organisation": organisation,
                "department": "cong-an",
            },
            ["Có ký tự không được phép", "Chỉ mã của phòng, ban, ngành mới chọn đơn vị"],
        ),
        (
            {"name": "Máy", "role": "department", "organisation": organisation, "department": "x"},
            ["Đơn vị không thuộc tổ chức đã chọn"],
        ),
    ]
    for form, reasons in cases:
        answer = client.post("/admin/tokens", data={"csrf": csrf, **form})
        assert answer.status_code == 422, (form, answer.text[:500])
        assert "Chưa cấp mã: hãy sửa các ô được đánh dấu." in answer.text
        shown = re.findall(
            r'<span class="field-error" id="[a-z]+-error">([^<]+)</span>', answer.text
        )
        assert shown == reasons, form
        assert "data-secret" not in answer.text
    unknown = client.post("/admin/tokens/tok_000000000000/revoke", data={"csrf": csrf})
    assert unknown.status_code == 404 and "Không có mã truy cập này" in unknown.text
    forged = client.post("/admin/tokens", data={"name": "Máy", "role": "clerk"})
    assert forged.status_code == 403
    assert state(live) == before  # no token, no history row


def test_only_the_admin_has_the_page(live: Live) -> None:
    for who in ("clerk", "committee", "auditor"):
        client, csrf = signed_in(live, who)
        assert client.get("/admin/tokens").status_code == 403, who
        posted = client.post("/admin/tokens", data={"csrf": csrf, "name": "Máy", "role": "clerk"})
        assert posted.status_code == 403, who
