"""Queries answered by the read models, and the reference data."""

from __future__ import annotations

from dataclasses import replace
from datetime import MAXYEAR, MINYEAR, date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from api.auth import Anyone, ServiceDep, require
from api.problems import Problem, problem_responses
from api.schemas import (
    NO_NUL,
    BoardSort,
    BriefingRead,
    CategoryReportRead,
    Channel,
    Day,
    Kind,
    ObligationName,
    OverdueBoardRead,
    PacketRead,
    PetitionPageRead,
    QualityRead,
    ReferenceRead,
    Status,
)
from domain.actors import Role
from domain.reference import Zone
from domain.vocabulary import Status as DomainStatus
from projections.base import APPLICATION_NAME, View
from projections.overdue import OverdueFilter
from projections.petition_list import PetitionFilter, decode_cursor
from service.bootstrap import Service
from stores.tokens import Principal

router = APIRouter(prefix="/v1", tags=["read models"])

ListReader = Annotated[
    Principal, Depends(require(Role.CLERK, Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR))
]
BoardReader = Annotated[Principal, Depends(require(Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR))]
Overseer = Annotated[Principal, Depends(require(Role.COMMITTEE, Role.AUDITOR))]
PacketReader = Annotated[Principal, Depends(require(Role.CLERK, Role.COMMITTEE, Role.AUDITOR))]
DepartmentRole = Annotated[Principal, Depends(require(Role.DEPARTMENT))]
MinPosition = Annotated[
    int | None,
    Query(
        ge=0, le=2**62, description="Wait (bounded) until the view has processed this log position"
    ),
]
CodeQuery = Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL)]
# The service's span of years (from its earliest business date's to 2100) is checked by the
# domain, as every date is; the document states only what a date can hold.
YearQuery = Annotated[
    int | None,
    Query(ge=MINYEAR, le=MAXYEAR, description="From the earliest business date's year to 2100"),
]
# The read models' refusals; the routes that look a zone up may also answer 404.
REFUSALS = problem_responses(401, 403, 422, 503)
LOOKUP_REFUSALS = problem_responses(401, 403, 404, 422, 503)


def checked_dates(service: Service, **days: date | None) -> None:
    """Each date given is within the service's span (the domain's rule), else 422."""
    for name, day in days.items():
        if day is not None:
            service.app.dates.check(name, day)


def caught_up(service: Service, view: View, min_position: int | None) -> View:
    if min_position:
        head = service.app.recorder.max_notification_id() or 0
        if min_position > head:
            # Positions come from writes, and every committed write is in the log: a later
            # one was never handed out, so it is the request's mistake, not something to wait for.
            raise Problem(
                "validation_error",
                f"min_position {min_position} is beyond the event log's end ({head})",
                errors=[{"field": "min_position", "in": "query", "message": "beyond the log"}],
            )
        try:
            view.wait(APPLICATION_NAME, min_position, timeout=service.settings.min_position_wait)
        except TimeoutError:
            raise Problem(
                "views_behind",
                f"the {view.name} view has not reached position {min_position} yet",
                headers={"Retry-After": "1"},
            ) from None
    return view


class PetitionQuery(BaseModel):
    """The petition list's filters, shared by the list and its export."""

    status: Status | None = None
    department: str | None = Field(None, min_length=1, max_length=100, pattern=NO_NUL)
    category: str | None = Field(None, min_length=1, max_length=100, pattern=NO_NUL)
    zone: str | None = Field(None, min_length=1, max_length=100, pattern=NO_NUL)
    commune: str | None = Field(None, min_length=1, max_length=100, pattern=NO_NUL)
    cell: str | None = Field(None, min_length=1, max_length=100, pattern=NO_NUL)
    kind: Kind | None = None
    channel: Channel | None = None
    raised_from: Day | None = None
    raised_to: Day | None = None
    q: str | None = Field(
        None, max_length=200, pattern=NO_NUL, description="words, with or without diacritics"
    )

    def filter(self, principal: Principal) -> PetitionFilter:
        """As the view takes it; a department token sees only what it was ever assigned."""
        fields = self.model_dump(exclude={"q"})
        return PetitionFilter(
            **fields,
            text=self.q,
            visible_to_department=(
                principal.department if principal.role is Role.DEPARTMENT else None
            ),
        )


