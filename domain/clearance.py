"""The clearance of written answers: where an organisation's setting asks for it, a
department's written answer waits for the committee's office (its clerks) or the committee
before it counts as answered. The clearer accepts it, or returns it to the department with
a reason and a note; the department answers again by the same due date.

The answer's own event (``Petition.AnsweredInWriting``) is as it always was; the hold,
the clearance and the return are events of their own, recorded after it
(``Petition.AnswerHeld``, ``AnswerCleared``, ``AnswerReturned``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.vocabulary import Clearance, ReturnReason

__all__ = ["Clearance", "ReturnReason", "ReturnedAnswer", "clearance_of"]


@dataclass(frozen=True)
class ReturnedAnswer:
    """A written answer the clearer returned to the department, with why."""

    department: str
    clearer: Clearance
    reason: ReturnReason
    note: str
    answered_on: date  # when the department gave the answer returned
    returned_on: date


def clearance_of(setting: str | None) -> Clearance:
    """The organisation's setting as kept (nothing kept: none, today's behaviour)."""
    return Clearance(setting) if setting else Clearance.NONE
