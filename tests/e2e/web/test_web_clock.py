"""The answer's clock on the pages, in Chromium: the petition page says how its due date was
computed, the committee pauses the clock with a reason and a note and resumes it, and the
board lists the paused answer apart from the overdue ones (on a phone too)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from domain.actors import Actor, Role
from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.web.conftest import SignIn, raise_petition, visit_until
from usecases.commands import Context

pytestmark = pytest.mark.integration

COMMITTEE = Context(Actor("e2e-committee", Role.COMMITTEE))


def test_the_committee_pauses_and_resumes_the_clock_and_the_board_shows_it_apart(
    live: Live, sign_in: SignIn
) -> None:
    app = live.service.app
    today = app.today()
    petition = raise_petition(live, "Cống thoát nước thôn 5 bị tắc", days_ago=40)
    app.assign(petition, COMMITTEE, department=DEPARTMENT, on=today - timedelta(days=38))
    due = app.state(petition)["due_on"]
    assert due < today, "the calendar's due date has passed"
    page = sign_in(live, "committee")
    page.goto(f"{live.url}/petitions/{petition}")
    said = page.locator("[data-due-explanation]")
    expect(said).to_contain_text(f"Hạn {due:%d/%m/%Y}:")
    expect(said).to_contain_text(f"sau ngày giao {today - timedelta(days=38):%d/%m/%Y}")
    expect(page.locator(".facts .badge")).to_contain_text("quá hạn")
    expect(page.locator("#form-resume")).to_have_count(0)  # nothing paused yet

    page.select_option("#pause-reason", "site_visit")
    page.fill("#pause-note", "Khảo sát cùng UBND xã")
    page.get_by_role("button", name="Tạm dừng", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Đã tạm dừng tính hạn.")
    paused = page.locator("[data-clock-paused]")
    expect(paused).to_contain_text(f"Từ ngày {today:%d/%m/%Y}")
    expect(paused).to_contain_text("Khảo sát thực tế")
    expect(paused).to_contain_text("Khảo sát cùng UBND xã")
    expect(page.locator(".facts .badge")).to_have_count(0)  # not counted late
    expect(page.locator("#form-pause")).to_have_count(0)
    assert app.state(petition)["clock_paused"]["reason"] == "site_visit"

    visit_until(page, f"{live.url}/board", "Đang tạm dừng tính hạn", selector="#paused")
    row = page.locator(f'#paused [data-paused="{petition}"]')
    expect(row).to_contain_text("Cống thoát nước thôn 5 bị tắc")
    expect(row).to_contain_text("Khảo sát thực tế")
    expect(page.locator(f'table.board:not(.paused) a[href="/petitions/{petition}"]')).to_have_count(
        0
    )
    phone = sign_in(live, "committee", width=390)
    phone.goto(f"{live.url}/board")
    expect(phone.locator(f'#paused [data-paused="{petition}"]')).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the board is {width}px wide on a 390px phone"

    page.goto(f"{live.url}/petitions/{petition}")
    page.get_by_role("button", name="Tiếp tục tính hạn", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(
        "Đã tiếp tục tính hạn; hạn trả lời đã được lùi."
    )
    expect(page.locator("[data-clock-paused]")).to_have_count(0)
    state = app.state(petition)
    assert state["due_basis"]["kind"] == "resumed" and state["due_on"] == due  # paused 0 days
    expect(page.locator("[data-due-explanation]")).to_contain_text("tạm dừng tính hạn từ")
    types = [e["type"] for e in app.history(petition)]
    assert types[-2:] == ["ClockPaused", "ClockResumed"]
    expect(page.locator(".timeline")).to_contain_text("Tạm dừng tính hạn")
    expect(page.locator(".timeline")).not_to_contain_text("site_visit")  # the reason in words
    expect(page.locator(".timeline")).to_contain_text("Tiếp tục tính hạn")
