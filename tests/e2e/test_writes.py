"""Write semantics over HTTP: idempotent raise, optimistic concurrency with If-Match,
the shape of every write's answer and reading one's own writes with ?min_position,
and refusals of malformed requests (never a 500)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from eventsourcing.utils import get_topic

from domain.petition import Petition
from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live

PROBLEM_JSON = "application/problem+json"
RAISE = {
    "kind": "proposal",
    "category": "agriculture",
    "summary": "Đề nghị nạo vét kênh tưới N5",
    "text": "Kênh N5 bồi lắng, 12 ha lúa vụ mùa thiếu nước.",
    "cell": "yen-lac-thon3",
    "raised_by": "Phạm Văn Hùng",
    "channel": "meeting",
    "meeting": "giao-ban-khu-1-2026-06-03",
    "raised_on": "2026-06-03",
}
WRITTEN = {
    "mode": "written",
    "text": "Đã đưa vào kế hoạch nạo vét tháng 7.",
    "document_number": "51/KTHT",
    "document_date": "2026-06-20",
    "signer": "Trưởng phòng Lê Văn An",
    "answered_on": "2026-06-22",
}
WRITE_KEYS = {"id", "version", "position", "status"}


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    said = (
        f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
    )
    assert response.status_code == status, said
    assert response.headers["content-type"].startswith(PROBLEM_JSON), said
    body: dict[str, Any] = response.json()
    assert body["status"] == status, said
    if code is not None:
        assert body["code"] == code, said
    return body


def marker() -> str:
    return f"mk{uuid.uuid4().hex[:12]}"


def raise_body(tag: str, **changes: Any) -> dict[str, Any]:
    return {**RAISE, "summary": f"{RAISE['summary']} {tag}", **changes}


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def petitions_raised_with(live: Live, tag: str) -> int:
    """Raised events in the log whose summary carries ``tag``."""
    app = live.service.app
    notifications = app.recorder.select_notifications(
        start=1, limit=10**6, topics=[get_topic(Petition.Raised)]
    )
    return sum(tag in app.mapper.to_domain_event(n).summary for n in notifications)


def listed_with(live: Live, tag: str, position: int) -> list[dict[str, Any]]:
    page = ok(
        live.client("auditor").get(
            "/v1/petitions", params={"q": tag, "min_position": position, "limit": 200}
        )
    )
    return page["items"]  # type: ignore[no-any-return]


def escalations_at_once(
    live: Live, pid: str, n: int, reason: str, headers: dict[str, str] | None = None
) -> list[Any]:
    """What ``n`` committee clients escalating ``pid`` at the same moment got back."""
    return together(
        n,
        lambda: live.client("committee"),
        lambda c: c.post(
            f"/v1/petitions/{pid}/escalation",
            json={"reason": reason, "on": "2026-06-05"},
            headers=headers,
        ),
    )


def together(
    n: int, make: Callable[[], httpx.Client], send: Callable[[httpx.Client], Any]
) -> list[Any]:
    """Send ``n`` requests at the same moment, each from its own client (connection)."""
    barrier = threading.Barrier(n)
    own = [make() for _ in range(n)]
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = send(own[i])
        except Exception as error:  # reported by the caller's assertions
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for c in own:
        c.close()
    return results


# ---- Idempotency-Key on raise ------------------------------------------------------------


def test_the_same_key_and_body_answer_the_first_response_again(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    tag, key = marker(), f"minutes-2026-06-03-row-{uuid.uuid4().hex[:6]}"
    clerk = clients["clerk"]
    first = clerk.post("/v1/petitions", json=raise_body(tag), headers={"Idempotency-Key": key})
    body = ok(first, 201)
    assert set(body) == WRITE_KEYS
    assert (body["version"], body["status"]) == (1, "raised")
    assert "Idempotent-Replayed" not in first.headers

    again = clerk.post("/v1/petitions", json=raise_body(tag), headers={"Idempotency-Key": key})
    assert again.status_code == 201, again.text
    assert again.json() == body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["ETag"] == first.headers["ETag"] == '"1"'
    assert again.headers["Location"] == first.headers["Location"]

    assert petitions_raised_with(live, tag) == 1
    assert [r["petition_id"] for r in listed_with(live, tag, body["position"])] == [body["id"]]


def test_the_same_key_with_another_body_is_refused(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    tag, other, key = marker(), marker(), uuid.uuid4().hex
    clerk = clients["clerk"]
    first = ok(
        clerk.post("/v1/petitions", json=raise_body(tag), headers={"Idempotency-Key": key}), 201
    )
    before = head(live)
    for changed in (raise_body(other), raise_body(tag, raised_on="2026-06-02")):
        refused = clerk.post("/v1/petitions", json=changed, headers={"Idempotency-Key": key})
        body = problem(refused, 422, "idempotency_key_reused")
        assert body["petition_id"] == first["id"]
    assert head(live) == before
    assert (petitions_raised_with(live, tag), petitions_raised_with(live, other)) == (1, 0)


def test_concurrent_retries_of_one_key_make_one_petition(live: Live) -> None:
    tag, key, n = marker(), uuid.uuid4().hex, 20
    responses = together(
        n,
        lambda: live.client("clerk"),
        lambda c: c.post("/v1/petitions", json=raise_body(tag), headers={"Idempotency-Key": key}),
    )
    errors = [r for r in responses if not isinstance(r, httpx.Response)]
    assert not errors, errors
    said = [(r.status_code, r.text[:200]) for r in responses]
    assert [r.status_code for r in responses] == [201] * n, said
    bodies = [r.json() for r in responses]
    assert len({b["id"] for b in bodies}) == 1, bodies
    assert all(b == bodies[0] for b in bodies), bodies
    assert bodies[0]["version"] == 1
    replayed = [r.headers.get("Idempotent-Replayed") for r in responses]
    assert replayed.count("true") == n - 1, replayed
    assert petitions_raised_with(live, tag) == 1
    assert len(listed_with(live, tag, bodies[0]["position"])) == 1


@pytest.mark.parametrize("key", ["", "k" * 201], ids=["empty", "too-long"])
def test_an_unusable_idempotency_key_is_422(
    live: Live, clients: dict[str, httpx.Client], key: str
) -> None:
    tag, before = marker(), head(live)
    response = clients["clerk"].post(
        "/v1/petitions", json=raise_body(tag), headers={"Idempotency-Key": key}
    )
    problem(response, 422)
    assert head(live) == before


# ---- If-Match -------------------------------------------------------------------------------


def raised(clients: dict[str, httpx.Client]) -> dict[str, Any]:
    return ok(clients["clerk"].post("/v1/petitions", json=raise_body(marker())), 201)


@pytest.mark.parametrize("stale", ['"1"', 'W/"1"', "1"])
def test_a_stale_if_match_is_412_and_records_nothing(
    live: Live, clients: dict[str, httpx.Client], stale: str
) -> None:
    committee = clients["committee"]
    pid = raised(clients)["id"]
    escalated = ok(
        committee.post(
            f"/v1/petitions/{pid}/escalation",
            json={"reason": "Lần 1", "on": "2026-06-05"},
            headers={"If-Match": '"1"'},
        )
    )
    assert escalated["version"] == 2
    before = head(live)
    for path, body in (
        ("escalation", {"reason": "Lần 2", "on": "2026-06-06"}),
        ("assignment", {"department": DEPARTMENT, "assigned_on": "2026-06-06"}),
        ("withdrawal", {"reason": "Rút", "on": "2026-06-06"}),
    ):
        response = committee.post(
            f"/v1/petitions/{pid}/{path}", json=body, headers={"If-Match": stale}
        )
        problem(response, 412, "stale_version")
    assert head(live) == before
    assert committee.get(f"/v1/petitions/{pid}").headers["ETag"] == '"2"'


@pytest.mark.parametrize(
    "if_match", ['"abc"', '"1.5"', '"-1"', '"1", "2"', '"9999999999"', "version 2"]
)
def test_a_malformed_if_match_is_422(
    live: Live, clients: dict[str, httpx.Client], if_match: str
) -> None:
    pid = raised(clients)["id"]
    before = head(live)
    response = clients["committee"].post(
        f"/v1/petitions/{pid}/escalation",
        json={"reason": "Bức xúc", "on": "2026-06-05"},
        headers={"If-Match": if_match},
    )
    body = problem(response, 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["If-Match"]
    assert head(live) == before


def test_racing_writes_with_the_same_if_match_let_exactly_one_through(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    pid, n = raised(clients)["id"], 10
    responses = escalations_at_once(live, pid, n, "Cử tri bức xúc", {"If-Match": '"1"'})
    errors = [r for r in responses if not isinstance(r, httpx.Response)]
    assert not errors, errors
    codes = sorted(r.status_code for r in responses)
    said = [(r.status_code, r.text[:200]) for r in responses]
    assert codes.count(200) == 1, said
    for r in responses:
        if r.status_code != 200:
            assert (r.status_code, r.json()["code"]) in (
                (412, "stale_version"),
                (409, "concurrent_update"),
            ), said
            assert r.headers["content-type"].startswith(PROBLEM_JSON)
    state = ok(clients["committee"].get(f"/v1/petitions/{pid}"))
    assert (state["version"], state["escalations"]) == (2, 1)
    history = ok(clients["auditor"].get(f"/v1/petitions/{pid}/events"))
    assert [e["type"] for e in history] == ["Raised", "Escalated"]


def test_racing_writes_without_if_match_lose_nothing_silently(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    pid, n = raised(clients)["id"], 10
    responses = escalations_at_once(live, pid, n, "Lặp lại")
    assert all(isinstance(r, httpx.Response) for r in responses), responses
    said = [(r.status_code, r.text[:200]) for r in responses]
    assert {r.status_code for r in responses} <= {200, 409}, said
    won = [r.json()["version"] for r in responses if r.status_code == 200]
    assert won and len(set(won)) == len(won), said  # no two writes claim one version
    for r in responses:
        if r.status_code == 409:
            assert r.json()["code"] == "concurrent_update", said
    state = ok(clients["committee"].get(f"/v1/petitions/{pid}"))
    assert (state["version"], state["escalations"]) == (1 + len(won), len(won))


# ---- every write's answer, and reading one's own writes -------------------------------------


def test_every_write_answers_its_version_and_position_and_the_views_reach_it(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    clerk, committee = clients["clerk"], clients["committee"]
    department, other = clients["department"], clients["other_department"]
    auditor = clients["auditor"]
    tag = marker()
    positions: list[int] = []

    def write(client: httpx.Client, path: str, body: dict[str, Any], status: int = 200) -> Any:
        response = client.post(path, json=body)
        result = ok(response, status)
        assert set(result) == WRITE_KEYS, result
        assert response.headers["ETag"] == f'"{result["version"]}"', (path, result)
        assert isinstance(result["position"], int), result
        assert not positions or result["position"] > positions[-1], (path, result, positions)
        positions.append(result["position"])
        # a read of the list view that waits for this write sees it
        rows = listed_with(live, tag, result["position"])
        row = next(r for r in rows if r["petition_id"] == result["id"])
        assert (row["version"], row["status"]) == (result["version"], result["status"]), path
        state = auditor.get(f"/v1/petitions/{result['id']}")
        assert state.headers["ETag"] == response.headers["ETag"], path
        assert state.json()["status"] == result["status"], path
        return result

    def new() -> str:
        return str(write(clerk, "/v1/petitions", raise_body(tag), 201)["id"])

    a = new()
    p = f"/v1/petitions/{a}"
    write(committee, f"{p}/assignment", {"department": DEPARTMENT, "assigned_on": "2026-06-05"})
    write(
        committee,
        f"{p}/deadline",
        {"due_on": "2026-07-20", "reason": "Chờ vốn", "extended_on": "2026-06-10"},
    )
    write(committee, f"{p}/escalation", {"reason": "Quá hạn", "on": "2026-06-12"})
    write(department, f"{p}/decline", {"reason": "Thuộc thẩm quyền xã", "on": "2026-06-13"})
    write(
        committee, f"{p}/assignment", {"department": OTHER_DEPARTMENT, "assigned_on": "2026-06-14"}
    )
    write(other, f"{p}/answer", {**WRITTEN, "document_number": "9/CA"})
    done = write(
        clerk,
        f"{p}/verification",
        {"verdict": "unsatisfied", "flags": ["generic"], "verified_on": "2026-07-03"},
    )
    assert done["status"] == "assigned"  # reopened
    write(committee, f"{p}/closure", {"reason": "Đã giải quyết tại xã", "on": "2026-07-04"})

    b = new()
    write(
        clerk,
        f"/v1/petitions/{b}/answer",
        {
            "mode": "on_the_spot",
            "text": "Trả lời tại hội nghị.",
            "answered_by": "Phó Bí thư Huyện ủy",
            "answered_on": "2026-06-03",
        },
    )
    write(committee, f"/v1/petitions/{b}/verification", {"verdict": "satisfied"})
    c, d = new(), new()
    write(committee, f"/v1/petitions/{c}/withdrawal", {"reason": "Chi bộ rút lại"})
    write(committee, f"/v1/petitions/{d}/merge", {"into": b, "reason": "Trùng"})

    # the other views reach the last write too
    last = positions[-1]
    for path, params in (
        ("/v1/overdue", {"on": "2026-07-10"}),
        ("/v1/departments/quality", {"from": "2026-01-01", "to": "2026-10-31"}),
        ("/v1/reports/categories", {"year": 2026}),
        ("/v1/briefings/khu-1/2026-07-03/packet", {}),
    ):
        who = clerk if "briefings" in path else committee
        ok(who.get(path, params={**params, "min_position": last}))
    packet = ok(clerk.get("/v1/briefings/khu-1/2026-07-03/packet", params={"min_position": last}))
    assert {a, b, c, d} <= {r["petition_id"] for r in packet["raised_at_previous"]}


def test_min_position_beyond_the_log_is_refused(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    """No write was ever given a position past the log's end: the request is at fault."""
    response = clients["auditor"].get(
        "/v1/petitions", params={"min_position": head(live) + 1_000_000}
    )
    problem(response, 422, "validation_error")
    assert response.json()["errors"][0]["field"] == "min_position"
    huge = clients["auditor"].get("/v1/overdue", params={"min_position": 2**63})
    problem(huge, 422, "validation_error")


