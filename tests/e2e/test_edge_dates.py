"""Dates at the calendar's edges, over HTTP: every route that takes a date (the API's
writes and reads, the exports, an import, and the web pages' date parameters and forms) is
sent dates from year 1 to 9999 — first every route at each edge (the calendar's first and
last days, the days around the service's earliest business date and its last, today), then
hypothesis's choice of route and date. Not one answer may be a server error, and a refused
request records nothing in the event log.

Petitions in the state each command needs are recorded in-process (through the
application) as the commands use them up. One petition carries a due date of 9999-12-31,
recorded straight through the aggregate, as an event recorded before the bound existed
would be: the board, packets, scorecards, exports, answers, verdicts and the policy pass
must all still compute around it.

EDGE_DATES_EXAMPLES sets hypothesis's budget; EDGE_DATES_RANDOM=1 runs a random search
instead of the derandomized one.
"""

from __future__ import annotations

import csv
import io
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.actors import Actor, Role, Stamp
from domain.calendar import EARLIEST_BUSINESS_DATE, LATEST_DATE
from service.bootstrap import Service
from tests.e2e.conftest import DEPARTMENT, Live, live_service
from tests.e2e.web.test_web_security import signed_in
from tests.figures import record
from usecases.commands import Context, PetitionDraft
from workers.policy import run_once

EXAMPLES = int(os.environ.get("EDGE_DATES_EXAMPLES", "200"))
RANDOM = os.environ.get("EDGE_DATES_RANDOM") == "1"
FAR = date(9999, 12, 31)
ZONE = "khu-1"
CELL = "yen-lac-thon3"


def edges(today: date, earliest: date = EARLIEST_BUSINESS_DATE) -> list[date]:
    one = timedelta(days=1)
    return sorted(
        {
            date.min,
            date(1, 2, 15),
            earliest - one,
            earliest,
            today,
            today + one,
            LATEST_DATE,
            LATEST_DATE + one,
            date(9999, 11, 15),
            date.max,
        }
    )


def clerk_actor() -> Context:
    return Context(Actor("edge-clerk", Role.CLERK))


def committee_actor() -> Context:
    return Context(Actor("edge-committee", Role.COMMITTEE))


def department_actor() -> Context:
    return Context(Actor("edge-department", Role.DEPARTMENT, DEPARTMENT))


def draft(raised_on: date, summary: str = "Đề nghị sửa cầu tràn") -> PetitionDraft:
    return PetitionDraft(
        kind="proposal",
        category="transport",
        summary=summary,
        text="Cầu tràn sạt lở sau lũ, học sinh phải đi vòng 3 km.",
        cell=CELL,
        raised_by="Trần Thị Lan",
        channel="written_report",
        raised_on=raised_on,
    )


def far_due_petition(service: Service, day: date) -> str:
    """A petition assigned with a due date of 9999-12-31, recorded through the aggregate
    (the application now refuses such a date; an older event may still hold one)."""
    app = service.app
    pid = app.raise_petition(draft(day, "Hạn trả lời xa nhất"), clerk_actor()).id
    petition = app.load(pid)
    petition.assign(
        department=DEPARTMENT, due_on=FAR, note=None, stamp=Stamp(committee_actor().actor, day)
    )
    app.save_petition(petition)
    return str(pid)


@dataclass
class Edge:
    """The live service, a client per role, web sessions, and petitions to act on."""

    live: Live
    api: dict[str, httpx.Client]
    web: dict[str, tuple[httpx.Client, str]]
    start: date  # the business date of the petitions recorded for the commands
    far: str  # the petition due 9999-12-31
    kept: dict[str, str] = field(default_factory=dict)  # status -> a petition in it
    statuses: Counter[int] = field(default_factory=Counter)
    routes: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    recorded_when_refused: list[str] = field(default_factory=list)
    prepared: int = 0  # events the test itself recorded, preparing petitions

    @property
    def app(self) -> Any:
        return self.live.service.app

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def petition(self, status: str) -> str:
        """A petition now in ``status`` (raised, assigned or answered), recorded if needed."""
        pid = self.kept.get(status)
        if pid is not None and self.app.state(uuid.UUID(pid))["status"] == status:
            return pid
        before = self.head()
        written = self.app.raise_petition(draft(self.start), clerk_actor())
        if status in ("assigned", "answered"):
            self.app.assign(written.id, committee_actor(), department=DEPARTMENT, on=self.start)
        if status == "answered":
            self.app.answer_in_writing(
                written.id,
                department_actor(),
                text="Sẽ khảo sát và lập dự toán.",
                document_number="12/KTHT",
                document_date=self.start,
                signer="Trưởng phòng",
                on=self.start,
            )
        self.kept[status] = str(written.id)
        self.prepared += self.head() - before
        return self.kept[status]

    def version(self, pid: str) -> int:
        return int(self.app.state(uuid.UUID(pid))["version"])

    def send(self, name: str, day: date) -> None:
        """Send route ``name`` with ``day``; note a server error, or a refusal that recorded."""
        before, prepared = self.head(), self.prepared
        try:
            response = ROUTES[name](self, day)
        except httpx.TransportError as error:  # the server dropped the connection
            self.server_errors.append(f"{name} {day.isoformat()}: {error!r}")
            return
        self.statuses[response.status_code] += 1
        self.routes[name] += 1
        said = f"{name} {day.isoformat()}: {response.status_code} {response.text[:200]}"
        if response.status_code >= 500:
            self.server_errors.append(said)
        elif response.status_code >= 400 and self.head() != before + self.prepared - prepared:
            self.recorded_when_refused.append(said)


