"""The meetings' other reports, each a board (the rows to act on) and a scorecard (rates per
department, zone, commune and organisation), over the meetings view's tables
(``projections.meetings``):

* **people**: the committee members' and department leaders' attendance at the briefings;
* **notices**: the meetings whose notice went out fewer days before than the rule asked;
* **information**: the departments asked for information for an agenda whose information
  came after the day it was due, or has not come though that day is past;
* **minutes**: the meetings held with no minutes, or whose minutes list other petitions
  than those linked to the meeting, or on whose day petitions were raised by its channel
  in its zone (its cell) without naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any
from uuid import UUID

from psycopg import sql

from domain.vocabulary import AttendeeRole, Channel, MeetingKind, MeetingStatus
from projections.base import Row
from projections.meetings import AS_OF, FIGURES, PERIOD, MeetingsView, Period, rate, with_rate

BRIEFING = str(MeetingKind.SECRETARY_BRIEFING)
CANCELLED = str(MeetingStatus.CANCELLED)
# Meetings (by their current date) in a report's period, of its organisations.
SCHEDULED = (
    " (%(organisations)s::text[] IS NULL OR m.organisation = ANY(%(organisations)s::text[]))"
    " AND (%(start)s::date IS NULL OR m.scheduled_on >= %(start)s)"
    " AND (%(end)s::date IS NULL OR m.scheduled_on <= %(end)s)"
)
# The channel a petition raised at a meeting of each kind is raised by.
CHANNEL_OF = {
    str(MeetingKind.SECRETARY_BRIEFING): str(Channel.MEETING),
    str(MeetingKind.CELL_MEETING): str(Channel.CELL_MEETING),
}
assert set(CHANNEL_OF) == set(MeetingKind)


def fetch(view: MeetingsView, statement: sql.Composed, params: dict[str, Any]) -> list[Row]:
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(statement, params)
        return [dict(r) for r in curs.fetchall()]


def tally(
    rows: Iterable[Row],
    keys: tuple[str, ...],
    counts: dict[str, Callable[[Row], bool]],
    rated: tuple[str, str, str],
) -> list[Row]:
    """``rows`` grouped by ``keys``: how many of each group ``counts`` each predicate
    holds for, and ``rated = (name, of, out_of)`` the rate of two of those counts."""
    groups: dict[tuple[Any, ...], Row] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        group = groups.setdefault(key, dict(zip(keys, key, strict=True)) | dict.fromkeys(counts, 0))
        for name, holds in counts.items():
            group[name] += int(holds(row))
    name, of, out_of = rated
    return [
        g | {name: rate(g[of], g[out_of])}
        for _, g in sorted(groups.items(), key=lambda kv: tuple(str(k or "") for k in kv[0]))
    ]


# ---- the committee members' and department leaders' attendance at the briefings ----------


def people(view: MeetingsView, period: Period) -> Row:
    """Each committee member's and department leader's attendance at the briefings held
    in the period (expected, present, late, absent excused or not, rate), and the same per
    department, zone and organisation."""
    where = sql.SQL(
        PERIOD + " AND kind = {briefing} AND role IN ({member}, {leader})" + AS_OF
    ).format(
        briefing=sql.Literal(BRIEFING),
        member=sql.Literal(str(AttendeeRole.COMMITTEE_MEMBER)),
        leader=sql.Literal(str(AttendeeRole.DEPARTMENT_LEADER)),
    )

    def grouped(columns: str, extra: str = "") -> list[Row]:
        names = sql.SQL(columns)
        statement = sql.SQL(
            "SELECT {names}, {figures} FROM {table} WHERE {where}" + extra + ""
            " GROUP BY {names} ORDER BY {names}"
        ).format(names=names, figures=FIGURES, table=view.table("meeting_attendance"), where=where)
        return [with_rate(r) for r in fetch(view, statement, period.params())]

    return {
        "board": grouped("organisation, role, person, department"),
        "scorecard": {
            "departments": grouped("organisation, department", " AND department IS NOT NULL"),
            "zones": grouped("organisation, zone"),
            "organisations": grouped("organisation"),
        },
    }


# ---- notices sent late --------------------------------------------------------------------


def notices(view: MeetingsView, period: Period) -> Row:
    """The meetings of the period (not cancelled) whose notice went out late: how many days
    before against how many the rule asked; and per zone, commune and organisation how
    many were noticed, late, held without any notice, and the share noticed on time."""
    statement = sql.SQL(
        "SELECT meeting_id, organisation, kind, zone, cell, commune, status, scheduled_on,"
        " held_on, notices, notice_sent_on, notice_days_before, notice_required_days,"
        " notice_late FROM {} m WHERE status <> %(cancelled)s AND" + SCHEDULED + ""
        " ORDER BY scheduled_on, meeting_id"
    ).format(view.table("meetings"))
    rows = fetch(view, statement, period.params() | {"cancelled": CANCELLED})
    counts: dict[str, Callable[[Row], bool]] = {
        "meetings": lambda r: True,
        "noticed": lambda r: r["notices"] > 0,
        "late": lambda r: bool(r["notice_late"]),
        "on_time": lambda r: r["notices"] > 0 and not r["notice_late"],
        "held_without_notice": lambda r: r["held_on"] is not None and not r["notices"],
    }
    rated = ("on_time_rate", "on_time", "noticed")
    return {
        "board": [
            {
                k: r[k]
                for k in (
                    "meeting_id",
                    "organisation",
                    "kind",
                    "zone",
                    "cell",
                    "commune",
                    "scheduled_on",
                    "notice_sent_on",
                )
            }
            | {"days_before": r["notice_days_before"], "required_days": r["notice_required_days"]}
            for r in rows
            if r["notice_late"]
        ],
        "scorecard": {
            "zones": tally(rows, ("organisation", "zone", "commune"), counts, rated),
            "organisations": tally(rows, ("organisation",), counts, rated),
        },
    }


# ---- the departments' information for the agenda ------------------------------------------


def information(view: MeetingsView, period: Period, today: date) -> Row:
    """The departments asked for information for the agendas of the period's meetings (not
    cancelled): those whose information came after the day it was due, or has not come
    though that day is past (on ``today``); and per department and organisation how many
    were asked, came on time, late, are missing, are not due yet, and the share on time."""
    statement = sql.SQL(
        "SELECT r.meeting_id, r.organisation, r.department, r.petitions, r.requested_on,"
        " r.due_on, r.received_on, m.kind, m.zone, m.cell, m.scheduled_on"
        " FROM {} r JOIN {} m USING (meeting_id) WHERE m.status <> %(cancelled)s AND"
        + SCHEDULED
        + " ORDER BY r.due_on, r.department, r.meeting_id"
    ).format(view.table("meeting_requests"), view.table("meetings"))
    rows = fetch(view, statement, period.params() | {"cancelled": CANCELLED})
    for r in rows:
        came = r["received_on"]
        r["state"] = (
            ("late" if came > r["due_on"] else "on_time")
            if came is not None
            else ("missing" if today > r["due_on"] else "awaited")
        )
        r["days_late"] = max(((came or today) - r["due_on"]).days, 0)
    counts: dict[str, Callable[[Row], bool]] = {
        "requested": lambda r: True,
        **{state: state_is(state) for state in STATES},
        "due": lambda r: r["state"] != "awaited",
    }
    rated = ("on_time_rate", "on_time", "due")
    return {
        "on": today,
        "board": [r for r in rows if r["state"] in ("late", "missing")],
        "scorecard": {
            "departments": tally(rows, ("organisation", "department"), counts, rated),
            "organisations": tally(rows, ("organisation",), counts, rated),
        },
    }


STATES = ("on_time", "late", "missing", "awaited")


def state_is(state: str) -> Callable[[Row], bool]:
    return lambda r: bool(r["state"] == state)


# ---- the minutes' completeness ------------------------------------------------------------


def minutes(view: MeetingsView, period: Period) -> Row:
    """The meetings held in the period with no minutes, or whose minutes list petitions
    not linked to the meeting or leave out some linked to it, or on whose day petitions
    were raised by the meeting's channel in its zone (a cell meeting's: its cell) without
    naming it; and per zone, commune and organisation how many were held, without
    minutes, differing, and the share complete."""
    held = fetch(
        view,
        sql.SQL(
            "SELECT meeting_id, organisation, kind, zone, cell, commune, held_on, minuted,"
            " minutes_petitions FROM {} WHERE held_on IS NOT NULL AND " + PERIOD + ""
            " ORDER BY held_on, meeting_id"
        ).format(view.table("meetings")),
        period.params(),
    )
    raised = fetch(
        view,
        sql.SQL(
            "SELECT petition_id, organisation, meeting_id, channel, zone, cell, raised_on"
            " FROM {} WHERE organisation = ANY(%(held_in)s) AND raised_on = ANY(%(days)s)"
        ).format(view.table("meeting_petitions")),
        {
            "held_in": sorted({m["organisation"] for m in held}),
            "days": sorted({m["held_on"] for m in held}),
        },
    )
    board: list[Row] = []
    for m in held:
        linked = {r["petition_id"] for r in raised if r["meeting_id"] == m["meeting_id"]}
        listed = {UUID(p) for p in m["minutes_petitions"] or ()}
        unlinked = {
            r["petition_id"] for r in raised if r["meeting_id"] is None and held_there(m, r)
        }
        m["not_linked"] = sorted(listed - linked, key=str) if m["minuted"] else []
        m["not_in_minutes"] = sorted(linked - listed, key=str) if m["minuted"] else []
        m["raised_not_linked"] = sorted(unlinked, key=str)
        m["differs"] = bool(m["not_linked"] or m["not_in_minutes"] or m["raised_not_linked"])
        m.pop("minutes_petitions")
        if m["differs"] or not m["minuted"]:
            board.append(m)
    counts: dict[str, Callable[[Row], bool]] = {
        "held": lambda r: True,
        "without_minutes": lambda r: not r["minuted"],
        "differing": lambda r: r["minuted"] and r["differs"],
        "complete": lambda r: r["minuted"] and not r["differs"],
    }
    rated = ("complete_rate", "complete", "held")
    return {
        "board": board,
        "scorecard": {
            "zones": tally(held, ("organisation", "zone", "commune"), counts, rated),
            "organisations": tally(held, ("organisation",), counts, rated),
        },
    }


def held_there(meeting: Row, petition: Row) -> bool:
    """Whether ``petition`` was raised where and as ``meeting`` was held: its day, its
    organisation, its kind's channel, and a zone's briefing's zone or a cell meeting's cell."""
    if (petition["organisation"], petition["raised_on"]) != (
        meeting["organisation"],
        meeting["held_on"],
    ) or petition["channel"] != CHANNEL_OF[meeting["kind"]]:
        return False
    if meeting["kind"] == str(MeetingKind.CELL_MEETING):
        return bool(petition["cell"] == meeting["cell"])
    return meeting["zone"] is None or petition["zone"] == meeting["zone"]
