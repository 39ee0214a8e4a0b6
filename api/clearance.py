"""The clearance of written answers: where the organisation asks for it, a department's
written answer waits for its office (the clerks) or its committee, who accept it or return
it to the department with a reason (``domain.clearance``); and what waits for it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.auth import ServiceDep, may
from api.bodies import command_from
from api.clearance_schemas import ClearerName, DecisionName, ReasonName
from api.petitions import command_route
from api.problems import problem_responses
from api.schemas import Day, Text
from api.schemas import Request as RequestBody
from api.views import MinPosition
from domain.petition import NOTE_MAX
from stores.tokens import Principal
from usecases import clearance
from usecases.access import UseCase

router = APIRouter(prefix="/v1/clearance", tags=["clearance"])
Clearer = Annotated[Principal, Depends(may(UseCase.CLEARANCE_LIST))]


class ClearanceCreate(RequestBody):
    """The clearer's decision on the held written answer: ``accept`` (it counts as
    answered, verified at the next briefing), or ``return`` it to the department with a
    ``reason`` and a ``note``."""

    decision: DecisionName
    reason: ReasonName | None = None
    note: Text | None = Field(default=None, max_length=NOTE_MAX)
    on: Day | None = None


class WaitingRead(BaseModel):
    petition_id: UUID
    organisation: str
    zone: str
    summary: str
    raised_on: date
    department: str | None
    due_on: date | None
    answered_on: date | None = Field(description="The day the department answered")
    document_number: str | None
    signer: str | None
    text: str | None = Field(description="The answer held")
    held_by: ClearerName = Field(description="Who clears it: `office` (the clerks) or `committee`")
    held_on: date


def clearance_command(petition_id: UUID, body: ClearanceCreate, version: int | None) -> Any:
    """The clearer's command (also the clearance page's form)."""
    return command_from(clearance.Clear, petition_id, body, version, on=body.on)


command_route(
    "/{petition_id}/clearance",
    "clear_answer",
    "Clear a written answer",
    UseCase.CLEAR,
    ClearanceCreate,
    clearance_command,
    "Where the organisation's `clearance` setting asks for it, a written answer waits"
    " (the petition stays `assigned`, its due date unchanged) for the office (clerks) or the"
    " committee. `accept`: it counts as answered from this day, verified at the next"
    " briefing. `return` (with `reason` and `note`): the department answers again by the"
    " same due date. Another clearer than the setting named: 403; nothing held: 409.",
)


@router.get(
    "",
    response_model=list[WaitingRead],
    summary="Written answers waiting for clearance",
    responses=problem_responses(401, 403, 422, 503),
)
def waiting(principal: Clearer, service: ServiceDep, min_position: MinPosition = None) -> Any:
    """What waits for the caller's clearance, the longest held first: a clerk's the
    office's, the committee's its own, an auditor's every one; of the caller's
    organisation (the province's users: every one)."""
    province = service.app.province
    return clearance.waiting(service.queries, province, principal.actor, min_position)