Route = Callable[[Edge, date], httpx.Response]
ROUTES: dict[str, Route] = {}


def route(name: str) -> Callable[[Route], Route]:
    def register(send: Route) -> Route:
        ROUTES[name] = send
        return send

    return register


# ---- the API's commands ---------------------------------------------------------------------


def command(e: Edge, who: str, status: str, path: str, body: dict[str, Any]) -> httpx.Response:
    pid = e.petition(status)
    return e.api[who].post(f"/v1/petitions/{pid}/{path}", json=body)


def raise_body(day: date) -> dict[str, Any]:
    return {
        "kind": "reflection",
        "category": "services",
        "summary": "Đường ống nước bị vỡ",
        "text": "Đường ống nước sạch thôn 3 bị vỡ, 40 hộ thiếu nước.",
        "cell": CELL,
        "raised_by": "Nguyễn Văn Hùng",
        "channel": "meeting",
        "meeting": "Giao ban khu 1",
        "raised_on": day.isoformat(),
    }


@route("POST /v1/petitions raised_on")
def raise_on(e: Edge, day: date) -> httpx.Response:
    return e.api["clerk"].post("/v1/petitions", json=raise_body(day))


@route("POST assignment assigned_on")
def assigned_on(e: Edge, day: date) -> httpx.Response:
    body = {"department": DEPARTMENT, "assigned_on": day.isoformat()}
    return command(e, "committee", "raised", "assignment", body)


@route("POST assignment due_on")
def assignment_due(e: Edge, day: date) -> httpx.Response:
    body = {"department": DEPARTMENT, "due_on": day.isoformat()}
    return command(e, "committee", "raised", "assignment", body)


WRITTEN = {
    "mode": "written",
    "text": "Đã đưa vào kế hoạch sửa chữa quý tới.",
    "document_number": "51/KTHT",
    "signer": "Trưởng phòng Lê Văn An",
}


@route("POST answer answered_on")
def answered_on(e: Edge, day: date) -> httpx.Response:
    body = {**WRITTEN, "document_date": e.start.isoformat(), "answered_on": day.isoformat()}
    return command(e, "department", "assigned", "answer", body)


@route("POST answer document_date")
def document_date(e: Edge, day: date) -> httpx.Response:
    body = {**WRITTEN, "document_date": day.isoformat()}
    return command(e, "department", "assigned", "answer", body)


@route("POST answer on the spot answered_on")
def spot_on(e: Edge, day: date) -> httpx.Response:
    body = {
        "mode": "on_the_spot",
        "text": "Xã sẽ sửa ngay trong tuần.",
        "answered_by": "Chủ tịch xã",
        "answered_on": day.isoformat(),
    }
    return command(e, "clerk", "raised", "answer", body)


@route("POST verification verified_on (reopens on the calendar's date)")
def verified_on(e: Edge, day: date) -> httpx.Response:
    body = {"verdict": "unsatisfied", "flags": ["generic"], "verified_on": day.isoformat()}
    return command(e, "clerk", "answered", "verification", body)


@route("POST verification due_on")
def verification_due(e: Edge, day: date) -> httpx.Response:
    body = {"verdict": "partially_satisfied", "due_on": day.isoformat()}
    return command(e, "committee", "answered", "verification", body)


