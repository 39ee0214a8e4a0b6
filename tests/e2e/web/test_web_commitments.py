"""An answer's commitment through the pages, in Chromium: the department answers with one
on the answer's form, the cells' satisfied verdict closes the petition, and the department
records its progress on the petition page (on a phone), the next briefing's packet lists it,
then the department records it done with its evidence; the committee's scorecards show the
commitments kept on time."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from domain.actors import Actor, Role
from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.web.conftest import SignIn, overdue_petition, visit_until
from usecases.commands import Context

pytestmark = pytest.mark.integration

SUMMARY = "Đề nghị nạo vét kênh tưới N5 (cam kết)"
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_the_department_answers_with_a_commitment_and_records_its_progress(
    live: Live, sign_in: SignIn, tmp_path: Path
) -> None:
    app = live.service.app
    today = app.today()
    pid = overdue_petition(live, SUMMARY, DEPARTMENT, due=-20, assigned=10, days_ago=12)

    department = sign_in(live, "department")
    department.goto(f"{live.url}/petitions/{pid}")
    department.fill("#answer-text", "Phòng đã lập phương án nạo vét kênh N5.")
    department.fill("#answer-number", "31/KTHT")
    department.fill("#answer-date", today.strftime("%d/%m/%Y"))
    department.fill("#answer-signer", "Lê Văn Cường, Trưởng phòng")
    department.fill("#answer-commitment-text", "Nạo vét 2 km kênh N5")
    due = today + timedelta(days=30)
    department.fill("#answer-commitment-due", due.strftime("%d/%m/%Y"))
    department.fill("#answer-commitment-cost", "150000000")
    department.get_by_role("button", name="Gửi trả lời").click()
    expect(department.get_by_role("status")).to_have_text("Đã gửi văn bản trả lời.")
    (commitment,) = app.state(pid)["commitments"]
    assert (commitment["text"], commitment["due_on"], commitment["cost"]) == (
        "Nạo vét 2 km kênh N5",
        due,
        150_000_000,
    )
    section = department.locator("section.commitments")
    expect(section).to_contain_text("Chờ chi bộ xác minh câu trả lời: 0%")
    expect(section).to_contain_text("150.000.000 đồng")

    app.verify(pid, Context(Actor("e2e-clerk", Role.CLERK)), verdict="satisfied")
    assert app.state(pid)["status"] == "closed"

    # -- on a phone, the department records how far it has come ------------------------
    phone = sign_in(live, "department", width=390)
    phone.goto(f"{live.url}/petitions/{pid}")
    expect(phone.locator(".status")).to_have_text("Đã kết thúc")
    expect(phone.locator("section.commitments")).to_contain_text("Đang thực hiện: 0%")
    phone.fill("#progress-percent", "100")
    phone.fill("#progress-note", "Đã nạo vét 1,2 km")
    phone.get_by_role("button", name="Ghi nhận tiến độ").click()
    # the browser stops 100, past the field's max: nothing is sent, nothing recorded
    assert app.state(pid)["commitments"][0]["percent"] == 0
    phone.fill("#progress-percent", "60")
    phone.get_by_role("button", name="Ghi nhận tiến độ").click()
    expect(phone.get_by_role("status")).to_have_text("Đã ghi nhận tiến độ thực hiện cam kết.")
    expect(phone.locator("section.commitments")).to_contain_text("Đang thực hiện: 60%")
    expect(phone.locator("section.commitments")).to_contain_text("Đã nạo vét 1,2 km")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
    assert app.state(pid)["commitments"][0]["percent"] == 60

    # -- the packet of a briefing after its date lists it, with its progress ------
    clerk = sign_in(live, "clerk")
    zone = app.state(pid)["zone"]
    after = (due + timedelta(days=1)).isoformat()
    visit_until(clerk, f"{live.url}/packet?zone={zone}&briefing={after}", "Nạo vét 2 km kênh N5")
    expect(clerk.locator("table.commitments-due")).to_contain_text("tiến độ 60%")

    # -- then that it is done, with a photo as evidence ------------------------------
    photo = tmp_path / "kenh-n5.png"
    photo.write_bytes(PHOTO)
    phone.fill("#fulfil-note", "Đã nạo vét xong 2 km, nghiệm thu ngày hôm nay.")
    phone.set_input_files("#fulfil-evidence", str(photo))
    phone.get_by_role("button", name="Ghi nhận hoàn thành").click()
    expect(phone.get_by_role("status")).to_have_text("Đã ghi nhận hoàn thành cam kết.")
    expect(phone.locator(".commitment-state")).to_contain_text("đúng hạn")
    expect(phone.locator("#form-progress")).to_have_count(0)  # nothing left to record
    (done,) = app.state(pid)["commitments"]
    assert done["fulfilled_on"] == today and done["percent"] == 100
    assert done["evidence"][0]["sha256"] == hashlib.sha256(PHOTO).hexdigest()
    with phone.expect_download() as download:
        phone.get_by_role("link", name="kenh-n5.png").click()
    assert download.value.path().read_bytes() == PHOTO

    # -- the committee's scorecards name the figure --------------------------------
    committee = sign_in(live, "committee")
    committee.goto(f"{live.url}/scorecards")
    expect(committee.locator("table.scorecards thead")).to_contain_text(
        "Cam kết thực hiện đúng hạn"
    )
