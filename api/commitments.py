"""The follow-up of an answer's commitment (``domain.commitments``): the department that
answered records its progress, then that it is done, with the files that show it. The
commitment itself is made with the written answer (``commitment`` in its body)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request, Response
from pydantic import Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.answers import MULTIPART, invalid, media_type
from api.auth import ServiceDep, may
from api.bodies import command_from
from api.petitions import (
    COMMAND_RESPONSES,
    IfMatch,
    command_route,
    execute,
    expected_version,
    written,
)
from api.petitions import router as petitions_router
from api.problems import Problem, problem_responses
from api.schemas import Day, Text, WriteResult
from api.schemas import Request as RequestBody
from domain.commitments import DONE
from domain.messages import say
from domain.petition import NOTE_MAX
from stores.attachments import EXTENSIONS, LETTERS_MAX, Letter, LetterRefused, measure
from stores.tokens import Principal
from usecases.access import UseCase
from usecases.commitments import FulfilCommitment, RecordProgress

__all__ = ["FulfilmentCreate", "ProgressCreate", "fulfil_command", "petitions_router"]
EVIDENCE_FIELD = "evidence"
Fulfiller = Annotated[Principal, Depends(may(UseCase.FULFIL_COMMITMENT))]


class ProgressCreate(RequestBody):
    percent: int = Field(ge=0, lt=DONE, description="How far it has come; done is recorded apart")
    note: Text = Field(min_length=1, max_length=NOTE_MAX)
    on: Day | None = None


class FulfilmentCreate(RequestBody):
    note: Text = Field(min_length=1, max_length=NOTE_MAX, description="What was done")
    on: Day | None = None


def progress_command(
    petition_id: UUID, body: ProgressCreate, version: int | None
) -> RecordProgress:
    """The progress's command (also the petition page's form)."""
    return command_from(RecordProgress, petition_id, body, version, on=body.on)


def fulfil_command(
    petition_id: UUID, body: FulfilmentCreate, version: int | None, letters: Sequence[Letter] = ()
) -> FulfilCommitment:
    """The fulfilment's command with its evidence (also the petition page's form)."""
    return command_from(
        FulfilCommitment, petition_id, body, version, on=body.on, letters=tuple(letters)
    )


command_route(
    "/{petition_id}/commitment/progress",
    "record_commitment_progress",
    "Record a commitment's progress",
    UseCase.RECORD_PROGRESS,
    ProgressCreate,
    progress_command,
    "The department that answered says how far the commitment of the latest answer has come"
    " (0 to 99 %), also once the cells' satisfied verdict has closed the petition.",
)


async def fulfilment_input(request: Request, limit: int) -> tuple[FulfilmentCreate, list[Letter]]:
    """The fulfilment's fields, and its evidence as measured (as an answer's letters are)."""
    kind = media_type(request)
    if kind != MULTIPART:
        if not re.fullmatch(r"application/([^/]+\+)?json", kind):
            raise Problem("unsupported_media_type", say("commitment.media_type"))
        raw = await request.body()
        try:
            data = json.loads(raw) if raw else None
        except (ValueError, RecursionError):
            raise Problem("validation_error", say("http.body_unread")) from None
        try:
            return FulfilmentCreate.model_validate(data), []
        except ValidationError as error:
            raise invalid(error.errors()) from None
    form = await request.form(max_files=LETTERS_MAX, max_fields=10)
    try:
        fields: dict[str, Any] = {}
        letters: list[Letter] = []
        for name, value in form.multi_items():
            if name != EVIDENCE_FIELD:
                fields[name] = value
            elif isinstance(value, UploadFile) and (value.filename or value.size):
                try:
                    letters.append(measure(value.filename, await value.read(limit + 1), limit))
                except LetterRefused as refused:
                    why = say(f"letter.{refused.reason}", name=refused.name, limit=limit)
                    errors = [{"field": EVIDENCE_FIELD, "in": "body", "message": why}]
                    raise Problem("validation_error", why, errors=errors) from None
        try:
            return FulfilmentCreate.model_validate(fields), letters
        except ValidationError as error:
            raise invalid(error.errors()) from None
    finally:
        await form.close()


FULFILMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": FulfilmentCreate.model_json_schema()},
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "properties": {
                        **FulfilmentCreate.model_json_schema()["properties"],
                        EVIDENCE_FIELD: {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "maxItems": LETTERS_MAX,
                        },
                    },
                    "required": ["note"],
                },
                "encoding": {EVIDENCE_FIELD: {"contentType": ", ".join(EXTENSIONS)}},
            },
        },
    }
}


@petitions_router.post(
    "/{petition_id}/commitment/fulfilment",
    response_model=WriteResult,
    summary="Record a commitment done",
    responses=COMMAND_RESPONSES | problem_responses(415),
    openapi_extra=FULFILMENT_BODY,
)
async def fulfilment(
    petition_id: UUID,
    principal: Fulfiller,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """The department that answered has done what the latest answer committed it to: a
    JSON body, or a multipart form with the same fields and each file showing it as an
    `evidence` file (PDF, PNG or JPEG, at most MAX_UPLOAD_BYTES each), stored with the
    event, in its transaction."""
    body, letters = await fulfilment_input(request, service.settings.max_upload_bytes)
    command = fulfil_command(petition_id, body, expected_version(if_match), letters)
    result = await run_in_threadpool(execute, service, request, principal, command)
    return written(response, result)
