"""Category statistics per year (and zone): count, share of the total to one decimal
(rounded half up), and the change against the previous year.

A petition counts in the year of its raising; one merged into another is a duplicate and
is not counted.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import psycopg
from psycopg import sql

from domain.petition import Petition
from domain.reference import CATEGORIES
from projections.base import Row, View


def share(count: int, total: int) -> float:
    """Percentage of the total, rounded half up to one decimal (28.45 -> 28.5)."""
    if not total:
        return 0.0
    exact = Decimal(count) * 100 / Decimal(total)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class CategoryView(View):
    name = "categories"
    tables = {
        "category_petitions": """
            petition_id uuid PRIMARY KEY, year int NOT NULL, category text NOT NULL,
            zone text NOT NULL, merged boolean NOT NULL""",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS category_petitions_year ON {category_petitions}"
        " (year, zone, category)",
    )

    # A petition counts from its raising; a merge makes it a duplicate; nothing else counts.
    handles = frozenset({Petition.Raised, Petition.MergedInto})

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        rows: dict[Any, Row] = {}
        merged = [e.originator_id for e in events if isinstance(e, Petition.MergedInto)]
        for e in events:
            if isinstance(e, Petition.Raised):
                rows[e.originator_id] = {
                    "petition_id": e.originator_id,
                    "year": e.business_date.year,
                    "category": e.category,
                    "zone": e.zone,
                    "merged": False,
                }
        for row in self.select_rows(curs, "category_petitions", set(merged) - set(rows)):
            rows[row["petition_id"]] = row
        for pid in merged:
            rows[pid]["merged"] = True
        self.upsert_rows(curs, "category_petitions", list(rows.values()), ["petition_id"])

    def report(self, year: int, zone: str | None = None) -> Row:
        """The annual table per category for ``year`` (optionally one zone)."""
        statement = sql.SQL(
            "SELECT year, category, count(*) AS n FROM {} WHERE NOT merged"
            " AND year IN (%(year)s, %(previous)s) AND (%(zone)s::text IS NULL OR zone = %(zone)s)"
            " GROUP BY year, category"
        ).format(self.table("category_petitions"))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, {"year": year, "previous": year - 1, "zone": zone})
            counts = {(r["year"], r["category"]): r["n"] for r in curs.fetchall()}
        total = sum(n for (y, _), n in counts.items() if y == year)
        previous_total = sum(n for (y, _), n in counts.items() if y == year - 1)
        categories = []
        for category in CATEGORIES:
            count = counts.get((year, category.code), 0)
            previous = counts.get((year - 1, category.code), 0)
            categories.append(
                {
                    "category": category.code,
                    "label": category.label,
                    "label_en": category.label_en,
                    "count": count,
                    "share": share(count, total),
                    "previous_count": previous,
                    "change": count - previous,
                }
            )
        return {
            "year": year,
            "zone": zone,
            "total": total,
            "previous_total": previous_total,
            "change": total - previous_total,
            "categories": categories,
        }
