"""The members' duty: each assignment's row (member, term, status, what the member is
assigned to and from when, as spans), and the reads the duty's reports make of the
meetings' view: the cell meetings with the committee members who came, the members' rows
at briefings and the petitions raised at cell meetings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from domain.duty import DUTY_EVENTS, Duty, Span, changed, ended
from domain.duty_record import BriefingSeat, CellMeeting, CellPetition, Member
from domain.vocabulary import AttendeeRole, Channel, MeetingKind, MeetingStatus
from projections.base import Organisations, Row, View, organisation_codes
from projections.meetings import MeetingsView

HELD = (MeetingStatus.HELD, MeetingStatus.MINUTED, MeetingStatus.CLOSED)
ORGANISATIONS = "(%(organisations)s::text[] IS NULL OR {o} = ANY(%(organisations)s::text[]))"


def spans_text(spans: Sequence[Span]) -> str:
    """The spans as the row stores them (JSON, in order)."""
    return json.dumps(
        [
            {
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
                "communes": list(s.communes),
                "cells": list(s.cells),
            }
            for s in spans
        ],
        ensure_ascii=False,
    )


def spans_of(text: str) -> list[Span]:
    return [
        Span(
            date.fromisoformat(s["start"]),
            date.fromisoformat(s["end"]),
            tuple(s["communes"]),
            tuple(s["cells"]),
        )
        for s in json.loads(text)
    ]


class DutiesView(View):
    name = "duties"
    revision = 1
    tables = {
        "duty_assignments": """
            assignment_id uuid PRIMARY KEY, organisation text NOT NULL, member text NOT NULL,
            name text NOT NULL, start_on date NOT NULL, end_on date NOT NULL, ended_on date,
            end_reason text, status text NOT NULL, communes text[] NOT NULL,
            cells text[] NOT NULL, spans text NOT NULL, assigned_on date NOT NULL,
            version int NOT NULL""",
    }
    owners = {"duty_assignments": "assignment_id"}
    indexes = (
        "CREATE INDEX IF NOT EXISTS duty_assignments_member ON {duty_assignments}"
        " (organisation, member)",
    )
    handles = DUTY_EVENTS

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        ids = {e.originator_id for e in events}
        rows = {r["assignment_id"]: r for r in self.select_rows(curs, "duty_assignments", ids)}
        for e in events:
            self.apply_event(rows, e)
        self.upsert_rows(curs, "duty_assignments", list(rows.values()), ["assignment_id"])

    @staticmethod
    def apply_event(rows: dict[UUID, Row], e: Any) -> Row:
        aid = e.originator_id
        if isinstance(e, Duty.Assigned):
            spans = [Span(e.start_on, e.end_on, tuple(e.communes), tuple(e.cells))]
            rows[aid] = {
                "assignment_id": aid,
                "organisation": e.organisation,
                "member": e.member,
                "name": e.name,
                "start_on": e.start_on,
                "end_on": e.end_on,
                "ended_on": None,
                "end_reason": None,
                "status": "active",
                "communes": list(e.communes),
                "cells": list(e.cells),
                "spans": spans_text(spans),
                "assigned_on": e.business_date,
                "version": e.originator_version,
            }
            return rows[aid]
        row = rows[aid] = dict(rows[aid])
        row["version"] = e.originator_version
        if isinstance(e, Duty.Changed):
            spans = changed(spans_of(row["spans"]), e.effective_on, e.end_on, e.communes, e.cells)
            row["end_on"], row["communes"], row["cells"] = e.end_on, list(e.communes), list(e.cells)
        else:
            spans = ended(spans_of(row["spans"]), e.ended_on)
            row["ended_on"], row["end_reason"], row["status"] = e.ended_on, e.reason, "ended"
        row["spans"] = spans_text(spans)
        return row

    # ---- queries ------------------------------------------------------------------------

    def assignments(self, organisations: Organisations, *, member: str | None = None) -> list[Row]:
        """The assignments of ``organisations`` (of ``member`` only), by member and term."""
        statement = sql.SQL(
            "SELECT * FROM {} WHERE "
            + ORGANISATIONS.format(o="organisation")
            + " AND (%(member)s::text IS NULL OR member = %(member)s)"
            " ORDER BY organisation, member, start_on, assignment_id"
        ).format(self.table("duty_assignments"))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                statement,
                {"organisations": organisation_codes(organisations), "member": member},
            )
            return [self.plain(dict(r)) for r in curs.fetchall()]

    @staticmethod
    def plain(row: Row) -> Row:
        spans = spans_of(row.pop("spans"))
        return row | {
            "spans": [
                {
                    "start": s.start,
                    "end": s.end,
                    "communes": list(s.communes),
                    "cells": list(s.cells),
                }
                for s in spans
            ]
        }

    def members(
        self, organisations: Organisations, start: date, end: date, member: str | None = None
    ) -> list[Member]:
        """The members with a term from ``start`` to ``end``: each with the spans of every
        assignment of theirs, named as their latest assignment names them."""
        statement = sql.SQL(
            "SELECT organisation, member, name, spans FROM {} WHERE "
            + ORGANISATIONS.format(o="organisation")
            + " AND start_on <= %(end)s AND coalesce(ended_on, end_on) >= %(start)s"
            " AND (%(member)s::text IS NULL OR member = %(member)s)"
            " ORDER BY organisation, member, start_on, assignment_id"
        ).format(self.table("duty_assignments"))
        params = {
            "organisations": organisation_codes(organisations),
            "start": start,
            "end": end,
            "member": member,
        }
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            found: dict[tuple[str, str], Member] = {}
            for r in curs.fetchall():
                key = (r["organisation"], r["member"])
                before = found.get(key)
                spans = (*(before.spans if before else ()), *spans_of(r["spans"]))
                found[key] = Member(r["organisation"], r["member"], r["name"], spans)
        return list(found.values())

    def expected(
        self, organisation: str, cell: str | None, commune: str | None, day: date
    ) -> tuple[str, ...]:
        """The names of the members assigned on ``day`` to ``cell`` (or its commune), who
        a meeting of the cell scheduled without members expects (none without a cell)."""
        if cell is None:
            return ()
        members = self.members(frozenset({organisation}), day, day)
        return tuple(
            sorted(
                m.name
                for m in members
                if any(s.covers(day) and s.holds(cell, commune) for s in m.spans)
            )
        )

    # ---- what the reports read of the meetings' view --------------------------------------

    @staticmethod
    def cell_meetings(
        meetings: MeetingsView, organisations: Organisations, start: date, end: date
    ) -> list[CellMeeting]:
        """The cell meetings on a day from ``start`` to ``end`` (held on, else scheduled on),
        with the committee members who came."""
        statement = sql.SQL(
            "SELECT m.meeting_id, m.organisation, m.cell, m.commune, m.status, m.members,"
            " coalesce(m.held_on, m.scheduled_on) AS day,"
            " coalesce(array_agg(a.person) FILTER (WHERE a.person IS NOT NULL), '{{}}') AS came"
            " FROM {meetings} m LEFT JOIN {attendance} a ON a.meeting_id = m.meeting_id"
            " AND a.role = {member} AND a.status <> 'absent'"
            " WHERE m.kind = {kind} AND "
            + ORGANISATIONS.format(o="m.organisation")
            + " AND coalesce(m.held_on, m.scheduled_on) BETWEEN %(start)s AND %(end)s"
            " GROUP BY m.meeting_id ORDER BY day, m.cell"
        ).format(
            meetings=meetings.table("meetings"),
            attendance=meetings.table("meeting_attendance"),
            member=sql.Literal(str(AttendeeRole.COMMITTEE_MEMBER)),
            kind=sql.Literal(str(MeetingKind.CELL_MEETING)),
        )
        params = {"organisations": organisation_codes(organisations), "start": start, "end": end}
        with meetings.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return [
                CellMeeting(
                    meeting_id=r["meeting_id"],
                    organisation=r["organisation"],
                    cell=r["cell"],
                    commune=r["commune"],
                    day=r["day"],
                    status=r["status"],
                    members=frozenset(r["members"]),
                    attended_by=frozenset(r["came"]),
                    held=r["status"] in HELD,
                )
                for r in curs.fetchall()
            ]

    @staticmethod
    def briefing_seats(
        meetings: MeetingsView, organisations: Organisations, start: date, end: date
    ) -> list[BriefingSeat]:
        """The committee members' rows at the briefings held from ``start`` to ``end``."""
        statement = sql.SQL(
            "SELECT organisation, person, held_on, status FROM {} WHERE kind = {} AND role = {}"
            " AND person IS NOT NULL AND "
            + ORGANISATIONS.format(o="organisation")
            + " AND held_on BETWEEN %(start)s AND %(end)s"
        ).format(
            meetings.table("meeting_attendance"),
            sql.Literal(str(MeetingKind.SECRETARY_BRIEFING)),
            sql.Literal(str(AttendeeRole.COMMITTEE_MEMBER)),
        )
        params = {"organisations": organisation_codes(organisations), "start": start, "end": end}
        with meetings.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return [
                BriefingSeat(r["organisation"], r["person"], r["held_on"], r["status"] != "absent")
                for r in curs.fetchall()
            ]

    @staticmethod
    def cell_petitions(
        meetings: MeetingsView, organisations: Organisations, start: date, end: date
    ) -> list[CellPetition]:
        """The petitions raised at cell meetings from ``start`` to ``end``, with the member."""
        statement = sql.SQL(
            "SELECT organisation, member, raised_on FROM {} WHERE channel = {}"
            " AND member IS NOT NULL AND "
            + ORGANISATIONS.format(o="organisation")
            + " AND raised_on BETWEEN %(start)s AND %(end)s"
        ).format(meetings.table("meeting_petitions"), sql.Literal(str(Channel.CELL_MEETING)))
        params = {"organisations": organisation_codes(organisations), "start": start, "end": end}
        with meetings.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return [
                CellPetition(r["organisation"], r["member"], r["raised_on"])
                for r in curs.fetchall()
            ]
