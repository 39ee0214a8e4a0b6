"""The account pages over HTTP: the admin's home and accounts (create with the one-time
password shown once, refusals in Vietnamese per field, reset, re-role, disable, the
history the auditor reads), the one-time password changed before any other page, and the
second factor enrolled and asked for at the next sign-in."""

from __future__ import annotations

import re
import time

import httpx
import pyotp
import pytest

from tests.e2e.conftest import Live, web_client

pytestmark = pytest.mark.integration


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def signed_in(live: Live, who: str) -> tuple[httpx.Client, str]:
    client, answer = web_client(live, who)
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"], follow_redirects=True)
    return client, csrf_of(page.text)


def sign_in_as(live: Live, username: str, password: str) -> tuple[httpx.Client, httpx.Response]:
    client = httpx.Client(base_url=live.url, timeout=30)
    csrf = csrf_of(client.get("/signin").text)
    data = {"csrf": csrf, "username": username, "password": password, "next": "/briefing"}
    return client, client.post("/signin", data=data)


def create(admin: httpx.Client, csrf: str, **fields: str) -> httpx.Response:
    return admin.post("/admin/accounts", data={"csrf": csrf, **fields})


def one_time_password(html: str) -> str:
    found = re.search(r"data-one-time-password>([^<]+)<", html)
    assert found, html[:2000]
    return found.group(1)


def test_the_admin_lands_on_its_home_with_its_pages_and_a_sign_out(live: Live) -> None:
    admin, _ = signed_in(live, "admin")
    home = admin.get("/", follow_redirects=True)
    assert home.status_code == 200 and str(home.url).endswith("/admin")
    assert 'href="/admin/accounts"' in home.text and 'action="/signout"' in home.text
    assert "Quản trị" in home.text and "no pages" not in home.text
    clerk, _ = signed_in(live, "clerk")
    assert clerk.get("/admin/accounts").status_code == 403
    assert clerk.get("/accounts/history").status_code == 403


def test_an_account_is_created_whole_or_not_at_all_and_its_password_changed_first(
    live: Live,
) -> None:
    admin, csrf = signed_in(live, "admin")
    before = len(live.service.accounts.listing())
    refused = create(admin, csrf, username="Bà Lan", full_name="", role="department")
    assert refused.status_code == 422
    for said in (
        "chữ thường không dấu",
        "Cần nhập",
        "Người dùng của phòng, ban, ngành cần chọn đơn vị",
        "Chưa có gì được lưu",
    ):
        assert said in refused.text, said
    assert 'value="Bà Lan"' in refused.text  # what was typed is kept
    english = admin.get("/lang/en?next=/admin/accounts", follow_redirects=True)
    assert english.status_code == 200
    refused_en = create(admin, csrf_of(english.text), username="x", full_name="A", role="clerk")
    assert "lower-case letters without accents" in refused_en.text
    admin.get("/lang/vi")
    assert len(live.service.accounts.listing()) == before

    made = create(
        admin,
        csrf,
        username="lan.van.thu",
        full_name="Nguyễn Thị Lan",
        role="clerk",
        position="Văn thư",
    )
    assert made.status_code == 200, made.text[:1000]
    password = one_time_password(made.text)
    assert "lan.van.thu" in made.text
    assert password not in admin.get("/admin/accounts").text  # shown once only

    clerk, answer = sign_in_as(live, "lan.van.thu", password)
    assert answer.status_code == 303
    step = clerk.get(answer.headers["location"])
    assert step.status_code == 303 and step.headers["location"].startswith("/account/password")
    for elsewhere in ("/petitions", "/packet", "/account"):
        answered = clerk.get(elsewhere)
        assert answered.headers["location"].startswith("/account/password"), elsewhere
    form = clerk.get(step.headers["location"])
    assert "mật khẩu dùng một lần" in form.text
    token = csrf_of(form.text)
    common = clerk.post(
        "/account/password",
        data={
            "csrf": token,
            "current": password,
            "password": "matkhau123",
            "repeated": "matkhau123",
            "next": "/briefing",
        },
    )
    assert common.status_code == 422 and "quá phổ biến" in common.text
    wrong = clerk.post(
        "/account/password",
        data={
            "csrf": token,
            "current": "no",
            "password": "lan.van.thu",
            "repeated": "other",
            "next": "/briefing",
        },
    )
    assert wrong.status_code == 422
    for said in ("Mật khẩu hiện tại không đúng", "không được là tên đăng nhập", "không giống nhau"):
        assert said in wrong.text, said
    changed = clerk.post(
        "/account/password",
        data={
            "csrf": token,
            "current": password,
            "password": "giao ban thang 11",
            "repeated": "giao ban thang 11",
            "next": "/briefing",
        },
    )
    assert changed.status_code == 303 and changed.headers["location"] == "/briefing"
    briefing = clerk.get("/briefing")
    assert briefing.status_code == 200 and "Nguyễn Thị Lan" in briefing.text
    assert "Văn thư" in briefing.text
    _, old = sign_in_as(live, "lan.van.thu", password)
    assert old.status_code == 401 and "không đúng" in old.text


