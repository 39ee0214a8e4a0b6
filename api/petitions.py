"""Commands on one petition, and its state and history (read from the aggregate)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, WithJsonSchema
from starlette.concurrency import run_in_threadpool

from api.answers import ANSWER_BODY, answer_command, answer_input
from api.auth import ServiceDep, may
from api.bodies import command_from
from api.problems import CREATING, Problem, problem_responses
from api.schemas import (
    NO_NUL,
    AnswerCreate,
    AssignmentCreate,
    CosignCreate,
    DeadlineCreate,
    EventRead,
    Instant,
    MergeCreate,
    PetitionCreate,
    PetitionRead,
    ReasonCreate,
    ReferralCreate,
    VerificationCreate,
    WriteResult,
)
from domain.messages import say
from service.bootstrap import Service
from stores.attachments import Letter
from stores.tokens import Principal
from usecases import lookup
from usecases.access import UseCase
from usecases.commands import (
    Assign,
    Close,
    Context,
    Cosign,
    Decline,
    Escalate,
    ExtendDeadline,
    Merge,
    PetitionCommand,
    PetitionDraft,
    RaisePetition,
    Refer,
    Reopen,
    ReturnReferral,
    Verify,
    Withdraw,
    Written,
)

router = APIRouter(prefix="/v1/petitions", tags=["petitions"])

ReasonCommand = TypeVar("ReasonCommand", Escalate, Withdraw, Close, Reopen, Decline, ReturnReferral)
Body = TypeVar("Body", bound=BaseModel)
# Each route admits the roles its use case's rules admit (``usecases.access``).
Raiser = Annotated[Principal, Depends(may(UseCase.RAISE))]
Answerer = Annotated[Principal, Depends(may(UseCase.ANSWER_IN_WRITING, UseCase.ANSWER_ON_THE_SPOT))]
Reader = Annotated[Principal, Depends(may(UseCase.READ_PETITION))]
HistoryReader = Annotated[Principal, Depends(may(UseCase.READ_HISTORY))]
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
    return Context.of(principal, request.state.request_id)


def execute(
    service: Service, request: Request, principal: Principal, command: PetitionCommand
) -> Written:
    """The use case of the command, for the request's principal."""
    return service.app.execute(command, context(request, principal))


def expected_version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    match = ETAG.match(if_match)
    if match is None:
        raise Problem(
            "validation_error",
            say("if_match.version"),
            errors=[{"field": "If-Match", "in": "header", "message": say("if_match.not_version")}],
        )
    return None if match.group(1) is None else int(match.group(1))


# ---- the bodies read into the use cases' commands (the web pages read their forms so too)


def assign_command(petition_id: UUID, body: AssignmentCreate, version: int | None) -> Assign:
    coordinating = tuple((c.department, c.due_on) for c in body.coordinating)
    return command_from(
        Assign, petition_id, body, version, on=body.assigned_on, coordinating=coordinating
    )


def refer_command(petition_id: UUID, body: ReferralCreate, version: int | None) -> Refer:
    return command_from(Refer, petition_id, body, version, on=body.referred_on)


def deadline_command(
    petition_id: UUID, body: DeadlineCreate, version: int | None
) -> ExtendDeadline:
    return command_from(ExtendDeadline, petition_id, body, version, on=body.extended_on)


def reason_command(
    kind: type[ReasonCommand], petition_id: UUID, body: ReasonCreate, version: int | None
) -> ReasonCommand:
    """A command that gives only a reason: escalate, withdraw, close, reopen, decline,
    return a referral."""
    return command_from(kind, petition_id, body, version, on=body.on)


def verify_command(petition_id: UUID, body: VerificationCreate, version: int | None) -> Verify:
    """The verdict's command (also the web pages')."""
    return command_from(
        Verify, petition_id, body, version, on=body.verified_on, flags=tuple(body.flags)
    )


def merge_command(petition_id: UUID, body: MergeCreate, version: int | None) -> Merge:
    return command_from(Merge, petition_id, body, version, on=body.on)


def cosign_command(petition_id: UUID, body: CosignCreate, version: int | None) -> Cosign:
    """Another cell's co-signing (also the briefing page's)."""
    return command_from(Cosign, petition_id, body, version, on=body.cosigned_on)


def written(response: Response, result: Written) -> WriteResult:
    response.headers["ETag"] = f'"{result.version}"'
    return WriteResult(
        id=result.id, version=result.version, position=result.position, status=result.status
    )


def command_route(
    path: str,
    name: str,
    summary: str,
    use_case: UseCase,
    body_type: type[Body],
    build: Callable[[UUID, Body, int | None], PetitionCommand],
    description: str,
) -> None:
    """A write route: its body read into the use case's command (``If-Match`` its expected
    version), executed for the request's principal, who must be admitted to ``use_case``.
    The write routes differ only in these arguments."""

    def endpoint(
        petition_id: UUID,
        body: Body,
        principal: Principal,
        service: ServiceDep,
        request: Request,
        response: Response,
        if_match: IfMatch = None,
    ) -> WriteResult:
        command = build(petition_id, body, expected_version(if_match))
        return written(response, execute(service, request, principal, command))

    # FastAPI reads the body's model and the roles' dependency from the annotations.
    endpoint.__annotations__ |= {
        "body": body_type,
        "principal": Annotated[Principal, Depends(may(use_case))],
    }
    router.post(
        path,
        name=name,
        response_model=WriteResult,
        summary=summary,
        description=description,
        responses=COMMAND_RESPONSES,
    )(endpoint)


