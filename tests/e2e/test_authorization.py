"""The authorisation matrix over HTTP: every route of the API against every role, plus the
object-level rule (a department sees only what was ever assigned to it) and the
property-level rules (who may set which field).

Each (route, role) case sets up a fresh petition in the state the route needs, so an
allowed role is expected to succeed with 2xx and a refused one is refused for its role
alone; a refused write must leave the event log exactly as it was.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from domain.actors import Role
from tests.e2e.conftest import CELL, DEPARTMENT, OTHER_DEPARTMENT, Live

PROBLEM_JSON = "application/problem+json"
ROLES = ("clerk", "committee", "department", "auditor", "admin", "secretary")
UNAUTHENTICATED = ("anonymous", "revoked", "unknown", "basic_scheme")
WHO = ROLES + UNAUTHENTICATED
TOKEN_ROLE = {
    "clerk": Role.CLERK,
    "committee": Role.COMMITTEE,
    "department": Role.DEPARTMENT,
    "auditor": Role.AUDITOR,
    "admin": Role.ADMIN,
    "secretary": Role.SECRETARY,
}

RAISE = {
    "kind": "reflection",
    "category": "environment",
    "summary": "Bãi rác tự phát cạnh kênh N3",
    "text": "Người dân đổ rác cạnh kênh N3, bốc mùi, ảnh hưởng nguồn nước tưới.",
    "cell": "yen-lac-thon3",
    "raised_by": "Nguyễn Văn Bình",
    "channel": "meeting",
    "meeting": "giao-ban-khu-1-2026-06-03",
    "raised_on": "2026-06-03",
}
ASSIGN_ON = "2026-06-05"  # the zone's next briefing, 3 July, becomes the due date
WRITTEN = {
    "mode": "written",
    "text": "Đã phối hợp UBND xã thu gom, lắp biển cấm đổ rác.",
    "document_number": "45/KTHT",
    "document_date": "2026-06-20",
    "signer": "Trưởng phòng Lê Văn An",
    "answered_on": "2026-06-22",
}
ON_THE_SPOT = {
    "mode": "on_the_spot",
    "text": "Xã sẽ thu gom trong tuần.",
    "answered_by": "Chủ tịch UBND xã Yên Lạc",
    "meeting": "giao-ban-khu-1-2026-06-03",
    "answered_on": "2026-06-03",
}
VERDICT = {
    "verdict": "satisfied",
    "meeting": "giao-ban-khu-1-2026-07-03",
    "verified_on": "2026-07-03",
}
REASON = {"reason": "Ý kiến của chi bộ", "on": "2026-06-10"}
COMMITMENT = {"text": "Lắp camera giám sát bãi rác", "due_on": "2026-09-30", "cost": 35_000_000}
PROGRESS = {"percent": 40, "note": "Đã lắp 2 trên 5 camera", "on": "2026-07-10"}
CONTRIBUTION = {  # a coordinating department's part, to the lead
    "text": "Phòng đã khảo sát, đề nghị bố trí điểm tập kết rác.",
    "document_number": "12/KTHT",
    "document_date": "2026-06-18",
    "signer": "Trưởng phòng Lê Văn An",
    "contributed_on": "2026-06-18",
}
MEETING_ON = "2026-06-03"
HELD = {
    "chair": "Bí thư Đảng ủy",
    "held_on": MEETING_ON,
    "attendance": [
        {"cell": "yen-lac-thon1", "status": "present"},
        {"cell": "yen-lac-thon2", "status": "late", "minutes_late": 10},
    ],
}
DUTY = {
    "member": "cuv-01",
    "name": "Lò Văn Thắng",
    "cells": ["yen-lac-thon1"],
    "start_on": "2026-01-01",
    "end_on": "2026-12-31",
    "on": "2025-12-20",
}


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


def is_problem(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith(PROBLEM_JSON)


@dataclass
class Call:
    method: str
    path: str
    json: dict[str, Any] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Any] | None = None  # a multipart upload instead of a JSON body


class World:
    """Clients per role and builders of petitions in a given state."""

    def __init__(self, live: Live) -> None:
        self.live = live
        self.clients = {who: live.client(who) for who in live.tokens}
        self.bare = live.client()
        self.revoked: dict[str, str] = {}
        for who, role in TOKEN_ROLE.items():
            department = {Role.DEPARTMENT: DEPARTMENT, Role.SECRETARY: CELL}.get(role)
            token_id, secret = live.service.tokens.create(
                role=role, department=department, name=f"e2e revoked {who}"
            )
            assert live.service.tokens.revoke(token_id)
            self.revoked[who] = secret

    def close(self) -> None:
        for client in (*self.clients.values(), self.bare):
            client.close()

    def head(self) -> int:
        return self.live.service.app.recorder.max_notification_id() or 0

    # ---- petitions in a state ---------------------------------------------------

    def raise_body(self, tag: str = "") -> dict[str, Any]:
        marker = tag or f"ma{uuid.uuid4().hex[:10]}"
        return {**RAISE, "summary": f"{RAISE['summary']} {marker}"}

    def raised(self) -> str:
        return str(
            ok(self.clients["clerk"].post("/v1/petitions", json=self.raise_body()), 201)["id"]
        )

    def assign(self, pid: str, department: str, on: str = ASSIGN_ON) -> dict[str, Any]:
        return ok(
            self.clients["committee"].post(
                f"/v1/petitions/{pid}/assignment",
                json={"department": department, "assigned_on": on},
            )
        )

    def assigned(self, department: str = DEPARTMENT) -> str:
        pid = self.raised()
        self.assign(pid, department)
        return pid

    def coordinated(self) -> str:
        """Assigned to OTHER_DEPARTMENT (due 3 July), DEPARTMENT coordinating (due 25 June):
        DEPARTMENT owes its contribution, which the committee may waive."""
        pid = self.raised()
        body = {
            "department": OTHER_DEPARTMENT,
            "assigned_on": ASSIGN_ON,
            "coordinating": [{"department": DEPARTMENT, "due_on": "2026-06-25"}],
        }
        ok(self.clients["committee"].post(f"/v1/petitions/{pid}/assignment", json=body))
        return pid

    def closed(self) -> str:
        """Raised, then closed by the committee (on 10 June): one it may reopen."""
        pid = self.raised()
        ok(self.clients["committee"].post(f"/v1/petitions/{pid}/closure", json=REASON))
        return pid

    def paused(self) -> str:
        """Assigned, then its clock paused by the committee (on 10 June)."""
        pid = self.assigned()
        body = {"reason": "site_visit", "paused_on": "2026-06-10"}
        ok(self.clients["committee"].post(f"/v1/petitions/{pid}/clock/pause", json=body))
        return pid

    def answered(self) -> str:
        pid = self.assigned(DEPARTMENT)
        ok(self.clients["department"].post(f"/v1/petitions/{pid}/answer", json=WRITTEN))
        return pid

    def clearance(self, value: str) -> None:
        """The admin's setting of who clears the organisation's written answers."""
        service = self.live.service
        admin = service.tokens.authenticate(self.live.tokens["admin"])
        assert admin is not None
        values = {"clearance": value}
        today = service.app.today()
        service.reference_admin.apply(
            admin, None, "calendars", "clearance", values, today, service.app.dates
        )

    def held(self) -> str:
        """Answered while the organisation had its office clear its answers: held."""
        self.clearance("office")
        try:
            return self.answered()
        finally:
            self.clearance("none")

    def committed(self) -> str:
        """Answered in writing with a commitment, which the cells' satisfied verdict of
        3 July made owed: closed, with the commitment to follow."""
        pid = self.assigned(DEPARTMENT)
        answer = {**WRITTEN, "commitment": COMMITMENT}
        ok(self.clients["department"].post(f"/v1/petitions/{pid}/answer", json=answer))
        ok(self.clients["clerk"].post(f"/v1/petitions/{pid}/verification", json=VERDICT))
        return pid

    # ---- meetings in a state ----------------------------------------------------

    def scheduled_meeting(self) -> str:
        """khu-1's briefing of 3 June, scheduled on 20 May by the clerk."""
        body = {"kind": "briefing", "zone": "khu-1", "scheduled_on": MEETING_ON, "on": "2026-05-20"}
        return str(ok(self.clients["clerk"].post("/v1/meetings", json=body), 201)["id"])

    def held_meeting(self) -> str:
        mid = self.scheduled_meeting()
        ok(self.clients["clerk"].post(f"/v1/meetings/{mid}/held", json=HELD))
        return mid

    def meeting_asking(self) -> str:
        """A briefing whose agenda holds a petition of DEPARTMENT: it is asked for its
        information."""
        mid, pid = self.scheduled_meeting(), self.assigned()
        agenda = {"issued_on": "2026-05-28", "petitions": [pid]}
        ok(self.clients["clerk"].post(f"/v1/meetings/{mid}/agenda", json=agenda))
        return mid

    # ---- the members' duty ------------------------------------------------------

    def assigned_duty(self, code: str | None = None) -> str:
        """A committee member (``code``, else a new one) assigned by the admin to a cell
        for 2026: the assignment's id."""
        body = {**DUTY, "member": code or f"cuv-{uuid.uuid4().hex[:8]}"}
        return str(ok(self.clients["admin"].post("/v1/duties", json=body), 201)["id"])

    def duty_member(self) -> str:
        """The code of a member assigned for 2026, in the views."""
        code = f"cuv-{uuid.uuid4().hex[:8]}"
        self.assigned_duty(code)
        ok(self.clients["auditor"].get("/v1/duties", params={"min_position": self.head()}))
        return code

    # ---- sending as someone -----------------------------------------------------

    def send(self, who: str, call: Call, allowed: frozenset[str]) -> httpx.Response:
        # A revoked or unknown token is shaped like one of a role the route admits, so
        # the only thing wrong with it is that it is revoked or unknown.
        role = sorted(allowed)[0]
        headers: dict[str, str] = {}
        if who in ROLES:
            client = self.clients[who]
        else:
            client = self.bare
            if who == "revoked":
                headers["Authorization"] = f"Bearer {self.revoked[role]}"
            elif who == "unknown":
                headers["Authorization"] = f"Bearer pt_{role}_{uuid.uuid4().hex}{uuid.uuid4().hex}"
            elif who == "basic_scheme":
                valid = self.live.tokens[role]
                headers["Authorization"] = "Basic " + base64.b64encode(valid.encode()).decode()
        return client.request(
            call.method,
            call.path,
            json=call.json,
            params=call.params,
            headers=headers,
            files=call.files,
        )


