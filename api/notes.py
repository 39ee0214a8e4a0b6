"""Internal notes on a petition: written by the committee or the department in charge,
read by them and the auditors only (``usecases.access.reads_notes``); to anyone else they
are not there, in the petition's history as here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.auth import ServiceDep, may
from api.petitions import command_route
from api.problems import problem_responses
from api.schemas import ActorRead, Text
from api.schemas import Request as RequestBody
from domain.petition import NOTE_MAX
from stores.tokens import Principal
from usecases.access import UseCase
from usecases.commands import AddNote

router = APIRouter(prefix="/v1/petitions", tags=["petitions"])
Reader = Annotated[Principal, Depends(may(UseCase.READ_NOTES))]


class NoteCreate(RequestBody):
    text: Text = Field(min_length=1, max_length=NOTE_MAX)


class NoteRead(BaseModel):
    version: int = Field(description="The petition's version the note was recorded at")
    text: str
    written_on: date
    recorded_at: datetime
    actor: ActorRead


def note_command(petition_id: UUID, body: NoteCreate, version: int | None) -> AddNote:
    """The note's command (also the petition page's form)."""
    return AddNote(petition_id=petition_id, expected_version=version, text=body.text)


# The write is a command route like every other (registered on the petitions' router).
command_route(
    "/{petition_id}/notes",
    "add_note",
    "Add an internal note",
    UseCase.NOTE,
    NoteCreate,
    note_command,
    "The committee or the department in charge notes something for each other; no other"
    " department reads it, here or in the petition's history.",
)


@router.get(
    "/{petition_id}/notes",
    response_model=list[NoteRead],
    summary="Internal notes",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def notes(petition_id: UUID, principal: Reader, service: ServiceDep) -> Any:
    """The petition's internal notes, oldest first: to the committee, the auditors and the
    department in charge; another department gets 404 (or 403 for one that held it)."""
    return service.queries.notes(principal.actor, petition_id)
