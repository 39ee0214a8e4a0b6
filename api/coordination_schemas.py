"""The request and response schemas of lead and coordinating departments: the assignment's
coordinating departments, a contribution, the committee's waiver, what the petition's read,
the scorecards and a department's inbox show of them."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from api.schema_types import Code, Day, Request, Text
from domain.coordination import COORDINATORS_MAX
from domain.petition import NAME_MAX, NOTE_MAX, TEXT_MAX


class CoordinatingCreate(Request):
    """A coordinating department (phối hợp) and the day its contribution is due."""

    department: Text = Code
    due_on: Day


COORDINATING: Any = Field(
    default_factory=list,
    max_length=COORDINATORS_MAX,
    description="The coordinating departments, each with its own due date (no later than"
    " the lead's); the department assigned leads and answers",
)


class ContributionCreate(Request):
    """A coordinating department's contribution to the lead, with its letter."""

    text: Text = Field(min_length=1, max_length=TEXT_MAX)
    document_number: Text = Field(min_length=1, max_length=NAME_MAX)
    document_date: Day
    signer: Text = Field(min_length=1, max_length=NAME_MAX)
    contributed_on: Day | None = None


class WaiverCreate(Request):
    """The committee lets the lead answer without the missing contributions it names."""

    departments: list[Text] = Field(min_length=1, max_length=COORDINATORS_MAX)
    reason: Text = Field(min_length=1, max_length=NOTE_MAX)
    waived_on: Day | None = None


class ContributionRead(BaseModel):
    text: str
    document_number: str
    document_date: date
    signer: str
    sent_on: date


class CoordinatorRead(BaseModel):
    department: str
    due_on: date
    named_on: date
    contribution: ContributionRead | None = Field(description="Sent to the lead; null: not yet")
    waived: str | None = Field(description="The committee's reason for waiving it")
    waived_on: date | None


class ContributionFigures(BaseModel):
    """A department's contributions as a coordinating one in the period."""

    sent: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = Field(0, description="due and neither sent nor waived at the end")
