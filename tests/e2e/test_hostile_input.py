"""Hostile input to the HTTP API (check 7, RELIABILITY.md): SQL- and HTML-looking text, odd
Unicode, strings at and past their limits, deeply nested JSON, invalid UTF-8 in the body,
the query string and headers, absurd numbers. Text is stored and returned exactly as sent,
as JSON (never as HTML); limits are answered 413 or 422; nothing is ever a 500; nothing
refused changes the event log. (Escaping in the web pages: tests/e2e/test_web_security.py.)
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from domain.petition import NAME_MAX, SUMMARY_MAX, TEXT_MAX
from tests.e2e.conftest import Live
from tests.e2e.test_writes import RAISE, head, marker, ok, post_routes, poster, problem
from tests.figures import record

SENT: list[int] = []  # status of every hostile request, for the figure


def sent(response: httpx.Response) -> httpx.Response:
    SENT.append(response.status_code)
    said = f"{response.request.method} {response.request.url}: {response.text[:300]}"
    assert response.status_code < 500 or response.status_code == 503, said
    return response


HOSTILE = {
    "sql quote": "'; DROP TABLE petitions_events; --",
    "sql union": "1' OR '1'='1' UNION SELECT sha256, token_id, name FROM tokens --",
    "sql comment": "Robert'); DELETE FROM audit_chain WHERE (1=1 /* */",
    "like wildcards": "100% _ \\% \\_ [a-z]* ^$",
    "html script": "<script>alert('xss')</script><img src=x onerror=alert(1)>",
    "html entities": "&lt;b&gt; &amp;amp; &#x3C;/textarea&#x3E; \"quoted\" 'single'",
    "template": "{{ 7*7 }} {% raw %} ${7*7} #{7*7} %(name)s {0}",
    "json-looking": '{"_type_": "uuid_hex", "_data_": "00000000000000000000000000000000"}',
    "backslashes": "C:\\Windows\\System32\\ \\n \\u0000 \\x00 \\\\",
    "control chars": "tab\there\r\nnew line\x0b\x0c\x1b[31mred\x1b[0m\x7f",
    "rtl and zero width": "\u202egnp.exe\u202c \u200b\u200c\u200d\ufeff \u2066isolate\u2069",
    "combining": "Nguye\u0302\u0303n Va\u0306n A\u0309 — NFD beside NFC Nguyễn",
    "astral": "🇻🇳 😀 𝕏 𠜎 \U0010fffd",
    "csv formula": '=HYPERLINK("http://x","y") +1 -1 @SUM(A1)',
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_is_stored_and_returned_exactly(
    live: Live, clients: dict[str, httpx.Client], name: str
) -> None:
    text, tag = HOSTILE[name], marker()
    before = head(live)
    body = {
        **RAISE,
        "summary": f"{tag} {text}"[:SUMMARY_MAX],
        "text": f"{text}\n{text}",
        "raised_by": text[:NAME_MAX],
        "meeting": text[:NAME_MAX],
    }
    written = ok(sent(clients["clerk"].post("/v1/petitions", json=body)), 201)
    assert head(live) == before + 1
    pid = written["id"]
    got = sent(clients["committee"].get(f"/v1/petitions/{pid}"))
    assert got.headers["content-type"] == "application/json"
    state = ok(got)
    for field in ("summary", "text", "raised_by", "meeting"):
        assert state[field] == body[field], field
    events = ok(sent(clients["auditor"].get(f"/v1/petitions/{pid}/events")))
    payload = events[0]["payload"]
    assert (payload["summary"], payload["text"]) == (body["summary"], body["text"])
    listed = ok(
        sent(
            clients["clerk"].get(
                "/v1/petitions",
                params={"q": tag, "min_position": written["position"]},
            )
        )
    )
    assert [(i["petition_id"], i["summary"], i["raised_by"]) for i in listed["items"]] == [
        (pid, body["summary"], body["raised_by"])
    ]
    # as a search term too: answered, never a server error, nothing written
    before = head(live)
    ok(sent(clients["clerk"].get("/v1/petitions", params={"q": text[:200]})))
    assert head(live) == before


def test_strings_at_their_limit_are_kept_and_past_it_refused(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    tag = marker()
    longest = {
        **RAISE,
        "summary": (tag + " " + "Ệ" * SUMMARY_MAX)[:SUMMARY_MAX],
        "text": "😀" * TEXT_MAX,  # 4 bytes each in UTF-8: 80 KB
        "raised_by": "Ỹ" * NAME_MAX,
    }
    written = ok(sent(clients["clerk"].post("/v1/petitions", json=longest)), 201)
    state = ok(sent(clients["committee"].get(f"/v1/petitions/{written['id']}")))
    assert (state["summary"], state["text"], state["raised_by"]) == (
        longest["summary"],
        longest["text"],
        longest["raised_by"],
    )
    before = head(live)
    for field, limit in (("summary", SUMMARY_MAX), ("text", TEXT_MAX), ("raised_by", NAME_MAX)):
        too_long = {**longest, field: "x" * (limit + 1)}
        body = problem(sent(clients["clerk"].post("/v1/petitions", json=too_long)), 422)
        assert [e["field"] for e in body["errors"]] == [field]
    huge = {**longest, "text": "x" * 900_000}  # under the body limit, far over the field's
    problem(sent(clients["clerk"].post("/v1/petitions", json=huge)), 422)
    assert head(live) == before


def nested(depth: int, leaf: str = '"x"') -> str:
    return "[" * depth + leaf + "]" * depth


@pytest.mark.parametrize("depth", [64, 1_000, 100_000])
def test_deeply_nested_json_is_refused_without_a_server_error(
    live: Live, clients: dict[str, httpx.Client], depth: int
) -> None:
    pid = ok(sent(clients["clerk"].post("/v1/petitions", json=RAISE)), 201)["id"]
    before = head(live)
    for path in post_routes(pid):
        for payload in (
            nested(depth),  # the whole body
            json.dumps(RAISE)[:-1] + ', "text": ' + nested(depth) + "}",  # one field
            '{"a":' * depth + "1" + "}" * depth,  # objects
        ):
            response = sent(
                clients[poster(path)].post(
                    path, content=payload.encode(), headers={"Content-Type": "application/json"}
                )
            )
            assert response.status_code in (400, 422), f"{path}: {response.text[:300]}"
            problem(response, response.status_code)
    assert head(live) == before


BASE = json.dumps(RAISE)[:-1].encode()  # a valid raise, its closing brace left off
SUMMARY = RAISE["summary"]
MALFORMED: dict[str, tuple[bytes, str | None]] = {
    # name: (body, the summary stored if it may be accepted; None: must be refused)
    "lone surrogate": (BASE + b', "summary": "\\ud800 half a pair"}', None),
    "reversed pair": (BASE + b', "summary": "\\udc00\\ud800"}', None),
    "escaped nul": (BASE + b', "summary": "a\\u0000b"}', None),
    "huge number": (BASE + b', "raised_on": 1e999999}', None),
    "huge integer": (BASE + b', "raised_on": ' + b"9" * 5000 + b"}", None),
    "nan": (BASE + b', "summary": NaN}', None),
    "infinity": (BASE + b', "summary": -Infinity}', None),
    "duplicate key": (BASE + b', "summary": "the later one"}', "the later one"),
    "overlong utf-8": (BASE + b', "summary": "\xc0\xaf"}', None),
    "truncated utf-8": (BASE + b', "summary": "\xe1\xba"}', None),
    "utf-8 bom": (b"\xef\xbb\xbf" + json.dumps(RAISE).encode(), SUMMARY),
    "utf-16": (json.dumps(RAISE, ensure_ascii=False).encode("utf-16"), SUMMARY),
    "latin-1": (
        json.dumps(RAISE, ensure_ascii=False).encode("utf-8").replace("Đ".encode(), b"\xd0"),
        None,
    ),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_text_in_a_body_is_a_client_error(
    live: Live, clients: dict[str, httpx.Client], name: str
) -> None:
    """A valid raise with one hostile part: refused as a client error and nothing recorded,
    or (where JSON allows it) accepted and read back exactly."""
    body, accepted_summary = MALFORMED[name]
    before = head(live)
    response = sent(
        clients["clerk"].post(
            "/v1/petitions", content=body, headers={"Content-Type": "application/json"}
        )
    )
    if response.status_code == 201 and accepted_summary is not None:
        stored = ok(sent(clients["committee"].get(f"/v1/petitions/{response.json()['id']}")))
        assert stored["summary"] == accepted_summary
        assert head(live) == before + 1
    else:
        assert response.status_code in (400, 422), response.text
        problem(response, response.status_code)
        assert head(live) == before


def test_hostile_query_strings_and_headers_are_client_errors(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    before = head(live)
    clerk = clients["clerk"]
    for query in (
        "q=%FF%FE%FD",  # not UTF-8
        "q=" + "%E1%BA" * 3,  # truncated sequences
        "q=" + "a" * 60_000,  # near the longest URL the client sends
        "q=%00",
        "limit=99999999999999999999999999",
        "limit=-1",
        "limit=1e3",
        "cursor=" + "%FF" * 100,
        "cursor=eyJ9" + "A" * 150,
        "min_position=" + "9" * 40,
        "raised_from=2026-02-30",
        "raised_from=" + "9" * 30,
        "status=closed&status=" + "x" * 5000,
        "q=" + "%27%3B%20DROP%20TABLE%20petitions_events%3B%20--",
    ):
        response = sent(clerk.get(f"/v1/petitions?{query}", timeout=30))
        assert response.status_code in (200, 400, 414, 422, 431), f"{query[:80]}: {response.text}"
        if response.status_code != 200:
            problem(response, response.status_code)
    for name, value in (
        ("X-Request-ID", b"\xff\xfe request"),
        ("X-Request-ID", b"x" * 10_000),
        ("Accept-Language", b"\xc0\xaf, *;q=abc"),
        ("If-Match", b'"\xff"'),
        ("Idempotency-Key", b"\xe1\xba"),
        ("Idempotency-Key", b"k" * 10_000),
    ):
        response = sent(
            clerk.post("/v1/petitions", content=json.dumps(RAISE).encode(), headers={name: value})
        )
        said = f"{name}: {response.status_code} {response.text[:200]}"
        assert response.status_code in (201, 400, 422, 431), said
        if response.status_code == 201:  # a header the service may ignore, nothing else
            assert name in ("X-Request-ID", "Accept-Language"), said
            assert response.headers["X-Request-ID"].isprintable()
            assert len(response.headers["X-Request-ID"]) <= 100
            before += 1
    assert head(live) == before
    for token in ("\xff", "pt_clerk_" + "A" * 10_000, "' OR 1=1 --", "pt_clerk_%00", "Bearer"):
        response = sent(
            httpx.get(
                f"{live.url}/v1/petitions",
                headers={"Authorization": b"Bearer " + token.encode("utf-8", "surrogateescape")},
                timeout=30,
            )
        )
        assert response.status_code in (400, 401, 431), response.text


def test_zz_hostile_input_never_got_a_server_error() -> None:
    """The figure: every hostile request above, and no 5xx among them."""
    errors = [s for s in SENT if s >= 500]
    statuses: dict[int, Any] = {}
    for s in SENT:
        statuses[s] = statuses.get(s, 0) + 1
    record(
        "7 hostile input",
        f"{len(SENT)} hostile requests, {len(errors)} server errors; statuses "
        + ", ".join(f"{k}×{v}" for k, v in sorted(statuses.items())),
        requests=len(SENT),
        server_errors=len(errors),
        statuses={str(k): v for k, v in sorted(statuses.items())},
    )
    assert len(SENT) > 100
    assert not errors
