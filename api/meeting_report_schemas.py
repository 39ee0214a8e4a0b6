"""The schemas of the meetings' information requests and reports (``api.meeting_reports``
serves them): the body saying a department's information came, and each report's board
and scorecard, field by field as ``projections.meeting_reports`` answers them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel, Field

from api.meeting_schemas import Figures, MeetingKindName
from api.problems import Problem
from api.schemas import Day, Instant, Text
from api.schemas import Request as Body
from domain.messages import say

AsOf = Annotated[
    Instant | None,
    Query(description="ISO time with zone: the report of what was recorded by then"),
]


def zoned(as_of: datetime | None) -> datetime | None:
    """``as_of`` as asked, refused without its time zone (as a petition's ``as_of`` is)."""
    if as_of is not None and as_of.tzinfo is None:
        raise Problem(
            "validation_error",
            say("as_of.no_zone"),
            errors=[{"field": "as_of", "in": "query", "message": say("as_of.no_zone_field")}],
        )
    return as_of


class InformationCreate(Body):
    department: Text = Field(min_length=1, max_length=100, description="The department asked")
    on: Day | None = Field(default=None, description="When its information came (default: today)")


class Period(BaseModel):
    model_config = {"populate_by_name": True}

    report: str
    start: date | None = Field(alias="from")
    end: date | None = Field(alias="to")


# ---- people at the briefings --------------------------------------------------------------


class PersonFigures(Figures):
    role: str
    person: str | None
    department: str | None


class DepartmentFigures(Figures):
    department: str | None


class ZoneFigures(Figures):
    zone: str | None = Field(description="None: the organisation's own briefings")


class PeopleScorecard(BaseModel):
    departments: list[DepartmentFigures]
    zones: list[ZoneFigures]
    organisations: list[Figures]


class PeopleRead(Period):
    board: list[PersonFigures]
    scorecard: PeopleScorecard


# ---- notices sent late --------------------------------------------------------------------


class MeetingWhere(BaseModel):
    meeting_id: UUID
    organisation: str
    kind: MeetingKindName
    zone: str | None
    cell: str | None
    scheduled_on: date


class LateNotice(MeetingWhere):
    commune: str | None
    notice_sent_on: date
    days_before: int
    required_days: int | None


class NoticeFigures(BaseModel):
    organisation: str
    zone: str | None = None
    commune: str | None = None
    meetings: int
    noticed: int
    late: int
    on_time: int
    held_without_notice: int
    on_time_rate: float | None = Field(description="Noticed on time, of those noticed, in %")


class NoticeScorecard(BaseModel):
    zones: list[NoticeFigures]
    organisations: list[NoticeFigures]


class NoticesRead(Period):
    board: list[LateNotice]
    scorecard: NoticeScorecard


# ---- the departments' information ---------------------------------------------------------


class InformationRow(MeetingWhere):
    department: str
    petitions: int
    requested_on: date
    due_on: date
    received_on: date | None
    state: str = Field(description="late, or missing (due and not come)")
    days_late: int


class InformationFigures(BaseModel):
    organisation: str
    department: str | None = None
    requested: int
    on_time: int
    late: int
    missing: int
    awaited: int = Field(description="Not come and not due yet")
    due: int
    on_time_rate: float | None = Field(description="Come on time, of those due, in %")


class InformationScorecard(BaseModel):
    departments: list[InformationFigures]
    organisations: list[InformationFigures]


class InformationRead(Period):
    on: date = Field(description="The day a request not come is missing after its due day")
    board: list[InformationRow]
    scorecard: InformationScorecard


# ---- the minutes' completeness ------------------------------------------------------------


class MinutesRow(BaseModel):
    meeting_id: UUID
    organisation: str
    kind: MeetingKindName
    zone: str | None
    cell: str | None
    commune: str | None
    held_on: date
    minuted: bool
    not_linked: list[UUID] = Field(description="In the minutes, not linked to the meeting")
    not_in_minutes: list[UUID] = Field(description="Linked to the meeting, not in its minutes")
    raised_not_linked: list[UUID] = Field(
        description="Raised that day by its channel where it was held, naming no meeting"
    )
    differs: bool


class MinutesFigures(BaseModel):
    organisation: str
    zone: str | None = None
    commune: str | None = None
    held: int
    without_minutes: int
    differing: int
    complete: int
    complete_rate: float | None = Field(description="Minuted as linked, of those held, in %")


class MinutesScorecard(BaseModel):
    zones: list[MinutesFigures]
    organisations: list[MinutesFigures]


class MinutesRead(Period):
    board: list[MinutesRow]
    scorecard: MinutesScorecard
