"""What a read says of the earlier petition one repeats (``PetitionRead.repeat_of``)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field


class RepeatOfRead(BaseModel):
    petition_id: UUID = Field(description="The earlier petition whose matter this one raises")
    number: str | None = Field(description="Its number when linked (null: not numbered yet)")
    satisfied: bool = Field(description="Whether the cells' satisfied verdict had closed it")
    department: str | None = Field(
        description="The department whose answer they were satisfied with (null: none, or"
        " answered on the spot): the scorecards count the repeat against its closure"
    )
    linked_on: date
