"""Meetings over HTTP: schedule a briefing or a cell meeting, then its notice, agenda,
holding with attendance, minutes, closing (or moving, cancelling); read one, list them,
and the attendance report. The routes read their bodies into the use cases' commands
(``usecases.meetings``), which hold every rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from api.auth import ServiceDep, may
from api.meeting_report_schemas import AsOf, zoned
from api.meeting_schemas import (
    AgendaCreate,
    AttendanceRead,
    CancelCreate,
    CloseCreate,
    HeldCreate,
    MeetingCreate,
    MeetingKindName,
    MeetingPageRead,
    MeetingRead,
    MeetingStatusName,
    MeetingWritten,
    MinutesCreate,
    MoveCreate,
    NoticeCreate,
)
from api.petitions import COMMAND_RESPONSES, ETAG_HEADER, IfMatch, expected_version
from api.problems import problem_responses
from api.schemas import Day, EventRead
from api.views import MinPosition, OrganisationQuery
from stores.tokens import Principal
from usecases.access import UseCase
from usecases.commands import Context, Written
from usecases.meetings import (
    CancelMeeting,
    CloseMeeting,
    HoldMeeting,
    IssueAgenda,
    MeetingChange,
    MeetingCommandType,
    MoveMeeting,
    RecordMinutes,
    ScheduleMeeting,
    SendNotice,
)

router = APIRouter(prefix="/v1", tags=["meetings"])
Reader = Annotated[Principal, Depends(may(UseCase.READ_MEETINGS))]
AttendanceReader = Annotated[Principal, Depends(may(UseCase.ATTENDANCE_REPORT))]
B = TypeVar("B", bound=BaseModel)


# ---- routes ------------------------------------------------------------------------------


def execute(
    service: ServiceDep, request: Request, principal: Principal, command: MeetingCommandType
) -> Written:
    return service.meetings.execute(command, Context.of(principal, request.state.request_id))


def written(response: Response, result: Written) -> MeetingWritten:
    response.headers["ETag"] = f'"{result.version}"'
    return MeetingWritten(
        id=result.id, version=result.version, position=result.position, status=result.status
    )


@router.post(
    "/meetings",
    status_code=201,
    response_model=MeetingWritten,
    summary="Schedule a meeting",
    responses=problem_responses(
        400, 401, 403, 409, 413, 422, 503, before={201: {"headers": ETAG_HEADER}}
    ),
)
def schedule(
    body: MeetingCreate,
    principal: Annotated[Principal, Depends(may(UseCase.SCHEDULE_MEETING))],
    service: ServiceDep,
    request: Request,
    response: Response,
) -> MeetingWritten:
    """A secretaries' briefing of the caller's organisation (or of one of its ``zone``s),
    or a ``cell``'s meeting attended by the committee ``members``."""
    command = ScheduleMeeting(
        kind=body.kind,
        zone=body.zone,
        cell=body.cell,
        members=tuple(body.members),
        scheduled_on=body.scheduled_on,
        on=body.on,
    )
    result = execute(service, request, principal, command)
    response.headers["Location"] = f"/v1/meetings/{result.id}"
    return written(response, result)


def meeting_route(
    action: str,
    use_case: UseCase,
    body_type: type[B],
    build: Callable[[UUID, B, int | None], MeetingChange],
    summary: str,
    description: str,
) -> None:
    """A write on one meeting: its body read into the use case's command (``If-Match``
    its expected version), for the request's principal admitted to ``use_case``."""

    def endpoint(
        meeting_id: UUID,
        body: B,
        principal: Principal,
        service: ServiceDep,
        request: Request,
        response: Response,
        if_match: IfMatch = None,
    ) -> MeetingWritten:
        command = build(meeting_id, body, expected_version(if_match))
        return written(response, execute(service, request, principal, command))

    endpoint.__annotations__ |= {
        "body": body_type,
        "principal": Annotated[Principal, Depends(may(use_case))],
    }
    router.post(
        f"/meetings/{{meeting_id}}/{action}",
        name=f"meeting_{action}",
        response_model=MeetingWritten,
        summary=summary,
        description=description,
        responses=COMMAND_RESPONSES,
    )(endpoint)


