"""Downloads for the office: the petition list, the overdue board, the department
scorecards, the category report and the organisations compared, as CSV or XLSX (the annual
report, a printable page, is ``api.reports``). Each export asks the use case of the JSON
route it mirrors (same filters, same roles, a department only its own), so a file and the
API show the same figures; only the layout is added: Vietnamese headings, names beside
codes, percentages instead of fractions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from api import views
from api.auth import ServiceDep
from api.formats.minutes import CHANNEL_LABELS, KIND_LABELS
from api.formats.tables import MEDIA_TYPES, XLSX_MEDIA_TYPE, Column, Sheet, write
from api.names import Names
from api.organisations import Comparer
from api.problems import Problem, problem_responses
from api.schemas import Day, ObligationName
from api.views import (
    BoardReader,
    CodeQuery,
    ListReader,
    MinPosition,
    OrganisationQuery,
    ReportReader,
)
from api.web.labels import OVERDUE_KINDS, STATUSES
from domain.messages import say
from projections.overdue import OverdueFilter
from usecases.queries import Board

router = APIRouter(prefix="/v1", tags=["exports"])

EXPORT_MAX_ROWS = 20_000
Format = Annotated[
    Literal["csv", "xlsx"], Query(description="xlsx, or csv (UTF-8 with BOM, comma-separated)")
]
DISPOSITION = {
    "Content-Disposition": {
        "required": True,
        "description": "attachment; filename=…",
        "schema": {"type": "string"},
    }
}
# A table file's media types in the OpenAPI document (the import template's too).
FILE_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
}
FILE_RESPONSES = {
    200: {
        "description": "The table as CSV or XLSX",
        "content": FILE_CONTENT,
        "headers": DISPOSITION,
    }
}
REFUSALS = FILE_RESPONSES | problem_responses(401, 403, 422, 503)
LOOKUP_REFUSALS = FILE_RESPONSES | problem_responses(401, 403, 404, 422, 503)


def download(sheets: Sequence[Sheet], fmt: str, name: str) -> Response:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name)
    return Response(
        write(sheets, fmt),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{safe}.{fmt}"'},
    )


def percent(rate: float | None) -> float | None:
    """A rate of the API (0.6667) as the percentage a file shows (66.67)."""
    return None if rate is None else round(rate * 100, 2)


# ---- the petition list --------------------------------------------------------------------

PETITION_COLUMNS = (
    Column("Mã ý kiến", width=38),
    Column("Ngày nêu", "date", 12),
    Column("Loại", width=16),
    Column("Lĩnh vực", width=26),
    Column("Tóm tắt", width=50),
    Column("Khu vực", width=26),
    Column("Xã, thị trấn", width=20),
    Column("Chi bộ", width=40),
    Column("Người phản ánh", width=22),
    Column("Hình thức", width=18),
    Column("Hội nghị", width=24),
    Column("Trạng thái", width=14),
    Column("Đơn vị giải quyết", width=30),
    Column("Hạn trả lời", "date", 12),
    Column("Ngày trả lời", "date", 12),
    Column("Hạn xác minh", "date", 12),
    Column("Số lần mở lại", "int", 10),
    Column("Số lần báo cáo vượt cấp", "int", 10),
    Column("Tổ chức", width=26),
    # added last, each after the one before, so that every column before keeps its place
    Column("Số ý kiến", width=16),
    Column("Số chi bộ cùng kiến nghị", "int", 10),
)


@router.get(
    "/exports/petitions",
    response_class=Response,
    summary="Export the petition list",
    responses=REFUSALS,
)
def export_petitions(
    principal: ListReader,
    service: ServiceDep,
    filters: Annotated[views.PetitionQuery, Query()],
    format: Format = "xlsx",
    min_position: MinPosition = None,
    organisation: OrganisationQuery = None,
) -> Response:
    """Every petition ``GET /v1/petitions`` lists with the same filters, newest first."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = service.queries.petitions(
            principal.actor,
            filters.filter(),
            min_position=min_position,
            cursor=cursor,
            limit=200,
            organisation=organisation,
        )
        items += page["items"]
        if len(items) > EXPORT_MAX_ROWS:
            raise Problem(
                "validation_error",
                say("export.too_many", limit=EXPORT_MAX_ROWS),
                errors=[
                    {
                        "field": "raised_from",
                        "in": "query",
                        "message": say("export.too_many_field"),
                    }
                ],
            )
        cursor, min_position = page["next_cursor"], None
        if cursor is None:
            break
    n = Names(service.app.province)
    rows = [
        (
            str(r["petition_id"]),
            r["raised_on"],
            KIND_LABELS.get(r["kind"], r["kind"]),
            n.category(r["category"]),
            r["summary"],
            n.zone(r["zone"]),
            n.commune(r["commune"]),
            n.cell(r["cell"], r["raised_on"]),
            r["raised_by"],
            CHANNEL_LABELS.get(r["channel"], r["channel"]),
            r["meeting"],
            STATUSES.get(r["status"], r["status"]),
            n.department(r["department"], r["raised_on"]),
            r["due_on"],
            r["answered_on"],
            r["verify_by"],
            r["reopen_count"],
            r["escalations"],
            n.organisation(r["organisation"]),
            r["number"],
            r["cosigners"],
        )
        for r in items
    ]
    sheet = Sheet("Danh sách ý kiến", PETITION_COLUMNS, rows)
    return download([sheet], format, f"danh-sach-y-kien-{service.app.today()}")


