"""axe-core (vendored, run inside the page) over the main pages of every role, at desktop
and phone width: no WCAG 2 A/AA violation (labels, contrast, names, structure)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from api.web.render import SESSION_COOKIE
from domain.actors import Actor, Role
from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.web.conftest import AXE, SignIn, raise_petition, visit_until
from usecases.commands import Context
from usecases.meetings import HoldMeeting, ScheduleMeeting, SendNotice

pytestmark = pytest.mark.integration

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def petition(live: Live) -> Iterator[str]:
    """One answered petition, so that its page has a timeline and an answer."""
    app = live.service.app
    petition = raise_petition(
        live, "Cầu tràn thôn 2 sạt lở", text="Cầu tràn bị sạt lở sau mưa lũ.", category="transport"
    )
    committee = Context(Actor("e2e-committee", Role.COMMITTEE))
    app.assign(petition, committee, department=DEPARTMENT)
    # and one awaiting assignment, for the committee's queue and its briefing's assignment
    raise_petition(live, "Mương thoát nước thôn 4 bị lấp", category="environment")
    yield str(petition)


@pytest.fixture(scope="module")
def ended(live: Live) -> str:
    """A petition the committee closed: its page offers the committee's reopening."""
    pid = raise_petition(live, "Nhà văn hóa thôn 5 dột mái", category="services")
    live.service.app.close_petition(
        pid, Context(Actor("e2e-committee", Role.COMMITTEE)), reason="Đã giải quyết"
    )
    return str(pid)


@pytest.fixture(scope="module")
def meetings(live: Live) -> dict[str, str]:
    """A briefing scheduled (its page shows the forms of notice, agenda and attendance) and
    one held, noticed late, with a secretary late and one absent (its table and minutes'
    form); both of the first cell's zone."""
    app, meetings = live.service.app, live.service.meetings
    clerk = Context(Actor("e2e-clerk", Role.CLERK))
    today = app.today()
    cells = [c for c in app.district.cells if app.district.zone_of_cell(c).code == "khu-1"]
    kind = {"kind": "briefing", "zone": "khu-1"}
    scheduled = meetings.execute(ScheduleMeeting(**kind, scheduled_on=today), clerk)
    held = meetings.execute(
        ScheduleMeeting(**kind, scheduled_on=today, on=today - timedelta(days=2)), clerk
    )
    notice = SendNotice(meeting_id=held.id, recipients=("Bí thư các chi bộ",), on=today)
    meetings.execute(notice, clerk)
    attendance = (
        {"role": "secretary", "cell": cells[0], "status": "late", "minutes_late": 10},
        {"role": "secretary", "cell": cells[1], "status": "absent", "reason": "Ốm"},
        {"role": "secretary", "cell": cells[2], "status": "present", "person": "Lê Văn Cường"},
    )
    meetings.execute(
        HoldMeeting(meeting_id=held.id, chair="Đồng chí Bí thư", attendance=attendance), clerk
    )
    return {"meeting": str(scheduled.id), "held": str(held.id)}


def briefing_of(live: Live) -> dict[str, str]:
    """The briefing the module's petitions were raised at: their zone, today."""
    app = live.service.app
    cell = next(iter(app.district.cells))
    return {"zone": app.district.zone_of_cell(cell).code, "today": app.today().isoformat()}


def violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }""",
        WCAG,
    )
    return found


MEETING_PAGES = ("/meetings", "/reports/attendance", "/duty", "/admin/duties")
PAGES = {
    "clerk": [
        "/briefing",
        "/verification",
        "/packet",
        "/petitions",
        "/petitions/{id}",
        "/import",
        "/lookup",  # without a petition: the page of a wrong query (422)
        "/lookup?petition=abc",  # the page's own refusal
        "/khong-co-trang-nay",  # the page of a mistyped address (404)
        "/meetings",
        "/meetings/from-calendar",
        "/meetings/{meeting}",
        "/meetings/{held}",
    ],
    "committee": [
        "/board",
        "/scorecards",
        "/categories",
        "/petitions/{id}",
        "/petitions/{ended}",
        "/reports",
        "/queue",
        "/assignments?zone={zone}&briefing={today}",
        "/reports/attendance",
        "/meetings/{held}",
        "/duty",
        "/duty/record",
    ],
    "department": ["/inbox", "/petitions/{id}"],
    "auditor": [
        "/audit",
        "/petitions/{id}",
        "/reports?from=2026-01-01&to=2026-06-30",
        "/audit/reference",
        "/accounts/history",
    ],
    "secretary": ["/cell", "/registers/answers"],
    "admin": [
        "/admin/tokens",
        "/admin/reference",
        "/admin/reference/zones",
        "/admin/reference/communes",
        "/admin/reference/cells",
        "/admin/reference/departments",
        "/admin/reference/categories",
        "/admin/reference/calendars",
        "/admin",
        "/admin/accounts",
        "/admin/accounts/{user}",
        "/admin/duties",
        "/accounts/history",
        "/account",
        "/account/password",
        "/account/second-factor",
    ],
}


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_main_pages_have_no_accessibility_violations(
    live: Live,
    sign_in: SignIn,
    petition: str,
    ended: str,
    meetings: dict[str, str],
    width: int,
    browser: Any,
) -> None:
    checked, found = 0, {}
    # The sign-in page, before anyone signs in.
    context = browser.new_context(
        locale="vi-VN", bypass_csp=True, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.goto(live.url + "/signin")
    found["/signin"] = violations(page)
    checked += 1
    # The second factor's page, of a session waiting for its code.
    waiting = live.service.sessions.open(live.account_principal("auditor"), code_given=False)
    context.add_cookies([{"name": SESSION_COOKIE, "value": waiting, "url": live.url}])
    page.goto(live.url + "/signin/code")
    assert page.locator("input[name=code]").count() == 1, page.content()[:1000]
    found["/signin/code"] = violations(page)
    checked += 1
    context.close()
    clerk = live.account_principal("clerk").token_id  # an account the admin's pages show
    for who, paths in PAGES.items():
        # axe is added to the page as a script; the pages' CSP would rightly refuse it.
        page = sign_in(live, who, width=width, bypass_csp=True)
        for path in paths:
            url = live.url + path.format(
                id=petition, ended=ended, user=clerk, **briefing_of(live), **meetings
            )
            if who == "department" and path == "/inbox":
                visit_until(page, url, "Cầu tràn thôn 2 sạt lở")
            else:
                shown = page.goto(url)
                if path.startswith(MEETING_PAGES):  # the meeting's own, not a refusal
                    assert shown is not None and shown.ok, (url, shown and shown.status)
            if path in ("/scorecards", "/categories"):
                page.wait_for_selector("html[data-charts-drawn]")
            found[f"{who} {path}"] = violations(page)
            checked += 1
    failing = {k: v for k, v in found.items() if v}
    print(f"axe-core {WCAG}: {checked} pages at {width} px, {len(failing)} with violations")
    assert not failing, failing
    assert checked == 2 + sum(len(p) for p in PAGES.values())


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_entry_tasks_have_no_accessibility_violations(
    live: Live, sign_in: SignIn, petition: str, width: int
) -> None:
    """Through the pages alone: a committee member saves a filter of the list and writes an
    internal note; a clerk types a briefing's petition that repeats an open one of another
    cell, is warned before it is recorded, and has the row's cell co-sign the open one.
    axe-core on each page so reached."""
    found = {}
    committee = sign_in(live, "committee", width=width, bypass_csp=True)
    committee.goto(live.url + "/petitions?status=assigned")
    committee.locator("details.saved-filters").evaluate("details => { details.open = true; }")
    committee.get_by_label("Lưu bộ lọc đang xem với tên").fill(f"Đã giao {width}")
    committee.get_by_role("button", name="Lưu bộ lọc").click()
    committee.wait_for_selector("text=Đã lưu bộ lọc.")
    found["saved filter"] = violations(committee)
    committee.goto(live.url + f"/petitions/{petition}")
    committee.get_by_label("Nội dung ghi chú").fill(f"Ghi chú ở {width} px")
    committee.get_by_role("button", name="Lưu ghi chú").click()
    committee.wait_for_selector(f"text=Ghi chú ở {width} px")
    found["note"] = violations(committee)
    clerk = sign_in(live, "clerk", width=width, bypass_csp=True)
    district = live.service.app.district
    cell = next(iter(district.cells))  # the fixture's petition's
    clerk.goto(live.url + f"/briefing?zone={district.zone_of_cell(cell).code}")
    cells = clerk.locator("#cell-1 option").evaluate_all("options => options.map(o => o.value)")
    other = next(c for c in cells if c and c != cell)  # a neighbour raising the same matter
    clerk.select_option("#cell-1", other)
    clerk.select_option("#category-1", "transport")
    clerk.locator("#summary-1").fill("Cầu tràn thôn 2 sạt lở")
    clerk.locator("#text-1").fill("Cầu tràn bị sạt lở sau mưa lũ.")
    clerk.locator("#raised_by-1").fill("Nguyễn Văn Thử")
    clerk.get_by_role("button", name="Ghi nhận các ý kiến").click()
    clerk.wait_for_selector("text=Có thể trùng với ý kiến đã có:")
    found["repeat warned"] = violations(clerk)
    clerk.screenshot(path=f"/tmp/tasks-entry-briefing-{width}.png", full_page=True)
    clerk.get_by_role("button", name="Ghi nhận chi bộ này cùng kiến nghị").click()
    clerk.wait_for_selector("text=Đã ghi nhận chi bộ cùng kiến nghị vào ý kiến đã có.")
    found["cosigned"] = violations(clerk)
    clerk.goto(live.url + f"/petitions/{petition}")
    clerk.wait_for_selector(f'[data-cosigner="{other}"]')
    found["cosigning cell shown"] = violations(clerk)
    committee.screenshot(path=f"/tmp/tasks-entry-note-{width}.png", full_page=True)
    failing = {k: v for k, v in found.items() if v}
    assert len(found) == 5 and not failing, failing


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_meetings_change_of_plan_has_no_accessibility_violations(
    live: Live, sign_in: SignIn, width: int
) -> None:
    """A clerk's briefing, through its page: the move refused (no reason) and the
    cancellation refused (neither reason nor tick), each with its errors beside the
    fields; then moved, and cancelled: its moves' table and its reason. axe-core on each."""
    today = live.service.app.today()
    clerk_ctx = Context(Actor("e2e-clerk", Role.CLERK))
    briefing = ScheduleMeeting(kind="briefing", zone="khu-1", scheduled_on=today)
    meeting = live.service.meetings.execute(briefing, clerk_ctx).id
    found = {}
    clerk = sign_in(live, "clerk", width=width, bypass_csp=True)
    clerk.goto(live.url + f"/meetings/{meeting}")
    clerk.locator("#move-scheduled_on").fill((today + timedelta(days=7)).strftime("%d/%m/%Y"))
    clerk.locator("#move-reason").evaluate("field => field.removeAttribute('required')")
    clerk.get_by_role("button", name="Dời hội nghị").click()
    clerk.wait_for_selector("#move-reason-error")
    found["move refused"] = violations(clerk)
    clerk.locator("#move-reason").fill("Trùng lịch của huyện")
    clerk.get_by_role("button", name="Dời hội nghị").click()
    clerk.wait_for_selector("table.moves")
    found["moved"] = violations(clerk)
    for field in ("#cancel-reason", "#cancel-confirm"):
        clerk.locator(field).evaluate("field => field.removeAttribute('required')")
    clerk.get_by_role("button", name="Hủy hội nghị").click()
    clerk.wait_for_selector("#cancel-confirm-error")
    found["cancel refused"] = violations(clerk)
    clerk.locator("#cancel-reason").fill("Gộp vào hội nghị toàn Đảng bộ")
    clerk.locator("#cancel-confirm").check()
    clerk.get_by_role("button", name="Hủy hội nghị").click()
    clerk.wait_for_selector(".notice.cancelled")
    found["cancelled"] = violations(clerk)
    failing = {k: v for k, v in found.items() if v}
    assert len(found) == 4 and not failing, failing
