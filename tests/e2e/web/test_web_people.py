"""Named people through the pages alone, in Chromium: the admin creates a clerk, a
committee member and a department user; each signs in with a username and the one-time
password, is made to change it before anything else, and does a real task (the clerk
raises a petition at a briefing, the committee assigns it, the department answers it);
the petition's timeline names each person with their position."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.web.conftest import SignIn, petition_id_in, visit_until

pytestmark = pytest.mark.integration

SUMMARY = "Cống thoát nước ngõ 5 bị tắc"
PEOPLE = {  # username: full name, position, role, department
    "do.thi.thu": ("Đỗ Thị Thu", "Chuyên viên Văn phòng", "clerk", ""),
    "pham.van.minh": ("Phạm Văn Minh", "Phó Bí thư Thường trực", "committee", ""),
    "le.van.cuong": ("Lê Văn Cường", "Trưởng phòng Kinh tế - Hạ tầng", "department", DEPARTMENT),
}


def create_account(admin: Page, username: str) -> str:
    """The admin fills the form; the one-time password the page shows once."""
    full_name, position, role, department = PEOPLE[username]
    admin.get_by_label("Tên đăng nhập").fill(username)
    admin.get_by_label("Họ và tên").fill(full_name)
    admin.get_by_label("Chức vụ").fill(position)
    admin.get_by_label("Vai trò").select_option(role)
    if department:
        admin.get_by_label("Đơn vị (chỉ cho người dùng của phòng, ban, ngành)").select_option(
            department
        )
    admin.get_by_role("button", name="Tạo tài khoản").click()
    expect(admin.locator("[data-created]")).to_contain_text(username)
    return admin.locator("[data-one-time-password]").inner_text().strip()


def first_sign_in(page: Page, live: Live, username: str, given: str) -> str:
    """Sign in with the one-time password, which must be changed first; the new one."""
    page.goto(live.url + "/signin")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(given)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_have_text("Đổi mật khẩu")
    assert "/account/password" in page.url
    page.get_by_label("Mật khẩu hiện tại").fill(given)
    page.get_by_label("Mật khẩu mới", exact=True).fill("matkhau123")  # too common: refused
    page.get_by_label("Nhập lại mật khẩu mới").fill("matkhau123")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.locator(".field-error")).to_contain_text("quá phổ biến")
    own = f"giao ban {username} thang 12"
    page.get_by_label("Mật khẩu hiện tại").fill(given)
    page.get_by_label("Mật khẩu mới", exact=True).fill(own)
    page.get_by_label("Nhập lại mật khẩu mới").fill(own)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.locator("h1")).not_to_have_text("Đổi mật khẩu")
    expect(page.locator("header .who")).to_contain_text(PEOPLE[username][0])
    return own


def test_an_admin_creates_three_people_who_each_do_their_part(
    live: Live, sign_in: SignIn, browser: object, tmp_path: object
) -> None:
    app = live.service.app
    # -- the admin, on its own pages, creates the three accounts ---------------------
    admin = sign_in(live, "admin", width=390)  # a phone: the admin's pages fit it
    assert admin.url.endswith("/admin")
    expect(admin.get_by_role("button", name="Đăng xuất")).to_be_visible()
    admin.get_by_role("link", name="Tài khoản").first.click()
    given = {username: create_account(admin, username) for username in PEOPLE}
    assert len(set(given.values())) == 3

    pages = {}
    for username in PEOPLE:
        context = browser.new_context(  # type: ignore[attr-defined]
            locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        pages[username] = context.new_page()
        first_sign_in(pages[username], live, username, given[username])

    # -- the clerk raises a petition at the briefing ------------------------------------
    clerk = pages["do.thi.thu"]
    assert clerk.url.endswith("/briefing")
    cell = clerk.locator("#cell-1 option").nth(1).get_attribute("value")
    clerk.select_option("#cell-1", cell)
    clerk.select_option("#category-1", "transport")
    clerk.fill("#raised_by-1", "Nguyễn Văn An, Bí thư chi bộ")
    clerk.fill("#summary-1", SUMMARY)
    clerk.fill("#text-1", "Cống ngõ 5 tắc sau mưa, nước tràn vào nhà dân.")
    clerk.get_by_role("button", name="Ghi nhận các ý kiến").click()
    link = clerk.get_by_role("link", name=SUMMARY)
    expect(link).to_be_visible()
    petition_id = petition_id_in(link.get_attribute("href") or "")

    # -- the committee assigns it ---------------------------------------------------------
    committee = pages["pham.van.minh"]
    assert committee.url.endswith("/board")
    committee.goto(f"{live.url}/petitions/{petition_id}")
    committee.select_option("#assign-department", DEPARTMENT)
    committee.get_by_role("button", name="Giao", exact=True).click()
    expect(committee.get_by_role("status")).to_have_text("Đã giao đơn vị trả lời.")

    # -- the department answers it ---------------------------------------------------------
    department = pages["le.van.cuong"]
    assert department.url.endswith("/inbox")
    visit_until(department, f"{live.url}/inbox", SUMMARY)
    department.get_by_role("link", name=SUMMARY).click()
    department.fill("#answer-text", "Đã nạo vét cống ngõ 5, nước đã thoát.")
    department.fill("#answer-number", "88/KTHT")
    department.fill("#answer-date", app.today().strftime("%d/%m/%Y"))
    department.fill("#answer-signer", "Lê Văn Cường, Trưởng phòng")
    department.get_by_role("button", name="Gửi trả lời").click()
    expect(department.get_by_role("status")).to_have_text("Đã gửi văn bản trả lời.")
    assert app.state(petition_id)["status"] == "answered"

    # -- the timeline names each person, with their position --------------------------------
    committee.goto(f"{live.url}/petitions/{petition_id}")
    timeline = committee.locator(".timeline li")
    expect(timeline).to_have_count(3)
    for n, username in enumerate(PEOPLE):
        full_name, position, _, _ = PEOPLE[username]
        expect(timeline.nth(n).locator("[data-actor]")).to_have_text(full_name)
        expect(timeline.nth(n)).to_contain_text(f"{full_name}, {position}")
    ids = [e["actor"]["id"] for e in app.history(petition_id)]
    accounts = [live.service.accounts.by_username(u) for u in PEOPLE]
    assert ids == [a["user_id"] for a in accounts if a is not None]

    # -- the auditor finds every account's creation and password change in the history ------
    auditor = sign_in(live, "auditor")
    auditor.goto(f"{live.url}/accounts/history")
    history = auditor.locator("main")
    for username in PEOPLE:
        expect(history).to_contain_text(username)
    expect(history).to_contain_text("Tự đổi mật khẩu")
    for page in pages.values():
        page.context.close()
