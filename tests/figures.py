"""Figures of the reliability checks (RELIABILITY.md).

A check calls ``record(name, summary, **values)`` with what it measured, before asserting
on it. The session prints every recorded figure at the end of its summary; when the
environment variable RELIABILITY_RESULTS names a file (``make soak``), the figures are
merged into that JSON file with each check's outcome, the command and the time of the run.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FIGURES: dict[str, dict[str, Any]] = {}
OUTCOMES: dict[str, str] = {}  # test node id -> passed | failed
STARTED = datetime.now(UTC)


def record(check: str, summary: str, **values: Any) -> None:
    """Remember a check's figure (shown at the end of the run, written by make soak)."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    FIGURES[check] = {"summary": summary, "test": test, **values}


def outcome(nodeid: str, when: str, passed: bool) -> None:
    if when == "call" or not passed:
        OUTCOMES[nodeid] = "passed" if passed else "failed"


def lines() -> list[str]:
    out = []
    for check, figure in sorted(FIGURES.items()):
        state = OUTCOMES.get(figure["test"], "?")
        out.append(f"{check}: {figure['summary']} [{state}]")
    return out


def write(path: Path, exit_status: int) -> None:
    """Merge this run's figures into ``path`` (a check run again replaces its entry)."""
    try:
        results = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        results = {}
    checks = results.get("checks", {})
    finished = datetime.now(UTC)
    for check, figure in FIGURES.items():
        checks[check] = {
            **figure,
            "outcome": OUTCOMES.get(figure["test"], "unknown"),
            "measured_at": finished.isoformat(timespec="seconds"),
        }
    results = {
        "about": "Figures of the reliability checks; see RELIABILITY.md",
        "last_run": {
            "command": "make soak" if "soak" in " ".join(sys.argv) else " ".join(sys.argv),
            "started": STARTED.isoformat(timespec="seconds"),
            "finished": finished.isoformat(timespec="seconds"),
            "wall_seconds": round((finished - STARTED).total_seconds()),
            "pytest_exit_status": exit_status,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
        },
        "checks": dict(sorted(checks.items())),
    }
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
