"""One petition's whole life through the web pages, in Chromium, as the people who live it:
the clerk records it at a briefing, the committee assigns it, the department answers with
its signed letter, another department cannot open it, the cells' verdict closes it at the
next briefing, the packet prints on A4, and the auditor reads its timeline as of any moment."""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from domain.vietnam import BUSINESS_TZ
from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.web.conftest import SignIn, petition_id_in, raise_petition, visit_until

pytestmark = pytest.mark.integration

LETTER = b"%PDF-1.4\n% signed answer of the department\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SUMMARY = "Đường ống nước sạch ở thôn 3 bị vỡ"
SPOT_SUMMARY = "Đề nghị sửa đèn chiếu sáng đầu ngõ"


def test_a_petition_from_briefing_to_verdict_through_the_pages(
    live: Live, sign_in: SignIn, tmp_path
) -> None:
    app = live.service.app
    zone = next(iter(app.district.zones))
    today = app.today()

    # -- the clerk records two petitions of the briefing on one screen ----------------
    clerk = sign_in(live, "clerk")
    assert clerk.url.endswith("/briefing"), "the clerk starts on the briefing form"
    expect(clerk.locator("h1")).to_have_text("Ghi nhận ý kiến tại hội nghị")
    rows_before = clerk.locator("[data-row]").count()
    clerk.get_by_role("button", name="Thêm ý kiến").click()
    assert clerk.locator("[data-row]").count() == rows_before + 1
    added = rows_before + 1
    expect(clerk.locator(f"#cell-{added}")).to_be_focused()  # typing goes on in the new row

    first = clerk.locator("#cell-1 option").nth(1).get_attribute("value")
    clerk.select_option("#cell-1", first)
    clerk.select_option("#category-1", "transport")
    clerk.select_option("#kind-1", "proposal")
    clerk.fill("#raised_by-1", "Nguyễn Văn An, Bí thư chi bộ")
    clerk.fill("#summary-1", SUMMARY)
    clerk.fill("#text-1", "Ống nước chính bị vỡ từ tháng trước, 40 hộ thiếu nước sinh hoạt.")

    clerk.select_option(f"#cell-{added}", first)
    clerk.select_option(f"#category-{added}", "transport")
    clerk.fill(f"#raised_by-{added}", "Trần Thị Bình")
    clerk.fill(f"#summary-{added}", SPOT_SUMMARY)
    clerk.fill(f"#text-{added}", "Đèn đầu ngõ hỏng đã hai tháng.")
    clerk.locator("[data-row]").nth(added - 1).locator("summary").click()
    clerk.fill(f"#spot_by-{added}", "Đồng chí Phó Chủ tịch UBND xã")
    clerk.fill(f"#spot_text-{added}", "Xã sẽ thay bóng đèn trong tuần này.")
    clerk.get_by_role("button", name="Ghi nhận các ý kiến").click()

    expect(clerk.get_by_role("status")).to_have_text("Đã ghi nhận các ý kiến của hội nghị.")
    link = clerk.get_by_role("link", name=SUMMARY)
    expect(link).to_be_visible()
    expect(clerk.get_by_role("link", name=SPOT_SUMMARY)).to_be_visible()
    petition_id = petition_id_in(link.get_attribute("href") or "")
    spot_link = clerk.get_by_role("link", name=SPOT_SUMMARY).get_attribute("href") or ""
    spot = app.state(petition_id_in(spot_link))
    assert spot["status"] == "answered" and spot["answers"][0]["mode"] == "on_the_spot"
    assert app.state(petition_id)["status"] == "raised"

    # -- the committee assigns it ------------------------------------------------------
    committee = sign_in(live, "committee")
    assert committee.url.endswith("/board")
    committee.goto(f"{live.url}/petitions/{petition_id}")
    expect(committee.locator("h1")).to_have_text(SUMMARY)
    committee.select_option("#assign-department", DEPARTMENT)
    committee.get_by_role("button", name="Giao", exact=True).click()
    expect(committee.get_by_role("status")).to_have_text("Đã giao đơn vị trả lời.")
    expect(committee.locator(".status")).to_have_text("Đã giao")
    state = app.state(petition_id)
    assert state["department"] == DEPARTMENT and state["due_on"] > today
    expect(committee.locator(".timeline li")).to_have_count(2)
    # The auditor's "as of" picker below counts whole seconds. The first whole second after
    # the assignment shows the petition assigned and not yet answered, once the answer is
    # recorded after it: on a fast run the department answers within that second.
    assigned_at = next(e for e in app.history(petition_id) if e["type"] == "Assigned")
    assigned_not_answered = (assigned_at["recorded_at"] + timedelta(seconds=1)).replace(
        microsecond=0
    )
    time.sleep(max(0.0, (assigned_not_answered - datetime.now(BUSINESS_TZ)).total_seconds()))

    # -- the department finds it in its inbox and answers with the signed letter --------
    department = sign_in(live, "department")
    assert department.url.endswith("/inbox")
    visit_until(department, f"{live.url}/inbox", SUMMARY)
    department.get_by_role("link", name=SUMMARY).click()
    letter = tmp_path / "cong-van-125.pdf"
    letter.write_bytes(LETTER)
    department.fill("#answer-text", "Đã cử đội thi công thay đoạn ống 50 m, nước đã thông.")
    department.fill("#answer-number", "125/KTHT")
    department.fill("#answer-date", today.strftime("%d/%m/%Y"))
    department.fill("#answer-signer", "Lê Văn Cường, Trưởng phòng")
    department.set_input_files("#answer-letter", str(letter))
    department.get_by_role("button", name="Gửi trả lời").click()
    expect(department.get_by_role("status")).to_have_text("Đã gửi văn bản trả lời.")
    digest = hashlib.sha256(LETTER).hexdigest()
    answer = app.state(petition_id)["answers"][-1]
    assert answer["attachments"][0]["sha256"] == digest
    assert answer["attachments"][0]["content_type"] == "application/pdf"
    with department.expect_download() as download:
        department.get_by_role("link", name="cong-van-125.pdf").click()
    assert hashlib.sha256(download.value.path().read_bytes()).hexdigest() == digest

    # -- another department cannot open it ---------------------------------------------
    other = sign_in(live, "other_department")
    response = other.goto(f"{live.url}/petitions/{petition_id}")
    assert response is not None and response.status == 404
    expect(other.locator("h1")).to_have_text("Không tìm thấy")
    assert SUMMARY not in other.content()
    other.goto(f"{live.url}/inbox")
    assert SUMMARY not in other.inner_text("main")

    # -- at the next briefing the clerk records the cells' verdict ----------------------
    clerk.goto(f"{live.url}/verification?zone={zone}&briefing={today.isoformat()}")
    visit_until(clerk, clerk.url, SUMMARY, 30, selector=f"#verdict-{petition_id}")
    clerk.select_option(f"#verdict-{petition_id}", "satisfied")
    clerk.get_by_role("button", name="Ghi nhận kết quả xác minh").click()
    expect(clerk.get_by_role("status")).to_have_text("Đã ghi nhận kết quả xác minh tại hội nghị.")
    assert app.state(petition_id)["status"] == "closed"

    # -- the packet of that briefing prints as a clean A4 document ----------------------
    clerk.goto(f"{live.url}/packet?zone={zone}&briefing={(today + timedelta(days=1)).isoformat()}")
    expect(clerk.locator("article.document h1")).to_have_text(
        "Tài liệu hội nghị giao ban bí thư chi bộ"
    )
    clerk.emulate_media(media="print")
    expect(clerk.locator("header.top")).to_be_hidden()
    expect(clerk.locator("form.filters")).to_be_hidden()
    pdf = clerk.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and b"/MediaBox [0 0 595" in pdf  # A4 is 595 × 842 pt
    clerk.emulate_media(media="screen")

    # -- the auditor reads the timeline, and the state as it stood before the answer ----
    auditor = sign_in(live, "auditor")
    auditor.goto(f"{live.url}/petitions/{petition_id}")
    timeline = auditor.locator(".timeline li")
    expect(timeline).to_have_count(4)
    types = [t.get_attribute("data-event") for t in timeline.all()]
    assert types == ["Raised", "Assigned", "AnsweredInWriting", "Verified"]
    expect(timeline.nth(2)).to_contain_text("125/KTHT")
    expect(timeline.nth(0)).to_contain_text("Ngày nghiệp vụ")
    expect(timeline.nth(0)).to_contain_text("Ghi lúc")
    answered_at = next(e for e in app.history(petition_id) if e["type"] == "AnsweredInWriting")
    assert answered_at["recorded_at"] > assigned_not_answered
    before = assigned_not_answered.astimezone(BUSINESS_TZ)
    auditor.fill("#as-of", before.strftime("%Y-%m-%dT%H:%M:%S"))
    auditor.get_by_role("button", name="Xem", exact=True).click()
    expect(auditor.locator(".status")).to_have_text("Đã giao")
    expect(auditor.locator(".timeline li")).to_have_count(2)
    assert datetime.now(BUSINESS_TZ) > before

    # -- and in English, with dates still day first ------------------------------------
    auditor.get_by_role("link", name="English").click()
    expect(auditor.locator(".timeline-section h2")).to_have_text("Timeline")
    expect(auditor.locator(".status")).to_have_text("Assigned")
    raised_on = app.state(petition_id)["raised_on"].strftime("%d/%m/%Y")
    expect(auditor.locator(".facts")).to_contain_text(raised_on)


