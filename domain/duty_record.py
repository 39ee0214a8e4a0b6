"""What the members' duty adds up to, from their assignments' spans and the cell meetings
(plain values, no database): each member's calendar of expected cell meetings, who attended
none in a month, which cells no member visited for some months, and the yearly record for
the year-end evaluation.

A member is expected at a cell meeting held (or scheduled) on a day a span of the member's
covers, in a cell the span holds (or of a commune it holds), or which names the member
among its members. The member attended it if the attendance has the member present or
late. A cancelled meeting is expected of no one; a meeting not yet held is on the calendar
but counts in no figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from domain.duty import Span

Month = tuple[int, int]  # (year, month)


@dataclass(frozen=True)
class Member:
    """A committee member with a term: the code, the name meetings name the member by, and
    what the member was assigned to when (every assignment's spans)."""

    organisation: str
    code: str
    name: str
    spans: tuple[Span, ...]

    @property
    def names(self) -> frozenset[str]:
        """What an attendance or a petition may name the member by."""
        return frozenset({self.code, self.name})

    def assigned_on(self, day: date) -> bool:
        return any(s.covers(day) for s in self.spans)

    def expects(self, meeting: CellMeeting) -> bool:
        if meeting.organisation != self.organisation or meeting.cancelled:
            return False
        if self.names & meeting.members:
            return True
        return any(
            s.covers(meeting.day) and s.holds(meeting.cell, meeting.commune) for s in self.spans
        )

    def attended(self, meeting: CellMeeting) -> bool:
        return bool(self.names & meeting.attended_by)


@dataclass(frozen=True)
class CellMeeting:
    """A cell meeting as the reports need it: its day (held on, else scheduled on), whom it
    expected and which committee members came (present or late)."""

    meeting_id: Any
    organisation: str
    cell: str
    commune: str | None
    day: date
    status: str
    members: frozenset[str] = frozenset()
    attended_by: frozenset[str] = frozenset()
    held: bool = False

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True)
class BriefingSeat:
    """A committee member's row at a briefing held: attended (present or late) or not."""

    organisation: str
    person: str
    day: date
    attended: bool


@dataclass(frozen=True)
class CellPetition:
    """A petition raised at a cell meeting, naming the member who attended it."""

    organisation: str
    member: str
    raised_on: date


@dataclass
class Record:
    """A member's yearly record for the evaluation."""

    organisation: str
    member: str
    name: str
    months_covered: list[int] = field(default_factory=list)
    cell_meetings_expected: int = 0
    cell_meetings_attended: int = 0
    months_without: list[int] = field(default_factory=list)
    briefings_expected: int = 0
    briefings_attended: int = 0
    petitions_raised: int = 0

    def plain(self) -> dict[str, Any]:
        return dict(vars(self))


def month_days(month: Month) -> tuple[date, date]:
    """The first and last day of ``month``."""
    year, m = month
    first = date(year, m, 1)
    last = (date(year + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)
    return first, last


def months_of(start: date, end: date) -> list[Month]:
    """Every month from ``start``'s to ``end``'s, in order (none if reversed)."""
    found: list[Month] = []
    year, m = start.year, start.month
    while (year, m) <= (end.year, end.month):
        found.append((year, m))
        year, m = (year + 1, 1) if m == 12 else (year, m + 1)
    return found


def months_covered(member: Member, start: date, end: date) -> list[Month]:
    """The months from ``start`` to ``end`` any day of which the member's term covers."""
    return [
        month
        for month in months_of(start, end)
        if any(
            s.start <= min(month_days(month)[1], end) and s.end >= max(month_days(month)[0], start)
            for s in member.spans
        )
    ]


def calendar(
    member: Member, meetings: Iterable[CellMeeting], start: date, end: date
) -> dict[str, Any]:
    """The member's expected cell meetings from ``start`` to ``end``, attended or not, and
    the months of the term in that period with none attended."""
    expected = sorted(
        (m for m in meetings if start <= m.day <= end and member.expects(m)),
        key=lambda m: (m.day, m.cell),
    )
    attended_months = {(m.day.year, m.day.month) for m in expected if member.attended(m)}
    return {
        "meetings": [
            {
                "meeting_id": m.meeting_id,
                "cell": m.cell,
                "commune": m.commune,
                "day": m.day,
                "status": m.status,
                "held": m.held,
                "attended": member.attended(m),
            }
            for m in expected
        ],
        "months_without": [
            f"{y:04d}-{mo:02d}"
            for y, mo in months_covered(member, start, end)
            if (y, mo) not in attended_months
        ],
    }


def not_attending(
    members: Iterable[Member], meetings: Sequence[CellMeeting], month: Month
) -> list[Member]:
    """The members with a term on some day of ``month`` who came to no cell meeting held
    in it."""
    first, last = month_days(month)
    held = [m for m in meetings if m.held and first <= m.day <= last]
    return [
        member
        for member in members
        if months_covered(member, first, last)
        and not any(m.organisation == member.organisation and member.attended(m) for m in held)
    ]


def unvisited(
    cells: Iterable[tuple[str, str, str | None]],
    meetings: Sequence[CellMeeting],
    on: date,
    months: int,
) -> list[dict[str, Any]]:
    """The cells (organisation, cell, commune) no committee member visited (came to a cell
    meeting held there) in the ``months`` months up to ``on``, with their last visit."""
    since = shift_months(on, -months)
    last: dict[tuple[str, str], date] = {}
    for m in meetings:
        if m.held and m.attended_by and m.day <= on:
            key = (m.organisation, m.cell)
            last[key] = max(last.get(key, m.day), m.day)
    return [
        {"organisation": o, "cell": c, "commune": commune, "last_visit": last.get((o, c))}
        for o, c, commune in cells
        if last.get((o, c)) is None or last[(o, c)] <= since
    ]


def shift_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` months (to the month's last day if it has fewer)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = month_days((year, month + 1))[1]
    return date(year, month + 1, min(day.day, last.day))


def yearly_record(
    member: Member,
    meetings: Sequence[CellMeeting],
    briefings: Sequence[BriefingSeat],
    petitions: Sequence[CellPetition],
    year: int,
) -> Record:
    """The member's record of ``year``: the months the term covers, the cell meetings held
    that expected the member and those attended, the months of the term with none attended,
    the briefings expected and attended, and the petitions raised at the cell meetings the
    member attended."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    covered = months_covered(member, start, end)
    held = [m for m in meetings if m.held and start <= m.day <= end and member.expects(m)]
    attended = [m for m in held if member.attended(m)]
    came = {(m.day.year, m.day.month) for m in attended}
    seats = [
        b
        for b in briefings
        if b.organisation == member.organisation and b.person in member.names and b.day.year == year
    ]
    return Record(
        organisation=member.organisation,
        member=member.code,
        name=member.name,
        months_covered=[mo for _, mo in covered],
        cell_meetings_expected=len(held),
        cell_meetings_attended=len(attended),
        months_without=[mo for y, mo in covered if (y, mo) not in came],
        briefings_expected=len(seats),
        briefings_attended=sum(b.attended for b in seats),
        petitions_raised=sum(
            1
            for p in petitions
            if p.organisation == member.organisation
            and p.member in member.names
            and p.raised_on.year == year
        ),
    )
