"""The members' duty's request and response schemas (``api.duties`` serves them)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas import Day, Text
from api.schemas import Request as Body
from domain.duty import CODE_MAX, MAX_PLACES
from domain.petition import NAME_MAX, NOTE_MAX
from usecases.duties import AssignDuty, ChangeDuty, EndDuty

Code = Annotated[Text, Field(min_length=1, max_length=CODE_MAX)]
Places = Annotated[list[Code], Field(default_factory=list, max_length=MAX_PLACES)]


# ---- bodies ------------------------------------------------------------------------------


class DutyCreate(Body):
    member: Code = Field(description="The member's code")
    name: Text = Field(
        min_length=1, max_length=NAME_MAX, description="The name meetings name the member by"
    )
    communes: Places
    cells: Places
    start_on: Day
    end_on: Day
    on: Day | None = Field(default=None, description="When it was decided (default: today)")

    def command(self) -> AssignDuty:
        """The use case's command the body asks for (the API's and the page's)."""
        return AssignDuty(
            member=self.member,
            name=self.name,
            communes=tuple(self.communes),
            cells=tuple(self.cells),
            start_on=self.start_on,
            end_on=self.end_on,
            on=self.on,
        )


class DutyChangeCreate(Body):
    effective_on: Day = Field(description="The first day the member is assigned so")
    communes: Places
    cells: Places
    end_on: Day = Field(description="The term's last day, moved or not")
    reason: Text = Field(min_length=1, max_length=NOTE_MAX)
    on: Day | None = None

    def command(self, assignment_id: UUID, version: int | None) -> ChangeDuty:
        return ChangeDuty(
            assignment_id=assignment_id,
            effective_on=self.effective_on,
            communes=tuple(self.communes),
            cells=tuple(self.cells),
            end_on=self.end_on,
            reason=self.reason,
            on=self.on,
            expected_version=version,
        )


class DutyEndCreate(Body):
    ended_on: Day = Field(description="The term's last day, before the one assigned")
    reason: Text = Field(min_length=1, max_length=NOTE_MAX)
    on: Day | None = None

    def command(self, assignment_id: UUID, version: int | None) -> EndDuty:
        return EndDuty(
            assignment_id=assignment_id,
            ended_on=self.ended_on,
            reason=self.reason,
            on=self.on,
            expected_version=version,
        )


# ---- responses ---------------------------------------------------------------------------


class DutyWritten(BaseModel):
    id: UUID
    version: int
    position: int | None
    status: str


class SpanRead(BaseModel):
    start: date
    end: date
    communes: list[str]
    cells: list[str]


class DutyEventRead(BaseModel):
    version: int
    type: str
    business_date: date
    recorded_on: date
    actor_id: str
    actor_name: str | None
    effective_on: date | None
    communes: list[str] | None
    cells: list[str] | None
    start_on: date | None
    end_on: date | None
    reason: str | None


class DutyRead(BaseModel):
    assignment_id: UUID
    organisation: str
    member: str
    name: str
    start_on: date
    end_on: date
    ended_on: date | None
    end_reason: str | None
    status: str
    communes: list[str]
    cells: list[str]
    spans: list[SpanRead]
    assigned_on: date
    version: int


class DutyWithHistory(DutyRead):
    history: list[DutyEventRead]


class DutyPageRead(BaseModel):
    items: list[DutyRead]


class ExpectedMeeting(BaseModel):
    meeting_id: UUID
    cell: str
    commune: str | None
    day: date
    status: str
    held: bool
    attended: bool


class MemberCalendar(BaseModel):
    organisation: str
    member: str
    name: str
    meetings: list[ExpectedMeeting]
    months_without: list[str] = Field(description="Months of the term with none attended")


class CalendarRead(BaseModel):
    year: int
    month: int | None
    members: list[MemberCalendar]


class MemberNamed(BaseModel):
    organisation: str
    member: str
    name: str


class NotAttendingRead(BaseModel):
    year: int
    month: int
    items: list[MemberNamed]


class UnvisitedCell(BaseModel):
    organisation: str
    cell: str
    commune: str | None
    last_visit: date | None


class UnvisitedRead(BaseModel):
    on: date
    months: int
    items: list[UnvisitedCell]


class YearlyRecord(BaseModel):
    organisation: str
    member: str
    name: str
    months_covered: list[int]
    cell_meetings_expected: int
    cell_meetings_attended: int
    months_without: list[int]
    briefings_expected: int
    briefings_attended: int
    petitions_raised: int = Field(description="At the cell meetings the member attended")


class RecordsRead(BaseModel):
    year: int
    items: list[YearlyRecord]
