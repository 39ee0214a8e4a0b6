"""The meetings through the pages alone, in Chromium: a clerk schedules a zone's briefing,
sends its notice, issues its agenda from the packet (an earlier answer awaiting its
verdict), records it held with attendance (one secretary late, one absent with a reason),
raises a petition and verifies that answer at it from its page, records the minutes and
closes it; the attendance report and its export then show exactly those figures. Forms
refused say why beside the fields, in Vietnamese, and record nothing."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from uuid import UUID

import pytest
from playwright.sync_api import Page

from api.names import Names
from domain.actors import Actor, Role
from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.web.conftest import SignIn, raise_petition, visit_until
from usecases.commands import Context

pytestmark = pytest.mark.integration

ZONE = "khu-1"
LATE, ABSENT = "yen-lac-thon2", "yen-lac-thon3"
CHAIR = "Đồng chí Phó Bí thư Đảng ủy"
REASON = "Đi tập huấn ở tỉnh, có báo trước"
EARLIER = "Mương thoát nước thôn 5 bị bồi lấp"


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def row_of(page: Page, cell: str) -> str:
    """The index of the attendance form's row of ``cell``'s secretary."""
    name = page.locator(f'input[type=hidden][name^="cell-"][value="{cell}"]').get_attribute("name")
    assert name is not None
    return name.removeprefix("cell-")


def cells_of_zone(live: Live) -> dict[str, str]:
    """The zone's cells open today, each with its commune: the secretaries expected."""
    district = live.service.app.district
    return {
        code: cell.commune
        for code, cell in district.cells.items()
        if cell.retired_on is None and district.zone_of_cell(code).code == ZONE
    }


def table_rows(page: Page, table: str) -> dict[str, list[str]]:
    """A report table's rows by their first cell: the figures' cells as shown."""
    found = {}
    for row in page.locator(f"table.{table} tbody tr").all():
        cells = [c.inner_text().strip() for c in row.locator("td").all()]
        found[cells[0]] = cells
    return found


def answered_earlier(live: Live, today: date) -> UUID:
    """A petition of the zone raised a month ago and answered in writing since: its answer
    awaits its verdict at the next briefing, so the packet (and the agenda) holds it."""
    app = live.service.app
    pid = raise_petition(live, EARLIER, cell="yen-lac-thon5", days_ago=30)
    app.assign(
        pid,
        Context(Actor("e2e-committee", Role.COMMITTEE)),
        department=DEPARTMENT,
        on=today - timedelta(days=28),
    )
    answered_on = today - timedelta(days=20)
    app.answer_in_writing(
        pid,
        Context(Actor("e2e-department", Role.DEPARTMENT, department=DEPARTMENT)),
        on=answered_on,
        text="Đã nạo vét mương thôn 5.",
        document_number="12/KTHT",
        document_date=answered_on,
        signer="Trưởng phòng",
    )
    return pid


