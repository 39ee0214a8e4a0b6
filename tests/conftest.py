"""Shared fixtures. Integration tests run against a real PostgreSQL: the embedded server
(started once per session in a temporary folder) unless TEST_DATABASE_URL names one."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
import pytest
from argon2 import PasswordHasher
from psycopg import sql
from xdist.scheduler import LoadFileScheduling

from service.bootstrap import Service, bootstrap
from service.database import Database, create_database, from_url, start_embedded
from service.demo import DEMO_SEED
from service.logs import configure_logging
from service.settings import Settings
from stores import accounts
from tests import figures

SCHEMAS_USED: list[str] = []

# Every account the suite makes is hashed, and every sign-in verified: argon2id at the
# library's parameters (64 MiB, 3 passes, 4 lanes) takes a core about a tenth of a second
# each, seconds on a loaded machine. In the test processes the hashes stay argon2id
# through the same code (stores.accounts), at the lowest cost; processes the tests start
# (the CLI, `serve`) hash at the library's parameters.
accounts.HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
accounts.UNKNOWN = accounts.HASHER.hash(uuid.uuid4().hex)

# Runner threads outlive the test that started them; keep their progress lines out of the
# report (warnings and errors still show).
configure_logging("console", "WARNING")


@cache
def shared_database() -> Database:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        database = from_url(url)
        create_database(database)
        return database
    folder = Path(tempfile.mkdtemp(prefix="petitions-test-"))
    return start_embedded(folder, dbname="petitions_test")


@cache
def server_version() -> str:
    with psycopg.connect(shared_database().conninfo()) as conn:
        row = conn.execute("SELECT version()").fetchone()
    assert row is not None
    return str(row[0]).split(" on ")[0]


def pytest_report_header(config: pytest.Config) -> str:
    database = shared_database()
    return f"database: {server_version()} — {database.describe()}"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    figures.outcome(report.nodeid, report.when, report.passed)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int) -> None:
    if figures.FIGURES:
        terminalreporter.section("reliability figures")
        for line in figures.lines():
            terminalreporter.write_line(line)
        target = os.environ.get("RELIABILITY_RESULTS")
        if target:
            figures.write(Path(target), int(exitstatus))
            terminalreporter.write_line(f"written to {target}")
    if SCHEMAS_USED:
        terminalreporter.write_line(
            f"integration tests used {len(SCHEMAS_USED)} fresh schemas on {server_version()} "
            f"({shared_database().describe()})"
        )


# The longest files, longest first (measured with --durations; only the order matters).
# ``make test`` hands whole files to its workers (``--dist loadfile``, so a file's live
# server and demo are made once) in collection order: these go first, and the many short
# files fill in around them instead of one long file running alone at the end.
LONGEST_FIRST = (
    "e2e/test_schemathesis.py",  # one test a role (SPREAD), together the longest
    "integration/test_parallel_verify.py",
    "e2e/web/test_web_accessibility.py",
    "integration/test_policy.py",
    "e2e/test_serve.py",
    "integration/test_accounts.py",
    "e2e/test_races.py",
    "e2e/test_operations.py",
    "e2e/web/test_web_files.py",
    "integration/test_unsigned_tail.py",
    "integration/test_projection_workers.py",
    "integration/test_board_and_scorecard_queries.py",
    "integration/test_cli.py",
    "e2e/web/test_web_dates.py",
)


# Files whose tests are each long enough to go to a worker on their own: the other worker
# takes the next one rather than wait for the whole file (its module fixture is then made
# once per worker that runs it).
SPREAD = ("tests/e2e/test_schemathesis.py",)


class WholeFiles(LoadFileScheduling):
    """``--dist loadfile``, but each test of a SPREAD file goes out on its own."""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return nodeid if path in SPREAD else path


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> WholeFiles | None:
    return WholeFiles(config, log) if config.getvalue("dist") == "loadfile" else None


def longest_first(item: pytest.Item) -> int:
    path = str(item.path).replace(os.sep, "/")
    for rank, name in enumerate(LONGEST_FIRST):
        if path.endswith("tests/" + name):
            return rank
    return len(LONGEST_FIRST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.integration)
    items.sort(key=longest_first)  # stable: every other file keeps its place and order


@pytest.fixture(scope="session")
def database() -> Database:
    return shared_database()


def settings_in(data_dir: Path, **overrides: object) -> Settings:
    """A test's settings: nothing from a .env file or DATABASE_URL, the data in ``data_dir``,
    ``overrides`` on top."""
    return Settings(_env_file=None, database_url=None, PETITIONS_DATA_DIR=data_dir, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_in(tmp_path)


@pytest.fixture
def schema(database: Database) -> Iterator[str]:
    """A fresh schema per test, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    SCHEMAS_USED.append(name)
    yield name
    with psycopg.connect(database.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture
def service(database: Database, schema: str, settings: Settings) -> Iterator[Service]:
    """The service on its own schema, with the demo district's reference data."""
    svc = bootstrap(settings, database=database, schema=schema, seed=DEMO_SEED)
    yield svc
    svc.close()
