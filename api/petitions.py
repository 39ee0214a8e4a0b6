"""Commands on one petition, and its state and history (read from the aggregate)."""

from __future__ import annotations

import email.message
import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError, WithJsonSchema
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from api.auth import ServiceDep, require
from api.problems import Problem, problem_responses
from api.schemas import (
    AnswerCreate,
    AssignmentCreate,
    DeadlineCreate,
    EventRead,
    Instant,
    MergeCreate,
    PetitionCreate,
    PetitionRead,
    ReasonCreate,
    VerificationCreate,
    WriteResult,
)
from domain.actors import Role
from domain.application import Context, Letter, PetitionDraft, Written
from projections.base import local_date
from service.bootstrap import Service
from stores.attachments import EXTENSIONS, LETTERS_MAX, LetterRefused, measure
from stores.tokens import Principal

router = APIRouter(prefix="/v1/petitions", tags=["petitions"])

Clerk = Annotated[Principal, Depends(require(Role.CLERK))]
Committee = Annotated[Principal, Depends(require(Role.COMMITTEE))]
Verifier = Annotated[Principal, Depends(require(Role.CLERK, Role.COMMITTEE))]
Answerer = Annotated[Principal, Depends(require(Role.CLERK, Role.DEPARTMENT))]
DepartmentRole = Annotated[Principal, Depends(require(Role.DEPARTMENT))]
Reader = Annotated[
    Principal, Depends(require(Role.CLERK, Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR))
]
HistoryReader = Annotated[
    Principal, Depends(require(Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR))
]
# A petition version as an entity tag ("3", W/"3" or a bare 3), or * for any version.
VERSION_TAG = r'^[ \t]*(?:\*|(?:W/)?"?([0-9]{1,9})"?)[ \t]*$'
# An optional header is absent, never null: WithJsonSchema keeps "null" out of the document.
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", pattern=VERSION_TAG, description='The version, e.g. "3", or *'),
    WithJsonSchema({"type": "string", "pattern": VERSION_TAG}),
]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200),
    WithJsonSchema({"type": "string", "maxLength": 200}),
]
IfNoneMatch = Annotated[
    str | None,
    Header(alias="If-None-Match", description='e.g. "3"'),
    WithJsonSchema({"type": "string"}),
]

ETAG = re.compile(VERSION_TAG)
ETAG_HEADER = {
    "ETag": {"required": True, "description": 'The version, e.g. "3"', "schema": {"type": "string"}}
}
COMMAND_RESPONSES = {200: {"headers": ETAG_HEADER}} | problem_responses(
    400, 401, 403, 404, 409, 412, 413, 422, 503
)


def context(request: Request, principal: Principal) -> Context:
    return principal.context(request.state.request_id)


def expected_version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    match = ETAG.match(if_match)
    if match is None:
        raise Problem(
            "validation_error",
            'If-Match must be a petition version such as "3"',
            errors=[{"field": "If-Match", "in": "header", "message": "not a version"}],
        )
    return None if match.group(1) is None else int(match.group(1))


def visible_state(
    service: Service, principal: Principal, petition_id: UUID, as_of: datetime | None = None
) -> dict[str, Any]:
    """The petition's state, or 404 for a department it was never assigned to."""
    state = service.app.state(petition_id, as_of=as_of)
    if principal.role is Role.DEPARTMENT:
        current = service.app.state(petition_id) if as_of is not None else state
        if principal.department not in current["departments"]:
            raise Problem("petition_not_found", f"no petition {petition_id}")
    return state


def written(response: Response, result: Written) -> WriteResult:
    response.headers["ETag"] = f'"{result.version}"'
    return WriteResult(
        id=result.id, version=result.version, position=result.position, status=result.status
    )  # type: ignore[arg-type]