@pytest.fixture(scope="module")
def world(live: Live) -> Iterator[World]:
    w = World(live)
    yield w
    w.close()


# ---- the table of routes ---------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    openapi: tuple[str, str]  # (method, path template) as the app declares it
    allowed: frozenset[str]
    prepare: Callable[[World], Call]

    @property
    def write(self) -> bool:
        return self.openapi[0] == "POST"


def on_petition(
    state: Callable[[World], str],
    suffix: str,
    body: dict[str, Any] | None = None,
    method: str = "POST",
    params: Callable[[], dict[str, Any]] | None = None,
) -> Callable[[World], Call]:
    def prepare(w: World) -> Call:
        return Call(
            method,
            f"/v1/petitions/{state(w)}{suffix}",
            json=body,
            params=params() if params else {},
        )

    return prepare


def on_meeting(
    state: Callable[[World], str],
    suffix: str,
    body: dict[str, Any] | None = None,
    method: str = "POST",
) -> Callable[[World], Call]:
    def prepare(w: World) -> Call:
        return Call(method, f"/v1/meetings/{state(w)}{suffix}", json=body)

    return prepare


def import_file(w: World) -> bytes:
    """A minutes file of one new petition (CSV, Vietnamese headings)."""
    header = "Loại,Lĩnh vực,Tóm tắt,Nội dung,Chi bộ,Người phản ánh,Hình thức,Hội nghị,Ngày"
    body = w.raise_body()
    row = f"phản ánh,environment,{body['summary']},{body['text'].replace(',', ' ')}"
    row += f",{body['cell']},{body['raised_by']},hội nghị,{body['meeting']},03/06/2026"
    return f"{header}\r\n{row}\r\n".encode()