meeting_route(
    "notice",
    UseCase.SEND_NOTICE,
    NoticeCreate,
    lambda m, b, ver: SendNotice(
        meeting_id=m, expected_version=ver, on=b.sent_on, recipients=tuple(b.recipients)
    ),
    "Send the notice",
    "Who was told of the meeting, on ``sent_on``: late if fewer than MEETING_NOTICE_DAYS"
    " before the date it is scheduled on.",
)
meeting_route(
    "agenda",
    UseCase.ISSUE_AGENDA,
    AgendaCreate,
    lambda m, b, ver: IssueAgenda(
        meeting_id=m,
        expected_version=ver,
        on=b.issued_on,
        petitions=None if b.petitions is None else tuple(b.petitions),
        min_position=b.min_position,
    ),
    "Issue the agenda",
    "The briefing packet (or the petitions given) becomes the meeting's agenda, frozen:"
    " issued once (409 again).",
)
meeting_route(
    "held",
    UseCase.HOLD_MEETING,
    HeldCreate,
    lambda m, b, ver: HoldMeeting(
        meeting_id=m,
        expected_version=ver,
        on=b.held_on,
        chair=b.chair,
        attendance=tuple(a.entry() for a in b.attendance),
    ),
    "Record the meeting held",
    "Its date, chair and each expected person's attendance: present, late (minutes) or"
    " absent (reason, excused or not).",
)
meeting_route(
    "minutes",
    UseCase.RECORD_MINUTES,
    MinutesCreate,
    lambda m, b, ver: RecordMinutes(
        meeting_id=m,
        expected_version=ver,
        on=b.recorded_on,
        text=b.text,
        petitions_raised=tuple(b.petitions_raised),
        answers_read=tuple(b.answers_read),
        verdicts=tuple((x.petition, x.verdict) for x in b.verdicts),
    ),
    "Record the minutes",
    "The minutes' text, the petitions raised, the answers read out and the verdicts given;"
    " after the meeting is held (409 before).",
)
meeting_route(
    "close",
    UseCase.CLOSE_MEETING,
    CloseCreate,
    lambda m, b, ver: CloseMeeting(meeting_id=m, expected_version=ver, on=b.closed_on),
    "Close the meeting",
    "A meeting held, with its minutes or without.",
)
meeting_route(
    "move",
    UseCase.MOVE_MEETING,
    MoveCreate,
    lambda m, b, ver: MoveMeeting(
        meeting_id=m, expected_version=ver, on=b.on, scheduled_on=b.scheduled_on, reason=b.reason
    ),
    "Move the meeting",
    "To another date, saying why; before it is held.",
)
meeting_route(
    "cancel",
    UseCase.CANCEL_MEETING,
    CancelCreate,
    lambda m, b, ver: CancelMeeting(meeting_id=m, expected_version=ver, on=b.on, reason=b.reason),
    "Cancel the meeting",
    "Saying why; before it is held.",
)


@router.get(
    "/meetings",
    response_model=MeetingPageRead,
    summary="List meetings",
    responses=problem_responses(401, 403, 422, 503),
)
def list_meetings(
    principal: Reader,
    service: ServiceDep,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
    kind: MeetingKindName | None = None,
    status: MeetingStatusName | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Any:
    """Meetings of the organisations the caller reads, scheduled ``from``–``to``, latest first."""
    return service.meetings.meetings(
        principal.actor,
        organisation=organisation,
        start=start,
        end=end,
        kind=kind,
        status=status,
        limit=limit,
        offset=offset,
        min_position=min_position,
    )


@router.get(
    "/meetings/{meeting_id}",
    response_model=MeetingRead,
    summary="One meeting",
    responses=problem_responses(401, 403, 404, 422, 503, before={200: {"headers": ETAG_HEADER}}),
)
def get_meeting(
    meeting_id: UUID,
    principal: Reader,
    service: ServiceDep,
    response: Response,
    min_position: MinPosition = None,
) -> Any:
    """The meeting's state read from its events, with the petitions raised and the
    verdicts given at it (as the views hold them at ``min_position``)."""
    state = service.meetings.meeting(principal.actor, meeting_id, min_position=min_position)
    response.headers["ETag"] = f'"{state["version"]}"'
    return state


@router.get(
    "/meetings/{meeting_id}/events",
    response_model=list[EventRead],
    summary="A meeting's event history",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def meeting_history(meeting_id: UUID, principal: Reader, service: ServiceDep) -> Any:
    """Every event of the meeting: type, business date, record time, actor, request id,
    payload, and whether it was recorded later than the back-dating tolerance allows."""
    return service.meetings.history(principal.actor, meeting_id)


@router.get(
    "/reports/attendance",
    response_model=AttendanceRead,
    response_model_by_alias=True,
    summary="Attendance at meetings",
    responses=problem_responses(401, 403, 422, 503),
)
def attendance(
    principal: AttendanceReader,
    service: ServiceDep,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
    as_of: AsOf = None,
) -> Any:
    """At the meetings held ``from``–``to``: per secretary, cell, commune and
    organisation at the briefings (expected, present, late, absent excused or not, rate),
    per committee member the cell meetings and briefings attended and the petitions raised
    at those cell meetings; how many meetings were held, noticed late, left unminuted;
    ``as_of``: of what was recorded by then."""
    return service.meeting_reports.attendance(
        principal.actor,
        organisation=organisation,
        start=start,
        end=end,
        as_of=zoned(as_of),
        min_position=min_position,
    )
