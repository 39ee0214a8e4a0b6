"""Category statistics per year or period (and zone): count, share of the total to one
decimal (rounded half up), and the change against the year before (the previous year, or
the same dates a year earlier).

A petition counts on the day of its raising; one merged into another is a duplicate and
is not counted. With each petition counted, the other party cells that co-signed it
(``Cosigned``, whenever recorded): the cells that raised a category's matters beside the
petitions themselves.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import psycopg
from psycopg import sql

from domain.petition import Petition
from domain.reference import CATEGORIES
from projections.base import Organisations, Row, View, organisation_codes


def share(count: int, total: int) -> float:
    """Percentage of the total, rounded half up to one decimal (28.45 -> 28.5)."""
    if not total:
        return 0.0
    exact = Decimal(count) * 100 / Decimal(total)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def a_year_before(day: date) -> date:
    """The same date a year earlier (29 February's is 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


class CategoryView(View):
    name = "categories"
    revision = 2  # 2: the co-signing cells
    tables = {
        "category_petitions": """
            petition_id uuid PRIMARY KEY, organisation text NOT NULL, year int NOT NULL,
            raised_on date NOT NULL, category text NOT NULL, zone text NOT NULL,
            merged boolean NOT NULL, cosigners int NOT NULL DEFAULT 0""",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS category_petitions_year ON {category_petitions}"
        " (year, zone, category)",
        "CREATE INDEX IF NOT EXISTS category_petitions_organisation ON {category_petitions}"
        " (organisation, year, zone, category)",
        "CREATE INDEX IF NOT EXISTS category_petitions_raised ON {category_petitions}"
        " (raised_on, zone, category)",
        "CREATE INDEX IF NOT EXISTS category_petitions_organisation_raised"
        " ON {category_petitions} (organisation, raised_on, zone, category)",
    )

    # A petition counts from its raising; a merge makes it a duplicate, until the committee
    # undoes it (a reopening, of whatever ending: no other is counted); a co-signing cell
    # counts with it; nothing else counts.
    handles = frozenset(
        {Petition.Raised, Petition.MergedInto, Petition.Reinstated, Petition.Cosigned}
    )

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        rows: dict[Any, Row] = {}
        changes = [
            (e.originator_id, isinstance(e, Petition.MergedInto))
            for e in events
            if isinstance(e, Petition.MergedInto | Petition.Reinstated)
        ]
        cosigned = [e.originator_id for e in events if isinstance(e, Petition.Cosigned)]
        merged = [pid for pid, _ in changes]
        for e in events:
            if isinstance(e, Petition.Raised):
                rows[e.originator_id] = {
                    "petition_id": e.originator_id,
                    "organisation": e.organisation,
                    "year": e.business_date.year,
                    "raised_on": e.business_date,
                    "category": e.category,
                    "zone": e.zone,
                    "merged": False,
                    "cosigners": 0,
                }
        later = set(merged + cosigned) - set(rows)
        for row in self.select_rows(curs, "category_petitions", later):
            rows[row["petition_id"]] = row
        for pid, is_merged in changes:
            rows[pid]["merged"] = is_merged
        for pid in cosigned:
            rows[pid]["cosigners"] += 1
        self.upsert_rows(curs, "category_petitions", list(rows.values()), ["petition_id"])

    def report(
        self, year: int, zone: str | None = None, *, organisations: Organisations = None
    ) -> Row:
        """The annual table per category for ``year`` against the year before (optionally
        one zone; the petitions of ``organisations``, None: every one)."""
        counted = self.counted(
            sql.SQL("year = %(year)s"),
            sql.SQL("year = %(previous)s"),
            sql.SQL("year IN (%(year)s, %(previous)s)"),
            {"year": year, "previous": year - 1},
            zone,
            organisations,
        )
        return {"year": year, "zone": zone, **counted}

    def period_report(
        self,
        start: date,
        end: date,
        zone: str | None = None,
        *,
        organisations: Organisations = None,
    ) -> Row:
        """The table per category for petitions raised ``start`` to ``end`` inclusive,
        against those raised on the same dates a year earlier (``previous_from`` to
        ``previous_to``); otherwise as ``report``. A period longer than a year overlaps
        the one it is compared with: a petition in both counts in both."""
        if start > end:
            raise ValueError(f"the period starts ({start}) after it ends ({end})")
        previous_start, previous_end = a_year_before(start), a_year_before(end)
        counted = self.counted(
            sql.SQL("raised_on BETWEEN %(start)s AND %(end)s"),
            sql.SQL("raised_on BETWEEN %(previous_start)s AND %(previous_end)s"),
            sql.SQL("raised_on BETWEEN %(previous_start)s AND %(end)s"),
            {
                "start": start,
                "end": end,
                "previous_start": previous_start,
                "previous_end": previous_end,
            },
            zone,
            organisations,
        )
        return {
            "from": start,
            "to": end,
            "previous_from": previous_start,
            "previous_to": previous_end,
            "zone": zone,
            **counted,
        }

    def counted(
        self,
        current: sql.Composable,
        previous: sql.Composable,
        either: sql.Composable,
        params: dict[str, Any],
        zone: str | None,
        organisations: Organisations,
    ) -> Row:
        """The counts, shares and changes per category of the rows ``current`` selects
        against those ``previous`` selects (``either``: the rows of one or the other)."""
        statement = sql.SQL(
            "SELECT category, count(*) FILTER (WHERE {current}) AS n,"
            " count(*) FILTER (WHERE {previous}) AS previous,"
            " coalesce(sum(cosigners) FILTER (WHERE {current}), 0) AS cosigning"
            " FROM {table} WHERE NOT merged AND {either}"
            " AND (%(zone)s::text IS NULL OR zone = %(zone)s) AND {organisations}"
            " GROUP BY category"
        ).format(
            current=current,
            previous=previous,
            either=either,
            table=self.table("category_petitions"),
            organisations=sql.SQL("organisation = ANY(%(organisations)s::text[])")
            if organisations is not None
            else sql.SQL("TRUE"),
        )
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                statement,
                {**params, "zone": zone, "organisations": organisation_codes(organisations)},
            )
            found = curs.fetchall()
        counts = {r["category"]: (r["n"], r["previous"]) for r in found}
        cosigning = {r["category"]: int(r["cosigning"]) for r in found}
        total = sum(n for n, _ in counts.values())
        previous_total = sum(p for _, p in counts.values())
        categories = []
        for category in CATEGORIES:
            count, before = counts.get(category.code, (0, 0))
            categories.append(
                {
                    "category": category.code,
                    "label": category.label,
                    "label_en": category.label_en,
                    "count": count,
                    "share": share(count, total),
                    "previous_count": before,
                    "change": count - before,
                    "cosigning_cells": cosigning.get(category.code, 0),
                }
            )
        return {
            "total": total,
            "previous_total": previous_total,
            "change": total - previous_total,
            "cosigning_cells": sum(cosigning.values()),
            "categories": categories,
        }
