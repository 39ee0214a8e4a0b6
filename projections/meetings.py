"""Meetings: each meeting's row (what it is of, its status, its notice, agenda and minutes),
each expected person's attendance at it, where each petition was raised (the meeting the
service keeps, if any, and its channel and member) and the verdicts given at a meeting the
service keeps. The attendance report adds them up per secretary, cell, commune and
committee member, for any period of the meetings' dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from domain.meeting import MEETING_EVENTS, Meeting
from domain.petition import Petition
from domain.vocabulary import Attendance, AttendeeRole, Channel, MeetingKind
from projections.base import Organisations, Row, View, organisation_codes

# The figures of attendance, as SQL over meeting_attendance's rows.
FIGURES = sql.SQL(
    "count(*) AS expected,"
    " count(*) FILTER (WHERE status = 'present') AS present,"
    " count(*) FILTER (WHERE status = 'late') AS late,"
    " count(*) FILTER (WHERE status = 'absent' AND excused) AS absent_excused,"
    " count(*) FILTER (WHERE status = 'absent' AND NOT excused) AS absent_unexcused,"
    " coalesce(sum(minutes_late), 0) AS minutes_late"
)
PERIOD = (
    " (%(organisations)s::text[] IS NULL OR organisation = ANY(%(organisations)s::text[]))"
    " AND (%(start)s::date IS NULL OR held_on >= %(start)s)"
    " AND (%(end)s::date IS NULL OR held_on <= %(end)s)"
)
# What was recorded by the moment a report is as of (None: now).
AS_OF = " AND (%(as_of)s::timestamptz IS NULL OR recorded_at <= %(as_of)s)"
assert {Attendance.PRESENT, Attendance.LATE, Attendance.ABSENT} == set(Attendance)


@dataclass(frozen=True)
class Period:
    """The meetings a report or list holds: of ``organisations`` (None: every one), held
    (or scheduled, for a list) from ``start`` to ``end``; as recorded by ``as_of``
    (None: now)."""

    organisations: Organisations = None
    start: date | None = None
    end: date | None = None
    as_of: datetime | None = None

    def params(self) -> dict[str, Any]:
        return {
            "organisations": organisation_codes(self.organisations),
            "start": self.start,
            "end": self.end,
            "as_of": self.as_of,
        }


def rate(attended: int, expected: int) -> float | None:
    """Attended of expected, a percentage rounded half up to one decimal (None: none
    expected)."""
    if not expected:
        return None
    share = Decimal(attended * 100) / Decimal(expected)
    return float(share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def with_rate(row: Row) -> Row:
    """A row of attendance figures with its rate: present or late, of those expected."""
    return {**row, "rate": rate(row["present"] + row["late"], row["expected"])}


class MeetingsView(View):
    name = "meetings"
    revision = 2
    tables = {
        "meetings": """
            meeting_id uuid PRIMARY KEY, organisation text NOT NULL, kind text NOT NULL,
            zone text, cell text, commune text, status text NOT NULL,
            scheduled_on date NOT NULL, held_on date, chair text, members text[] NOT NULL,
            notices int NOT NULL, notice_sent_on date, notice_days_before int,
            notice_late boolean, notice_required_days int, agenda text[],
            minuted boolean NOT NULL, petitions_raised int NOT NULL, minutes_petitions text[],
            version int NOT NULL""",
        "meeting_attendance": """
            meeting_id uuid NOT NULL, attendee text NOT NULL, organisation text NOT NULL,
            kind text NOT NULL, held_on date NOT NULL, role text NOT NULL, zone text,
            cell text, commune text, person text, department text, status text NOT NULL,
            minutes_late int, excused boolean NOT NULL, reason text,
            recorded_at timestamptz NOT NULL, PRIMARY KEY (meeting_id, attendee)""",
        "meeting_petitions": """
            petition_id uuid PRIMARY KEY, organisation text NOT NULL, meeting_id uuid,
            channel text NOT NULL, member text, zone text NOT NULL, cell text NOT NULL,
            raised_on date NOT NULL, recorded_at timestamptz NOT NULL""",
        "meeting_verdicts": """
            petition_id uuid NOT NULL, version int NOT NULL, organisation text NOT NULL,
            meeting_id uuid NOT NULL, verdict text NOT NULL, verified_on date NOT NULL,
            PRIMARY KEY (petition_id, version)""",
        # each department asked for its information for a meeting's agenda
        "meeting_requests": """
            meeting_id uuid NOT NULL, department text NOT NULL, organisation text NOT NULL,
            petitions int NOT NULL, requested_on date NOT NULL, due_on date NOT NULL,
            received_on date, PRIMARY KEY (meeting_id, department)""",
        # the meeting's figures after each of its events, when it was recorded (as of a moment)
        "meeting_states": """
            meeting_id uuid NOT NULL, version int NOT NULL, organisation text NOT NULL,
            status text NOT NULL, held_on date, notice_late boolean, minuted boolean NOT NULL,
            recorded_at timestamptz NOT NULL, PRIMARY KEY (meeting_id, version)""",
    }
    owners = {
        "meetings": "meeting_id",
        "meeting_attendance": "meeting_id",
        "meeting_requests": "meeting_id",
        "meeting_states": "meeting_id",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS meeting_attendance_held ON {meeting_attendance}"
        " (organisation, held_on)",
        "CREATE INDEX IF NOT EXISTS meetings_scheduled ON {meetings} (organisation, scheduled_on)",
        "CREATE INDEX IF NOT EXISTS meeting_petitions_meeting ON {meeting_petitions} (meeting_id)",
        "CREATE INDEX IF NOT EXISTS meeting_verdicts_meeting ON {meeting_verdicts} (meeting_id)",
        "CREATE INDEX IF NOT EXISTS meeting_petitions_raised ON {meeting_petitions}"
        " (organisation, raised_on)",
    )
    # The meetings' events, and the petitions' raisings and verdicts that name a meeting.
    handles = MEETING_EVENTS | {Petition.Raised, Petition.Verified}

    def apply_page(self, curs: psycopg.Cursor[Any], events: list[Any]) -> None:
        meeting_ids = {e.originator_id for e in events if isinstance(e, Meeting.Event)}
        meetings = {r["meeting_id"]: r for r in self.select_rows(curs, "meetings", meeting_ids)}
        requests = {
            (r["meeting_id"], r["department"]): r
            for r in self.select_rows(curs, "meeting_requests", meeting_ids)
        }
        states: list[Row] = []
        attendance: list[Row] = []
        petitions: list[Row] = []
        verdicts: list[Row] = []
        verified = {e.originator_id for e in events if isinstance(e, Petition.Verified)}
        raised = self.rows_by_petition(curs, "meeting_petitions", verified)
        for e in events:
            if isinstance(e, Petition.Raised):
                raised[e.originator_id] = self.raised_row(e)
                petitions.append(raised[e.originator_id])
            elif isinstance(e, Petition.Verified):
                if e.meeting_id is not None:
                    verdicts.append(
                        {
                            "petition_id": e.originator_id,
                            "version": e.originator_version,
                            "organisation": raised[e.originator_id]["organisation"],
                            "meeting_id": e.meeting_id,
                            "verdict": e.verdict,
                            "verified_on": e.business_date,
                        }
                    )
            else:
                attendance += self.apply_meeting(meetings, e)
                states.append(state_row(meetings[e.originator_id], e))
                apply_request(meetings[e.originator_id], requests, e)
        self.upsert_rows(curs, "meetings", list(meetings.values()), ["meeting_id"])
        self.upsert_rows(
            curs, "meeting_requests", list(requests.values()), ["meeting_id", "department"]
        )
        self.upsert_rows(curs, "meeting_states", states, ["meeting_id", "version"])
        self.upsert_rows(curs, "meeting_attendance", attendance, ["meeting_id", "attendee"])
        self.upsert_rows(curs, "meeting_petitions", petitions, ["petition_id"])
        self.upsert_rows(curs, "meeting_verdicts", verdicts, ["petition_id", "version"])

    @staticmethod
    def raised_row(e: Petition.Raised) -> Row:
        return {
            "petition_id": e.originator_id,
            "organisation": e.organisation,
            "meeting_id": e.meeting_id,
            "channel": e.channel,
            "member": e.member,
            "zone": e.zone,
            "cell": e.cell,
            "raised_on": e.business_date,
            "recorded_at": e.timestamp,
        }

    def apply_meeting(self, meetings: dict[UUID, Row], e: Any) -> list[Row]:
        """The meeting's row after ``e``, and the attendance rows it makes."""
        mid = e.originator_id
        if isinstance(e, Meeting.Scheduled):
            meetings[mid] = {
                "meeting_id": mid,
                "organisation": e.organisation,
                "kind": e.kind,
                "zone": e.zone,
                "cell": e.cell,
                "commune": e.commune,
                "status": "scheduled",
                "scheduled_on": e.scheduled_on,
                "held_on": None,
                "chair": None,
                "members": list(e.members),
                "notices": 0,
                "notice_sent_on": None,
                "notice_days_before": None,
                "notice_late": None,
                "notice_required_days": None,
                "agenda": None,
                "minuted": False,
                "petitions_raised": 0,
                "minutes_petitions": None,
                "version": e.originator_version,
            }
            return []
        row = meetings[mid] = dict(meetings[mid])
        row["version"] = e.originator_version
        row["status"] = str(e.next_status(row["status"]))
        made: list[Row] = []
        if isinstance(e, Meeting.Moved):
            row["scheduled_on"] = e.scheduled_on
        elif isinstance(e, Meeting.NoticeSent):
            row["notices"] += 1
            row["notice_sent_on"] = e.business_date
            row["notice_days_before"] = e.days_before
            row["notice_late"] = e.late
            row["notice_required_days"] = e.required_days
        elif isinstance(e, Meeting.AgendaIssued):
            row["agenda"] = [str(p) for p in e.petitions]
        elif isinstance(e, Meeting.Held):
            row["held_on"], row["chair"] = e.business_date, e.chair
            made = [self.attendance_row(row, a, e) for a in e.attendance]
        elif isinstance(e, Meeting.MinutesRecorded):
            row["minuted"] = True
            row["petitions_raised"] = len(e.petitions_raised)
            row["minutes_petitions"] = [str(p) for p in e.petitions_raised]
        return made

    @staticmethod
    def attendance_row(meeting: Row, entry: dict[str, Any], held: Any) -> Row:
        role = entry["role"]
        who = entry.get("cell") if role == AttendeeRole.SECRETARY else entry.get("person")
        return {
            "meeting_id": meeting["meeting_id"],
            "attendee": f"{role}:{who}",
            "organisation": meeting["organisation"],
            "kind": meeting["kind"],
            "held_on": held.business_date,
            "role": role,
            "zone": meeting["zone"],
            "cell": entry.get("cell"),
            "commune": entry.get("commune"),
            "person": entry.get("person"),
            "department": entry.get("department"),
            "status": entry["status"],
            "minutes_late": entry.get("minutes_late"),
            "excused": bool(entry.get("excused")),
            "reason": entry.get("reason"),
            "recorded_at": held.timestamp,
        }

    # ---- queries ------------------------------------------------------------------------

    def meetings(
        self,
        period: Period,
        *,
        kind: str | None = None,
        status: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Row]:
        """Meetings scheduled in the period (by their current date), latest first."""
        statement = sql.SQL(
            "SELECT * FROM {} WHERE (%(organisations)s::text[] IS NULL"
            " OR organisation = ANY(%(organisations)s::text[]))"
            " AND (%(start)s::date IS NULL OR scheduled_on >= %(start)s)"
            " AND (%(end)s::date IS NULL OR scheduled_on <= %(end)s)"
            " AND (%(kind)s::text IS NULL OR kind = %(kind)s)"
            " AND (%(status)s::text IS NULL OR status = %(status)s)"
            " ORDER BY scheduled_on DESC, meeting_id LIMIT %(limit)s OFFSET %(offset)s"
        ).format(self.table("meetings"))
        params = period.params() | {"kind": kind, "status": status}
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params | {"limit": limit, "offset": offset})
            return [dict(r) for r in curs.fetchall()]

    def linked(self, meeting_id: UUID) -> dict[str, list[Row]]:
        """The petitions raised at the meeting, and the verdicts given at it."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT petition_id, channel, member, cell, raised_on FROM {}"
                    " WHERE meeting_id = %s ORDER BY raised_on, petition_id"
                ).format(self.table("meeting_petitions")),
                (meeting_id,),
            )
            raised = [dict(r) for r in curs.fetchall()]
            curs.execute(
                sql.SQL(
                    "SELECT petition_id, verdict, verified_on FROM {}"
                    " WHERE meeting_id = %s ORDER BY petition_id, version"
                ).format(self.table("meeting_verdicts")),
                (meeting_id,),
            )
            return {"raised": raised, "verdicts": [dict(r) for r in curs.fetchall()]}

    def attendance(self, period: Period) -> Row:
        """The attendance figures of the meetings held in the period: each secretary's,
        cell's and commune's at the briefings, each committee member's, and the whole."""
        params = period.params()
        secretaries = sql.SQL(" AND role = {} AND kind = {}").format(
            sql.Literal(str(AttendeeRole.SECRETARY)),
            sql.Literal(str(MeetingKind.SECRETARY_BRIEFING)),
        )
        table = self.table("meeting_attendance")
        where = sql.SQL(PERIOD)

        def grouped(columns: str, extra: sql.Composable = secretaries) -> list[Row]:
            names = sql.SQL(columns)
            statement = sql.SQL(
                "SELECT {names}, {figures} FROM {table} WHERE {where}{extra}" + AS_OF + ""
                " GROUP BY {names} ORDER BY {names}"
            ).format(names=names, figures=FIGURES, table=table, where=where, extra=extra)
            with self.datastore.transaction(commit=False) as curs:
                curs.execute(statement, params)
                return [with_rate(dict(r)) for r in curs.fetchall()]

        whole = grouped("organisation")
        return {
            "secretaries": grouped("organisation, commune, cell, person"),
            "cells": grouped("organisation, commune, cell"),
            "communes": grouped("organisation, commune"),
            "organisations": whole,
            "members": self.members(period),
            "meetings": self.meeting_figures(period),
        }

    def members(self, period: Period) -> list[Row]:
        """Each committee member's attendance: cell meetings and briefings expected at and
        attended, and the petitions raised at the cell meetings the member attended."""
        params = period.params()
        member = sql.Literal(str(AttendeeRole.COMMITTEE_MEMBER))
        cell, briefing = (
            sql.Literal(str(MeetingKind.CELL_MEETING)),
            sql.Literal(str(MeetingKind.SECRETARY_BRIEFING)),
        )
        statement = sql.SQL(
            "SELECT organisation, person AS member,"
            " count(*) FILTER (WHERE kind = {cell}) AS cell_meetings_expected,"
            " count(*) FILTER (WHERE kind = {cell} AND status <> 'absent')"
            " AS cell_meetings_attended,"
            " count(*) FILTER (WHERE kind = {briefing}) AS briefings_expected,"
            " count(*) FILTER (WHERE kind = {briefing} AND status <> 'absent')"
            " AS briefings_attended"
            " FROM {table} WHERE {where} AND role = {member}" + AS_OF + ""
            " GROUP BY organisation, person ORDER BY organisation, person"
        ).format(
            cell=cell,
            briefing=briefing,
            table=self.table("meeting_attendance"),
            where=sql.SQL(PERIOD),
            member=member,
        )
        raised = sql.SQL(
            "SELECT organisation, member, count(*) AS n FROM {} WHERE channel = {}"
            " AND member IS NOT NULL"
            " AND (%(organisations)s::text[] IS NULL"
            " OR organisation = ANY(%(organisations)s::text[]))"
            " AND (%(start)s::date IS NULL OR raised_on >= %(start)s)"
            " AND (%(end)s::date IS NULL OR raised_on <= %(end)s)" + AS_OF + ""
            " GROUP BY organisation, member"
        ).format(self.table("meeting_petitions"), sql.Literal(str(Channel.CELL_MEETING)))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            rows = {(r["organisation"], r["member"]): dict(r) for r in curs.fetchall()}
            curs.execute(raised, params)
            counts = {(r["organisation"], r["member"]): int(r["n"]) for r in curs.fetchall()}
        for key in counts.keys() - rows.keys():  # raised at a cell meeting kept nowhere here
            rows[key] = {
                "organisation": key[0],
                "member": key[1],
                "cell_meetings_expected": 0,
                "cell_meetings_attended": 0,
                "briefings_expected": 0,
                "briefings_attended": 0,
            }
        return [
            {
                **{k: v if isinstance(v, str) else int(v) for k, v in row.items()},
                "petitions_raised": counts.get(key, 0),
            }
            for key, row in sorted(rows.items())
        ]

    def meeting_figures(self, period: Period) -> Row:
        """How many meetings were held in the period, their notices sent late, and those
        held with no minutes: each as its last event recorded by ``as_of`` left it."""
        statement = sql.SQL(
            "SELECT count(*) AS held,"
            " count(*) FILTER (WHERE notice_late) AS notices_late,"
            " count(*) FILTER (WHERE NOT minuted) AS without_minutes"
            " FROM (SELECT DISTINCT ON (meeting_id) * FROM {} WHERE TRUE" + AS_OF + ""
            " ORDER BY meeting_id, version DESC) s WHERE held_on IS NOT NULL AND {}"
        ).format(self.table("meeting_states"), sql.SQL(PERIOD))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, period.params())
            found = curs.fetchone()
        assert found is not None
        return {k: int(v) for k, v in dict(found).items()}


def state_row(meeting: Row, e: Any) -> Row:
    """The meeting's figures after ``e``, and when ``e`` was recorded."""
    keep = ("meeting_id", "organisation", "status", "held_on", "notice_late", "minuted")
    return {k: meeting[k] for k in keep} | {
        "version": e.originator_version,
        "recorded_at": e.timestamp,
    }


def apply_request(meeting: Row, requests: dict[tuple[UUID, str], Row], e: Any) -> None:
    """A department asked for its information for the meeting, or its information come."""
    if isinstance(e, Meeting.InformationRequested):
        requests[(e.originator_id, e.department)] = {
            "meeting_id": e.originator_id,
            "department": e.department,
            "organisation": meeting["organisation"],
            "petitions": len(e.petitions),
            "requested_on": e.business_date,
            "due_on": e.due_on,
            "received_on": None,
        }
    elif isinstance(e, Meeting.InformationReceived):
        key = (e.originator_id, e.department)
        requests[key] = {**requests[key], "received_on": e.business_date}