def merge_call(w: World) -> Call:
    into = w.raised()
    return Call(
        "POST",
        f"/v1/petitions/{w.raised()}/merge",
        json={"into": into, "reason": "Trùng nội dung", "on": "2026-06-10"},
    )


def repeat_call(w: World) -> Call:
    """A petition raised again: linked to the earlier one, raised the same day."""
    earlier = w.raised()
    return Call(
        "POST",
        f"/v1/petitions/{w.raised()}/repeat-of",
        json={"repeats": earlier, "linked_on": "2026-06-10"},
    )


def now_param() -> dict[str, Any]:
    return {"as_of": datetime.now(UTC).isoformat()}


def allowed(*who: str) -> frozenset[str]:
    return frozenset(who)


READERS = allowed("clerk", "committee", "department", "auditor")
# who reads petitions: the readers, and a cell's secretary its own cell's (the e2e cell's)
CELL_READERS = READERS | allowed("secretary")
EVERYONE = allowed(*ROLES)
P = "/v1/petitions/{petition_id}"
M = "/v1/meetings/{meeting_id}"
RECORDERS = allowed("clerk", "committee")  # an organisation's meetings
MEETING_READERS = allowed("clerk", "committee", "auditor")
D = "/v1/duties/{assignment_id}"
DUTY_READERS = allowed("admin", "clerk", "committee", "auditor")  # an organisation's members


def on_duty(
    suffix: str, body: dict[str, Any] | None = None, method: str = "POST"
) -> Callable[[World], Call]:
    def prepare(w: World) -> Call:
        return Call(method, f"/v1/duties/{w.assigned_duty()}{suffix}", json=body)

    return prepare


def reading(path: str, who: frozenset[str], params: dict[str, Any] | None = None) -> Route:
    """The route ``GET path`` (no path parameters), called with ``params``."""

    def prepare(w: World) -> Call:
        return Call("GET", path, params=dict(params or {}))

    return Route(f"GET {path}", ("GET", path), who, prepare)


def writing(
    action: str, who: frozenset[str], state: Callable[[World], str], body: dict[str, Any]
) -> Route:
    """The route ``POST /v1/petitions/{id}/<action>`` with ``body``, on a petition in ``state``."""
    return Route(
        f"POST {action}", ("POST", f"{P}/{action}"), who, on_petition(state, f"/{action}", body)
    )


