"""The petition page's part of lead and coordinating departments: the assign form's
coordinating departments (each with its due date), a coordinating department's
contribution, the committee's waiver of the missing ones, and what a department's inbox
lists of the contributions it owes. ``api.web.pages.petition`` serves the forms with its
own (``ACTION_MODELS``, ``PAGE_COMMANDS``) and asks here which are offered."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from api.coordination import contribution_command, waiver_command
from api.coordination_schemas import ContributionCreate, WaiverCreate
from api.web.pages.common import WRONG_DATE, Page, PageProblem
from domain.actors import Command
from domain.messages import say
from domain.vietnam import written_date
from stores.tokens import Principal
from usecases import coordination
from usecases.access import UseCase

# Rows of coordinating departments the assign form offers.
COORDINATING_ROWS = 3
PAGE_COMMANDS: dict[str, Command] = {
    "contribute": Command.CONTRIBUTE,
    "waive": Command.WAIVE_CONTRIBUTIONS,
}
ACTION_MODELS: dict[str, tuple[type[Any], Any, tuple[str, ...]]] = {
    "contribute": (
        ContributionCreate,
        lambda pid, body, _, version, __: contribution_command(pid, body, version),
        ("text", "document_number", "document_date", "signer", "contributed_on"),
    ),
    "waive": (
        WaiverCreate,
        lambda pid, body, _, version, __: waiver_command(pid, body, version),
        ("reason", "waived_on"),
    ),
}


def outstanding(coordinator: dict[str, Any]) -> bool:
    return coordinator["contribution"] is None and coordinator["waived"] is None


def offered(command: Command, principal: Principal, petition: dict[str, Any]) -> bool:
    """Whether the page offers this user the form of ``command`` on ``petition`` (its
    state as read): a contribution to a coordinating department still owing it, the
    waiver while a contribution is missing; every other form as the lifecycle says."""
    owing = [c for c in petition.get("coordinators", []) if outstanding(c)]
    if command is Command.CONTRIBUTE:
        return any(c["department"] == principal.department for c in owing)
    if command is Command.WAIVE_CONTRIBUTIONS:
        return bool(owing)
    return True


def form_values(action: str, form: FormData) -> dict[str, Any]:
    """What a form holds beyond its single fields: the assign form's coordinating
    departments (a department and a due date a row, blank rows left out), the waiver's
    departments (ticked)."""
    if action == "waive":
        return {"departments": [str(d) for d in form.getlist("departments")]}
    if action != "assign":
        return {}
    rows = zip(
        form.getlist("coordinating_department"), form.getlist("coordinating_due_on"), strict=False
    )
    coordinating = []
    for department, due in rows:
        department, due = str(department).strip(), str(due).strip()
        if not department and not due:
            continue
        found = written_date(due) if due else None
        if not department or found is None:
            raise PageProblem(
                "validation_error",
                say("form.faults", faults=(("coordinating", WRONG_DATE),)),
                fields={"coordinating": WRONG_DATE},
            )
        coordinating.append({"department": department, "due_on": found.isoformat()})
    return {"coordinating": coordinating}


def owed(page: Page) -> list[dict[str, Any]]:
    """The contributions the user's department owes, for its inbox."""
    return page.ask(
        UseCase.INBOX, lambda: coordination.owed(page.service.queries, page.principal.actor)
    )
