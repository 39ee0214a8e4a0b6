"""The refusals of the paused clock (``Petition.pause_clock``, ``resume_clock``), in
English: merged into ``domain.messages.ENGLISH``; their Vietnamese is
``api.clock_messages``."""

from __future__ import annotations

CLOCK_ENGLISH: dict[str, str] = {
    "clock.paused": "the clock was paused on {day}: resume it first",
    "clock.running": "the clock is not paused",
}