ROUTES = [
    Route(
        "POST /v1/petitions",
        ("POST", "/v1/petitions"),
        allowed("clerk"),
        lambda w: Call("POST", "/v1/petitions", json=w.raise_body()),
    ),
    writing(
        "assignment",
        allowed("committee"),
        World.raised,
        {"department": DEPARTMENT, "assigned_on": ASSIGN_ON},
    ),
    Route(
        "POST answer (written)",
        ("POST", f"{P}/answer"),
        allowed("department"),
        on_petition(World.assigned, "/answer", WRITTEN),
    ),
    Route(
        "POST answer (on_the_spot)",
        ("POST", f"{P}/answer"),
        allowed("clerk"),
        on_petition(World.raised, "/answer", ON_THE_SPOT),
    ),
    writing("verification", allowed("clerk", "committee"), World.answered, VERDICT),
    writing(
        "deadline",
        allowed("committee"),
        World.assigned,
        {"due_on": "2026-07-20", "reason": "Chờ kinh phí", "extended_on": "2026-06-10"},
    ),
    writing(
        "clock/pause",
        allowed("committee"),
        World.assigned,
        {"reason": "other_agency", "note": "Chờ Sở Xây dựng", "paused_on": "2026-06-10"},
    ),
    writing("clock/resume", allowed("committee"), World.paused, {"resumed_on": "2026-06-12"}),
    writing("escalation", allowed("committee"), World.raised, REASON),
    writing("withdrawal", allowed("committee"), World.raised, REASON),
    writing("closure", allowed("committee"), World.raised, REASON),
    writing("reopen", allowed("committee"), World.closed, REASON),
    Route("POST merge", ("POST", f"{P}/merge"), allowed("committee"), merge_call),
    writing(
        "cosign",
        allowed("clerk", "committee"),
        World.raised,
        {"cell": "yen-lac-thon1", "raised_by": "Trần Thị Mai", "channel": "written_report"},
    ),
    Route("POST repeat-of", ("POST", f"{P}/repeat-of"), allowed("clerk", "committee"), repeat_call),
    reading(
        "/v1/similar-petitions",
        allowed("clerk"),
        {"category": RAISE["category"], "cell": RAISE["cell"], "summary": RAISE["summary"]},
    ),
    writing("decline", allowed("department"), World.assigned, REASON),
    # the office's clerks clear an answer held for the office; the committee is refused it
    writing(
        "clearance",
        allowed("clerk"),
        World.held,
        {"decision": "return", "reason": "missing_document", "note": "Thiếu văn bản kèm theo"},
    ),
    reading("/v1/clearance", allowed("clerk", "committee", "auditor")),
    writing("commitment/progress", allowed("department"), World.committed, PROGRESS),
    writing(
        "commitment/fulfilment",
        allowed("department"),
        World.committed,
        {"note": "Đã lắp đủ 5 camera", "on": "2026-07-20"},
    ),
    writing("contributions", allowed("department"), World.coordinated, CONTRIBUTION),
    writing(
        "contributions/waiver",
        allowed("committee"),
        World.coordinated,
        {"departments": [DEPARTMENT], "reason": "Đủ thông tin", "waived_on": "2026-06-26"},
    ),
    writing(
        "notes",
        allowed("committee", "department"),
        World.assigned,
        {"text": "Đã trao đổi với trưởng thôn"},
    ),
    Route(
        "GET notes",
        ("GET", f"{P}/notes"),
        allowed("committee", "department", "auditor"),
        on_petition(World.assigned, "/notes", method="GET"),
    ),
    Route(
        "GET petition",
        ("GET", P),
        CELL_READERS,
        on_petition(World.assigned, "", method="GET"),
    ),
    Route(
        "GET petition ?as_of",
        ("GET", P),
        CELL_READERS,
        on_petition(World.assigned, "", method="GET", params=now_param),
    ),
    Route(
        "GET events",
        ("GET", f"{P}/events"),
        allowed("committee", "department", "auditor"),
        on_petition(World.assigned, "/events", method="GET"),
    ),
    reading("/v1/petitions", CELL_READERS, {"limit": 5}),
    reading("/v1/inbox", allowed("department")),
    reading("/v1/inbox/contributions", allowed("department")),
    reading("/v1/overdue", allowed("committee", "department", "auditor"), {"on": "2026-07-10"}),
    reading(
        "/v1/departments/quality",
        allowed("committee", "auditor"),
        {"from": "2026-01-01", "to": "2026-10-31"},
    ),
    reading("/v1/reports/categories", allowed("committee", "auditor"), {"year": 2026}),
    reading(
        "/v1/reports/answer-quality",
        allowed("clerk", "committee", "auditor"),
        {"from": "2026-01-01", "likely_generic": "true"},
    ),
    Route(
        "GET briefing packet",
        ("GET", "/v1/briefings/{zone}/{briefing}/packet"),
        allowed("clerk", "committee", "auditor"),
        lambda w: Call("GET", "/v1/briefings/khu-1/2026-07-03/packet"),
    ),
    reading("/v1/reference", EVERYONE),
    reading("/v1/reference/briefings", EVERYONE, {"year": 2026}),
    reading("/v1/audit/backdated", allowed("committee", "auditor"), {"from": "2026-01-01"}),
    reading("/v1/audit/integrity", allowed("auditor")),
    reading("/v1/audit/access-log", allowed("auditor"), {"limit": 5}),
    Route(
        "POST /v1/imports",
        ("POST", "/v1/imports"),
        allowed("clerk"),
        lambda w: Call("POST", "/v1/imports", files={"file": ("bien-ban.csv", import_file(w))}),
    ),
    reading("/v1/imports/template", allowed("clerk"), {"format": "csv"}),
    reading("/v1/exports/petitions", CELL_READERS, {"format": "csv"}),
    reading("/v1/registers/answers", MEETING_READERS | allowed("secretary"), {"month": "2026-06"}),
    reading(
        "/v1/exports/overdue", allowed("committee", "department", "auditor"), {"on": "2026-07-10"}
    ),
    reading("/v1/exports/quality", allowed("committee", "auditor"), {"format": "csv"}),
    reading("/v1/exports/categories", allowed("committee", "auditor"), {"year": 2026}),
    reading("/v1/reports/annual", allowed("committee", "auditor"), {"year": 2026}),
    reading("/v1/organisations", READERS),
    Route(
        "POST /v1/meetings",
        ("POST", "/v1/meetings"),
        RECORDERS,
        lambda w: Call(
            "POST",
            "/v1/meetings",
            json={"kind": "briefing", "scheduled_on": MEETING_ON, "on": "2026-05-20"},
        ),
    ),
    Route(
        "POST /v1/calendar/meetings",
        ("POST", "/v1/calendar/meetings"),
        RECORDERS,
        lambda w: Call(
            "POST",
            "/v1/calendar/meetings",
            json={
                "from": "2027-03-01",
                "to": "2027-03-31",
                "kinds": ["briefing"],
                "on": "2026-05-20",
            },
        ),
    ),
    *(
        Route(
            f"POST meeting {action}",
            ("POST", f"{M}/{action}"),
            RECORDERS,
            on_meeting(state, f"/{action}", body),
        )
        for action, state, body in [
            (
                "notice",
                World.scheduled_meeting,
                {"recipients": ["Bí thư"], "sent_on": "2026-05-25"},
            ),
            ("agenda", World.scheduled_meeting, {"issued_on": "2026-05-28"}),
            ("held", World.scheduled_meeting, HELD),
            ("minutes", World.held_meeting, {"text": "Biên bản", "recorded_on": MEETING_ON}),
            ("close", World.held_meeting, {"closed_on": MEETING_ON}),
            ("move", World.scheduled_meeting, {"scheduled_on": "2026-06-05", "reason": "Trùng"}),
            ("cancel", World.scheduled_meeting, {"reason": "Bão", "on": "2026-05-30"}),
        ]
    ),
    Route(
        "GET meeting",
        ("GET", M),
        MEETING_READERS,
        on_meeting(World.scheduled_meeting, "", method="GET"),
    ),
    Route(
        "GET meeting events",
        ("GET", f"{M}/events"),
        MEETING_READERS,
        on_meeting(World.held_meeting, "/events", method="GET"),
    ),
    reading("/v1/meetings", MEETING_READERS, {"limit": 5}),
    reading("/v1/reports/attendance", MEETING_READERS, {"from": "2026-01-01"}),
    Route(
        "POST meeting information",
        ("POST", f"{M}/information"),
        allowed("clerk", "committee", "department"),
        on_meeting(
            World.meeting_asking, "/information", {"department": DEPARTMENT, "on": "2026-06-01"}
        ),
    ),
    *(
        reading(f"/v1/reports/meetings/{report}", MEETING_READERS, {"from": "2026-01-01"})
        for report in ("people", "notices", "information", "minutes")
    ),
    Route(
        "GET meetings report export",
        ("GET", "/v1/exports/meetings/{report_name}"),
        MEETING_READERS,
        lambda w: Call("GET", "/v1/exports/meetings/minutes", params={"format": "csv"}),
    ),
    reading("/v1/exports/attendance", MEETING_READERS, {"from": "2026-01-01", "format": "csv"}),
    reading("/v1/reports/organisations", READERS, {"from": "2026-01-01"}),
    Route(
        "POST /v1/duties",
        ("POST", "/v1/duties"),
        allowed("admin"),
        lambda w: Call("POST", "/v1/duties", json={**DUTY, "member": f"cuv-{uuid.uuid4().hex}"}),
    ),
    Route(
        "POST duty change",
        ("POST", f"{D}/change"),
        allowed("admin"),
        on_duty(
            "/change",
            {
                "effective_on": "2026-07-01",
                "cells": ["yen-lac-thon2"],
                "end_on": "2026-12-31",
                "reason": "Điều chỉnh",
                "on": "2026-06-20",
            },
        ),
    ),
    Route(
        "POST duty end",
        ("POST", f"{D}/end"),
        allowed("admin"),
        on_duty("/end", {"ended_on": "2026-06-30", "reason": "Nghỉ", "on": "2026-07-01"}),
    ),
    reading("/v1/duties", DUTY_READERS),
    Route("GET duty", ("GET", D), DUTY_READERS, on_duty("", method="GET")),
    Route(
        "GET /v1/reports/duty/calendar",
        ("GET", "/v1/reports/duty/calendar"),
        MEETING_READERS,
        lambda w: Call(
            "GET", "/v1/reports/duty/calendar", params={"member": w.duty_member(), "year": 2026}
        ),
    ),
    reading("/v1/reports/duty/absent", MEETING_READERS, {"year": 2026, "month": 6}),
    reading("/v1/reports/duty/unvisited", MEETING_READERS, {"months": 2, "on": "2026-06-30"}),
    reading("/v1/reports/duty/record", MEETING_READERS, {"year": 2026}),
    reading("/v1/exports/duty-record", MEETING_READERS, {"year": 2026}),
    reading("/v1/exports/organisations", READERS, {"from": "2026-01-01", "format": "csv"}),
]
# Routes a one-district deployment cannot take to a success, tried role by role on a
# province with departments of its own: tests/e2e/test_organisations_api.py.
ELSEWHERE = {("POST", f"{P}/referral"), ("POST", f"{P}/referral/return")}
WRITES = [r for r in ROUTES if r.write]
JSON_WRITES = [r for r in WRITES if r.openapi != ("POST", "/v1/imports")]
CHECKED: set[tuple[str, str]] = set()


