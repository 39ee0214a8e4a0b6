"""Co-signing in Chromium: a clerk types at a briefing, word for word, a petition another
cell of the zone already raised and is still open; the page warns of it, the clerk has the
row's cell co-sign the open petition instead, and the petition's page shows the cell (the
committee's timeline too). The event log grows by exactly one event."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from api.names import in_running_text
from tests.e2e.conftest import Live
from tests.e2e.web.conftest import SignIn, raise_petition

pytestmark = pytest.mark.integration

SUMMARY = "Kênh tưới cánh đồng Mả Sậy bị bồi lấp"
TEXT = "Kênh tưới dài 800 m bồi lấp, 15 ha lúa chiêm xuân không lấy được nước."


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def test_a_clerk_links_a_repeated_petition_instead_of_raising_it(
    live: Live, sign_in: SignIn
) -> None:
    app = live.service.app
    clerk = sign_in(live, "clerk")
    assert clerk.url.endswith("/briefing")
    options = clerk.locator("#cell-1 option")
    first, second = (options.nth(i).get_attribute("value") or "" for i in (1, 2))
    existing = raise_petition(live, SUMMARY, text=TEXT, cell=first)
    deadline = time.monotonic() + 10  # the list view, which the warning reads, follows the log
    while live.service.views.petition_list.get(existing) is None:
        assert time.monotonic() < deadline, "the list view never had the petition"
        time.sleep(0.1)

    clerk.reload()
    clerk.select_option("#cell-1", second)
    clerk.select_option("#category-1", "services")
    clerk.fill("#raised_by-1", "Phạm Thị Hoa, Bí thư chi bộ")
    clerk.fill("#summary-1", SUMMARY)
    clerk.fill("#text-1", TEXT)
    clerk.select_option("#cell-2", second)
    clerk.select_option("#category-2", "transport")
    clerk.fill("#raised_by-2", "Phạm Thị Hoa, Bí thư chi bộ")
    clerk.fill("#summary-2", "Đề nghị cắm biển báo khúc cua")
    clerk.fill("#text-2", "Khúc cua đầu làng thiếu biển báo, tháng trước có va chạm.")
    clerk.get_by_role("button", name="Ghi nhận các ý kiến").click()

    expect(clerk.get_by_text("Có thể trùng với ý kiến đã có:")).to_be_visible()
    expect(clerk.get_by_text("giống hệt")).to_be_visible()
    before = head(live)
    clerk.get_by_role("button", name="Ghi nhận chi bộ này cùng kiến nghị").click()

    expect(clerk.get_by_text("Đã ghi nhận chi bộ cùng kiến nghị vào ý kiến đã có.")).to_be_visible()
    expect(clerk.locator("[data-cosigned]")).to_have_count(1)
    expect(clerk.get_by_text("Các ý kiến khác chưa ghi nhận: hãy xem lại rồi gửi.")).to_be_visible()
    expect(clerk.locator("#summary-2")).to_have_value("Đề nghị cắm biển báo khúc cua")
    expect(clerk.locator("#text-2")).to_have_value(
        "Khúc cua đầu làng thiếu biển báo, tháng trước có va chạm."
    )
    assert head(live) == before + 1
    (cosigner,) = app.state(existing)["cosigners"]
    assert cosigner["cell"] == second

    cell = app.district.cells[second]
    named = f"{cell.name} – {in_running_text(app.district.communes[cell.commune].name)}"
    clerk.goto(f"{live.url}/petitions/{existing}")
    expect(clerk.locator("h1")).to_have_text(SUMMARY)
    expect(clerk.locator(f'[data-cosigner="{second}"]')).to_contain_text(named)
    expect(clerk.get_by_text("Chi bộ cùng kiến nghị (1)")).to_be_visible()
    committee = sign_in(live, "committee")
    committee.goto(f"{live.url}/petitions/{existing}")
    expect(committee.locator('.timeline li[data-event="Cosigned"]')).to_contain_text(
        f"{named} cùng kiến nghị"
    )
    assert head(live) == before + 1  # the co-signing alone; the other row not yet sent


def test_the_committee_records_a_cosigning_cell_on_the_petitions_page(
    live: Live, sign_in: SignIn
) -> None:
    """A cell that raised the same matter in its own meeting, recorded from the petition's
    page: refused first with the meeting left unnamed (said beside it, the rest kept as
    typed, nothing recorded), then recorded; the cell is then listed and no longer offered."""
    app = live.service.app
    cells = list(app.district.cells)
    own, other = cells[3], cells[4]
    existing = raise_petition(live, "Đường nội đồng xứ Đồng Quan lầy lội", cell=own)
    committee = sign_in(live, "committee")
    committee.goto(f"{live.url}/petitions/{existing}")
    form = committee.locator("#form-cosign")
    offered = form.locator("#cosign-cell option").evaluate_all("os => os.map(o => o.value)")
    assert own not in offered and other in offered
    form.locator("#cosign-cell").select_option(other)
    form.locator("#cosign-by").fill("Đỗ Văn Hải, Bí thư chi bộ")
    form.locator("#cosign-channel").select_option("meeting")
    form.locator("#cosign-note").fill("Nêu lại ở hội nghị chi bộ tháng này")
    before = head(live)
    form.get_by_role("button", name="Ghi nhận chi bộ cùng kiến nghị").click()
    form = committee.locator("#form-cosign")
    expect(form.locator(".error")).to_be_visible()
    assert "hội nghị" in form.locator(".field-error").inner_text().lower()
    expect(form.locator("#cosign-cell")).to_have_value(other)
    expect(form.locator("#cosign-by")).to_have_value("Đỗ Văn Hải, Bí thư chi bộ")
    expect(form.locator("#cosign-note")).to_have_value("Nêu lại ở hội nghị chi bộ tháng này")
    assert head(live) == before and app.state(existing)["cosigners"] == []

    form.locator("#cosign-meeting").fill("Giao ban khu 1")
    form.get_by_role("button", name="Ghi nhận chi bộ cùng kiến nghị").click()
    expect(committee.get_by_text("Đã ghi nhận chi bộ cùng kiến nghị.")).to_be_visible()
    assert head(live) == before + 1
    (cosigner,) = app.state(existing)["cosigners"]
    assert (cosigner["cell"], cosigner["raised_by"]) == (other, "Đỗ Văn Hải, Bí thư chi bộ")
    expect(committee.locator(f'[data-cosigner="{other}"]')).to_contain_text("Giao ban khu 1")
    offered = committee.locator("#cosign-cell option").evaluate_all("os => os.map(o => o.value)")
    assert other not in offered  # co-signed once
