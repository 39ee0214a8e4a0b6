"""The screenshots in docs/screenshots/, taken in Chromium from the demo district (a year
of briefings recorded through the application): `make screenshots`.

The pictures of people and administration are of real actions through the pages, in
order: the demo's admin creates a clerk (the one-time password shown once), who signs in
with it, is refused a too common password, records a briefing and is warned of a petition
typed twice; the committee finds them on its queue and assigns them together; the
committee and the department write internal notes, the department answers, and the
timeline names each person with their position. Another cell's clerk co-signs an open
petition instead of raising it again; a mistyped address gets a page; the department
picks its answer's date on the page's own calendar. A clerk records a zone's briefing on
its page (noticed, its agenda issued, held with its attendance) and moves another; the
committee reads the attendance report.

Run: .venv/bin/python -m tests.e2e.web.screenshots docs/screenshots
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Browser, FloatRect, Locator, Page, expect, sync_playwright

from cli.summary import load_demo
from service.bootstrap import bootstrap
from service.database import start_embedded
from service.demo import DEMO_SEED
from service.demo_accounts import demo_accounts
from tests.conftest import settings_in
from tests.e2e.conftest import serving
from tests.e2e.test_import_export import minutes, xlsx_file
from tests.e2e.web.conftest import CHROMIUM, petition_id_in
from workers.runner import catch_up

WIDTH = 1280
DEPARTMENT = "kinh-te-ha-tang"
# The clerk the admin creates, and the petitions the clerk records at a briefing.
CLERK = ("tran.thi.hoa", "Trần Thị Hòa", "Chuyên viên Văn phòng Huyện ủy")
PETITIONS = (
    ("transport", "Cống thoát nước ngõ 5 bị tắc", "Cống tắc sau mưa, nước tràn vào nhà dân."),
    ("agriculture", "Trạm bơm xóm Đồng chưa sửa", "Trạm bơm hỏng, ruộng xóm Đồng thiếu nước."),
    ("services", "Xin lắp thêm loa truyền thanh", "Loa xóm Trại hỏng, dân không nghe thông báo."),
)

# The secretaries named at the briefing the meeting's pictures record (its first four rows).
SECRETARIES = ("Lê Văn Cường", "Trần Thị Bình", "Phạm Văn Dũng", "Hoàng Thị Mai")


@dataclass
class Camera:
    """Chromium on the served demo, and where its pictures go."""

    url: str
    out: Path
    browser: Browser
    accounts: dict[str, tuple[str, str]]

    def page_for(self, who: str, width: int = WIDTH) -> Page:
        """A fresh browser signed in with ``who``'s username and password (none: not)."""
        context = self.browser.new_context(
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport={"width": width, "height": 900},
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.goto(self.url + "/signin")
        if who:
            self.sign_in(page, *self.accounts[who])
        return page

    @staticmethod
    def sign_in(page: Page, username: str, password: str) -> None:
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()

    def shot(self, page: Page, path: str, name: str, *, full: bool = True) -> None:
        page.goto(self.url + path)
        if page.locator("canvas[data-chart]").count():
            page.wait_for_selector("html[data-charts-drawn]")
        self.snap(page, name, full=full)

    def snap(
        self,
        page: Page,
        name: str,
        *,
        full: bool = False,
        part: Locator | None = None,
        end: Locator | None = None,
    ) -> None:
        """The page as it is now (``part``: that element of it alone, down to the bottom
        of ``end`` if given, as a grid's cell is stretched to its row's height)."""
        file = self.out / f"{name}.png"
        page.evaluate("window.scrollTo(0, 0)")  # boxes measured from the page's top
        top, bottom = part and part.bounding_box(), end and end.bounding_box()
        if top and bottom:
            height = bottom["y"] + bottom["height"] - top["y"] + 8
            clip = FloatRect(x=top["x"], y=top["y"], width=top["width"], height=height)
            page.screenshot(path=str(file), full_page=True, clip=clip)
        elif part is not None:
            part.screenshot(path=str(file))
        else:
            page.screenshot(path=str(file), full_page=full)
        print(f"{file}  {page.url.removeprefix(self.url)}")

    def until(self, page: Page, path: str, text: str) -> None:
        """Reload ``path`` until ``text`` shows: the views follow the log within moments."""
        deadline = time.monotonic() + 20
        while True:
            page.goto(self.url + path)
            if text in page.inner_text("main"):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared on {path}")
            time.sleep(0.2)


def main(target: str = "docs/screenshots") -> None:
    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="petitions-screenshots-"))
    database = start_embedded(folder, dbname="screenshots")
    settings = settings_in(folder)
    service = bootstrap(settings, database=database, seed=DEMO_SEED)
    load_demo(service)
    catch_up(service.runners, service.app.recorder, service.app.mapper, page_size=1000)
    people = demo_accounts(service.accounts, folder, service.app.province, service.tokens.only)
    accounts = {(a.role, a.department): (a.username, a.password or "") for a in people}
    account = {
        "clerk": accounts[("clerk", None)],
        "committee": accounts[("committee", None)],
        "department": accounts[("department", DEPARTMENT)],
        "auditor": accounts[("auditor", None)],
        "admin": accounts[("admin", None)],
        "secretary": next((a.username, a.password or "") for a in people if a.role == "secretary"),
    }
    with serving(service) as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking"],
        )
        camera = Camera(url, out, browser, account)
        district(camera, folder)
        administration(camera, service.app.today().strftime("%d/%m/%Y"))
        meetings(camera, service.app.today())
        browser.close()
    service.close()