@router.post(
    "",
    status_code=201,
    response_model=WriteResult,
    summary="Raise a petition",
    responses={
        201: {
            "headers": {
                **ETAG_HEADER,
                "Location": {
                    "required": True,
                    "description": "The petition",
                    "schema": {"type": "string"},
                },
            }
        }
    }
    | problem_responses(400, 401, 403, 409, 413, 422, 503),
)
def raise_petition(
    body: PetitionCreate,
    principal: Clerk,
    service: ServiceDep,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> WriteResult:
    """Record a petition raised at a briefing or in a written report; idempotent under a key."""
    result = service.app.raise_petition(
        PetitionDraft(**body.model_dump()),
        context(request, principal),
        idempotency_key=idempotency_key,
    )
    if result.replayed and result.request is not None:
        first = service.position_of(result.request, 1)
        result = Written(result.id, 1, first, result.status, replayed=True)
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/v1/petitions/{result.id}"
    return written(response, result)


@router.post(
    "/{petition_id}/assignment",
    response_model=WriteResult,
    summary="Assign or reassign",
    responses=COMMAND_RESPONSES,
)
def assign(
    petition_id: UUID,
    body: AssignmentCreate,
    principal: Committee,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """Assign to a department, or reassign; without ``due_on`` the zone's calendar decides."""
    return written(
        response,
        service.app.assign(
            petition_id,
            context(request, principal),
            department=body.department,
            due_on=body.due_on,
            note=body.note,
            on=body.assigned_on,
            expected_version=expected_version(if_match),
        ),
    )


# ---- the answer: JSON, or a multipart form carrying the signed letters -------------------

LETTER_FIELD = "letter"
MULTIPART = "multipart/form-data"


def form_schema() -> dict[str, Any]:
    """The multipart form of an answer: the JSON body's fields as form fields (a form has
    no null), and the signed letters as ``letter`` files."""
    schema = AnswerCreate.model_json_schema()
    properties: dict[str, Any] = {}
    for name, field in schema["properties"].items():
        choices = [c for c in field.get("anyOf", [field]) if c.get("type") != "null"]
        properties[name] = {k: v for k, v in field.items() if k not in ("anyOf", "default")}
        properties[name].update(choices[0])
    properties[LETTER_FIELD] = {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "maxItems": LETTERS_MAX,
        "description": "A signed letter: PDF, PNG or JPEG (told by its first bytes), at most "
        "MAX_UPLOAD_BYTES each",
    }
    return {
        "type": "object",
        "properties": properties,
        "required": schema["required"],
        "additionalProperties": False,
    }


ANSWER_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AnswerCreate.model_json_schema()},
            MULTIPART: {
                "schema": form_schema(),
                "encoding": {LETTER_FIELD: {"contentType": ", ".join(EXTENSIONS)}},
            },
        },
    }
}


def invalid(errors: Sequence[Any]) -> RequestValidationError:
    """A refusal of the body, as FastAPI words its own (the problem handler lists them)."""
    return RequestValidationError(
        [{**e, "loc": ("body", *e.get("loc", ()))} for e in errors]  # type: ignore[dict-item]
    )


def media_type(request: Request) -> str:
    """The body's media type, without its parameters ("" if none is declared)."""
    header = request.headers.get("content-type")
    if not header:
        return ""
    message = email.message.Message()
    message["content-type"] = header
    return message.get_content_type()


async def answer_input(request: Request, limit: int) -> tuple[AnswerCreate, list[Letter]]:
    """The answer's fields, and its letters as measured (size and type by their first bytes,
    whatever the upload claims); nothing is stored here."""
    kind = media_type(request)
    if kind == MULTIPART:
        form = await request.form(max_files=LETTERS_MAX, max_fields=50)
        try:
            return await form_input(form, limit)
        finally:
            await form.close()
    if not re.fullmatch(r"application/([^/]+\+)?json", kind):
        raise Problem(
            "unsupported_media_type",
            "send the answer as application/json, or with its signed letters as "
            "multipart/form-data",
        )
    raw = await request.body()
    try:
        data = json.loads(raw) if raw else None
    except json.JSONDecodeError as error:
        raise invalid(
            [{"type": "json_invalid", "loc": (error.pos,), "msg": "JSON decode error", "input": {}}]
        ) from None
    except (ValueError, RecursionError):  # not UTF-8, UTF-16 or UTF-32; nested too deep
        raise HTTPException(400, "There was an error parsing the body") from None
    if isinstance(data, dict) and "attachments" in data:
        raise Problem(
            "validation_error",
            "an answer does not name letters: send it as multipart/form-data with each "
            f"signed letter as a `{LETTER_FIELD}` file",
            errors=[{"field": "attachments", "in": "body", "message": "upload the letter"}],
        )
    try:
        return AnswerCreate.model_validate(data), []
    except ValidationError as error:
        raise invalid(error.errors()) from None


async def form_input(form: FormData, limit: int) -> tuple[AnswerCreate, list[Letter]]:
    fields: dict[str, str] = {}
    letters: list[Letter] = []
    wrong: list[dict[str, Any]] = []
    for name, value in form.multi_items():
        if name == LETTER_FIELD:
            if not isinstance(value, UploadFile):
                wrong.append({"type": "file", "loc": (name,), "msg": "must be a file"})
            elif value.filename or value.size:  # a browser sends an empty part for no file
                content = await value.read(limit + 1)
                try:
                    letters.append(measure(value.filename, content, limit))
                except LetterRefused as refused:
                    raise Problem(
                        "validation_error",
                        refused.message,
                        errors=[{"field": LETTER_FIELD, "in": "body", "message": refused.message}],
                    ) from None
        elif isinstance(value, UploadFile):
            wrong.append({"type": "not_a_file", "loc": (name,), "msg": "must not be a file"})
        elif name in fields:
            wrong.append({"type": "repeated", "loc": (name,), "msg": "given more than once"})
        else:
            fields[name] = value
    if wrong:
        raise invalid(wrong)
    try:
        return AnswerCreate.model_validate(fields), letters
    except ValidationError as error:
        raise invalid(error.errors()) from None


