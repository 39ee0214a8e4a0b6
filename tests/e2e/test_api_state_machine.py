"""A hypothesis state machine over the HTTP API (check 6, RELIABILITY.md): random commands by
random roles against a live service with its projection workers.

After every command: a 2xx recorded exactly the command's events (the log's head moved
by as much as the petition's version: one event, or two for a verdict that reopens);
anything else was a 4xx problem (never a 5xx) and changed nothing (the head, the
petition's version and state as before). Reads by a department
token: 404 for a petition never assigned to that department. At the end of each example,
once the views have caught up with the log: every petition's row in the list view agrees
with its aggregate, and each department's list holds only petitions assigned to it at some
time.

``make test`` runs a short budget; ``make soak`` a longer one (API_FSM_EXAMPLES and
API_FSM_STEPS override both).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from datetime import timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    multiple,
    rule,
    run_state_machine_as_test,
)

from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live
from tests.figures import record

WHO = ("clerk", "committee", "department", "other_department", "auditor", "admin")
DEPARTMENTS = {"department": DEPARTMENT, "other_department": OTHER_DEPARTMENT}
COMPARED = ("status", "version", "department", "departments", "due_on", "escalations")
COMPARED += ("reopen_count", "summary", "raised_by", "cell", "category", "kind")


def by(*proper: str) -> st.SearchStrategy[str]:
    """Half the time a role that may send the command, else any role at all."""
    return st.one_of(st.sampled_from(proper), st.sampled_from(WHO))


class Stats:
    def __init__(self) -> None:
        self.commands: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.reads = 0
        self.compared = 0
        self.examples = 0


class ApiMachine(RuleBasedStateMachine):
    live: Live
    clients: dict[str, httpx.Client]
    stats: Stats

    petitions = Bundle("petitions")

    def __init__(self) -> None:
        super().__init__()
        self.raised: list[str] = []
        self.stats.examples += 1
        today = self.live.service.app.today()
        self.today = today.isoformat()
        self.later = (today + timedelta(days=20)).isoformat()

    # ---- helpers ----------------------------------------------------------------------

    def head(self) -> int:
        return self.live.service.app.recorder.max_notification_id() or 0

    def state(self, pid: str) -> dict[str, Any]:
        response = self.clients["committee"].get(f"/v1/petitions/{pid}")
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def command(self, name: str, who: str, path: str, body: dict[str, Any], pid: str | None):
        before_head = self.head()
        before = self.state(pid) if pid else None
        response = self.clients[who].post(path, json=body)
        self.stats.commands[name] += 1
        self.stats.statuses[response.status_code] += 1
        said = f"{who} {name} {body}: {response.status_code} {response.text[:300]}"
        assert response.status_code < 500, said
        if response.is_success:
            written = response.json()
            # The command's events, and only they, were recorded: one, or two for a
            # verdict that reopens (Verified, Reopened). Nothing else writes meanwhile.
            recorded = written["version"] - (before["version"] if before else 0)
            assert 1 <= recorded <= 2, said
            assert self.head() == before_head + recorded == written["position"], said
            if before is not None:
                assert self.state(pid)["version"] == written["version"], said  # type: ignore[arg-type]
            return written
        assert response.headers["content-type"].startswith("application/problem+json"), said
        assert self.head() == before_head, f"a refused command recorded something: {said}"
        if pid is not None:
            assert self.state(pid) == before, f"a refused command changed the petition: {said}"
        return None

    # ---- commands ---------------------------------------------------------------------

    @initialize(target=petitions)
    def first_petition(self) -> str:
        return self.raise_petition("clerk", "reflection", "services", "yen-lac-thon3")

    @rule(
        target=petitions,
        who=by("clerk"),
        kind=st.sampled_from(["reflection", "proposal"]),
        category=st.sampled_from(["services", "transport", "agriculture", "services", "nope"]),
        cell=st.sampled_from(["yen-lac-thon3", "kim-son-thon4", "an-binh-thon1"]),
    )
    def raise_petition(self, who: str, kind: str, category: str, cell: str) -> Any:
        body = {
            "kind": kind,
            "category": category,
            "summary": f"Kiến nghị {len(self.raised)} về {category}",
            "text": "Nội dung kiến nghị của chi bộ.",
            "cell": cell,
            "raised_by": "Lê Thị Mai",
            "channel": "written_report",
            "raised_on": self.today,
        }
        written = self.command("raise", who, "/v1/petitions", body, None)
        if written is None:
            return multiple()  # nothing to add to the bundle
        assert who == "clerk" and category != "nope"
        self.raised.append(written["id"])
        return written["id"]

    @rule(pid=petitions, who=by("committee"), to=st.sampled_from(list(DEPARTMENTS)))
    def assign(self, pid: str, who: str, to: str) -> None:
        body = {"department": DEPARTMENTS[to], "assigned_on": self.today}
        self.command("assign", who, f"/v1/petitions/{pid}/assignment", body, pid)

    @rule(pid=petitions, who=by(*DEPARTMENTS, "clerk"), written=st.booleans())
    def answer(self, pid: str, who: str, written: bool) -> None:
        body: dict[str, Any] = {"text": "Đã xử lý xong.", "answered_on": self.today}
        if written:
            body |= {
                "mode": "written",
                "document_number": "12/CV",
                "document_date": self.today,
                "signer": "Trưởng phòng",
            }
        else:
            body |= {"mode": "on_the_spot", "answered_by": "Phó Chủ tịch UBND"}
        self.command("answer", who, f"/v1/petitions/{pid}/answer", body, pid)

    @rule(
        pid=petitions,
        who=by("clerk", "committee"),
        verdict=st.sampled_from(["satisfied", "partially_satisfied", "unsatisfied"]),
        flags=st.lists(st.sampled_from(["generic", "unpersuasive", "off_topic"]), unique=True),
    )
    def verify(self, pid: str, who: str, verdict: str, flags: list[str]) -> None:
        body = {"verdict": verdict, "flags": flags, "verified_on": self.today}
        self.command("verify", who, f"/v1/petitions/{pid}/verification", body, pid)

    @rule(
        pid=petitions,
        who=by("committee", *DEPARTMENTS),
        action=st.sampled_from(["escalation", "withdrawal", "closure", "decline", "deadline"]),
    )
    def other(self, pid: str, who: str, action: str) -> None:
        body: dict[str, Any] = {"reason": "Theo ý kiến Thường trực", "on": self.today}
        if action == "deadline":
            body = {"due_on": self.later, "reason": "Gia hạn", "extended_on": self.today}
        self.command(action, who, f"/v1/petitions/{pid}/{action}", body, pid)

    @rule(pid=petitions, into=petitions, who=by("committee"))
    def merge(self, pid: str, into: str, who: str) -> None:
        body = {"into": into, "reason": "Trùng nội dung", "on": self.today}
        self.command("merge", who, f"/v1/petitions/{pid}/merge", body, pid)

    # ---- reads --------------------------------------------------------------------------

    @rule(pid=petitions, who=st.sampled_from(WHO))
    def read(self, pid: str, who: str) -> None:
        self.stats.reads += 1
        response = self.clients[who].get(f"/v1/petitions/{pid}")
        assert response.status_code < 500, response.text
        state = self.state(pid)
        if who in DEPARTMENTS:
            ever = DEPARTMENTS[who] in state["departments"]
            assert response.status_code == (200 if ever else 404), (who, state, response.text)
            assert self.clients[who].get(f"/v1/petitions/{pid}/events").status_code == (
                200 if ever else 404
            )
        elif who == "admin":
            assert response.status_code == 403
        else:
            assert response.status_code == 200
            assert response.json() == state

    # ---- after each example: the views agree with the aggregates -------------------------

    def teardown(self) -> None:
        if not self.raised:
            return
        head = self.head()
        for who in ("committee", *DEPARTMENTS):
            listed = self.listed(who, head)
            if who == "committee":
                for pid in self.raised:
                    state = self.state(pid)
                    row = listed[pid]
                    row = {**row, "id": row["petition_id"]}
                    self.stats.compared += 1
                    for field in COMPARED:
                        assert row[field] == state[field], (field, row, state)
            else:
                for pid in self.raised:
                    ever = DEPARTMENTS[who] in self.state(pid)["departments"]
                    assert (pid in listed) == ever, (who, pid, ever)

    def listed(self, who: str, head: int) -> dict[str, dict[str, Any]]:
        """Every petition the token's list shows, once the views have reached ``head``."""
        rows: dict[str, dict[str, Any]] = {}
        params: dict[str, Any] = {"min_position": head, "limit": 200, "raised_from": self.today}
        while True:
            response = self.clients[who].get("/v1/petitions", params=params, timeout=30)
            assert response.status_code == 200, response.text
            page = response.json()
            rows |= {item["petition_id"]: item for item in page["items"]}
            if not page.get("next_cursor"):
                return rows
            params = {"cursor": page["next_cursor"], "limit": 200}


