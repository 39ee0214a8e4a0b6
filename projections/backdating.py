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
from projections.base import Organisations, Row, View, local_date, organisation_codes

# Events that name the department in charge from then on.
TAKING = (Petition.Assignment, Petition.Reopened, Petition.AnsweredInWriting)
# Events after which no department is in charge.
GIVE_BACKS = (Petition.AssignmentDeclined, Petition.ReferralReturned)


class BackdatingView(View):
    name = "backdating"
    revision = 1
    tables = {
        "backdating_events": """
            petition_id uuid NOT NULL, version int NOT NULL, organisation text NOT NULL,
            type text NOT NULL,
            business_date date NOT NULL, recorded_at timestamptz NOT NULL,
            recorded_on date NOT NULL, delay_days int NOT NULL, department text,
            actor_id text NOT NULL, actor_role text NOT NULL,
            actor_name text, actor_position text,
            PRIMARY KEY (petition_id, version)""",
        "backdating_petitions": """
            petition_id uuid PRIMARY KEY, organisation text NOT NULL, department text""",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS backdating_delay ON {backdating_events}"
        " (delay_days, business_date)",
        "CREATE INDEX IF NOT EXISTS backdating_organisation_delay ON {backdating_events}"
        " (organisation, delay_days, business_date)",
    )

    # Every event is listed with its business and record dates (handles: all of them).

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        ids = {e.originator_id for e in events}
        petitions = {
            r["petition_id"]: r for r in self.select_rows(curs, "backdating_petitions", ids)
        }
        rows: list[Row] = []
        for e in events:
            pid = e.originator_id
            if isinstance(e, Petition.Raised):
                petitions[pid] = {
                    "petition_id": pid,
                    "organisation": e.organisation,
                    "department": None,
                }
            petition = petitions[pid]
            if isinstance(e, TAKING):
                petition["department"] = e.department or petition["department"]
            elif isinstance(e, GIVE_BACKS):
                petition["department"] = None
            recorded_on = local_date(e.timestamp)
            rows.append(
                {
                    "petition_id": pid,
                    "version": e.originator_version,
                    "organisation": petition["organisation"],
                    "type": type(e).__name__,  # the event's class, as the log names it
                    "business_date": e.business_date,
                    "recorded_at": e.timestamp,
                    "recorded_on": recorded_on,
                    "delay_days": (recorded_on - e.business_date).days,
                    "department": petition["department"],
                    "actor_id": e.actor.id,
                    "actor_role": str(e.actor.role),
                    "actor_name": e.actor.name,
                    "actor_position": e.actor.position,
                }
            )
        self.upsert_rows(curs, "backdating_petitions", list(petitions.values()), ["petition_id"])
        self.upsert_rows(curs, "backdating_events", rows, ["petition_id", "version"])

    def counts_by_type(self, *, organisations: Organisations = None) -> dict[str, int]:
        """Petition events recorded, by type."""
        return self.count_by("backdating_events", "type", organisations=organisations)

    def backdated(
        self,
        tolerance_days: int,
        *,
        department: str | None = None,
        start: date | None = None,
        end: date | None = None,
        organisations: Organisations = None,
    ) -> list[Row]:
        """Events of the petitions of ``organisations`` (None: every one) recorded more
        than ``tolerance_days`` after their business date, whose business date lies in
        ``start``..``end``, latest first."""
        statement = sql.SQL(
            "SELECT * FROM {} WHERE delay_days > %(tolerance)s"
            " AND (%(organisations)s::text[] IS NULL"
            " OR organisation = ANY(%(organisations)s::text[]))"
            " AND (%(department)s::text IS NULL OR department = %(department)s)"
            " AND (%(start)s::date IS NULL OR business_date >= %(start)s)"
            " AND (%(end)s::date IS NULL OR business_date <= %(end)s)"
            " ORDER BY delay_days DESC, petition_id, version LIMIT 5000"
        ).format(self.table("backdating_events"))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                statement,
                {
                    "tolerance": tolerance_days,
                    "organisations": organisation_codes(organisations),
                    "department": department,
                    "start": start,
                    "end": end,
                },
            )
            return [dict(r) for r in curs.fetchall()]
