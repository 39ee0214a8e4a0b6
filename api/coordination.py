"""Lead and coordinating departments over HTTP: a coordinating department's contribution
to the lead, and the committee's waiver of the missing ones (the assignment names the
coordinating departments: ``POST /v1/petitions/{id}/assignment`` with ``coordinating``).
Both are command routes like every other, registered on the petitions' router."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.auth import ServiceDep, may
from api.bodies import command_from
from api.coordination_schemas import ContributionCreate, WaiverCreate
from api.petitions import command_route
from api.schemas import PetitionSummary
from api.views import REFUSALS, MinPosition
from stores.tokens import Principal
from usecases import coordination
from usecases.access import UseCase
from usecases.coordination import Contribute, WaiveContributions

__all__ = ["contribution_command", "router", "waiver_command"]

router = APIRouter(prefix="/v1", tags=["views"])
InboxReader = Annotated[Principal, Depends(may(UseCase.INBOX))]


class ContributionOwed(PetitionSummary):
    contribution_due_on: date = Field(description="When the department's part is due")


class ContributionsOwedRead(BaseModel):
    items: list[ContributionOwed]


@router.get(
    "/inbox/contributions",
    response_model=ContributionsOwedRead,
    summary="A department's contributions owed",
    responses=REFUSALS,
)
def contributions_owed(
    principal: InboxReader, service: ServiceDep, min_position: MinPosition = None
) -> Any:
    """The petitions whose lead the department coordinates with and still owes its
    contribution, the earliest due first (``department`` is the lead)."""
    items = coordination.owed(service.queries, principal.actor, min_position=min_position)
    return {"items": items}


def contribution_command(
    petition_id: UUID, body: ContributionCreate, version: int | None
) -> Contribute:
    """A contribution's command (also the petition page's form)."""
    return command_from(Contribute, petition_id, body, version, on=body.contributed_on)


def waiver_command(
    petition_id: UUID, body: WaiverCreate, version: int | None
) -> WaiveContributions:
    """The waiver's command (also the petition page's form)."""
    return command_from(
        WaiveContributions,
        petition_id,
        body,
        version,
        on=body.waived_on,
        departments=tuple(body.departments),
    )


command_route(
    "/{petition_id}/contributions",
    "contribute",
    "Send a contribution to the lead",
    UseCase.CONTRIBUTE,
    ContributionCreate,
    contribution_command,
    "A coordinating department of the assignment sends the lead department its part: text"
    " and signed letter (number, date, signer), once. Refused (403) for any other"
    " department; (422) for a part already sent or waived; (409) unless assigned.",
)
command_route(
    "/{petition_id}/contributions/waiver",
    "waive_contributions",
    "Waive missing contributions",
    UseCase.WAIVE_CONTRIBUTIONS,
    WaiverCreate,
    waiver_command,
    "The committee lets the lead answer without the missing contributions of the"
    " coordinating departments it names, saying why. Refused (422) for a department that"
    " owes none (sent already, waived, or not coordinating).",
)
