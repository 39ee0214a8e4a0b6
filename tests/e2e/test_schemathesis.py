"""Schemathesis against the service's own OpenAPI document, over HTTP, with a token of each role.

Every phase runs (examples, of which the document declares none; coverage; fuzzing; stateful,
following the links schemathesis infers) with schemathesis's checks: no server error; status
codes, content types, headers and bodies as documented; invalid input refused; no route served
without a valid token; undocumented methods answered 405 with a true Allow.

One check is left out, ``positive_data_acceptance``: it fails any 4xx but 401/403/404/409 to
schema-valid input, and the service rightly refuses schema-valid requests for reasons JSON
Schema cannot state, with a 422 problem: an unknown category or cell, a business date in the
future, a merge into a petition that does not exist (``invalid_command``); a cursor it never
gave out, ``from`` after ``to``, an on-the-spot answer carrying a letter's number
(``validation_error``).

SCHEMATHESIS_SEED repeats a run; SCHEMATHESIS_MAX_EXAMPLES digs deeper than the default.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from schemathesis.engine import events, from_schema
from schemathesis.engine.statistic import Statistic

from tests.e2e.conftest import DEPARTMENT, Live
from tests.figures import record

ROLES = ("clerk", "committee", "department", "auditor", "admin", "secretary")
SEED = int(os.environ.get("SCHEMATHESIS_SEED", "20260603"))
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15"))
LABEL = "6 schemathesis (make test)"


@dataclass
class Run:
    who: str
    statistic: Statistic = field(default_factory=Statistic)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def problems(self) -> list[str]:
        found = list(self.errors)
        for label, groups in sorted(self.statistic.failures.items()):
            for group in groups.values():
                for failure in group.failures:
                    message = " ".join(failure.message.split())[:300]
                    found.append(f"{self.who}: {label}: {failure.title}: {message}")
                if group.response is not None:
                    body = group.response.content[:300].decode(errors="replace")
                    found.append(f"    -> {group.response.status_code} {body}")
                if group.code_sample:
                    found.append(f"    {group.code_sample[:600]}")
        return found


def petitions(live: Live) -> list[str]:
    """Petitions raised, assigned to the department and answered by it, for the runs to act on."""
    day = live.service.app.today() - timedelta(days=30)
    ids = []
    with (
        live.client("clerk") as clerk,
        live.client("committee") as committee,
        live.client("department") as department,
    ):
        for n in range(6):
            raised = clerk.post(
                "/v1/petitions",
                json={
                    "kind": "proposal",
                    "category": "transport",
                    "summary": f"Đề nghị sửa cầu tràn số {n}",
                    "text": "Cầu tràn sạt lở sau lũ, học sinh phải đi vòng 3 km.",
                    "cell": "yen-lac-thon5",
                    "raised_by": "Trần Thị Lan",
                    "channel": "written_report",
                    "raised_on": day.isoformat(),
                },
            )
            assert raised.status_code == 201, raised.text
            pid = raised.json()["id"]
            ids.append(pid)
            if n >= 2:
                assigned = committee.post(
                    f"/v1/petitions/{pid}/assignment",
                    json={"department": DEPARTMENT, "assigned_on": day.isoformat()},
                )
                assert assigned.status_code == 200, assigned.text
            if n >= 4:
                answered = department.post(
                    f"/v1/petitions/{pid}/answer",
                    json={
                        "mode": "written",
                        "text": "Sẽ khảo sát và lập dự toán.",
                        "document_number": f"{n}/KTHT",
                        "document_date": (day + timedelta(days=5)).isoformat(),
                        "signer": "Trưởng phòng",
                        "answered_on": (day + timedelta(days=5)).isoformat(),
                    },
                )
                assert answered.status_code == 200, answered.text
    return ids


def meetings(live: Live) -> list[str]:
    """Meetings scheduled, held and minuted, for the runs to act on."""
    day = live.service.app.today() - timedelta(days=20)
    ids = []
    with live.client("clerk") as clerk:
        for n in range(3):
            made = clerk.post(
                "/v1/meetings",
                json={
                    "kind": "briefing",
                    "zone": "khu-1",
                    "scheduled_on": day.isoformat(),
                    "on": (day - timedelta(days=7)).isoformat(),
                },
            )
            assert made.status_code == 201, made.text
            mid = made.json()["id"]
            ids.append(mid)
            if n >= 1:
                held = clerk.post(
                    f"/v1/meetings/{mid}/held",
                    json={
                        "chair": "Bí thư Đảng ủy",
                        "held_on": day.isoformat(),
                        "attendance": [{"cell": "yen-lac-thon5", "status": "present"}],
                    },
                )
                assert held.status_code == 200, held.text
            if n >= 2:
                minuted = clerk.post(
                    f"/v1/meetings/{mid}/minutes",
                    json={"text": "Biên bản", "recorded_on": day.isoformat()},
                )
                assert minuted.status_code == 200, minuted.text
    return ids


def dictionaries(live: Live) -> dict[str, Any]:
    """The district's real codes, plausible dates and real petitions, so that generated
    requests often get past the lookups and reach the petitions' state machine."""
    with live.client("auditor") as client:
        reference = client.get("/v1/reference").json()
    today = live.service.app.today()
    codes = {
        name: {"values": sorted(item["code"] for item in reference[name])}
        for name in ("zones", "communes", "cells", "departments", "categories")
    }
    past = [(today - timedelta(days=days)).isoformat() for days in (0, 1, 7, 30)]
    future = [(today + timedelta(days=days)).isoformat() for days in (14, 30, 60)]
    return codes | {
        "past": {"values": past},
        "future": {"values": future},
        "petitions": {"values": petitions(live)},
        "meetings": {"values": meetings(live)},
    }


