"""The answer's clock: the committee pauses it, saying why, and resumes it; resuming moves
the due date by the working days paused, by the raising organisation's holidays
(``domain.due_basis.resumed``). Who may do so is ``usecases.access``'s (the lifecycle's
row: the committee; the province's while the petition is referred to it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.actors import Command, Stamp
from domain.petition import Petition
from domain.reference import Province
from usecases.commands import Change

__all__ = ["PauseClock", "ResumeClock", "decide"]


@dataclass(frozen=True, kw_only=True)
class PauseClock(Change):
    """Stop the clock of an assigned petition's answer: ``reason`` a
    ``domain.vocabulary.PauseReason``, with an optional ``note``."""

    command: ClassVar[Command] = Command.PAUSE_CLOCK
    reason: str
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class ResumeClock(Change):
    """Start the clock again, on the business day ``on``."""

    command: ClassVar[Command] = Command.RESUME_CLOCK


def decide(
    province: Province, petition: Petition, command: PauseClock | ResumeClock, stamp: Stamp
) -> None:
    """The command on its loaded petition: the aggregate decides."""
    if isinstance(command, PauseClock):
        petition.pause_clock(reason=command.reason, note=command.note, stamp=stamp)
    else:
        working = province.reference(petition.organisation).working_days
        petition.resume_clock(working_days=working, stamp=stamp)
