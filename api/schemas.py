"""Request and response schemas. Requests refuse unknown fields."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeAlias
from uuid import UUID

from pydantic import BaseModel, Field

from api.clearance_schemas import ClearerName, ReturnedRead
from api.clock_schemas import DUE_BASIS, ClockPauseRead, DueExplanationRead, PausedRead
from api.commitment_schemas import CommitmentRead, PacketCommitment
from api.coordination_schemas import (
    COORDINATING,
    ContributionFigures,
    CoordinatingCreate,
    CoordinatorRead,
)
from api.repeat_schemas import RepeatOfRead

# the request types, where their callers find them (api.schema_types)
from api.schema_types import NO_NUL as NO_NUL
from api.schema_types import Code as Code
from api.schema_types import Day as Day
from api.schema_types import Instant as Instant
from api.schema_types import Request as Request
from api.schema_types import Text as Text
from domain import vocabulary as v
from domain.commitments import COST_MAX
from domain.petition import NAME_MAX, NOTE_MAX, SUMMARY_MAX, TEXT_MAX
from projections.overdue import BOARD_ORDERS

# The domain's vocabularies as plain enums of their values, inline in each schema (Literals).
if TYPE_CHECKING:  # mypy reads only a Literal written out; to it these are strings
    Kind: TypeAlias = str
    Channel: TypeAlias = str
    Status: TypeAlias = str
    VerdictName: TypeAlias = str
    Flag: TypeAlias = str
    AnswerModeName: TypeAlias = str
    ObligationName: TypeAlias = str
    GiveBackName: TypeAlias = str
    BoardSort: TypeAlias = str
else:
    Kind = Literal[v.values(v.Kind)]
    Channel = Literal[v.values(v.Channel)]
    Status = Literal[v.values(v.Status)]
    VerdictName = Literal[v.values(v.Verdict)]
    Flag = Literal[v.values(v.QualityFlag)]
    AnswerModeName = Literal[v.values(v.AnswerMode)]
    ObligationName = Literal[v.values(v.Obligation)]
    GiveBackName = Literal[v.values(v.GiveBack)]
    BoardSort = Literal[tuple(BOARD_ORDERS)]  # the overdue board's orders, as it sorts them


class PetitionCreate(Request):
    kind: Kind
    category: Text = Code
    summary: Text = Field(min_length=1, max_length=SUMMARY_MAX)
    text: Text = Field(min_length=1, max_length=TEXT_MAX)
    cell: Text = Code
    raised_by: Text = Field(min_length=1, max_length=NAME_MAX)
    channel: Channel
    meeting: Text | None = Field(default=None, max_length=NAME_MAX)
    raised_on: Day
    member: Text | None = Field(default=None, max_length=NAME_MAX)  # at a cell meeting
    repeat_of: UUID | None = Field(None, description="The earlier petition it raises again")


class AssignmentCreate(Request):
    department: Text = Code
    due_on: Day | None = None
    note: Text | None = Field(default=None, max_length=NOTE_MAX)
    assigned_on: Day | None = None
    coordinating: list[CoordinatingCreate] = COORDINATING


class CommitmentCreate(Request):
    """What a written answer commits its department to: done by ``due_on``."""

    text: Text = Field(min_length=1, max_length=NOTE_MAX)
    due_on: Day
    cost: int | None = Field(default=None, ge=0, le=COST_MAX, description="VND, if known")


class AnswerCreate(Request):
    mode: AnswerModeName
    text: Text = Field(min_length=1, max_length=TEXT_MAX)
    document_number: Text | None = Field(default=None, max_length=NAME_MAX)
    document_date: Day | None = None
    signer: Text | None = Field(default=None, max_length=NAME_MAX)
    answered_by: Text | None = Field(default=None, max_length=NAME_MAX)
    meeting: Text | None = Field(default=None, max_length=NAME_MAX)
    answered_on: Day | None = None
    commitment: CommitmentCreate | None = None  # a written answer's only


class VerificationCreate(Request):
    verdict: VerdictName
    flags: list[Flag] = Field(default_factory=list, max_length=3)
    meeting: Text | None = Field(default=None, max_length=NAME_MAX)
    verified_on: Day | None = None
    comment: Text | None = Field(default=None, max_length=NOTE_MAX)
    reassign_to: Text | None = Field(default=None, min_length=1, max_length=100)
    due_on: Day | None = None


class ReferralCreate(Request):
    """A referral upward: to the province (``organisation``), one of its departments."""

    organisation: Text = Code
    department: Text = Code
    due_on: Day | None = None
    note: Text | None = Field(default=None, max_length=NOTE_MAX)
    referred_on: Day | None = None


class DeadlineCreate(Request):
    due_on: Day
    reason: Text = Field(min_length=1, max_length=NOTE_MAX)
    extended_on: Day | None = None


class ReasonCreate(Request):
    reason: Text = Field(min_length=1, max_length=NOTE_MAX)
    on: Day | None = None


class MergeCreate(Request):
    into: UUID
    reason: Text | None = Field(default=None, max_length=NOTE_MAX)
    on: Day | None = None


class CosignCreate(Request):
    """Another party cell raised the same matter: it co-signs the petition instead of
    raising a duplicate, on ``cosigned_on`` (today if left out)."""

    cell: Text = Code
    raised_by: Text = Field(min_length=1, max_length=NAME_MAX)
    channel: Channel
    meeting: Text | None = Field(default=None, max_length=NAME_MAX)
    note: Text | None = Field(default=None, max_length=NOTE_MAX)
    cosigned_on: Day | None = None


class WriteResult(BaseModel):
    id: UUID
    version: int
    position: int | None
    status: Status


class AttachmentRead(BaseModel):
    name: str
    sha256: str
    size: int
    content_type: str | None = None


class AnswerRead(BaseModel):
    mode: AnswerModeName
    department: str | None
    text: str
    document_number: str | None
    document_date: date | None
    signer: str
    answered_on: date
    meeting: str | None
    due_on: date | None
    verify_by: date
    attachments: list[AttachmentRead]


class VerificationRead(BaseModel):
    verdict: VerdictName
    flags: list[Flag]
    meeting: str | None
    comment: str | None
    verified_on: date
    answer_number: int
    meeting_id: UUID | None = Field(None, description="The meeting it was given at, if kept")


class CosignerRead(BaseModel):
    cell: str
    commune: str
    raised_by: str
    channel: Channel
    meeting: str | None
    note: str | None
    cosigned_on: date


class GivenBackRead(BaseModel):
    how: GiveBackName = Field(description="declined by the department, or a referral returned")
    department: str
    organisation: str | None = Field(description="The province, for a returned referral")
    reason: str
    on: date


NUMBER_DESCRIPTION = (
    "The number people say, unique per organisation and year of the date raised (in the"
    " deployment's format); null for a moment after the raise, until the views have it"
)


class PetitionRead(BaseModel):
    id: UUID
    number: str | None = Field(
        description=NUMBER_DESCRIPTION, json_schema_extra={"examples": ["KN-2026-0123"]}
    )
    version: int
    status: Status
    organisation: str = Field(description="Where it was raised")
    referred_to: str | None = Field(description="The province, while referred to it")
    kind: Kind
    category: str
    summary: str
    text: str
    cell: str
    commune: str
    zone: str
    raised_by: str
    channel: Channel
    meeting: str | None
    meeting_id: UUID | None = Field(None, description="The meeting it was raised at, if kept")
    member: str | None = Field(None, description="The member at the cell meeting it was raised")
    raised_on: date
    department: str | None
    due_on: date | None
    due_basis: dict[str, Any] | None = Field(None, description=DUE_BASIS)
    due_explanation: DueExplanationRead | None = None
    clock_paused: ClockPauseRead | None = Field(None, description="While the clock is paused")
    assigned_on: date | None
    departments: list[str]
    answers: list[AnswerRead]
    verifications: list[VerificationRead]
    escalations: int
    reopen_count: int
    merged_into: UUID | None
    closing_reason: str | None
    reopens_to: Status | None = Field(
        None,
        description="Ended by the committee (closed, withdrawn, merged): the status a"
        " reopening returns it to; null while open or once the cells' verdict closed it",
    )
    given_back: GivenBackRead | None = Field(
        None, description="The department in charge gave it back, until it is assigned again"
    )
    cosigners: list[CosignerRead] = Field(
        default_factory=list, description="The other cells that raised the same matter"
    )
    held_by: ClearerName | None = Field(None, description="Who clears the answer held")
    held_answer: AnswerRead | None = Field(None, description="The written answer held")
    returns: list[ReturnedRead] = Field(default_factory=list, description="Returned answers")
    commitments: list[CommitmentRead] = Field(default_factory=list, description="Its answers'")
    repeat_of: RepeatOfRead | None = None
    coordinators: list[CoordinatorRead] = Field(
        default_factory=list, description="The assignment's coordinating departments"
    )
    created_on: datetime
    modified_on: datetime


class ActorRead(BaseModel):
    id: str
    role: str
    department: str | None
    organisation: str | None = Field(
        default=None, description="The organisation acted for; null before organisations"
    )
    name: str | None = Field(
        default=None,
        description="The person's full name, or the client's; for events recorded before"
        " actors named their person, the token's name where it is known (else null)",
    )
    position: str | None = Field(default=None, description="The person's position (chức vụ)")


class EventRead(BaseModel):
    type: str
    version: int
    recorded_at: datetime
    business_date: date
    actor: ActorRead
    request_id: str | None
    payload: dict[str, Any]
    delay_days: int = Field(description="Days from the business date to the record date")
    backdated: bool = Field(description="Recorded later than the back-dating tolerance allows")


class PetitionSummary(BaseModel):
    petition_id: UUID
    number: str | None = Field(
        description=NUMBER_DESCRIPTION, json_schema_extra={"examples": ["KN-2026-0123"]}
    )
    version: int
    status: Status
    organisation: str
    referred_to: str | None
    kind: Kind
    category: str
    zone: str
    commune: str
    cell: str
    channel: Channel
    meeting: str | None
    raised_by: str
    summary: str
    raised_on: date
    department: str | None
    departments: list[str]
    due_on: date | None
    answered_on: date | None
    verify_by: date | None
    escalations: int
    reopen_count: int
    last_business_date: date
    given_back: GiveBackName | None = Field(
        None, description="How the department in charge gave it back, until assigned again"
    )
    given_back_by: str | None = Field(None, description="The department that gave it back")
    given_back_reason: str | None = None
    cosigners: int = Field(0, description="How many other cells co-signed it")


class PetitionPageRead(BaseModel):
    items: list[PetitionSummary]
    next_cursor: str | None


class OverdueRead(BaseModel):
    petition_id: UUID
    number: str | None = Field(
        description=NUMBER_DESCRIPTION, json_schema_extra={"examples": ["KN-2026-0123"]}
    )
    organisation: str
    kind: ObligationName
    department: str | None
    zone: str
    due_on: date
    days_overdue: int
    very_overdue: bool
    summary: str
    commune: str
    cell: str
    category: str
    raised_on: date


class OverdueTotal(BaseModel):
    department: str | None
    zone: str
    answer: int
    verification: int
    commitment: int
    contribution: int = 0  # coordinating departments' parts
    very_overdue: int
    max_days_overdue: int


class OverdueBoardRead(BaseModel):
    on: date
    organisation: str | None = Field(description="The organisation asked for; null: all seen")
    very_overdue_days: int
    sort: BoardSort
    order: Literal["asc", "desc"]
    limit: int
    offset: int
    total: int = Field(description="obligations on the whole board, every page")
    next_offset: int | None = Field(description="the next page's offset; null on the last")
    items: list[OverdueRead] = Field(description="this page's rows")
    totals: list[OverdueTotal] = Field(description="per department and zone, whole board")
    paused: list[PausedRead] = Field(
        default_factory=list, description="answers whose clock was paused then: not late"
    )


class RateRead(BaseModel):
    count: int
    total: int
    rate: float | None
    low: float | None
    high: float | None


class ScorecardRead(BaseModel):
    department: str
    assigned: int
    answered: int
    on_time: RateRead
    recorded_after_due: int
    median_days_to_answer: float | None
    open_overdue: int
    verified: int
    verdicts: dict[str, RateRead]
    flags: dict[str, RateRead]
    reopen_rate: RateRead
    first_answer_satisfied: RateRead
    # of the owed commitments due in the period (total), those done by their date (count)
    commitments_kept: RateRead
    satisfied_closures: int = Field(description="Closed by the cells' satisfied verdict")
    repeated_within_6_months: RateRead  # of those, followed by a repeat (projections.repeats)
    repeated_within_12_months: RateRead
    score: float
    rank: int | None
    returns: int = Field(0, description="Written answers returned at clearance in the period")
    contributions: ContributionFigures = Field(default_factory=ContributionFigures)


class QualityRead(BaseModel):
    start: date = Field(serialization_alias="from")
    end: date = Field(serialization_alias="to")
    organisation: str | None = Field(description="The organisation asked for; null: all seen")
    min_answered: int
    departments: list[ScorecardRead]


class CategoryRow(BaseModel):
    category: str
    label: str
    label_en: str
    count: int
    share: float
    previous_count: int
    change: int
    cosigning_cells: int = Field(description="Other cells that co-signed the ones counted")


class CategoryReportRead(BaseModel):
    year: int | None = Field(description="The year asked; null for a period from–to")
    start: date = Field(alias="from", description="The period counted (a year: 1 Jan–31 Dec)")
    end: date = Field(alias="to")
    previous_start: date = Field(alias="previous_from", description="Compared with: a year earlier")
    previous_end: date = Field(alias="previous_to")
    organisation: str | None = Field(description="The organisation asked for; null: all seen")
    zone: str | None
    total: int
    previous_total: int
    change: int
    cosigning_cells: int = Field(description="Other cells that co-signed the ones counted")
    categories: list[CategoryRow]


class PacketAnswer(BaseModel):
    seq: int
    mode: AnswerModeName
    department: str | None
    text: str
    document_number: str | None
    document_date: date | None
    signer: str
    answered_on: date
    verdict: VerdictName | None
    flags: list[Flag] | None
    verified_on: date | None


class PacketPetition(BaseModel):
    petition_id: UUID
    number: str | None = Field(
        description=NUMBER_DESCRIPTION, json_schema_extra={"examples": ["KN-2026-0123"]}
    )
    organisation: str
    referred_to: str | None
    zone: str
    commune: str
    cell: str
    kind: Kind
    category: str
    summary: str
    raised_by: str
    channel: Channel
    meeting: str | None
    raised_on: date
    status: Status
    department: str | None
    due_on: date | None
    verify_by: date | None
    answers_given: list[PacketAnswer]


class PacketRead(BaseModel):
    organisation: str = Field(description="The zone's organisation")
    zone: str
    briefing: date
    previous_briefing: date
    raised_at_previous: list[PacketPetition]
    unanswered: list[PacketPetition]
    awaiting_verification: list[PacketPetition]
    commitments_due: list[PacketCommitment]


class ReadinessRead(BaseModel):
    status: Literal["ready", "behind"]
    position: int = Field(description="The event log's last position")
    lag: dict[str, int] = Field(description="Events each view has still to process")
