"""Helpers for integration tests: demo actors, a draft, counting stored events, the command
line run against a test's service."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from psycopg import sql

from domain.actors import Actor, Role
from domain.application import Context, PetitionDraft
from service.bootstrap import Service
from service.database import Database

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


def stored_event_count(service: Service) -> int:
    datastore = service.app.factory.datastore
    table = sql.Identifier(datastore.schema, "petitions_events")
    with datastore.transaction(commit=False) as curs:
        curs.execute(sql.SQL("SELECT count(*) AS n FROM {}").format(table))
        row = curs.fetchone()
    assert row is not None
    return int(row["n"])


def cli_env(data_dir: Path, database: Database | None = None, **extra: str) -> dict[str, str]:
    """The environment of a `petitions` command on ``database`` (None: its embedded
    server in ``data_dir``), with JSON logs and none of this process's database settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "DATABASE_URL"))}
    env.update(PETITIONS_DATA_DIR=str(data_dir), LOG_FORMAT="json", **extra)
    if database is not None:
        env.update(
            POSTGRES_HOST=database.host,
            POSTGRES_PORT=str(database.port),
            POSTGRES_USER=database.user,
            POSTGRES_PASSWORD=database.password,
            POSTGRES_DBNAME=database.dbname,
        )
    return env


def run_cli(service: Service | None, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``petitions ARGS`` in a process of its own, on the service's database and schema
    (none for a command that needs no database; ``env`` adds settings)."""
    if service is not None:
        database = service.database
        env = {
            "POSTGRES_HOST": database.host,
            "POSTGRES_PORT": str(database.port),
            "POSTGRES_USER": database.user,
            "POSTGRES_PASSWORD": database.password,
            "POSTGRES_DBNAME": database.dbname,
            "POSTGRES_SCHEMA": service.app.factory.datastore.schema,
            "PETITIONS_DATA_DIR": str(service.settings.data_dir),
            **env,
        }
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env={"LOG_FORMAT": "json", "PATH": "/usr/bin:/bin", **env},
        text=True,
        capture_output=True,
        timeout=120,
        check=False,
    )
