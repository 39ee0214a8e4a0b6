"""Petitions imported from a briefing's minutes (CSV or XLSX), and the template to fill in."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field

from api.auth import ServiceDep, may
from api.exports import DISPOSITION, FILE_CONTENT
from api.formats import minutes, petition_rows
from api.formats.tables import MEDIA_TYPES
from api.problems import CREATING, Problem, english, problem_responses
from domain.reference import District
from service.bootstrap import Service
from stores.tokens import Principal
from usecases import importing, organisations
from usecases.access import UseCase
from usecases.commands import Context
from usecases.importing import Plan

router = APIRouter(prefix="/v1/imports", tags=["imports"])

Importer = Annotated[Principal, Depends(may(UseCase.IMPORT))]
Format = Annotated[
    Literal["csv", "xlsx"], Query(description="xlsx (with drop-down lists) or csv (UTF-8)")
]


class ImportedRead(BaseModel):
    row: int = Field(description="The row in the file, the headings' row counting as 1")
    id: UUID
    position: int | None = Field(description="Log position of the petition's recording")
    replayed: bool = Field(description="Recorded by an earlier import of the same row")


class ImportRead(BaseModel):
    format: Literal["csv", "xlsx"]
    sha256: str = Field(description="SHA-256 of the file as uploaded")
    recorded: int = Field(description="Petitions recorded by this import")
    replayed: int = Field(description="Rows recorded before, answered as then")
    position: int | None = Field(description="Pass as min_position to read the views after it")
    items: list[ImportedRead]


def raising_reference(service: Service, principal: Principal) -> District:
    """The reference data the rows are read against: the organisation the clerk raises
    petitions in (a user of the province raises none: refused)."""
    province = service.app.province
    return province.reference(organisations.raising_organisation(province, principal.actor).code)


def checked(service: Service, principal: Principal, content: bytes) -> Plan:
    """The uploaded file read and every row checked against the reference data of the
    organisation the clerk raises petitions in: the petitions to raise, or every fault
    (a file that is no table this reads has that as its one fault). Nothing recorded."""
    reference = raising_reference(service, principal)
    try:
        table = minutes.read_table(content)
    except minutes.FileUnreadable as error:
        return Plan("file", hashlib.sha256(content).hexdigest(), errors=[error.error])
    return petition_rows.validate(table, reference, service.app.today(), service.app.dates.earliest)


def attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get(
    "/template",
    summary="Import template",
    response_class=Response,
    responses=problem_responses(
        401,
        403,
        422,
        503,
        before={
            200: {
                "description": "The headings to fill in (XLSX: with lists of categories and cells)",
                "content": FILE_CONTENT,
                "headers": DISPOSITION,
            }
        },
    ),
)
def template(principal: Importer, service: ServiceDep, format: Format = "xlsx") -> Response:
    """Columns Loại, Lĩnh vực, Tóm tắt, Nội dung, Chi bộ, Người phản ánh, Hình thức, Hội nghị,
    Ngày (dd/mm/yyyy); codes or Vietnamese labels are accepted."""
    return Response(
        minutes.template(raising_reference(service, principal), format),
        media_type=MEDIA_TYPES[format],
        headers=attachment(f"mau-nhap-y-kien.{format}"),
    )


@router.post(
    "",
    status_code=201,
    response_model=ImportRead,
    summary="Import petitions from a file",
    responses=problem_responses(
        *CREATING,
        before={
            200: {"model": ImportRead, "description": "Every row was imported before: nothing new"},
        },
    ),
)
def import_petitions(
    principal: Importer,
    service: ServiceDep,
    request: Request,
    response: Response,
    file: Annotated[UploadFile, File(description="The filled-in template: XLSX, or CSV in UTF-8")],
) -> Any:
    """Every row is checked first; if any is wrong, the answer lists each fault (row,
    column, reason) and nothing is recorded. Otherwise every row is raised as a petition.
    Importing rows recorded before records nothing again and answers with the same ids."""
    in_english = english(request)
    plan = checked(service, principal, file.file.read())
    if plan.errors:
        rows = sorted({e.row for e in plan.errors if e.row is not None})
        listed = ", ".join(str(r) for r in rows[:20]) + ("…" if len(rows) > 20 else "")
        detail = (
            f"{len(plan.errors)} faults in rows {listed}; nothing was recorded"
            if in_english
            else f"{len(plan.errors)} lỗi ở các dòng {listed}; chưa ghi nhận dòng nào"
        )
        if not rows:
            detail = plan.errors[0].message_en if in_english else plan.errors[0].message
        raise Problem(
            "import_rejected", detail, errors=[e.as_dict(in_english) for e in plan.errors]
        )
    done = importing.record(service.app, plan, Context.of(principal, request.state.request_id))
    recorded = sum(not d.replayed for d in done)
    if not recorded:
        response.status_code = 200
    positions = [d.position for d in done if d.position is not None]
    return {
        "format": plan.format,
        "sha256": plan.sha256,
        "recorded": recorded,
        "replayed": len(done) - recorded,
        "position": max(positions, default=None),
        "items": [vars(d) for d in done],
    }