# ---- malformed requests: a problem, never a 500 ------------------------------------------


def post_routes(pid: str) -> list[str]:
    return [
        "/v1/petitions",
        *(
            f"/v1/petitions/{pid}/{action}"
            for action in (
                "assignment",
                "answer",
                "verification",
                "deadline",
                "escalation",
                "withdrawal",
                "closure",
                "reopen",
                "merge",
                "decline",
            )
        ),
    ]


WHO_POSTS = {
    "petitions": "clerk",
    "answer": "department",
    "decline": "department",
    "verification": "clerk",
}


def poster(path: str) -> str:
    return WHO_POSTS.get(path.rsplit("/", 1)[-1], "committee")


def oversized(tag: str) -> bytes:
    """A valid petition padded with whitespace past max_body_bytes: only its size is wrong."""
    return (json.dumps(raise_body(tag)) + " " * 1_500_000).encode()


def test_an_oversized_body_is_413(live: Live, clients: dict[str, httpx.Client]) -> None:
    pid = raised(clients)["id"]
    tag = marker()
    big = oversized(tag)
    before = head(live)
    for path in post_routes(pid):
        response = clients[poster(path)].post(
            path, content=big, headers={"Content-Type": "application/json"}
        )
        assert response.request.headers["content-length"] == str(len(big))
        body = problem(response, 413, "payload_too_large")
        assert body["instance"] == path
    assert head(live) == before
    assert petitions_raised_with(live, tag) == 0


