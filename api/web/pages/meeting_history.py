"""What a meeting's page shows of its changes of plan: each move (from which date to which,
why, decided on which day, by whom) and its cancellation, read from the meeting's events
as its history's use case gives them (``usecases.meetings.Meetings.history``), the same
reader's rights as its page's."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.web.pages.common import Page
from domain.meeting import Meeting
from usecases.access import UseCase


def changes_of(page: Page, meeting_id: UUID) -> dict[str, Any]:
    """The meeting's moves, oldest first, and its cancellation (None if not cancelled)."""
    events = page.ask(
        UseCase.READ_MEETINGS,
        lambda: page.service.meetings.history(page.principal.actor, meeting_id),
    )
    moves, cancelled = [], None
    for event in events:
        said = {
            **event["payload"],
            "decided_on": event["business_date"],
            "by": event["actor"].get("name") or "",
        }
        if event["type"] == Meeting.Moved.__name__:
            moves.append(said)
        elif event["type"] == Meeting.Cancelled.__name__:
            cancelled = said
    return {"moves": moves, "cancelled": cancelled}
