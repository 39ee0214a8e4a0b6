"""Wires settings, database, reference data and the application together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment

from domain.application import Petitions
from domain.reference import District
from projections.base import View
from projections.registry import views
from service.database import Database, create_schema, resolve
from service.reference import ReferenceStore
from service.settings import Settings


@dataclass
class Service:
    settings: Settings
    database: Database
    app: Petitions
    reference: ReferenceStore
    views: dict[str, View]

    @property
    def conninfo(self) -> str:
        return self.database.conninfo()

    def datastore_for(self, schema: str) -> PostgresDatastore:
        """A connection pool on another schema of the same database (scratch rebuilds)."""
        env = Environment(self.app.name, self.database.library_env(self.settings, schema))
        return PostgresFactory(env).datastore

    def close(self) -> None:
        self.app.close()


def bootstrap(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    schema: str | None = None,
    seed: Path | None = None,
) -> Service:
    """Connect, create what is missing, load reference data (seeding an empty store
    from ``seed`` if given) and return the running parts."""
    settings = settings or Settings()
    database = database or resolve(settings)
    schema = schema or settings.postgres_schema or None
    if schema:
        create_schema(database, schema)
    empty = District(
        name="",
        zones={},
        communes={},
        cells={},
        departments={},
        answer_period_days=settings.answer_period_days,
    )
    app = Petitions(empty, env=database.library_env(settings, schema))
    reference = ReferenceStore(app.factory.datastore)
    reference.create_tables()
    if seed is not None and reference.is_empty():
        reference.load_seed(seed)
    app.district = reference.load_district()
    return Service(settings, database, app, reference, views(app.factory.datastore))
