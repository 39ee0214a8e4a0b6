"""The annual report as a printable page, and the figures every report shows (the API's
printable page and the web pages' reports alike): the category report of a year or a
period, and for a whole organisation the same per zone, for the whole province per
organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api import views
from api.auth import ServiceDep
from api.formats.letterhead import Letterhead, letterhead_of
from api.formats.reports import annual_report_html
from api.names import Names
from api.problems import problem_responses
from api.views import CodeQuery, MinPosition, OrganisationQuery, ReportReader
from domain.actors import Actor
from domain.organisations import Organisation
from service.bootstrap import Service

router = APIRouter(prefix="/v1", tags=["exports"])


@dataclass(frozen=True)
class ReportFigures:
    report: dict[str, Any]  # the category report of the whole (or of the zone asked)
    whole: Organisation  # the organisation reported on (the province for all of them)
    zone_name: str | None
    by_organisation: bool  # the parts are the province's organisations, else zones
    parts: list[tuple[str, dict[str, Any]]]  # (name, its category report)
    letterhead: Letterhead

    @property
    def parts_heading(self) -> str:
        return "Tổ chức" if self.by_organisation else "Khu vực"


def report_figures(
    service: Service,
    actor: Actor,
    *,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    zone: str | None = None,
    organisation: str | None = None,
    min_position: int | None = None,
) -> ReportFigures:
    """The figures of a report of ``year`` (by default this one) or of the period
    ``start``..``end``, as the category report's use case answers them for ``actor``."""
    queries = service.queries
    report = queries.categories(
        actor,
        year=year,
        zone=zone,
        min_position=min_position,
        organisation=organisation,
        start=start,
        end=end,
    )
    period: dict[str, Any] = (
        {"year": report["year"]}
        if report["year"] is not None
        else {"start": report["from"], "end": report["to"]}
    )
    province = service.app.province
    code = report["organisation"]
    whole = province.province if code is None else province.organisation(code)
    parts: list[tuple[str, dict[str, Any]]] = []
    if zone is None and code is None:
        parts = [
            (o.name, queries.categories(actor, organisation=o.code, **period))
            for o in province.below()
        ]
    elif zone is None:
        parts = [
            (z.name, queries.categories(actor, zone=z.code, **period))
            for z in province.reference(whole.code).zones.values()
        ]
    return ReportFigures(
        report=report,
        whole=whole,
        zone_name=Names(province).zone(zone) if zone else None,
        by_organisation=zone is None and code is None,
        parts=parts,
        letterhead=letterhead_of(province, whole),
    )


@router.get(
    "/reports/annual",
    response_class=HTMLResponse,
    summary="Annual report (printable page)",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def annual_report(
    principal: ReportReader,
    service: ServiceDep,
    min_position: MinPosition = None,
    year: views.YearQuery = None,
    zone: CodeQuery = None,
    organisation: OrganisationQuery = None,
) -> HTMLResponse:
    """The year's petitions per category (count, share, change against the year before),
    the total and its change, and for the whole organisation the figures per zone (for the
    whole province, per organisation); in Vietnamese, laid out for A4 with the
    organisation's letterhead and a signature block, named as the organisation's level
    names it."""
    figures = report_figures(
        service,
        principal.actor,
        year=year,
        zone=zone,
        organisation=organisation,
        min_position=min_position,
    )
    page = annual_report_html(
        district=figures.whole.name,
        report=figures.report,
        zones=figures.parts,
        zone_name=figures.zone_name,
        today=service.app.today(),
        unit=figures.whole.words.unit,
        parts_heading=figures.parts_heading,
        letterhead=figures.letterhead,
    )
    return HTMLResponse(page)
