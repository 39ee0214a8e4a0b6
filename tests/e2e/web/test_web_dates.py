"""Dates on the pages: typed dd/mm/yyyy whatever the browser's language (a text field, with
a calendar the keyboard works), read day first (or ISO, from old links) by every page that
takes one, a wrong date refused in Vietnamese with nothing recorded, and the exports given
ISO 8601 dates whatever was typed on the page."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from api.web import datepicker_labels
from domain.actors import Actor, Role
from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.web.conftest import SignIn, raise_petition
from tests.e2e.web.test_web_accessibility import violations
from tests.e2e.web.test_web_security import head, signed_in
from usecases.commands import Context

pytestmark = pytest.mark.integration

COMMITTEE = Context(Actor("e2e-committee", Role.COMMITTEE))
WRONG = ("31/02/2026", "2026-13-01", "abc")


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def assigned(live: Live, summary: str) -> str:
    """A petition assigned to the department: its page offers the committee an extension."""
    petition = raise_petition(live, summary)
    live.service.app.assign(petition, COMMITTEE, department=DEPARTMENT)
    return str(petition)


def due_on(live: Live, petition: str) -> date:
    found: date = live.service.app.state(petition)["due_on"]  # type: ignore[arg-type]
    return found


def extend(web: httpx.Client, csrf: str, live: Live, petition: str, due: str) -> httpx.Response:
    version = live.service.app.state(petition)["version"]  # type: ignore[arg-type]
    data = {"csrf": csrf, "version": str(version), "due_on": due, "reason": "Cần khảo sát"}
    return web.post(f"/petitions/{petition}/extend", data=data)


def hidden_of(page: str, action: str) -> dict[str, str]:
    """The hidden fields of the page's export form to ``action``: what it sends."""
    form = re.search(rf'<form method="get" action="{action}".*?</form>', page, re.S)
    assert form, page[:2000]
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form.group()))


def test_a_date_typed_day_first_is_recorded_and_a_wrong_one_changes_nothing(live: Live) -> None:
    petition = assigned(live, "Đèn đường thôn 3 hỏng")
    web, csrf = signed_in(live, "committee")
    later = due_on(live, petition) + timedelta(days=20)
    answer = extend(web, csrf, live, petition, dmy(later))
    assert answer.status_code == 303, unescape(answer.text)[:2000]
    assert due_on(live, petition) == later
    # ISO, as an old form or a script sends it, is read too
    iso = later + timedelta(days=1)
    assert extend(web, csrf, live, petition, iso.isoformat()).status_code == 303
    assert due_on(live, petition) == iso
    for wrong in WRONG:
        before = head(live)
        refused = extend(web, csrf, live, petition, wrong)
        assert refused.status_code == 422, (wrong, refused.status_code)
        text = unescape(refused.text)
        assert "Không phải một ngày: hãy viết ngày/tháng/năm, ví dụ 31/12/2026" in text, wrong
        assert f'value="{wrong}"' in text  # shown back as typed, to be corrected
        assert head(live) == before and due_on(live, petition) == iso
    # English on the switch
    web.cookies.set("lang", "en")
    before = head(live)
    refused = extend(web, csrf, live, petition, "31/02/2026")
    assert refused.status_code == 422
    assert "Not a date: write day/month/year, e.g. 31/12/2026" in unescape(refused.text)
    assert head(live) == before


def test_the_assignment_of_a_briefing_reads_its_due_date_day_first(live: Live) -> None:
    app = live.service.app
    petition = raise_petition(live, "Ao làng bốc mùi", category="environment")
    zone = app.district.zone_of_cell(next(iter(app.district.cells))).code
    web, csrf = signed_in(live, "committee")
    version = app.state(petition)["version"]  # type: ignore[arg-type]
    due = app.today() + timedelta(days=25)

    def send(typed: str) -> httpx.Response:
        data = {
            "csrf": csrf,
            "zone": zone,
            "briefing": dmy(app.today()),
            "due_on": typed,
            "petition": str(petition),
            f"department-{petition}": DEPARTMENT,
            f"version-{petition}": str(version),
        }
        return web.post("/assignments", data=data)

    for wrong in WRONG:
        before = head(live)
        refused = send(wrong)
        assert refused.status_code == 422, (wrong, unescape(refused.text)[:1500])
        assert "Hạn trả lời không phải một ngày hợp lệ" in unescape(refused.text)
        assert head(live) == before and app.state(petition)["status"] == "raised"
    assert send(dmy(due)).status_code == 303
    assert due_on(live, str(petition)) == due


