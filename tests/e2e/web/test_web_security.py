"""The pages' defences: security headers, the session cookie, CSRF on every form, sign-in
limits, no open redirect, a disabled account ending its sessions and tokens, hostile text
shown as text, and uploads checked; every refused form leaves the event log as it was."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import httpx
import pytest

from domain.actors import Actor, Role
from tests.e2e.conftest import DEPARTMENT, Live, live_service, web_client
from tests.e2e.web.conftest import SignIn, raise_petition
from usecases.commands import Context

pytestmark = pytest.mark.integration

HOSTILE = (
    '<script>alert("x")</script><img src=x onerror=alert(1)> \'; DROP TABLE petitions_events; --'
)


@pytest.fixture(scope="module")
def guarded(database: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A service taking letters of at most 4 kB."""
    yield from live_service(database, tmp_path_factory, max_upload_bytes=4096)


@pytest.fixture
def limited(database: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A service allowing 3 failed sign-ins from one address (or of one username) in 5
    minutes."""
    yield from live_service(database, tmp_path_factory, signin_max_failures=3)


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def signed_in(live: Live, who: str) -> tuple[httpx.Client, str]:
    """A client holding a session cookie, and the CSRF token its forms carry."""
    client, answer = web_client(live, who)
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"], follow_redirects=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    return client, token.group(1)


def test_pages_carry_security_headers_and_a_strict_session_cookie(guarded: Live) -> None:
    client = httpx.Client(base_url=guarded.url)
    signin = client.get("/signin")
    for response in (signin, signed_in(guarded, "committee")[0].get("/board")):
        assert response.status_code == 200
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"
    username, password = guarded.account("clerk")
    answer = client.post(
        "/signin",
        data={
            "csrf": client.cookies["petitions_signin_csrf"],
            "username": username,
            "password": password,
        },
    )
    cookie = next(c for c in answer.headers.get_list("set-cookie") if "petitions_session=" in c)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    session_id = re.search(r"petitions_session=([^;]+)", cookie)
    assert session_id and password not in cookie
    # Only the session id's hash is kept.
    with guarded.service.app.datastore.transaction(commit=False) as curs:
        curs.execute(f'SELECT sha256 FROM "{guarded.service.app.datastore.schema}".web_sessions')
        stored = {r["sha256"] for r in curs.fetchall()}
    assert session_id.group(1) not in stored and len(stored) >= 2


def test_every_form_needs_its_csrf_token_and_a_refused_form_changes_nothing(guarded: Live) -> None:
    petition = str(raise_petition(guarded, "Ý kiến thử"))
    client, csrf = signed_in(guarded, "committee")
    before = head(guarded)
    for token in (None, "", "forged-" + csrf[7:]):
        data = {"department": DEPARTMENT}
        if token is not None:
            data["csrf"] = token
        answer = client.post(f"/petitions/{petition}/assign", data=data)
        assert answer.status_code == 403, answer.text
        assert "text/html" in answer.headers["content-type"]
    clerk, _ = signed_in(guarded, "clerk")
    assert clerk.post("/briefing", data={"key": "k1", "summary": "x"}).status_code == 403
    assert clerk.post("/signout", data={}).status_code == 403
    assert head(guarded) == before
    # With the token the same form is accepted.
    answer = client.post(
        f"/petitions/{petition}/assign", data={"csrf": csrf, "department": DEPARTMENT}
    )
    assert answer.status_code == 303 and head(guarded) == before + 1
    # The sign-in form's own token: a post from elsewhere has no cookie to match.
    stranger = httpx.Client(base_url=guarded.url)
    username, password = guarded.account("clerk")
    refused = stranger.post(
        "/signin", data={"csrf": "x", "username": username, "password": password}
    )
    assert refused.status_code == 403 and "petitions_session" not in refused.headers.get(
        "set-cookie", ""
    )


def test_failed_sign_ins_are_limited_per_address(limited: Live) -> None:
    client = httpx.Client(base_url=limited.url)
    username, password = limited.account("clerk")
    statuses = []
    for attempt in range(5):
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text)
        assert csrf
        answer = client.post(
            "/signin",
            data={"csrf": csrf.group(1), "username": f"nobody{attempt}", "password": "wrong"},
        )
        statuses.append(answer.status_code)
    print(f"sign-in attempts with wrong usernames: statuses {statuses}")
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text)
    assert csrf
    # While the address is limited even the right password waits.
    refused = client.post(
        "/signin", data={"csrf": csrf.group(1), "username": username, "password": password}
    )
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 300
    assert "Đăng nhập sai quá nhiều lần" in refused.text
    assert "petitions_session" not in refused.headers.get("set-cookie", "")


def test_no_open_redirect_after_sign_in(live: Live) -> None:
    for target, expected in (
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("/board", "/board"),
    ):
        _, answer = web_client(live, "committee", next=target)
        assert answer.status_code == 303 and answer.headers["location"] == expected
    switched = httpx.get(f"{live.url}/lang/en?next=//evil.example", follow_redirects=False)
    assert switched.headers["location"] == "/"


def test_a_disabled_account_ends_its_sessions_and_its_tokens(live: Live) -> None:
    _, secret = live.service.tokens.create(role=Role.AUDITOR, name="short-lived")
    live.tokens["short-lived"] = secret
    client, _ = signed_in(live, "short-lived")
    assert client.get("/audit").status_code == 200
    row = live.service.accounts.by_username(live.account("short-lived")[0])
    assert row is not None
    # a token of the account acts as its person, until the account is disabled
    _, own = live.service.tokens.create(
        role=Role.AUDITOR, name="auditor's script", account=row["user_id"]
    )
    principal = live.service.tokens.authenticate(own)
    assert principal is not None and principal.full_name == row["full_name"]
    assert principal.account == row["username"] and principal.position == row["position"]
    assert live.service.accounts.disable(row["user_id"])
    answer = client.get("/audit")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/signin")
    assert live.service.tokens.authenticate(own) is None
    refused = httpx.get(f"{live.url}/v1/overdue", headers={"Authorization": f"Bearer {own}"})
    assert refused.status_code == 401
    # the disabled account signs in no more, its right password or not
    _, again = web_client(live, "short-lived")
    assert again.status_code == 401


def test_hostile_text_is_shown_as_text(live: Live, sign_in: SignIn) -> None:
    petition = str(raise_petition(live, HOSTILE[:300], text=HOSTILE))
    client, _ = signed_in(live, "committee")
    html = client.get(f"/petitions/{petition}").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    page = sign_in(live, "committee")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live.url}/petitions/{petition}")
    assert page.locator("h1").inner_text() == HOSTILE[:300]
    assert page.locator("main img").count() == 0
    page.goto(f"{live.url}/petitions?q=" + "%3Cscript%3Ealert(2)%3C%2Fscript%3E")
    assert (
        page.get_by_label("Tìm (có dấu hoặc không dấu)").input_value()
        == "<script>alert(2)</script>"
    )
    assert dialogs == []


def test_letters_must_be_pdf_or_image_and_within_the_limit(guarded: Live) -> None:
    petition = str(raise_petition(guarded, "Ý kiến thử"))
    guarded.service.app.assign(
        UUID(petition), Context(Actor("c", Role.COMMITTEE)), department=DEPARTMENT
    )
    client, csrf = signed_in(guarded, "department")
    today = guarded.service.app.today().isoformat()
    fields = {
        "csrf": csrf,
        "text": "Đã xử lý",
        "document_number": "1/UB",
        "document_date": today,
        "signer": "Trưởng phòng",
    }
    before = head(guarded)
    for name, content, message in (
        ("letter.exe", b"MZ\x90\x00 not a letter", "Chỉ nhận tệp PDF, PNG hoặc JPEG"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * 5000, "Tệp lớn hơn giới hạn cho phép"),
    ):
        answer = client.post(
            f"/petitions/{petition}/answer", data=fields, files={"letter": (name, content)}
        )
        assert answer.status_code == 422, answer.text[:300]
        assert message in answer.text
        assert head(guarded) == before
    far_too_big = client.post(
        f"/petitions/{petition}/answer",
        data=fields,
        files={"letter": ("huge.pdf", b"%PDF-" + b"0" * 20_000)},
    )
    assert far_too_big.status_code == 413 and head(guarded) == before
    accepted = client.post(
        f"/petitions/{petition}/answer",
        data=fields,
        files={"letter": ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)},
    )
    assert accepted.status_code == 303 and head(guarded) == before + 1
    attachment = guarded.service.app.state(UUID(petition))["answers"][0]["attachments"][0]
    assert attachment["content_type"] == "image/png" and attachment["size"] == 108
