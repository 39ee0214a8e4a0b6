"""A meeting's change of plan through its page, in Chromium: a clerk moves a scheduled
briefing (refused first with no reason, then to a date before the earliest business date),
then cancels it (refused first with neither reason nor tick); the page shows the move, from
and to, with its reason, and the cancellation's. A meeting held meanwhile, from a page
shown before, is refused its cancellation. Each refusal is said beside its field, in
Vietnamese, keeps what was typed and records nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta
from uuid import UUID

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import Live
from tests.e2e.web.conftest import SignIn

pytestmark = pytest.mark.integration

ZONE = "khu-1"
MOVED_WHY = "Trùng lịch tiếp xúc cử tri của huyện"
CANCELLED_WHY = "Gộp vào hội nghị toàn Đảng bộ cuối tháng"


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def scheduled(clerk: Page, live: Live, on: date) -> str:
    """A briefing of the zone scheduled from the meetings' page: its page's address."""
    clerk.goto(live.url + "/meetings")
    clerk.select_option("#kind", "briefing")
    clerk.select_option("#zone", ZONE)
    clerk.locator("#scheduled_on").fill(dmy(on))
    clerk.get_by_role("button", name="Lên lịch").click()
    clerk.wait_for_selector("text=Đã lên lịch hội nghị.")
    found = re.search(r"/meetings/([0-9a-f-]{36})", clerk.url)
    assert found, clerk.url
    return live.url + f"/meetings/{found.group(1)}"


def unrequired(page: Page, *selectors: str) -> None:
    """Fields sent as the browser would not: the server's refusal is what is tested."""
    for selector in selectors:
        page.locator(selector).evaluate("field => field.removeAttribute('required')")


def test_a_briefing_moved_then_cancelled_from_its_page(live: Live, sign_in: SignIn) -> None:
    today = live.service.app.today()
    first, then = today + timedelta(days=10), today + timedelta(days=17)
    clerk = sign_in(live, "clerk", width=390)  # on a phone
    url = scheduled(clerk, live, first)
    plan = clerk.locator("section[aria-labelledby=plan]")
    assert plan.locator("table.moves").count() == 0  # no move yet

    # Moved: refused with no reason, said beside it, the date kept as typed; nothing recorded.
    before = head(live)
    clerk.locator("#move-scheduled_on").fill(dmy(then))
    unrequired(clerk, "#move-reason")
    clerk.get_by_role("button", name="Dời hội nghị").click()
    clerk.wait_for_selector("#move-reason-error")
    assert clerk.locator("#move-reason-error").inner_text() == "Cần nhập"
    assert clerk.locator("#move-reason").get_attribute("aria-invalid") == "true"
    assert clerk.locator("#move-scheduled_on").input_value() == dmy(then)
    assert "Chưa ghi nhận: hãy sửa các ô được đánh dấu." in plan.inner_text()
    assert head(live) == before
    # Refused again: to a date before the earliest business date, the reason kept.
    clerk.locator("#move-scheduled_on").fill("31/12/1999")
    clerk.locator("#move-reason").fill(MOVED_WHY)
    clerk.get_by_role("button", name="Dời hội nghị").click()
    clerk.wait_for_selector("#move-scheduled_on-error")
    said = clerk.locator("#move-scheduled_on-error").inner_text()
    assert "trước ngày sớm nhất được nhận" in said and "Ngày họp dự kiến" in said, said
    assert clerk.locator("#move-scheduled_on").get_attribute("aria-invalid") == "true"
    assert clerk.locator("#move-reason").input_value() == MOVED_WHY
    assert head(live) == before
    assert f"Ngày họp dự kiến: {dmy(first)}" in clerk.inner_text("main")
    # Then as it was decided: the page holds the move, from and to, with its reason.
    clerk.locator("#move-scheduled_on").fill(dmy(then))
    clerk.get_by_role("button", name="Dời hội nghị").click()
    clerk.wait_for_selector("text=Đã dời hội nghị sang ngày mới.")
    assert head(live) == before + 1
    main = clerk.inner_text("main")
    assert f"Ngày họp dự kiến: {dmy(then)}" in main and "đã dời 1 lần" in main
    rows = plan.locator("table.moves tbody tr")
    assert rows.count() == 1
    cells = [c.inner_text() for c in rows.first.locator("td").all()]
    assert cells[:4] == [dmy(first), dmy(then), MOVED_WHY, dmy(today)], cells
    assert cells[4] == "Người thử clerk"

    # Cancelled: refused with neither reason nor tick, each said beside it; nothing recorded.
    before = head(live)
    unrequired(clerk, "#cancel-reason", "#cancel-confirm")
    clerk.get_by_role("button", name="Hủy hội nghị").click()
    clerk.wait_for_selector("#cancel-reason-error")
    assert clerk.locator("#cancel-reason-error").inner_text() == "Cần nhập"
    assert clerk.locator("#cancel-confirm-error").inner_text() == "Hãy đánh dấu ô xác nhận"
    assert clerk.locator("#cancel-confirm").get_attribute("aria-invalid") == "true"
    assert head(live) == before
    # The reason given but not the tick: still refused, the reason kept.
    unrequired(clerk, "#cancel-confirm")
    clerk.locator("#cancel-reason").fill(CANCELLED_WHY)
    clerk.get_by_role("button", name="Hủy hội nghị").click()
    clerk.wait_for_selector("#cancel-confirm-error")
    assert clerk.locator("#cancel-reason").input_value() == CANCELLED_WHY
    assert clerk.locator("#cancel-reason-error").count() == 0
    assert head(live) == before
    clerk.locator("#cancel-confirm").check()
    clerk.get_by_role("button", name="Hủy hội nghị").click()
    clerk.wait_for_selector("text=Đã hủy hội nghị.")
    assert head(live) == before + 1
    main = clerk.inner_text("main")
    assert f"Đã hủy ngày {dmy(today)}, lý do: {CANCELLED_WHY}" in main
    assert "Đã hủy" in clerk.locator(".context").inner_text()  # its status
    assert clerk.locator("#move-reason, #cancel-reason, #recipients").count() == 0  # no forms
    assert plan.locator("table.moves tbody tr").count() == 1  # the move still told
    told = plan.locator("p.cancelled").inner_text()
    assert told == f"Hủy ngày {dmy(today)}, do Người thử clerk ghi nhận; lý do: {CANCELLED_WHY}"
    assert clerk.evaluate("location.hash") == "#plan"  # back where the change was made

    # The list says it cancelled; the page reads the same to the committee.
    clerk.goto(live.url + "/meetings")
    assert "Đã hủy" in clerk.locator("table tbody tr").first.inner_text()
    committee = sign_in(live, "committee")
    committee.goto(url)
    assert CANCELLED_WHY in committee.inner_text("main")
    assert MOVED_WHY in committee.locator("table.moves").inner_text()
    assert committee.locator("#cancel-reason").count() == 0  # the committee only reads it


