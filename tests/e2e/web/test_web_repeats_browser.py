"""Repeats in Chromium on a 390 px phone: a clerk types at a briefing, without diacritics,
a matter the zone raised before; the warning suggests the earlier petition, the clerk
records the row as raising it again, and the new petition's page links to it. The event
log grows by the petition, its link and its row's key, nothing else."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Live
from tests.e2e.web.conftest import SignIn, raise_petition

pytestmark = pytest.mark.integration

SUMMARY = "Cống thoát nước xóm Đình bị tắc"
TEXT = "Cống thoát nước xóm Đình bị tắc, nước ngập vào 12 nhà sau mưa."
TYPED = "Cong thoat nuoc xom Dinh lai bi tac"  # the same matter, typed without diacritics


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def test_a_clerk_records_a_row_as_raising_a_suggested_petition_again(
    live: Live, sign_in: SignIn
) -> None:
    app = live.service.app
    clerk = sign_in(live, "clerk", width=390)
    options = clerk.locator("#cell-1 option")
    first, second = (options.nth(i).get_attribute("value") or "" for i in (1, 2))
    existing = raise_petition(live, SUMMARY, text=TEXT, cell=first, days_ago=40)
    later = raise_petition(live, f"{SUMMARY} lần nữa", text=TEXT, cell=first)
    deadline = time.monotonic() + 10  # the list view, which the warning reads, follows the log
    while live.service.views.petition_list.get(existing) is None:
        assert time.monotonic() < deadline, "the list view never had the petition"
        time.sleep(0.1)

    clerk.reload()
    clerk.select_option("#cell-1", second)
    clerk.select_option("#category-1", "services")
    clerk.fill("#raised_by-1", "Phạm Thị Hoa, Bí thư chi bộ")
    clerk.fill("#summary-1", TYPED)
    clerk.fill("#text-1", "Cong thoat nuoc xom Dinh bi tac, nuoc ngap vao nha sau mua.")
    clerk.get_by_role("button", name="Ghi nhận các ý kiến").click()

    expect(clerk.get_by_text("Có thể trùng với ý kiến đã có:")).to_be_visible()
    choice = clerk.locator(f'[data-repeat-of="{existing}"]')
    expect(choice).to_have_count(1)
    # one raised after the briefing's day is shown, but is no earlier petition to link to
    expect(clerk.locator(f'a[href="/petitions/{later}"]')).to_have_count(1)
    expect(clerk.locator(f'[data-repeat-of="{later}"]')).to_have_count(0)
    before = head(live)
    clerk.get_by_label(f"nêu lại ý kiến «{SUMMARY}»: ghi nhận, liên kết với ý kiến đó").check()
    clerk.get_by_role("button", name="Ghi nhận các ý kiến").click()

    expect(clerk.get_by_text("Đã ghi nhận các ý kiến của hội nghị.")).to_be_visible()
    assert head(live) == before + 3
    # the new petition: the row's, among the list's rows of the commune
    rows = live.service.views.petition_list.candidates(
        organisation=app.state(existing)["organisation"],
        category="services",
        commune=app.district.cells[second].commune,
        folded="",
        closed_since=app.today(),
    )
    (new,) = [r["petition_id"] for r in rows if r["summary"] == TYPED]
    assert app.state(new)["repeat_of"]["petition_id"] == existing
    clerk.goto(f"{live.url}/petitions/{new}")
    link = clerk.locator("[data-repeat-of] a")
    expect(link).to_have_attribute("href", f"/petitions/{existing}")
    assert clerk.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