@router.get(
    "/petitions", response_model=PetitionPageRead, summary="List petitions", responses=REFUSALS
)
def list_petitions(
    principal: ListReader,
    service: ServiceDep,
    filters: Annotated[PetitionQuery, Query()],
    min_position: MinPosition = None,
    cursor: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    """Newest first, filtered; a department sees only petitions it was ever assigned."""
    checked_dates(service, raised_from=filters.raised_from, raised_to=filters.raised_to)
    if cursor is not None:
        try:
            decode_cursor(cursor)
        except ValueError as error:
            raise Problem(
                "validation_error",
                str(error),
                errors=[{"field": "cursor", "in": "query", "message": str(error)}],
            ) from None
    view = caught_up(service, service.views["petition_list"], min_position)
    found = view.find(
        filters.filter(principal),  # type: ignore[attr-defined]
        cursor=cursor,
        limit=limit,
    )
    return {"items": found.items, "next_cursor": found.next_cursor}


@router.get(
    "/inbox", response_model=PetitionPageRead, summary="A department's inbox", responses=REFUSALS
)
def inbox(principal: DepartmentRole, service: ServiceDep, min_position: MinPosition = None) -> Any:
    """Petitions assigned to the department now, due soonest first."""
    view = caught_up(service, service.views["petition_list"], min_position)
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = view.find(
            PetitionFilter(  # type: ignore[attr-defined]
                status=DomainStatus.ASSIGNED, department=principal.department
            ),
            cursor=cursor,
            limit=200,
        )
        items += page.items
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    items.sort(key=lambda r: (r["due_on"], r["raised_on"]))
    return {"items": items, "next_cursor": None}


BOARD_PAGE_MAX = 1000
OFFSET_MAX = 10**9


@router.get(
    "/overdue", response_model=OverdueBoardRead, summary="Overdue board", responses=REFUSALS
)
def overdue(
    principal: BoardReader,
    service: ServiceDep,
    min_position: MinPosition = None,
    on: Annotated[Day | None, Query(description="As of this date (default today)")] = None,
    department: CodeQuery = None,
    zone: CodeQuery = None,
    kind: ObligationName | None = None,
    sort: Annotated[
        BoardSort,
        Query(description="days overdue, due date, department, zone (then commune, cell), kind"),
    ] = "days",
    order: Annotated[Literal["asc", "desc"], Query(description="desc: the largest first")] = "desc",
    limit: Annotated[int, Query(ge=1, le=BOARD_PAGE_MAX, description="rows a page")] = 100,
    offset: Annotated[int, Query(ge=0, le=OFFSET_MAX, description="rows before the page")] = 0,
) -> Any:
    """Answers and verifications overdue on a date, a page at a time, with the count and
    the totals per department and zone of the whole board; a department sees its own."""
    return board_page(
        principal,
        service,
        min_position=min_position,
        on=on,
        board_filter=OverdueFilter(department=department, zone=zone, kind=kind),
        sort=sort,
        order=order,
        limit=limit,
        offset=offset,
    )


def board_page(
    principal: Principal,
    service: Service,
    *,
    min_position: int | None,
    on: date | None,
    board_filter: OverdueFilter,
    sort: str = "days",
    order: str = "desc",
    limit: int,
    offset: int = 0,
) -> dict[str, Any]:
    """The board as ``GET /v1/overdue`` answers it (its export asks for larger pages)."""
    if principal.role is Role.DEPARTMENT:
        board_filter = replace(board_filter, department=principal.department)
    day = service.app.dates.check("on", on or service.app.today())
    very = service.settings.very_overdue_days
    view = caught_up(service, service.views["overdue"], min_position)
    found = view.board(  # type: ignore[attr-defined]
        day,
        board_filter,
        very_overdue_days=very,
        sort=sort,
        order=order,
        limit=limit,
        offset=offset,
    )
    after = offset + len(found.items)
    return {
        "on": day,
        "very_overdue_days": very,
        "sort": sort,
        "order": order,
        "limit": limit,
        "offset": offset,
        "total": found.total,
        "next_offset": after if after < found.total else None,
        "items": found.items,
        "totals": found.totals,
    }


@router.get(
    "/departments/quality",
    response_model=QualityRead,
    response_model_by_alias=True,
    summary="Department scorecards",
    responses=REFUSALS,
)
def quality(
    principal: Overseer,
    service: ServiceDep,
    min_position: MinPosition = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
) -> Any:
    """Response quality per department for a period (default: this year to date)."""
    checked_dates(service, **{"from": start, "to": end})
    end = end or service.app.today()
    start = start or end.replace(month=1, day=1)
    if start > end:
        raise Problem(
            "validation_error",
            "from must not be after to",
            errors=[{"field": "from", "in": "query", "message": "after to"}],
        )
    view = caught_up(service, service.views["quality"], min_position)
    minimum = service.settings.min_answered_for_ranking
    return {
        "start": start,
        "end": end,
        "min_answered": minimum,
        "departments": view.scorecards(start, end, min_answered=minimum),
    }  # type: ignore[attr-defined]


@router.get(
    "/reports/categories",
    response_model=CategoryReportRead,
    summary="Category statistics",
    responses=LOOKUP_REFUSALS,
)
def categories(
    principal: Overseer,
    service: ServiceDep,
    min_position: MinPosition = None,
    year: YearQuery = None,
    zone: CodeQuery = None,
) -> Any:
    """Counts per category, share of the total, change against the previous year."""
    if zone is not None and zone not in service.app.district.zones:
        raise Problem("not_found", f"no zone {zone}")
    year = service.app.dates.check_year("year", year or service.app.today().year)
    view = caught_up(service, service.views["categories"], min_position)
    return view.report(year, zone)  # type: ignore[attr-defined]


@router.get(
    "/briefings/{zone}/{briefing}/packet",
    response_model=PacketRead,
    summary="Briefing packet",
    responses=LOOKUP_REFUSALS,
)
def packet(
    zone: Annotated[str, Path(pattern=NO_NUL)],
    briefing: Day,
    principal: PacketReader,
    service: ServiceDep,
    min_position: MinPosition = None,
) -> Any:
    """What to read out at a zone's briefing: last month's petitions and their answers,
    what is still unanswered, what awaits the cells' verification."""
    district = service.app.district
    if zone not in district.zones:
        raise Problem("not_found", f"no zone {zone}")
    service.app.dates.check("briefing", briefing)
    previous = district.previous_briefing(zone, briefing) or briefing - timedelta(
        days=district.answer_period_days
    )
    view = caught_up(service, service.views["briefing_packet"], min_position)
    return view.packet(zone, previous, briefing)  # type: ignore[attr-defined]


@router.get(
    "/reference",
    response_model=ReferenceRead,
    summary="Reference data",
    responses=problem_responses(401, 503),
)
def reference(principal: Anyone, service: ServiceDep) -> Any:
    """Zones, communes, party cells, departments and categories."""
    d = service.app.district
    return {
        "district": d.name,
        "zones": [zone_read(z) for z in d.zones.values()],
        "communes": [vars(c) for c in d.communes.values()],
        "cells": [vars(c) for c in d.cells.values()],
        "departments": [vars(x) for x in d.departments.values()],
        "categories": [vars(c) for c in d.categories.values()],
    }


@router.get(
    "/reference/briefings",
    response_model=list[BriefingRead],
    summary="Briefing calendar",
    responses=problem_responses(401, 422, 503),
)
def briefings(
    principal: Anyone,
    service: ServiceDep,
    year: YearQuery = None,
) -> Any:
    """Every zone's briefing dates in a year."""
    d = service.app.district
    year = service.app.dates.check_year("year", year or service.app.today().year)
    calendar = []
    for code in d.zones:
        dates, day = [], date(year - 1, 12, 31)
        while (day := d.next_briefing(code, day) or date(year + 1, 1, 1)).year == year:
            dates.append(day)
        calendar.append({"zone": code, "dates": dates})
    return calendar


def zone_read(zone: Zone) -> dict[str, Any]:
    calendar = zone.calendar
    exceptions = (
        []
        if calendar is None
        else sorted(
            [{"scheduled": day, "held_on": held} for day, held in calendar.moved.items()]
            + [{"scheduled": day, "held_on": None} for day in calendar.cancelled],
            key=lambda e: e["scheduled"],
        )
    )
    return {
        "code": zone.code,
        "name": zone.name,
        "briefing_rule": None if calendar is None else str(calendar.rule),
        "briefing_rule_label": None if calendar is None else calendar.rule.label(),
        "exceptions": exceptions,
    }
