"""Reference data in PostgreSQL: zones, communes, party cells, departments, categories.

Loaded from a seed file (the demo district ships in ``service/seed/``); read back as the
domain's ``District`` value object that the command handlers validate against.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from domain.reference import CATEGORIES, Category, Cell, Commune, Department, District, Zone

DEMO_SEED = Path(__file__).parent / "seed" / "demo_district.json"

TABLES: dict[str, str] = {
    "ref_district": "key text PRIMARY KEY, value text NOT NULL",
    "ref_zones": "code text PRIMARY KEY, name text NOT NULL, briefing_day int"
    " CHECK (briefing_day BETWEEN 1 AND 31)",
    "ref_communes": "code text PRIMARY KEY, name text NOT NULL,"
    " zone text NOT NULL REFERENCES {schema}ref_zones(code)",
    "ref_cells": "code text PRIMARY KEY, name text NOT NULL,"
    " commune text NOT NULL REFERENCES {schema}ref_communes(code)",
    "ref_departments": "code text PRIMARY KEY, name text NOT NULL",
    "ref_categories": "code text PRIMARY KEY, label text NOT NULL, label_en text NOT NULL",
}


class ReferenceStore:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.prefix = f"{datastore.schema}." if datastore.schema else ""

    def table(self, name: str) -> sql.Composable:
        if self.datastore.schema:
            return sql.Identifier(self.datastore.schema, name)
        return sql.Identifier(name)

    def create_tables(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            for name, columns in TABLES.items():
                curs.execute(
                    sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(
                        self.table(name), sql.SQL(columns.format(schema=self.prefix))
                    )
                )

    def load_seed(self, path: Path = DEMO_SEED) -> None:
        """Insert or update everything in the seed file, in one transaction."""
        seed: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        rows: dict[str, list[tuple[Any, ...]]] = {
            "ref_district": [
                ("name", seed["district"]),
                ("answer_period_days", str(seed.get("answer_period_days", 30))),
            ],
            "ref_zones": [(z["code"], z["name"], z.get("briefing_day")) for z in seed["zones"]],
            "ref_communes": [(c["code"], c["name"], c["zone"]) for c in seed["communes"]],
            "ref_cells": [(c["code"], c["name"], c["commune"]) for c in seed["cells"]],
            "ref_departments": [(d["code"], d["name"]) for d in seed["departments"]],
            "ref_categories": [(c.code, c.label, c.label_en) for c in CATEGORIES],
        }
        with self.datastore.transaction(commit=True) as curs:
            for name, values in rows.items():
                width = len(values[0])
                columns = self.columns(name)[:width]
                statement = sql.SQL(
                    "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}"
                ).format(
                    self.table(name),
                    sql.SQL(", ").join(map(sql.Identifier, columns)),
                    sql.SQL(", ").join(sql.Placeholder() * width),
                    sql.Identifier(columns[0]),
                    sql.SQL(", ").join(
                        sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in columns[1:]
                    ),
                )
                curs.executemany(statement, values)

    @staticmethod
    def columns(name: str) -> list[str]:
        return [
            part.split()[0] for part in TABLES[name].split(",") if not part.strip()[0].isupper()
        ]

    def is_empty(self) -> bool:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(sql.SQL("SELECT count(*) AS n FROM {}").format(self.table("ref_cells")))
            row = curs.fetchone()
            return row is None or row["n"] == 0

    def load_district(self) -> District:
        def select(name: str) -> list[dict[str, Any]]:
            curs.execute(sql.SQL("SELECT * FROM {} ORDER BY 1").format(self.table(name)))
            return list(curs.fetchall())

        with self.datastore.transaction(commit=False) as curs:
            settings = {r["key"]: r["value"] for r in select("ref_district")}
            return District(
                name=settings.get("name", ""),
                zones={
                    r["code"]: Zone(r["code"], r["name"], r["briefing_day"])
                    for r in select("ref_zones")
                },
                communes={
                    r["code"]: Commune(r["code"], r["name"], r["zone"])
                    for r in select("ref_communes")
                },
                cells={
                    r["code"]: Cell(r["code"], r["name"], r["commune"]) for r in select("ref_cells")
                },
                departments={
                    r["code"]: Department(r["code"], r["name"]) for r in select("ref_departments")
                },
                categories={
                    r["code"]: Category(r["code"], r["label"], r["label_en"])
                    for r in select("ref_categories")
                }
                or {c.code: c for c in CATEGORIES},
                answer_period_days=int(settings.get("answer_period_days", 30)),
            )
