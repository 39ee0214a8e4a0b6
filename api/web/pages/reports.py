"""The reports on a page: the annual report (a year against the one before) and the report
of any period (``from``..``to`` against the same dates a year earlier), with the figures
per zone or per organisation, printable as the organisation's document (letterhead, number,
signature; ``api.formats.letterhead``), and their export buttons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from api.formats.letterhead import SECRETARY, Document, letterhead_of
from api.reports import report_figures
from api.web.i18n import N_
from api.web.pages.common import Page, PageDep, PageProblem, day
from api.web.pages.overview import shown_year
from usecases.access import UseCase

router = APIRouter(include_in_schema=False)

# What the person printing a document writes on it, and at most how long each may be.
DOCUMENT_FIELDS = {"number": 20, "position": 60, "signer": 80}
TOO_LONG = N_("%(field)s dài quá %(n)s ký tự.")
DOCUMENT_LABELS = {
    "number": N_("Số văn bản"),
    "position": N_("Chức vụ người ký"),
    "signer": N_("Họ tên người ký"),
}


def document_for(page: Page, organisation: str, **given: str | None) -> Document:
    """The document the page prints for ``organisation``: its letterhead, dated today, with
    the number and signer typed on the page (blank ones written in by hand)."""
    typed = {k: (given.get(k) or "").strip() for k in DOCUMENT_FIELDS}
    for name, limit in DOCUMENT_FIELDS.items():
        if len(typed[name]) > limit:
            label = page.translated(DOCUMENT_LABELS[name])
            message = page.translated(TOO_LONG) % {"field": label, "n": limit}
            raise PageProblem("validation_error", message, fields={name: message})
    province = page.service.app.province
    return Document(
        letterhead_of(province, province.organisation(organisation)),
        page.service.app.today(),
        given_number=typed["number"],
        position=typed["position"] or SECRETARY,
        signer=typed["signer"],
    )


@router.get("/reports", response_class=HTMLResponse)
def report(
    page: PageDep,
    year: int | None = None,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    zone: str | None = None,
    organisation: str | None = None,
    number: str | None = None,
    position: str | None = None,
    signer: str | None = None,
) -> Response:
    """A year's report (by default this year's), or a period's when ``from`` or ``to`` is
    given."""
    first, last = day(start, "from", page.translated), day(end, "to", page.translated)
    period = first is not None or last is not None
    picked = organisation or None
    chosen_year = None if period else shown_year(page, year)
    figures = page.ask(
        UseCase.CATEGORY_REPORT,
        lambda: report_figures(
            page.service,
            page.principal.actor,
            year=chosen_year,
            start=first,
            end=last,
            zone=zone or None,
            organisation=picked,
        ),
    )
    shown = {"zone": zone, "organisation": picked}
    asked = {"from": figures.report["from"].isoformat(), "to": figures.report["to"].isoformat()}
    exported = {**shown, **(asked if period else {"year": chosen_year})}
    return page.render(
        "report.html",
        figures=figures,
        r=figures.report,
        period=period,
        year=chosen_year,
        chosen_organisation=picked,
        zone=zone,
        starts=asked["from"] if period else "",
        ends=asked["to"] if period else "",
        exported=exported,
        document=document_for(
            page, figures.whole.code, number=number, position=position, signer=signer
        ),
    )
