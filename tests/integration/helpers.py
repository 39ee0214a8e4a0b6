"""Helpers for integration tests: demo actors, a draft, a petition assigned and answered,
counting stored events, a database of a test's own, the command line run against a test's
service or database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from uuid import UUID

from psycopg import sql

from domain.actors import Actor, Role
from service.bootstrap import Service
from service.database import Database, create_database
from usecases.commands import Context, PetitionDraft, Written
from usecases.petitions import Petitions

CLERK = Context(Actor("clerk-1", Role.CLERK), request_id="req-clerk")
COMMITTEE = Context(Actor("committee-1", Role.COMMITTEE), request_id="req-committee")
AUDITOR = Context(Actor("auditor-1", Role.AUDITOR))
INFRA = Context(Actor("infra-head", Role.DEPARTMENT, "kinh-te-ha-tang"), request_id="req-infra")
POLICE = Context(Actor("police-head", Role.DEPARTMENT, "cong-an"))
SYSTEM = Context(Actor("policy-worker", Role.SYSTEM))


def department_context(department: str) -> Context:
    return Context(Actor(f"{department}-head", Role.DEPARTMENT, department))


def draft(**overrides: object) -> PetitionDraft:
    fields: dict[str, object] = dict(
        kind="reflection",
        category="services",
        summary="Đường ống nước sạch bị vỡ",
        text="Đường ống nước sạch thôn 3 bị vỡ, 40 hộ thiếu nước sinh hoạt.",
        cell="yen-lac-thon3",
        raised_by="Nguyễn Văn Hùng",
        channel="meeting",
        raised_on=date(2026, 3, 3),
        meeting="giao-ban-khu-1-2026-03-03",
    )
    fields.update(overrides)
    return PetitionDraft(**fields)  # type: ignore[arg-type]


def assigned_to_infra(app: Petitions, on: date = date(2026, 3, 5), **overrides: object) -> Written:
    """A petition drafted with ``overrides``, raised by the clerk and assigned by the
    committee to the infrastructure office on ``on``."""
    pid = app.raise_petition(draft(**overrides), CLERK).id
    return app.assign(pid, COMMITTEE, department="kinh-te-ha-tang", on=on)


def write_answer(
    app: Petitions, pid: UUID, on: date, by: Context = INFRA, **letter: object
) -> Written:
    """``by``'s written answer to ``pid``, dated and recorded ``on``: a letter numbered
    1/CV signed by the head of the office unless ``letter`` says otherwise."""
    fields: dict[str, object] = dict(
        text="Đã sửa.", document_number="1/CV", document_date=on, signer="TP"
    )
    fields.update(letter)
    return app.answer_in_writing(pid, by, on=on, **fields)  # type: ignore[arg-type]


def stored_event_count(service: Service) -> int:
    datastore = service.app.datastore
    table = sql.Identifier(datastore.schema, "petitions_events")
    with datastore.transaction(commit=False) as curs:
        curs.execute(sql.SQL("SELECT count(*) AS n FROM {}").format(table))
        row = curs.fetchone()
    assert row is not None
    return int(row["n"])


def wait_for(condition: Callable[[], object], timeout: float = 10.0, every: float = 0.05) -> float:
    """Seconds until ``condition()`` holds, looking every ``every`` seconds; an
    AssertionError once ``timeout`` has passed."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError("condition not met in time")
        time.sleep(every)
    return time.monotonic() - started


def own_database(database: Database, prefix: str) -> Database:
    """A new, empty database named ``prefix_…`` on ``database``'s server."""
    created = replace(database, dbname=f"{prefix}_{uuid.uuid4().hex[:8]}")
    create_database(created)
    return created


def postgres_env(database: Database, schema: str | None = None) -> dict[str, str]:
    """The settings that point a `petitions` command at ``database`` (and ``schema``)."""
    env = {
        "POSTGRES_HOST": database.host,
        "POSTGRES_PORT": str(database.port),
        "POSTGRES_USER": database.user,
        "POSTGRES_PASSWORD": database.password,
        "POSTGRES_DBNAME": database.dbname,
    }
    if schema is not None:
        env["POSTGRES_SCHEMA"] = schema
    return env


def cli_env(
    data_dir: Path, database: Database | None = None, schema: str | None = None, **extra: str
) -> dict[str, str]:
    """The environment of a `petitions` command on ``database`` and ``schema`` (None: its
    embedded server in ``data_dir``), with JSON logs and none of this process's database
    settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "DATABASE_URL"))}
    env.update(PETITIONS_DATA_DIR=str(data_dir), LOG_FORMAT="json", **extra)
    if database is not None:
        env.update(postgres_env(database, schema))
    return env


PETITIONS = (sys.executable, "-m", "cli.main")  # the `petitions` command of this checkout


def run_petitions(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``petitions ARGS`` in a process of its own, run to its end, its output captured."""
    return subprocess.run(
        [*PETITIONS, *args], env=env, text=True, capture_output=True, timeout=timeout, check=False
    )


def start_petitions(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """``petitions ARGS`` started in a process of its own, its output in pipes."""
    return subprocess.Popen(
        [*PETITIONS, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def run_cli(service: Service | None, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``petitions ARGS`` in a process of its own, on the service's database and schema
    (none for a command that needs no database; ``env`` adds settings)."""
    if service is not None:
        env = {
            **postgres_env(service.database, service.app.datastore.schema),
            "PETITIONS_DATA_DIR": str(service.settings.data_dir),
            **env,
        }
    return run_petitions({"LOG_FORMAT": "json", "PATH": "/usr/bin:/bin", **env}, *args)


def add_province_department(service: Service, code: str, name: str) -> Context:
    """A department of the province (the one-district demo's province has none), loaded
    into the running application; the context of its head."""
    datastore = service.app.datastore
    province = service.app.province.code
    with datastore.transaction(commit=True) as curs:
        curs.execute(
            sql.SQL("INSERT INTO {} (code, name, organisation) VALUES (%s, %s, %s)").format(
                sql.Identifier(datastore.schema, "ref_departments")
            ),
            (code, name, province),
        )
    service.app.province = service.reference.load_province()
    return Context(Actor(f"{code}-head", Role.DEPARTMENT, code, organisation=province))
