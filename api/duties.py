"""The members' duty over HTTP: the admin assigns a committee member to communes and/or
cells for a term, changes or ends the assignment; the assignments and their history are
read, and the reports (a member's calendar, who attended no cell meeting in a month, the
cells not visited for some months, the yearly record, also as XLSX). The routes read
their bodies into the use cases' commands (``usecases.duties``), which hold every rule."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from api.auth import ServiceDep, may
from api.duty_schemas import (
    CalendarRead,
    DutyChangeCreate,
    DutyCreate,
    DutyEndCreate,
    DutyPageRead,
    DutyWithHistory,
    DutyWritten,
    NotAttendingRead,
    RecordsRead,
    UnvisitedRead,
)
from api.exports import REFUSALS, download
from api.formats.tables import Column, Sheet
from api.names import Names
from api.petitions import COMMAND_RESPONSES, ETAG_HEADER, IfMatch, expected_version
from api.problems import problem_responses
from api.schemas import Day
from api.views import MinPosition, OrganisationQuery
from stores.tokens import Principal
from usecases.access import UseCase
from usecases.commands import Context, Written
from usecases.duties import DEFAULT_MONTHS, DutyCommandType

router = APIRouter(prefix="/v1", tags=["duties"])
Reader = Annotated[Principal, Depends(may(UseCase.READ_DUTIES))]
ReportReader = Annotated[Principal, Depends(may(UseCase.DUTY_REPORTS))]
Year = Annotated[int, Query(ge=1900, le=2100)]
Month = Annotated[int, Query(ge=1, le=12)]
MemberCode = Annotated[str, Query(min_length=1, max_length=50, pattern=r"^[^\x00]*$")]


def execute(
    service: ServiceDep, request: Request, principal: Principal, command: DutyCommandType
) -> Written:
    return service.duties.execute(command, Context.of(principal, request.state.request_id))


def written(response: Response, result: Written) -> DutyWritten:
    response.headers["ETag"] = f'"{result.version}"'
    return DutyWritten(
        id=result.id, version=result.version, position=result.position, status=result.status
    )


@router.post(
    "/duties",
    status_code=201,
    response_model=DutyWritten,
    summary="Assign a committee member",
    responses=problem_responses(
        400, 401, 403, 413, 422, 503, before={201: {"headers": ETAG_HEADER}}
    ),
)
def assign(
    body: DutyCreate,
    principal: Annotated[Principal, Depends(may(UseCase.ASSIGN_DUTY))],
    service: ServiceDep,
    request: Request,
    response: Response,
) -> DutyWritten:
    """The committee member ``member`` (``name``, as the meetings name the member)
    assigned to ``communes`` and/or ``cells`` of the caller's organisation from
    ``start_on`` to ``end_on``."""
    command = body.command()
    result = execute(service, request, principal, command)
    response.headers["Location"] = f"/v1/duties/{result.id}"
    return written(response, result)


@router.post(
    "/duties/{assignment_id}/change",
    response_model=DutyWritten,
    summary="Change an assignment",
    responses=COMMAND_RESPONSES,
)
def change(
    assignment_id: UUID,
    body: DutyChangeCreate,
    principal: Annotated[Principal, Depends(may(UseCase.CHANGE_DUTY))],
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> DutyWritten:
    """From ``effective_on`` on, the member is assigned to ``communes`` and ``cells``
    until ``end_on``, for ``reason``."""
    command = body.command(assignment_id, expected_version(if_match))
    return written(response, execute(service, request, principal, command))


@router.post(
    "/duties/{assignment_id}/end",
    response_model=DutyWritten,
    summary="End an assignment early",
    responses=COMMAND_RESPONSES,
)
def end(
    assignment_id: UUID,
    body: DutyEndCreate,
    principal: Annotated[Principal, Depends(may(UseCase.END_DUTY))],
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> DutyWritten:
    """The term ends on ``ended_on``, before its last day, for ``reason``."""
    command = body.command(assignment_id, expected_version(if_match))
    return written(response, execute(service, request, principal, command))


@router.get(
    "/duties",
    response_model=DutyPageRead,
    summary="List the assignments",
    responses=problem_responses(401, 403, 422, 503),
)
def list_duties(
    principal: Reader,
    service: ServiceDep,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
    member: MemberCode | None = None,
) -> Any:
    """The assignments of the organisations the caller reads (of ``member`` only)."""
    return service.duties.assignments(
        principal.actor, organisation=organisation, member=member, min_position=min_position
    )


@router.get(
    "/duties/{assignment_id}",
    response_model=DutyWithHistory,
    summary="One assignment with its history",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def get_duty(assignment_id: UUID, principal: Reader, service: ServiceDep) -> Any:
    """The assignment read from its events: its spans, and every change to it (who,
    when, why)."""
    return service.duties.assignment(principal.actor, assignment_id)


@router.get(
    "/reports/duty/calendar",
    response_model=CalendarRead,
    summary="A member's calendar of expected cell meetings",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def duty_calendar(
    principal: ReportReader,
    service: ServiceDep,
    member: MemberCode,
    year: Year,
    month: Month | None = None,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
) -> Any:
    """The cell meetings of the member's assigned cells in the year (or month) during the
    term, attended or not, and the months of the term with none attended."""
    return service.duties.calendar(
        principal.actor,
        member,
        year=year,
        month=month,
        organisation=organisation,
        min_position=min_position,
    )


@router.get(
    "/reports/duty/absent",
    response_model=NotAttendingRead,
    summary="Members who attended no cell meeting in a month",
    responses=problem_responses(401, 403, 422, 503),
)
def duty_absent(
    principal: ReportReader,
    service: ServiceDep,
    year: Year,
    month: Month,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
) -> Any:
    """The members with a term in the month and no cell meeting attended in it."""
    return service.duties.not_attending(
        principal.actor,
        year=year,
        month=month,
        organisation=organisation,
        min_position=min_position,
    )


@router.get(
    "/reports/duty/unvisited",
    response_model=UnvisitedRead,
    summary="Cells no member visited for some months",
    responses=problem_responses(401, 403, 422, 503),
)
def duty_unvisited(
    principal: ReportReader,
    service: ServiceDep,
    months: Annotated[int, Query(ge=1, le=60)] = DEFAULT_MONTHS,
    on: Day | None = None,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
) -> Any:
    """The cells no committee member came to a cell meeting of in the ``months`` months
    up to ``on`` (today), with the last visit."""
    return service.duties.unvisited(
        principal.actor,
        months=months,
        on=on,
        organisation=organisation,
        min_position=min_position,
    )


@router.get(
    "/reports/duty/record",
    response_model=RecordsRead,
    summary="The members' yearly record",
    responses=problem_responses(401, 403, 422, 503),
)
def duty_record(
    principal: ReportReader,
    service: ServiceDep,
    year: Year,
    member: MemberCode | None = None,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
) -> Any:
    """Per member, for the year-end evaluation: the months covered, the cell meetings
    expected and attended, the months without one, the briefings expected and attended,
    and the petitions raised at the cell meetings the member attended."""
    return service.duties.records(
        principal.actor,
        year=year,
        organisation=organisation,
        member=member,
        min_position=min_position,
    )


RECORD_COLUMNS = (
    Column("Mã cấp ủy viên", width=14),
    Column("Cấp ủy viên", width=30),
    Column("Tổ chức", width=24),
    Column("Số tháng phụ trách", "int", 10),
    Column("Tháng phụ trách", width=24),
    Column("Sinh hoạt chi bộ dự kiến", "int", 12),
    Column("Sinh hoạt chi bộ đã dự", "int", 12),
    Column("Tháng không dự", width=24),
    Column("Giao ban dự kiến", "int", 12),
    Column("Giao ban đã dự", "int", 12),
    Column("Ý kiến nêu tại sinh hoạt chi bộ", "int", 12),
)


def record_rows(found: dict[str, Any], names: Names) -> list[tuple[Any, ...]]:
    """The yearly record's rows as the file and the printable page lay them out."""
    return [
        (
            r["member"],
            r["name"],
            names.organisation(r["organisation"]),
            len(r["months_covered"]),
            ", ".join(str(m) for m in r["months_covered"]),
            r["cell_meetings_expected"],
            r["cell_meetings_attended"],
            ", ".join(str(m) for m in r["months_without"]),
            r["briefings_expected"],
            r["briefings_attended"],
            r["petitions_raised"],
        )
        for r in found["items"]
    ]


@router.get(
    "/exports/duty-record",
    response_class=Response,
    summary="Export the members' yearly record",
    responses=REFUSALS,
)
def export_record(
    principal: ReportReader,
    service: ServiceDep,
    year: Year,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
) -> Response:
    """The yearly record of ``GET /v1/reports/duty/record`` as XLSX, a row per member."""
    found = service.duties.records(
        principal.actor, year=year, organisation=organisation, min_position=min_position
    )
    sheet = Sheet(f"Năm {year}", RECORD_COLUMNS, record_rows(found, Names(service.app.province)))
    return download([sheet], "xlsx", f"cap-uy-vien-du-sinh-hoat-{year}")
