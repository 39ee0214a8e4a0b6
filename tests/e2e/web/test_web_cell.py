"""A cell's secretary on a 390 px phone: signed in, it lands on its cell's petitions, one
card each, none of another cell's; a petition's page shows the answer's letter (number,
date, signer, attachment) and the due dates, with nothing to do; another cell's petition
is not found; the month's answer register fits the screen and downloads signed."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from audit.register import RegisterVerdict, verify_file
from domain.actors import Actor, Role
from stores.attachments import Letter
from tests.e2e.conftest import CELL, DEPARTMENT, OTHER_CELL, Live
from tests.e2e.web.conftest import SignIn, raise_petition, visit_until
from usecases.commands import Context

PHONE = 390
LETTER = Letter(
    name="cong-van-31.pdf", content=b"%PDF-1.4 cong van 31", content_type="application/pdf"
)


def fits(page: Page) -> None:
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"{page.url} is {width} px wide"


def test_a_secretary_reads_its_cells_petitions_on_a_phone(live: Live, sign_in: SignIn) -> None:
    app = live.service.app
    today = app.today()
    ours = raise_petition(live, "Đèn đường thôn 3 hỏng cả tuyến", cell=CELL, days_ago=20)
    waiting = raise_petition(live, "Mương thoát nước thôn 3 tắc", cell=CELL, days_ago=2)
    theirs = raise_petition(live, "Trạm bơm thôn 1 hỏng", cell=OTHER_CELL, days_ago=2)
    committee = Context(Actor("e2e-committee", Role.COMMITTEE))
    app.assign(ours, committee, department=DEPARTMENT, on=today - timedelta(days=18))
    head = Context(Actor("e2e-head", Role.DEPARTMENT, DEPARTMENT))
    app.answer_in_writing(
        ours,
        head,
        text="Đã thay bóng đèn toàn tuyến.",
        document_number="31/KTHT",
        document_date=today - timedelta(days=1),
        signer="Trưởng phòng Lê Văn An",
        on=today,
        letters=[LETTER],
    )

    page = sign_in(live, "secretary", width=PHONE)
    assert page.url.endswith("/cell"), page.url
    visit_until(page, f"{live.url}/cell", "Mương thoát nước thôn 3 tắc")
    expect(page.locator("h1")).to_contain_text("Chi bộ Thôn 3")
    main = page.locator("main")
    expect(main).not_to_contain_text("Trạm bơm thôn 1 hỏng")
    card = page.locator(f'[data-petition="{ours}"]')
    expect(card).to_contain_text("Đã trả lời")
    expect(page.locator(f'[data-petition="{waiting}"]')).to_contain_text("Mới tiếp nhận")
    fits(page)
    # only reading: no form but the status filter, and no link to the general list
    assert page.locator("main form").count() == 1
    assert page.locator('nav a[href="/petitions"]').count() == 0

    card.get_by_role("link").click()
    page.wait_for_url(f"**/cell/petitions/{ours}")
    answer = page.locator("[data-answer]")
    expect(answer).to_contain_text("31/KTHT")
    expect(answer).to_contain_text("Trưởng phòng Lê Văn An")
    expect(answer).to_contain_text(LETTER.name)
    expect(page.locator("[data-petition-facts]")).to_contain_text("Hạn trả lời")
    assert page.locator("main form, main button").count() == 0
    fits(page)

    other = page.goto(f"{live.url}/cell/petitions/{theirs}")
    assert other is not None and other.status == 404
    expect(page.locator("main")).not_to_contain_text("Trạm bơm")

    month = today.strftime("%Y-%m")
    visit_until(page, f"{live.url}/registers/answers?month={month}", "31/KTHT")
    fits(page)
    with page.expect_download() as download:
        page.locator("[data-register-file]").click()
    data = Path(download.value.path()).read_bytes()
    assert verify_file(data).verdict is RegisterVerdict.INTACT
    rows = json.loads(data)["register"]["rows"]
    assert [r["attachments"][0]["name"] for r in rows if r["document_number"] == "31/KTHT"] == [
        LETTER.name
    ]
