"""Overdue board: what should have been answered, verified or done by now, or by any past date.

Each obligation (a department's answer, the cells' verification of an answer, what an
accepted answer committed its department to) is stored
as an interval of business dates: open from the day it arose until the day it was met or
lifted, with the due date in force meanwhile. An extension closes one interval and opens
another with the new due date, so the board "as of" a past date is one indexed query over
the stored intervals, never a replay of the log.

A paused clock closes the answer's interval too: while paused it is on no board of overdue
obligations, but in the board's own list of paused ones (``overdue_pauses``, an interval
from the pause to the resumption, or whatever ended the pause); resuming opens the answer's
interval again with the due date moved by the days paused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from domain.petition import Petition
from domain.vocabulary import Obligation, Status, Verdict, values
from projections.base import STATE_EVENTS, Organisations, Row, View, organisation_codes
from projections.deadlines import overdue_sql, very_overdue_sql
from projections.obligations import CONTRIBUTION, CONTRIBUTIONS, ENDED, contributions, obligation

ANSWER = Obligation.ANSWER.value
VERIFICATION = Obligation.VERIFICATION.value
COMMITMENT = Obligation.COMMITMENT.value
ANSWERS = (Petition.AnsweredInWriting, Petition.AnsweredOnTheSpot)
# What an answer committed to: made with it, done (its progress moves no date).
COMMITMENTS = (Petition.CommitmentMade, Petition.CommitmentFulfilled)
# Events after which nothing is awaited any more, or something else is.
ENDINGS = (
    Petition.AssignmentDeclined,
    Petition.ReferralReturned,
    Petition.Verified,
    Petition.Withdrawn,
    Petition.MergedInto,
    Petition.Closed,
)


@dataclass(frozen=True)
class OverdueFilter:
    department: str | None = None
    zone: str | None = None
    kind: str | None = None  # an Obligation: "answer", "verification", "commitment", "contribution"


class OverdueView(View):
    name = "overdue"
    revision = 4  # 2: an accepted answer's commitment is owed by its date; 3: the paused
    # clocks; 4: coordinating departments' contributions, and what lifted them.
    # A petition's written answer's commitment is kept with it until the cells' verdict
    # (``commitment_due_on``, ``commitment_department``): satisfied, it is owed from then on.
    tables = {
        "overdue_petitions": """
            petition_id uuid PRIMARY KEY, organisation text NOT NULL, summary text NOT NULL,
            zone text NOT NULL, commune text NOT NULL, cell text NOT NULL,
            category text NOT NULL, raised_on date NOT NULL, commitment_department text,
            commitment_due_on date""",
        "overdue_obligations": """
            petition_id uuid NOT NULL, seq int NOT NULL, organisation text NOT NULL,
            kind text NOT NULL, department text, zone text NOT NULL, due_on date NOT NULL,
            valid_from date NOT NULL, valid_to date, lifted boolean NOT NULL DEFAULT false,
            PRIMARY KEY (petition_id, seq)""",
        "overdue_pauses": """
            petition_id uuid NOT NULL, seq int NOT NULL, organisation text NOT NULL,
            department text, zone text NOT NULL, due_on date NOT NULL, reason text NOT NULL,
            note text, paused_on date NOT NULL, resumed_on date,
            PRIMARY KEY (petition_id, seq)""",
    }
    # The board reads open obligations (valid_to IS NULL: a small part of the table) through
    # partial indexes holding every column the board's page and totals need, one per order
    # a page can be asked in, so a page is the first rows of one index (zone and department
    # filters read only their part; an organisation's board, its part of the index by
    # organisation); an obligation met since the date asked (a past date) is found by the
    # day it was met. Codes are indexed byte by byte (COLLATE "C").
    indexes = (
        "CREATE INDEX IF NOT EXISTS overdue_intervals ON {overdue_obligations}"
        " (due_on, valid_from, valid_to)",
        "CREATE INDEX IF NOT EXISTS overdue_met ON {overdue_obligations} (valid_to)"
        " WHERE valid_to IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS overdue_open_by_due ON {overdue_obligations}"
        " (due_on, petition_id, seq) INCLUDE (valid_from, department, zone, kind, organisation)"
        " WHERE valid_to IS NULL",
        "CREATE INDEX IF NOT EXISTS overdue_open_by_department ON {overdue_obligations}"
        ' (department COLLATE "C" NULLS FIRST, due_on, petition_id, seq)'
        " INCLUDE (valid_from, zone, kind, organisation) WHERE valid_to IS NULL",
        "CREATE INDEX IF NOT EXISTS overdue_open_by_zone ON {overdue_obligations}"
        ' (zone COLLATE "C", due_on, petition_id, seq)'
        " INCLUDE (valid_from, department, kind, organisation) WHERE valid_to IS NULL",
        "CREATE INDEX IF NOT EXISTS overdue_open_by_kind ON {overdue_obligations}"
        ' (kind COLLATE "C", due_on, petition_id, seq)'
        " INCLUDE (valid_from, department, zone, organisation) WHERE valid_to IS NULL",
        "CREATE INDEX IF NOT EXISTS overdue_open_by_organisation ON {overdue_obligations}"
        ' (organisation COLLATE "C", due_on, petition_id, seq)'
        " INCLUDE (valid_from, department, zone, kind) WHERE valid_to IS NULL",
        "CREATE INDEX IF NOT EXISTS overdue_pauses_open ON {overdue_pauses} (paused_on)"
        " WHERE resumed_on IS NULL",
    )

    # escalations, reminders and a commitment's progress change no obligation
    handles = STATE_EVENTS - {Petition.CommitmentProgressed}

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        ids = {e.originator_id for e in events}
        obligations = self.rows_of_each(curs, "overdue_obligations", ids)
        pauses = self.rows_of_each(curs, "overdue_pauses", ids)
        # the petition's zone and organisation, which each of its obligations carries
        petitions = self.rows_by_petition(curs, "overdue_petitions", ids)
        changed: set[Any] = set()
        for e in events:
            pid = e.originator_id
            if isinstance(e, Petition.Raised):
                petitions[pid] = {
                    "petition_id": pid,
                    "organisation": e.organisation,
                    "summary": e.summary,
                    "zone": e.zone,
                    "commune": e.commune,
                    "cell": e.cell,
                    "category": e.category,
                    "raised_on": e.business_date,
                    "commitment_department": None,
                    "commitment_due_on": None,
                }
                changed.add(pid)
                continue
            rows, day, petition = obligations[pid], e.business_date, petitions[pid]
            if isinstance(e, COMMITMENTS):
                # kept until the verdict; done before it, nothing will be owed
                made = e if isinstance(e, Petition.CommitmentMade) else None
                petition["commitment_department"] = made and made.department
                petition["commitment_due_on"] = made and made.due_on
                changed.add(pid)
                for row in rows:
                    if isinstance(e, Petition.CommitmentFulfilled) and row["kind"] == COMMITMENT:
                        row["valid_to"] = row["valid_to"] or day
                continue
            place = (petition["zone"], petition["organisation"])
            if isinstance(e, CONTRIBUTIONS):
                contributions(e, rows, place)
                continue
            opened: tuple[str, str | None, date | None] | None = None
            again: list[Row] = []  # the parts an undone ending lifted, owed again
            if isinstance(e, Petition.Assignment) or (
                isinstance(e, Petition.Reopened) and e.department
            ):
                # a referral too: the province's department owes the answer by its due date
                opened = (ANSWER, e.department, e.due_on)
            elif isinstance(e, Petition.DeadlineExtended):
                current = next(r for r in rows if r["valid_to"] is None and r["kind"] == ANSWER)
                current["valid_to"] = day  # the lead's answer only: the parts keep their dates
                rows.append(obligation(pid, rows, place, ANSWER, current["department"]))
                rows[-1].update(due_on=e.due_on, valid_from=day)
                continue
            elif isinstance(e, Petition.ClockPaused):
                current = next(r for r in rows if r["valid_to"] is None and r["kind"] == ANSWER)
                zone, organisation = place
                pauses[pid].append(
                    {
                        "petition_id": pid,
                        "seq": len(pauses[pid]) + 1,
                        "organisation": organisation,
                        "department": current["department"],
                        "zone": zone,
                        "due_on": e.due_on,
                        "reason": e.reason,
                        "note": e.note,
                        "paused_on": day,
                        "resumed_on": None,
                    }
                )
                current["valid_to"] = day  # owed, but not by a date while paused
                continue
            elif isinstance(e, Petition.ClockResumed):
                pauses[pid][-1]["resumed_on"] = day  # the parts keep their dates
                rows.append(obligation(pid, rows, place, ANSWER, pauses[pid][-1]["department"]))
                rows[-1].update(due_on=e.due_on, valid_from=day)
                continue
            elif isinstance(e, ANSWERS):
                opened = (VERIFICATION, getattr(e, "department", None), e.verify_by)
            elif isinstance(e, Petition.AnswerHeld):
                # the answer waits for clearance: still owed, by the due date it had
                last = max((r for r in rows if r["kind"] == ANSWER), key=lambda r: r["seq"])
                opened = (ANSWER, e.department, last["due_on"])
            elif isinstance(e, Petition.AnswerCleared):
                current = next(r for r in rows if r["valid_to"] is None and r["kind"] == ANSWER)
                opened = (VERIFICATION, current["department"], e.verify_by)
            elif isinstance(e, Petition.AnswerReturned):
                continue  # the answer is still owed, as it was while held
            elif isinstance(e, Petition.Verified):
                # the question is settled; a satisfied verdict makes the commitment owed
                due_on = petition["commitment_due_on"]
                if e.verdict == Verdict.SATISFIED and due_on is not None:
                    opened = (COMMITMENT, petition["commitment_department"], due_on)
                petition["commitment_department"] = petition["commitment_due_on"] = None
                changed.add(pid)
            elif isinstance(e, Petition.Reinstated):
                # the committee's ending undone: what was owed then is owed again from today
                if e.status == Status.ASSIGNED:
                    opened = (ANSWER, e.department, e.due_on)
                elif e.status == Status.ANSWERED:
                    opened = (VERIFICATION, e.department, e.verify_by)
                again = [r for r in rows if r["lifted"]] if e.status == Status.ASSIGNED else []
                for row in rows:
                    row["lifted"] = False
                if opened is None or opened[2] is None:
                    continue  # raised again: nothing owed by a date
            elif not isinstance(e, ENDINGS):
                continue  # a Reopened without department changes nothing here
            for row in rows:
                if row["valid_to"] is None:
                    row["valid_to"] = day
                    # a part lifted by the petition's end, owed again if it is undone
                    row["lifted"] = row["kind"] == CONTRIBUTION and isinstance(e, ENDED)
            for pause in pauses[pid]:  # ended by what ended the answer owed
                if pause["resumed_on"] is None:
                    pause["resumed_on"] = day
            if opened is not None:
                kind, department, due_on = opened
                zone, organisation = place
                rows.append(
                    {
                        "petition_id": pid,
                        "seq": len(rows) + 1,
                        "organisation": organisation,
                        "kind": kind,
                        "department": department,
                        "zone": zone,
                        "due_on": due_on,
                        "valid_from": day,
                        "valid_to": None,
                        "lifted": False,
                    }
                )
            for row in again:
                rows.append(obligation(pid, rows, place, CONTRIBUTION, row["department"]))
                rows[-1].update(due_on=row["due_on"], valid_from=day)
        self.upsert_rows(
            curs, "overdue_petitions", [petitions[p] for p in changed], ["petition_id"]
        )
        self.upsert_rows(
            curs,
            "overdue_obligations",
            [r for rs in obligations.values() for r in rs],
            ["petition_id", "seq"],
        )
        self.upsert_rows(
            curs,
            "overdue_pauses",
            [r for rs in pauses.values() for r in rs],
            ["petition_id", "seq"],
        )

    def paused(
        self,
        on: date,
        board_filter: OverdueFilter | None = None,
        *,
        organisations: Organisations = None,
        limit: int = 100,
    ) -> list[Row]:
        """The answers whose clock was paused on ``on`` (from the pause's day up to the
        day before it resumed), of the petitions of ``organisations`` (None: every one),
        the longest paused first: the board's paused list, apart from the overdue."""
        f = board_filter or OverdueFilter()
        if f.kind not in (None, ANSWER):
            return []  # only an answer's clock is paused
        params: dict[str, Any] = {"on": on, "limit": limit}
        filters: list[sql.Composable] = [
            sql.SQL("s.paused_on <= %(on)s"),
            sql.SQL("(s.resumed_on IS NULL OR s.resumed_on > %(on)s)"),
        ]
        for column in ("department", "zone"):
            if getattr(f, column) is not None:
                filters.append(
                    sql.SQL("s.{} = {}").format(sql.Identifier(column), sql.Placeholder(column))
                )
                params[column] = getattr(f, column)
        if organisations is not None:
            filters.append(sql.SQL("s.organisation = ANY(%(organisations)s::text[])"))
            params["organisations"] = organisation_codes(organisations)
        statement = sql.SQL(
            "SELECT s.petition_id, s.organisation, s.department, s.zone, s.due_on, s.reason,"
            " s.note, s.paused_on, (%(on)s - s.paused_on) AS days_paused, p.summary,"
            " p.commune, p.cell, p.category, p.raised_on FROM {} s JOIN {} p USING"
            " (petition_id) WHERE {} ORDER BY s.paused_on, s.petition_id LIMIT %(limit)s"
        ).format(
            self.table("overdue_pauses"),
            self.table("overdue_petitions"),
            sql.SQL(" AND ").join(filters),
        )
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return [dict(r) for r in curs.fetchall()]

    # ---- queries ----------------------------------------------------------------------

    def board(
        self,
        on: date,
        board_filter: OverdueFilter | None = None,
        *,
        very_overdue_days: int = 30,
        sort: str = "days",
        order: str = "desc",
        limit: int | None = 100,
        offset: int = 0,
        organisations: Organisations = None,
    ) -> BoardPage:
        """One page of the obligations open on ``on`` whose due date had passed, of the
        petitions of ``organisations`` (None: every one), in the order ``sort`` names
        (``limit=None``: every row after ``offset``); the count and the totals per
        department and zone are those of the whole board, not of the page."""
        if sort not in BOARD_ORDERS or order not in ("asc", "desc"):
            raise ValueError(f"no board order {sort} {order}")
        f = board_filter or OverdueFilter()
        params: dict[str, Any] = {"on": on, "very": very_overdue_days}
        # open on the date (valid_from here, valid_to in OPEN_ON's halves) and overdue then
        filters = [sql.SQL("o.valid_from <= %(on)s"), overdue_sql(sql.SQL("o.due_on"), ON)]
        for column in ("department", "zone", "kind"):
            if getattr(f, column) is not None:
                # the same collation as the indexes, or PostgreSQL cannot use them
                filters.append(
                    sql.SQL('o.{} COLLATE "C" = {}').format(
                        sql.Identifier(column), sql.Placeholder(column)
                    )
                )
                params[column] = getattr(f, column)
        if organisations is not None:
            filters.append(sql.SQL('o.organisation COLLATE "C" = ANY(%(organisations)s::text[])'))
            params["organisations"] = organisation_codes(organisations)
        keys = order_keys(sort, order)
        zone_sort = sort == "zone"
        columns = sql.SQL(
            "o.petition_id, o.seq, o.organisation, o.kind, o.department, o.zone, o.due_on"
            + (", p.commune, p.cell" if zone_sort else "")
        )
        source = sql.SQL("{} o").format(self.table("overdue_obligations"))
        if zone_sort:
            source = sql.SQL("{} JOIN {} p USING (petition_id)").format(
                source, self.table("overdue_petitions")
            )
        reach = sql.SQL("")
        if limit is not None:
            # each half need give no more rows than the page and those before it
            reach = sql.SQL(" LIMIT %(reach)s")
            params.update(reach=offset + limit, limit=limit)
        params["offset"] = offset
        halves = sql.SQL(" UNION ALL ").join(
            sql.SQL("(SELECT {} FROM {} WHERE {} AND {} ORDER BY {}{})").format(
                columns, source, still_open, sql.SQL(" AND ").join(filters), keys("o", "p"), reach
            )
            for still_open in OPEN_ON
        )
        page = sql.SQL(
            "SELECT b.petition_id, b.organisation, b.kind, b.department, b.zone, b.due_on,"
            " (%(on)s - b.due_on) AS days_overdue,"
            " {} AS very_overdue,"
            " p.summary, p.commune, p.cell, p.category, p.raised_on"
            " FROM (SELECT * FROM ({}) u ORDER BY {}{} OFFSET %(offset)s) b"
            " JOIN {} p USING (petition_id) ORDER BY {}"
        ).format(
            very_overdue_sql(sql.SQL("b.due_on"), ON, VERY),
            halves,
            keys("u"),
            sql.SQL(" LIMIT %(limit)s") if limit is not None else sql.SQL(""),
            self.table("overdue_petitions"),
            keys("b"),
        )
        # each half counted apart (in parallel where PostgreSQL sees fit), then added up
        counted = sql.SQL(
            "SELECT o.department, o.zone,"
            " count(*) FILTER (WHERE o.kind = 'answer') AS answer,"
            " count(*) FILTER (WHERE o.kind = 'verification') AS verification,"
            " count(*) FILTER (WHERE o.kind = 'commitment') AS commitment,"
            " count(*) FILTER (WHERE o.kind = 'contribution') AS contribution,"
            " count(*) FILTER (WHERE {}) AS very_overdue,"
            " min(o.due_on) AS first_due"
            " FROM {} o WHERE {} AND {} GROUP BY o.department, o.zone"
        )
        grouped = sql.SQL(
            "SELECT department, zone, sum(answer)::int AS answer,"
            " sum(verification)::int AS verification, sum(commitment)::int AS commitment,"
            " sum(contribution)::int AS contribution, sum(very_overdue)::int AS very_overdue,"
            " %(on)s - min(first_due) AS max_days_overdue"
            " FROM ({}) u GROUP BY department, zone"
            # the largest first; codes in Python's order, whatever the server's collation
            " ORDER BY sum(answer + verification + commitment + contribution) DESC,"
            ' department COLLATE "C" NULLS FIRST,'
            ' zone COLLATE "C"'
        ).format(
            sql.SQL(" UNION ALL ").join(
                counted.format(
                    very_overdue_sql(sql.SQL("o.due_on"), ON, VERY),
                    self.table("overdue_obligations"),
                    still_open,
                    sql.SQL(" AND ").join(filters),
                )
                for still_open in OPEN_ON
            )
        )
        with self.datastore.transaction(commit=False) as curs:
            # the page and the totals read the same snapshot
            curs.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            curs.execute(page, params)
            items = curs.fetchall()
            curs.execute(grouped, params)
            totals = curs.fetchall()
        total = sum(t[kind] for t in totals for kind in values(Obligation))
        return BoardPage(items, total, totals)


