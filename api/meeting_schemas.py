"""The meetings' request and response schemas (``api.meetings`` serves them). Requests
refuse unknown fields; the vocabularies are the domain's (``domain.vocabulary``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas import Day, Text
from api.schemas import Request as Body
from domain import vocabulary as v
from domain.meeting import MAX_ATTENDEES, MAX_PETITIONS
from domain.petition import NAME_MAX, NOTE_MAX, TEXT_MAX

if TYPE_CHECKING:  # mypy reads only a Literal written out; to it these are strings
    MeetingKindName: TypeAlias = str
    MeetingStatusName: TypeAlias = str
    RoleName: TypeAlias = str
    AttendanceName: TypeAlias = str
    VerdictName: TypeAlias = str
else:
    MeetingKindName = Literal[v.values(v.MeetingKind)]
    MeetingStatusName = Literal[v.values(v.MeetingStatus)]
    RoleName = Literal[v.values(v.AttendeeRole)]
    AttendanceName = Literal[v.values(v.Attendance)]
    VerdictName = Literal[v.values(v.Verdict)]

Name = Annotated[Text, Field(min_length=1, max_length=NAME_MAX)]


# ---- bodies ------------------------------------------------------------------------------


class MeetingCreate(Body):
    kind: MeetingKindName
    zone: Text | None = Field(default=None, min_length=1, max_length=100)
    cell: Text | None = Field(default=None, min_length=1, max_length=100)
    members: list[Name] = Field(
        default_factory=list, max_length=100, description="The committee members expected"
    )
    scheduled_on: Day
    on: Day | None = Field(default=None, description="When it was scheduled (default: today)")


class MoveCreate(Body):
    scheduled_on: Day
    reason: Text = Field(min_length=1, max_length=NOTE_MAX)
    on: Day | None = None


class CancelCreate(Body):
    reason: Text = Field(min_length=1, max_length=NOTE_MAX)
    on: Day | None = None


class NoticeCreate(Body):
    recipients: list[Name] = Field(min_length=1, max_length=MAX_ATTENDEES)
    sent_on: Day | None = None


class AgendaCreate(Body):
    petitions: list[UUID] | None = Field(
        default=None,
        max_length=MAX_PETITIONS,
        description="Left out: the briefing packet's petitions, as the views hold them",
    )
    issued_on: Day | None = None
    min_position: int | None = Field(default=None, ge=0, le=2**62)


class AttendanceEntry(Body):
    """One expected person: a secretary by ``cell``, anyone else by ``person``."""

    role: RoleName | None = Field(
        default=None, description="Left out: secretary for a cell, committee member else"
    )
    cell: Text | None = Field(default=None, min_length=1, max_length=100)
    person: Name | None = None
    department: Text | None = Field(default=None, min_length=1, max_length=100)
    status: AttendanceName
    minutes_late: int | None = Field(default=None, ge=1, le=24 * 60)
    reason: Text | None = Field(default=None, max_length=NOTE_MAX)
    excused: bool | None = None

    def entry(self) -> dict[str, Any]:
        role = self.role or (
            v.AttendeeRole.SECRETARY if self.cell else v.AttendeeRole.COMMITTEE_MEMBER
        )
        return {**self.model_dump(exclude_none=True), "role": str(role)}


class HeldCreate(Body):
    chair: Name
    attendance: list[AttendanceEntry] = Field(min_length=1, max_length=MAX_ATTENDEES)
    held_on: Day | None = None


class VerdictEntry(Body):
    petition: UUID
    verdict: VerdictName


class MinutesCreate(Body):
    text: Text = Field(min_length=1, max_length=TEXT_MAX)
    petitions_raised: list[UUID] = Field(default_factory=list, max_length=MAX_PETITIONS)
    answers_read: list[UUID] = Field(default_factory=list, max_length=MAX_PETITIONS)
    verdicts: list[VerdictEntry] = Field(default_factory=list, max_length=MAX_PETITIONS)
    recorded_on: Day | None = None


class CloseCreate(Body):
    closed_on: Day | None = None


# ---- answers -----------------------------------------------------------------------------


class MeetingWritten(BaseModel):
    id: UUID
    version: int
    position: int | None
    status: MeetingStatusName


class NoticeRead(BaseModel):
    recipients: list[str]
    sent_on: date
    days_before: int
    required_days: int
    late: bool


class AttendeeRead(BaseModel):
    role: RoleName
    status: AttendanceName
    cell: str | None = None
    person: str | None = None
    department: str | None = None
    commune: str | None = None
    minutes_late: int | None = None
    reason: str | None = None
    excused: bool | None = None


class VerdictRead(BaseModel):
    petition: UUID
    verdict: VerdictName


class MinutesRead(BaseModel):
    text: str
    petitions_raised: list[UUID]
    answers_read: list[UUID]
    verdicts: list[VerdictRead]
    recorded_on: date


class LinkedPetitionRead(BaseModel):
    petition_id: UUID
    channel: str
    member: str | None
    cell: str
    raised_on: date


class LinkedVerdictRead(BaseModel):
    petition_id: UUID
    verdict: str
    verified_on: date


class MeetingRead(BaseModel):
    id: UUID
    version: int
    status: MeetingStatusName
    organisation: str
    kind: MeetingKindName
    zone: str | None
    cell: str | None
    commune: str | None
    scheduled_on: date
    members: list[str]
    moves: int
    cancel_reason: str | None
    notices: list[NoticeRead]
    agenda: list[UUID] | None
    held_on: date | None
    chair: str | None
    attendance: list[AttendeeRead]
    minutes: MinutesRead | None
    linked_petitions: list[LinkedPetitionRead]
    linked_verdicts: list[LinkedVerdictRead]
    created_on: datetime
    modified_on: datetime


class MeetingRowRead(BaseModel):
    meeting_id: UUID
    organisation: str
    kind: MeetingKindName
    zone: str | None
    cell: str | None
    commune: str | None
    status: MeetingStatusName
    scheduled_on: date
    held_on: date | None
    chair: str | None
    members: list[str]
    notices: int
    notice_sent_on: date | None
    notice_days_before: int | None
    notice_late: bool | None
    agenda: list[str] | None
    minuted: bool
    petitions_raised: int
    version: int


class MeetingPageRead(BaseModel):
    items: list[MeetingRowRead]
    limit: int
    offset: int


class Figures(BaseModel):
    organisation: str
    expected: int
    present: int
    late: int
    absent_excused: int
    absent_unexcused: int
    minutes_late: int
    rate: float | None = Field(description="Present or late, of those expected, in %")


class SecretaryFigures(Figures):
    commune: str | None
    cell: str | None
    person: str | None


class CellFigures(Figures):
    commune: str | None
    cell: str | None


class CommuneFigures(Figures):
    commune: str | None


class MemberRecord(BaseModel):
    organisation: str
    member: str
    cell_meetings_expected: int
    cell_meetings_attended: int
    briefings_expected: int
    briefings_attended: int
    petitions_raised: int = Field(description="At the cell meetings the member attended")


class MeetingFigures(BaseModel):
    held: int
    notices_late: int
    without_minutes: int


class AttendanceRead(BaseModel):
    model_config = {"populate_by_name": True}

    start: date | None = Field(alias="from")
    end: date | None = Field(alias="to")
    as_of: datetime | None = Field(default=None, description="Of what was recorded by then")
    notice_days: int
    secretaries: list[SecretaryFigures]
    cells: list[CellFigures]
    communes: list[CommuneFigures]
    organisations: list[Figures]
    members: list[MemberRecord]
    meetings: MeetingFigures