# ---- the overdue board --------------------------------------------------------------------


@router.get(
    "/exports/overdue",
    response_class=Response,
    summary="Export the overdue board",
    responses=REFUSALS,
)
def export_overdue(
    principal: BoardReader,
    service: ServiceDep,
    format: Format = "xlsx",
    min_position: MinPosition = None,
    on: Annotated[Day | None, Query(description="As of this date (default today)")] = None,
    department: CodeQuery = None,
    zone: CodeQuery = None,
    kind: ObligationName | None = None,
    organisation: OrganisationQuery = None,
) -> Response:
    """The board of ``GET /v1/overdue``, all of it; XLSX adds the totals per department
    and zone."""
    wanted = Board(
        on=on,
        filter=OverdueFilter(department=department, zone=zone, kind=kind),
        limit=EXPORT_MAX_ROWS,
        organisation=organisation,
    )
    board = service.queries.overdue(principal.actor, wanted, min_position=min_position)
    if board["total"] > EXPORT_MAX_ROWS:
        raise Problem(
            "validation_error",
            say("export.too_many_overdue", total=board["total"], limit=EXPORT_MAX_ROWS),
            errors=[
                {"field": "department", "in": "query", "message": say("export.too_many_field")}
            ],
        )
    very = board["very_overdue_days"]
    n = Names(service.app.province)
    items = Sheet(
        "Quá hạn",
        (
            Column("Mã ý kiến", width=38),
            Column("Loại quá hạn", width=16),
            Column("Đơn vị giải quyết", width=30),
            Column("Khu vực", width=26),
            Column("Xã, thị trấn", width=20),
            Column("Chi bộ", width=40),
            Column("Lĩnh vực", width=26),
            Column("Tóm tắt", width=50),
            Column("Ngày nêu", "date", 12),
            Column("Hạn", "date", 12),
            Column("Số ngày quá hạn", "int", 10),
            Column(f"Quá hạn trên {very} ngày", width=12),
            Column("Số ý kiến", width=16),
        ),
        [
            (
                str(r["petition_id"]),
                OVERDUE_KINDS[r["kind"]],
                n.department(r["department"], r["raised_on"]),
                n.zone(r["zone"]),
                n.commune(r["commune"]),
                n.cell(r["cell"], r["raised_on"]),
                n.category(r["category"]),
                r["summary"],
                r["raised_on"],
                r["due_on"],
                r["days_overdue"],
                bool(r["very_overdue"]),
                r["number"],
            )
            for r in board["items"]
        ],
    )
    totals = Sheet(
        "Tổng hợp",
        (
            Column("Đơn vị giải quyết", width=30),
            Column("Khu vực", width=26),
            Column("Chưa trả lời", "int", 10),
            Column("Chưa xác minh", "int", 10),
            Column(f"Quá hạn trên {very} ngày", "int", 12),
            Column("Quá hạn lâu nhất (ngày)", "int", 12),
            Column("Chưa gửi ý kiến phối hợp", "int", 10),  # the later kinds last
            Column("Chưa thực hiện cam kết", "int", 10),
        ),
        [
            (
                n.department(t["department"]),
                n.zone(t["zone"]),
                t["answer"],
                t["verification"],
                t["very_overdue"],
                t["max_days_overdue"],
                t["contribution"],
                t["commitment"],
            )
            for t in board["totals"]
        ],
    )
    return download([items, totals], format, f"qua-han-{board['on']}")


