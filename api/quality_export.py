"""The department scorecards as a file (``GET /v1/exports/quality``): the figures of
``GET /v1/departments/quality``, rates as percentages, with the follow-through's (returns
at clearance, commitments kept, a coordinating department's parts) last, so that every
column before keeps its place."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.auth import ServiceDep
from api.exports import REFUSALS, Format, download, percent
from api.formats.tables import Column, Sheet
from api.names import Names
from api.schemas import Day
from api.views import MinPosition, OrganisationQuery, ScorecardReader
from domain.vocabulary import QualityFlag, Verdict

router = APIRouter(prefix="/v1", tags=["exports"])

VERDICT_HEADINGS = {
    Verdict.SATISFIED: "Hài lòng (%)",
    Verdict.PARTIALLY_SATISFIED: "Hài lòng một phần (%)",
    Verdict.UNSATISFIED: "Chưa hài lòng (%)",
}
FLAG_HEADINGS = {
    QualityFlag.GENERIC: "Chung chung (%)",
    QualityFlag.UNPERSUASIVE: "Thiếu thuyết phục (%)",
    QualityFlag.OFF_TOPIC: "Chưa đúng vấn đề (%)",
}
QUALITY_COLUMNS = (
    Column("Xếp hạng", "int", 9),
    Column("Mã đơn vị", width=22),
    Column("Đơn vị", width=36),
    Column("Được giao", "int", 10),
    Column("Đã trả lời", "int", 10),
    Column("Trả lời đúng hạn", "int", 10),
    Column("Tỷ lệ đúng hạn (%)", "number", 10),
    Column("Ghi nhận sau hạn", "int", 10),
    Column("Số ngày trả lời (trung vị)", "number", 10),
    Column("Quá hạn chưa trả lời", "int", 10),
    Column("Đã xác minh", "int", 10),
    *(Column(h, "number", 10) for h in VERDICT_HEADINGS.values()),
    *(Column(h, "number", 10) for h in FLAG_HEADINGS.values()),
    Column("Mở lại (%)", "number", 10),
    Column("Đạt ngay lần đầu (%)", "number", 10),
    Column("Điểm", "number", 8),
    Column("Kết thúc hài lòng", "int", 10),  # the closures that hold, last: the others keep
    Column("Nêu lại trong 6 tháng (%)", "number", 10),  # their place
    Column("Nêu lại trong 12 tháng (%)", "number", 10),
    Column("Bị trả lại khi thẩm định", "int", 10),
    Column("Cam kết đến hạn", "int", 10),
    Column("Cam kết thực hiện đúng hạn", "int", 10),
    Column("Ý kiến phối hợp đã gửi", "int", 10),
    Column("Phối hợp gửi chậm", "int", 10),
    Column("Phối hợp quá hạn chưa gửi", "int", 10),
)


@router.get(
    "/exports/quality",
    response_class=Response,
    summary="Export the department scorecards",
    responses=REFUSALS,
)
def export_quality(
    principal: ScorecardReader,
    service: ServiceDep,
    format: Format = "xlsx",
    min_position: MinPosition = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
    organisation: OrganisationQuery = None,
) -> Response:
    """The scorecards of ``GET /v1/departments/quality``; rates as percentages."""
    found = service.queries.scorecards(
        principal.actor,
        start=start,
        end=end,
        min_position=min_position,
        organisation=organisation,
    )
    n = Names(service.app.province)
    rows = [
        (
            c["rank"],
            c["department"],
            n.department(c["department"]),
            c["assigned"],
            c["answered"],
            c["on_time"]["count"],
            percent(c["on_time"]["rate"]),
            c["recorded_after_due"],
            c["median_days_to_answer"],
            c["open_overdue"],
            c["verified"],
            *(percent(c["verdicts"][v]["rate"]) for v in VERDICT_HEADINGS),
            *(percent(c["flags"][f]["rate"]) for f in FLAG_HEADINGS),
            percent(c["reopen_rate"]["rate"]),
            percent(c["first_answer_satisfied"]["rate"]),
            c["score"],
            c["satisfied_closures"],
            percent(c["repeated_within_6_months"]["rate"]),
            percent(c["repeated_within_12_months"]["rate"]),
            c["returns"],
            c["commitments_kept"]["total"],
            c["commitments_kept"]["count"],
            c["contributions"]["sent"],
            c["contributions"]["late"],
            c["contributions"]["open_overdue"],
        )
        for c in found["departments"]
    ]
    sheet = Sheet("Chất lượng trả lời", QUALITY_COLUMNS, rows)
    return download([sheet], format, f"chat-luong-tra-loi-{found['start']}-{found['end']}")
