"""The meetings' reports beside the attendance report: the people's attendance at the
briefings, the notices sent late, the departments' information for the agendas, the
minutes' completeness (``projections.meeting_reports``), and the attendance report as
recorded by a past moment. Read by the meetings' readers (``usecases.access``), of the
organisations they see, or of the one asked (``?organisation=``) as every report is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from domain.errors import InvalidCommand
from domain.messages import say
from projections import meeting_reports
from projections.meetings import MeetingsView, Period
from usecases import access
from usecases.access import UseCase
from usecases.meetings import Meetings

ReportName = Literal["people", "notices", "information", "minutes"]
REPORTS: dict[str, Callable[[MeetingsView, Period, date], dict[str, Any]]] = {
    "people": lambda view, period, today: meeting_reports.people(view, period),
    "notices": lambda view, period, today: meeting_reports.notices(view, period),
    "information": meeting_reports.information,
    "minutes": lambda view, period, today: meeting_reports.minutes(view, period),
}


class MeetingReports:
    """The meetings' reports, on the meetings' use cases and their view."""

    def __init__(self, meetings: Meetings) -> None:
        self.meetings = meetings
        self.queries = meetings.queries

    def period(
        self,
        actor: Any,
        organisation: str | None,
        start: date | None,
        end: date | None,
        as_of: datetime | None = None,
    ) -> Period:
        self.queries.checked_dates(**{"from": start, "to": end})
        if start is not None and end is not None and start > end:
            raise InvalidCommand("from", say("period.reversed"))
        if as_of is not None:
            self.meetings.app.dates.check_moment("as_of", as_of)
        return Period(self.queries.asked(actor, organisation), start, end, as_of)

    def report(
        self,
        actor: Any,
        name: ReportName,
        *,
        organisation: str | None = None,
        start: date | None = None,
        end: date | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        """The report ``name`` of the meetings of ``start``–``end``: its board and its
        scorecard (``information`` as of today: a request due before it is missing)."""
        access.check(actor, UseCase.MEETING_REPORTS)
        period = self.period(actor, organisation, start, end)
        view = self.queries.caught_up(self.queries.views.meetings, min_position)
        found = REPORTS[name](view, period, self.meetings.app.today())
        return {"report": name, "from": start, "to": end} | found

    def attendance(
        self,
        actor: Any,
        *,
        organisation: str | None = None,
        start: date | None = None,
        end: date | None = None,
        as_of: datetime | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        """The attendance report (``Meetings.attendance``), of what was recorded by
        ``as_of`` (None: now): a meeting held, minuted or noticed later, a petition raised
        later, count as they stood then."""
        access.check(actor, UseCase.ATTENDANCE_REPORT)
        period = self.period(actor, organisation, start, end, as_of)
        view = self.queries.caught_up(self.queries.views.meetings, min_position)
        return {
            "from": start,
            "to": end,
            "as_of": as_of,
            "notice_days": self.meetings.notice_days,
        } | view.attendance(period)
