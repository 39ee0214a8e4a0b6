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
        # the clearer reads the held answer's advisory score beside it
        form = f"{live.url}/clearance/{petition}"
        visit_until(clerk, form, "Mức chung chung (tham khảo)", selector=".clearance-held")
        expect(clerk.locator(".clearance-held .answer-score")).to_contain_text(
            "Chi tiết cụ thể: không có"
        )
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

        # answered again, specifically: the clearer reads the new answer's score, not the
        # returned one's (which is among the petition's answers no more)
        app.answer_in_writing(
            petition,
            Context(Actor("e2e-head", Role.DEPARTMENT, DEPARTMENT)),
            text="Ngày 02/11/2026 đã nạo vét 120 m cống tại thôn 3, kinh phí 15 triệu đồng,"
            " theo Quyết định số 45/QĐ-UBND; gửi kèm biên bản nghiệm thu.",
            document_number="18/KTHT",
            document_date=today,
            signer="Trưởng phòng",
            on=today,
        )
        visit_until(clerk, form, "18/KTHT", selector=".clearance-held")
        visit_until(clerk, form, "Mức chung chung (tham khảo)", selector=".clearance-held")
        held_score = clerk.locator(".clearance-held .answer-score")
        expect(held_score).to_have_count(1)
        expect(held_score).not_to_contain_text("Chi tiết cụ thể: không có")

        committee = sign_in(live, "committee")
        name = app.district.departments[DEPARTMENT].name
        visit_until(committee, f"{live.url}/scorecards", name)
        row = committee.locator("table.scorecards tr", has_text=name)
        expect(row.locator("[data-returns]")).to_have_text("1")
        clerk.goto(form)  # cleared, so that the petition is left as others expect
        clerk.get_by_label("Đồng ý: đưa vào hội nghị giao ban").check()
        clerk.get_by_role("button", name="Gửi kết quả thẩm định").click()
        expect(clerk.get_by_text("Đã thẩm định văn bản trả lời.")).to_be_visible()
    finally:
        admin.select_option("#clearance-clearance", "none")
        admin.locator("#form-clearance").get_by_role("button", name="Lưu").click()
        expect(admin.locator("[data-clearance]")).to_have_attribute("data-clearance", "none")
