"""Petition list: one row per petition, filtered and searched, paged by keyset."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import IntegrityError, ProgrammingError
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from domain.lifecycle import LIFECYCLE
from domain.petition import Petition
from domain.vocabulary import OPEN_STATUSES, Command, GiveBack, Status
from projections import numbering
from projections.base import Organisations, Row, View, fold_text, organisation_codes

MAX_PAGE = 200
MAX_QUEUE = 1000  # rows a committee's queue reads at most
MAX_CANDIDATES = 500  # the petitions a new one is compared with, newest first


@dataclass(frozen=True)
class PetitionFilter:
    status: str | None = None
    department: str | None = None
    category: str | None = None
    zone: str | None = None
    commune: str | None = None
    cell: str | None = None
    kind: str | None = None
    channel: str | None = None
    raised_from: date | None = None
    raised_to: date | None = None
    text: str | None = None
    number: tuple[int, int] | None = None  # (year, seq): the petitions of that number
    visible_to_department: str | None = None  # a department sees what it was ever assigned


@dataclass(frozen=True)
class PetitionPage:
    items: list[Row]
    next_cursor: str | None


class PetitionListView(View):
    max_queue = MAX_QUEUE
    name = "petition_list"
    # 2: who gave the petition back and why; the last escalation's reason; 3: numbers;
    # 4: the cells that co-signed it
    revision = 4
    tables = {
        "petition_list": """
            petition_id uuid PRIMARY KEY, version int NOT NULL, organisation text NOT NULL,
            referred_to text, status text NOT NULL,
            kind text NOT NULL, category text NOT NULL, zone text NOT NULL,
            commune text NOT NULL, cell text NOT NULL, channel text NOT NULL,
            meeting text, raised_by text NOT NULL, summary text NOT NULL,
            raised_on date NOT NULL, department text, departments text[] NOT NULL,
            due_on date, answered_on date, verify_by date, escalations int NOT NULL,
            reopen_count int NOT NULL, last_business_date date NOT NULL,
            given_back text, given_back_by text, given_back_reason text, given_back_on date,
            escalated_on date, escalation_reason text, cosigners int NOT NULL DEFAULT 0,
            search text NOT NULL""",
        numbering.TABLE: numbering.COLUMNS,
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS petition_list_raised ON {petition_list}"
        " (raised_on DESC, petition_id DESC)",
        # an organisation's list, newest first, is the first rows of its part of this one
        "CREATE INDEX IF NOT EXISTS petition_list_organisation ON {petition_list}"
        " (organisation, raised_on DESC, petition_id DESC)",
        "CREATE INDEX IF NOT EXISTS petition_list_status ON {petition_list} (status, raised_on)",
        "CREATE INDEX IF NOT EXISTS petition_list_department ON {petition_list} (department)",
        "CREATE INDEX IF NOT EXISTS petition_list_departments ON {petition_list}"
        " USING gin (departments)",
        "CREATE INDEX IF NOT EXISTS petition_list_zone ON {petition_list} (zone, commune, cell)",
        "CREATE INDEX IF NOT EXISTS petition_list_category ON {petition_list} (category)",
        "CREATE INDEX IF NOT EXISTS petition_list_search ON {petition_list}"
        " USING gin (search gin_trgm_ops)",
        *numbering.INDEXES,
    )

    def __init__(self, datastore: PostgresDatastore, *, indexes: bool = True) -> None:
        super().__init__(datastore, indexes=indexes)
        self.numbering = numbering.Numbering(self)

    def begin_batch(
        self, flush_every: int = 100_000, keep: int = 150_000, *, track: bool = True
    ) -> None:
        self.numbering.forget()
        super().begin_batch(flush_every, keep, track=track)

    def end_batch(self, *, flush: bool = True) -> None:
        try:
            super().end_batch(flush=flush)
        finally:
            self.numbering.forget()

    def finish_rebuild(self) -> None:
        self.numbering.finish()

    def create_table(self) -> None:
        ensure_trigram_extension(self)
        super().create_table()

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        ids = {e.originator_id for e in events}
        rows = self.rows_by_petition(curs, "petition_list", ids)
        raised = [
            (e, at)
            for e, at in zip(events, self.positions, strict=True)
            if isinstance(e, Petition.Raised)
        ]
        if raised:
            numbers = self.numbering.rows(curs, raised)
            self.upsert_rows(curs, numbering.TABLE, numbers, ["petition_id"])
        for e in events:
            if isinstance(e, Petition.Raised):
                rows[e.originator_id] = {
                    "petition_id": e.originator_id,
                    "version": 0,
                    "organisation": e.organisation,
                    "referred_to": None,
                    "status": str(Status.RAISED),
                    "kind": e.kind,
                    "category": e.category,
                    "zone": e.zone,
                    "commune": e.commune,
                    "cell": e.cell,
                    "channel": e.channel,
                    "meeting": e.meeting,
                    "raised_by": e.raised_by,
                    "summary": e.summary,
                    "raised_on": e.business_date,
                    "department": None,
                    "departments": [],
                    "due_on": None,
                    "answered_on": None,
                    "verify_by": None,
                    "escalations": 0,
                    "reopen_count": 0,
                    "last_business_date": e.business_date,
                    **NOT_GIVEN_BACK,
                    "escalated_on": None,
                    "escalation_reason": None,
                    "cosigners": 0,
                    "search": fold_text(f"{e.summary}\n{e.text}\n{e.raised_by}"),
                }
            row = rows[e.originator_id]
            apply_event(row, e)
            row["version"] = e.originator_version
            if e.moves_clock:  # as the aggregate's: the policy's events and notes do not
                row["last_business_date"] = e.business_date
        self.upsert_rows(curs, "petition_list", list(rows.values()), ["petition_id"])

    # ---- queries ----------------------------------------------------------------------

    def find(
        self,
        petition_filter: PetitionFilter,
        *,
        cursor: str | None = None,
        limit: int = 50,
        organisations: Organisations = None,
    ) -> PetitionPage:
        """Newest first, of ``organisations`` (None: every one); ``cursor`` continues after
        the last row of the previous page."""
        limit = max(1, min(limit, MAX_PAGE))
        where, params = conditions(petition_filter, organisations)
        if cursor:
            raised_on, petition_id = decode_cursor(cursor)
            where.append(sql.SQL("(raised_on, petition_id) < (%s, %s)"))
            params += [raised_on, petition_id]
        statement = sql.SQL(
            "SELECT * FROM {} {} ORDER BY raised_on DESC, petition_id DESC LIMIT %s"
        ).format(
            self.numbered(),
            sql.SQL("WHERE ") + sql.SQL(" AND ").join(where) if where else sql.SQL(""),
        )
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, [*params, limit + 1])
            rows = [dict(r) for r in curs.fetchall()]
        for row in rows:
            row.pop("search")
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = (
            encode_cursor(rows[-1]["raised_on"], rows[-1]["petition_id"]) if more else None
        )
        return PetitionPage(rows, next_cursor)

    def numbered(self) -> sql.Composed:
        """The list's rows with their number's year and sequence (``number_year``,
        ``number_seq``; null until numbered), as one table to filter."""
        return sql.SQL(
            "(SELECT l.*, n.year AS number_year, n.seq AS number_seq FROM {} AS l"
            " LEFT JOIN {} AS n ON n.petition_id = l.petition_id) AS petition_list"
        ).format(self.table("petition_list"), self.table(numbering.TABLE))

    def numbers(self, ids: set[UUID] | list[UUID]) -> dict[UUID, tuple[int, int]]:
        """The year and sequence of each petition of ``ids`` that has its number."""
        return self.numbering.of(ids)

    def count_by_status(self, *, organisations: Organisations = None) -> dict[str, int]:
        return self.count_by("petition_list", "status", organisations=organisations)

    def count_by_cell(self, organisation: str) -> dict[str, int]:
        """How many petitions each cell of ``organisation`` raised (duplicates counted)."""
        return self.count_by("petition_list", "cell", organisations=frozenset({organisation}))

    def open_by_department(self, *, organisations: Organisations = None) -> dict[str | None, int]:
        """Open petitions (raised, assigned, answered) per department in charge."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT department, count(*) AS n FROM {} WHERE status IN ({}) AND {}"
                    " GROUP BY department"
                ).format(self.table("petition_list"), OPEN_SQL, OF_ORGANISATIONS),
                {"organisations": organisation_codes(organisations)},
            )
            return {r["department"]: int(r["n"]) for r in curs.fetchall()}

    def policy_candidates(
        self, due_by: date, min_reopens: int = 2, *, organisations: Organisations = None
    ) -> list[UUID]:
        """Petitions the deadline policy looks at: those it may remind about (assigned)
        due by ``due_by`` (overdue included), and those it may escalate (open) reopened
        at least ``min_reopens`` times; the statuses are the lifecycle's."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT petition_id FROM {} WHERE ((status = ANY(%(remind)s)"
                    " AND due_on <= %(due_by)s)"
                    " OR (status = ANY(%(escalate)s) AND reopen_count >= %(reopens)s)) AND {}"
                    " ORDER BY due_on NULLS LAST, petition_id"
                ).format(self.table("petition_list"), OF_ORGANISATIONS),
                {
                    "remind": statuses_of(Command.REMIND),
                    "due_by": due_by,
                    "escalate": statuses_of(Command.ESCALATE),
                    "reopens": min_reopens,
                    "organisations": organisation_codes(organisations),
                },
            )
            return [r["petition_id"] for r in curs.fetchall()]

    def awaiting_committee(self, *, organisations: Organisations = None) -> list[Row]:
        """The petitions a committee's queue is made of: those awaiting assignment (new,
        declined, returned) and the open ones escalated, oldest first (at most
        ``MAX_QUEUE``)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT * FROM {} WHERE (status = %(raised)s"
                    " OR (status IN ({}) AND escalations > 0)) AND {}"
                    " ORDER BY raised_on, petition_id LIMIT %(limit)s"
                ).format(self.numbered(), OPEN_SQL, OF_ORGANISATIONS),
                {
                    "raised": str(Status.RAISED),
                    "organisations": organisation_codes(organisations),
                    "limit": MAX_QUEUE,
                },
            )
            rows = [dict(r) for r in curs.fetchall()]
        for row in rows:
            row.pop("search")
        return rows

    def candidates(
        self, *, organisation: str, category: str, commune: str, folded: str, closed_since: date
    ) -> list[Row]:
        """The petitions a new one of ``organisation`` may repeat: open, or closed on or
        after ``closed_since``; of its ``category`` and ``commune``, or whose text begins
        with ``folded`` (the new one's summary and text, folded), wherever they are. Each
        with its folded ``search`` text, for the caller to measure."""
        prefix = folded + "\n"
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT petition_id, version, organisation, status, kind, category, zone,"
                    " commune, cell, summary, raised_on, department, departments,"
                    " last_business_date, search FROM {} WHERE organisation = %(organisation)s"
                    " AND (status IN ({}) OR (status = %(closed)s"
                    " AND last_business_date >= %(since)s))"
                    " AND ((category = %(category)s AND commune = %(commune)s)"
                    " OR left(search, %(length)s) = %(prefix)s)"
                    " ORDER BY raised_on DESC, petition_id LIMIT %(limit)s"
                ).format(self.table("petition_list"), OPEN_SQL),
                {
                    "organisation": organisation,
                    "closed": str(Status.CLOSED),
                    "since": closed_since,
                    "category": category,
                    "commune": commune,
                    "length": len(prefix),
                    "prefix": prefix,
                    "limit": MAX_CANDIDATES,
                },
            )
            return [dict(r) for r in curs.fetchall()]

    def get(self, petition_id: UUID, *, organisations: Organisations = None) -> Row | None:
        """The petition's row (None: no such petition, or one of another organisation)."""
        with self.datastore.transaction(commit=False) as curs:
            rows = self.query_rows(curs, "petition_list", [petition_id])
        if rows and organisations is not None and rows[0]["organisation"] not in organisations:
            return None
        return rows[0] if rows else None


