"""The committee's pages (the overdue board, the department scorecards, the category
report) and the auditor's (the log's integrity, back-dated events)."""

from __future__ import annotations

import typing
from datetime import date, timedelta
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api import audit as audit_api
from api.schemas import BoardSort
from api.views import OFFSET_MAX
from api.web.pages.common import (
    PageProblem,
    RendererDep,
    ServiceDep,
    SessionDep,
    admit,
    ask,
    day,
    redirect,
    refusals_as_pages,
)
from projections.overdue import OverdueFilter
from usecases.access import UseCase
from usecases.queries import Board

router = APIRouter(include_in_schema=False)

BOARD_SORTS = typing.get_args(BoardSort)
BOARD_PAGE = 100  # rows a page of the board


@router.get("/board", response_class=HTMLResponse)
def board(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    department: str | None = None,
    zone: str | None = None,
    kind: str | None = None,
    on: str | None = None,
    sort: str = "days",
    order: str = "desc",
    offset: str | None = None,
) -> Response:
    sort = sort if sort in BOARD_SORTS else "days"
    order = "asc" if order == "asc" else "desc"
    start = int(offset) if offset and offset.isdigit() else 0
    wanted = Board(
        on=day(on, "on"),
        filter=OverdueFilter(
            department=department or None,
            zone=zone or None,
            kind=kind if kind in ("answer", "verification") else None,
        ),
        sort=sort,
        order=order,
        limit=BOARD_PAGE,
        offset=min(start, OFFSET_MAX),
    )
    found = ask(
        session.principal,
        UseCase.OVERDUE_BOARD,
        lambda: service.queries.overdue(session.principal.actor, wanted),
    )
    return pages.render(
        request,
        session,
        "board.html",
        board=found,
        filters={
            k: v
            for k, v in {"department": department, "zone": zone, "kind": kind, "on": on}.items()
            if v
        },
        sort=sort,
        order=order,
        previous_offset=max(found["offset"] - BOARD_PAGE, 0) if found["offset"] else None,
    )


@router.get("/scorecards", response_class=HTMLResponse)
def scorecards(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    year: int | None = None,
    department: str | None = None,
) -> Response:
    today = service.app.today()
    year = year if year and service.app.dates.earliest.year <= year <= today.year else today.year
    end = min(today, date(year, 12, 31))
    actor = session.principal.actor
    found = ask(
        session.principal,
        UseCase.SCORECARDS,
        lambda: service.queries.scorecards(actor, start=date(year, 1, 1), end=end),
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
                actor, start=first, end=min(last, end)
            )
        )
        card = next((c for c in monthly["departments"] if c["department"] == chosen), None)
        months.append({"month": month, "on_time": card["on_time"] if card else None})
    return pages.render(
        request,
        session,
        "scorecards.html",
        quality=found,
        year=year,
        chosen=chosen,
        months=months,
    )


@router.get("/categories", response_class=HTMLResponse)
def categories(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    year: int | None = None,
    zone: str | None = None,
) -> Response:
    today = service.app.today()
    year = year if year and service.app.dates.earliest.year <= year <= today.year else today.year
    report = ask(
        session.principal,
        UseCase.CATEGORY_REPORT,
        lambda: service.queries.categories(session.principal.actor, year=year, zone=zone or None),
    )
    return pages.render(request, session, "categories.html", report=report, zone=zone)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    verify: bool = False,
    department: str | None = None,
) -> Response:
    admit(session.principal, UseCase.INTEGRITY)
    status = refusals_as_pages(
        lambda: audit_api.integrity(principal=session.principal, service=service, verify=verify)
    )
    backdated = ask(
        session.principal,
        UseCase.BACKDATED,
        lambda: service.queries.backdated(session.principal.actor, department=department or None),
    )
    return pages.render(
        request, session, "audit.html", integrity=status, backdated=backdated, department=department
    )


@router.get("/lookup")
def lookup(petition: str, session: SessionDep) -> Response:
    try:
        return redirect(f"/petitions/{UUID(petition.strip())}")
    except ValueError:
        raise PageProblem("validation_error", "not a petition id") from None