def test_the_auditor_sees_the_log_intact_and_what_was_recorded_late(
    live: Live, sign_in: SignIn
) -> None:
    app = live.service.app
    late = raise_petition(live, "Ghi nhận muộn ba tuần", category="policy", days_ago=21)
    auditor = sign_in(live, "auditor")
    assert auditor.url.endswith("/audit")
    visit_until(auditor, f"{live.url}/audit", "Ghi nhận ý kiến")
    row = auditor.locator("main table tbody tr", has_text="Ghi nhận ý kiến").filter(
        has=auditor.locator(f'a[href="/petitions/{late}"]')
    )
    expect(row).to_contain_text("21")
    auditor.get_by_role("link", name="Kiểm tra toàn bộ nhật ký ngay").click()
    expect(auditor.locator(".facts")).to_contain_text("NGUYÊN VẸN")
    expect(auditor.locator(".facts")).to_contain_text("Sự kiện sau điểm ký gần nhất")
    head = app.recorder.max_notification_id()
    expect(auditor.locator(".facts")).to_contain_text(f"{head} sự kiện")
    row.get_by_role("link", name="Xem").click()
    expect(auditor.locator(".timeline li.backdated")).to_have_count(1)
    expect(auditor.locator(".timeline .badge")).to_have_text("ghi muộn 21 ngày")
