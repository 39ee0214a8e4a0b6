"""Back-dating: when each event happened in the world (business date) against when the
system learnt of it (record date). Auditors list the events recorded more than a tolerance
after their business date: an answer entered days after the briefing where it was
supposedly read out, a verdict entered weeks later."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from domain.petition import Petition
from projections.base import Row, View, local_date

# Events that name the department in charge from then on.
TAKING = (Petition.Assignment, Petition.Reopened, Petition.AnsweredInWriting)


class BackdatingView(View):
    name = "backdating"
    tables = {
        "backdating_events": """
            petition_id uuid NOT NULL, version int NOT NULL, type text NOT NULL,
            business_date date NOT NULL, recorded_at timestamptz NOT NULL,
            recorded_on date NOT NULL, delay_days int NOT NULL, department text,
            actor_id text NOT NULL, actor_role text NOT NULL,
            PRIMARY KEY (petition_id, version)""",
        "backdating_petitions": "petition_id uuid PRIMARY KEY, department text",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS backdating_delay ON {backdating_events}"
        " (delay_days, business_date)",
    )

    # Every event is listed with its business and record dates (handles: all of them).

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        ids = {e.originator_id for e in events}
        departments = {
            r["petition_id"]: r["department"]
            for r in self.select_rows(curs, "backdating_petitions", ids)
        }
        rows: list[Row] = []
        for e in events:
            pid = e.originator_id
            if isinstance(e, TAKING):
                departments[pid] = e.department or departments.get(pid)
            elif isinstance(e, Petition.AssignmentDeclined):
                departments[pid] = None
            recorded_on = local_date(e.timestamp)
            rows.append(
                {
                    "petition_id": pid,
                    "version": e.originator_version,
                    "type": type(e).__name__,  # the event's class, as the log names it
                    "business_date": e.business_date,
                    "recorded_at": e.timestamp,
                    "recorded_on": recorded_on,
                    "delay_days": (recorded_on - e.business_date).days,
                    "department": departments.get(pid),
                    "actor_id": e.actor.id,
                    "actor_role": str(e.actor.role),
                }
            )
        self.upsert_rows(
            curs,
            "backdating_petitions",
            [{"petition_id": k, "department": v} for k, v in departments.items()],
            ["petition_id"],
        )
        self.upsert_rows(curs, "backdating_events", rows, ["petition_id", "version"])

    def counts_by_type(self) -> dict[str, int]:
        """Petition events recorded, by type."""
        return self.count_by("backdating_events", "type")

    def backdated(
        self,
        tolerance_days: int,
        *,
        department: str | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[Row]:
        """Events recorded more than ``tolerance_days`` after their business date, whose
        business date lies in ``start``..``end``, latest first."""
        statement = sql.SQL(
            "SELECT * FROM {} WHERE delay_days > %(tolerance)s"
            " AND (%(department)s::text IS NULL OR department = %(department)s)"
            " AND (%(start)s::date IS NULL OR business_date >= %(start)s)"
            " AND (%(end)s::date IS NULL OR business_date <= %(end)s)"
            " ORDER BY delay_days DESC, petition_id, version LIMIT 5000"
        ).format(self.table("backdating_events"))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                statement,
                {"tolerance": tolerance_days, "department": department, "start": start, "end": end},
            )
            return [dict(r) for r in curs.fetchall()]
