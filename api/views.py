"""Queries answered by the read models, and the reference data: each route reads its
parameters and asks the use case (``usecases.queries``), which holds the visibility rules."""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from api.auth import Anyone, ServiceDep, may
from api.problems import problem_responses
from api.reference_schemas import BriefingRead, ReferenceRead
from api.schemas import (
    NO_NUL,
    BoardSort,
    CategoryReportRead,
    Channel,
    Day,
    Kind,
    ObligationName,
    OverdueBoardRead,
    PacketRead,
    PetitionPageRead,
    QualityRead,
    Status,
)
from domain.calendar import BriefingCalendar
from domain.reference import Zone
from projections.overdue import OverdueFilter
from projections.petition_list import PetitionFilter
from stores.tokens import Principal
from usecases.access import UseCase
from usecases.queries import Board

router = APIRouter(prefix="/v1", tags=["read models"])

# Each route admits the roles its use case's rules admit (``usecases.access``).
ListReader = Annotated[Principal, Depends(may(UseCase.LIST_PETITIONS))]
InboxReader = Annotated[Principal, Depends(may(UseCase.INBOX))]
BoardReader = Annotated[Principal, Depends(may(UseCase.OVERDUE_BOARD))]
ScorecardReader = Annotated[Principal, Depends(may(UseCase.SCORECARDS))]
ReportReader = Annotated[Principal, Depends(may(UseCase.CATEGORY_REPORT))]
PacketReader = Annotated[Principal, Depends(may(UseCase.BRIEFING_PACKET))]
MinPosition = Annotated[
    int | None,
    Query(
        ge=0, le=2**62, description="Wait (bounded) until the view has processed this log position"
    ),
]
CodeQuery = Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL)]
OrganisationQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        pattern=NO_NUL,
        description="One organisation's (the province's users pick one; others may name "
        "only their own); an unknown or unseen one is 422",
    ),
]
# The service's span of years (from its earliest business date's to 2100) is checked by the
# domain, as every date is; the document states only what a date can hold.
YearQuery = Annotated[
    int | None,
    Query(ge=MINYEAR, le=MAXYEAR, description="From the earliest business date's year to 2100"),
]
# The read models' refusals; the routes that look a zone up may also answer 404.
REFUSALS = problem_responses(401, 403, 422, 503)
LOOKUP_REFUSALS = problem_responses(401, 403, 404, 422, 503)


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
        None,
        max_length=200,
        pattern=NO_NUL,
        description="words, with or without diacritics; or a petition's number (KN-2026-0123)",
    )

    def filter(self) -> PetitionFilter:
        """As the view takes it (the use case narrows it to what the caller may see)."""
        return PetitionFilter(**self.model_dump(exclude={"q"}), text=self.q)


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
    organisation: OrganisationQuery = None,
) -> Any:
    """Newest first, filtered; of the organisations the caller sees (or the one asked); a
    department sees only petitions it was ever assigned."""
    return service.queries.petitions(
        principal.actor,
        filters.filter(),
        min_position=min_position,
        cursor=cursor,
        limit=limit,
        organisation=organisation,
    )


@router.get(
    "/inbox", response_model=PetitionPageRead, summary="A department's inbox", responses=REFUSALS
)
def inbox(principal: InboxReader, service: ServiceDep, min_position: MinPosition = None) -> Any:
    """Petitions assigned to the department now, due soonest first."""
    return service.queries.inbox(principal.actor, min_position=min_position)


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
    organisation: OrganisationQuery = None,
) -> Any:
    """Answers and verifications overdue on a date, a page at a time, with the count and
    the totals per department and zone of the whole board; a department sees its own."""
    board = Board(
        on=on,
        filter=OverdueFilter(department=department, zone=zone, kind=kind),
        sort=sort,
        order=order,
        limit=limit,
        offset=offset,
        organisation=organisation,
    )
    return service.queries.overdue(principal.actor, board, min_position=min_position)


