"""The attendance report of the meetings as CSV or XLSX: the tables of ``GET
/v1/reports/attendance``, asked of the same use case, laid out as the other exports are
(``api.exports``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.auth import ServiceDep
from api.exports import REFUSALS, Format, download
from api.formats.tables import Column, Sheet
from api.meetings import AttendanceReader
from api.names import Names
from api.schemas import Day
from api.views import MinPosition, OrganisationQuery

router = APIRouter(prefix="/v1", tags=["exports"])

# ---- attendance at meetings ---------------------------------------------------------------

ATTENDANCE_FIGURES = (
    Column("Dự kiến", "int", 10),
    Column("Có mặt", "int", 10),
    Column("Đến muộn", "int", 10),
    Column("Số phút muộn", "int", 10),
    Column("Vắng có phép", "int", 10),
    Column("Vắng không phép", "int", 10),
    Column("Tỷ lệ dự (%)", "number", 10),
)


def attendance_figures(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["expected"],
        row["present"],
        row["late"],
        row["minutes_late"],
        row["absent_excused"],
        row["absent_unexcused"],
        row["rate"],
    )


@router.get(
    "/exports/attendance",
    response_class=Response,
    summary="Export the attendance report",
    responses=REFUSALS,
)
def export_attendance(
    principal: AttendanceReader,
    service: ServiceDep,
    format: Format = "xlsx",
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
) -> Response:
    """The tables of ``GET /v1/reports/attendance``: per secretary (CSV holds this sheet
    alone), cell, commune and committee member; names beside codes, the rate a percentage."""
    found = service.meetings.attendance(
        principal.actor,
        organisation=organisation,
        start=start,
        end=end,
        min_position=min_position,
    )
    n = Names(service.app.province)
    cell = (Column("Chi bộ", width=40), Column("Xã", width=24))
    sheets = [
        Sheet(
            "Bí thư chi bộ",
            (Column("Bí thư chi bộ", width=26), *cell, *ATTENDANCE_FIGURES),
            [
                (r["person"], n.cell(r["cell"]), n.commune(r["commune"]), *attendance_figures(r))
                for r in found["secretaries"]
            ],
        ),
        Sheet(
            "Chi bộ",
            (*cell, *ATTENDANCE_FIGURES),
            [
                (n.cell(r["cell"]), n.commune(r["commune"]), *attendance_figures(r))
                for r in found["cells"]
            ],
        ),
        Sheet(
            "Xã",
            (Column("Xã", width=24), *ATTENDANCE_FIGURES),
            [(n.commune(r["commune"]), *attendance_figures(r)) for r in found["communes"]],
        ),
        Sheet(
            "Cấp ủy viên",
            (
                Column("Cấp ủy viên", width=30),
                Column("Sinh hoạt chi bộ dự kiến", "int", 12),
                Column("Sinh hoạt chi bộ đã dự", "int", 12),
                Column("Giao ban dự kiến", "int", 12),
                Column("Giao ban đã dự", "int", 12),
                Column("Ý kiến nêu tại sinh hoạt chi bộ", "int", 12),
            ),
            [
                (
                    r["member"],
                    r["cell_meetings_expected"],
                    r["cell_meetings_attended"],
                    r["briefings_expected"],
                    r["briefings_attended"],
                    r["petitions_raised"],
                )
                for r in found["members"]
            ],
        ),
    ]
    period = f"{found['from'] or 'dau'}-{found['to'] or 'nay'}"
    return download(sheets, format, f"chuyen-can-hoi-nghi-{period}")
