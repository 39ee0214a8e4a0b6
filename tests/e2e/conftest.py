"""A live service for end-to-end tests: uvicorn on a loopback port, the projection
workers running, a fresh schema with the demo district's reference data, a token per role."""

from __future__ import annotations

import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx
import psycopg
import pytest
import uvicorn
from psycopg import sql

from api.app import create_app
from domain.actors import Role
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo import DEMO_SEED
from stores.accounts import principal_of
from stores.tokens import Principal
from tests.conftest import SCHEMAS_USED, settings_in
from workers.projection_worker import start_service_runners

DEPARTMENT = "kinh-te-ha-tang"
OTHER_DEPARTMENT = "cong-an"
CELL = "yen-lac-thon3"  # the secretary's party cell, where the e2e petitions are raised
OTHER_CELL = "yen-lac-thon1"


@dataclass
class Live:
    url: str
    service: Service
    # clerk, committee, department, other_department, auditor, admin, secretary
    tokens: dict[str, str]
    # who signs in to the pages: (username, password), made on first use (``account``)
    accounts: dict[str, tuple[str, str]] = field(default_factory=dict)

    def client(self, who: str | None = None, **headers: str) -> httpx.Client:
        if who is not None:
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def account(self, who: str) -> tuple[str, str]:
        """The username and password ``who`` signs in to the pages with: an account of
        the role, department and organisation of ``who``'s token, its password already
        its own (made the first time it is asked for)."""
        if who not in self.accounts:
            principal = self.service.tokens.authenticate(self.tokens[who])
            assert principal is not None, who
            username = f"e2e.{who.replace('_', '-')}.{uuid.uuid4().hex[:6]}"
            password = f"e2e-{uuid.uuid4().hex}"
            self.service.accounts.create(
                username=username,
                full_name=f"Người thử {who}",
                position="Chuyên viên",
                role=principal.role,
                department=principal.department,
                organisation=principal.organisation or "",
                password=password,
                must_change=False,
            )
            self.accounts[who] = (username, password)
        return self.accounts[who]

    def account_principal(self, who: str) -> Principal:
        """The principal of ``who``'s account, as its sessions act for."""
        row = self.service.accounts.by_username(self.account(who)[0])
        assert row is not None
        return principal_of(row)


def web_client(live: Live, who: str, **data: str) -> tuple[httpx.Client, httpx.Response]:
    """A browser-like client that signed in to the pages as ``who`` with username and
    password (``data``: more of the form, such as ``next``), and the sign-in's answer."""
    client = httpx.Client(base_url=live.url, timeout=30)
    form = client.get("/signin").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    username, password = live.account(who)
    answer = client.post(
        "/signin",
        data={"csrf": csrf.group(1), "username": username, "password": password, **data},
    )
    return client, answer


ROLES = {  # who holds a token: its role and department
    "clerk": (Role.CLERK, None),
    "committee": (Role.COMMITTEE, None),
    "department": (Role.DEPARTMENT, DEPARTMENT),
    "other_department": (Role.DEPARTMENT, OTHER_DEPARTMENT),
    "auditor": (Role.AUDITOR, None),
    "admin": (Role.ADMIN, None),
    "secretary": (Role.SECRETARY, CELL),  # a cell's secretary: its cell in the same column
}


def tokens_per_role(service: Service, *who: str) -> dict[str, str]:
    """A new token for each of ``who`` (names of ROLES), named ``e2e <who>``."""
    tokens = {}
    for name in who:
        role, department = ROLES[name]
        tokens[name] = service.tokens.create(role=role, department=department, name=f"e2e {name}")[
            1
        ]
    return tokens


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(service: Service, *, workers: bool = True) -> Iterator[str]:
    """The service's HTTP API (and workers) on a free loopback port, stopped afterwards."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(
                service, background=partial(start_service_runners, service) if workers else None
            ),
            host="127.0.0.1",
            port=port,
            log_config=None,
            access_log=False,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)


def live_service(
    database: Database,
    tmp_path_factory: pytest.TempPathFactory,
    *,
    seed: Path = DEMO_SEED,
    tokens: Callable[[Service], dict[str, str]] | None = None,
    **settings_: object,
) -> Iterator[Live]:
    """A live service on a fresh schema with the reference data of ``seed`` (the demo
    district's) and the ``tokens`` it makes (a token per role); ``settings_`` override."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    SCHEMAS_USED.append(schema)
    settings = settings_in(
        tmp_path_factory.mktemp("live"),
        postgres_pool_size=16,
        **settings_,
    )
    service = bootstrap(settings, database=database, schema=schema, seed=seed)
    made = tokens(service) if tokens is not None else tokens_per_role(service, *ROLES)
    with serving(service) as url:
        yield Live(url, service, made)
    service.close()
    with psycopg.connect(database.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(scope="module")
def clients(live: Live) -> Iterator[dict[str, httpx.Client]]:
    made = {who: live.client(who) for who in live.tokens}
    yield made
    for client in made.values():
        client.close()


@pytest.fixture(scope="module")
def live(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    yield from live_service(database, tmp_path_factory)
