"""The organisations of the deployment a caller may know of, and the province's table
comparing them; which rows a caller sees is the use case's rule (``usecases.access``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from api.auth import ServiceDep, may
from api.problems import problem_responses
from api.schemas import Day, RateRead
from api.views import MinPosition
from stores.tokens import Principal
from usecases.access import UseCase

router = APIRouter(prefix="/v1", tags=["organisations"])

Knower = Annotated[Principal, Depends(may(UseCase.ORGANISATIONS))]
Comparer = Annotated[Principal, Depends(may(UseCase.ORGANISATION_REPORT))]


class OrganisationRead(BaseModel):
    code: str
    name: str
    level: str = Field(description="province, district or commune")
    parent: str | None = Field(description="The province; null for the province itself")
    active_from: date
    active_until: date | None = Field(description="The first day it no longer exists")


class OrganisationFigures(BaseModel):
    organisation: str
    name: str
    level: str
    raised: int = Field(description="Petitions raised in the period, duplicates not counted")
    answered: int = Field(description="Answers given in the period")
    answered_on_time: RateRead = Field(description="Of the answers, those on time")
    overdue: int = Field(description="Answers and verifications overdue at the period's end")
    first_answer_satisfied: RateRead = Field(
        description="Of the first answers verified in the period, those the cells were "
        "satisfied with"
    )


class ComparisonRead(BaseModel):
    start: date = Field(serialization_alias="from")
    end: date = Field(serialization_alias="to")
    overdue_on: date = Field(description="The day the overdue figures are of")
    organisations: list[OrganisationFigures]


@router.get(
    "/organisations",
    response_model=list[OrganisationRead],
    summary="Organisations",
    responses=problem_responses(401, 403, 503),
)
def organisations(principal: Knower, service: ServiceDep) -> Any:
    """The organisations the caller may know of: every one to the province's users; to
    others their own and the province, which they refer petitions to."""
    return service.queries.organisations(principal.actor)


@router.get(
    "/reports/organisations",
    response_model=ComparisonRead,
    response_model_by_alias=True,
    summary="Organisations compared",
    responses=problem_responses(401, 403, 422, 503),
)
def comparison(
    principal: Comparer,
    service: ServiceDep,
    min_position: MinPosition = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
) -> Any:
    """Per organisation, for a period (default: this year to date): petitions raised,
    answered and on time, overdue at the period's end, first answers satisfied. Every
    organisation to the province's committee and auditor; its own to anyone else."""
    return service.queries.comparison(
        principal.actor, start=start, end=end, min_position=min_position
    )
