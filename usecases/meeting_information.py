"""The information a meeting asks of the departments, on top of the meetings' use cases
(``usecases.meetings``): as the agenda is issued, each department in charge of petitions on
it is asked for their information, due ``MEETING_INFORMATION_DAYS`` before the meeting, in
the same save as the agenda; the department (or the clerk for it) then says it came.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from domain.actors import Stamp
from domain.errors import StaleVersion
from domain.meeting import Meeting
from domain.meeting_information import receive_information, request_information
from domain.messages import say
from domain.vocabulary import MeetingCommand
from usecases import access, record_access
from usecases.access import UseCase
from usecases.commands import Context, Written
from usecases.meetings import MeetingChange, MeetingCommandType, Meetings

if TYPE_CHECKING:
    from usecases.petitions import Petitions
    from usecases.queries import PetitionQueries


@dataclass(frozen=True, kw_only=True)
class ReceiveInformation(MeetingChange):
    """The information asked of ``department`` came, on ``on`` (None: today)."""

    command: ClassVar[MeetingCommand] = MeetingCommand.RECEIVE_INFORMATION
    department: str


class InformedMeetings(Meetings):
    """The meetings' use cases, whose agenda goes out with its requests for information."""

    def __init__(
        self, app: Petitions, queries: PetitionQueries, notice_days: int, information_days: int
    ) -> None:
        super().__init__(app, queries, notice_days)
        self.information_days = information_days

    def execute(self, command: MeetingCommandType, ctx: Context) -> Written:
        if not isinstance(command, ReceiveInformation):
            return super().execute(command, ctx)
        access.check(ctx.actor, UseCase(command.command.value))
        meeting = self.load(command.meeting_id)
        record_access.check_records_meeting(ctx.actor, meeting, self.province)
        record_access.check_receives_information(ctx.actor, command.department)
        expected = command.expected_version
        if expected is not None and expected != meeting.version:
            raise StaleVersion(
                say("meeting.version_stale", current=meeting.version, expected=expected),
                current_version=meeting.version,
            )
        stamp = ctx.stamp(self.app.business_date(command.on))
        receive_information(meeting, department=command.department, stamp=stamp)
        return self.save(meeting)

    def save(self, meeting: Meeting) -> Written:
        """The meeting saved; an agenda just issued goes out with a request for information
        to each department in charge of petitions on it, in the same save."""
        issued = [e for e in meeting.pending_events if isinstance(e, Meeting.AgendaIssued)]
        if issued and not meeting.information:
            event = issued[-1]
            request_information(
                meeting,
                self.departments_of(event.petitions),
                days_before=self.information_days,
                stamp=Stamp(event.actor, event.business_date, event.request_id),
            )
        return super().save(meeting)

    def departments_of(self, petitions: list[UUID]) -> dict[str, list[UUID]]:
        """The departments in charge of ``petitions`` now, each with its own."""
        found: dict[str, list[UUID]] = {}
        for pid in petitions:
            department = self.app.load(pid, field="petitions").department
            if department is not None:
                found.setdefault(department, []).append(pid)
        return found
