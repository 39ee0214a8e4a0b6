"""Reference data in PostgreSQL: zones and their briefing calendars, communes, party cells,
departments, categories.

Loaded from a seed file (the demo district ships in ``service/seed/``); read back as the
domain's ``District`` value object that the command handlers validate against. Working
days skip weekends and Vietnam's public holidays (Tết included) from the ``holidays``
package.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import holidays
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from domain.calendar import BriefingCalendar, BriefingRule, WorkingDays
from domain.reference import CATEGORIES, Category, Cell, Commune, Department, District, Zone

# table -> (columns with their types, the conflict key, further constraints)
SCHEMA: dict[str, tuple[list[str], list[str], str]] = {
    "ref_district": (["key text", "value text NOT NULL"], ["key"], ""),
    "ref_zones": (["code text", "name text NOT NULL", "briefing_rule text"], ["code"], ""),
    "ref_briefing_exceptions": (
        [
            "zone text NOT NULL REFERENCES {schema}ref_zones(code)",
            "scheduled date NOT NULL",
            "held_on date",
        ],
        ["zone", "scheduled"],
        "",
    ),
    "ref_communes": (
        [
            "code text",
            "name text NOT NULL",
            "zone text NOT NULL REFERENCES {schema}ref_zones(code)",
        ],
        ["code"],
        "",
    ),
    "ref_cells": (
        [
            "code text",
            "name text NOT NULL",
            "commune text NOT NULL REFERENCES {schema}ref_communes(code)",
        ],
        ["code"],
        "",
    ),
    "ref_departments": (["code text", "name text NOT NULL"], ["code"], ""),
    "ref_categories": (
        ["code text", "label text NOT NULL", "label_en text NOT NULL"],
        ["code"],
        "",
    ),
}
TABLES = list(SCHEMA)


def columns(table: str) -> list[str]:
    return [column.split()[0] for column in SCHEMA[table][0]]


class VietnameseHolidays:
    """Vietnam's public holidays, from the maintained ``holidays`` package."""

    def __init__(self) -> None:
        self.calendar = holidays.country_holidays("VN")

    def __call__(self, day: date) -> bool:
        return day in self.calendar

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VietnameseHolidays)

    def __hash__(self) -> int:
        return hash(VietnameseHolidays)


class ReferenceStore:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.prefix = f'"{datastore.schema}".'

    def table(self, name: str) -> sql.Composable:
        return sql.Identifier(self.datastore.schema, name)

    def create_tables(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            for name, (cols, key, _) in SCHEMA.items():
                definition = ", ".join(cols) + f", PRIMARY KEY ({', '.join(key)})"
                curs.execute(
                    sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(
                        self.table(name), sql.SQL(definition.format(schema=self.prefix))
                    )
                )
            self.upgrade(curs)

    def upgrade(self, curs: Any) -> None:
        """Stores made before briefing rules kept a day of the month: carry it over."""
        curs.execute(
            sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS briefing_rule text").format(
                self.table("ref_zones")
            )
        )
        curs.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = %s"
            " AND table_name = 'ref_zones' AND column_name = 'briefing_day'",
            (self.datastore.schema,),
        )
        if curs.fetchone():
            curs.execute(
                sql.SQL(
                    "UPDATE {} SET briefing_rule = 'day:' || briefing_day"
                    " WHERE briefing_rule IS NULL AND briefing_day IS NOT NULL"
                ).format(self.table("ref_zones"))
            )

    def load_seed(self, path: Path) -> None:
        """Insert or update everything in the seed file, in one transaction."""
        seed: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        rows: dict[str, list[tuple[Any, ...]]] = {
            "ref_district": [
                ("name", seed["district"]),
                ("answer_period_days", str(seed.get("answer_period_days", 30))),
            ],
            "ref_zones": [
                (
                    z["code"],
                    z["name"],
                    str(BriefingRule.parse(z["briefing_rule"])) if z.get("briefing_rule") else None,
                )
                for z in seed["zones"]
            ],
            "ref_briefing_exceptions": [
                (
                    z["code"],
                    date.fromisoformat(e["scheduled"]),
                    date.fromisoformat(e["held_on"]) if e.get("held_on") else None,
                )
                for z in seed["zones"]
                for e in z.get("exceptions", [])
            ],
            "ref_communes": [(c["code"], c["name"], c["zone"]) for c in seed["communes"]],
            "ref_cells": [(c["code"], c["name"], c["commune"]) for c in seed["cells"]],
            "ref_departments": [(d["code"], d["name"]) for d in seed["departments"]],
            "ref_categories": [(c.code, c.label, c.label_en) for c in CATEGORIES],
        }
        with self.datastore.transaction(commit=True) as curs:
            for name, values in rows.items():
                if values:
                    curs.executemany(self.upsert(name), values)

    def upsert(self, name: str) -> sql.Composed:
        cols, key = columns(name), SCHEMA[name][1]
        others = [c for c in cols if c not in key]
        return sql.SQL("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO {}").format(
            self.table(name),
            sql.SQL(", ").join(map(sql.Identifier, cols)),
            sql.SQL(", ").join(sql.Placeholder() * len(cols)),
            sql.SQL(", ").join(map(sql.Identifier, key)),
            sql.SQL("UPDATE SET ")
            + sql.SQL(", ").join(
                sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in others
            )
            if others
            else sql.SQL("NOTHING"),
        )

    def is_empty(self) -> bool:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(sql.SQL("SELECT count(*) AS n FROM {}").format(self.table("ref_cells")))
            row = curs.fetchone()
            return row is None or row["n"] == 0

    def load_district(self, *, min_working_days: int = 5) -> District:
        def select(name: str) -> list[dict[str, Any]]:
            curs.execute(sql.SQL("SELECT * FROM {} ORDER BY 1, 2").format(self.table(name)))
            return list(curs.fetchall())

        with self.datastore.transaction(commit=False) as curs:
            settings = {r["key"]: r["value"] for r in select("ref_district")}
            moved: dict[str, dict[date, date]] = defaultdict(dict)
            cancelled: dict[str, set[date]] = defaultdict(set)
            for r in select("ref_briefing_exceptions"):
                if r["held_on"] is None:
                    cancelled[r["zone"]].add(r["scheduled"])
                else:
                    moved[r["zone"]][r["scheduled"]] = r["held_on"]
            zones = {
                r["code"]: Zone(
                    r["code"],
                    r["name"],
                    BriefingCalendar(
                        BriefingRule.parse(r["briefing_rule"]),
                        moved=dict(moved[r["code"]]),
                        cancelled=frozenset(cancelled[r["code"]]),
                    )
                    if r["briefing_rule"]
                    else None,
                )
                for r in select("ref_zones")
            }
            return District(
                name=settings.get("name", ""),
                zones=zones,
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
                min_working_days=min_working_days,
                working_days=WorkingDays(VietnameseHolidays()),
            )