def test_the_table_lists_every_route_the_api_declares(live: Live) -> None:
    spec = ok(live.client().get("/openapi.json"))
    declared = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        if path.startswith("/v1/")
        for method in operations
    }
    assert declared == {r.openapi for r in ROUTES} | ELSEWHERE


@pytest.mark.parametrize(
    ("route", "who"),
    [pytest.param(r, who, id=f"{r.name} as {who}") for r in ROUTES for who in WHO],
)
def test_matrix(world: World, route: Route, who: str) -> None:
    call = route.prepare(world)
    before = world.head()
    response = world.send(who, call, route.allowed)
    said = (
        f"{route.name} as {who}: {call.method} {call.path} {call.params or ''} -> "
        f"{response.status_code} {response.text[:400]}"
    )
    if who in ROLES and who in route.allowed:
        assert 200 <= response.status_code < 300, said
    elif who in ROLES:
        assert response.status_code == 403, said
        assert is_problem(response), said
        assert response.json()["code"] in ("forbidden", "not_permitted"), said
        assert response.json()["status"] == 403, said
    else:
        assert response.status_code == 401, said
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), said
        assert is_problem(response), said
        assert response.json()["code"] == "unauthorized", said
    if route.write and not (who in ROLES and who in route.allowed):
        assert world.head() == before, f"{said}: a refused write recorded events"
    CHECKED.add((route.name, who))


