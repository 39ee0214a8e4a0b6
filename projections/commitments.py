"""Commitments: what the written answers committed their departments to, and how each was
kept (``domain.commitments``). One row a commitment: made with its answer, owed from the
cells' satisfied verdict on it (``binding_from``), lapsed with an answer they did not
accept, its latest progress, and the day it was done.

The scorecards count those due in a period and kept by their date (``kept``); a briefing's
packet lists those owed and not done that fall due before it (``due``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from domain.commitments import DONE
from domain.petition import Petition
from domain.vocabulary import Verdict
from projections.base import Organisations, Row, View, organisation_codes

# A commitment's own events, and the verdict that binds it or lets it lapse. Nothing else
# changes one: the committee ends no petition whose answer's commitment is owed (a verdict
# closed it), and its reopening of one it ended unverified leaves the answer to verify.
COMMITMENT_EVENTS = frozenset(
    {Petition.CommitmentMade, Petition.CommitmentProgressed, Petition.CommitmentFulfilled}
)


class CommitmentsView(View):
    name = "commitments"
    revision = 1
    tables = {
        "commitment_petitions": """
            petition_id uuid PRIMARY KEY, organisation text NOT NULL, zone text NOT NULL,
            commune text NOT NULL, cell text NOT NULL, summary text NOT NULL,
            raised_on date NOT NULL, commitments int NOT NULL""",
        "commitments": """
            petition_id uuid NOT NULL, seq int NOT NULL, organisation text NOT NULL,
            zone text NOT NULL, department text NOT NULL, text text NOT NULL,
            due_on date NOT NULL, cost bigint, made_on date NOT NULL, verdict text,
            binding_from date, percent int NOT NULL, note text, progressed_on date,
            fulfilled_on date,
            PRIMARY KEY (petition_id, seq)""",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS commitments_by_due ON {commitments} (due_on)"
        " WHERE binding_from IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS commitments_open_by_zone ON {commitments} (zone, due_on)"
        " WHERE binding_from IS NOT NULL AND fulfilled_on IS NULL",
    )

    handles = frozenset({Petition.Raised, Petition.Verified}) | COMMITMENT_EVENTS

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        ids = {e.originator_id for e in events}
        petitions = self.rows_by_petition(curs, "commitment_petitions", ids)
        latest: dict[Any, Row] = {}  # the latest commitment of each petition touched
        for row in self.select_rows(curs, "commitments", ids):
            if row["seq"] == petitions[row["petition_id"]]["commitments"]:
                latest[row["petition_id"]] = row
        touched: list[Row] = []
        for e in events:
            pid = e.originator_id
            if isinstance(e, Petition.Raised):
                petitions[pid] = {
                    "petition_id": pid,
                    "organisation": e.organisation,
                    "zone": e.zone,
                    "commune": e.commune,
                    "cell": e.cell,
                    "summary": e.summary,
                    "raised_on": e.business_date,
                    "commitments": 0,
                }
                continue
            p, current = petitions[pid], latest.get(pid)
            if isinstance(e, Petition.CommitmentMade):
                p["commitments"] += 1
                current = latest[pid] = {
                    "petition_id": pid,
                    "seq": p["commitments"],
                    "organisation": p["organisation"],
                    "zone": p["zone"],
                    "department": e.department,
                    "text": e.text,
                    "due_on": e.due_on,
                    "cost": e.cost,
                    "made_on": e.business_date,
                    "verdict": None,
                    "binding_from": None,
                    "percent": 0,
                    "note": None,
                    "progressed_on": None,
                    "fulfilled_on": None,
                }
            elif current is None:
                continue  # a verdict on a petition whose answers committed to nothing
            elif isinstance(e, Petition.Verified):
                if current["verdict"] is not None:
                    continue  # the verdict on a later answer, which made no commitment
                current["verdict"] = e.verdict
                if e.verdict == Verdict.SATISFIED:
                    current["binding_from"] = e.business_date
            elif isinstance(e, Petition.CommitmentProgressed):
                current.update(percent=e.percent, note=e.note, progressed_on=e.business_date)
            elif isinstance(e, Petition.CommitmentFulfilled):
                current.update(percent=DONE, note=e.note, fulfilled_on=e.business_date)
            touched.append(current)
        self.upsert_rows(curs, "commitment_petitions", list(petitions.values()), ["petition_id"])
        unique = {(r["petition_id"], r["seq"]): r for r in touched}
        self.upsert_rows(curs, "commitments", list(unique.values()), ["petition_id", "seq"])

    # ---- queries ----------------------------------------------------------------------

    def kept(self, start: date, end: date, *, organisations: Organisations = None) -> list[Row]:
        """Per department: its owed commitments falling due from ``start`` to ``end``, and
        how many of them were done by their date."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT department, count(*)::int AS due,"
                    " (count(*) FILTER (WHERE fulfilled_on <= due_on))::int AS kept"
                    " FROM {} WHERE binding_from IS NOT NULL"
                    " AND due_on BETWEEN %(start)s AND %(end)s"
                    " AND (%(organisations)s::text[] IS NULL"
                    " OR organisation = ANY(%(organisations)s::text[]))"
                    ' GROUP BY department ORDER BY department COLLATE "C"'
                ).format(self.table("commitments")),
                {"start": start, "end": end, "organisations": organisation_codes(organisations)},
            )
            return [dict(r) for r in curs.fetchall()]

    def due(self, zone: str, before: date, *, organisations: Organisations = None) -> list[Row]:
        """The owed commitments of ``zone``'s petitions not done yet that fall due before
        ``before`` (a briefing's day), the longest due first."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT c.petition_id, c.seq, c.department, c.text, c.due_on, c.cost,"
                    " c.made_on, c.binding_from, c.percent, c.note, c.progressed_on,"
                    " p.summary, p.commune, p.cell, p.raised_on"
                    " FROM {} c JOIN {} p USING (petition_id)"
                    " WHERE c.zone = %(zone)s AND c.binding_from IS NOT NULL"
                    " AND c.fulfilled_on IS NULL AND c.due_on < %(before)s"
                    " AND (%(organisations)s::text[] IS NULL"
                    " OR c.organisation = ANY(%(organisations)s::text[]))"
                    " ORDER BY c.due_on, c.petition_id, c.seq"
                ).format(self.table("commitments"), self.table("commitment_petitions")),
                {
                    "zone": zone,
                    "before": before,
                    "organisations": organisation_codes(organisations),
                },
            )
            return [dict(r) for r in curs.fetchall()]