def test_a_meeting_held_meanwhile_is_not_cancelled(live: Live, sign_in: SignIn) -> None:
    """The page shown while the meeting was scheduled; it is held (through the API) before
    the cancellation is sent: refused, said on the page, nothing recorded."""
    today = live.service.app.today()
    clerk = sign_in(live, "clerk")
    url = scheduled(clerk, live, today)
    stale = sign_in(live, "clerk")
    stale.goto(url)
    meeting_id = url.rsplit("/", 1)[1]
    with live.client("clerk") as api:
        answer = api.post(
            f"/v1/meetings/{meeting_id}/held",
            json={
                "chair": "Bí thư Đảng ủy",
                "attendance": [{"cell": "yen-lac-thon1", "status": "present"}],
            },
        )
    assert answer.status_code in (200, 201), answer.text
    before = head(live)

    # Sent at the version the page showed: someone changed it meanwhile.
    stale.locator("#cancel-reason").fill(CANCELLED_WHY)
    stale.locator("#cancel-confirm").check()
    stale.get_by_role("button", name="Hủy hội nghị").click()
    stale.wait_for_selector("section[aria-labelledby=plan] [role=alert]")
    said = stale.locator("section[aria-labelledby=plan] [role=alert]").inner_text()
    assert "Chưa ghi nhận" in said and "phiên bản" in said, said
    assert head(live) == before
    # Sent at the held meeting's own version (its page offers no such form now): the
    # meeting held refuses it, in Vietnamese, with the API's status.
    stale.goto(url)
    assert stale.locator("#cancel-reason").count() == 0  # held: no more changes of plan
    csrf = stale.locator("input[name=csrf]").first.input_value()
    version = str(live.service.meetings.load(UUID(meeting_id)).version)
    sent = stale.request.post(
        url + "/cancel",
        form={"csrf": csrf, "version": version, "reason": CANCELLED_WHY, "confirm": "yes"},
    )
    assert sent.status == 409, sent.status
    alert = re.search(r'<div class="error" role="alert">(.*?)</div>', sent.text(), re.S)
    assert alert, sent.text()[-3000:]
    assert "Không thể hủy hội nghị đang ở trạng thái «Đã tổ chức»." in alert.group(1)
    assert head(live) == before
    stale.goto(url)
    main = stale.inner_text("main")
    assert "Đã hủy ngày" not in main and CANCELLED_WHY not in main
