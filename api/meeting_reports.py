"""The meetings' information requests and reports over HTTP: a department's information for
an agenda said to have come; the people's attendance at the briefings, the notices sent
late, the departments' information and the minutes' completeness, each a board and a
scorecard (``usecases.meeting_reports``), and their exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from api.auth import ServiceDep, may
from api.exports import REFUSALS, Format, download
from api.formats.tables import Column, Sheet
from api.meeting_exports import ATTENDANCE_FIGURES, attendance_figures
from api.meeting_report_schemas import (
    InformationCreate,
    InformationRead,
    MinutesRead,
    NoticesRead,
    PeopleRead,
)
from api.meeting_schemas import MeetingWritten
from api.meetings import written
from api.names import Names
from api.petitions import COMMAND_RESPONSES, IfMatch, expected_version
from api.problems import problem_responses
from api.schemas import Day
from api.views import MinPosition, OrganisationQuery
from stores.tokens import Principal
from usecases.access import UseCase
from usecases.commands import Context
from usecases.meeting_information import ReceiveInformation
from usecases.meeting_reports import ReportName

router = APIRouter(prefix="/v1", tags=["meetings"])
ReportReader = Annotated[Principal, Depends(may(UseCase.MEETING_REPORTS))]
From = Annotated[Day | None, Query(alias="from")]
To = Annotated[Day | None, Query(alias="to")]
REPORT_REFUSALS = problem_responses(401, 403, 422, 503)


@router.post(
    "/meetings/{meeting_id}/information",
    response_model=MeetingWritten,
    summary="Information for the agenda came",
    responses=COMMAND_RESPONSES,
)
def information_received(
    meeting_id: UUID,
    body: InformationCreate,
    principal: Annotated[Principal, Depends(may(UseCase.RECEIVE_INFORMATION))],
    service: ServiceDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> MeetingWritten:
    """The information the meeting's agenda asked of ``department`` came, on ``on``: late
    after the day it was due. The department says so for itself, the clerk or the
    committee for any; refused for a department not asked, or whose information came."""
    command = ReceiveInformation(
        meeting_id=meeting_id,
        expected_version=expected_version(if_match),
        on=body.on,
        department=body.department,
    )
    ctx = Context.of(principal, request.state.request_id)
    return written(response, service.meetings.execute(command, ctx))


def report(
    service: ServiceDep,
    principal: Principal,
    name: ReportName,
    organisation: str | None,
    start: Any,
    end: Any,
    min_position: int | None,
) -> dict[str, Any]:
    return service.meeting_reports.report(
        principal.actor,
        name,
        organisation=organisation,
        start=start,
        end=end,
        min_position=min_position,
    )


@router.get(
    "/reports/meetings/people",
    response_model=PeopleRead,
    response_model_by_alias=True,
    summary="Committee members and department leaders at the briefings",
    responses=REPORT_REFUSALS,
)
def people(
    principal: ReportReader,
    service: ServiceDep,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
    start: From = None,
    end: To = None,
) -> Any:
    """Per committee member and department leader, at the briefings held ``from``–``to``:
    expected, present, late, absent excused or not, the rate; the same per department,
    zone and organisation."""
    return report(service, principal, "people", organisation, start, end, min_position)


@router.get(
    "/reports/meetings/notices",
    response_model=NoticesRead,
    response_model_by_alias=True,
    summary="Notices sent late",
    responses=REPORT_REFUSALS,
)
def notices(
    principal: ReportReader,
    service: ServiceDep,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
    start: From = None,
    end: To = None,
) -> Any:
    """The meetings scheduled ``from``–``to`` (not cancelled) whose notice went out fewer
    days before than MEETING_NOTICE_DAYS asked; per zone, commune and organisation how many
    were noticed, late, held without notice, and the share noticed on time."""
    return report(service, principal, "notices", organisation, start, end, min_position)


@router.get(
    "/reports/meetings/information",
    response_model=InformationRead,
    response_model_by_alias=True,
    summary="The departments' information for the agendas",
    responses=REPORT_REFUSALS,
)
def information(
    principal: ReportReader,
    service: ServiceDep,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
    start: From = None,
    end: To = None,
) -> Any:
    """For the meetings scheduled ``from``–``to``: each department whose information came
    after its due day, or has not come though it is past; per department and organisation
    how many were asked, came on time, late, are missing or not due yet."""
    return report(service, principal, "information", organisation, start, end, min_position)


@router.get(
    "/reports/meetings/minutes",
    response_model=MinutesRead,
    response_model_by_alias=True,
    summary="The minutes' completeness",
    responses=REPORT_REFUSALS,
)
def minutes(
    principal: ReportReader,
    service: ServiceDep,
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
    start: From = None,
    end: To = None,
) -> Any:
    """The meetings held ``from``–``to`` with no minutes, or whose minutes' petitions differ
    from those linked to the meeting, or on whose day petitions were raised by its channel
    where it was held without naming it; per zone, commune and organisation the share
    complete."""
    return report(service, principal, "minutes", organisation, start, end, min_position)


# ---- the exports --------------------------------------------------------------------------

Row = dict[str, Any]
Field = tuple[Column, Callable[[Row], Any]]


def text(
    heading: str, key: str, name: Callable[[Any], Any] | None = None, width: int = 20
) -> Field:
    return Column(heading, width=width), lambda r: (name or (lambda v: v))(r.get(key))


def count(heading: str, key: str) -> Field:
    return Column(heading, "int", 10), lambda r: r[key]


def day(heading: str, key: str) -> Field:
    return Column(heading, "date", 12), lambda r: r[key]


def percent(heading: str, key: str) -> Field:
    return Column(heading, "number", 10), lambda r: r[key]


def figure(index: int, column: Column) -> Field:
    return column, lambda r: attendance_figures(r)[index]


def how_many(heading: str, key: str) -> Field:
    return Column(heading, "int", 12), lambda r: len(r[key])


def sheet(title: str, fields: list[Field], rows: list[Row]) -> Sheet:
    return Sheet(title, tuple(c for c, _ in fields), [tuple(f(r) for _, f in fields) for r in rows])


def sheets_of(name: str, found: dict[str, Any], n: Names) -> list[Sheet]:
    """The report's board (a CSV's only sheet) and its scorecard's tables."""
    card = found["scorecard"]
    org = text("Tổ chức", "organisation", n.organisation, 24)
    place = [org, text("Khu vực", "zone", n.zone), text("Xã", "commune", n.commune)]
    department = text("Đơn vị", "department", n.department, 30)
    cell = text("Chi bộ", "cell", n.cell, 30)
    figures = [figure(i, column) for i, column in enumerate(ATTENDANCE_FIGURES)]
    if name == "people":
        return [
            sheet(
                "Cấp ủy viên, lãnh đạo đơn vị",
                [org, text("Người dự", "person", width=30), department, *figures],
                found["board"],
            ),
            sheet("Theo đơn vị", [org, department, *figures], card["departments"]),
            sheet("Theo khu vực", [org, place[1], *figures], card["zones"]),
        ]
    if name == "notices":
        return [
            sheet(
                "Thông báo gửi muộn",
                [
                    *place,
                    cell,
                    day("Ngày họp", "scheduled_on"),
                    day("Ngày gửi", "notice_sent_on"),
                    count("Số ngày trước", "days_before"),
                    count("Số ngày quy định", "required_days"),
                ],
                found["board"],
            ),
            sheet(
                "Theo khu vực, xã",
                [
                    *place,
                    count("Hội nghị", "meetings"),
                    count("Đã thông báo", "noticed"),
                    count("Gửi muộn", "late"),
                    count("Họp không thông báo", "held_without_notice"),
                    percent("Tỷ lệ đúng hạn (%)", "on_time_rate"),
                ],
                card["zones"],
            ),
        ]
    if name == "information":
        states = {"late": "Gửi muộn", "missing": "Chưa gửi"}
        return [
            sheet(
                "Thông tin gửi muộn, chưa gửi",
                [
                    org,
                    department,
                    place[1],
                    day("Ngày họp", "scheduled_on"),
                    day("Hạn gửi", "due_on"),
                    day("Ngày nhận", "received_on"),
                    count("Số ý kiến", "petitions"),
                    text("Tình trạng", "state", states.get, 12),
                    count("Số ngày muộn", "days_late"),
                ],
                found["board"],
            ),
            sheet(
                "Theo đơn vị",
                [
                    org,
                    department,
                    count("Đề nghị", "requested"),
                    count("Đúng hạn", "on_time"),
                    count("Muộn", "late"),
                    count("Chưa gửi", "missing"),
                    count("Chưa đến hạn", "awaited"),
                    percent("Tỷ lệ đúng hạn (%)", "on_time_rate"),
                ],
                card["departments"],
            ),
        ]
    return [
        sheet(
            "Biên bản chưa đầy đủ",
            [
                *place,
                cell,
                day("Ngày họp", "held_on"),
                text("Có biên bản", "minuted", width=10),
                how_many("Trong biên bản, chưa gắn", "not_linked"),
                how_many("Đã gắn, thiếu trong biên bản", "not_in_minutes"),
                how_many("Nêu trong ngày, chưa gắn", "raised_not_linked"),
            ],
            found["board"],
        ),
        sheet(
            "Theo khu vực, xã",
            [
                *place,
                count("Đã họp", "held"),
                count("Không biên bản", "without_minutes"),
                count("Sai lệch", "differing"),
                count("Đầy đủ", "complete"),
                percent("Tỷ lệ đầy đủ (%)", "complete_rate"),
            ],
            card["zones"],
        ),
    ]


FILE_NAMES = {
    "people": "du-giao-ban",
    "notices": "thong-bao-muon",
    "information": "thong-tin-don-vi",
    "minutes": "bien-ban-hoi-nghi",
}


@router.get(
    "/exports/meetings/{report_name}",
    response_class=Response,
    summary="Export a meetings' report",
    responses=REFUSALS,
)
def export_report(
    report_name: Literal["people", "notices", "information", "minutes"],
    principal: ReportReader,
    service: ServiceDep,
    format: Format = "xlsx",
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
    start: From = None,
    end: To = None,
) -> Response:
    """The report's board and scorecard tables of ``GET /v1/reports/meetings/…`` (CSV
    holds the board alone); names beside codes, rates as percentages."""
    found = report(service, principal, report_name, organisation, start, end, min_position)
    sheets = sheets_of(report_name, found, Names(service.app.province))
    period = f"{found['from'] or 'dau'}-{found['to'] or 'nay'}"
    return download(sheets, format, f"{FILE_NAMES[report_name]}-{period}")