def district(camera: Camera, folder: Path) -> None:
    """The roles' everyday pages on the demo's year of briefings."""
    shot, page_for, url, out = camera.shot, camera.page_for, camera.url, camera.out
    shot(page_for(""), "/signin", "signin", full=False)
    clerk = page_for("clerk")
    shot(clerk, "/briefing", "clerk-briefing", full=False)
    shot(clerk, "/verification", "clerk-verification", full=False)
    clerk.goto(url + "/import")
    minutes = folder / "bien-ban-giao-ban.xlsx"
    minutes.write_bytes(wrong_minutes())
    clerk.get_by_label("Tệp biên bản (XLSX hoặc CSV UTF-8)").set_input_files(minutes)
    clerk.get_by_role("button", name="Kiểm tra và nhập").click()
    clerk.screenshot(path=str(out / "clerk-import-faults.png"), full_page=False)
    print(f"{out / 'clerk-import-faults'}.png  /import")
    clerk.emulate_media(media="print")
    shot(clerk, "/packet", "clerk-packet-print", full=False)
    committee = page_for("committee")
    shot(committee, "/board", "committee-board", full=False)
    shot(committee, "/scorecards", "committee-scorecards")
    shot(committee, "/categories", "committee-categories")
    committee.emulate_media(media="print")
    shot(committee, "/reports?number=27&signer=Nguyễn Văn An", "committee-report-print")
    committee.emulate_media(media="screen")
    committee.goto(url + "/board")
    first = committee.locator(".board tbody a").first.get_attribute("href")
    shot(committee, str(first), "committee-petition")
    department = page_for("department")
    shot(department, "/inbox", "department-inbox", full=False)
    mine = department.locator(".inbox tbody a").first.get_attribute("href")
    shot(department, str(mine), "department-answer")
    auditor = page_for("auditor")
    shot(auditor, "/audit?verify=true", "auditor-integrity", full=False)
    late = auditor.locator("main table tbody a")
    shot(
        auditor,
        str(late.first.get_attribute("href") if late.count() else first),
        "auditor-timeline",
    )
    shot(page_for("committee", width=390), "/board", "phone-board", full=False)
    secretary = page_for("secretary", width=390)  # a cell's secretary, on a phone
    shot(secretary, "/cell", "phone-secretary-cell", full=False)
    shot(secretary, "/registers/answers", "phone-answer-register", full=False)


