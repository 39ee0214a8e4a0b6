"""Races over HTTP against a live service (check 5, RELIABILITY.md).

* 50 departments' clients answer one petition at the same moment, all with the same
  ``If-Match``: exactly one answer is recorded, the others are refused (412 stale or 409
  lost race) and record nothing.
* 1,000 raises, each sent three times at once with the same ``Idempotency-Key`` (a client
  retrying while its first attempt is still in flight): exactly 1,000 petitions, every
  copy answered with its key's one petition.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from service.database import Database
from tests.e2e.conftest import DEPARTMENT, Live, live_service
from tests.e2e.test_writes import (
    PROBLEM_JSON,
    WRITTEN,
    head,
    marker,
    ok,
    petitions_raised_with,
    raise_body,
    together,
)
from tests.figures import record

ANSWERS = 50
RAISES, COPIES, CLIENTS = 1000, 3, 24


@pytest.fixture(scope="module")
def live(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The live service with room for every racing request to wait for a connection: with
    the default POSTGRES_MAX_WAITING (20), a burst of 50 is partly shed with 503 before it
    races, which is a different check (load shedding) from this one."""
    yield from live_service(database, tmp_path_factory, postgres_max_waiting=200)


def test_fifty_answers_with_the_same_if_match_let_exactly_one_through(live: Live) -> None:
    with live.client("clerk") as clerk, live.client("committee") as committee:
        pid = ok(clerk.post("/v1/petitions", json=raise_body(marker())), 201)["id"]
        assigned = ok(
            committee.post(
                f"/v1/petitions/{pid}/assignment",
                json={"department": DEPARTMENT, "assigned_on": "2026-06-05"},
            )
        )
    assert assigned["version"] == 2
    before = head(live)
    responses = together(
        ANSWERS,
        lambda: live.client("department"),
        lambda c: c.post(f"/v1/petitions/{pid}/answer", json=WRITTEN, headers={"If-Match": '"2"'}),
    )
    assert all(isinstance(r, httpx.Response) for r in responses), responses
    codes = [r.status_code for r in responses]
    said = sorted({(r.status_code, r.text[:120]) for r in responses})
    record(
        "5 races: same If-Match",
        f"{ANSWERS} concurrent answers with one If-Match: {codes.count(200)} succeeded, "
        f"{codes.count(412)} got 412, {codes.count(409)} got 409, "
        f"{len(codes) - codes.count(200) - codes.count(412) - codes.count(409)} other",
        succeeded=codes.count(200),
        stale_412=codes.count(412),
        lost_race_409=codes.count(409),
    )
    assert codes.count(200) == 1, said
    for r in responses:
        if r.status_code != 200:
            assert r.headers["content-type"].startswith(PROBLEM_JSON), said
            assert (r.status_code, r.json()["code"]) in (
                (412, "stale_version"),
                (409, "concurrent_update"),
            ), said
    assert head(live) == before + 1  # one event, nothing from the refused 49
    with live.client("auditor") as auditor:
        history = ok(auditor.get(f"/v1/petitions/{pid}/events"))
    assert [e["type"] for e in history] == ["Raised", "Assigned", "AnsweredInWriting"]


def test_a_thousand_raises_each_retried_three_times_at_once_make_a_thousand_petitions(
    live: Live,
) -> None:
    tag = marker()
    local = threading.local()

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = live.client("clerk")
        return local.client  # type: ignore[no-any-return]

    def send(n: int) -> tuple[int, Any]:
        body = raise_body(f"{tag} số {n}")
        key = f"{tag}-row-{n}"
        try:
            response = client().post(
                "/v1/petitions", json=body, headers={"Idempotency-Key": key}, timeout=60
            )
        except httpx.HTTPError as error:
            return n, error
        return n, response

    started = time.monotonic()
    # The three copies of a key are queued one after another, so they run at the same time
    # on three of the pool's threads.
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(send, [n for n in range(RAISES) for _ in range(COPIES)]))
    seconds = time.monotonic() - started
    failures = [(n, r) for n, r in results if not isinstance(r, httpx.Response)]
    statuses = [r.status_code for _, r in results if isinstance(r, httpx.Response)]
    ids: dict[int, set[str]] = {}
    replayed = 0
    for n, r in results:
        if isinstance(r, httpx.Response) and r.status_code == 201:
            ids.setdefault(n, set()).add(r.json()["id"])
            replayed += r.headers.get("Idempotent-Replayed") == "true"
    in_log = petitions_raised_with(live, tag)
    record(
        "5 races: idempotent retries",
        f"{RAISES} raises × {COPIES} concurrent copies under one key ({CLIENTS} clients): "
        f"{in_log} petitions in the log, {replayed} replayed answers, "
        f"{len(statuses) - statuses.count(201)} non-201, {len(failures)} transport errors "
        f"({seconds:.0f} s)",
        raises=RAISES,
        copies=COPIES,
        petitions_in_log=in_log,
        replayed=replayed,
        seconds=round(seconds, 1),
    )
    assert not failures, failures[:3]
    odd = [(r.status_code, r.text[:150]) for _, r in results if r.status_code != 201][:5]
    assert statuses == [201] * (RAISES * COPIES), odd
    assert all(len(ids[n]) == 1 for n in range(RAISES))  # every copy: its key's one petition
    assert len({next(iter(v)) for v in ids.values()}) == RAISES
    assert replayed == RAISES * (COPIES - 1)
    assert in_log == RAISES
    assert uuid.UUID(next(iter(ids[0])))
