"""Clearance in Chromium: the admin has the office clear the organisation's written
answers; a department's answer then waits on the clerk's **Thẩm định văn bản** page (on
a 390 px phone); a return without a note is refused beside the field and records
nothing; returned with a reason and a note, the petition's page shows the return and
the department answers again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from domain.actors import Actor, Role
from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.web.conftest import SignIn, overdue_petition, visit_until
from usecases.commands import Context

pytestmark = pytest.mark.integration

SUMMARY = "Cống thoát nước ngã ba chợ bị tắc"


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def test_the_office_returns_an_answer_and_the_petition_shows_why(
    live: Live, sign_in: SignIn
) -> None:
    app = live.service.app
    admin = sign_in(live, "admin")
    admin.goto(f"{live.url}/admin/reference/calendars")
    admin.select_option("#clearance-clearance", "office")
    admin.locator("#form-clearance").get_by_role("button", name="Lưu").click()
    expect(admin.locator("[data-clearance]")).to_have_attribute("data-clearance", "office")
    try:
        petition = overdue_petition(live, SUMMARY, DEPARTMENT, due=-20, assigned=5, days_ago=6)
        today = app.today()
        app.answer_in_writing(
            petition,
            Context(Actor("e2e-head", Role.DEPARTMENT, DEPARTMENT)),
            text="Đã nạo vét cống, thông dòng chảy.",
            document_number="17/KTHT",
            document_date=today - timedelta(days=1),
            signer="Trưởng phòng",
            on=today - timedelta(days=1),
        )
        assert app.state(petition)["held_by"] == "office"

        clerk = sign_in(live, "clerk", width=390)
        visit_until(clerk, f"{live.url}/clearance", SUMMARY)
        expect(clerk.get_by_role("link", name="Thẩm định văn bản")).to_be_visible()
        row = clerk.locator(f'[data-petition="{petition}"]')
        expect(row).to_contain_text("Văn phòng cấp ủy thẩm định")
        row.get_by_role("link", name=SUMMARY).click()
        expect(clerk.locator("h1")).to_have_text("Thẩm định văn bản trả lời")
        expect(clerk.get_by_text("Đã nạo vét cống, thông dòng chảy.")).to_be_visible()
        width = clerk.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the form is {width} px wide on a 390 px phone"

        before = head(live)
        clerk.get_by_label("Trả lại đơn vị trả lời lại").check()
        clerk.select_option("#clearance-reason", "missing_document")
        clerk.get_by_role("button", name="Gửi kết quả thẩm định").click()
        expect(clerk.locator("#note-error")).to_be_visible()
        assert head(live) == before

        clerk.fill("#clearance-note", "Chưa gửi kèm biên bản nghiệm thu")
        clerk.get_by_role("button", name="Gửi kết quả thẩm định").click()
        expect(clerk.get_by_text("Đã trả lại văn bản trả lời cho đơn vị.")).to_be_visible()
        assert head(live) == before + 1
        assert app.state(petition)["held_by"] is None

        clerk.goto(f"{live.url}/petitions/{petition}")
        returned = clerk.locator('[data-return="missing_document"]')
        expect(returned).to_contain_text("Thiếu văn bản, tài liệu")
        expect(returned).to_contain_text("Chưa gửi kèm biên bản nghiệm thu")
        expect(clerk.get_by_text("Văn bản trả lời bị trả lại (1)")).to_be_visible()

        committee = sign_in(live, "committee")
        name = app.district.departments[DEPARTMENT].name
        visit_until(committee, f"{live.url}/scorecards", name)
        row = committee.locator("table.scorecards tr", has_text=name)
        expect(row.locator("[data-returns]")).to_have_text("1")
    finally:
        admin.select_option("#clearance-clearance", "none")
        admin.locator("#form-clearance").get_by_role("button", name="Lưu").click()
        expect(admin.locator("[data-clearance]")).to_have_attribute("data-clearance", "none")