def administration(camera: Camera, today: str) -> None:
    """Accounts, reference data and tokens on the admin's pages, and a new clerk's first
    briefing followed to its answer."""
    shot, snap, url = camera.shot, camera.snap, camera.url
    admin = camera.page_for("admin")
    shot(admin, "/admin", "admin-home", full=False)
    admin.goto(url + "/admin/accounts")
    username, full_name, position = CLERK
    admin.get_by_label("Tên đăng nhập").fill(username)
    admin.get_by_label("Họ và tên").fill(full_name)
    admin.get_by_label("Chức vụ").fill(position)
    admin.get_by_label("Vai trò").select_option("clerk")
    admin.get_by_role("button", name="Tạo tài khoản").click()
    expect(admin.locator("[data-created]")).to_contain_text(username)
    given = admin.locator("[data-one-time-password]").inner_text().strip()
    snap(admin, "admin-account-created")

    # A cell refused whole: a code with accents and a space, no name.
    admin.goto(url + "/admin/reference/cells")
    form = admin.locator("#form-create")
    form.locator("#create-code").fill("Thôn 9 mới")
    form.locator("#create-name").fill(" ")
    form.get_by_role("button", name="Thêm").click()
    expect(admin.locator("#form-create .error")).to_be_visible()
    snap(admin, "admin-reference-refused", part=admin.locator("#form-create"))
    shot(admin, "/admin/tokens", "admin-tokens", full=False)

    clerk = camera.page_for("")
    camera.sign_in(clerk, username, given)
    expect(clerk.locator("h1")).to_have_text("Đổi mật khẩu")
    clerk.get_by_label("Mật khẩu hiện tại").fill(given)
    clerk.get_by_label("Mật khẩu mới", exact=True).fill("matkhau123")  # too common
    clerk.get_by_label("Nhập lại mật khẩu mới").fill("matkhau123")
    clerk.get_by_role("button", name="Đổi mật khẩu").click()
    expect(clerk.locator(".field-error")).to_be_visible()
    snap(clerk, "first-signin-password")
    own = "giao ban thang muoi hai"
    clerk.get_by_label("Mật khẩu hiện tại").fill(given)
    clerk.get_by_label("Mật khẩu mới", exact=True).fill(own)
    clerk.get_by_label("Nhập lại mật khẩu mới").fill(own)
    clerk.get_by_role("button", name="Đổi mật khẩu").click()
    expect(clerk.locator("header .who")).to_contain_text(full_name)

    clerk.goto(url + "/briefing")
    zone = clerk.locator('#briefing-form input[name="zone"]').get_attribute("value")
    day = clerk.locator('#briefing-form input[name="briefing"]').get_attribute("value")
    cell = clerk.locator("#cell-1 option").nth(1).get_attribute("value") or ""
    for n, (category, summary, text) in enumerate(PETITIONS, start=1):
        if n > 1 and not clerk.locator(f"#cell-{n}").count():
            clerk.locator("[data-add-row]").click()
        fill_row(clerk, n, cell, category, summary, text)
    clerk.get_by_role("button", name="Ghi nhận các ý kiến").click()
    link = clerk.get_by_role("link", name=PETITIONS[0][1])
    expect(link).to_be_visible()
    petition = petition_id_in(link.get_attribute("href") or "")
    # The first petition typed again, as a clerk might from a second copy of the minutes.
    camera.until(clerk, "/petitions?q=" + PETITIONS[0][1], PETITIONS[0][1])
    clerk.goto(url + "/briefing")
    fill_row(clerk, 1, cell, *PETITIONS[0])
    clerk.get_by_role("button", name="Ghi nhận các ý kiến").click()
    warned = clerk.locator("fieldset.petition-row").filter(has=clerk.locator(".repeats"))
    expect(warned).to_be_visible()
    snap(clerk, "clerk-duplicate-warning")
    warned.get_by_label("trùng ý kiến đã có: không ghi nhận").check()
    clerk.get_by_role("button", name="Ghi nhận các ý kiến").click()
    # Another cell raising the same matter co-signs the open petition instead.
    other = clerk.locator("#cell-1 option").nth(2).get_attribute("value") or ""
    camera.until(clerk, "/petitions?q=" + PETITIONS[1][1], PETITIONS[1][1])
    clerk.goto(url + "/briefing")
    fill_row(clerk, 1, other, *PETITIONS[1])
    clerk.get_by_role("button", name="Ghi nhận các ý kiến").click()
    cosign = clerk.get_by_role("button", name="Ghi nhận chi bộ này cùng kiến nghị")
    expect(cosign).to_be_visible()
    snap(clerk, "clerk-cosign-offer")
    cosign.click()
    expect(clerk.locator("[data-cosigned]")).to_have_count(1)
    lost = camera.page_for("clerk")
    lost.goto(url + "/petitons")  # a mistyped address: a page, not JSON
    snap(lost, "error-404")

    committee = camera.page_for("committee")
    camera.until(committee, "/queue", PETITIONS[-1][1])
    snap(committee, "committee-queue")
    committee.goto(f"{url}/assignments?zone={zone}&briefing={day}")
    snap(committee, "committee-assignments")  # each row as it comes: its category's own
    committee.get_by_label(f"Đơn vị trả lời: {PETITIONS[0][1]}").select_option(DEPARTMENT)
    committee.get_by_role("button", name="Giao các ý kiến đã chọn").click()
    committee.wait_for_load_state()

    committee.goto(f"{url}/petitions/{petition}")
    committee.fill("#note-text", "Đề nghị phòng khảo sát cùng Chi bộ trước hội nghị tới.")
    committee.locator("section.notes").get_by_role("button").click()
    department = camera.page_for("department")
    camera.until(department, "/inbox", PETITIONS[0][1])
    department.get_by_role("link", name=PETITIONS[0][1]).click()
    department.fill("#note-text", "Đã hẹn khảo sát hiện trường sáng thứ Năm.")
    department.locator("section.notes").get_by_role("button").click()
    department.fill("#answer-text", "Đã nạo vét cống ngõ 5, nước đã thoát.")
    department.fill("#answer-number", "88/KTHT")
    opener = department.locator(".date-field:has(#answer-date) .date-button")
    opener.click()
    calendar = department.get_by_role("dialog", name="Lịch chọn ngày")
    expect(calendar).to_be_visible()
    form = department.locator("form:has(#answer-date)")
    snap(department, "date-picker", part=form, end=calendar)
    department.keyboard.press("Escape")
    department.fill("#answer-date", today)
    department.fill("#answer-signer", "Trưởng phòng Kinh tế - Hạ tầng")
    department.get_by_role("button", name="Gửi trả lời").click()
    expect(department.get_by_role("status")).to_be_visible()
    committee.goto(f"{url}/petitions/{petition}")
    snap(committee, "petition-notes", part=committee.locator("section.notes"))
    timeline = committee.locator("section.timeline-section")
    snap(committee, "petition-timeline", part=timeline, end=timeline.locator("ol.timeline"))


