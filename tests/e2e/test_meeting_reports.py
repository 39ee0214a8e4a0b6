"""The meetings' other reports through HTTP, with exact figures: a September briefing of
khu-1 noticed late (3 days of 5), its agenda asking two departments for information (one
says it came on time, the other never does), held with two committee members and two
department leaders expected, two petitions raised that day (one naming it, one not) and
minutes that list one; a cell meeting held with no notice nor minutes. Each report's board
and scorecard, its export, and the attendance report as of a moment before the minutes and
the cell meeting. Refusals are problems that record nothing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live

BRIEFING = "2026-09-03"
CELL_MEETING = "2026-09-12"
MEMBER, MEMBER2 = "Đồng chí Lò Văn Thắng", "Đồng chí Hà Thị Lan"
INFRA_LEADER, POLICE_LEADER = "Trưởng phòng Kinh tế – Hạ tầng", "Trưởng Công an xã"
PERIOD = {"from": "2026-09-01", "to": "2026-09-30"}
PETITION = {
    "kind": "reflection",
    "category": "transport",
    "text": "Đoạn đường liên thôn bị sạt lở sau mưa lớn, xe máy đi lại nguy hiểm.",
    "raised_by": "Bí thư chi bộ",
    "channel": "meeting",
}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def petition(clerk: httpx.Client, cell: str, raised_on: str, meeting: str) -> str:
    body = {**PETITION, "summary": f"Sạt lở {cell} {raised_on} {meeting[:8]}", "cell": cell}
    body |= {"raised_on": raised_on, "meeting": meeting}
    return str(ok(clerk.post("/v1/petitions", json=body), 201)["id"])


def only(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: row[k] for k in keys}


@pytest.fixture(scope="module")
def world(live: Live) -> Any:
    return set_up(live)


def set_up(live: Live) -> dict[str, Any]:
    """The September briefing and the cell meeting, as the module's doc tells them; the
    moment between the briefing held and its minutes; the petition raised unlinked."""
    with (
        live.client("clerk") as clerk,
        live.client("committee") as committee,
        live.client("department") as department,
    ):
        for cell, to in (("yen-lac-thon5", DEPARTMENT), ("yen-lac-thon4", OTHER_DEPARTMENT)):
            pid = petition(clerk, cell, "2026-08-03", "giao-ban-khu-1-2026-08-03")
            body = {"department": to, "assigned_on": "2026-08-05"}
            ok(committee.post(f"/v1/petitions/{pid}/assignment", json=body))
        briefing = {"kind": "briefing", "zone": "khu-1", "scheduled_on": BRIEFING}
        mid = ok(clerk.post("/v1/meetings", json=briefing | {"on": "2026-08-21"}), 201)["id"]
        notice = {"recipients": ["Bí thư các chi bộ khu 1"], "sent_on": "2026-08-31"}
        ok(clerk.post(f"/v1/meetings/{mid}/notice", json=notice))
        agenda = {"issued_on": "2026-08-31", "min_position": head(live)}
        ok(clerk.post(f"/v1/meetings/{mid}/agenda", json=agenda))
        came = {"department": DEPARTMENT, "on": "2026-09-01"}
        ok(department.post(f"/v1/meetings/{mid}/information", json=came))
        attendance = [
            {"cell": "yen-lac-thon1", "status": "present"},
            {"cell": "yen-lac-thon2", "status": "absent", "reason": "Ốm", "excused": True},
            {"person": MEMBER, "status": "present"},
            {"person": MEMBER2, "status": "late", "minutes_late": 10},
            {
                "role": "department_leader",
                "person": INFRA_LEADER,
                "department": DEPARTMENT,
                "status": "present",
            },
            {
                "role": "department_leader",
                "person": POLICE_LEADER,
                "department": OTHER_DEPARTMENT,
                "status": "absent",
            },
        ]
        held = {"held_on": BRIEFING, "chair": "Bí thư Đảng ủy", "attendance": attendance}
        ok(clerk.post(f"/v1/meetings/{mid}/held", json=held))
        linked = petition(clerk, "yen-lac-thon1", BRIEFING, mid)
        unlinked = petition(clerk, "yen-lac-thon2", BRIEFING, "giao ban khu 1")
        moment = datetime.now(UTC)
        minutes = {"text": "Biên bản", "petitions_raised": [linked], "recorded_on": BRIEFING}
        ok(clerk.post(f"/v1/meetings/{mid}/minutes", json=minutes))
        cell_meeting = {"kind": "cell_meeting", "cell": "yen-phu-thon2", "members": [MEMBER]}
        cid = ok(
            clerk.post(
                "/v1/meetings",
                json=cell_meeting | {"scheduled_on": CELL_MEETING, "on": "2026-09-05"},
            ),
            201,
        )["id"]
        cell_attendance = [
            {"person": MEMBER, "status": "present"},
            {"cell": "yen-phu-thon2", "status": "present"},
        ]
        held = {"held_on": CELL_MEETING, "chair": "Bí thư chi bộ", "attendance": cell_attendance}
        ok(clerk.post(f"/v1/meetings/{cid}/held", json=held))
    return {"meeting": mid, "cell_meeting": cid, "moment": moment, "unlinked": unlinked}


def report(live: Live, name: str, **params: Any) -> Any:
    with live.client("committee") as committee:
        asked = PERIOD | {"min_position": head(live)} | params
        return ok(committee.get(f"/v1/reports/meetings/{name}", params=asked))


def test_the_members_and_leaders_at_the_briefings(live: Live, world: Any) -> None:
    found = report(live, "people")
    figures = ("expected", "present", "late", "absent_excused", "absent_unexcused", "rate")
    by_person = {r["person"]: only(r, "role", "department", *figures) for r in found["board"]}
    member = {"role": "committee_member", "department": None}
    leader = {"role": "department_leader"}
    assert by_person == {
        MEMBER: member | dict(zip(figures, (1, 1, 0, 0, 0, 100.0), strict=True)),
        MEMBER2: member | dict(zip(figures, (1, 0, 1, 0, 0, 100.0), strict=True)),
        INFRA_LEADER: leader
        | {"department": DEPARTMENT}
        | dict(zip(figures, (1, 1, 0, 0, 0, 100.0), strict=True)),
        POLICE_LEADER: leader
        | {"department": OTHER_DEPARTMENT}
        | dict(zip(figures, (1, 0, 0, 0, 1, 0.0), strict=True)),
    }
    card = found["scorecard"]
    assert {r["department"]: r["rate"] for r in card["departments"]} == {
        DEPARTMENT: 100.0,
        OTHER_DEPARTMENT: 0.0,
    }
    (zone,) = card["zones"]
    assert only(zone, "zone", *figures) == {"zone": "khu-1"} | dict(
        zip(figures, (4, 2, 1, 0, 1, 75.0), strict=True)
    )
    assert [only(r, "expected", "rate") for r in card["organisations"]] == [
        {"expected": 4, "rate": 75.0}
    ]


def test_the_notices_sent_late(live: Live, world: Any) -> None:
    found = report(live, "notices")
    (late,) = found["board"]
    assert only(late, "meeting_id", "scheduled_on", "notice_sent_on", "days_before") == {
        "meeting_id": world["meeting"],
        "scheduled_on": BRIEFING,
        "notice_sent_on": "2026-08-31",
        "days_before": 3,
    }
    assert late["required_days"] == 5
    counts = ("meetings", "noticed", "late", "on_time", "held_without_notice", "on_time_rate")
    by_place = {(r["zone"], r["commune"]): only(r, *counts) for r in found["scorecard"]["zones"]}
    assert by_place == {
        ("khu-1", None): dict(zip(counts, (1, 1, 1, 0, 0, 0.0), strict=True)),
        (None, "yen-phu"): dict(zip(counts, (1, 0, 0, 0, 1, None), strict=True)),
    }
    (whole,) = found["scorecard"]["organisations"]
    assert only(whole, *counts) == dict(zip(counts, (2, 1, 1, 0, 1, 0.0), strict=True))


def test_the_departments_information_late_or_never(live: Live, world: Any) -> None:
    found = report(live, "information")
    (missing,) = found["board"]
    on = date.fromisoformat(found["on"])
    assert only(missing, "department", "state", "due_on", "received_on", "days_late") == {
        "department": OTHER_DEPARTMENT,
        "state": "missing",
        "due_on": "2026-09-01",
        "received_on": None,
        "days_late": (on - date(2026, 9, 1)).days,
    }
    counts = ("requested", "on_time", "late", "missing", "awaited", "on_time_rate")
    by_department = {r["department"]: only(r, *counts) for r in found["scorecard"]["departments"]}
    assert by_department == {
        DEPARTMENT: dict(zip(counts, (1, 1, 0, 0, 0, 100.0), strict=True)),
        OTHER_DEPARTMENT: dict(zip(counts, (1, 0, 0, 1, 0, 0.0), strict=True)),
    }
    (whole,) = found["scorecard"]["organisations"]
    assert only(whole, *counts) == dict(zip(counts, (2, 1, 0, 1, 0, 50.0), strict=True))


def test_the_minutes_incomplete(live: Live, world: Any) -> None:
    found = report(live, "minutes")
    briefing, cell = found["board"]
    assert only(briefing, "meeting_id", "minuted", "not_linked", "not_in_minutes") == {
        "meeting_id": world["meeting"],
        "minuted": True,
        "not_linked": [],
        "not_in_minutes": [],
    }
    assert briefing["raised_not_linked"] == [world["unlinked"]]
    assert (cell["meeting_id"], cell["minuted"], cell["differs"]) == (
        world["cell_meeting"],
        False,
        False,
    )
    counts = ("held", "without_minutes", "differing", "complete", "complete_rate")
    by_place = {(r["zone"], r["commune"]): only(r, *counts) for r in found["scorecard"]["zones"]}
    assert by_place == {
        ("khu-1", None): dict(zip(counts, (1, 0, 1, 0, 0.0), strict=True)),
        (None, "yen-phu"): dict(zip(counts, (1, 1, 0, 0, 0.0), strict=True)),
    }


def test_attendance_as_of_a_moment_before_the_minutes(live: Live, world: Any) -> None:
    with live.client("auditor") as auditor:
        now = ok(auditor.get("/v1/reports/attendance", params=PERIOD))
        then = ok(
            auditor.get(
                "/v1/reports/attendance", params=PERIOD | {"as_of": world["moment"].isoformat()}
            )
        )
        unzoned = auditor.get("/v1/reports/attendance", params={"as_of": "2026-09-03T10:00:00"})
    assert now["meetings"] == {"held": 2, "notices_late": 1, "without_minutes": 1}
    assert then["meetings"] == {"held": 1, "notices_late": 1, "without_minutes": 1}
    member = {r["member"]: r for r in now["members"]}[MEMBER]
    member_then = {r["member"]: r for r in then["members"]}[MEMBER]
    assert (member["cell_meetings_attended"], member_then["cell_meetings_attended"]) == (1, 0)
    assert then["communes"] == now["communes"]  # the briefing's secretaries, held before it
    assert datetime.fromisoformat(then["as_of"]) == world["moment"] and now["as_of"] is None
    assert unzoned.status_code == 422 and unzoned.json()["errors"][0]["field"] == "as_of"


def test_the_exports_hold_the_boards_and_scorecards(live: Live, world: Any) -> None:
    with live.client("committee") as committee:
        sheet = committee.get("/v1/exports/meetings/information", params=PERIOD | {"format": "csv"})
        book = committee.get("/v1/exports/meetings/notices", params=PERIOD)
    assert sheet.status_code == 200, sheet.text
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Tổ chức", "Đơn vị", "Khu vực"] and len(rows) == 2
    assert "Chưa gửi" in rows[1] and "Công an" in rows[1][1]
    workbook = load_workbook(io.BytesIO(book.content), read_only=True)
    assert workbook.sheetnames == ["Thông báo gửi muộn", "Theo khu vực, xã"]
    late = list(workbook["Thông báo gửi muộn"].iter_rows(values_only=True))
    assert len(late) == 2 and late[1][-2:] == (3, 5)


def test_refusals_are_problems_that_record_nothing(live: Live, world: Any) -> None:
    before = head(live)
    mid = world["meeting"]
    with live.client("department") as department, live.client("clerk") as clerk:
        other = department.post(
            f"/v1/meetings/{mid}/information", json={"department": OTHER_DEPARTMENT}
        )
        twice = clerk.post(f"/v1/meetings/{mid}/information", json={"department": DEPARTMENT})
        unasked = clerk.post(f"/v1/meetings/{mid}/information", json={"department": "y-te"})
    assert other.status_code == 403
    assert other.json()["detail"] == "Đơn vị chỉ ghi nhận thông tin của chính mình đã gửi."
    assert twice.status_code == 422 and "đã nhận ngày 01/09/2026" in twice.json()["detail"]
    assert unasked.status_code == 422 and unasked.json()["errors"][0]["field"] == "department"
    with live.client("department") as department:
        assert department.get("/v1/reports/meetings/notices").status_code == 403
    assert head(live) == before