def test_a_briefing_from_its_schedule_to_its_minutes_through_the_pages(
    live: Live, sign_in: SignIn
) -> None:
    today = live.service.app.today()
    held_on = today - timedelta(days=2)
    earlier = answered_earlier(live, today)
    clerk = sign_in(live, "clerk", width=390)  # at the meeting, on a phone

    # Scheduled: refused first with the date left out, said beside the field, nothing recorded.
    clerk.goto(live.url + "/meetings")
    before = head(live)
    clerk.select_option("#kind", "briefing")
    clerk.select_option("#zone", ZONE)
    clerk.locator("#on").fill(dmy(today - timedelta(days=10)))
    clerk.locator("#scheduled_on").evaluate("field => field.removeAttribute('required')")
    clerk.get_by_role("button", name="Lên lịch").click()
    assert clerk.locator("#scheduled_on").get_attribute("aria-invalid") == "true"
    assert clerk.locator("#scheduled_on-error").inner_text() == "Cần nhập"
    assert "Chưa lên lịch: hãy sửa các ô được đánh dấu." in clerk.inner_text("main")
    assert head(live) == before
    clerk.locator("#scheduled_on").fill(dmy(held_on))
    clerk.get_by_role("button", name="Lên lịch").click()
    clerk.wait_for_selector("text=Đã lên lịch hội nghị.")
    found = re.search(r"/meetings/([0-9a-f-]{36})", clerk.url)
    assert found, clerk.url
    meeting_url = live.url + f"/meetings/{found.group(1)}"

    # The notice: refused first, dated after the meeting: said beside its date, nothing recorded.
    clerk.locator("#recipients").fill("Bí thư các chi bộ khu 1")
    clerk.locator("#sent_on").fill(dmy(today - timedelta(days=1)))
    before = head(live)
    clerk.get_by_role("button", name="Ghi nhận thông báo đã gửi").click()
    clerk.wait_for_selector("#sent_on-error")
    assert clerk.locator("#sent_on").get_attribute("aria-invalid") == "true"
    assert "thông báo phải gửi trước ngày họp" in clerk.locator("#sent_on-error").inner_text()
    assert "Chưa gửi thông báo." in clerk.inner_text("main") and head(live) == before
    # Then as it was: who was told, when; seven days before, not late (the rule is five).
    clerk.locator("#recipients").fill("Bí thư các chi bộ khu 1\nTrưởng các phòng, ban")
    clerk.locator("#sent_on").fill(dmy(today - timedelta(days=9)))
    clerk.get_by_role("button", name="Ghi nhận thông báo đã gửi").click()
    clerk.wait_for_selector("text=Đã ghi nhận thông báo triệu tập.")
    notice = clerk.locator("section[aria-labelledby=notice]").inner_text()
    assert f"Gửi ngày {dmy(today - timedelta(days=9))}, trước 7 ngày" in notice
    assert "Trưởng các phòng, ban" in notice and "gửi muộn" not in notice

    # The agenda, from the packet, frozen.
    clerk.locator("#issued_on").fill(dmy(today - timedelta(days=5)))
    clerk.get_by_role("button", name="Phát hành chương trình từ tài liệu hội nghị").click()
    clerk.wait_for_selector("text=Đã phát hành chương trình hội nghị.")
    agenda = clerk.locator("section[aria-labelledby=agenda]").inner_text()
    assert "Đã phát hành, không thay đổi: 1 ý kiến." in agenda and EARLIER in agenda
    assert clerk.locator("#issued_on").count() == 0  # issued once

    # Held: refused first (no chair; minutes late not a number), nothing recorded.
    expected = cells_of_zone(live)
    late, absent = row_of(clerk, LATE), row_of(clerk, ABSENT)
    assert clerk.locator("#held_on").input_value() == dmy(held_on)
    clerk.select_option(f"#status-{late}", "late")
    clerk.locator(f"#minutes_late-{late}").fill("mười")
    clerk.select_option(f"#status-{absent}", "absent")
    clerk.locator(f"#reason-{absent}").fill(REASON)
    clerk.locator(f"#excused-{absent}").check()
    clerk.locator(f"#person-{late}").fill("Trần Thị Bình")
    before = head(live)
    clerk.get_by_role("button", name="Ghi nhận hội nghị đã họp").click()
    clerk.wait_for_selector("#chair-error")
    assert clerk.locator("#chair-error").inner_text() == "Cần nhập"
    assert clerk.locator(f"#minutes_late-{late}-error").inner_text() == "Không hợp lệ"
    assert clerk.locator(f"#minutes_late-{late}").get_attribute("aria-invalid") == "true"
    assert clerk.locator(f"#reason-{absent}").input_value() == REASON  # kept as typed
    assert head(live) == before
    clerk.locator("#chair").fill(CHAIR)
    clerk.locator(f"#minutes_late-{late}").fill("15")
    clerk.get_by_role("button", name="Ghi nhận hội nghị đã họp").click()
    clerk.wait_for_selector("text=Đã ghi nhận hội nghị đã họp và điểm danh.")
    held = clerk.locator("section[aria-labelledby=held]").inner_text()
    assert f"Họp ngày {dmy(held_on)}, chủ trì: {CHAIR}" in held
    attendance = clerk.locator("table.attendance tbody tr")
    assert attendance.count() == len(expected)
    statuses = Counter(r.locator("td").nth(1).inner_text() for r in attendance.all())
    assert statuses == {"Có mặt": len(expected) - 2, "Đến muộn": 1, "Vắng mặt": 1}
    assert REASON in held

    # A petition raised at it, from its page: the briefing's page names the meeting.
    clerk.get_by_role("link", name="Ghi nhận ý kiến nêu tại hội nghị này").click()
    assert clerk.locator("#meeting").input_value() == found.group(1)
    clerk.select_option("#cell-1", "yen-lac-thon1")
    clerk.select_option("#category-1", "transport")
    clerk.locator("#summary-1").fill("Đường vào thôn 1 xuống cấp nặng")
    clerk.locator("#text-1").fill("Đường bê tông vào thôn 1 nứt vỡ, ô tô không đi được.")
    clerk.locator("#raised_by-1").fill("Nguyễn Văn An")
    clerk.get_by_role("button", name="Ghi nhận các ý kiến").click()
    clerk.wait_for_selector("text=Đã ghi nhận các ý kiến của hội nghị.")
    visit_until(clerk, meeting_url, "Đường vào thôn 1 xuống cấp nặng")

    # The earlier answer verified at it, from its page: the verification page names it.
    clerk.get_by_role("link", name="Xác minh trả lời tại hội nghị này").click()
    assert clerk.locator("#meeting").input_value() == found.group(1)
    clerk.select_option(f"#verdict-{earlier}", "satisfied")
    clerk.get_by_role("button", name="Ghi nhận kết quả xác minh").click()
    clerk.wait_for_selector("text=Đã ghi nhận kết quả xác minh tại hội nghị.")
    visit_until(clerk, meeting_url, "Hài lòng", selector="input[name=verdicts]")
    verified = clerk.locator("section[aria-labelledby=verified]").inner_text()
    assert EARLIER in verified and "Hài lòng" in verified

    # The minutes, with the petition raised and the answer verified; then closed.
    clerk.locator("#minutes-text").fill("Giao ban khu 1: 1 ý kiến mới; bí thư thôn 3 vắng có phép.")
    assert clerk.locator("input[name=petitions_raised]").is_checked()
    clerk.get_by_role("button", name="Ghi biên bản").click()
    clerk.wait_for_selector("text=Đã ghi biên bản hội nghị.")
    minutes = clerk.locator("section[aria-labelledby=minutes]").inner_text()
    assert "1 ý kiến nêu, 1 trả lời được đọc, 1 kết quả xác minh" in minutes
    assert "bí thư thôn 3 vắng có phép" in minutes
    clerk.get_by_role("button", name="Kết thúc hội nghị").click()
    clerk.wait_for_selector("text=Đã kết thúc hội nghị.")

    # The list, newest first, and the committee's attendance report: exactly those figures.
    clerk.goto(live.url + "/meetings")
    assert "Đã kết thúc" in clerk.locator("table tbody tr").first.inner_text()
    committee = sign_in(live, "committee")
    committee.goto(live.url + "/meetings")
    committee.get_by_role("link", name="Chuyên cần", exact=True).click()
    visit_until(committee, committee.url, "1 hội nghị đã họp")
    assert "0 thông báo gửi muộn" in committee.inner_text("#meeting-figures")
    named = Names(live.service.app.province)  # as every page names a cell and a commune
    names = {code: named.cell(code) for code in expected}
    cells = table_rows(committee, "attendance-cells")
    assert set(cells) == set(names.values())
    for code, name in names.items():
        figures = {LATE: ["1", "0", "1", "0", "0", "100.0 %"], ABSENT: ["1", "0", "0", "1", "0"]}
        want = figures.get(code, ["1", "1", "0", "0", "0", "100.0 %"])
        if code == ABSENT:
            want = [*want, "0.0 %"]
        shown = cells[name][2:]
        shown[2] = shown[2].split()[0]  # the late count, then its minutes
        assert shown == want, (code, cells[name])
    assert "(15 phút)" in cells[names[LATE]][4]
    secretaries = table_rows(committee, "attendance-secretaries")
    assert secretaries["Trần Thị Bình"][1] == names[LATE]
    communes = table_rows(committee, "attendance-communes")
    per_commune = Counter(expected.values())
    assert len(communes) == len(per_commune)
    yen_lac = named.commune("yen-lac")
    n = per_commune["yen-lac"]
    rate = f"{(Decimal((n - 1) * 100) / n).quantize(Decimal('0.1'), ROUND_HALF_UP)} %"
    shown = communes[yen_lac][1:]
    shown[2] = shown[2].split()[0]
    assert shown == [str(n), str(n - 2), "1", "1", "0", rate]

    # The same figures in the export the page offers (CSV: the secretaries' sheet).
    with committee.expect_download() as downloading:
        committee.get_by_role("button", name="Tải CSV").click()
    exported = downloading.value
    assert exported.suggested_filename.startswith("chuyen-can-hoi-nghi-")
    content = Path(exported.path()).read_text(encoding="utf-8-sig")
    table = {r[1]: r for r in csv.reader(content.splitlines()[1:])}
    place = [names[LATE], named.commune("yen-lac")]
    assert table[names[LATE]] == ["Trần Thị Bình", *place, "1", "0", "1", "15", "0", "0", "100"]
    assert table[names[ABSENT]][3:] == ["1", "0", "0", "0", "1", "0", "0"]
    assert len(table) == len(expected)


