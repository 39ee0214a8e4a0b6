"""The screenshots in docs/screenshots/, taken in Chromium from the demo district (a year
of briefings recorded through the application): `make screenshots`.

Run: .venv/bin/python -m tests.e2e.web.screenshots docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from cli.summary import load_demo
from service.bootstrap import bootstrap
from service.database import start_embedded
from service.demo import DEMO_SEED
from service.demo_accounts import demo_accounts
from tests.conftest import settings_in
from tests.e2e.conftest import serving
from tests.e2e.test_import_export import minutes, xlsx_file
from tests.e2e.web.conftest import CHROMIUM
from workers.runner import catch_up

WIDTH = 1280


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
        "department": accounts[("department", "kinh-te-ha-tang")],
        "auditor": accounts[("auditor", None)],
    }
    with serving(service) as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking"],
        )

        def page_for(who: str, width: int = WIDTH) -> Page:
            context = browser.new_context(
                locale="vi-VN",
                timezone_id="Asia/Ho_Chi_Minh",
                viewport={"width": width, "height": 900},
            )
            page = context.new_page()
            page.goto(url + "/signin")
            if who:
                page.get_by_label("Tên đăng nhập").fill(account[who][0])
                page.get_by_label("Mật khẩu").fill(account[who][1])
                page.get_by_role("button", name="Đăng nhập").click()
                page.wait_for_load_state()
            return page

        def shot(page: Page, path: str, name: str, *, full: bool = True) -> None:
            page.goto(url + path)
            if page.locator("canvas[data-chart]").count():
                page.wait_for_selector("html[data-charts-drawn]")
            page.screenshot(path=str(out / f"{name}.png"), full_page=full)
            print(f"{out / name}.png  {path}")

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
        browser.close()
    service.close()


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