@route("POST deadline due_on")
def deadline_due(e: Edge, day: date) -> httpx.Response:
    body = {"due_on": day.isoformat(), "reason": "Cần khảo sát thêm"}
    return command(e, "committee", "assigned", "deadline", body)


@route("POST deadline extended_on")
def extended_on(e: Edge, day: date) -> httpx.Response:
    later = (e.app.today() + timedelta(days=90)).isoformat()
    body = {"due_on": later, "reason": "Cần khảo sát thêm", "extended_on": day.isoformat()}
    return command(e, "committee", "assigned", "deadline", body)


def reason_route(path: str, who: str, status: str) -> Route:
    def send(e: Edge, day: date) -> httpx.Response:
        return command(e, who, status, path, {"reason": "Theo đề nghị", "on": day.isoformat()})

    return send


for _path, _who, _status in (
    ("escalation", "committee", "assigned"),
    ("withdrawal", "committee", "raised"),
    ("closure", "committee", "answered"),
    ("decline", "department", "assigned"),
):
    route(f"POST {_path} on")(reason_route(_path, _who, _status))


@route("POST merge on")
def merge_on(e: Edge, day: date) -> httpx.Response:
    body = {"into": e.petition("answered"), "on": day.isoformat()}
    return command(e, "committee", "raised", "merge", body)


def import_file(day: date) -> dict[str, tuple[str, bytes, str]]:
    """A briefing's minutes of one petition raised on ``day``, as CSV."""
    out = io.StringIO(newline="")
    headings = ["Loại", "Lĩnh vực", "Tóm tắt", "Nội dung", "Chi bộ", "Người phản ánh"]
    row = ["kiến nghị", "transport", f"Cầu tràn {uuid.uuid4().hex[:8]}", "Sạt lở", CELL, "Bí thư"]
    headings += ["Hình thức", "Hội nghị", "Ngày"]
    row += ["written_report", "", f"{day.day:02d}/{day.month:02d}/{day.year:04d}"]
    csv.writer(out, lineterminator="\r\n").writerows([headings, row])
    return {"file": ("bien-ban.csv", out.getvalue().encode(), "text/csv")}


@route("POST /v1/imports raised_on (CSV)")
def import_on(e: Edge, day: date) -> httpx.Response:
    return e.api["clerk"].post("/v1/imports", files=import_file(day))


# ---- reads: the API's, its exports, and the web pages' ----------------------------------------


def get_route(who: str, path: str, param: str, *, year: bool = False) -> Route:
    """A GET with the date (or its year) in ``param``; a path without /v1 is a web page,
    read with the role's session (and the zone the clerk's pages ask for)."""

    def send(e: Edge, day: date) -> httpx.Response:
        value = str(day.year) if year else day.isoformat()
        if path.startswith("/v1"):
            return e.api[who].get(path, params={param: value})
        return e.web[who][0].get(path, params={param: value, "zone": ZONE})

    return send


for _who, _path, _param, _year in (
    ("committee", "/v1/petitions", "raised_from", False),
    ("committee", "/v1/petitions", "raised_to", False),
    ("committee", "/v1/overdue", "on", False),
    ("committee", "/v1/departments/quality", "from", False),
    ("committee", "/v1/departments/quality", "to", False),
    ("committee", "/v1/reports/categories", "year", True),
    ("clerk", "/v1/reference/briefings", "year", True),
    ("auditor", "/v1/audit/backdated", "from", False),
    ("auditor", "/v1/audit/backdated", "to", False),
    ("committee", "/v1/exports/petitions?format=csv", "raised_from", False),
    ("committee", "/v1/exports/overdue", "on", False),
    ("committee", "/v1/exports/quality?format=csv", "to", False),
    ("committee", "/v1/exports/categories?format=csv", "year", True),
    ("committee", "/v1/reports/annual", "year", True),
    ("clerk", "/briefing", "briefing", False),
    ("clerk", "/verification", "briefing", False),
    ("clerk", "/packet", "briefing", False),
    ("committee", "/board", "on", False),
    ("committee", "/scorecards", "year", True),
    ("committee", "/categories", "year", True),
    ("committee", "/petitions", "raised_from", False),
):
    route(f"GET {_path} {_param}")(get_route(_who, _path, _param, year=_year))


@route("GET /v1/briefings/{zone}/{date}/packet")
def packet(e: Edge, day: date) -> httpx.Response:
    return e.api["clerk"].get(f"/v1/briefings/{ZONE}/{day.isoformat()}/packet")


