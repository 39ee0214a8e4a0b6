"""`audit verify` over signed segments in parallel, on real PostgreSQL: the log cut at
signed checkpoints, each range checked from its signed head in a process of its own, gives
the report a single walk from the genesis gives, the first break included, wherever it
lies: in the first range, in the second, at a checkpoint, in the unsigned tail."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import tests.integration.test_tamper_trials as trials
from audit.chain import AuditChainView
from audit.verify import Report, plan_ranges, verify_database
from service.bootstrap import Service
from service.demo import make_plan, run_plan
from tests.integration.helpers import CLERK, COMMITTEE, draft, run_cli
from tests.integration.test_audit import TAMPERINGS, schema_of, stored
from tests.integration.test_tamper_trials import spread_history
from workers.runner import catch_up

__all__ = ["spread_history"]  # the tamper trials' fixture


def verify_with(service: Service, processes: int) -> Report:
    """``verify_database`` in ``processes`` processes however short the log (1: the single
    walk from the genesis)."""
    key = service.chain.signing_key.public_key()  # type: ignore[union-attr]
    return verify_database(
        service.conninfo, schema_of(service), key, processes=processes, parallel_from=0
    )


def without_timing(report: Report) -> list[str]:
    """The report's lines but for the time taken and the tail's age (each verification
    reads the clock of its own snapshot)."""
    return [
        re.sub(r"recorded [\d.]+ s before", "recorded … s before", line)
        for line in report.lines()
        if not line.startswith("checked ")
    ] + [f"{report.events} events, chain head {report.chain_head}"]


def checkpoints(service: Service) -> list[int]:
    with service.app.datastore.transaction(commit=False) as curs:
        curs.execute(f'SELECT position FROM "{schema_of(service)}".audit_checkpoints ORDER BY 1')
        return [int(r["position"]) for r in curs.fetchall()]


@pytest.fixture
def with_tail(service: Service) -> Iterator[Service]:
    """A few months of a district, chained with a signed checkpoint every 10 events, then
    an unsigned tail: events chained past the latest checkpoint."""
    app, service.chain.checkpoint_every = service.app, 10
    run_plan(app, make_plan(app.district, trials.END, per_briefing=3, months=3, seed=5))
    catch_up(service.runners, app.recorder, app.mapper, page_size=10)
    for _ in range(3):
        pid = app.raise_petition(draft(), CLERK).id
        app.assign(pid, COMMITTEE, department="kinh-te-ha-tang", on=date(2026, 3, 5))
    catch_up([AuditChainView(app.datastore, None)], app.recorder, app.mapper)
    yield service


def test_the_ranges_are_cut_at_signed_checkpoints() -> None:
    assert plan_ranges([40, 80, 120, 160, 200], 2) == [(0, 80), (80, 200)]
    assert plan_ranges([40, 80, 120, 160], 4) == [(0, 40), (40, 80), (80, 120), (120, 160)]
    assert plan_ranges([40], 4) == [(0, 40)]
    assert plan_ranges([], 2) == [] and plan_ranges([40, 80], 1) == []


def test_an_untouched_log_gives_the_single_walks_report(with_tail: Service) -> None:
    single, parallel = verify_with(with_tail, 1), verify_with(with_tail, 3)
    assert single.ok and single.tail.events > 0, single.lines()
    assert without_timing(parallel) == without_timing(single)
    assert parallel.tail == single.tail


Where = Callable[[list[int], int], int]
WHERE: dict[str, Where] = {
    # the ranges of 2 processes: (0, first cut] and (first cut, latest checkpoint]
    "first range": lambda signed, head: 5,
    "second range": lambda signed, head: plan_ranges(signed, 2)[1][0] + 7,
    "second range's first event": lambda signed, head: plan_ranges(signed, 2)[1][0] + 1,
    "a checkpoint in the second range": lambda signed, head: signed[-2],
    "the latest checkpoint": lambda signed, head: signed[-1],
    "the unsigned tail": lambda signed, head: signed[-1] + 3,
    "the last event": lambda signed, head: head,
}


@pytest.mark.parametrize("how", list(TAMPERINGS))
@pytest.mark.parametrize("where", list(WHERE))
def test_a_break_anywhere_is_found_as_the_single_walk_finds_it(
    with_tail: Service, how: str, where: str
) -> None:
    head = with_tail.app.recorder.max_notification_id()
    signed = checkpoints(with_tail)
    assert head is not None and len(signed) >= 4 and head > signed[-1] + 3
    position = WHERE[where](signed, head)
    if how == "swapped" and position == head:
        position -= 1
    originator = stored(with_tail, position)["originator_id"]
    TAMPERINGS[how](with_tail, position)
    single, parallel = verify_with(with_tail, 1), verify_with(with_tail, 2)
    assert without_timing(parallel) == without_timing(single)
    found: Any = parallel.first_break
    assert found is not None, parallel.lines()
    assert found.position == position, parallel.lines()
    assert found.kind == ("deleted" if how == "deleted" else "changed")
    if how != "deleted":
        assert found.originator_id == originator


def test_random_tamper_trials_in_parallel(
    spread_history: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The random trials (bit flips, deletions, forged insertions, swaps) with the log
    checked in two and in three processes."""
    for processes in (2, 3):
        monkeypatch.setattr(trials, "verify", lambda s, p=processes: verify_with(s, p))
        detected, _, misses = trials.run_trials(spread_history, 8, trials.SEED + processes)
        assert detected == 8, "\n".join(misses)


def progress_lines(stderr: str, event: str) -> list[dict[str, Any]]:
    found = []
    for line in stderr.splitlines():
        if line.startswith("{") and (record := json.loads(line)).get("event") == event:
            found.append(record)
    return found


def test_verify_and_export_log_their_progress_without_a_terminal(
    with_tail: Service, tmp_path: Path
) -> None:
    events = with_tail.app.recorder.max_notification_id()
    verified = run_cli(with_tail, "audit", "verify", "--processes", "2")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    lines = progress_lines(verified.stderr, "audit.verify.progress")
    assert lines, verified.stderr
    assert lines[-1]["finished"] and lines[-1]["total"] == events
    assert lines[-1]["done"] == events and lines[-1]["per_second"] > 0
    exported = run_cli(with_tail, "audit", "export", str(tmp_path / "audit.jsonl.gz"))
    assert exported.returncode == 0, exported.stderr
    lines = progress_lines(exported.stderr, "audit.export.progress")
    assert lines and lines[-1]["finished"] and lines[-1]["done"] == events, exported.stderr


@pytest.mark.parametrize("processes", ["1", "2"])
def test_replay_logs_its_progress_without_a_terminal(with_tail: Service, processes: str) -> None:
    """One part in the command's process, or two in processes of their own that tell the
    command what they read."""
    events = with_tail.app.recorder.max_notification_id()
    rebuilt = run_cli(with_tail, "replay", REBUILD_PROCESSES=processes)
    assert rebuilt.returncode == 0, rebuilt.stderr
    lines = progress_lines(rebuilt.stderr, "replay.progress")
    assert lines and lines[-1]["finished"], rebuilt.stderr
    assert lines[-1]["done"] == lines[-1]["total"] == events