def test_an_oversized_body_without_content_length_is_413_too(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    """The limit is on the body, not on what the client declares: a chunked upload
    (no Content-Length) above max_body_bytes is refused as well, and nothing recorded."""
    tag = marker()
    big = oversized(tag)

    def chunks() -> Iterator[bytes]:
        for i in range(0, len(big), 64 * 1024):
            yield big[i : i + 64 * 1024]

    before = head(live)
    response = clients["clerk"].post(
        "/v1/petitions", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    problem(response, 413, "payload_too_large")
    assert head(live) == before
    assert petitions_raised_with(live, tag) == 0


MALFORMED = {
    "truncated": b'{"kind": "proposal", "summary": ',
    "trailing comma": b'{"reason": "x",}',
    "single quotes": b"{'reason': 'x'}",
    "bare word": b"reason",
    "array": b"[]",
    "null": b"null",
    "empty": b"",
}


@pytest.mark.parametrize("payload", list(MALFORMED))
def test_malformed_json_is_422_on_every_write(
    live: Live, clients: dict[str, httpx.Client], payload: str
) -> None:
    pid = raised(clients)["id"]
    before = head(live)
    for path in post_routes(pid):
        response = clients[poster(path)].post(
            path, content=MALFORMED[payload], headers={"Content-Type": "application/json"}
        )
        assert response.status_code != 500, f"{path}: {response.text}"
        problem(response, 422, "validation_error")
    assert head(live) == before


def test_a_body_that_is_not_utf8_is_a_client_error_problem(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    """Bytes that cannot be decoded at all: refused as unreadable (400) or malformed (422),
    never as a missing resource (404) and never a 500."""
    pid = raised(clients)["id"]
    before = head(live)
    for path in post_routes(pid):
        response = clients[poster(path)].post(
            path, content=b'{"reason": "\xff\xfe"}', headers={"Content-Type": "application/json"}
        )
        said = f"{path}: {response.status_code} {response.text}"
        assert response.status_code in (400, 422), said
        code = {400: "bad_request", 422: "validation_error"}[response.status_code]
        problem(response, response.status_code, code)
    assert head(live) == before


@pytest.mark.parametrize("bad_id", ["42", "not-a-uuid", "00000000-0000-0000-0000-00000000000g"])
def test_a_non_uuid_path_id_is_422(
    live: Live, clients: dict[str, httpx.Client], bad_id: str
) -> None:
    before = head(live)
    for path in post_routes(bad_id)[1:]:
        response = clients[poster(path)].post(path, json={"reason": "x"})
        problem(response, 422, "validation_error")
    for path in (f"/v1/petitions/{bad_id}", f"/v1/petitions/{bad_id}/events"):
        problem(clients["committee"].get(path), 422, "validation_error")
    assert head(live) == before


def test_an_unknown_petition_is_404_on_every_route(clients: dict[str, httpx.Client]) -> None:
    nobody = str(uuid.uuid4())
    for path in post_routes(nobody)[1:]:
        response = clients[poster(path)].post(
            path,
            json={
                "assignment": {"department": DEPARTMENT},
                "answer": WRITTEN,
                "verification": {"verdict": "satisfied"},
                "deadline": {"due_on": "2026-07-20", "reason": "x"},
                "merge": {"into": str(uuid.uuid4())},
            }.get(path.rsplit("/", 1)[-1], {"reason": "x"}),
        )
        assert response.status_code in (404, 422), f"{path}: {response.text}"
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
    for path in (f"/v1/petitions/{nobody}", f"/v1/petitions/{nobody}/events"):
        problem(clients["committee"].get(path), 404, "petition_not_found")


# ---- reopening what the committee ended by mistake --------------------------------------


def closed_by_committee(clients: dict[str, httpx.Client]) -> str:
    """Raised on 3 June, assigned on the 5th, closed by the committee on the 10th."""
    pid: str = raised(clients)["id"]
    committee = clients["committee"]
    ok(
        committee.post(
            f"/v1/petitions/{pid}/assignment",
            json={"department": DEPARTMENT, "assigned_on": "2026-06-05", "due_on": "2026-07-03"},
        )
    )
    ok(committee.post(f"/v1/petitions/{pid}/closure", json={"reason": "Nhầm", "on": "2026-06-10"}))
    return pid


def test_the_committee_reopens_what_it_closed_by_mistake(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    committee = clients["committee"]
    pid = closed_by_committee(clients)
    read = committee.get(f"/v1/petitions/{pid}")
    assert (read.json()["status"], read.json()["reopens_to"]) == ("closed", "assigned")
    before = head(live)
    response = committee.post(
        f"/v1/petitions/{pid}/reopen",
        json={"reason": "Kết thúc nhầm ý kiến khác", "on": "2026-06-11"},
        headers={"If-Match": read.headers["ETag"]},
    )
    done = ok(response)
    assert done["status"] == "assigned" and done["version"] == 4
    assert response.headers["ETag"] == '"4"' and head(live) == before + 1
    now = ok(committee.get(f"/v1/petitions/{pid}"))
    assert (now["department"], now["due_on"], now["closing_reason"], now["reopens_to"]) == (
        DEPARTMENT,
        "2026-07-03",
        None,
        None,
    )
    last = ok(committee.get(f"/v1/petitions/{pid}/events"))[-1]
    assert (last["type"], last["payload"]["reason"], last["payload"]["status"]) == (
        "Reinstated",
        "Kết thúc nhầm ý kiến khác",
        "assigned",
    )


def test_a_refused_reopening_says_why_and_records_nothing(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    committee = clients["committee"]
    pid = closed_by_committee(clients)
    satisfied = raised(clients)["id"]
    ok(
        clients["clerk"].post(
            f"/v1/petitions/{satisfied}/answer",
            json={
                "mode": "on_the_spot",
                "text": "Trả lời tại hội nghị.",
                "answered_by": "Phó Bí thư",
                "answered_on": "2026-06-03",
            },
        )
    )
    ok(
        clients["clerk"].post(
            f"/v1/petitions/{satisfied}/verification", json={"verdict": "satisfied"}
        )
    )
    still_open = raised(clients)["id"]
    before = head(live)
    url = f"/v1/petitions/{pid}/reopen"
    missing = problem(committee.post(url, json={"on": "2026-06-11"}), 422, "validation_error")
    assert [e["field"] for e in missing["errors"]] == ["reason"]
    problem(committee.post(url, json={"reason": "  ", "on": "2026-06-11"}), 422)
    early = problem(committee.post(url, json={"reason": "Nhầm", "on": "2026-06-09"}), 422)
    assert "2026-06-09" in early["detail"] or "09/06/2026" in early["detail"]
    stale = committee.post(url, json={"reason": "Nhầm"}, headers={"If-Match": '"2"'})
    problem(stale, 412, "stale_version")
    for other in (still_open, satisfied):
        refused = committee.post(f"/v1/petitions/{other}/reopen", json={"reason": "Nhầm"})
        assert "mở lại" in problem(refused, 409, "illegal_transition")["detail"]
    for who in ("clerk", "department", "auditor"):
        problem(clients[who].post(url, json={"reason": "Nhầm"}), 403)
    assert head(live) == before
    assert ok(committee.get(f"/v1/petitions/{pid}"))["status"] == "closed"
