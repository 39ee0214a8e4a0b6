"""The information a meeting asks of the departments: as its agenda is issued, each
department in charge of petitions on it is asked for what they need, due some days before
the meeting; the department (or the clerk for it) says when it came. The commands of the
Meeting aggregate (``domain.meeting``, whose lifecycle table says who may issue them in
which status), kept here beside it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from uuid import UUID

from domain.actors import Stamp
from domain.errors import InvalidCommand, MeetingOutOfOrder
from domain.meeting import Meeting, unique
from domain.messages import say
from domain.petition import NAME_MAX, clean_text
from domain.vocabulary import MeetingCommand


def due_on(meeting: Meeting, days_before: int, issued_on: date) -> date:
    """The day a department's information is due: ``days_before`` the meeting's date, but
    never before the day it is asked for."""
    return max(meeting.scheduled_on - timedelta(days=days_before), issued_on)


def request_information(
    meeting: Meeting,
    departments: Mapping[str, Sequence[UUID]],
    *,
    days_before: int,
    stamp: Stamp,
) -> None:
    """Ask each of ``departments`` for the information its petitions of the agenda need,
    due ``days_before`` (not negative: a setting) the meeting: once, as the agenda is
    issued (after it, on the same day)."""
    meeting.admit(MeetingCommand.REQUEST_INFORMATION, stamp)
    if meeting.agenda is None:
        raise MeetingOutOfOrder(
            MeetingCommand.REQUEST_INFORMATION, meeting.status, say("information.no_agenda")
        )
    if meeting.information:
        raise MeetingOutOfOrder(
            MeetingCommand.REQUEST_INFORMATION, meeting.status, say("information.asked")
        )
    due = due_on(meeting, days_before, stamp.on)
    for department, petitions in sorted(departments.items()):
        meeting.happen(
            Meeting.InformationRequested,
            stamp,
            department=clean_text("department", department, NAME_MAX),
            petitions=unique("petitions", petitions),
            due_on=due,
        )


def receive_information(meeting: Meeting, *, department: str, stamp: Stamp) -> None:
    """The information asked of ``department`` came on the stamp's day: late after it was
    due. Refused for a department not asked, or whose information came already."""
    meeting.admit(MeetingCommand.RECEIVE_INFORMATION, stamp)
    request = meeting.information.get(department)
    if request is None:
        raise InvalidCommand("department", say("information.not_asked", department=department))
    if request.received_on is not None:
        raise InvalidCommand(
            "department",
            say("information.came", department=department, day=request.received_on),
        )
    meeting.happen(
        Meeting.InformationReceived,
        stamp,
        department=department,
        late=stamp.on > request.due_on,
    )
