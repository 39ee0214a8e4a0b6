"""The admin's page of API tokens over HTTP: it lists its organisation's tokens, issues
one for a named client (the secret shown once, then working on the API, its events named
after the client) or for an account (acting as that person until the account is
disabled, listed on the account's page with a revoke button), revokes one (the API
refuses it from then on), and records both in a history the auditor reads; a wrong form
changes nothing and names each field's fault. The admin also removes a lost second factor
from an account, which then signs in with its password alone."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import httpx
import pyotp
import pytest

from domain.actors import Role
from tests.e2e.conftest import Live, web_client
from tests.e2e.test_authorization import RAISE as AUTHORIZATION_RAISE
from tests.e2e.web.test_web_accounts import sign_in_as
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


def an_account(live: Live, full_name: str, organisation: str | None = None) -> tuple[str, str]:
    """A clerk's account (of the deployment's organisation unless ``organisation``), its
    password its own already: (user id, password)."""
    password = f"mk-{uuid.uuid4().hex}"
    user_id = live.service.accounts.create(
        username=f"tk.{uuid.uuid4().hex[:8]}",
        full_name=full_name,
        position="Văn thư",
        role=Role.CLERK,
        organisation=organisation or live.service.tokens.only or "",
        password=password,
        must_change=False,
    )
    return user_id, password


def issued_secret(answer: httpx.Response) -> tuple[str, str]:
    """The secret and token id an issuing page shows once."""
    assert answer.status_code == 201, answer.text[:1000]
    secret = re.search(r"data-secret>(pt_[a-z]+_[^<]+)</code>", answer.text)
    token_id = re.search(r"<code>(tok_[0-9a-f]+)</code>", answer.text)
    assert secret and token_id, answer.text
    return secret.group(1), token_id.group(1)


def test_a_token_of_an_account_acts_as_the_person_until_the_account_is_disabled(
    live: Live,
) -> None:
    client, csrf = admin_page(live)
    organisation = live.service.tokens.only
    user_id, _ = an_account(live, "Lê Thị Hoa")
    row = live.service.accounts.get(user_id)
    assert row is not None
    assert f'value="{user_id}"' in client.get("/admin/tokens").text  # among the choices
    before = state(live)
    # the account's standing applies: the form's role and department do not
    form = {"csrf": csrf, "name": "Máy đồng bộ", "account": user_id, "role": "auditor"}
    answer = client.post("/admin/tokens", data={**form, "department": "cong-an"})
    secret, token_id = issued_secret(answer)
    assert secret.startswith("pt_clerk_") and row["username"] in answer.text
    assert state(live) == (before[0] + 1, before[1] + 1)
    change = live.service.tokens.changes()[0]
    assert (change["action"], change["token_id"], change["role"], change["by_name"]) == (
        "created",
        token_id,
        "clerk",
        "Người thử admin",
    )
    listed = client.get("/admin/tokens").text
    shown = re.search(rf'data-token="{token_id}">(.*?)</tr>', listed, re.S)
    assert shown and f">{row['username']}</a> · Lê Thị Hoa" in shown.group(1)

    api = live.client(Authorization=f"Bearer {secret}")
    raised = api.post("/v1/petitions", json={**RAISE, "summary": "Đèn đường thôn 3 hỏng (máy)"})
    assert raised.status_code == 201, raised.text
    events = live.client("auditor").get(f"/v1/petitions/{raised.json()['id']}/events").json()
    assert events[0]["actor"] == {
        "id": token_id,
        "role": "clerk",
        "department": None,
        "organisation": organisation,
        "name": "Lê Thị Hoa",
        "position": "Văn thư",
    }

    page = client.get(f"/admin/accounts/{user_id}").text
    action = f"/admin/accounts/{user_id}/tokens/{token_id}/revoke"
    assert f'action="{action}"' in page
    revoked = client.post(action, data={"csrf": csrf})
    assert revoked.status_code == 303
    assert "Đã thu hồi mã truy cập." in client.get(revoked.headers["location"]).text
    assert api.get("/v1/petitions").status_code == 401

    secret, _ = issued_secret(client.post("/admin/tokens", data=form))
    second = live.client(Authorization=f"Bearer {secret}")
    assert second.get("/v1/petitions").status_code == 200
    disabled = client.post(f"/admin/accounts/{user_id}/disable", data={"csrf": csrf})
    assert disabled.status_code == 303
    refused = second.get("/v1/petitions")
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"


def test_a_token_for_a_wrong_account_is_refused_and_changes_nothing(live: Live) -> None:
    client, csrf = admin_page(live)
    province = live.service.app.province.code
    assert live.service.tokens.only not in (None, province)  # the admin is a district's
    closed, _ = an_account(live, "Tài khoản đã khóa")
    live.service.accounts.disable(closed)
    elsewhere, _ = an_account(live, "Người của tỉnh", organisation=province)
    choices = client.get("/admin/tokens").text
    assert f'value="{closed}"' not in choices and f'value="{elsewhere}"' not in choices
    client_token = live.service.tokens.create(role=Role.CLERK, name="máy khác")[0]
    mine, _ = an_account(live, "Người còn dùng")
    before = state(live)
    for account, name, reasons in (
        ("usr_0000000000000000", "Máy", ["Không có tài khoản này"]),
        (closed, "Máy", ["Tài khoản này đã bị khóa"]),
        (elsewhere, " ", ["Cần nhập", "Tài khoản thuộc tổ chức khác"]),
    ):
        answer = client.post("/admin/tokens", data={"csrf": csrf, "name": name, "account": account})
        assert answer.status_code == 422, answer.text[:500]
        shown = re.findall(
            r'<span class="field-error" id="[a-z]+-error">([^<]+)</span>', answer.text
        )
        assert shown == reasons, account
        assert "data-secret" not in answer.text
    # a token that is not the account's is not revoked from the account's page
    wrong = client.post(f"/admin/accounts/{mine}/tokens/{client_token}/revoke", data={"csrf": csrf})
    assert wrong.status_code == 404 and "Không có mã truy cập này" in wrong.text
    assert state(live) == before  # no token, no history row
    assert live.service.tokens.get(client_token)["revoked_at"] is None  # type: ignore[index]


def test_a_lost_second_factor_is_removed_and_the_password_signs_in_alone(live: Live) -> None:
    user_id, password = an_account(live, "Phan Văn Tùng")
    row = live.service.accounts.get(user_id)
    assert row is not None
    secret = pyotp.random_base32()
    step = pyotp.TOTP(secret).timecode(time.time() - 3600)
    assert live.service.accounts.set_second_factor(user_id, secret, step, None)
    person, answer = sign_in_as(live, row["username"], password)
    assert answer.status_code == 303
    assert person.get("/briefing").headers["location"].startswith("/signin/code")

    client, csrf = admin_page(live)
    page = f"/admin/accounts/{user_id}"
    assert f'action="{page}/second-factor/remove"' in client.get(page).text
    removed = client.post(f"{page}/second-factor/remove", data={"csrf": csrf})
    assert removed.status_code == 303
    shown = client.get(removed.headers["location"]).text
    assert "Đã gỡ xác thực hai lớp" in shown and "second-factor/remove" not in shown
    history = live.service.accounts.history()
    assert (history[0]["user_id"], history[0]["change"], history[0]["by_name"]) == (
        user_id,
        "second_factor_removed",
        "Người thử admin",
    )
    again = client.post(f"{page}/second-factor/remove", data={"csrf": csrf})
    assert again.status_code == 422 and "chưa bật xác thực hai lớp" in again.text
    assert len(live.service.accounts.history()) == len(history)  # the refusal records nothing

    person, answer = sign_in_as(live, row["username"], password)
    assert answer.status_code == 303 and answer.headers["location"] == "/briefing"
    assert person.get("/briefing").status_code == 200
    auditor, _ = signed_in(live, "auditor")
    assert "Gỡ xác thực hai lớp" in auditor.get("/accounts/history").text