def test_a_cell_meeting_attended_by_a_committee_member_through_the_pages(
    live: Live, sign_in: SignIn
) -> None:
    """A cell meeting names its attending members: refused without one, beside the field;
    held with the member present, it counts in the member's record on the report."""
    today = live.service.app.today()
    member, cell = "Đồng chí Lò Văn Thắng", "yen-lac-thon4"
    clerk = sign_in(live, "clerk")
    clerk.goto(live.url + "/meetings")
    clerk.select_option("#kind", "cell_meeting")
    clerk.select_option("#cell", cell)
    clerk.locator("#scheduled_on").fill(dmy(today))
    before = head(live)
    clerk.get_by_role("button", name="Lên lịch").click()
    clerk.wait_for_selector("#members-error")
    assert clerk.locator("#members").get_attribute("aria-invalid") == "true"
    said = clerk.locator("#members-error").inner_text()
    assert "sinh hoạt chi bộ có ít nhất một cấp ủy viên dự" in said
    assert head(live) == before
    assert clerk.locator("#cell").input_value() == cell  # kept as chosen
    clerk.locator("#members").fill(member)
    clerk.get_by_role("button", name="Lên lịch").click()
    clerk.wait_for_selector("text=Đã lên lịch hội nghị.")
    heading = clerk.locator("h1").inner_text()
    assert "Sinh hoạt chi bộ có cấp ủy viên dự" in heading
    assert Names(live.service.app.province).cell(cell) in heading

    # Held: the cell's secretary and the member are the rows expected, nothing else to ask.
    legends = [x.inner_text() for x in clerk.locator("fieldset.attendee legend").all()]
    assert legends[:2] == [
        f"Bí thư chi bộ · {Names(live.service.app.province).cell(cell)}",
        f"Cấp ủy viên · {member}",
    ]
    clerk.locator("#chair").fill("Bí thư chi bộ thôn 4")
    clerk.get_by_role("button", name="Ghi nhận hội nghị đã họp").click()
    clerk.wait_for_selector("text=Đã ghi nhận hội nghị đã họp và điểm danh.")
    assert clerk.locator("table.attendance tbody tr").count() == 2
    committee = sign_in(live, "committee")
    visit_until(committee, live.url + "/reports/attendance", member)
    members = table_rows(committee, "attendance-members")
    assert members[member][1:3] == ["1", "1"]  # cell meetings: expected, attended