@route("GET /v1/petitions/{id} as_of (+14:00, the day's start)")
def as_of_east(e: Edge, day: date) -> httpx.Response:
    moment = f"{day.isoformat()}T00:00:00+14:00"
    return e.api["committee"].get(f"/v1/petitions/{e.far}", params={"as_of": moment})


@route("GET /v1/petitions/{id} as_of (-12:00, the day's end)")
def as_of_west(e: Edge, day: date) -> httpx.Response:
    moment = f"{day.isoformat()}T23:59:59-12:00"
    return e.api["department"].get(f"/v1/petitions/{e.far}", params={"as_of": moment})


# ---- the web pages' as-of moment and forms -----------------------------------------------------


@route("page GET /petitions/{id} as_of")
def page_as_of(e: Edge, day: date) -> httpx.Response:
    client = e.web["committee"][0]
    return client.get(f"/petitions/{e.far}", params={"as_of": f"{day.isoformat()}T12:00"})


@route("page POST /briefing briefing")
def page_briefing(e: Edge, day: date) -> httpx.Response:
    client, csrf = e.web["clerk"]
    form = {
        "csrf": csrf,
        "zone": ZONE,
        "briefing": day.isoformat(),
        "channel": "meeting",
        "meeting": "Giao ban khu 1",
        "key": uuid.uuid4().hex,
        "cell": CELL,
        "category": "services",
        "kind": "reflection",
        "summary": "Đèn đường hỏng",
        "text": "Đèn đường thôn 3 hỏng hai tháng.",
        "raised_by": "Bí thư",
        "spot_by": "",
        "spot_text": "",
    }
    return client.post("/briefing", data=form)


@route("page POST /verification briefing")
def page_verification(e: Edge, day: date) -> httpx.Response:
    client, csrf = e.web["clerk"]
    pid = e.petition("answered")
    form = {
        "csrf": csrf,
        "zone": ZONE,
        "briefing": day.isoformat(),
        "petition": pid,
        f"verdict-{pid}": "unsatisfied",
        f"version-{pid}": str(e.version(pid)),
    }
    return client.post("/verification", data=form)


def action_route(who: str, status: str, action: str, values: Callable[[Edge, date], dict]) -> Route:
    def send(e: Edge, day: date) -> httpx.Response:
        client, csrf = e.web[who]
        pid = e.petition(status)
        form = {"csrf": csrf, "version": str(e.version(pid)), **values(e, day)}
        return client.post(f"/petitions/{pid}/{action}", data=form)

    return send


for _who, _status, _action, _field, _values in (
    ("committee", "raised", "assign", "due_on", lambda e, d: {"department": DEPARTMENT}),
    ("committee", "assigned", "extend", "due_on", lambda e, d: {"reason": "Khảo sát thêm"}),
    (
        "department",
        "assigned",
        "answer",
        "answered_on",
        lambda e, d: {
            "text": "Đã sửa xong.",
            "document_number": "7/KTHT",
            "document_date": d.isoformat(),
            "signer": "Trưởng phòng",
        },
    ),
    ("clerk", "raised", "spot", "answered_on", lambda e, d: {"text": "Sửa", "answered_by": "Xã"}),
    ("committee", "answered", "verify", "verified_on", lambda e, d: {"verdict": "unsatisfied"}),
):
    route(f"page POST /petitions/{{id}}/{_action} {_field}")(
        action_route(
            _who,
            _status,
            _action,
            lambda e, d, values=_values, name=_field: {**values(e, d), name: d.isoformat()},
        )
    )


# ---- the checks ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def edge(live: Live) -> Iterator[Edge]:
    api = {who: live.client(who) for who in live.tokens}
    web = {who: signed_in(live, who) for who in ("clerk", "committee", "department")}
    start = live.service.app.today() - timedelta(days=40)
    yield Edge(live, api, web, start, far_due_petition(live.service, start))
    for client in [*api.values(), *(c for c, _ in web.values())]:
        client.close()


