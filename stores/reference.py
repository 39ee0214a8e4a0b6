"""Reference data in PostgreSQL: the province and its organisations, and each one's zones
and their briefing calendars, communes, party cells, departments; the categories.

Loaded from a seed file (``stores.province_seed`` validates it whole first; the demo
province ships in ``service/seed/``); read back as the domain's ``Province`` with each
organisation's ``District`` of reference data, which the command handlers validate
against. A store made before organisations is upgraded in place: its one district becomes
the founding organisation. Working days skip weekends and Vietnam's public holidays (Tết
included) from the ``holidays`` package.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import holidays
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from domain.calendar import WorkingDays
from domain.cell_calendar import BRIEFING
from domain.clearance import clearance_of
from domain.organisations import Level, Organisation
from domain.reference import (
    CATEGORIES,
    Category,
    Cell,
    Commune,
    Department,
    District,
    Former,
    Province,
    Zone,
    single,
)
from stores import province_seed
from stores.cell_calendars import Exceptions, cell_calendars
from stores.province_seed import LEGACY, LegacyNames

# table -> (columns with their types, the conflict key, further constraints)
SCHEMA: dict[str, tuple[list[str], list[str], str]] = {
    "ref_district": (["key text", "value text NOT NULL"], ["key"], ""),
    "ref_organisations": (
        [
            "code text",
            "name text NOT NULL",
            "level text NOT NULL",
            "parent text",
            "active_from date NOT NULL",
            "active_until date",
            "answer_period_days int NOT NULL",
            "cell_meeting_rule text",
            "due_after text",
        ],
        ["code"],
        "",
    ),
    "ref_zones": (
        ["code text", "name text NOT NULL", "briefing_rule text", "organisation text"],
        ["code"],
        "",
    ),
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
            "zone text REFERENCES {schema}ref_zones(code)",
            "organisation text",
            "cell_meeting_rule text",
        ],
        ["code"],
        "",
    ),
    "ref_cells": (
        [
            "code text",
            "name text NOT NULL",
            "commune text NOT NULL REFERENCES {schema}ref_communes(code)",
            "zone text",
            "organisation text",
            "cell_meeting_rule text",
        ],
        ["code"],
        "",
    ),
    # a cell meeting moved or cancelled, of the calendar of ``code`` (an organisation's,
    # a commune's or a cell's: codes are unique in the deployment)
    "ref_cell_meeting_exceptions": (
        ["code text", "scheduled date NOT NULL", "held_on date", "organisation text NOT NULL"],
        ["code", "scheduled"],
        "",
    ),
    "ref_departments": (["code text", "name text NOT NULL", "organisation text"], ["code"], ""),
    "ref_categories": (
        ["code text", "label text NOT NULL", "label_en text NOT NULL"],
        ["code"],
        "",
    ),
    # each organisation's default department of a category (one of its own departments)
    "ref_category_departments": (
        ["organisation text", "category text", "department text NOT NULL"],
        ["organisation", "category"],
        "",
    ),
    # the names a cell or department bore before a rename: ``name`` until ``until``
    "ref_former_names": (
        ["kind text", "code text", "until date", "name text NOT NULL"],
        ["kind", "code", "until"],
        "",
    ),
    # every change made on the administration pages: who, when, what (``stores.reference_changes``)
    "ref_changes": (
        [
            "id bigint GENERATED ALWAYS AS IDENTITY",
            "at timestamptz NOT NULL DEFAULT now()",
            "organisation text NOT NULL",
            "kind text NOT NULL",
            "code text NOT NULL",
            "action text NOT NULL",
            "effective date",
            "details jsonb NOT NULL",
            "actor text NOT NULL",
            "actor_name text NOT NULL",
            "actor_role text NOT NULL",
        ],
        ["id"],
        "",
    ),
}
# Columns only the administration pages set, which a seed loaded again keeps as they are.
ADMINISTERED_COLUMNS = [
    ("ref_cells", "retired_on date"),
    ("ref_departments", "retired_on date"),
    ("ref_organisations", "clearance text"),  # who clears its written answers
]
TABLES = list(SCHEMA)
# The columns a store made before the cells' calendars lacks.
CALENDAR_COLUMNS = [
    ("ref_organisations", "cell_meeting_rule text"),
    ("ref_organisations", "due_after text"),
    ("ref_communes", "cell_meeting_rule text"),
    ("ref_cells", "cell_meeting_rule text"),
]
# The columns a store made before organisations lacks.
ORGANISATION_COLUMNS = [
    ("ref_zones", "organisation"),
    ("ref_communes", "organisation"),
    ("ref_cells", "organisation"),
    ("ref_cells", "zone"),
    ("ref_departments", "organisation"),
]
OLDEST = date(1900, 1, 1)  # when an organisation of a store made before them began


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
    def __init__(self, datastore: PostgresDatastore, legacy: LegacyNames = LEGACY) -> None:
        self.datastore = datastore
        self.prefix = f'"{datastore.schema}".'
        self.legacy = legacy

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
        """Stores made before briefing rules kept a day of the month: carry it over; the
        columns of retirement and of the cells' calendars, added where missing."""
        for table, column in ADMINISTERED_COLUMNS + CALENDAR_COLUMNS:
            curs.execute(
                sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {}").format(
                    self.table(table), sql.SQL(column)
                )
            )
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
        self.adopt(curs)

    def adopt(self, curs: Any) -> None:
        """Stores made before organisations: the columns added, and their one district
        made the founding organisation (``legacy`` names it and its province), owning
        every zone, commune, cell and department."""
        for table, column in ORGANISATION_COLUMNS:
            curs.execute(
                sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} text").format(
                    self.table(table), sql.Identifier(column)
                )
            )
        curs.execute(
            sql.SQL("ALTER TABLE {} ALTER COLUMN zone DROP NOT NULL").format(
                self.table("ref_communes")
            )
        )
        curs.execute(
            sql.SQL("SELECT count(*) AS n FROM {}").format(self.table("ref_organisations"))
        )
        row = curs.fetchone()
        if row["n"] or self.is_empty(curs):
            return
        legacy = self.legacy
        curs.execute(sql.SQL("SELECT key, value FROM {}").format(self.table("ref_district")))
        settings = {r["key"]: r["value"] for r in curs.fetchall()}
        period = int(settings.get("answer_period_days", 30))
        curs.executemany(
            self.upsert("ref_organisations"),
            [
                (
                    legacy.province_code,
                    legacy.province_name,
                    "province",
                    None,
                    OLDEST,
                    None,
                    period,
                    None,
                    None,
                ),
                (
                    legacy.founding,
                    settings.get("name", legacy.founding),
                    "district",
                    legacy.province_code,
                    OLDEST,
                    None,
                    period,
                    None,
                    None,
                ),
            ],
        )
        for table in ("ref_zones", "ref_communes", "ref_cells", "ref_departments"):
            curs.execute(
                sql.SQL("UPDATE {} SET organisation = %s WHERE organisation IS NULL").format(
                    self.table(table)
                ),
                (legacy.founding,),
            )
        curs.execute(
            sql.SQL(
                "UPDATE {cells} c SET zone = m.zone FROM {communes} m"
                " WHERE c.commune = m.code AND c.zone IS NULL"
            ).format(cells=self.table("ref_cells"), communes=self.table("ref_communes"))
        )
        curs.execute(self.upsert("ref_district"), ("founding_organisation", legacy.founding))

    def load_seed(self, path: Path) -> None:
        """Insert or update everything in the seed file, in one transaction, once the
        whole file is found valid (``SeedError`` otherwise, and nothing is changed): a
        code the store holds for another organisation is a fault too."""
        seed = province_seed.parse(path, self.legacy)
        rows = province_seed.rows(seed)
        with self.datastore.transaction(commit=True) as curs:
            moved = self.moved_codes(curs, rows)
            if moved:
                raise province_seed.SeedError(moved)
            for name, values in rows.items():
                if values:
                    curs.executemany(self.upsert(name), values)

    def moved_codes(self, curs: Any, rows: province_seed.Rows) -> list[str]:
        """Codes the seed gives to another organisation than the store does."""
        faults = []
        for table in ("ref_zones", "ref_communes", "ref_cells", "ref_departments"):
            at = columns(table).index("organisation")
            owner = {r[0]: r[at] for r in rows[table]}
            if not owner:
                continue
            curs.execute(
                sql.SQL("SELECT code, organisation FROM {} WHERE code = ANY(%s)").format(
                    self.table(table)
                ),
                (list(owner),),
            )
            faults += [
                f"{r['code']} belongs to {r['organisation']}, not {owner[r['code']]}"
                for r in curs.fetchall()
                if r["organisation"] != owner[r["code"]]
            ]
        return faults

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

    def revision(self) -> int:
        """How many changes the administration pages have made (``ref_changes``): a
        process whose reference data is of another revision reads it again."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT coalesce(max(id), 0) AS n FROM {}").format(
                    self.table("ref_changes")
                )
            )
            row = curs.fetchone()
        return int(row["n"]) if row else 0

    def is_empty(self, curs: Any = None) -> bool:
        if curs is None:
            with self.datastore.transaction(commit=False) as curs:
                return self.is_empty(curs)
        curs.execute(sql.SQL("SELECT count(*) AS n FROM {}").format(self.table("ref_cells")))
        row = curs.fetchone()
        return row is None or row["n"] == 0

    def load_province(self, *, min_working_days: int = 5) -> Province:
        """Every organisation with its reference data (a store with none yet: the
        province of ``legacy`` with its one district, empty)."""

        def select(name: str) -> list[dict[str, Any]]:
            curs.execute(sql.SQL("SELECT * FROM {} ORDER BY 1, 2").format(self.table(name)))
            return list(curs.fetchall())

        with self.datastore.transaction(commit=False) as curs:
            settings = {r["key"]: r["value"] for r in select("ref_district")}
            organisations = {
                r["code"]: Organisation(
                    r["code"],
                    r["name"],
                    Level(r["level"]),
                    r["parent"],
                    r["active_from"],
                    r["active_until"],
                )
                for r in select("ref_organisations")
            }
            rows = {r["code"]: r for r in select("ref_organisations")}
            periods = {code: r["answer_period_days"] for code, r in rows.items()}
            cell_exceptions = select("ref_cell_meeting_exceptions")
            briefing_exceptions = Exceptions.of(select("ref_briefing_exceptions"), "zone")
            by_owner: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
                lambda: defaultdict(list)
            )
            for table in ("ref_zones", "ref_communes", "ref_cells", "ref_departments"):
                for r in select(table):
                    by_owner[r["organisation"]][table].append(r)
            categories = {
                r["code"]: Category(r["code"], r["label"], r["label_en"])
                for r in select("ref_categories")
            } or {c.code: c for c in CATEGORIES}
            former: dict[tuple[str, str], list[Former]] = defaultdict(list)
            for r in select("ref_former_names"):
                former[r["kind"], r["code"]].append(Former(r["name"], r["until"]))
            for names in former.values():
                names.sort(key=lambda f: f.until)  # oldest first
            defaults: dict[str, dict[str, str]] = defaultdict(dict)
            for r in select("ref_category_departments"):
                defaults[r["organisation"]][r["category"]] = r["department"]
        if not organisations:
            legacy = self.legacy
            return single(
                District("", {}, {}, {}, {}, organisation=legacy.founding),
                province_code=legacy.province_code,
                province_name=legacy.province_name,
            )
        working_days = WorkingDays(VietnameseHolidays())

        province_code = next(c for c, o in organisations.items() if o.level is Level.PROVINCE)
        cells_calendars = cell_calendars(province_code, rows, cell_exceptions, by_owner)

        def over_time(kind: str, r: dict[str, Any]) -> dict[str, Any]:
            """A cell's or department's names of before and its retirement."""
            return {"former": tuple(former[kind, r["code"]]), "retired_on": r["retired_on"]}

        def reference(code: str) -> District:
            owned = by_owner[code]
            return District(
                name=organisations[code].name,
                zones={
                    r["code"]: Zone(
                        r["code"],
                        r["name"],
                        briefing_exceptions.calendar(r["code"], r["briefing_rule"]),
                    )
                    for r in owned["ref_zones"]
                },
                communes={
                    r["code"]: Commune(r["code"], r["name"], r["zone"])
                    for r in owned["ref_communes"]
                },
                cells={
                    r["code"]: Cell(
                        r["code"], r["name"], r["commune"], r["zone"], **over_time("cell", r)
                    )
                    for r in owned["ref_cells"]
                },
                departments={
                    r["code"]: Department(r["code"], r["name"], **over_time("department", r))
                    for r in owned["ref_departments"]
                },
                categories={
                    c: replace(category, department=defaults[code].get(c))
                    for c, category in categories.items()
                },
                answer_period_days=periods[code],
                min_working_days=min_working_days,
                working_days=working_days,
                organisation=code,
                cell_meetings=cells_calendars[code],
                due_after=rows[code]["due_after"] or BRIEFING,
                clearance=clearance_of(rows[code].get("clearance")),
            )

        return Province(
            province_code,
            organisations,
            {code: reference(code) for code in organisations},
            founding=settings.get("founding_organisation"),
        )