@router.post(
    "",
    status_code=201,
    response_model=WriteResult,
    summary="Raise a petition",
    responses=problem_responses(
        *CREATING,
        before={
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
        },
    ),
)
def raise_petition(
    body: PetitionCreate,
    principal: Raiser,
    service: ServiceDep,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> WriteResult:
    """Record a petition raised at a briefing or in a written report; idempotent under a key."""
    draft = PetitionDraft(**body.model_dump())
    command = RaisePetition(draft=draft, idempotency_key=idempotency_key)
    result = execute(service, request, principal, command)
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/v1/petitions/{result.id}"
    return written(response, result)


command_route(
    "/{petition_id}/assignment",
    "assign",
    "Assign or reassign",
    UseCase.ASSIGN,
    AssignmentCreate,
    assign_command,
    "Assign to a department, or reassign; without ``due_on`` the zone's calendar decides.",
)


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
    """The answer route's use case: the body read into its command, then executed."""
    command = answer_command(petition_id, body, principal, expected_version(if_match), letters)
    return written(response, execute(service, request, principal, command))


command_route(
    "/{petition_id}/verification",
    "verify",
    "Record the verdict",
    UseCase.VERIFY,
    VerificationCreate,
    verify_command,
    "The cells' verdict on the latest answer; anything but satisfied reopens it.",
)
command_route(
    "/{petition_id}/deadline",
    "extend_deadline",
    "Extend the deadline",
    UseCase.EXTEND_DEADLINE,
    DeadlineCreate,
    deadline_command,
    "Move the due date of an assigned petition later.",
)
command_route(
    "/{petition_id}/escalation",
    "escalate",
    "Escalate",
    UseCase.ESCALATE,
    ReasonCreate,
    partial(reason_command, Escalate),
    "Raise an open petition to the standing committee's attention.",
)
command_route(
    "/{petition_id}/withdrawal",
    "withdraw",
    "Withdraw",
    UseCase.WITHDRAW,
    ReasonCreate,
    partial(reason_command, Withdraw),
    "The cell withdrew the petition.",
)
command_route(
    "/{petition_id}/closure",
    "close",
    "Close",
    UseCase.CLOSE,
    ReasonCreate,
    partial(reason_command, Close),
    "The committee closes the matter without a satisfied verdict, saying why.",
)
command_route(
    "/{petition_id}/reopen",
    "reopen",
    "Reopen",
    UseCase.REOPEN,
    ReasonCreate,
    partial(reason_command, Reopen),
    "The committee reopens a petition it closed, withdrew or merged by mistake, saying"
    " why: it returns to the status it ended from (``reopens_to``). A petition the cells'"
    " satisfied verdict closed is not reopened (409).",
)
command_route(
    "/{petition_id}/merge",
    "merge",
    "Merge into another",
    UseCase.MERGE,
    MergeCreate,
    merge_command,
    "This petition repeats another; it is followed there.",
)
command_route(
    "/{petition_id}/cosign",
    "cosign",
    "Record a co-signing cell",
    UseCase.COSIGN,
    CosignCreate,
    cosign_command,
    "Another party cell of the petition's organisation raised the same matter: it is"
    " recorded on this open petition instead of as a duplicate. Refused (422) for the"
    " raising cell, a cell that already co-signed and a cell of another organisation;"
    " (409) for a closed, withdrawn or merged petition.",
)
command_route(
    "/{petition_id}/referral",
    "refer",
    "Refer to the province",
    UseCase.REFER,
    ReferralCreate,
    refer_command,
    "The raising organisation's committee refers the petition, beyond its authority, to a "
    "department of the province (``organisation``); without ``due_on`` its briefing "
    "calendar decides. Raised or assigned petitions only, once.",
)
command_route(
    "/{petition_id}/referral/return",
    "return_referral",
    "Return the referral",
    UseCase.RETURN_REFERRAL,
    ReasonCreate,
    partial(reason_command, ReturnReferral),
    "The province (its committee, or the department holding it) gives a referred petition "
    "back to the raising organisation's committee, unassigned: within its authority.",
)
command_route(
    "/{petition_id}/decline",
    "decline",
    "Decline",
    UseCase.DECLINE,
    ReasonCreate,
    partial(reason_command, Decline),
    "The assigned department says the matter is not within its competence.",
)


@router.get(
    "/{petition_id}",
    response_model=PetitionRead,
    summary="One petition",
    responses=problem_responses(
        401,
        403,
        404,
        422,
        503,
        before={
            200: {"headers": ETAG_HEADER},
            304: {"description": "If-None-Match names the current version", "headers": ETAG_HEADER},
        },
    ),
)
def get_petition(
    petition_id: Annotated[
        str,
        Path(
            min_length=1,
            max_length=100,
            pattern=NO_NUL,
            description="The petition's id, or its number (KN-2026-0123) where the caller"
            " sees one petition of that number",
        ),
    ],
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
            say("as_of.no_zone"),
            errors=[{"field": "as_of", "in": "query", "message": say("as_of.no_zone_field")}],
        )
    queries = service.queries
    state = queries.petition(
        principal.actor, lookup.identified(queries, principal.actor, petition_id), as_of=as_of
    )
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
    return service.queries.history(principal.actor, petition_id)
