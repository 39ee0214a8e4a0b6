"""The petition page's forms of the answer's clock: the committee pauses it (a reason of
``PauseReason`` and a note) and resumes it, through the API's commands
(``api.clock``); merged into ``api.web.pages.petition``'s tables."""

from __future__ import annotations

from typing import Any

from api.clock import ClockPauseCreate, ClockResumeCreate, pause_command, resume_command
from domain.vocabulary import Command

CLOCK_COMMANDS: dict[str, Command] = {
    "pause": Command.PAUSE_CLOCK,
    "resume": Command.RESUME_CLOCK,
}
CLOCK_ACTIONS: dict[str, tuple[type[Any], Any, tuple[str, ...]]] = {
    "pause": (
        ClockPauseCreate,
        lambda pid, body, _, version, __: pause_command(pid, body, version),
        ("reason", "note"),
    ),
    "resume": (
        ClockResumeCreate,
        lambda pid, body, _, version, __: resume_command(pid, body, version),
        (),
    ),
}


def offered(command: Command, petition: dict[str, Any]) -> bool:
    """Whether the page offers the clock's form: pausing a running clock, resuming a
    paused one (the domain still decides); any other form, as the lifecycle says."""
    paused = petition.get("clock_paused") is not None
    if command is Command.PAUSE_CLOCK:
        return not paused
    return command is not Command.RESUME_CLOCK or paused
