"""`petitions serve` as a process (what `make run` starts): restarts keep the demo's tokens
and a client's retries recognised, a busy port stops it before it touches any token, and
SIGTERM stops it and its embedded PostgreSQL promptly."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import psycopg
import pytest
from eventsourcing.utils import get_topic
from psycopg import sql

from domain.actors import Role
from domain.petition import Petition
from service.bootstrap import Service, bootstrap
from service.database import Database, create_database
from service.demo import DEMO_SEED
from tests.conftest import settings_in
from tests.e2e.conftest import free_port
from tests.e2e.test_operations import alive, status, wait_until
from tests.e2e.test_writes import raise_body
from tests.figures import record
from tests.integration.helpers import CLERK, cli_env, draft

DEMO_ROLES = ("clerk", "committee", "department", "department", "auditor", "admin")


@dataclass
class Serving:
    process: subprocess.Popen[str]
    url: str
    tokens: list[tuple[str, str, bool]]  # role, token, new at this start

    def token(self, role: str) -> str:
        return next(t for r, t, _ in self.tokens if r == role)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        self.process.send_signal(signum)
        return self.process.wait(60)


def start(env: dict[str, str], log: IO[str], *args: str) -> Serving:
    """`petitions serve --port P ARGS`, once it answers; the demo's tokens it printed."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    tokens = []
    if "--demo" in args:
        assert process.stdout is not None
        for line in process.stdout:
            words = line.split()
            if line.startswith("  ") and words and words[0] in DEMO_ROLES:
                new = words[-1] == "(new)"
                tokens.append((words[0], words[-2] if new else words[-1], new))
            if len(tokens) == len(DEMO_ROLES):
                break
        assert len(tokens) == len(DEMO_ROLES), "the demo's tokens were not printed"
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: status(f"{url}/healthz") == 200 or process.poll() is not None, 120)
    assert process.poll() is None, f"serve exited with {process.returncode}"
    return Serving(process, url, tokens)


@pytest.fixture
def store(database: Database, tmp_path: Path) -> Iterator[tuple[Database, Service]]:
    """A database of its own with the demo's reference data and one petition: `serve
    --demo` then records no demo year (it only ever does into an empty log)."""
    name = f"srv_{uuid.uuid4().hex[:8]}"
    target = Database(database.host, database.port, database.user, database.password, name)
    create_database(target)
    settings = settings_in(tmp_path / "prepare")
    service = bootstrap(settings, database=target, seed=DEMO_SEED)
    service.app.raise_petition(draft(), CLERK)
    try:
        yield target, service
    finally:
        service.close()
        with psycopg.connect(database.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(target.dbname)
                )
            )


def raised_count(service: Service) -> int:
    topic = get_topic(Petition.Raised)
    return len(service.app.recorder.select_notifications(start=1, limit=10**6, topics=[topic]))


def tokens_table(service: Service) -> list[tuple[object, ...]]:
    with psycopg.connect(service.conninfo) as conn:
        return conn.execute(
            "SELECT token_id, name, revoked_at FROM api_tokens ORDER BY token_id"
        ).fetchall()


def test_retries_across_two_restarts_record_nothing_twice(
    store: tuple[Database, Service], tmp_path: Path
) -> None:
    database, service = store
    env = cli_env(tmp_path, database)
    keys = [f"giao-ban-khu-1/row-{n}" for n in range(20)]
    log = (tmp_path / "serve.log").open("w")

    def send(serving: Serving, token: str) -> list[httpx.Response]:
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=serving.url, headers=auth, timeout=30) as client:
            return [
                client.post("/v1/petitions", json=raise_body(key), headers={"Idempotency-Key": key})
                for key in keys
            ]

    first = start(env, log, "--demo")
    sent = send(first, first.token("clerk"))
    assert [r.status_code for r in sent] == [201] * len(keys)
    ids = [r.json()["id"] for r in sent]
    stopped = [first.stop()]

    second = start(env, log, "--demo")  # restart 1
    retried = send(second, first.token("clerk"))  # the client retries with what it holds
    stopped.append(second.stop())

    # The clerk's token is revoked meanwhile: restart 2 issues a new one for the same
    # subject, and a retry with it is still recognised.
    revoked = next(r[0] for r in tokens_table(service) if r[1] == "demo clerk" and not r[2])
    service.tokens.revoke(str(revoked))
    third = start(env, log, "--demo")
    fresh = third.token("clerk")
    retried += send(third, fresh)
    old_token = status_with(third, first.token("clerk"))
    stopped.append(third.stop())
    log.close()

    replayed = [r for r in retried if r.headers.get("Idempotent-Replayed") == "true"]
    raised = raised_count(service)
    duplicates = raised - 1 - len(keys)
    record(
        "13 retries across restarts",
        f"{len(keys)} raises, each retried after 2 restarts of `petitions serve --demo` "
        f"({len(retried)} retries, the second with a reissued token of the same subject): "
        f"{duplicates} duplicates, {len(replayed)} answered as replays",
        retries=len(retried),
        duplicates=duplicates,
        replayed=len(replayed),
    )
    assert [r.status_code for r in retried] == [201] * len(retried)
    assert [r.json()["id"] for r in retried] == ids * 2
    assert len(replayed) == len(retried) and duplicates == 0
    # Restart 1 printed the same tokens and issued none; restart 2 only the revoked one.
    assert [new for _, _, new in first.tokens] == [True] * len(DEMO_ROLES)
    assert second.tokens == [(r, t, False) for r, t, _ in first.tokens]
    assert fresh != first.token("clerk") and old_token == 401
    assert [(r, new) for r, _, new in third.tokens] == [(r, r == "clerk") for r in DEMO_ROLES]
    assert stopped == [0, 0, 0]
    kept = tmp_path / "demo-tokens.json"
    assert kept.stat().st_mode & 0o777 == 0o600


