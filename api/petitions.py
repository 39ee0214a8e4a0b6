"""Commands on one petition, and its state and history (read from the aggregate)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import WithJsonSchema

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
from domain.application import Context, PetitionDraft, Written
from projections.base import local_date
from service.bootstrap import Service
from service.tokens import Principal

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


@router.post(
    "/{petition_id}/answer",
    response_model=WriteResult,
    summary="Answer",
    responses=COMMAND_RESPONSES,
)
def answer(
    petition_id: UUID,
    body: AnswerCreate,
    principal: Answerer,
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> WriteResult:
    """A written answer by the assigned department, or the clerk's record of an answer
    given on the spot at the meeting."""
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
            attachments=[a.model_dump() for a in body.attachments],
            on=body.answered_on,
            expected_version=version,
        )
        return written(response, result)
    if principal.role is not Role.CLERK:
        raise Problem("forbidden", "the clerk records answers given on the spot")
    refuse_fields(
        body, ("document_number", "document_date", "signer", "attachments"), "an answer on the spot"
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
