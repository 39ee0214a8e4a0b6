"""The committee's pages (the overdue board, the department scorecards, the category
report) and the auditor's (the log's integrity, back-dated events)."""

from __future__ import annotations

import typing
from datetime import date, timedelta
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from api import audit as audit_api
from api.schemas import BoardSort
from api.views import OFFSET_MAX
from api.web.i18n import N_
from api.web.pages.common import (
    Page,
    PageDep,
    PageProblem,
    day,
    redirect,
    refusals_as_pages,
)
from api.web.pages.tokens import admin_of
from api.web.render import language_of
from domain.vocabulary import Obligation, values
from projections.overdue import OverdueFilter
from usecases import access
from usecases.access import UseCase
from usecases.lookup import numbered
from usecases.queries import Board

router = APIRouter(include_in_schema=False)

BOARD_SORTS = typing.get_args(BoardSort)
BOARD_PAGE = 100  # rows a page of the board


@router.get("/board", response_class=HTMLResponse)
def board(
    page: PageDep,
    department: str | None = None,
    zone: str | None = None,
    kind: str | None = None,
    on: str | None = None,
    sort: str = "days",
    order: str = "desc",
    offset: str | None = None,
    organisation: str | None = None,
    done: str | None = None,
) -> Response:
    sort = sort if sort in BOARD_SORTS else "days"
    order = "asc" if order == "asc" else "desc"
    start = int(offset) if offset and offset.isdigit() else 0
    wanted = Board(
        on=day(on, "on", page.translated),
        filter=OverdueFilter(
            department=department or None,
            zone=zone or None,
            kind=kind if kind in values(Obligation) else None,
        ),
        sort=sort,
        order=order,
        limit=BOARD_PAGE,
        offset=min(start, OFFSET_MAX),
        organisation=organisation or None,
    )
    found = page.ask(
        UseCase.OVERDUE_BOARD, lambda: page.service.queries.overdue(page.principal.actor, wanted)
    )
    filters = {
        k: v
        for k, v in {
            "organisation": organisation,
            "department": department,
            "zone": zone,
            "kind": kind,
            "on": wanted.on.isoformat() if wanted.on else None,  # links and exports: ISO
        }.items()
        if v
    }
    return page.render(
        "board.html",
        board=found,
        filters=filters,
        done=done,
        saved=page.service.filters.of(access.owner(page.principal), "board"),
        query=urlencode(sorted({**filters, "sort": sort, "order": order}.items())),
        sort=sort,
        order=order,
        previous_offset=max(found["offset"] - BOARD_PAGE, 0) if found["offset"] else None,
    )


@router.get("/scorecards", response_class=HTMLResponse)
def scorecards(
    page: PageDep,
    year: int | None = None,
    department: str | None = None,
    organisation: str | None = None,
) -> Response:
    service = page.service
    year = shown_year(page, year)
    end = min(service.app.today(), date(year, 12, 31))
    actor = page.principal.actor
    picked = organisation or None
    found = page.ask(
        UseCase.SCORECARDS,
        lambda: service.queries.scorecards(
            actor, start=date(year, 1, 1), end=end, organisation=picked
        ),
    )
    cards = found["departments"]
    chosen = department if department in {c["department"] for c in cards} else None
    chosen = chosen or (cards[0]["department"] if cards else None)
    months = []
    for month in range(1, end.month + 1):
        first = date(year, month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        monthly = refusals_as_pages(
            lambda first=first, last=last: service.queries.scorecards(
                actor, start=first, end=min(last, end), organisation=picked
            )
        )
        card = next((c for c in monthly["departments"] if c["department"] == chosen), None)
        months.append({"month": month, "on_time": card["on_time"] if card else None})
    return page.render(
        "scorecards.html",
        quality=found,
        year=year,
        chosen=chosen,
        months=months,
        chosen_organisation=picked,
    )


def shown_year(page: Page, year: int | None) -> int:
    """``year`` if the service holds it (from its earliest business date to this year),
    else this year."""
    today = page.service.app.today()
    return (
        year if year and page.service.app.dates.earliest.year <= year <= today.year else today.year
    )


@router.get("/categories", response_class=HTMLResponse)
def categories(
    page: PageDep,
    year: int | None = None,
    zone: str | None = None,
    organisation: str | None = None,
) -> Response:
    year = shown_year(page, year)
    picked = organisation or None
    report = page.ask(
        UseCase.CATEGORY_REPORT,
        lambda: page.service.queries.categories(
            page.principal.actor, year=year, zone=zone or None, organisation=picked
        ),
    )
    return page.render("categories.html", report=report, zone=zone, chosen_organisation=picked)


@router.get("/organisations", response_class=HTMLResponse)
def comparison(
    page: PageDep,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
) -> Response:
    """The organisations compared for a period (``from``..``to``; default this year to
    date)."""
    found = page.ask(
        UseCase.ORGANISATION_REPORT,
        lambda: page.service.queries.comparison(
            page.principal.actor,
            start=day(start, "from", page.translated),
            end=day(end, "to", page.translated),
        ),
    )
    return page.render("organisations.html", comparison=found)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(page: PageDep, verify: bool = False, department: str | None = None) -> Response:
    page.admit(UseCase.INTEGRITY)
    status = refusals_as_pages(
        lambda: audit_api.integrity(principal=page.principal, service=page.service, verify=verify)
    )
    backdated = page.ask(
        UseCase.BACKDATED,
        lambda: page.service.queries.backdated(page.principal.actor, department=department or None),
    )
    reads = page.ask(
        UseCase.ACCESS_LOG,
        lambda: audit_api.access_log(principal=page.principal, service=page.service, limit=50),
    )
    history = page.ask(
        UseCase.TOKEN_HISTORY,
        lambda: admin_of(page).history(page.principal.actor, 100),
    )
    return page.render(
        "audit.html",
        integrity=status,
        backdated=backdated,
        department=department,
        reads=reads,
        history=history,
    )


@router.get("/lookup")
def lookup(petition: str, page: PageDep) -> Response:
    """A petition by its id or its number: the petition's page; the list of them where a
    number names several (one in each organisation a province's user sees)."""
    text = petition.strip()
    try:
        return redirect(f"/petitions/{UUID(text)}")
    except ValueError:
        pass
    found = page.ask(
        UseCase.LIST_PETITIONS,
        lambda: numbered(page.service.queries, page.principal.actor, text),
    )
    if found is None:
        raise PageProblem("validation_error", translated(page, NOT_AN_ID))
    if not found:
        raise PageProblem("not_found", translated(page, NO_SUCH_NUMBER).format(number=text))
    if len(found) == 1:
        return redirect(f"/petitions/{found[0]}")
    return redirect("/petitions", q=text)


def translated(page: Page, message: str) -> str:
    return page.renderer.translate[language_of(page.request)](message)


NOT_AN_ID = N_("Hãy nhập số ý kiến (ví dụ KN-2026-0123) hoặc mã ý kiến.")
NO_SUCH_NUMBER = N_("Không có ý kiến số {number} trong phạm vi bạn được xem.")