# ---- categories and the annual report -----------------------------------------------------


@router.get(
    "/exports/categories",
    response_class=Response,
    summary="Export the category report",
    responses=LOOKUP_REFUSALS,
)
def export_categories(
    principal: ReportReader,
    service: ServiceDep,
    format: Format = "xlsx",
    min_position: MinPosition = None,
    year: views.YearQuery = None,
    zone: CodeQuery = None,
    organisation: OrganisationQuery = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
) -> Response:
    """The table of ``GET /v1/reports/categories`` (a year, or a period) with its total
    row."""
    report = service.queries.categories(
        principal.actor,
        year=year,
        zone=zone,
        min_position=min_position,
        organisation=organisation,
        start=start,
        end=end,
    )
    y = report["year"]
    if y is None:
        now = f"{report['from']:%d/%m/%Y}–{report['to']:%d/%m/%Y}"
        before = f"{report['previous_from']:%d/%m/%Y}–{report['previous_to']:%d/%m/%Y}"
        name = f"linh-vuc-{report['from']}-{report['to']}"
    else:
        now, before, name = f"Năm {y}", f"Năm {y - 1}", f"linh-vuc-{y}"
    sheet = Sheet(
        "Lĩnh vực",
        (
            Column("Mã lĩnh vực", width=14),
            Column("Lĩnh vực", width=34),
            Column(now, "int", 10),
            Column("Tỷ lệ (%)", "number", 10),
            Column(before, "int", 10),
            Column("Tăng/giảm", "int", 10),
            Column("Chi bộ cùng kiến nghị", "int", 12),  # last: the columns before keep their place
        ),
        [
            *(
                (
                    c["category"],
                    c["label"],
                    c["count"],
                    c["share"],
                    c["previous_count"],
                    c["change"],
                    c["cosigning_cells"],
                )
                for c in report["categories"]
            ),
            (
                None,
                "Tổng cộng",
                report["total"],
                100.0 if report["total"] else 0.0,
                report["previous_total"],
                report["change"],
                report["cosigning_cells"],
            ),
        ],
    )
    suffix = "".join(f"-{code}" for code in (organisation, zone) if code)
    return download([sheet], format, f"{name}{suffix}")


# ---- the organisations compared -----------------------------------------------------------


@router.get(
    "/exports/organisations",
    response_class=Response,
    summary="Export the organisations compared",
    responses=REFUSALS,
)
def export_organisations(
    principal: Comparer,
    service: ServiceDep,
    format: Format = "xlsx",
    min_position: MinPosition = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
) -> Response:
    """The table of ``GET /v1/reports/organisations``; rates as percentages."""
    found = service.queries.comparison(
        principal.actor, start=start, end=end, min_position=min_position
    )
    sheet = Sheet(
        "So sánh các tổ chức",
        (
            Column("Mã tổ chức", width=20),
            Column("Tổ chức", width=30),
            Column("Đã nêu", "int", 10),
            Column("Đã trả lời", "int", 10),
            Column("Trả lời đúng hạn", "int", 10),
            Column("Tỷ lệ đúng hạn (%)", "number", 10),
            Column(f"Quá hạn ngày {found['overdue_on']:%d/%m/%Y}", "int", 12),
            Column("Hài lòng ngay lần đầu", "int", 10),
            Column("Đạt ngay lần đầu (%)", "number", 10),
        ),
        [
            (
                r["organisation"],
                r["name"],
                r["raised"],
                r["answered"],
                r["answered_on_time"]["count"],
                percent(r["answered_on_time"]["rate"]),
                r["overdue"],
                r["first_answer_satisfied"]["count"],
                percent(r["first_answer_satisfied"]["rate"]),
            )
            for r in found["organisations"]
        ],
    )
    return download([sheet], format, f"so-sanh-to-chuc-{found['start']}-{found['end']}")