BINDINGS = {
    "body.category": "categories",
    "body.cell": "cells",
    "body.department": "departments",
    "body.reassign_to": "departments",
    "query.category": "categories",
    "query.cell": "cells",
    "query.commune": "communes",
    "query.department": "departments",
    "query.zone": "zones",
    "path.zone": "zones",
    # business dates may not be in the future; due dates are
    "body.raised_on": "past",
    "body.assigned_on": "past",
    "body.answered_on": "past",
    "body.document_date": "past",
    "body.verified_on": "past",
    "body.extended_on": "past",
    "body.on": "past",
    "body.due_on": "future",
    "body.into": "petitions",
    "path.petition_id": "petitions",
    # a meeting's business dates, and the meetings themselves
    "body.sent_on": "past",
    "body.issued_on": "past",
    "body.held_on": "past",
    "body.recorded_on": "past",
    "body.closed_on": "past",
    "body.scheduled_on": "future",
    "path.meeting_id": "meetings",
}


def run_as(live: Live, who: str, codes: dict[str, Any]) -> Run:
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "cache": {"enabled": False},
            "base-url": live.url,
            "workers": 1,
            "auth": {"openapi": {"HTTPBearer": {"bearer": live.tokens[who]}}},
            "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
            "checks": {"positive_data_acceptance": {"enabled": False}},
            "dictionaries": codes,
            # Often, not always, a real code: random strings still reach every route.
            "parameters": {
                key: {"dictionary": name, "probability": 0.7} for key, name in BINDINGS.items()
            },
        }
    )
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json", config=config)
    run = Run(who)
    started = time.monotonic()
    for event in from_schema(schema).execute():
        if isinstance(event, (events.ScenarioFinished, events.FuzzScenarioFinished)):
            run.statistic.on_scenario_finished(event.recorder)
        elif isinstance(event, events.NonFatalError):
            run.errors.append(f"{who}: {event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            run.errors.append(f"{who}: fatal: {event.exception!r}")
        elif isinstance(event, events.EngineFinished) and event.failures:
            run.statistic.record_run_check_failures(event.failures, label="after the run")
    run.seconds = time.monotonic() - started
    return run


def check(live: Live, roles: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    """Every phase as each of ``roles``: cases generated for each, and no finding."""
    with live.client() as client:
        operations = sum(
            len(methods) for methods in client.get("/openapi.json").json()["paths"].values()
        )
    codes = dictionaries(live)
    runs = [run_as(live, who, codes) for who in roles]

    total = sum(run.statistic.total_cases for run in runs)
    per_role = ", ".join(
        f"{run.who} {run.statistic.total_cases} ({run.seconds:.0f} s)" for run in runs
    )
    with capsys.disabled():
        print(
            f"\nschemathesis: {total} cases over {operations} operations "
            f"(seed {SEED}, up to {MAX_EXAMPLES} examples an operation): {per_role}"
        )
    for run in runs:
        assert run.statistic.total_cases > 0, f"{run.who}: schemathesis generated no case"
    problems = [line for run in runs for line in run.problems()]
    failed_checks = sorted({label for run in runs for label in run.statistic.failures})
    record(
        LABEL if roles == ROLES else f"{LABEL}: {', '.join(roles)}",
        f"{total} cases over {operations} operations, {len(roles)} roles, every phase "
        f"(seed {SEED}, {MAX_EXAMPLES} examples an operation): {len(problems)} findings "
        "(server errors, schema violations, ignored auth and the other checks)"
        + (f" in {', '.join(failed_checks)}" if failed_checks else ""),
        cases=total,
        operations=operations,
        findings=len(problems),
        seconds=round(sum(run.seconds for run in runs)),
    )
    if problems:
        pytest.fail(f"{total} cases, seed {SEED}:\n" + "\n".join(problems), pytrace=False)


# One test a role: make test's workers share the roles out (tests/conftest.py SPREAD).
@pytest.mark.parametrize("who", ROLES)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live: Live, who: str, capsys: pytest.CaptureFixture[str]
) -> None:
    check(live, (who,), capsys)


@pytest.mark.soak
def test_schemathesis_digs_deeper_with_another_seed(
    live: Live, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same run, every role, with twice the examples an operation and another seed
    (make soak)."""
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "MAX_EXAMPLES", 2 * MAX_EXAMPLES)
    monkeypatch.setattr(module, "SEED", SEED + 1)
    monkeypatch.setattr(module, "LABEL", "6 schemathesis (soak)")
    check(live, ROLES, capsys)
