"""A fault of the service itself, forced in-process into the running service (one method of
a real read model replaced by one that raises): the client gets an RFC 9457 problem (500,
``internal_error``, the request id, nothing of the fault), or a short page for a browser;
the fault is logged once, as one JSON line with the request id and the traceback; and
``/metrics`` counts it under ``status="500"``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import structlog

from service.logs import processors
from tests.e2e.conftest import Live
from tests.e2e.web.test_web_security import signed_in
from tests.figures import record

QUALITY = "/v1/departments/quality"
SECRET = "password=hunter2 in /srv/petitions/secret_module.py"


@contextmanager
def json_log_lines() -> Iterator[list[str]]:
    """Every log line rendered as in production (``LOG_FORMAT=json``) while it is open.
    The configured processors are swapped in place, as ``structlog.testing.capture_logs``
    does, so loggers bound earlier write here too."""
    lines: list[str] = []

    def keep(_: Any, __: str, rendered: Any) -> Any:
        lines.append(rendered)
        raise structlog.DropEvent

    configured = structlog.get_config()["processors"]
    old = configured.copy()
    configured[:] = [*processors("json"), keep]
    try:
        yield lines
    finally:
        configured[:] = old


def broken(*_: Any, **__: Any) -> Any:
    raise RuntimeError(SECRET)


def metric(live: Live, method: str, route: str, status: int) -> float:
    with live.client("admin") as client:
        text = client.get("/metrics").text
    found = re.search(
        rf'^petitions_http_requests_total\{{method="{method}",route="{re.escape(route)}",'
        rf'status="{status}"\}} ([0-9.e+]+)$',
        text,
        re.M,
    )
    return float(found.group(1)) if found else 0.0


def logged(lines: list[str], request_id: str) -> list[dict[str, Any]]:
    return [entry for entry in map(json.loads, lines) if entry.get("request_id") == request_id]


def test_an_unhandled_error_is_a_problem_one_json_log_line_and_a_metric(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live.service.views["quality"], "scorecards", broken)
    with live.client("committee") as client:
        with json_log_lines() as lines:
            response = client.get(QUALITY, headers={"X-Request-ID": "fault-api-1"})
        # The connection is still good for the next request.
        assert client.get("/v1/reference").status_code == 200

    assert response.status_code == 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["X-Request-ID"] == "fault-api-1"
    body = response.json()
    assert (body["status"], body["code"]) == (500, "internal_error")
    assert body["type"] == "/problems/internal_error"
    assert body["request_id"] == "fault-api-1" and "fault-api-1" in body["detail"]
    for internal in ("hunter2", "secret_module", "RuntimeError", "Traceback", "scorecards"):
        assert internal not in response.text, internal

    entries = logged(lines, "fault-api-1")
    assert len(entries) == 1, entries
    entry = entries[0]
    assert (entry["level"], entry["status"], entry["route"]) == ("error", 500, QUALITY)
    assert entry["exception"].startswith("Traceback")
    assert f"RuntimeError: {SECRET}" in entry["exception"]
    assert metric(live, "GET", QUALITY, 500) == 1.0
    record(
        "12 forced server error",
        "a read model's method replaced in the running service by one that raises: "
        "500 internal_error problem with the request id and nothing of the fault, "
        f"{len(entries)} JSON log line with the request id and the traceback, "
        'petitions_http_requests{status="500"} counted; the web page the same as HTML',
        log_lines=len(entries),
    )


def test_a_web_page_gets_a_short_error_page_still_logged_and_counted(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = signed_in(live, "committee")
    monkeypatch.setattr(live.service.views["quality"], "scorecards", broken)
    with json_log_lines() as lines:
        page = client.get(
            "/scorecards", headers={"X-Request-ID": "fault-page-1", "Accept": "text/html"}
        )
    client.close()
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["X-Request-ID"] == "fault-page-1" and "fault-page-1" in page.text
    assert "hunter2" not in page.text and "Traceback" not in page.text
    entries = logged(lines, "fault-page-1")
    assert len(entries) == 1 and SECRET in entries[0]["exception"], entries
    assert metric(live, "GET", "/scorecards", 500) == 1.0
