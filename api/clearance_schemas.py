"""What a petition's read and the clearance's routes say of the clearance of written
answers (``domain.clearance``): who must clear the answer that waits, the answers
returned, and the clearer's decision."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal, TypeAlias

from pydantic import BaseModel

from domain.vocabulary import Clearance, ClearanceDecision, ReturnReason, values

if TYPE_CHECKING:  # the checker sees plain strings; pydantic the vocabularies' values
    ClearerName: TypeAlias = str
    ReasonName: TypeAlias = str
    DecisionName: TypeAlias = str
else:
    ClearerName = Literal[values(Clearance)]
    ReasonName = Literal[values(ReturnReason)]
    DecisionName = Literal[values(ClearanceDecision)]


class ReturnedRead(BaseModel):
    department: str
    clearer: ClearerName
    reason: ReasonName
    note: str
    answered_on: date
    returned_on: date