@router.post(
    "/{petition_id}/answer",
    response_model=WriteResult,
    summary="Answer",
    responses=COMMAND_RESPONSES | problem_responses(415),
    openapi_extra=ANSWER_BODY,
)
async def answer(
    petition_id: UUID,
    principal: Answerer,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """A written answer by the assigned department, or the clerk's record of an answer
    given on the spot at the meeting. A JSON body, or a multipart form with the same
    fields and each signed letter as a `letter` file (PDF, PNG or JPEG, told by its first
    bytes; at most MAX_UPLOAD_BYTES each): the letters are stored with the answer, in its
    transaction, and only if it is recorded."""
    body, letters = await answer_input(request, service.settings.max_upload_bytes)
    return await run_in_threadpool(
        record_answer, petition_id, body, principal, service, request, response, if_match, letters
    )


def record_answer(
    petition_id: UUID,
    body: AnswerCreate,
    principal: Answerer,
    service: Service,
    request: Request,
    response: Response,
    if_match: str | None = None,
    letters: Sequence[Letter] = (),
) -> WriteResult:
    """The answer route's use case, also called by the web pages."""
    ctx, version = context(request, principal), expected_version(if_match)
    if body.mode == "written":
        if principal.role is not Role.DEPARTMENT:
            raise Problem("forbidden", "a written answer comes from the assigned department")
        visible_state(service, principal, petition_id)
        refuse_fields(body, ("answered_by", "meeting"), "a written answer")
        # Blank is absent, as refuse_fields has it: an empty signer is no signer.
        missing = [
            f for f in ("document_number", "document_date", "signer") if not getattr(body, f)
        ]
        if missing:
            raise Problem(
                "validation_error",
                f"a written answer needs {', '.join(missing)}",
                errors=[{"field": f, "in": "body", "message": "required"} for f in missing],
            )
        assert body.document_number and body.document_date and body.signer
        result = service.app.answer_in_writing(
            petition_id,
            ctx,
            text=body.text,
            document_number=body.document_number,
            document_date=body.document_date,
            signer=body.signer,
            letters=letters,
            on=body.answered_on,
            expected_version=version,
        )
        return written(response, result)
    if principal.role is not Role.CLERK:
        raise Problem("forbidden", "the clerk records answers given on the spot")
    refuse_fields(body, ("document_number", "document_date", "signer"), "an answer on the spot")
    if letters:
        raise Problem(
            "validation_error",
            "an answer on the spot does not take letters",
            errors=[{"field": LETTER_FIELD, "in": "body", "message": "not allowed here"}],
        )
    if not body.answered_by:
        raise Problem(
            "validation_error",
            "an answer on the spot names who answered",
            errors=[{"field": "answered_by", "in": "body", "message": "required"}],
        )
    return written(
        response,
        service.app.answer_on_the_spot(
            petition_id,
            ctx,
            text=body.text,
            answered_by=body.answered_by,
            meeting=body.meeting,
            on=body.answered_on,
            expected_version=version,
        ),
    )


def refuse_fields(body: Any, fields: tuple[str, ...], what: str) -> None:
    given = [f for f in fields if getattr(body, f)]
    if given:
        raise Problem(
            "validation_error",
            f"{what} does not take {', '.join(given)}",
            errors=[{"field": f, "in": "body", "message": "not allowed here"} for f in given],
        )


@router.post(
    "/{petition_id}/verification",
    response_model=WriteResult,
    summary="Record the verdict",
    responses=COMMAND_RESPONSES,
)
def verify(
    petition_id: UUID,
    body: VerificationCreate,
    principal: Verifier,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """The cells' verdict on the latest answer; anything but satisfied reopens it."""
    if principal.role is not Role.COMMITTEE and (body.reassign_to or body.due_on):
        raise Problem(
            "forbidden",
            "only the committee chooses another department or due date",
            errors=[
                {"field": f, "in": "body", "message": "committee only"}
                for f in ("reassign_to", "due_on")
                if getattr(body, f)
            ],
        )
    return written(
        response,
        service.app.verify(
            petition_id,
            context(request, principal),
            verdict=body.verdict,
            flags=list(body.flags),
            meeting=body.meeting,
            comment=body.comment,
            reassign_to=body.reassign_to,
            due_on=body.due_on,
            on=body.verified_on,
            expected_version=expected_version(if_match),
        ),
    )


@router.post(
    "/{petition_id}/deadline",
    response_model=WriteResult,
    summary="Extend the deadline",
    responses=COMMAND_RESPONSES,
)
def extend_deadline(
    petition_id: UUID,
    body: DeadlineCreate,
    principal: Committee,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """Move the due date of an assigned petition later."""
    return written(
        response,
        service.app.extend_deadline(
            petition_id,
            context(request, principal),
            due_on=body.due_on,
            reason=body.reason,
            on=body.extended_on,
            expected_version=expected_version(if_match),
        ),
    )


@router.post(
    "/{petition_id}/escalation",
    response_model=WriteResult,
    summary="Escalate",
    responses=COMMAND_RESPONSES,
)
def escalate(
    petition_id: UUID,
    body: ReasonCreate,
    principal: Committee,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """Raise an open petition to the standing committee's attention."""
    return written(
        response,
        service.app.escalate(
            petition_id,
            context(request, principal),
            reason=body.reason,
            on=body.on,
            expected_version=expected_version(if_match),
        ),
    )


@router.post(
    "/{petition_id}/withdrawal",
    response_model=WriteResult,
    summary="Withdraw",
    responses=COMMAND_RESPONSES,
)
def withdraw(
    petition_id: UUID,
    body: ReasonCreate,
    principal: Committee,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """The cell withdrew the petition."""
    return written(
        response,
        service.app.withdraw(
            petition_id,
            context(request, principal),
            reason=body.reason,
            on=body.on,
            expected_version=expected_version(if_match),
        ),
    )


@router.post(
    "/{petition_id}/closure",
    response_model=WriteResult,
    summary="Close",
    responses=COMMAND_RESPONSES,
)
def close(
    petition_id: UUID,
    body: ReasonCreate,
    principal: Committee,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """The committee closes the matter without a satisfied verdict, saying why."""
    return written(
        response,
        service.app.close_petition(
            petition_id,
            context(request, principal),
            reason=body.reason,
            on=body.on,
            expected_version=expected_version(if_match),
        ),
    )


@router.post(
    "/{petition_id}/merge",
    response_model=WriteResult,
    summary="Merge into another",
    responses=COMMAND_RESPONSES,
)
def merge(
    petition_id: UUID,
    body: MergeCreate,
    principal: Committee,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """This petition repeats another; it is followed there."""
    return written(
        response,
        service.app.merge(
            petition_id,
            context(request, principal),
            into=body.into,
            reason=body.reason,
            on=body.on,
            expected_version=expected_version(if_match),
        ),
    )


@router.post(
    "/{petition_id}/decline",
    response_model=WriteResult,
    summary="Decline",
    responses=COMMAND_RESPONSES,
)
def decline(
    petition_id: UUID,
    body: ReasonCreate,
    principal: DepartmentRole,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """The assigned department says the matter is not within its competence."""
    visible_state(service, principal, petition_id)
    return written(
        response,
        service.app.decline_assignment(
            petition_id,
            context(request, principal),
            reason=body.reason,
            on=body.on,
            expected_version=expected_version(if_match),
        ),
    )


@router.get(
    "/{petition_id}",
    response_model=PetitionRead,
    summary="One petition",
    responses={
        200: {"headers": ETAG_HEADER},
        304: {"description": "If-None-Match names the current version", "headers": ETAG_HEADER},
    }
    | problem_responses(401, 403, 404, 422, 503),
)
def get_petition(
    petition_id: UUID,
    principal: Reader,
    service: ServiceDep,
    response: Response,
    as_of: Annotated[
        Instant | None, Query(description="ISO time with zone: the state as it stood then")
    ] = None,
    if_none_match: IfNoneMatch = None,
) -> Any:
    """The petition's state, read from its events (so a write is visible at once)."""
    if as_of is not None and as_of.tzinfo is None:
        raise Problem(
            "validation_error",
            "as_of needs a time zone, e.g. 2026-03-03T08:00:00+07:00",
            errors=[{"field": "as_of", "in": "query", "message": "no time zone"}],
        )
    state = visible_state(service, principal, petition_id, as_of)
    etag = f'"{state["version"]}"'
    if if_none_match is not None and if_none_match.strip() == etag and as_of is None:
        return Response(status_code=304, headers={"ETag": etag})
    response.headers["ETag"] = etag
    return state


@router.get(
    "/{petition_id}/events",
    response_model=list[EventRead],
    summary="Event history",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def history(petition_id: UUID, principal: HistoryReader, service: ServiceDep) -> Any:
    """Every event: type, business date, record time, actor, request id, payload, and
    whether it was recorded later than the back-dating tolerance allows."""
    visible_state(service, principal, petition_id)
    tolerance = service.settings.backdating_tolerance_days
    events = service.app.history(petition_id)
    for event in events:
        event["delay_days"] = (local_date(event["recorded_at"]) - event["business_date"]).days
        event["backdated"] = event["delay_days"] > tolerance
    return events