def test_matrix_size(capsys: pytest.CaptureFixture[str]) -> None:
    total = len(ROUTES) * len(WHO)
    with capsys.disabled():
        print(
            f"\nauthorization matrix: {len(CHECKED)} of {total} route×role combinations "
            f"checked ({len(ROUTES)} routes × {len(WHO)} callers: {', '.join(WHO)})"
        )
    assert CHECKED, "the matrix did not run"


# ---- auditors change nothing ---------------------------------------------------------


def test_auditor_is_refused_every_write_and_the_log_is_unchanged(world: World) -> None:
    auditor = world.clients["auditor"]
    calls = [(r, r.prepare(world)) for r in WRITES]
    versions = {}
    for _, call in calls:
        if call.path.startswith("/v1/petitions/"):
            pid = call.path.split("/")[3]
            versions[pid] = ok(auditor.get(f"/v1/petitions/{pid}"))["version"]
    before = world.head()
    for route, call in calls:
        response = auditor.request(call.method, call.path, json=call.json, files=call.files)
        assert response.status_code == 403, f"{route.name}: {response.text}"
        assert is_problem(response), route.name
    assert world.head() == before
    for pid, version in versions.items():
        assert ok(auditor.get(f"/v1/petitions/{pid}"))["version"] == version


# ---- object level: departments ---------------------------------------------------------


