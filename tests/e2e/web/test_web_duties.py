"""The members' duty through the pages, in Chromium: the admin assigns a committee member
to a cell from ``/admin/duties`` (refused first with no cell or commune: the form again as
typed, the reason beside the field in Vietnamese, nothing recorded), then ends another's
term early with its reason, which the history shows; a cell meeting of that cell held with
the member and a petition raised at it with channel ``cell_meeting``; the committee's
``/duty`` page counts it in the member's record, lists the member's month, and the
printable record says the same."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page

from domain.actors import Actor, Role
from tests.e2e.conftest import Live
from tests.e2e.web.conftest import SignIn, visit_until
from usecases.commands import Context, PetitionDraft
from usecases.duties import AssignDuty
from usecases.meetings import HoldMeeting, ScheduleMeeting

pytestmark = pytest.mark.integration

CELL = "yen-phu-thon1"
NAME = "Lò Thị Mai"


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def cells_of(page: Page, table: str, first: str) -> list[str]:
    row = page.locator(f"table.{table} tbody tr", has_text=first).first
    return [c.inner_text().strip() for c in row.locator("td").all()]


def test_the_admin_assigns_and_the_committee_reads_the_record(live: Live, sign_in: SignIn) -> None:
    today = live.service.app.today()
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    admin = sign_in(live, "admin")
    admin.goto(live.url + "/admin/duties")
    before = head(live)
    admin.locator("#new-member").fill("cuv-mai")
    admin.locator("#new-name").fill(NAME)
    admin.locator("#new-start_on").fill(dmy(start))
    admin.locator("#new-end_on").fill(dmy(end))
    admin.get_by_role("button", name="Phân công", exact=True).click()
    assert admin.locator("#new-cells").get_attribute("aria-invalid") == "true"
    assert admin.locator("#new-cells-error").inner_text() == (
        "«Chi bộ phụ trách»: phân công phải ghi ít nhất một xã hoặc một chi bộ."
    )
    assert admin.locator("#new-name").input_value() == NAME  # as typed
    assert head(live) == before
    admin.select_option("#new-cells", CELL)
    admin.get_by_role("button", name="Phân công", exact=True).click()
    admin.wait_for_selector("text=Đã phân công cấp ủy viên.")
    assert NAME in admin.inner_text("main")

    # Another member's term, ended early from the page with its reason.
    other = live.service.duties.execute(
        AssignDuty(
            member="cuv-son",
            name="Vàng A Sơn",
            communes=("yen-lac",),
            start_on=start,
            end_on=end,
            on=start,
        ),
        Context(Actor("e2e-admin", Role.ADMIN)),
    )
    visit_until(admin, live.url + "/admin/duties", "Vàng A Sơn")
    section = admin.locator("section#duty-cuv-son")
    section.locator("summary", has_text="Kết thúc sớm").click()
    section.locator("#end-cuv-son-ended_on").fill(dmy(max(today - timedelta(days=1), start)))
    section.locator("#end-cuv-son-reason").fill("Chuyển công tác")
    section.get_by_role("button", name="Kết thúc sớm").click()
    admin.wait_for_selector("text=Đã kết thúc phân công.")
    history = admin.locator("section#duty-cuv-son table.duty-history").inner_text()
    assert "Chuyển công tác" in history and other.id

    # The member attends a meeting of the cell, where a petition is raised.
    held_on = max(today - timedelta(days=2), start)
    meetings = live.service.meetings
    committee_ctx = Context(Actor("e2e-committee", Role.COMMITTEE))
    mid = meetings.execute(
        ScheduleMeeting(kind="cell_meeting", cell=CELL, scheduled_on=held_on, on=held_on),
        committee_ctx,
    ).id
    assert meetings.meeting(committee_ctx.actor, mid)["members"] == [NAME]
    meetings.execute(
        HoldMeeting(
            meeting_id=mid,
            chair="Bí thư chi bộ",
            attendance=({"role": "committee_member", "person": NAME, "status": "present"},),
            on=held_on,
        ),
        committee_ctx,
    )
    live.service.app.raise_petition(
        PetitionDraft(
            kind="proposal",
            category="services",
            summary="Sửa trạm bơm Thôn 1",
            text="Trạm bơm Thôn 1 hỏng, ruộng thiếu nước.",
            cell=CELL,
            raised_by="Bí thư chi bộ",
            channel="cell_meeting",
            meeting=str(mid),
            member=NAME,
            raised_on=held_on,
        ),
        Context(Actor("e2e-clerk", Role.CLERK)),
    )

    committee = sign_in(live, "committee")
    committee.goto(live.url + "/")
    committee.get_by_role("link", name="Cấp ủy viên dự sinh hoạt").first.click()
    url = live.url + f"/duty?year={held_on.year}&month={held_on.month}&min_position={head(live)}"
    committee.goto(url)
    record = cells_of(committee, "duty-records", NAME)
    # months covered, cell meetings expected, attended, …, petitions raised at them
    assert (record[1], record[2], record[3], record[-1]) == ("12", "1", "1", "1")
    assert NAME not in committee.locator("table.duty-absent").inner_text()
    committee.goto(live.url + f"/duty/record?year={held_on.year}")
    printed = cells_of(committee, "duty-record", NAME)
    assert (printed[0], printed[3], printed[4], printed[-1]) == ("cuv-mai", "1", "1", "1")
    committee.goto(live.url + f"/duty/members/cuv-mai?year={held_on.year}")
    calendar = committee.locator("table.duty-calendar").inner_text()
    assert dmy(held_on) in calendar and "Có" in calendar
