"""The parallel part of ``audit verify``: the signed log cut into ranges, and the helper
processes (``python -m audit.segments``) that check them beside the verifying one."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from audit import segments
from audit.segments import Progress

PARALLEL_FROM = 50_000  # signed events from which starting worker processes pays off
MOST_PROCESSES = 4
RANGES_PER_PROCESS = 4  # ranges handed out one at a time, so the processes end together


def default_processes() -> int:
    """The machine's cores, at most ``MOST_PROCESSES``."""
    return max(1, min(os.cpu_count() or 1, MOST_PROCESSES))


def plan_ranges(positions: list[int], parts: int) -> list[tuple[int, int]]:
    """The log from the genesis to the latest of the signed ``positions`` (sorted), cut
    at signed positions into at most ``parts`` ranges (start, end] of about equal length."""
    if not positions or parts < 2:
        return []
    last, cuts = positions[-1], [0]
    for k in range(1, parts):
        at = min(positions, key=lambda p: abs(p - last * k / parts))
        if cuts[-1] < at < last:
            cuts.append(at)
    cuts.append(last)
    return list(itertools.pairwise(cuts))


class RangeWorkers:
    """The ranges checked by this process and ``helpers`` processes of their own
    (``python -m audit.segments``), each taking the next range as it is done with one, so
    that a helper that starts late or runs on a busy core takes fewer; the progress passed
    on as it comes. A range that is not clean stops the handing out (those after it are
    not needed). (Processes of their own rather than a multiprocessing pool: a spawned
    pool worker imports the command's main module, the whole service, before it starts.)"""

    def __init__(self, tasks: list[dict[str, Any]], helpers: int, progress: Progress | None):
        root = str(Path(__file__).resolve().parent.parent)
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
        self.tasks, self.progress = tasks, progress
        self.found: list[dict[str, Any] | None] = [None] * len(tasks)
        self.handed, self.stopped, self.lock = 0, False, threading.Lock()
        # closed in __exit__, with the processes
        self.errors = [tempfile.TemporaryFile() for _ in range(helpers)]  # noqa: SIM115
        self.processes = [
            subprocess.Popen(
                [sys.executable, "-m", "audit.segments"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                env={**os.environ, "PYTHONPATH": path},
                text=True,
            )
            for errors in self.errors
        ]
        self.readers = [
            threading.Thread(target=self.serve, args=(process,), daemon=True)
            for process in self.processes
        ]
        for reader in self.readers:
            reader.start()

    def next_task(self) -> int | None:
        with self.lock:
            if self.stopped or self.handed == len(self.tasks):
                return None
            self.handed += 1
            return self.handed - 1

    def done(self, k: int, result: dict[str, Any]) -> None:
        with self.lock:
            self.found[k] = result
            self.stopped = self.stopped or not result["clean"]

    def serve(self, process: subprocess.Popen[str]) -> None:
        """Feed one helper its ranges, one at a time, and read back its answers."""
        assert process.stdin is not None and process.stdout is not None
        while (k := self.next_task()) is not None:
            process.stdin.write(json.dumps(self.tasks[k]) + "\n")
            process.stdin.flush()
            for line in process.stdout:
                message = json.loads(line)
                if "read" not in message:
                    self.done(k, message)
                    break
                if self.progress is not None:
                    self.progress(int(message["read"]))
            else:
                break  # the helper ended early: its range stays unanswered
        process.stdin.close()

    def results(self) -> list[dict[str, Any]]:
        """This process checks ranges too until none is left; then the results of the
        ranges up to the first that is not clean, once every helper is done; an error if
        one failed."""
        while (k := self.next_task()) is not None:
            self.done(k, segments.run(self.tasks[k], self.progress))
        for reader in self.readers:
            reader.join()
        answered = []
        for result in self.found:
            if result is None:
                break
            answered.append(result)
            if not result["clean"]:
                return answered
        if len(answered) < len(self.tasks):
            for process, errors in zip(self.processes, self.errors, strict=True):
                process.wait()
                errors.seek(0)
                if process.returncode:
                    raise RuntimeError(
                        f"an audit helper failed (exit {process.returncode}): "
                        + errors.read().decode(errors="replace")[-2000:]
                    )
            raise RuntimeError("an audit helper ended without checking its range")
        return answered

    def __enter__(self) -> RangeWorkers:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        with self.lock:
            self.stopped = True
        for process, errors in zip(self.processes, self.errors, strict=True):
            try:
                process.wait(timeout=None if kind is None else 0)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
            errors.close()
