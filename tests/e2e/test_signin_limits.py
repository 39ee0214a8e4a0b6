"""Sign-in limits hold across API processes: two `petitions api` processes on one
database, a wrong password sent to each in turn, are refused together at the configured
count, not each at its own."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from domain.actors import Role
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo import DEMO_SEED
from tests.conftest import settings_in
from tests.e2e.conftest import free_port
from tests.e2e.test_operations import status, wait_until
from tests.integration.helpers import cli_env, start_petitions

pytestmark = pytest.mark.integration
LIMIT = 4


@pytest.fixture
def prepared(database: Database, schema: str, tmp_path: Path) -> Iterator[Service]:
    service = bootstrap(settings_in(tmp_path), database=database, schema=schema, seed=DEMO_SEED)
    service.accounts.create(
        username="limit.clerk",
        full_name="Nguyễn Văn Thử",
        role=Role.CLERK,
        organisation=service.tokens.only or "",
        password="the-right-password",
        must_change=False,
    )
    yield service
    service.close()


def sign_in(client: httpx.Client, password: str) -> int:
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text)
    assert csrf is not None
    data = {"csrf": csrf.group(1), "username": "limit.clerk", "password": password}
    return client.post("/signin", data=data).status_code


def test_a_wrong_password_is_limited_across_two_api_processes(
    prepared: Service, database: Database, schema: str, tmp_path: Path
) -> None:
    env = cli_env(tmp_path, database, schema, SIGNIN_MAX_FAILURES=str(LIMIT))
    ports = [free_port(), free_port()]
    began = time.monotonic()
    processes = [start_petitions(env, "api", "--port", str(port)) for port in ports]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, processes, strict=True):
            wait_until(lambda u=url, p=process: status(f"{u}/healthz") == 200 or p.poll(), 60)
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
        up = time.monotonic() - began
        with httpx.Client(base_url=urls[0]) as one, httpx.Client(base_url=urls[1]) as two:
            clients = [one, two]
            statuses = [sign_in(clients[n % 2], "wrong-password") for n in range(3 * LIMIT)]
            right = [sign_in(client, "the-right-password") for client in clients]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
    print(
        f"{3 * LIMIT} wrong passwords, alternately to 2 API processes, SIGNIN_MAX_FAILURES="
        f"{LIMIT}: statuses {statuses}; then the right password to each: {right}"
        f" (the processes answered {up:.1f} s after they were started)"
    )
    assert statuses == [401] * LIMIT + [429] * (2 * LIMIT)  # in total, not per process
    assert right == [429, 429]  # the username waits, whichever process it asks