def status_with(serving: Serving, token: str) -> int:
    auth = {"Authorization": f"Bearer {token}"}
    return httpx.get(f"{serving.url}/v1/reference", headers=auth, timeout=10).status_code


def test_a_busy_port_stops_serve_before_it_touches_any_token(
    store: tuple[Database, Service], tmp_path: Path
) -> None:
    database, service = store
    for name in ("demo clerk", "demo committee"):  # a running demo's tokens
        service.tokens.create(role=Role.CLERK, name=name)
    before = tokens_table(service)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        refused = subprocess.run(
            [sys.executable, "-m", "cli.main", "serve", "--demo", "--port", str(port)],
            env=cli_env(tmp_path, database),
            text=True,
            capture_output=True,
            timeout=120,
            check=False,
        )
        took = time.monotonic() - started
    after = tokens_table(service)
    record(
        "14 busy port",
        f"`petitions serve --demo` on a port in use: exit {refused.returncode} in {took:.1f} s, "
        f"{len(set(after) ^ set(before))} token rows issued or changed",
        exit=refused.returncode,
        seconds=round(took, 1),
        changed=len(set(after) ^ set(before)),
    )
    assert refused.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in refused.stderr, refused.stderr
    assert "no token was issued or revoked" in refused.stderr
    assert "pt_" not in refused.stdout and "Event log" not in refused.stdout  # nothing started
    assert after == before
    assert not (tmp_path / "demo-tokens.json").exists()


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split()[0])


def test_sigterm_stops_serve_and_its_embedded_postgresql(tmp_path: Path) -> None:
    """On a data folder of its own (not under pytest's tmp_path: the embedded server runs
    as its own user, see tests/e2e/test_operations.py), no database configured."""
    folder = Path(tempfile.mkdtemp(prefix="petitions-serve-"))
    pgdata = folder / "pgdata"
    env = cli_env(folder)
    log = (tmp_path / "serve.log").open("w")
    pids: list[int] = []
    try:
        serving = start(env, log)
        pids.append(postmaster_pid(pgdata))
        signalled = time.monotonic()
        exits = [serving.stop()]
        wait_until(lambda: not alive(pids[0]), 30)
        stopped_after = time.monotonic() - signalled

        # A serve killed outright leaves the server running (nothing of it could stop it);
        # the next serve joins that server and, stopped with SIGTERM, stops it too.
        killed = start(env, log)
        pids.append(postmaster_pid(pgdata))
        assert killed.stop(signal.SIGKILL) == -signal.SIGKILL
        time.sleep(1)
        assert alive(pids[1])
        joined = start(env, log)
        assert postmaster_pid(pgdata) == pids[1]
        signalled = time.monotonic()
        exits.append(joined.stop())
        wait_until(lambda: not alive(pids[1]), 30)
        after_kill = time.monotonic() - signalled
    finally:
        log.close()
        for pid in pids:  # a failed check leaves no server behind
            if alive(pid):
                os.kill(pid, signal.SIGQUIT)
        shutil.rmtree(folder, ignore_errors=True)
    record(
        "15 serve stopped by SIGTERM",
        f"`petitions serve` on its embedded PostgreSQL, SIGTERM: exit 0, postmaster gone "
        f"{stopped_after:.1f} s after the signal; after an earlier serve was killed with "
        f"SIGKILL, {after_kill:.1f} s",
        seconds=round(stopped_after, 1),
        seconds_after_a_kill=round(after_kill, 1),
    )
    assert stopped_after < 10 and after_kill < 10
    assert exits == [0, 0]  # a clean stop