@router.get(
    "/departments/quality",
    response_model=QualityRead,
    response_model_by_alias=True,
    summary="Department scorecards",
    responses=REFUSALS,
)
def quality(
    principal: ScorecardReader,
    service: ServiceDep,
    min_position: MinPosition = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
    organisation: OrganisationQuery = None,
) -> Any:
    """Response quality per department for a period (default: this year to date)."""
    return service.queries.scorecards(
        principal.actor,
        start=start,
        end=end,
        min_position=min_position,
        organisation=organisation,
    )


@router.get(
    "/reports/categories",
    response_model=CategoryReportRead,
    response_model_by_alias=True,
    summary="Category statistics",
    responses=LOOKUP_REFUSALS,
)
def categories(
    principal: ReportReader,
    service: ServiceDep,
    min_position: MinPosition = None,
    year: YearQuery = None,
    zone: CodeQuery = None,
    organisation: OrganisationQuery = None,
    start: Annotated[Day | None, Query(alias="from", description="A period, not a year")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
) -> Any:
    """Counts per category, share of the total, change against the year before: a
    ``year`` against the previous one, or a period ``from``–``to`` against the same dates
    a year earlier."""
    return service.queries.categories(
        principal.actor,
        year=year,
        zone=zone,
        min_position=min_position,
        organisation=organisation,
        start=start,
        end=end,
    )


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
    return service.queries.packet(principal.actor, zone, briefing, min_position=min_position)


@router.get(
    "/reference",
    response_model=ReferenceRead,
    summary="Reference data",
    responses=problem_responses(401, 422, 503),
)
def reference(
    principal: Anyone, service: ServiceDep, organisation: OrganisationQuery = None
) -> Any:
    """Zones, communes, party cells, departments and categories of the caller's
    organisation, or of one it may see (the province's: its departments)."""
    o, d = service.queries.reference(principal.actor, organisation)
    return {
        "organisation": o.code,
        "level": str(o.level),
        "district": d.name,
        "zones": [zone_read(z) for z in d.zones.values()],
        "communes": [vars(c) for c in d.communes.values()],
        "cells": [vars(c) for c in d.cells.values()],
        "departments": [vars(x) for x in d.departments.values()],
        "categories": [vars(c) for c in d.categories.values()],
        "cell_meetings": {
            "calendar": calendar_read(o.code, d.cell_meetings.organisation),
            "inherited": d.cell_meetings.inherited,
            "overrides": [
                calendar_read(code, kept)
                for code, kept in sorted(d.cell_meetings.overrides.items())
            ],
        },
        "due_after": d.due_after,
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
    organisation: OrganisationQuery = None,
) -> Any:
    """Every zone's briefing dates in a year, of the caller's organisation or of one it
    may see."""
    d = service.queries.reference(principal.actor, organisation)[1]
    year = service.app.dates.check_year("year", year or service.app.today().year)
    calendar = []
    for code in d.zones:
        dates, day = [], date(year - 1, 12, 31)
        while (day := d.next_briefing(code, day) or date(year + 1, 1, 1)).year == year:
            dates.append(day)
        calendar.append({"zone": code, "dates": dates})
    return calendar


def exceptions_read(calendar: BriefingCalendar | None) -> list[dict[str, Any]]:
    """A calendar's meetings moved (with the day held) and cancelled, by scheduled day."""
    if calendar is None:
        return []
    return [
        {"scheduled": day, "held_on": held}
        for day, held in sorted(
            [*calendar.moved.items(), *((day, None) for day in calendar.cancelled)],
            key=lambda exception: exception[0],
        )
    ]


def calendar_read(code: str, calendar: BriefingCalendar | None) -> dict[str, Any] | None:
    if calendar is None:
        return None
    return {
        "code": code,
        "rule": str(calendar.rule),
        "rule_label": calendar.rule.label(),
        "exceptions": exceptions_read(calendar),
    }


def zone_read(zone: Zone) -> dict[str, Any]:
    calendar = zone.calendar
    return {
        "code": zone.code,
        "name": zone.name,
        "briefing_rule": None if calendar is None else str(calendar.rule),
        "briefing_rule_label": None if calendar is None else calendar.rule.label(),
        "exceptions": exceptions_read(calendar),
    }
