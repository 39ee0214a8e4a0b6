"""Meetings through HTTP, as the issue's must-show has them: a briefing scheduled, its
notice sent, its agenda issued from the packet, held with attendance (one secretary late,
one absent with a reason), two petitions raised at it and one earlier answer verified at
it, the minutes recorded; the attendance report then shows exactly those figures. And a
cell meeting attended by a committee member raises a petition with channel
``cell_meeting``, which the member's record counts. Refusals are problems, in Vietnamese
by default, and record nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.conftest import DEPARTMENT, Live, web_client

PROBLEM_JSON = "application/problem+json"
BRIEFING = "2026-09-03"  # khu-1 meets on the 3rd of the month
MEMBER = "Đồng chí Lò Văn Thắng"
PETITION = {
    "kind": "reflection",
    "category": "transport",
    "text": "Đoạn đường liên thôn bị sạt lở sau mưa lớn, xe máy đi lại nguy hiểm.",
    "raised_by": "Bí thư chi bộ",
    "channel": "meeting",
}
SECRETARIES = [
    {"cell": "yen-lac-thon1", "person": "Nguyễn Văn An", "status": "present"},
    {"cell": "yen-lac-thon2", "person": "Trần Thị Bình", "status": "late", "minutes_late": 15},
    {
        "cell": "yen-lac-thon3",
        "person": "Lê Văn Cường",
        "status": "absent",
        "reason": "Đi công tác huyện, có báo trước",
        "excused": True,
    },
    {"cell": "yen-lac-thon4", "status": "present"},
]


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def petition(clerk: httpx.Client, cell: str, raised_on: str, meeting: str, **more: Any) -> str:
    body = {**PETITION, "summary": f"Sạt lở đường {cell} {raised_on}", "cell": cell}
    body |= {"raised_on": raised_on, "meeting": meeting, **more}
    return str(ok(clerk.post("/v1/petitions", json=body), 201)["id"])


@pytest.fixture(scope="module")
def clerk(live: Live) -> Any:
    with live.client("clerk") as client:
        yield client


@pytest.fixture(scope="module")
def committee(live: Live) -> Any:
    with live.client("committee") as client:
        yield client


@pytest.fixture(scope="module")
def auditor(live: Live) -> Any:
    with live.client("auditor") as client:
        yield client


def test_a_briefing_from_its_notice_to_its_minutes_gives_exact_attendance(
    live: Live, clerk: httpx.Client, committee: httpx.Client, auditor: httpx.Client
) -> None:
    # An answer of August awaits its verdict at the September briefing: it is in the packet.
    earlier = petition(clerk, "yen-lac-thon5", "2026-08-03", "giao-ban-khu-1-2026-08-03")
    ok(
        committee.post(
            f"/v1/petitions/{earlier}/assignment",
            json={"department": DEPARTMENT, "assigned_on": "2026-08-05"},
        )
    )
    with live.client("department") as department:
        answered = ok(
            department.post(
                f"/v1/petitions/{earlier}/answer",
                json={
                    "mode": "written",
                    "text": "Đã khắc phục đoạn sạt lở, lắp biển cảnh báo.",
                    "document_number": "88/KTHT",
                    "document_date": "2026-08-20",
                    "signer": "Trưởng phòng",
                    "answered_on": "2026-08-20",
                },
            )
        )

    made = clerk.post(
        "/v1/meetings",
        json={"kind": "briefing", "zone": "khu-1", "scheduled_on": BRIEFING, "on": "2026-08-21"},
    )
    meeting = ok(made, 201)
    mid = meeting["id"]
    assert made.headers["Location"] == f"/v1/meetings/{mid}" and meeting["status"] == "scheduled"
    notice = {
        "recipients": ["Bí thư các chi bộ khu 1", "Trưởng các phòng"],
        "sent_on": "2026-08-27",
    }
    ok(clerk.post(f"/v1/meetings/{mid}/notice", json=notice))
    agenda = ok(
        clerk.post(
            f"/v1/meetings/{mid}/agenda",
            json={"issued_on": "2026-08-28", "min_position": answered["position"]},
        )
    )
    attendance = [
        *SECRETARIES,
        {"person": MEMBER, "status": "present"},
        {
            "role": "department_leader",
            "person": "Trưởng phòng Kinh tế – Hạ tầng",
            "department": DEPARTMENT,
            "status": "present",
        },
    ]
    ok(
        clerk.post(
            f"/v1/meetings/{mid}/held",
            json={
                "held_on": BRIEFING,
                "chair": "Đồng chí Bí thư Đảng ủy",
                "attendance": attendance,
            },
        )
    )
    raised = [petition(clerk, cell, BRIEFING, mid) for cell in ("yen-lac-thon1", "yen-lac-thon2")]
    verified = ok(
        clerk.post(
            f"/v1/petitions/{earlier}/verification",
            json={"verdict": "satisfied", "meeting": mid, "verified_on": BRIEFING},
        )
    )
    minutes = {
        "text": "Hội nghị giao ban tháng 9 khu 1: 2 ý kiến mới, 1 trả lời được xác minh.",
        "petitions_raised": raised,
        "answers_read": [earlier],
        "verdicts": [{"petition": earlier, "verdict": "satisfied"}],
        "recorded_on": BRIEFING,
    }
    minuted = ok(clerk.post(f"/v1/meetings/{mid}/minutes", json=minutes))
    assert minuted["status"] == "minuted" and minuted["version"] == agenda["version"] + 2

    state = ok(auditor.get(f"/v1/meetings/{mid}", params={"min_position": minuted["position"]}))
    assert state["agenda"] == [earlier]  # the packet's: the answer awaiting its verdict
    assert state["notices"][0] | {"recipients": []} == {
        "recipients": [],
        "sent_on": "2026-08-27",
        "days_before": 7,
        "required_days": 5,
        "late": False,
    }
    assert [a["status"] for a in state["attendance"][:4]] == [
        "present",
        "late",
        "absent",
        "present",
    ]
    assert state["minutes"]["petitions_raised"] == raised
    assert sorted(p["petition_id"] for p in state["linked_petitions"]) == sorted(raised)
    assert [v["petition_id"] for v in state["linked_verdicts"]] == [earlier]
    assert ok(auditor.get(f"/v1/petitions/{raised[0]}"))["meeting_id"] == mid
    assert ok(auditor.get(f"/v1/petitions/{earlier}"))["status"] == "closed"

    report = ok(
        committee.get(
            "/v1/reports/attendance",
            params={"from": "2026-09-01", "to": "2026-09-30", "min_position": minuted["position"]},
        )
    )
    figures = ("expected", "present", "late", "absent_excused", "absent_unexcused", "rate")
    by_cell = {c["cell"]: {k: c[k] for k in figures} for c in report["cells"]}
    assert by_cell == {
        "yen-lac-thon1": dict(zip(figures, (1, 1, 0, 0, 0, 100.0), strict=True)),
        "yen-lac-thon2": dict(zip(figures, (1, 0, 1, 0, 0, 100.0), strict=True)),
        "yen-lac-thon3": dict(zip(figures, (1, 0, 0, 1, 0, 0.0), strict=True)),
        "yen-lac-thon4": dict(zip(figures, (1, 1, 0, 0, 0, 100.0), strict=True)),
    }
    late = next(s for s in report["secretaries"] if s["cell"] == "yen-lac-thon2")
    assert (late["person"], late["minutes_late"]) == ("Trần Thị Bình", 15)
    (commune,) = report["communes"]
    assert commune["commune"] == "yen-lac"
    assert {k: commune[k] for k in figures} == dict(
        zip(figures, (4, 2, 1, 1, 0, 75.0), strict=True)
    )
    assert report["meetings"] == {"held": 1, "notices_late": 0, "without_minutes": 0}
    (member,) = report["members"]
    assert (member["member"], member["briefings_attended"], member["cell_meetings_attended"]) == (
        MEMBER,
        1,
        0,
    )
    closed = ok(committee.post(f"/v1/meetings/{mid}/close", json={"closed_on": BRIEFING}))
    assert closed["status"] == "closed"
    history = ok(auditor.get(f"/v1/meetings/{mid}/events"))
    assert [(e["type"], e["business_date"]) for e in history] == [
        ("Scheduled", "2026-08-21"),
        ("NoticeSent", "2026-08-27"),
        ("AgendaIssued", "2026-08-28"),
        ("InformationRequested", "2026-08-28"),  # of the department holding the earlier answer
        ("Held", BRIEFING),
        ("MinutesRecorded", BRIEFING),
        ("Closed", BRIEFING),
    ]
    assert history[0]["actor"]["role"] == "clerk" and history[-1]["actor"]["role"] == "committee"
    assert all(e["backdated"] for e in history)  # recorded months after they happened
    listed = ok(auditor.get("/v1/meetings", params={"min_position": closed["position"]}))
    assert [(m["meeting_id"], m["status"]) for m in listed["items"]] == [(mid, "closed")]
    assert verified["status"] == "closed"


def test_a_cell_meeting_s_petition_counts_in_the_member_s_record(
    live: Live, clerk: httpx.Client, committee: httpx.Client
) -> None:
    made = ok(
        committee.post(
            "/v1/meetings",
            json={
                "kind": "cell_meeting",
                "cell": "yen-phu-thon2",
                "members": [MEMBER],
                "scheduled_on": "2026-10-12",
                "on": "2026-10-01",
            },
        ),
        201,
    )
    mid = made["id"]
    ok(
        clerk.post(
            f"/v1/meetings/{mid}/held",
            json={
                "held_on": "2026-10-12",
                "chair": "Bí thư chi bộ Thôn 2",
                "attendance": [
                    {"person": MEMBER, "status": "late", "minutes_late": 10},
                    {"cell": "yen-phu-thon2", "status": "present"},
                ],
            },
        )
    )
    pid = petition(clerk, "yen-phu-thon2", "2026-10-12", mid, channel="cell_meeting", member=MEMBER)
    state = ok(clerk.get(f"/v1/petitions/{pid}"))
    assert (state["channel"], state["member"], state["meeting_id"]) == ("cell_meeting", MEMBER, mid)
    report = ok(
        committee.get(
            "/v1/reports/attendance",
            params={"from": "2026-10-01", "to": "2026-10-31", "min_position": head(live)},
        )
    )
    (member,) = report["members"]
    assert {k: member[k] for k in ("member", "cell_meetings_attended", "petitions_raised")} == {
        "member": MEMBER,
        "cell_meetings_attended": 1,
        "petitions_raised": 1,
    }
    assert report["cells"] == []  # a cell meeting is no briefing of the secretaries


def test_refusals_are_vietnamese_problems_that_record_nothing(
    live: Live, clerk: httpx.Client, auditor: httpx.Client
) -> None:
    mid = ok(
        clerk.post("/v1/meetings", json={"kind": "briefing", "scheduled_on": "2026-11-03"}), 201
    )["id"]
    before = head(live)
    early = clerk.post(f"/v1/meetings/{mid}/minutes", json={"text": "Biên bản"})
    assert early.status_code == 409 and early.headers["content-type"].startswith(PROBLEM_JSON)
    assert early.json()["code"] == "meeting_out_of_order"
    assert (
        early.json()["detail"] == "Không thể ghi biên bản hội nghị đang ở trạng thái «Đã lên lịch»."
    )
    english = clerk.post(
        f"/v1/meetings/{mid}/minutes", json={"text": "x"}, headers={"Accept-Language": "en"}
    )
    assert english.json()["detail"] == "Cannot record the minutes of a meeting that is scheduled"
    missing = auditor.get("/v1/meetings/00000000-0000-0000-0000-000000000007")
    assert (missing.status_code, missing.json()["detail"]) == (
        404,
        "Không tìm thấy hội nghị 00000000-0000-0000-0000-000000000007.",
    )
    no_member = clerk.post(
        f"/v1/meetings/{mid}/held",
        json={"chair": "x", "attendance": [{"cell": "yen-lac-thon1", "status": "late"}]},
    )
    assert no_member.status_code == 422
    assert no_member.json()["detail"] == (
        "«Số phút đến muộn»: người đến muộn cần ghi số phút muộn."
    )
    forbidden = auditor.post(f"/v1/meetings/{mid}/cancel", json={"reason": "x"})
    assert forbidden.status_code == 403
    stale = clerk.post(
        f"/v1/meetings/{mid}/cancel", json={"reason": "Bão"}, headers={"If-Match": '"7"'}
    )
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    assert stale.json()["detail"].startswith("Hội nghị đã ở phiên bản 1")
    at_unheld = clerk.post(
        "/v1/petitions",
        json={**PETITION, "summary": "x", "cell": "yen-lac-thon1", "raised_on": "2026-11-03"}
        | {"meeting": mid},
    )
    assert at_unheld.status_code == 422
    assert at_unheld.json()["detail"] == (
        "«Hội nghị»: hội nghị đang ở trạng thái «Đã lên lịch», chưa được tổ chức."
    )
    assert head(live) == before


def test_the_briefing_page_offers_no_cell_meeting_channel(live: Live) -> None:
    """A cell meeting's petition names its attending member, which the briefing page does
    not ask for: the page offers the briefing's channels only."""
    client, signed = web_client(live, "clerk")
    assert signed.status_code == 303, signed.text
    page = client.get("/briefing")
    assert page.status_code == 200
    assert 'value="meeting"' in page.text and 'value="written_report"' in page.text
    assert 'value="cell_meeting"' not in page.text
    client.close()