ON = sql.Placeholder("on")
VERY = sql.Placeholder("very")  # the days past which an obligation is very overdue
# An obligation open on %(on)s is one of two disjoint kinds: still open today (indexed apart,
# small), or met since (found by when it was met). Written as two halves, each half's
# index gives its rows in the board's order and the page merges them.
OPEN_ON = (sql.SQL("o.valid_to IS NULL"), sql.SQL("o.valid_to > %(on)s"))

# The board's orders: each sort's columns, ascending or not when the board runs "asc".
# Ties go to the most overdue, then the petition's id, whichever way the sort runs.
BOARD_ORDERS: dict[str, tuple[tuple[str, bool], ...]] = {
    "days": (("due_on", False),),  # fewest days overdue: the latest due date
    "due_on": (("due_on", True),),
    "department": (("department", True),),
    "zone": (("zone", True), ("commune", True), ("cell", True)),
    "kind": (("kind", True),),
}
TIES = (("due_on", True), ("petition_id", True), ("seq", True))
CODES = frozenset({"department", "zone", "commune", "cell", "kind"})
OF_PETITION = frozenset({"commune", "cell"})


def order_keys(sort: str, order: str) -> Callable[..., sql.Composable]:
    """The ORDER BY of a board order over the relation ``alias`` (and ``petitions``, for
    the columns the petition holds). Codes compare byte by byte, as Python compares them;
    no department (an answer given on the spot) sorts as the empty code would: first."""
    keys = [(column, up == (order == "asc")) for column, up in BOARD_ORDERS[sort]]
    keys += [tie for tie in TIES if tie[0] not in {column for column, _ in keys}]

    def clause(alias: str, petitions: str | None = None) -> sql.Composable:
        return sql.SQL(", ").join(
            sql.SQL("{}.{}{} {}").format(
                sql.Identifier(petitions if petitions and column in OF_PETITION else alias),
                sql.Identifier(column),
                sql.SQL(' COLLATE "C"' if column in CODES else ""),
                sql.SQL(
                    ("ASC" if up else "DESC")
                    + (" NULLS FIRST" if up else " NULLS LAST") * (column == "department")
                ),
            )
            for column, up in keys
        )

    return clause


@dataclass(frozen=True)
class BoardPage:
    items: list[Row]
    total: int  # obligations on the whole board
    totals: list[Row]  # per department and zone, the largest first