def apply_event(row: Row, e: Any) -> None:
    """How each event changes a petition's list row; its status as the event says."""
    row["status"] = str(e.next_status(Status(row["status"])))
    if isinstance(e, Petition.Assignment) or (isinstance(e, Petition.Reopened) and e.department):
        row.update(department=e.department, due_on=e.due_on, verify_by=None, **NOT_GIVEN_BACK)
        if e.department not in row["departments"]:
            row["departments"] = [*row["departments"], e.department]
    if isinstance(e, Petition.ReferredUpward):
        row["referred_to"] = e.organisation
    elif isinstance(e, Petition.Reopened):
        row["reopen_count"] += 1
        if not e.department:
            row.update(department=None, due_on=None, **NOT_GIVEN_BACK)
    elif isinstance(e, Petition.AssignmentDeclined | Petition.ReferralReturned):
        row.update(
            department=None,
            due_on=None,
            given_back=str(GIVE_BACKS[type(e)]),
            given_back_by=e.department,
            given_back_reason=e.reason,
            given_back_on=e.business_date,
        )
        if isinstance(e, Petition.ReferralReturned):
            row["referred_to"] = None
    elif isinstance(e, Petition.DeadlineExtended | Petition.ClockResumed):
        row["due_on"] = e.due_on  # a paused clock changes nothing listed until it resumes
    elif isinstance(e, ANSWERS):
        row.update(answered_on=e.business_date, verify_by=e.verify_by)
    elif isinstance(e, Petition.AnswerHeld):  # answered once cleared (domain.clearance)
        row.update(answered_on=None, verify_by=None)
    elif isinstance(e, Petition.AnswerCleared):
        row.update(answered_on=e.business_date, verify_by=e.verify_by)
    elif isinstance(e, Petition.Cosigned):
        row["cosigners"] += 1
    elif isinstance(e, Petition.CoordinatorsNamed):
        # each coordinating department sees the petition, as the departments it was given to
        named = [c["department"] for c in e.coordinators]
        row["departments"] = [
            *row["departments"],
            *(d for d in named if d not in row["departments"]),
        ]
    elif isinstance(e, Petition.Escalated):
        row.update(
            escalations=row["escalations"] + 1,
            escalated_on=e.business_date,
            escalation_reason=e.reason,
        )