def meetings(camera: Camera, today: date) -> None:
    """A zone's briefing recorded through its page as a clerk does (scheduled, noticed a
    week before, its agenda issued from the packet, held with one secretary late and one
    absent with a reason), shown at desktop and phone width; another moved to a later
    date, with its reason; and the committee's attendance report over them."""
    snap, url = camera.snap, camera.url
    clerk = camera.page_for("clerk")

    def schedule(zone: str, on: date, scheduled_on: date) -> str:
        clerk.goto(url + "/meetings")
        clerk.select_option("#kind", "briefing")
        clerk.select_option("#zone", zone)
        clerk.fill("#scheduled_on", dmy(scheduled_on))
        clerk.fill("#on", dmy(on))
        clerk.get_by_role("button", name="Lên lịch").click()
        clerk.wait_for_selector("text=Đã lên lịch hội nghị.")
        found = re.search(r"/meetings/[0-9a-f-]{36}", clerk.url)
        assert found, clerk.url
        return found.group(0)

    clerk.goto(url + "/meetings")
    zones = clerk.locator("#zone option").evaluate_all("options => options.map(o => o.value)")
    zone, other = [z for z in zones if z][:2]
    held = schedule(zone, today - timedelta(days=10), today)
    clerk.fill("#recipients", "Bí thư các chi bộ trong cụm\nTrưởng các phòng, ban chuyên môn")
    clerk.fill("#sent_on", dmy(today - timedelta(days=7)))
    clerk.get_by_role("button", name="Ghi nhận thông báo đã gửi").click()
    clerk.wait_for_selector("text=Đã ghi nhận thông báo triệu tập.")
    clerk.fill("#issued_on", dmy(today - timedelta(days=2)))
    clerk.get_by_role("button", name="Phát hành chương trình từ tài liệu hội nghị").click()
    clerk.wait_for_selector("text=Đã phát hành chương trình hội nghị.")
    clerk.fill("#chair", "Đồng chí Nguyễn Văn An, Phó Bí thư Thường trực")
    cells = clerk.locator('input[type=hidden][name^="cell-"]')
    rows = [str(c.get_attribute("name")).removeprefix("cell-") for c in cells.all()]
    late, absent = rows[1], rows[3]
    clerk.select_option(f"#status-{late}", "late")
    clerk.fill(f"#minutes_late-{late}", "15")
    clerk.select_option(f"#status-{absent}", "absent")
    clerk.fill(f"#reason-{absent}", "Đi tập huấn ở tỉnh, có báo trước")
    clerk.check(f"#excused-{absent}")
    for row, name in zip(rows[:4], SECRETARIES, strict=True):
        clerk.fill(f"#person-{row}", name)
    clerk.get_by_role("button", name="Ghi nhận hội nghị đã họp").click()
    clerk.wait_for_selector("text=Đã ghi nhận hội nghị đã họp")
    clerk.goto(url + held)  # down to its first rows of attendance
    attendance = clerk.locator("table.attendance tbody tr")
    snap(clerk, "clerk-meeting-held", part=clerk.locator("body"), end=attendance.nth(4))
    phone = camera.page_for("clerk", width=390)
    phone.goto(url + held)
    section = phone.locator("section[aria-labelledby=held]")
    first_rows = section.locator("table.attendance tbody tr").nth(5)
    snap(phone, "phone-meeting-attendance", part=section, end=first_rows)

    moved = schedule(other, today - timedelta(days=3), today + timedelta(days=7))
    clerk.fill("#move-scheduled_on", dmy(today + timedelta(days=14)))
    clerk.fill("#move-reason", "Trùng lịch tiếp xúc cử tri của Huyện ủy")
    clerk.get_by_role("button", name="Dời hội nghị").click()
    clerk.wait_for_selector("text=Đã dời hội nghị sang ngày mới.")
    snap(clerk, "clerk-meeting-moved", part=clerk.locator("section[aria-labelledby=plan]"))
    assert moved in clerk.url

    committee = camera.page_for("committee")
    camera.until(committee, "/reports/attendance", "Trần Thị Bình")
    snap(committee, "committee-attendance")


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def fill_row(page: Page, n: int, cell: str, category: str, summary: str, text: str) -> None:
    page.select_option(f"#cell-{n}", cell)
    page.select_option(f"#category-{n}", category)
    page.fill(f"#raised_by-{n}", "Nguyễn Văn An, Bí thư chi bộ")
    page.fill(f"#summary-{n}", summary)
    page.fill(f"#text-{n}", text)


def wrong_minutes() -> bytes:
    """A briefing's minutes typed into the template with the faults a clerk makes: a cell
    code mistyped, a summary left out, a day that does not exist."""
    rows = [list(r) for r in minutes("ảnh chụp")]
    rows[1][4] = "yen-lac-thon-3"
    rows[2][2] = ""
    rows[3][8] = "31/04/2026"
    return xlsx_file(rows)


if __name__ == "__main__":
    main(*sys.argv[1:])
