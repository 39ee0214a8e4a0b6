"""The answers' advisory score (``usecases.answer_quality``): the report of written
answers, the most generic first, with the score's components, the cells' verdict and
flags on each, and how well the score matches the flags. Advice only: it decides nothing."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from api.auth import ServiceDep, may
from api.schemas import Day
from api.views import REFUSALS, MinPosition, OrganisationQuery
from stores.tokens import Principal
from usecases.access import UseCase

router = APIRouter(prefix="/v1", tags=["read models"])
AnswerQualityReader = Annotated[Principal, Depends(may(UseCase.ANSWER_QUALITY))]


class ComponentsRead(BaseModel):
    """Each from 0 (specific) to 1 (generic)."""

    reuse: float | None = Field(description="Likeness to the organisation's earlier answers")
    off_petition: float = Field(description="How little of the petition's words it takes up")
    unspecific: float = Field(description="How few of date, amount, place, document it names")
    brevity: float


class AnswerScoreRead(BaseModel):
    petition_id: UUID
    seq: int = Field(description="The written answer's place among the petition's, from 1")
    answer_number: int = Field(description="Its place among all the petition's answers")
    organisation: str
    department: str
    answered_on: date
    score: float | None = Field(description="0 specific … 1 generic; advisory")
    likely_generic: bool | None
    components: ComponentsRead
    likeness: float | None = Field(description="0–1, to the nearest earlier answer")
    details: list[str] = Field(description="The concrete details found: date, amount, …")
    words: int
    verified_on: date | None
    verdict: str | None = Field(description="The cells' verdict on this answer, if given")
    flags: list[str] = Field(description="The cells' flags on this answer")


class EvaluationRead(BaseModel):
    verified: int
    likely_generic: int
    flagged_generic: int
    both: int
    precision: float | None
    recall: float | None
    threshold: float


class AnswerQualityRead(BaseModel):
    advisory: bool = Field(description="Always true: the score is advice, never a decision")
    weights: dict[str, float]
    threshold: float
    total: int
    answers: list[AnswerScoreRead]
    evaluation: EvaluationRead = Field(
        description="Likely generic against flagged generic by the cells, over every verified"
        " written answer of the organisations read"
    )


@router.get(
    "/reports/answer-quality",
    response_model=AnswerQualityRead,
    summary="Written answers' advisory quality score",
    responses=REFUSALS,
)
def answer_quality(
    principal: AnswerQualityReader,
    service: ServiceDep,
    min_position: MinPosition = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
    likely_generic: bool | None = None,
    organisation: OrganisationQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Any:
    """The written answers answered from ``from`` to ``to`` (each optional), the most
    generic first, with the score, its components and the cells' verdict and flags."""
    return service.answer_quality.report(
        principal.actor,
        start=start,
        end=end,
        likely_generic=likely_generic,
        organisation=organisation,
        limit=limit,
        offset=offset,
        min_position=min_position,
    )