def object_calls(pid: str) -> dict[str, Call]:
    return {
        "GET petition": Call("GET", f"/v1/petitions/{pid}"),
        "GET petition ?as_of": Call("GET", f"/v1/petitions/{pid}", params=now_param()),
        "GET events": Call("GET", f"/v1/petitions/{pid}/events"),
        "POST answer": Call("POST", f"/v1/petitions/{pid}/answer", json=WRITTEN),
        "POST decline": Call("POST", f"/v1/petitions/{pid}/decline", json=REASON),
    }


OWNER = {"department": DEPARTMENT, "other_department": OTHER_DEPARTMENT}
SCENARIOS = {
    # who reaches, and to whom the petition is assigned (None: never assigned at all)
    "kinh-te-ha-tang on cong-an's": ("department", OTHER_DEPARTMENT),
    "cong-an on kinh-te-ha-tang's": ("other_department", DEPARTMENT),
    "kinh-te-ha-tang on an unassigned one": ("department", None),
    "cong-an on an unassigned one": ("other_department", None),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
@pytest.mark.parametrize("what", list(object_calls("x")))
def test_a_department_gets_404_for_a_petition_never_assigned_to_it(
    world: World, scenario: str, what: str
) -> None:
    who, assigned_to = SCENARIOS[scenario]
    pid = world.raised() if assigned_to is None else world.assigned(assigned_to)
    call = object_calls(pid)[what]
    client = world.clients[who]
    before = world.head()
    response = client.request(call.method, call.path, json=call.json, params=call.params)
    said = f"{what} by {scenario}: {response.status_code} {response.text[:300]}"
    assert response.status_code == 404, said
    assert is_problem(response), said
    body = response.json()
    assert body["code"] == "petition_not_found", said
    assert "ETag" not in response.headers, said
    assert RAISE["summary"] not in response.text and "yen-lac" not in response.text, said
    assert world.head() == before, said
    # indistinguishable from an id that names nothing at all
    nothing = object_calls(str(uuid.uuid4()))[what]
    absent = client.request(nothing.method, nothing.path, json=nothing.json, params=nothing.params)
    assert (absent.status_code, absent.json()["code"], absent.json()["title"]) == (
        404,
        body["code"],
        body["title"],
    )


def test_a_department_reassigned_away_still_sees_it_but_cannot_act(world: World) -> None:
    pid = world.assigned(DEPARTMENT)
    moved = world.assign(pid, OTHER_DEPARTMENT, on="2026-06-08")
    was, now = world.clients["department"], world.clients["other_department"]

    state = ok(was.get(f"/v1/petitions/{pid}"))
    assert (state["department"], state["departments"]) == (
        OTHER_DEPARTMENT,
        [DEPARTMENT, OTHER_DEPARTMENT],
    )
    assert ok(was.get(f"/v1/petitions/{pid}", params=now_param()))["version"] == moved["version"]
    assert [e["type"] for e in ok(was.get(f"/v1/petitions/{pid}/events"))] == [
        "Raised",
        "Assigned",
        "Reassigned",
    ]
    listed = ok(was.get("/v1/petitions", params={"min_position": moved["position"], "limit": 200}))
    assert pid in [r["petition_id"] for r in all_pages(was, "/v1/petitions", listed)]
    inbox = ok(was.get("/v1/inbox", params={"min_position": moved["position"]}))
    assert pid not in [r["petition_id"] for r in inbox["items"]]

    before = world.head()
    for what in ("POST answer", "POST decline"):
        call = object_calls(pid)[what]
        response = was.post(call.path, json=call.json)
        assert response.status_code == 409, f"{what}: {response.text}"
        assert is_problem(response)
        assert response.json()["code"] == "wrong_department", f"{what}: {response.text}"
    assert world.head() == before

    assert pid in [r["petition_id"] for r in ok(now.get("/v1/inbox"))["items"]]
    assert ok(now.post(f"/v1/petitions/{pid}/answer", json=WRITTEN))["status"] == "answered"


def all_pages(client: httpx.Client, path: str, first: dict[str, Any]) -> list[dict[str, Any]]:
    items, page = list(first["items"]), first
    while page["next_cursor"]:
        page = ok(client.get(path, params={"cursor": page["next_cursor"], "limit": 200}))
        items += page["items"]
    return items


def board_rows(client: httpx.Client, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of the overdue board, page by page: the module's world holds more
    overdue petitions than one page as its tests run in one worker."""
    rows: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        page = ok(client.get("/v1/overdue", params={**params, "offset": offset}))
        rows += page["items"]
        offset = page["next_offset"]
    return rows


def test_lists_and_the_overdue_board_show_a_department_only_its_own(world: World) -> None:
    ours, theirs = world.assigned(DEPARTMENT), world.assigned(OTHER_DEPARTMENT)
    nobodys = world.raised()
    moved = world.assigned(DEPARTMENT)
    last = world.assign(moved, OTHER_DEPARTMENT, on="2026-06-08")["position"]
    owned = {
        "department": ({ours, moved}, {theirs, nobodys}),
        "other_department": ({theirs, moved}, {ours, nobodys}),
    }

    committee = world.clients["committee"]
    board = board_rows(committee, {"on": "2026-07-20", "min_position": last})
    everything = {r["petition_id"] for r in board}
    assert {ours, theirs, moved} <= everything  # both departments have overdue petitions

    for who, (visible, hidden) in owned.items():
        client, own = world.clients[who], OWNER[who]
        for params in ({}, {"department": DEPARTMENT}, {"department": OTHER_DEPARTMENT}):
            first = ok(
                client.get("/v1/petitions", params={**params, "limit": 200, "min_position": last})
            )
            items = all_pages(client, "/v1/petitions", first)
            ids = {r["petition_id"] for r in items}
            strangers = [r["petition_id"] for r in items if own not in r["departments"]]
            assert not strangers, f"{who} {params} lists others' petitions {strangers}"
            assert not ids & hidden, f"{who} {params}"
            if not params:
                assert visible <= ids, who

            board = ok(client.get("/v1/overdue", params={**params, "on": "2026-07-20"}))
            assert {t["department"] for t in board["totals"]} <= {own}, f"{who} {params}"
            rows = board_rows(client, {**params, "on": "2026-07-20"})
            foreign = [r for r in rows if r["department"] != own]
            assert not foreign, f"{who} {params} sees others' overdue rows {foreign}"
            seen = {r["petition_id"] for r in rows}
            assert not seen & hidden, f"{who} {params}"
            if not params:
                assert own_overdue(own, ours, theirs, moved) <= seen, who

        inbox = {r["petition_id"] for r in ok(client.get("/v1/inbox"))["items"]}
        assert all(ok(client.get(f"/v1/petitions/{pid}"))["department"] == own for pid in inbox), (
            who
        )


def own_overdue(own: str, ours: str, theirs: str, moved: str) -> set[str]:
    # "moved" was reassigned to cong-an before it fell due: its overdue answer is cong-an's
    return {ours} if own == DEPARTMENT else {theirs, moved}


# ---- property level ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [{"reassign_to": OTHER_DEPARTMENT}, {"due_on": "2026-08-20"}],
    ids=lambda v: next(iter(v)),
)
def test_a_clerk_may_not_choose_the_department_or_due_date_of_a_reopening(
    world: World, extra: dict[str, Any]
) -> None:
    pid = world.answered()
    body = {**VERDICT, "verdict": "unsatisfied", **extra}
    before = world.head()
    response = world.clients["clerk"].post(f"/v1/petitions/{pid}/verification", json=body)
    assert response.status_code == 403, response.text
    assert is_problem(response)
    assert world.head() == before
    # the committee may
    reopened = ok(world.clients["committee"].post(f"/v1/petitions/{pid}/verification", json=body))
    assert reopened["status"] == "assigned"


@pytest.mark.parametrize(
    ("mode", "extra"),
    [
        ("written", {"answered_by": "Phó Chủ tịch UBND huyện"}),
        ("written", {"meeting": "giao-ban-khu-1-2026-07-03"}),
        ("on_the_spot", {"document_number": "12/UBND"}),
        ("on_the_spot", {"signer": "Chủ tịch"}),
        ("on_the_spot", {"commitment": COMMITMENT}),
    ],
    ids=lambda v: v if isinstance(v, str) else next(iter(v)),
)
def test_an_answer_carrying_the_other_modes_fields_is_422(
    world: World, mode: str, extra: dict[str, Any]
) -> None:
    if mode == "written":
        pid, client, body = world.assigned(), world.clients["department"], WRITTEN
    else:
        pid, client, body = world.raised(), world.clients["clerk"], ON_THE_SPOT
    before = world.head()
    response = client.post(f"/v1/petitions/{pid}/answer", json={**body, **extra})
    assert response.status_code == 422, response.text
    assert is_problem(response)
    assert [e["field"] for e in response.json()["errors"]] == list(extra)
    assert world.head() == before


@pytest.mark.parametrize("route", JSON_WRITES, ids=lambda r: r.name)
def test_unknown_body_fields_are_422(world: World, route: Route) -> None:
    call = route.prepare(world)
    who = sorted(route.allowed)[0]
    assert call.json is not None
    before = world.head()
    response = world.clients[who].post(call.path, json={**call.json, "approved_by": "giám đốc"})
    assert response.status_code == 422, f"{route.name}: {response.text}"
    assert is_problem(response)
    assert "approved_by" in [e["field"] for e in response.json()["errors"]], response.text
    assert world.head() == before
    # and the same request without the stranger is fine (the state was right)
    assert 200 <= world.clients[who].post(call.path, json=call.json).status_code < 300
