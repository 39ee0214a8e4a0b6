"""Overdue board: what should have been answered or verified by now, or by any past date.

Each obligation (a department's answer, the cells' verification of an answer) is stored
as an interval of business dates: open from the day it arose until the day it was met or
lifted, with the due date in force meanwhile. An extension closes one interval and opens
another with the new due date, so the board "as of" a past date is one indexed query over
the stored intervals, never a replay of the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from projections.base import Row, View

ANSWER = "answer"
VERIFICATION = "verification"


@dataclass(frozen=True)
class OverdueFilter:
    department: str | None = None
    zone: str | None = None
    kind: str | None = None  # "answer" or "verification"


class OverdueView(View):
    name = "overdue"
    tables = {
        "overdue_petitions": """
            petition_id uuid PRIMARY KEY, summary text NOT NULL, zone text NOT NULL,
            commune text NOT NULL, cell text NOT NULL, category text NOT NULL,
            raised_on date NOT NULL""",
        "overdue_obligations": """
            petition_id uuid NOT NULL, seq int NOT NULL, kind text NOT NULL,
            department text, zone text NOT NULL, due_on date NOT NULL,
            valid_from date NOT NULL, valid_to date,
            PRIMARY KEY (petition_id, seq)""",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS overdue_open ON {overdue_obligations} (due_on)"
        " WHERE valid_to IS NULL",
        "CREATE INDEX IF NOT EXISTS overdue_intervals ON {overdue_obligations}"
        " (due_on, valid_from, valid_to)",
        # A zone's board (its briefing, the web page's filter) reads one zone, not the country.
        "CREATE INDEX IF NOT EXISTS overdue_zone ON {overdue_obligations} (zone, due_on)",
    )

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[tuple[str, Any]]) -> None:
        ids = {e.originator_id for _, e in events}
        obligations: dict[Any, list[Row]] = {i: [] for i in ids}
        for row in self.select_rows(curs, "overdue_obligations", ids):
            obligations[row["petition_id"]].append(row)
        zones = {
            r["petition_id"]: r["zone"] for r in self.select_rows(curs, "overdue_petitions", ids)
        }
        petitions: list[Row] = []
        for name, e in events:
            pid = e.originator_id
            if name == "Raised":
                zones[pid] = e.zone
                petitions.append(
                    {
                        "petition_id": pid,
                        "summary": e.summary,
                        "zone": e.zone,
                        "commune": e.commune,
                        "cell": e.cell,
                        "category": e.category,
                        "raised_on": e.business_date,
                    }
                )
                continue
            rows, day = obligations[pid], e.business_date
            opened: tuple[str, str | None, date] | None = None
            if name in ("Assigned", "Reassigned") or (name == "Reopened" and e.department):
                opened = (ANSWER, e.department, e.due_on)
            elif name == "DeadlineExtended":
                current = next(r for r in rows if r["valid_to"] is None and r["kind"] == ANSWER)
                opened = (ANSWER, current["department"], e.due_on)
            elif name in ("AnsweredInWriting", "AnsweredOnTheSpot"):
                opened = (VERIFICATION, getattr(e, "department", None), e.verify_by)
            elif name not in (
                "AssignmentDeclined",
                "Verified",
                "Withdrawn",
                "MergedInto",
                "Closed",
            ):
                continue  # Escalated and a Reopened without department change nothing here
            for row in rows:
                if row["valid_to"] is None:
                    row["valid_to"] = day
            if opened is not None:
                kind, department, due_on = opened
                rows.append(
                    {
                        "petition_id": pid,
                        "seq": len(rows) + 1,
                        "kind": kind,
                        "department": department,
                        "zone": zones[pid],
                        "due_on": due_on,
                        "valid_from": day,
                        "valid_to": None,
                    }
                )
        self.upsert_rows(curs, "overdue_petitions", petitions, ["petition_id"])
        self.upsert_rows(
            curs,
            "overdue_obligations",
            [r for rs in obligations.values() for r in rs],
            ["petition_id", "seq"],
        )

    # ---- queries ----------------------------------------------------------------------

    def board(
        self, on: date, board_filter: OverdueFilter | None = None, *, very_overdue_days: int = 30
    ) -> list[Row]:
        """Obligations open on ``on`` whose due date had passed, most overdue first."""
        f = board_filter or OverdueFilter()
        where = [
            sql.SQL("o.valid_from <= %(on)s"),
            sql.SQL("(o.valid_to IS NULL OR o.valid_to > %(on)s)"),
            sql.SQL("o.due_on < %(on)s"),
        ]
        params: dict[str, Any] = {"on": on, "very": very_overdue_days}
        for column in ("department", "zone", "kind"):
            if getattr(f, column) is not None:
                where.append(
                    sql.SQL("o.{} = {}").format(sql.Identifier(column), sql.Placeholder(column))
                )
                params[column] = getattr(f, column)
        statement = sql.SQL(
            "SELECT o.petition_id, o.kind, o.department, o.zone, o.due_on,"
            " (%(on)s - o.due_on) AS days_overdue, (%(on)s - o.due_on) > %(very)s AS very_overdue,"
            " p.summary, p.commune, p.cell, p.category, p.raised_on"
            " FROM {} o JOIN {} p USING (petition_id) WHERE {}"
            " ORDER BY days_overdue DESC, o.petition_id"
        ).format(
            self.table("overdue_obligations"),
            self.table("overdue_petitions"),
            sql.SQL(" AND ").join(where),
        )
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return [dict(r) for r in curs.fetchall()]


def totals(rows: list[Row]) -> list[Row]:
    """Counts per department and zone of a board's rows, the largest first."""
    found: dict[tuple[str | None, str], Row] = {}
    for r in rows:
        t = found.setdefault(
            (r["department"], r["zone"]),
            {
                "department": r["department"],
                "zone": r["zone"],
                "answer": 0,
                "verification": 0,
                "very_overdue": 0,
                "max_days_overdue": 0,
            },
        )
        t[r["kind"]] += 1
        t["very_overdue"] += int(r["very_overdue"])
        t["max_days_overdue"] = max(t["max_days_overdue"], r["days_overdue"])
    return sorted(
        found.values(),
        key=lambda t: (-(t["answer"] + t["verification"]), t["department"] or "", t["zone"]),
    )
