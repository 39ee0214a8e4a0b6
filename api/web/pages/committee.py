"""The committee's pages of work: its queue (what waits for it: new petitions, those
given back with the department's reason, the escalated ones) and the assignment of a
briefing's petitions in one go, all or nothing, each defaulting to its category's usual
department."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.problems import PROBLEMS
from api.web import labels
from api.web.pages.clerk import briefing_choice
from api.web.pages.common import (
    Page,
    PageDep,
    PageProblem,
    day,
    page_problem,
    redirect,
    refusals_as_pages,
    shown_version,
    text,
)
from domain.actors import Command
from domain.errors import DomainError
from domain.reference import District
from domain.vocabulary import Status
from projections.petition_list import PetitionFilter
from usecases import access
from usecases.access import UseCase
from usecases.bulk import Refusals, assign_all
from usecases.commands import Assign, Context
from usecases.errors import Refused
from usecases.queue import SECTIONS, queue

router = APIRouter(include_in_schema=False)


@router.get("/queue", response_class=HTMLResponse)
def queue_page(page: PageDep, min_position: int | None = None) -> Response:
    found = page.ask(
        UseCase.QUEUE,
        lambda: queue(page.service.queries, page.principal.actor, min_position=min_position),
    )
    return page.render("queue.html", sections=found["sections"], order=SECTIONS, full=found["full"])


# ---- a briefing's petitions, assigned together ------------------------------------------


def assigning_reference(page: Page) -> District:
    """The reference data whose departments the user assigns to: its organisation's (the
    province's committee assigns what is referred to it to the province's departments)."""
    own = page.renderer.organisation_of(page.principal)
    return page.service.app.province.reference(own.code)


def awaiting_assignment(
    page: Page, zone: str, briefing: date, min_position: int | None
) -> list[dict[str, Any]]:
    """The zone's petitions raised on ``briefing`` that await assignment and that the user
    may assign (the lifecycle's and the access rules' say), oldest first, each with the
    department its category usually goes to (None: none is named)."""
    actor, province = page.principal.actor, page.service.app.province
    found = page.ask(
        UseCase.LIST_PETITIONS,
        lambda: page.service.queries.petitions(
            actor,
            PetitionFilter(
                status=str(Status.RAISED), zone=zone, raised_from=briefing, raised_to=briefing
            ),
            min_position=min_position,
            limit=200,
        ),
    )
    reference = assigning_reference(page)
    rows = []
    for row in reversed(found["items"]):
        if not access.acts(actor, row["referred_to"] is not None, Command.ASSIGN, province):
            continue
        category = reference.categories.get(row["category"])
        usual = category.department if category else None
        department = reference.departments.get(usual or "")
        open_one = department is not None and department.retired_on is None
        rows.append({**row, "usual": usual if open_one else None})
    return rows


def assignment_context(
    page: Page, zone: str, briefing: date, min_position: int | None = None
) -> dict[str, Any]:
    return {
        "zone": zone,
        "briefing": briefing,
        "rows": awaiting_assignment(page, zone, briefing, min_position),
        "assigning": assigning_reference(page),
    }


@router.get("/assignments", response_class=HTMLResponse)
def assignment_form(
    page: PageDep,
    zone: str | None = None,
    briefing: str | None = None,
    min_position: int | None = None,
    done: str | None = None,
) -> Response:
    page.admit(UseCase.ASSIGN)
    zone, chosen = briefing_choice(page, zone, briefing)
    return page.render(
        "assignments.html",
        **assignment_context(page, zone, chosen, min_position),
        done=done,
        faults={},
        failed=None,
        sent=None,
    )


@router.post("/assignments", response_class=HTMLResponse)
async def assignment_record(page: PageDep) -> Response:
    return await run_in_threadpool(record_assignments, page, await page.posted())


def reason_of(refused: DomainError | Refused) -> str:
    """A refusal of one row, in the words the page shows."""
    return page_problem(refused).detail if isinstance(refused, DomainError) else refused.detail


@dataclass(frozen=True)
class Sent:
    """What the form sent: the rows ticked, each row's department, the one due date."""

    ticked: frozenset[str]
    departments: dict[str, str]
    due_on: str


def record_assignments(page: Page, form: FormData) -> Response:
    """Every ticked row is assigned to the department its picker names, with the one
    due date given (none: each zone's briefing calendar decides), or none is: a row
    without a department, or one the domain refuses, leaves every petition as it was,
    and the page says why, row by row."""
    page.admit(UseCase.ASSIGN)
    zone, chosen = briefing_choice(page, text(form, "zone"), text(form, "briefing"))
    ticked = list(dict.fromkeys(str(p) for p in form.getlist("petition")))
    sent = Sent(
        frozenset(ticked),
        {p: text(form, f"department-{p}") for p in ticked},
        text(form, "due_on"),
    )

    def refused(status: int, faults: dict[str, str], failed: str) -> Response:
        return page.render(
            "assignments.html",
            status=status,
            **assignment_context(page, zone, chosen),
            done=None,
            faults=faults,
            failed=failed,
            sent=sent,
        )

    try:
        due_on = day(sent.due_on, "due_on")
    except PageProblem as wrong:
        return refused(wrong.status, {}, labels.DUE_DATE_WRONG)
    if not ticked:
        return refused(422, {}, labels.NONE_TICKED)
    faults: dict[str, str] = {}
    commands = []
    for key in ticked:
        try:
            if not sent.departments[key]:
                raise PageProblem("validation_error", labels.DEPARTMENT_NEEDED)
            commands.append(
                Assign(
                    petition_id=UUID(key),
                    department=sent.departments[key],
                    due_on=due_on,
                    expected_version=shown_version(text(form, f"version-{key}")),
                )
            )
        except ValueError:
            faults[key] = labels.INVALID
        except PageProblem as wrong:
            faults[key] = wrong.detail
    if faults:
        return refused(422, faults, labels.NOTHING_ASSIGNED)
    ctx = Context.of(page.principal, getattr(page.request.state, "request_id", None))
    try:
        written = refusals_as_pages(assign_all, page.service.app, commands, ctx)
    except Refusals as some:
        faults = {str(pid): reason_of(why) for pid, why in some.faults.items()}
        codes = {why.code for why in some.faults.values()}
        status = PROBLEMS[codes.pop()][0] if len(codes) == 1 else 422
        return refused(status, faults, labels.NOTHING_ASSIGNED)
    except PageProblem as wrong:  # the save lost a race: nothing was recorded
        return refused(wrong.status, {}, wrong.detail)
    return redirect(
        "/assignments",
        zone=zone,
        briefing=chosen.isoformat(),
        min_position=max(w.position or 0 for w in written) or None,
        done="assigned",
    )
