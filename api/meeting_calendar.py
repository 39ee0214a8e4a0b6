"""Meetings scheduled from the calendar over HTTP: ``POST /v1/calendar/meetings``
schedules the briefings and cell meetings a period's rules give
(``usecases.meeting_calendar``), and answers what it scheduled and what already was."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from api.auth import ServiceDep, may
from api.meeting_schemas import MeetingKindName, Name
from api.problems import problem_responses
from api.schemas import Day, Text
from api.schemas import Request as Body
from stores.tokens import Principal
from usecases.access import UseCase
from usecases.commands import Context
from usecases.meeting_calendar import KINDS, MeetingCalendar, ScheduleFromCalendar

router = APIRouter(prefix="/v1", tags=["meetings"])
CellCode = Annotated[Text, Field(min_length=1, max_length=100)]


class CalendarScheduleCreate(Body):
    start: Day = Field(alias="from", description="The period's first day")
    end: Day = Field(alias="to", description="Its last day (at most 366 days in all)")
    kinds: list[MeetingKindName] = Field(
        default_factory=lambda: [str(k) for k in KINDS],
        min_length=1,
        max_length=len(KINDS),
        description="Which meetings: the zones' briefings, the cells' meetings (default: both)",
    )
    members: list[Name] = Field(
        default_factory=list,
        max_length=100,
        description="The committee members expected at every cell meeting",
    )
    cell_members: dict[CellCode, list[Name]] = Field(
        default_factory=dict,
        max_length=2000,
        description="The members expected at a cell's meetings instead, by cell",
    )
    on: Day | None = Field(default=None, description="When they were scheduled (default: today)")


class CalendarMeetingRead(BaseModel):
    id: UUID
    kind: MeetingKindName
    zone: str | None
    cell: str | None
    scheduled_on: date


class CalendarScheduleRead(BaseModel):
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    scheduled: list[CalendarMeetingRead] = Field(description="The meetings scheduled now")
    already_scheduled: list[CalendarMeetingRead] = Field(
        description="The meetings the calendar gives that were scheduled before"
    )
    position: int | None = Field(description="The log position to read the views at")


@router.post(
    "/calendar/meetings",
    response_model=CalendarScheduleRead,
    response_model_by_alias=True,
    summary="Schedule the meetings the calendar gives",
    responses=problem_responses(400, 401, 403, 409, 413, 422, 503),
)
def from_calendar(
    body: CalendarScheduleCreate,
    principal: Annotated[Principal, Depends(may(UseCase.SCHEDULE_MEETING))],
    service: ServiceDep,
    request: Request,
) -> Any:
    """The briefings of each zone and the meetings of each cell that the caller's
    organisation's calendars give from ``from`` to ``to``, each scheduled once: those
    already scheduled (from the calendar or by hand, for that zone or cell and day) are
    not scheduled again, and answered apart."""
    command = ScheduleFromCalendar(
        start=body.start,
        end=body.end,
        kinds=tuple(body.kinds),
        members=tuple(body.members),
        cell_members={cell: tuple(names) for cell, names in body.cell_members.items()},
        on=body.on,
    )
    ctx = Context.of(principal, request.state.request_id)
    return MeetingCalendar(service.meetings).schedule(command, ctx)
