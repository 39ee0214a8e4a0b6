"""A written answer's commitment: what its department will do, by when, at what cost.

The answer says it (``Petition.CommitmentMade``, recorded by the answer's own command right
after ``AnsweredInWriting``); the cells' satisfied verdict on that answer makes it owed
(``binding_from``), any other verdict lets it lapse with the answer. From the verdict on,
the department records its progress (``CommitmentProgressed``) and at last that it is done,
with its evidence (``CommitmentFulfilled``): kept on time if done by ``due_on``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.errors import InvalidCommand
from domain.messages import say
from domain.records import Attachment

COST_MAX = 10**15  # VND: more than any budget a commune or province commits
DONE = 100  # the percentage only fulfilment reaches


@dataclass(frozen=True)
class Commitment:
    """What the written answer numbered ``answer_number`` committed its department to."""

    department: str
    text: str
    due_on: date
    cost: int | None  # VND, if the answer names one
    made_on: date
    answer_number: int
    binding_from: date | None = None  # the satisfied verdict's day: owed from then
    lapsed: bool = False  # the cells did not accept the answer: nothing is owed
    percent: int = 0
    note: str | None = None  # the latest progress's, or the fulfilment's
    progressed_on: date | None = None
    fulfilled_on: date | None = None
    evidence: tuple[Attachment, ...] = ()

    @property
    def is_open(self) -> bool:
        """Still to be done: neither lapsed nor fulfilled."""
        return not self.lapsed and self.fulfilled_on is None

    @property
    def kept_on_time(self) -> bool:
        return self.fulfilled_on is not None and self.fulfilled_on <= self.due_on


def check_cost(cost: Any) -> int | None:
    if cost is None:
        return None
    if not isinstance(cost, int) or isinstance(cost, bool) or not 0 <= cost <= COST_MAX:
        raise InvalidCommand("commitment_cost", say("commitment.cost", limit=COST_MAX))
    return cost


def check_percent(percent: Any) -> int:
    """A progress short of done: 0 to 99 (done is recorded with its evidence)."""
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent < DONE:
        raise InvalidCommand("percent", say("commitment.percent"))
    return percent


def check_attachments(field: str, attachments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence as an answer's letters are recorded: a name, a size and a SHA-256."""
    for attachment in attachments:
        digest = str(attachment.get("sha256", ""))
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise InvalidCommand(field, say("attachment.digest"))
        if not isinstance(attachment.get("name"), str) or not isinstance(
            attachment.get("size"), int
        ):
            raise InvalidCommand(field, say("attachment.name_size"))
    return [dict(a) for a in attachments]
