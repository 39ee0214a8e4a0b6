"""What the API says of a due date's basis and of a paused clock (``domain.due_basis``): in
a petition's state and on the overdue board."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from domain.vocabulary import PauseReason

DUE_BASIS = (
    "How the due date in force was computed: ``kind`` briefing or cell_meeting (the meeting"
    " it is the day of, the meetings passed over as too close, the working days left, the"
    " weekday holidays not counted), period (days after the assignment, no calendar), given"
    " (by hand by the committee), extended (by the committee, with its reason) or resumed"
    " (moved by the working days its clock was paused); null: not recorded (set before the"
    " service kept it, or by a verdict's reopening)"
)


class DueExplanationRead(BaseModel):
    """The due date's basis in one sentence."""

    vi: str = Field(description="In Vietnamese")
    en: str = Field(description="In English")


class ClockPauseRead(BaseModel):
    reason: PauseReason
    note: str | None
    since: date = Field(description="The day the committee paused it")
    due_on: date = Field(description="The due date in force then, which resuming moves")


class PausedRead(BaseModel):
    """An answer whose clock the committee has paused: not late meanwhile."""

    petition_id: UUID
    number: str | None
    organisation: str
    department: str | None
    zone: str
    due_on: date = Field(description="The due date when paused; resuming moves it")
    reason: PauseReason
    note: str | None
    paused_on: date
    days_paused: int
    summary: str
    commune: str
    cell: str
    category: str
    raised_on: date
