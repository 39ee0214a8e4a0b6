"""The petition page shows, beside a written answer, its advisory score with its parts, in
Vietnamese first (English on the switch) and labelled as advice, to the committee, on a
390 px phone without sideways scrolling; not to the department that wrote it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from domain.actors import Actor, Role
from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.web.conftest import SignIn, raise_petition, visit_until
from usecases.commands import Context

pytestmark = pytest.mark.integration

GENERIC = "Đơn vị đã tiếp thu ý kiến và sẽ xem xét, giải quyết theo quy định."


def test_the_petition_page_shows_the_answer_s_advisory_score(live: Live, sign_in: SignIn) -> None:
    app = live.service.app
    today = app.today()
    pid = raise_petition(live, "Cống thoát nước khu chợ bị tắc", days_ago=10)
    app.assign(
        pid,
        Context(Actor("e2e-committee", Role.COMMITTEE)),
        department=DEPARTMENT,
        on=today - timedelta(days=9),
    )
    app.answer_in_writing(
        pid,
        Context(Actor("e2e-department", Role.DEPARTMENT, department=DEPARTMENT)),
        on=today - timedelta(days=2),
        text=GENERIC,
        document_number="77/KTHT",
        document_date=today - timedelta(days=2),
        signer="Trưởng phòng",
    )
    committee = sign_in(live, "committee", width=390)
    url = f"{live.url}/petitions/{pid}"
    visit_until(committee, url, "Mức chung chung (tham khảo)", selector=".answer-score")
    score = committee.locator(".answer .answer-score")
    expect(score).to_contain_text("có thể chung chung")  # boilerplate, no detail
    expect(score).to_contain_text("Chỉ để tham khảo")
    for part in ("Trùng với trả lời khác", "Ít bám nội dung kiến nghị", "Thiếu chi tiết cụ thể"):
        expect(score).to_contain_text(part)
    expect(score).to_contain_text("Chi tiết cụ thể: không có")
    width = committee.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"

    department = sign_in(live, "department")
    department.goto(url)
    expect(department.locator(".answer")).to_contain_text(GENERIC)
    assert department.locator(".answer-score").count() == 0  # for those who judge it

    # in English, once chosen on the switch
    committee.goto(f"{live.url}/lang/en?next=/petitions/{pid}")
    expect(score).to_contain_text("How generic (advisory)")
    expect(score).to_contain_text("Lacks concrete details")