def test_no_date_from_year_1_to_9999_is_a_server_error_on_any_route(edge: Edge) -> None:
    started = time.monotonic()
    fixed = edges(edge.app.today())
    for name in ROUTES:
        for day in fixed:
            edge.send(name, day)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        name=st.sampled_from(sorted(ROUTES)),
        day=st.one_of(
            st.dates(),  # year 1 to 9999
            st.sampled_from(fixed),
            st.dates(edge.start - timedelta(days=30), edge.app.today() + timedelta(days=90)),
        ),
    )
    def any_route_any_date(name: str, day: date) -> None:
        edge.send(name, day)

    any_route_any_date()
    cases = sum(edge.statuses.values())
    statuses = ", ".join(f"{s}×{n}" for s, n in sorted(edge.statuses.items()))
    record(
        "11 edge dates: cases and server errors (0)",
        f"{cases} requests over {len(ROUTES)} routes with a date ({len(fixed)} edge dates on "
        f"each, then {EXAMPLES} hypothesis cases, year 1 to 9999): "
        f"{len(edge.server_errors)} server errors, {len(edge.recorded_when_refused)} refusals "
        f"that recorded ({statuses}; {time.monotonic() - started:.0f} s)",
        cases=cases,
        routes=len(ROUTES),
        server_errors=len(edge.server_errors),
        statuses=dict(edge.statuses),
    )
    assert not edge.server_errors, "\n".join(edge.server_errors[:20])
    assert not edge.recorded_when_refused, "\n".join(edge.recorded_when_refused[:20])
    assert set(edge.routes) == set(ROUTES)
    # Both sides of the span were exercised: dates refused, and dates accepted.
    assert edge.statuses[422] > 0 and edge.statuses[200] > 0


def test_a_due_date_of_9999_12_31_breaks_no_later_computation(edge: Edge) -> None:
    api, far = edge.api, edge.far
    today = edge.app.today().isoformat()
    reads = [
        api["committee"].get("/v1/overdue", params={"on": LATEST_DATE.isoformat()}),
        api["committee"].get("/v1/exports/overdue"),
        api["clerk"].get(f"/v1/briefings/{ZONE}/{today}/packet"),
        api["committee"].get("/v1/departments/quality"),
        api["department"].get("/v1/inbox"),
        edge.web["committee"][0].get(f"/petitions/{far}"),
        edge.web["department"][0].get("/inbox"),
    ]
    assert [r.status_code for r in reads] == [200] * len(reads), [r.text[:200] for r in reads]
    assert run_once(edge.live.service).refused == []
    # Past 9999-12-31 there is no later due date: refused, not overflowed.
    extended = api["committee"].post(
        f"/v1/petitions/{far}/deadline", json={"due_on": FAR.isoformat(), "reason": "Thêm"}
    )
    assert extended.status_code == 422, extended.text
    answered = api["department"].post(
        f"/v1/petitions/{far}/answer", json={**WRITTEN, "document_date": today}
    )
    assert answered.status_code == 200, answered.text
    reopened = api["clerk"].post(
        f"/v1/petitions/{far}/verification", json={"verdict": "unsatisfied"}
    )
    assert reopened.status_code == 200, reopened.text
    state = api["committee"].get(f"/v1/petitions/{far}").json()
    assert (state["status"], state["department"]) == ("assigned", DEPARTMENT)
    assert today < state["due_on"] < FAR.isoformat()


EARLIER = date(1995, 7, 1)


@pytest.fixture(scope="module")
def older(database: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A service whose EARLIEST_BUSINESS_DATE is 1995-07-01: older minutes are entered."""
    yield from live_service(database, tmp_path_factory, earliest_business_date=EARLIER)


def test_the_earliest_business_date_is_the_services_setting(older: Live) -> None:
    """EARLIEST_BUSINESS_DATE moves the bound for every route: commands, imports, reads."""
    day_before = EARLIER - timedelta(days=1)
    with older.client("clerk") as clerk, older.client("committee") as committee:
        raised = clerk.post("/v1/petitions", json=raise_body(EARLIER))
        assert raised.status_code == 201, raised.text
        before = older.service.app.recorder.max_notification_id()
        refused = clerk.post("/v1/petitions", json=raise_body(day_before))
        assert refused.status_code == 422, refused.text
        body = refused.json()
        assert body["code"] == "invalid_command" and body["earliest"] == "1995-07-01"
        assert body["errors"][0]["field"] == "business_date"
        imported = clerk.post("/v1/imports", files=import_file(day_before))
        assert imported.status_code == 422 and "01/07/1995" in imported.text, imported.text
        assert older.service.app.recorder.max_notification_id() == before
        year = committee.get("/v1/reports/categories", params={"year": 1995})
        assert year.status_code == 200 and year.json()["year"] == 1995, year.text
        too_early = committee.get("/v1/reports/categories", params={"year": 1994})
        assert too_early.status_code == 422, too_early.text
        board = committee.get("/v1/overdue", params={"on": day_before.isoformat()})
        assert board.status_code == 422 and "1995-07-01" in board.text, board.text
