"""The answer's clock over HTTP: the committee pauses it, saying why, and resumes it
(``usecases.clock``); the petition's state then says how its due date was computed
(``due_explanation``) and, while paused, since when and why (``clock_paused``)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field

from api.auth import ServiceDep, may
from api.bodies import command_from
from api.petitions import COMMAND_RESPONSES, IfMatch, execute, expected_version, written
from api.schemas import Day, Text, WriteResult
from api.schemas import Request as Body
from domain.petition import NOTE_MAX
from domain.vocabulary import PauseReason
from stores.tokens import Principal
from usecases.access import UseCase
from usecases.clock import PauseClock, ResumeClock

router = APIRouter(prefix="/v1/petitions", tags=["petitions"])
Pauser = Annotated[Principal, Depends(may(UseCase.PAUSE_CLOCK))]
Resumer = Annotated[Principal, Depends(may(UseCase.RESUME_CLOCK))]


class ClockPauseCreate(Body):
    reason: PauseReason = Field(
        description="site_visit, other_agency (the answer waits on another agency's) or"
        " cell_information (the raising cell is asked for more)"
    )
    note: Text | None = Field(default=None, max_length=NOTE_MAX)
    paused_on: Day | None = Field(default=None, description="The business day (default today)")


class ClockResumeCreate(Body):
    resumed_on: Day | None = Field(default=None, description="The business day (default today)")


def pause_command(petition_id: UUID, body: ClockPauseCreate, version: int | None) -> PauseClock:
    """The pause's command (also the petition page's)."""
    return command_from(PauseClock, petition_id, body, version, on=body.paused_on)


def resume_command(
    petition_id: UUID, body: ClockResumeCreate | None, version: int | None
) -> ResumeClock:
    """The resumption's command (also the petition page's)."""
    on = body.resumed_on if body else None
    return ResumeClock(petition_id=petition_id, on=on, expected_version=version)


@router.post(
    "/{petition_id}/clock/pause",
    name="pause_clock",
    response_model=WriteResult,
    summary="Pause the clock",
    responses=COMMAND_RESPONSES,
)
def pause_clock(
    petition_id: UUID,
    body: ClockPauseCreate,
    principal: Pauser,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """The committee stops the clock of an assigned petition's answer, saying why: while
    paused it is not overdue, reminded or escalated, and the overdue board lists it apart
    (``paused``). Refused (409) if already paused, or not assigned."""
    command = pause_command(petition_id, body, expected_version(if_match))
    return written(response, execute(service, request, principal, command))


@router.post(
    "/{petition_id}/clock/resume",
    name="resume_clock",
    response_model=WriteResult,
    summary="Resume the clock",
    responses=COMMAND_RESPONSES,
)
def resume_clock(
    petition_id: UUID,
    principal: Resumer,
    service: ServiceDep,
    request: Request,
    response: Response,
    body: ClockResumeCreate | None = None,
    if_match: IfMatch = None,
) -> WriteResult:
    """The committee starts the paused clock again: the due date moves by the working
    days paused (weekends and holidays not counted), and its basis says so. Refused (409)
    if the clock is not paused."""
    command = resume_command(petition_id, body, expected_version(if_match))
    return written(response, execute(service, request, principal, command))
