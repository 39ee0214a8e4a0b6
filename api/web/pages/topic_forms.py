"""The petition page's forms of the topics kept in modules of their own, gathered: each
form's command, its request model and builder, and whether the page offers it (the domain
still decides). ``api.web.pages.petition`` merges these tables once."""

from __future__ import annotations

from typing import Any

from api.repeats import RepeatCreate, link_command
from api.web.pages import clock, coordination
from api.web.pages import commitments as commitment
from domain.vocabulary import Command
from stores.tokens import Principal

REPEAT_COMMANDS = {"repeat": Command.LINK_REPEAT}
REPEAT_ACTIONS: dict[str, tuple[type[Any], Any, tuple[str, ...]]] = {
    "repeat": (
        RepeatCreate,
        lambda pid, body, _, version, __: link_command(pid, body, version),
        ("repeats", "linked_on"),
    ),
}

PAGE_COMMANDS = (
    clock.CLOCK_COMMANDS | commitment.PAGE_COMMANDS | coordination.PAGE_COMMANDS | REPEAT_COMMANDS
)
ACTION_MODELS = (
    clock.CLOCK_ACTIONS | commitment.ACTION_MODELS | coordination.ACTION_MODELS | REPEAT_ACTIONS
)


def offered(action: str, command: Command, principal: Principal, petition: dict[str, Any]) -> bool:
    """Whether the page offers a topic's form (any other form: as the lifecycle says)."""
    return (
        (action not in commitment.PAGE_COMMANDS or commitment.offered(petition))
        and clock.offered(command, petition)
        and (command is not Command.LINK_REPEAT or petition.get("repeat_of") is None)
        and coordination.offered(command, principal, petition)
    )
