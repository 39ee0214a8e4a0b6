"""Wires settings, database, reference data and the application together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from domain.application import Petitions
from domain.reference import District
from service.database import Database, create_schema, resolve
from service.reference import ReferenceStore
from service.settings import Settings


@dataclass
class Service:
    settings: Settings
    database: Database
    app: Petitions
    reference: ReferenceStore

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
    return Service(settings, database, app, reference)