def test_the_lists_read_dates_day_first_and_export_them_in_iso(live: Live) -> None:
    raise_petition(live, "Cống thoát nước ngõ 7 tắc")
    today = live.service.app.today()
    start = today - timedelta(days=30)
    web, _ = signed_in(live, "committee")
    # the petition list: the field shows what was typed, the export gets ISO
    listed = web.get("/petitions", params={"raised_from": dmy(start), "raised_to": dmy(today)})
    assert listed.status_code == 200, unescape(listed.text)[:1000]
    assert f'value="{dmy(start)}"' in listed.text
    hidden = hidden_of(listed.text, "/exports/petitions")
    assert hidden == {"raised_from": start.isoformat(), "raised_to": today.isoformat()}
    exported = web.get("/exports/petitions", params={**hidden, "format": "csv"})
    assert exported.status_code == 200 and "Cống thoát nước ngõ 7 tắc" in exported.text
    # an old link's ISO is read, and shown day first
    old = web.get("/petitions", params={"raised_from": start.isoformat()})
    assert old.status_code == 200 and f'value="{dmy(start)}"' in old.text
    # the overdue board, as of a day typed day first
    board = web.get("/board", params={"on": dmy(today)})
    assert board.status_code == 200, unescape(board.text)[:1000]
    hidden = hidden_of(board.text, "/exports/overdue")
    assert hidden["on"] == today.isoformat()
    assert web.get("/exports/overdue", params={**hidden, "format": "csv"}).status_code == 200
    # a period's report
    report = web.get("/reports", params={"from": dmy(start), "to": dmy(today)})
    assert report.status_code == 200, unescape(report.text)[:1000]
    assert f"từ ngày {dmy(start)} đến ngày {dmy(today)}" in unescape(report.text)
    hidden = hidden_of(report.text, "/exports/categories")
    assert (hidden["from"], hidden["to"]) == (start.isoformat(), today.isoformat())
    assert web.get("/exports/categories", params={**hidden, "format": "csv"}).status_code == 200
    # the organisations compared
    compared = web.get("/organisations", params={"from": dmy(start), "to": dmy(today)})
    assert compared.status_code == 200, unescape(compared.text)[:1000]
    assert f'value="{dmy(start)}"' in compared.text
    hidden = hidden_of(compared.text, "/exports/organisations")
    assert (hidden["from"], hidden["to"]) == (start.isoformat(), today.isoformat())
    # a wrong date: refused, saying which value is wrong
    for path, name in (
        ("/petitions", "raised_from"),
        ("/board", "on"),
        ("/reports", "from"),
        ("/organisations", "to"),
        ("/verification", "briefing"),
    ):
        for wrong in WRONG:
            refused = web.get(path, params={name: wrong})
            assert refused.status_code == 422, (path, wrong, refused.status_code)
            text = unescape(refused.text)
            assert f"«{wrong}» không phải một ngày" in text or (
                # the list names the field, as every refusal of its filters does
                path == "/petitions" and "không phải một ngày" in text
            ), (path, wrong, text[:1500])
    web.cookies.set("lang", "en")
    refused = web.get("/board", params={"on": "31/02/2026"})
    assert refused.status_code == 422
    assert "«31/02/2026» is not a date: write day/month/year" in unescape(refused.text)


