"""The meetings' reports on their page, in Chromium: the committee reads the September
figures of ``tests/e2e/test_meeting_reports.py`` (the people at the briefing, the notice
sent late, the department whose information never came, the minutes that leave a petition
unlinked), says on the department's behalf that its information came, and reads the
attendance report as of a moment before the minutes and the cell meeting."""

from __future__ import annotations

from typing import Any

import pytest

from domain.vietnam import BUSINESS_TZ
from tests.e2e.conftest import Live
from tests.e2e.test_meeting_reports import INFRA_LEADER, POLICE_LEADER, head, set_up
from tests.e2e.web.conftest import SignIn

pytestmark = pytest.mark.integration
PERIOD = "from=2026-09-01&to=2026-09-30"


def test_the_meeting_reports_page_and_attendance_as_of_a_moment(
    live: Live, sign_in: SignIn
) -> None:
    world: dict[str, Any] = set_up(live)
    committee = sign_in(live, "committee")
    committee.goto(f"{live.url}/reports/meetings?{PERIOD}&min_position={head(live)}")
    rows = [
        [c.inner_text().strip() for c in r.locator("td").all()]
        for r in committee.locator("table.people-board tbody tr").all()
    ]
    figures = {r[1]: r[3:] for r in rows}
    assert figures[INFRA_LEADER] == ["1", "1", "0", "0", "0", "100.0 %"]
    assert figures[POLICE_LEADER] == ["1", "0", "0", "0", "1", "0.0 %"]
    (late,) = [
        [c.inner_text().strip() for c in r.locator("td").all()]
        for r in committee.locator("table.notices-board tbody tr").all()
    ]
    assert late[0] == "03/09/2026" and late[2:] == ["31/08/2026", "3", "5"]
    information = committee.locator("table.information-board tbody tr")
    assert information.count() == 1 and "Chưa gửi" in information.inner_text()
    minutes = committee.locator("table.minutes-board tbody tr")
    assert minutes.count() == 2
    assert [c.inner_text() for c in minutes.first.locator("td").all()][2:] == [
        "Có",
        "0",
        "0",
        "1",
    ]
    # The clerk of the committee says the police's information came on 20 September.
    before = head(live)
    information.locator("input[name=on]").fill("20/09/2026")
    information.get_by_role("button", name="Đã nhận").click()
    committee.wait_for_selector("text=Đã ghi nhận đơn vị gửi thông tin.")
    assert head(live) == before + 1
    (row,) = [
        [c.inner_text().strip() for c in r.locator("td").all()]
        for r in committee.locator("table.information-board tbody tr").all()
    ]
    assert row[2:5] == ["01/09/2026", "20/09/2026", "19"]  # now late, by 19 days
    departments = {
        r[1]: r[2:]
        for r in (
            [c.inner_text().strip() for c in tr.locator("td").all()]
            for tr in committee.locator("table.information-departments tbody tr").all()
        )
    }
    assert ["1", "0", "1", "0", "0", "0.0 %"] in departments.values()

    # Attendance as of the moment between the briefing held and its minutes.
    moment = world["moment"].astimezone(BUSINESS_TZ).replace(tzinfo=None).isoformat()
    committee.goto(f"{live.url}/reports/attendance?{PERIOD}")
    now = committee.locator("#meeting-figures").inner_text()
    assert "2 hội nghị đã họp" in now and "1 hội nghị chưa có biên bản" in now
    committee.goto(f"{live.url}/reports/attendance?{PERIOD}&as_of={moment}")
    then = committee.locator("#meeting-figures").inner_text()
    assert "1 hội nghị đã họp" in then and "1 hội nghị chưa có biên bản" in then
    assert "Như đã ghi nhận đến" in committee.locator("#as-of").inner_text()
