"""Coordinating departments' parts: one row per contribution an assignment asked for,
from the day it was named until it was sent, waived, or lifted (a new assignment, the
lead giving the petition back, the petition's end); with its due date. A department's
inbox reads what it still owes, its scorecard the contributions sent on time or late and
those overdue at the period's end (``usecases.scorecard_measures``). The overdue board
holds the same parts as obligations of their own kind (``projections.overdue``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from domain.coordination import as_date
from domain.petition import Petition
from domain.vocabulary import Status
from projections.base import Organisations, Row, View, organisation_codes
from projections.deadlines import answered_on_time_sql, overdue_sql

# What ends the parts still owed: the lead gives the petition back, or the petition ends.
LIFTING = (
    Petition.AssignmentDeclined,
    Petition.ReferralReturned,
    Petition.Withdrawn,
    Petition.MergedInto,
    Petition.Closed,
)
ENDINGS = (Petition.Withdrawn, Petition.MergedInto, Petition.Closed)
HANDLES = frozenset(
    {
        Petition.Raised,
        Petition.Assigned,
        Petition.Reassigned,
        Petition.ReferredUpward,
        Petition.CoordinatorsNamed,
        Petition.ContributionSent,
        Petition.ContributionsWaived,
        Petition.Reinstated,
        *LIFTING,
    }
)


class CoordinationView(View):
    name = "coordination"
    revision = 1
    tables = {
        "coordination_petitions": """
            petition_id uuid PRIMARY KEY, organisation text NOT NULL, lead text,
            lifted text[] NOT NULL DEFAULT '{}'""",
        "coordination_parts": """
            petition_id uuid NOT NULL, seq int NOT NULL, organisation text NOT NULL,
            department text NOT NULL, lead text NOT NULL, due_on date NOT NULL,
            named_on date NOT NULL, sent_on date, waived_on date, lifted_on date,
            PRIMARY KEY (petition_id, seq)""",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS coordination_owed ON {coordination_parts}"
        " (department, due_on) WHERE sent_on IS NULL AND waived_on IS NULL"
        " AND lifted_on IS NULL",
        "CREATE INDEX IF NOT EXISTS coordination_by_department ON {coordination_parts}"
        " (department, named_on)",
    )
    handles = HANDLES

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        ids = {e.originator_id for e in events}
        parts = self.rows_of_each(curs, "coordination_parts", ids)
        for rows in parts.values():
            rows.sort(key=lambda r: r["seq"])
        petitions = self.rows_by_petition(curs, "coordination_petitions", ids)
        for e in events:
            pid, day = e.originator_id, e.business_date
            if isinstance(e, Petition.Raised):
                petitions[pid] = {
                    "petition_id": pid,
                    "organisation": e.organisation,
                    "lead": None,
                    "lifted": [],
                }
                continue
            petition, rows = petitions[pid], parts[pid]
            owed = [r for r in rows if owing(r)]
            if isinstance(e, Petition.Assignment):
                for r in owed:
                    r["lifted_on"] = day
                petition["lead"] = e.department
            elif isinstance(e, Petition.CoordinatorsNamed):
                for c in e.coordinators:
                    rows.append(
                        {
                            "petition_id": pid,
                            "seq": len(rows) + 1,
                            "organisation": petition["organisation"],
                            "department": c["department"],
                            "lead": petition["lead"],
                            "due_on": as_date(c["due_on"]),
                            "named_on": day,
                            "sent_on": None,
                            "waived_on": None,
                            "lifted_on": None,
                        }
                    )
            elif isinstance(e, Petition.ContributionSent):
                for r in owed:
                    if r["department"] == e.department:
                        r["sent_on"] = day
            elif isinstance(e, Petition.ContributionsWaived):
                for r in owed:
                    if r["department"] in e.departments:
                        r["waived_on"] = day
            elif isinstance(e, LIFTING):
                for r in owed:
                    r["lifted_on"] = day
                if isinstance(e, ENDINGS):  # what an undone ending owes again
                    petition["lifted"] = [str(r["seq"]) for r in owed]
                else:
                    petition["lead"] = None
            elif isinstance(e, Petition.Reinstated):
                if e.status == Status.ASSIGNED:
                    for r in rows:
                        if str(r["seq"]) in petition["lifted"]:
                            r["lifted_on"] = None
                petition["lifted"] = []
        self.upsert_rows(curs, "coordination_petitions", list(petitions.values()), ["petition_id"])
        self.upsert_rows(
            curs,
            "coordination_parts",
            [r for rs in parts.values() for r in rs],
            ["petition_id", "seq"],
        )

    # ---- queries ----------------------------------------------------------------------

    def owed(self, department: str, *, organisations: Organisations = None) -> list[Row]:
        """The parts ``department`` still owes, the earliest due first."""
        statement = sql.SQL(
            "SELECT petition_id, lead, due_on, named_on FROM {} WHERE department = %(d)s"
            " AND sent_on IS NULL AND waived_on IS NULL AND lifted_on IS NULL"
            " AND (%(o)s::text[] IS NULL OR organisation = ANY(%(o)s::text[]))"
            " ORDER BY due_on, named_on, petition_id"
        ).format(self.table("coordination_parts"))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, {"d": department, "o": organisation_codes(organisations)})
            return [dict(r) for r in curs.fetchall()]

    def parts(self, petition_id: Any) -> list[Row]:
        """Every part a petition's assignments asked for, in order."""
        with self.datastore.transaction(commit=False) as curs:
            rows = self.query_rows(curs, "coordination_parts", [petition_id])
        return sorted(rows, key=lambda r: r["seq"])

    def figures(self, start: date, end: date, organisations: Organisations) -> dict[str, Row]:
        """Per coordinating department, for business dates ``start`` to ``end``: the
        contributions sent then (``sent``), on time by their due date (``on_time``) or not
        (``late``), and those overdue at the period's end (``open_overdue``)."""
        sent = sql.SQL("sent_on >= %(start)s AND sent_on <= %(end)s")
        counts = {
            "sent": sent,
            "on_time": sql.SQL("{} AND {}").format(
                sent, answered_on_time_sql(sql.Identifier("due_on"), sql.Identifier("sent_on"))
            ),
            "late": sql.SQL("{} AND NOT {}").format(
                sent, answered_on_time_sql(sql.Identifier("due_on"), sql.Identifier("sent_on"))
            ),
            "open_overdue": overdue_sql(
                sql.Identifier("due_on"),
                sql.Placeholder("end"),
                sql.SQL("LEAST(sent_on, waived_on, lifted_on)"),
            ),
        }
        statement = sql.SQL(
            "SELECT department, {} FROM {} WHERE named_on <= %(end)s"
            " AND (%(o)s::text[] IS NULL OR organisation = ANY(%(o)s::text[]))"
            " GROUP BY department"
        ).format(
            sql.SQL(", ").join(
                sql.SQL("count(*) FILTER (WHERE {}) AS {}").format(c, sql.Identifier(k))
                for k, c in counts.items()
            ),
            self.table("coordination_parts"),
        )
        params = {"start": start, "end": end, "o": organisation_codes(organisations)}
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            found = {r["department"]: {k: int(r[k]) for k in counts} for r in curs.fetchall()}
        return {d: f for d, f in found.items() if any(f.values())}


def owing(row: Row) -> bool:
    return row["sent_on"] is None and row["waived_on"] is None and row["lifted_on"] is None