def add_month(day: date) -> date:
    """The same day a month on, or that month's last: as the calendar's PageDown moves."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def focused_id(page: Page) -> str:
    found: str = page.evaluate("document.activeElement.id")
    return found


def test_an_english_browser_types_a_date_day_first(live: Live, sign_in: SignIn) -> None:
    petition = assigned(live, "Trạm bơm thôn 6 hỏng")
    later = due_on(live, petition) + timedelta(days=15)
    page = sign_in(live, "committee", locale="en-US")
    page.goto(f"{live.url}/petitions/{petition}")
    field = page.locator("#extend-due")
    expect(field).to_have_attribute("type", "text")
    expect(field).to_have_attribute("placeholder", "dd/mm/yyyy")
    expect(field).to_have_attribute("inputmode", "numeric")
    # the browser checks the form as the page reads it, whatever its language
    valid = "(el, v) => { el.value = v; return el.checkValidity(); }"
    assert field.evaluate(valid, "abc") is False
    assert field.evaluate(valid, "12/31") is False
    assert field.evaluate(valid, dmy(later)) and field.evaluate(valid, later.isoformat())
    field.fill("")
    field.press_sequentially(dmy(later))
    page.fill("#extend-reason", "Chờ vật tư")
    page.get_by_role("button", name="Gia hạn", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Đã gia hạn.")
    assert due_on(live, petition) == later


def test_without_the_script_the_field_alone_takes_the_date(live: Live, sign_in: SignIn) -> None:
    petition = assigned(live, "Giếng nước thôn 2 nhiễm bẩn")
    later = due_on(live, petition) + timedelta(days=12)
    page = sign_in(live, "committee", locale="en-US", java_script_enabled=False)
    page.goto(f"{live.url}/petitions/{petition}")
    expect(page.locator(".date-button")).to_have_count(0)  # no calendar without the script
    expect(page.locator("#extend-due-hint")).to_have_text("ngày/tháng/năm, ví dụ 31/12/2026")
    page.fill("#extend-due", dmy(later))
    page.fill("#extend-reason", "Chờ thiết kế")
    page.get_by_role("button", name="Gia hạn", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Đã gia hạn.")
    assert due_on(live, petition) == later


def test_a_date_is_picked_in_the_calendar_with_the_keyboard(live: Live, sign_in: SignIn) -> None:
    petition = assigned(live, "Sân bóng thôn 8 ngập nước")
    start = due_on(live, petition) + timedelta(days=10)
    page = sign_in(live, "committee", locale="en-US")
    page.goto(f"{live.url}/petitions/{petition}")
    field = page.locator("#extend-due")
    field.fill(dmy(start))
    field.press("Tab")  # to the calendar's button, beside the field
    opener = page.locator(".date-field:has(#extend-due) .date-button")
    expect(opener).to_have_accessible_name("Chọn ngày trên lịch")
    expect(opener).to_be_focused()
    expect(opener).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Lịch chọn ngày")
    expect(dialog).to_be_visible()
    expect(opener).to_have_attribute("aria-expanded", "true")
    month = f"Tháng {start.month} năm {start.year}"
    expect(dialog.locator(".calendar-title")).to_have_text(month)
    expect(dialog.locator("th").first).to_have_text("T2")
    focused = dialog.locator(".calendar-day:focus")
    # each day read out whole, with its weekday
    weekday = datepicker_labels.WEEKDAYS[start.weekday()][1]
    name = f"{weekday}, ngày {start.day} Tháng {start.month} năm {start.year}"
    expect(focused).to_have_accessible_name(name)
    expect(focused).to_have_attribute("data-day", str(start.day))
    # Escape closes it, the focus back on the field, nothing changed
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert focused_id(page) == "extend-due"
    expect(field).to_have_value(dmy(start))
    # a day on, a week on, a month on, then picked
    field.press("Tab")
    page.keyboard.press("Enter")
    for key in ("ArrowRight", "ArrowDown", "PageDown"):
        page.keyboard.press(key)
    target = add_month(start + timedelta(days=8))
    expect(focused).to_have_attribute("data-day", str(target.day))
    expect(dialog.locator(".calendar-title")).to_have_text(
        f"Tháng {target.month} năm {target.year}"
    )
    page.keyboard.press("PageUp")  # and back a month, and on again
    page.keyboard.press("PageDown")
    expect(focused).to_have_attribute("data-day", str(target.day))
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(field).to_have_value(dmy(target))
    assert focused_id(page) == "extend-due"
    page.fill("#extend-reason", "Chờ kinh phí")
    page.get_by_role("button", name="Gia hạn", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Đã gia hạn.")
    assert due_on(live, petition) == target


def test_the_calendar_speaks_english_on_the_switch(live: Live, sign_in: SignIn) -> None:
    page = sign_in(live, "committee", locale="en-US")
    page.goto(f"{live.url}/lang/en?next=/board")
    today = live.service.app.today()
    page.get_by_role("button", name="Choose the date on a calendar").click()
    dialog = page.get_by_role("dialog", name="Calendar to choose a date")
    expect(dialog.locator(".calendar-title")).to_have_text(
        f"{calendar.month_name[today.month]} {today.year}"
    )
    expect(dialog.locator("th").first).to_have_text("Mo")
    expect(dialog.locator("abbr").first).to_have_attribute("title", "Monday")
    first = dialog.locator('.calendar-day[data-day="1"]')
    weekday = calendar.day_name[today.replace(day=1).weekday()]
    expect(first).to_have_accessible_name(
        f"{weekday} 1 {calendar.month_name[today.month]} {today.year}"
    )
    dialog.get_by_role("button", name="Close the calendar").click()
    expect(dialog).to_be_hidden()
    assert focused_id(page) == "on"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_calendar_open_and_closed_has_no_accessibility_violations(
    live: Live, sign_in: SignIn, width: int
) -> None:
    petition = assigned(live, f"Cầu khỉ thôn 9 xuống cấp {width}")
    page = sign_in(live, "committee", width=width, bypass_csp=True)
    found: dict[str, Any] = {}
    for path, field in ((f"/petitions/{petition}", "#extend-due"), ("/board", "#on")):
        page.goto(live.url + path)
        found[f"{path} closed"] = violations(page)
        page.locator(field).fill(dmy(live.service.app.today()))
        page.locator(field).press("Tab")
        page.keyboard.press("Enter")
        expect(page.get_by_role("dialog")).to_be_visible()
        found[f"{path} open"] = violations(page)
        # the calendar fits the screen
        box = page.get_by_role("dialog").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    failing = {k: v for k, v in found.items() if v}
    assert not failing, failing
