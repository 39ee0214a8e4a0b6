"""Clearance: the written answers waiting for the office's or the committee's clearance
(the clearer's list), and the answers it returned, by department (the scorecards'
``returns``). ``domain.clearance`` says what the events mean."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from domain.petition import Petition
from projections.base import Organisations, Row, View, organisation_codes

# The events of a petition this view reads: who holds it by which due date, its answer,
# and the answer's hold, clearance or return (a reopening of an ending changes nothing
# here: no ending is taken while an answer is held).
HANDLES = frozenset(
    {
        Petition.Raised,
        Petition.Assigned,
        Petition.Reassigned,
        Petition.ReferredUpward,
        Petition.Reopened,
        Petition.DeadlineExtended,
        Petition.AnsweredInWriting,
        Petition.AnswerHeld,
        Petition.AnswerCleared,
        Petition.AnswerReturned,
        Petition.Reinstated,
    }
)
UNHELD = {"held_by": None, "held_on": None}


class ClearanceView(View):
    name = "clearance"
    revision = 1
    tables = {
        "clearance_petitions": """
            petition_id uuid PRIMARY KEY, organisation text NOT NULL, zone text NOT NULL,
            summary text NOT NULL, raised_on date NOT NULL, department text, due_on date,
            answered_on date, document_number text, signer text, text text,
            held_by text, held_on date""",
        "clearance_returns": """
            petition_id uuid NOT NULL, seq int NOT NULL, organisation text NOT NULL,
            department text NOT NULL, clearer text NOT NULL, reason text NOT NULL,
            note text NOT NULL, answered_on date NOT NULL, returned_on date NOT NULL,
            PRIMARY KEY (petition_id, seq)""",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS clearance_waiting ON {clearance_petitions}"
        " (organisation, held_on) WHERE held_by IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS clearance_returned ON {clearance_returns}"
        " (returned_on, organisation)",
    )
    handles = HANDLES

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        ids = {e.originator_id for e in events}
        petitions = self.rows_by_petition(curs, "clearance_petitions", ids)
        returns = self.rows_of_each(curs, "clearance_returns", ids)
        for e in events:
            pid = e.originator_id
            if isinstance(e, Petition.Raised):
                petitions[pid] = {
                    "petition_id": pid,
                    "organisation": e.organisation,
                    "zone": e.zone,
                    "summary": e.summary,
                    "raised_on": e.business_date,
                    "department": None,
                    "due_on": None,
                    "answered_on": None,
                    "document_number": None,
                    "signer": None,
                    "text": None,
                    **UNHELD,
                }
                continue
            p = petitions[pid]
            if isinstance(e, Petition.Assignment | Petition.Reopened):
                p.update(department=e.department, due_on=e.due_on)
            elif isinstance(e, Petition.DeadlineExtended):
                p["due_on"] = e.due_on
            elif isinstance(e, Petition.AnsweredInWriting):
                p.update(
                    answered_on=e.business_date,
                    document_number=e.document_number,
                    signer=e.signer,
                    text=e.text,
                )
            elif isinstance(e, Petition.AnswerHeld):
                p.update(held_by=e.clearer, held_on=e.business_date)
            elif isinstance(e, Petition.AnswerCleared):
                p.update(UNHELD)
            elif isinstance(e, Petition.AnswerReturned):
                rows = returns[pid]
                rows.append(
                    {
                        "petition_id": pid,
                        "seq": len(rows) + 1,
                        "organisation": p["organisation"],
                        "department": e.department,
                        "clearer": e.clearer,
                        "reason": e.reason,
                        "note": e.note,
                        "answered_on": p["answered_on"],
                        "returned_on": e.business_date,
                    }
                )
                p.update(UNHELD)
        self.upsert_rows(curs, "clearance_petitions", list(petitions.values()), ["petition_id"])
        self.upsert_rows(
            curs,
            "clearance_returns",
            [r for rs in returns.values() for r in rs],
            ["petition_id", "seq"],
        )

    # ---- queries ----------------------------------------------------------------------

    def waiting(
        self, *, clearer: str | None = None, organisations: Organisations = None
    ) -> list[Row]:
        """The written answers waiting for clearance (by ``clearer`` only, if named), of the
        petitions of ``organisations`` (None: every one), the longest held first."""
        statement = sql.SQL(
            "SELECT * FROM {} WHERE held_by IS NOT NULL"
            " AND (%(clearer)s::text IS NULL OR held_by = %(clearer)s)"
            " AND (%(organisations)s::text[] IS NULL"
            " OR organisation = ANY(%(organisations)s::text[]))"
            " ORDER BY held_on, due_on, petition_id LIMIT 1000"
        ).format(self.table("clearance_petitions"))
        params = {"clearer": clearer, "organisations": organisation_codes(organisations)}
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return [dict(r) for r in curs.fetchall()]

    def returns_by_department(
        self, start: date, end: date, *, organisations: Organisations = None
    ) -> dict[str, dict[str, Any]]:
        """How many written answers each department had returned at clearance on business
        dates ``start`` to ``end`` inclusive, of the petitions of ``organisations``."""
        statement = sql.SQL(
            "SELECT department, count(*) AS returns FROM {}"
            " WHERE returned_on >= %(start)s AND returned_on <= %(end)s"
            " AND (%(organisations)s::text[] IS NULL"
            " OR organisation = ANY(%(organisations)s::text[]))"
            " GROUP BY department"
        ).format(self.table("clearance_returns"))
        params = {"start": start, "end": end, "organisations": organisation_codes(organisations)}
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return {r["department"]: {"returns": r["returns"]} for r in curs.fetchall()}

    def returns_of(self, petition_id: Any) -> list[Row]:
        """The petition's answers returned at clearance, in order."""
        statement = sql.SQL("SELECT * FROM {} WHERE petition_id = %s ORDER BY seq").format(
            self.table("clearance_returns")
        )
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, (petition_id,))
            return [dict(r) for r in curs.fetchall()]
