"""Repeats over HTTP: the petitions a new one may repeat, suggested before it is raised
(``GET /v1/similar-petitions``), and a petition linked as a repeat of an earlier one
(``POST /v1/petitions/{id}/repeat-of``; a raise links it at once with ``repeat_of``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from api.auth import ServiceDep, may
from api.bodies import command_from
from api.petitions import command_route
from api.problems import problem_responses
from api.schemas import NO_NUL, Day, Request
from domain.petition import SUMMARY_MAX
from domain.vocabulary import Status
from stores.tokens import Principal
from usecases import similar
from usecases.access import UseCase
from usecases.repeats import LinkRepeat

router = APIRouter(prefix="/v1", tags=["petitions"])
Raiser = Annotated[Principal, Depends(may(UseCase.RAISE))]
# The start of the text is enough to compare (and keeps the address short).
TEXT_COMPARED = 2_000


class RepeatCreate(Request):
    """The petition raises again the matter of ``repeats``, an earlier petition of its
    organisation, linked on ``linked_on`` (today if left out)."""

    repeats: UUID
    linked_on: Day | None = None


class SimilarRead(BaseModel):
    petition_id: UUID
    number: str | None
    status: Status
    category: str
    summary: str
    cell: str
    commune: str
    raised_on: date
    department: str | None
    likeness: float = Field(description="0 to 1 (domain.similarity): folded, with diacritics")
    exact: bool = Field(description="The same summary and text, word for word")
    same_cell: bool
    offers: list[str] = Field(
        description="What the clerk may record of the new petition instead of a new one:"
        " link_repeat (raise it linked to this one), cosign (its cell co-signs this open one)"
    )


def link_command(petition_id: UUID, body: RepeatCreate, version: int | None) -> LinkRepeat:
    """The link's command (also the petition page's form)."""
    return command_from(LinkRepeat, petition_id, body, version, on=body.linked_on)


command_route(
    "/{petition_id}/repeat-of",
    "link_repeat",
    "Link as a repeat of an earlier petition",
    UseCase.LINK_REPEAT,
    RepeatCreate,
    link_command,
    "The open petition raises again the matter of ``repeats``, an earlier petition of its"
    " organisation (open, or ended): linked once. The link records whether the cells'"
    " satisfied verdict had closed the earlier one and on which department's answer; the"
    " scorecards count it against that closure. Refused (422) for the petition itself, one"
    " of another organisation or raised later, and a second link; (409) when ended.",
)


@router.get(
    "/similar-petitions",
    response_model=list[SimilarRead],
    summary="Petitions a new one may repeat",
    responses=problem_responses(401, 403, 422, 503),
)
def similar_petitions(
    principal: Raiser,
    service: ServiceDep,
    category: Annotated[str, Query(min_length=1, max_length=100, pattern=NO_NUL)],
    cell: Annotated[str, Query(min_length=1, max_length=100, pattern=NO_NUL)],
    summary: Annotated[str, Query(max_length=SUMMARY_MAX, pattern=NO_NUL)] = "",
    text: Annotated[str, Query(max_length=TEXT_COMPARED, pattern=NO_NUL)] = "",
) -> Any:
    """Before a clerk raises a petition: the organisation's open petitions, and those
    closed in the last 24 months, whose summary and text are close to the one typed (of
    the same category and commune), or the same word for word, the closest first."""
    queries = service.queries
    found = similar.similar_petitions(
        queries, principal.actor, category=category, cell=cell, summary=summary, text=text
    )
    queries.numbers.add(found)
    return found