ANSWERS = (Petition.AnsweredInWriting, Petition.AnsweredOnTheSpot)
# The department in charge gives the petition back: the committee assigns it again.
GIVE_BACKS: dict[type, GiveBack] = {
    Petition.AssignmentDeclined: GiveBack.DECLINED,
    Petition.ReferralReturned: GiveBack.REFERRAL_RETURNED,
}
NOT_GIVEN_BACK = dict.fromkeys(
    ("given_back", "given_back_by", "given_back_reason", "given_back_on")
)


def statuses_of(command: Command) -> list[str]:
    """The statuses in which the lifecycle takes ``command``, as the rows hold them."""
    return sorted(str(s) for s in LIFECYCLE[command].statuses)


OPEN_SQL = sql.SQL(", ").join(sql.Literal(str(s)) for s in sorted(OPEN_STATUSES))
OF_ORGANISATIONS = sql.SQL(
    "(%(organisations)s::text[] IS NULL OR organisation = ANY(%(organisations)s::text[]))"
)


def conditions(
    f: PetitionFilter, organisations: Organisations = None
) -> tuple[list[sql.Composable], list[Any]]:
    where: list[sql.Composable] = []
    params: list[Any] = []
    if organisations is not None:
        where.append(sql.SQL("organisation = ANY(%s::text[])"))
        params.append(organisation_codes(organisations))
    for column in (
        "status",
        "department",
        "category",
        "zone",
        "commune",
        "cell",
        "kind",
        "channel",
    ):
        value = getattr(f, column)
        if value is not None:
            where.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
            params.append(value)
    if f.visible_to_department is not None:
        where.append(sql.SQL("departments @> ARRAY[%s]::text[]"))
        params.append(f.visible_to_department)
    if f.number is not None:
        where.append(sql.SQL("number_year = %s AND number_seq = %s"))
        params += list(f.number)
    if f.raised_from is not None:
        where.append(sql.SQL("raised_on >= %s"))
        params.append(f.raised_from)
    if f.raised_to is not None:
        where.append(sql.SQL("raised_on <= %s"))
        params.append(f.raised_to)
    for term in fold_text(f.text or "").split():
        where.append(sql.SQL("search LIKE %s"))
        params.append(
            "%" + term.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        )
    return where, params


def encode_cursor(raised_on: date, petition_id: UUID) -> str:
    return base64.urlsafe_b64encode(f"{raised_on.isoformat()}|{petition_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[date, UUID]:
    try:
        raised_on, petition_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return date.fromisoformat(raised_on), UUID(petition_id)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError("the cursor is not one this service gave out") from error


def ensure_trigram_extension(view: View) -> None:
    """pg_trgm makes the text search use an index; it ships with PostgreSQL's contrib."""
    try:
        with view.datastore.transaction(commit=True) as curs:
            curs.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except (IntegrityError, ProgrammingError):
        pass  # another process created it at the same moment