def test_the_admin_resets_re_roles_and_disables_and_the_auditor_reads_it(live: Live) -> None:
    admin, csrf = signed_in(live, "admin")
    made = create(admin, csrf, username="binh.phong", full_name="Trần Văn Bình", role="clerk")
    first = one_time_password(made.text)
    row = live.service.accounts.by_username("binh.phong")
    assert row is not None
    page = f"/admin/accounts/{row['user_id']}"
    assert "Trần Văn Bình" in admin.get(page).text
    reset = admin.post(f"{page}/password", data={"csrf": csrf})
    second = one_time_password(reset.text)
    assert second != first
    assert sign_in_as(live, "binh.phong", first)[1].status_code == 401
    refused = admin.post(f"{page}/role", data={"csrf": csrf, "role": "department"})
    assert refused.status_code == 422 and "cần chọn đơn vị" in refused.text
    moved = admin.post(
        f"{page}/role", data={"csrf": csrf, "role": "department", "department": "kinh-te-ha-tang"}
    )
    assert moved.status_code == 303
    assert "Đã đổi vai trò" in admin.get(moved.headers["location"]).text
    person, signed = sign_in_as(live, "binh.phong", second)
    assert signed.status_code == 303
    disabled = admin.post(f"{page}/disable", data={"csrf": csrf})
    assert disabled.status_code == 303
    assert person.get("/account/password").headers["location"].startswith("/signin")
    assert sign_in_as(live, "binh.phong", second)[1].status_code == 401
    assert admin.post(f"{page}/password", data={"csrf": csrf}).status_code == 422
    own = live.service.accounts.by_username(live.account("admin")[0])
    assert own is not None
    kept = admin.post(f"/admin/accounts/{own['user_id']}/disable", data={"csrf": csrf})
    assert kept.status_code == 422 and "chính mình" in kept.text
    assert admin.get("/admin/accounts/usr_nobody").status_code == 404

    auditor, _ = signed_in(live, "auditor")
    history = auditor.get("/accounts/history")
    assert history.status_code == 200
    text = re.sub(r"\s+", " ", history.text)
    for said in ("Tạo tài khoản", "Đặt lại mật khẩu", "Đổi vai trò hoặc đơn vị", "Khóa tài khoản"):
        assert said in text, said
    assert "binh.phong" in text and "Người thử admin" in text
    assert first not in text and second not in text


def test_a_second_factor_is_enrolled_and_asked_for_at_the_next_sign_in(live: Live) -> None:
    committee, csrf = signed_in(live, "committee")
    form = committee.get("/account/second-factor")
    assert form.status_code == 200 and "otpauth://totp/" in form.text
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', form.text)
    assert secret
    totp = pyotp.TOTP(secret.group(1))
    wrong = committee.post(
        "/account/second-factor",
        data={
            "csrf": csrf,
            "secret": secret.group(1),
            "code": totp.at(time.time(), counter_offset=9),
        },
    )
    assert wrong.status_code == 422 and "không đúng" in wrong.text
    enrolled = committee.post(
        "/account/second-factor", data={"csrf": csrf, "secret": secret.group(1), "code": totp.now()}
    )
    assert enrolled.status_code == 303
    assert "Đã bật xác thực hai lớp" in committee.get(enrolled.headers["location"]).text

    again, answer = web_client(live, "committee", next="/board")
    assert answer.status_code == 303
    asked = again.get("/board")
    assert asked.status_code == 303 and asked.headers["location"].startswith("/signin/code")
    page = again.get(asked.headers["location"])
    token = csrf_of(page.text)
    stale = totp.at(time.time(), counter_offset=-9)
    bad = again.post("/signin/code", data={"csrf": token, "code": stale, "next": "/board"})
    assert bad.status_code == 401 and "Mã xác thực không đúng" in bad.text
    assert again.get("/board").headers["location"].startswith("/signin/code")  # still waits
    code = totp.at(time.time(), counter_offset=1)  # the enrolment used this step's code
    given = again.post("/signin/code", data={"csrf": token, "code": code, "next": "/board"})
    assert given.status_code == 303 and given.headers["location"] == "/board"
    assert again.get("/board").status_code == 200
