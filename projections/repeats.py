"""How long a closure holds: of a department's satisfied closures, the share a repeat
followed within 6 and within 12 months (docs/read-models.md, "Closures that hold").

One row a petition, from its own events only (a parallel rebuild's part sees no other
petition's): its organisation and day of raising, the department of its latest answer
(none: answered on the spot), the day and department of the cells' satisfied verdict that
closed it, and the earlier petition it was linked as a repeat of. The query joins a
closure to the repeats of it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from domain.petition import Petition
from domain.vocabulary import Verdict
from projections.base import Organisations, Row, View, organisation_codes
from projections.quality import Rate

# The months after a satisfied closure within which a repeat counts against it.
WITHIN_MONTHS = (6, 12)


class RepeatsView(View):
    name = "repeats"
    revision = 1
    tables = {
        "repeat_petitions": """
            petition_id uuid PRIMARY KEY, organisation text NOT NULL, raised_on date NOT NULL,
            answer_department text, closed_on date, closed_by text, repeats uuid""",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS repeat_petitions_closed ON {repeat_petitions}"
        " (closed_on, closed_by) WHERE closed_on IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS repeat_petitions_repeats ON {repeat_petitions}"
        " (repeats, raised_on) WHERE repeats IS NOT NULL",
    )
    # A reopening undoes the committee's ending, never a satisfied verdict (the aggregate
    # refuses that one): it is handled so that a closure that no longer stands is not kept.
    handles = frozenset(
        {
            Petition.Raised,
            Petition.AnsweredInWriting,
            Petition.AnsweredOnTheSpot,
            Petition.Verified,
            Petition.Reinstated,
            Petition.RepeatLinked,
        }
    )

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        rows: dict[UUID, Row] = {}
        for e in events:
            if isinstance(e, Petition.Raised):
                rows[e.originator_id] = {
                    "petition_id": e.originator_id,
                    "organisation": e.organisation,
                    "raised_on": e.business_date,
                    "answer_department": None,
                    "closed_on": None,
                    "closed_by": None,
                    "repeats": None,
                }
        later = {e.originator_id for e in events} - set(rows)
        rows |= self.rows_by_petition(curs, "repeat_petitions", later)
        for e in events:
            row = rows.get(e.originator_id)
            if row is None:  # a petition raised before the view began: nothing to count
                continue
            if isinstance(e, Petition.AnsweredInWriting):
                row["answer_department"] = e.department
            elif isinstance(e, Petition.AnsweredOnTheSpot):
                row["answer_department"] = None
            elif isinstance(e, Petition.Verified) and e.verdict == Verdict.SATISFIED:
                row["closed_on"], row["closed_by"] = e.business_date, row["answer_department"]
            elif isinstance(e, Petition.Reinstated):
                row["closed_on"] = row["closed_by"] = None
            elif isinstance(e, Petition.RepeatLinked):
                row["repeats"] = e.repeats
        self.upsert_rows(curs, "repeat_petitions", list(rows.values()), ["petition_id"])

    def closures_held(
        self, start: date, end: date, organisations: Organisations = None
    ) -> dict[str, Row]:
        """Per department: its satisfied closures of ``start`` to ``end`` inclusive (of the
        petitions of ``organisations``), and how many a repeat followed within each of
        ``WITHIN_MONTHS``: a petition linked as a repeat of the closed one and raised on
        the closure's day or up to that many months after (a repeat raised after ``end``
        counts too: the months are the closure's)."""
        within = sql.SQL(", ").join(
            sql.SQL(
                "count(*) FILTER (WHERE EXISTS (SELECT 1 FROM {table} r"
                " WHERE r.repeats = c.petition_id AND r.raised_on >= c.closed_on"
                " AND r.raised_on <= c.closed_on + interval {months})) AS {name}"
            ).format(
                table=self.table("repeat_petitions"),
                months=sql.Literal(f"{months} months"),
                name=sql.Identifier(f"within_{months}"),
            )
            for months in WITHIN_MONTHS
        )
        statement = sql.SQL(
            "SELECT c.closed_by AS department, count(*) AS closures, {within}"
            " FROM {table} c WHERE c.closed_on BETWEEN %(start)s AND %(end)s"
            " AND c.closed_by IS NOT NULL"
            " AND (%(organisations)s::text[] IS NULL"
            " OR c.organisation = ANY(%(organisations)s::text[]))"
            " GROUP BY c.closed_by"
        ).format(within=within, table=self.table("repeat_petitions"))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                statement,
                {"start": start, "end": end, "organisations": organisation_codes(organisations)},
            )
            found = curs.fetchall()
        return {
            r["department"]: held(r["closures"], [r[f"within_{m}"] for m in WITHIN_MONTHS])
            for r in found
        }


def held(closures: int, repeated: list[int]) -> Row:
    """A department's figures: its satisfied closures, and the rate of those a repeat
    followed within each of ``WITHIN_MONTHS``."""
    return {
        "satisfied_closures": closures,
        **{
            f"repeated_within_{months}_months": Rate(count, closures).as_dict()
            for months, count in zip(WITHIN_MONTHS, repeated, strict=True)
        },
    }
