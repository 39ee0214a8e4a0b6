"""The eventsourcing library's own recorder test cases (``eventsourcing.tests.persistence``),
run against every recorder subclass this project defines, on real PostgreSQL, the way the
library's own PostgreSQL tests subclass them.

* every read model (``projections.base.View`` subclasses, listed in
  ``projections.registry.VIEW_CLASSES``) and the audit chain (``AuditChainView``) are
  tracking recorders: ``TrackingRecorderTestCase``;
* ``stores.outbox.OutboxRecorder`` is the application recorder the service runs on:
  ``ApplicationRecorderTestCase`` (which includes the aggregate recorder's contract),
  built through the library's factory from the service's own settings (no database
  functions, its lock timeout, its pool) with the append-only guard triggers installed.

No class here is a process recorder, so ``ProcessRecorderTestCase`` has no subject; a test
below fails if one appears, or if a new recorder subclass is not covered here.

Each test gets a fresh schema, dropped afterwards.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import uuid
from pathlib import Path
from typing import Any, ClassVar

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import (
    AggregateRecorder,
    ProcessRecorder,
    Recorder,
    TrackingRecorder,
)
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.tests.persistence import (
    ApplicationRecorderTestCase,
    TrackingRecorderTestCase,
)
from eventsourcing.utils import Environment
from psycopg import sql

from audit.chain import AuditChainView
from audit.guards import install_guards
from projections.base import View
from projections.registry import VIEW_CLASSES
from stores.outbox import OutboxRecorder
from tests.conftest import SCHEMAS_USED, settings_in, shared_database
from tests.figures import record


class FreshSchema:
    """setUp/tearDown of a schema of its own and a datastore on it with the service's
    library settings (what ``SetupPostgresDatastore`` does in the library's tests)."""

    schema: str
    datastore: PostgresDatastore
    factory: PostgresFactory

    def setUp(self) -> None:
        database = shared_database()
        self.schema = f"t_{uuid.uuid4().hex[:12]}"
        SCHEMAS_USED.append(self.schema)
        with psycopg.connect(database.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema)))
        settings = settings_in(Path("/nonexistent"))
        env = Environment("Petitions", database.library_env(settings, self.schema))
        self.factory = PostgresFactory(env)
        self.datastore = self.factory.datastore
        super().setUp()  # type: ignore[misc]

    def tearDown(self) -> None:
        super().tearDown()  # type: ignore[misc]
        self.factory.close()
        with psycopg.connect(shared_database().conninfo(), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(self.schema))
            )


class ViewRecorderCase(FreshSchema, TrackingRecorderTestCase):
    __test__ = False  # the base of the classes made below, one per view
    view_class: ClassVar[type[View]]

    def create_recorder(self) -> TrackingRecorder:
        recorder = self.view_class(self.datastore)
        recorder.create_table()
        return recorder


def view_case(cls: type[View]) -> type[ViewRecorderCase]:
    return type(f"Test{cls.__name__}", (ViewRecorderCase,), {"view_class": cls, "__test__": True})


# One TestCase class per view, named after it (pytest collects them from the module).
for _view_class in VIEW_CLASSES:
    globals()[f"Test{_view_class.__name__}"] = view_case(_view_class)


class TestAuditChainView(FreshSchema, TrackingRecorderTestCase):
    def create_recorder(self) -> TrackingRecorder:
        recorder = AuditChainView(
            self.datastore, Ed25519PrivateKey.generate(), key_id="test", checkpoint_every=10
        )
        recorder.create_table()
        return recorder


class TestOutboxRecorder(FreshSchema, ApplicationRecorderTestCase[OutboxRecorder]):
    def create_recorder(self) -> OutboxRecorder:
        recorder = self.factory.application_recorder()
        assert type(recorder) is OutboxRecorder  # the recorder the service is configured with
        recorder.create_table()
        install_guards(shared_database().conninfo(), self.schema)
        return recorder

    def test_the_guards_are_in_place(self) -> None:
        recorder = self.create_recorder()
        with (
            psycopg.connect(shared_database().conninfo(), autocommit=True) as conn,
            conn.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(%s)",
                (f'"{self.schema}"."{recorder.events_table_name}"',),
            ) as cursor,
        ):
            assert cursor.fetchone() == (2,)


# ---- every recorder subclass the project defines is covered -------------------------------


def project_recorder_classes() -> set[type[Any]]:
    found: set[type[Any]] = set()
    for package in (
        "domain",
        "projections",
        "stores",
        "audit",
        "usecases",
        "service",
        "workers",
        "api",
    ):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if info.name in {"cli.main", "api.main"}:  # command line, app factory
                continue
            loaded = importlib.import_module(info.name)
            for _, obj in inspect.getmembers(loaded, inspect.isclass):
                if (
                    issubclass(obj, Recorder)
                    and obj.__module__ == info.name
                    and not inspect.isabstract(obj)
                    and obj is not View  # abstract in spirit: views subclass it
                ):
                    found.add(obj)
    return found


def test_every_recorder_subclass_of_the_project_runs_the_library_cases() -> None:
    covered = {*VIEW_CLASSES, AuditChainView, OutboxRecorder}
    found = project_recorder_classes()
    assert found == covered, f"not covered: {found - covered}; gone: {covered - found}"
    assert not any(issubclass(c, ProcessRecorder) for c in found)  # else add that case too
    for cls in found:  # each runs the case of its kind
        kind = TrackingRecorder if cls in {*VIEW_CLASSES, AuditChainView} else AggregateRecorder
        assert issubclass(cls, kind), cls
    cases = [
        obj
        for name, obj in globals().items()
        if name.startswith("Test") and isinstance(obj, type) and getattr(obj, "__test__", True)
    ]
    library = set(dir(TrackingRecorderTestCase)) | set(dir(ApplicationRecorderTestCase))
    tests = sum(
        1 for case in cases for name in dir(case) if name.startswith("test_") and name in library
    )
    assert len(cases) == len(found)
    record(
        "9 library recorder cases",
        f"{tests} of the library's test cases over {len(found)} recorder classes "
        f"({', '.join(sorted(c.__name__ for c in found))})",
        tests=tests,
        recorder_classes=sorted(c.__name__ for c in found),
    )
