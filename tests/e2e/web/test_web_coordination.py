"""Lead and coordinating departments in Chromium: the committee assigns a petition to a
lead with a coordinating department and its due date from the petition's page; the
coordinating department finds it in its inbox and sends its contribution from the
petition's page on a phone (a wrong letter date refused beside the field, the rest kept,
nothing recorded); the page then shows the part sent, and the lead's answer is offered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live
from tests.e2e.web.conftest import SignIn, raise_petition, visit_until

pytestmark = pytest.mark.integration

SUMMARY = "Cống thoát nước chợ Đồng Tâm bị tắc"


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def dmy(live: Live, days: int) -> str:
    return (live.service.app.today() + timedelta(days=days)).strftime("%d/%m/%Y")


def test_a_coordinating_department_sends_its_contribution_from_the_petition_page(
    live: Live, sign_in: SignIn
) -> None:
    app = live.service.app
    petition = raise_petition(live, SUMMARY, days_ago=5)
    committee = sign_in(live, "committee")
    committee.goto(f"{live.url}/petitions/{petition}")
    form = committee.locator("#form-assign")
    form.locator("#assign-department").select_option(DEPARTMENT)
    form.locator("#assign-due").fill(dmy(live, 20))
    form.locator("#coordinating-department-0").select_option(OTHER_DEPARTMENT)
    form.locator("#coordinating-due-0").fill(dmy(live, 10))
    form.get_by_role("button", name="Giao").click()
    expect(committee.get_by_text("Đã giao đơn vị trả lời.")).to_be_visible()
    (coordinator,) = app.state(petition)["coordinators"]
    assert coordinator["department"] == OTHER_DEPARTMENT
    expect(committee.locator(f'[data-coordinator="{OTHER_DEPARTMENT}"]')).to_contain_text(
        "chưa gửi"
    )
    expect(committee.locator("#form-waive")).to_be_visible()  # a part is missing
    lead = sign_in(live, "department")
    lead.goto(f"{live.url}/petitions/{petition}")
    expect(lead.locator("#answer-waits")).to_contain_text("chờ ý kiến phối hợp")

    police = sign_in(live, "other_department", width=390)  # on a phone
    visit_until(police, f"{live.url}/inbox", SUMMARY, selector=f'[data-contribution="{petition}"]')
    police.locator(f'[data-contribution="{petition}"] a').click()
    form = police.locator("#form-contribute")
    expect(form).to_be_visible()
    expect(police.locator("#form-answer")).to_have_count(0)  # the lead answers, not it
    form.locator("#contribute-text").fill("Công an xã đã lập biên bản hộ lấn chiếm lòng cống.")
    form.locator("#contribute-number").fill("15/CAX")
    form.locator("#contribute-date").fill(dmy(live, 3))  # after its sending: refused
    form.locator("#contribute-signer").fill("Trưởng Công an xã")
    before = head(live)
    form.get_by_role("button", name="Gửi ý kiến phối hợp").click()
    form = police.locator("#form-contribute")
    expect(form.locator(".error")).to_be_visible()
    expect(form.locator(".field-error")).to_contain_text("Ngày văn bản")
    expect(form.locator("#contribute-number")).to_have_value("15/CAX")
    assert head(live) == before
    form.locator("#contribute-date").fill(dmy(live, 0))
    form.get_by_role("button", name="Gửi ý kiến phối hợp").click()
    expect(police.get_by_text("Đã gửi ý kiến phối hợp cho đơn vị chủ trì.")).to_be_visible()
    assert head(live) == before + 1
    expect(police.locator(f'[data-coordinator="{OTHER_DEPARTMENT}"]')).to_contain_text("đã gửi")
    expect(police.locator("#form-contribute")).to_have_count(0)  # sent once
    scroll = police.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390, f"the page is {scroll} px wide on a 390 px phone"
    (coordinator,) = app.state(petition)["coordinators"]
    assert coordinator["contribution"]["document_number"] == "15/CAX"

    lead.goto(f"{live.url}/petitions/{petition}")
    expect(lead.locator("#answer-waits")).to_have_count(0)
    expect(lead.locator(f'[data-coordinator="{OTHER_DEPARTMENT}"]')).to_contain_text(
        "Công an xã đã lập biên bản"
    )
    expect(lead.locator("#form-answer")).to_be_visible()
    expect(lead.locator(".timeline li[data-event='ContributionSent']")).to_have_count(1)
    expect(lead.locator(".timeline li[data-event='CoordinatorsNamed']")).to_contain_text(
        dmy(live, 10)
    )