def run(live: Live, label: str, examples: int, steps: int) -> None:
    examples = int(os.environ.get("API_FSM_EXAMPLES", examples))
    steps = int(os.environ.get("API_FSM_STEPS", steps))
    clients = {who: live.client(who) for who in WHO}
    stats = Stats()
    machine = type("Machine", (ApiMachine,), {"live": live, "clients": clients, "stats": stats})
    started = time.monotonic()
    try:
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=examples,
                stateful_step_count=steps,
                deadline=None,
                database=None,
                derandomize=os.environ.get("API_FSM_RANDOM") is None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    finally:
        for client in clients.values():
            client.close()
        seconds = time.monotonic() - started
        commands = sum(stats.commands.values())
        refused = sum(n for s, n in stats.statuses.items() if s >= 400)
        record(
            label,
            f"{stats.examples} examples, {commands} commands by random roles "
            f"({refused} refused, each changing nothing), {stats.reads} reads, "
            f"{stats.compared} view rows compared with their aggregates, "
            f"{sum(n for s, n in stats.statuses.items() if s >= 500)} server errors "
            f"({seconds:.0f} s)",
            examples=stats.examples,
            commands=dict(stats.commands),
            statuses={str(k): v for k, v in sorted(stats.statuses.items())},
            reads=stats.reads,
            rows_compared=stats.compared,
            seconds=round(seconds),
        )
    assert stats.compared > 0


def test_random_commands_by_random_roles_keep_the_api_consistent(live: Live) -> None:
    run(live, "6 API state machine (make test)", examples=15, steps=25)


@pytest.mark.soak
def test_random_commands_by_random_roles_keep_the_api_consistent_longer(live: Live) -> None:
    run(live, "6 API state machine (soak)", examples=60, steps=40)
