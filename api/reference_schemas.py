"""The reference data's read schemas: an organisation's zones (with their briefing rules),
communes, cells, departments and categories, its cells' calendars and what its due dates
follow, and a zone's briefing dates."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class CodeName(BaseModel):
    code: str
    name: str


class BriefingExceptionRead(BaseModel):
    scheduled: date
    held_on: date | None = Field(description="The day it was held instead; null if cancelled")


RULE = (
    "`day:N`, or `weekday:W:N` (W 0 = Monday; N -1 the last), every month; then"
    " `;every:K:YYYY-MM` (every K months counted from that month) or `;months:M,M`"
    " (those months only)"
)


class ZoneRead(CodeName):
    briefing_rule: str | None = Field(description=RULE)
    briefing_rule_label: str | None = Field(description="The rule in Vietnamese")
    exceptions: list[BriefingExceptionRead]


class CalendarRead(BaseModel):
    code: str = Field(description="Who keeps it: the organisation, a commune or a cell")
    rule: str = Field(description=RULE)
    rule_label: str = Field(description="The rule in Vietnamese")
    exceptions: list[BriefingExceptionRead]


class CellMeetingsRead(BaseModel):
    calendar: CalendarRead | None = Field(
        description="The organisation's cells' calendar (the province's where it keeps none)"
    )
    inherited: bool = Field(description="Whether that calendar is the province's")
    overrides: list[CalendarRead] = Field(
        description="The calendars a commune or a cell keeps instead"
    )


class CommuneRead(CodeName):
    zone: str | None = Field(description="A district's commune's zone; null for a commune")


class RetiredRead(CodeName):
    retired_on: date | None = Field(
        None, description="The day it was retired: nothing new chooses it from then on"
    )


class CellRead(RetiredRead):
    commune: str


class CategoryRead(BaseModel):
    code: str
    label: str
    label_en: str
    department: str | None = Field(
        None, description="The organisation's department its petitions go to by default"
    )


class ReferenceRead(BaseModel):
    organisation: str
    level: str
    district: str = Field(description="The organisation's name")
    zones: list[ZoneRead]
    communes: list[CommuneRead]
    cells: list[CellRead]
    departments: list[RetiredRead]
    categories: list[CategoryRead]
    cell_meetings: CellMeetingsRead
    due_after: str = Field(
        description="What a due date left to the calendar follows: `briefing` (the zone's"
        " next briefing) or `cell_meeting` (the cell's next meeting)"
    )


class BriefingRead(BaseModel):
    zone: str
    dates: list[date]
