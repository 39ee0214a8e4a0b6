"""The members' duty on pages: the organisation's admin assigns its committee members to
communes and/or cells for a term, changes or ends an assignment, each with its history
(``/admin/duties``); the committee (clerks and auditors read it too) sees who attended no
cell meeting this month, the cells no member visited for some months and each member's
yearly record (``/duty``, printable at ``/duty/record``), and a member's calendar of
expected cell meetings (``/duty/members/{member}``). Each form asks the use case of the
API's route (``usecases.duties``) with the API's own request model; refused, the page is
shown again as typed, the reason beside each field, and nothing is recorded."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.duty_schemas import DutyChangeCreate, DutyCreate, DutyEndCreate
from api.web import duty_labels
from api.web.pages.common import (
    Page,
    PageDep,
    PageProblem,
    redirect,
    refusals_as_pages,
    shown_version,
    text,
    validated,
)
from usecases import access
from usecases.access import UseCase
from usecases.commands import Context, Written
from usecases.duties import DEFAULT_MONTHS, DutyCommandType

router = APIRouter(include_in_schema=False)
# The form each refusal is shown beside: the assignment's, or the new one's.
NEW = "new"


def run(page: Page, command: DutyCommandType) -> Written:
    ctx = Context.of(page.principal, getattr(page.request.state, "request_id", None))
    return refusals_as_pages(lambda: page.service.duties.execute(command, ctx))


def chosen(form: FormData, name: str) -> list[str]:
    """The values ticked or chosen under ``name``, each once, in their order."""
    return list(
        dict.fromkeys(v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip())
    )


def on_the_form(fields: dict[str, str]) -> dict[str, str]:
    """A refusal's fields as the form names them: the command's day is the form's ``on``."""
    found = dict(fields)
    if "business_date" in found:
        found.setdefault("on", found.pop("business_date"))
    return found


# ---- the admin's page ------------------------------------------------------------------------


@router.get("/admin/duties", response_class=HTMLResponse)
def duties(page: PageDep, done: str | None = None, min_position: int | None = None) -> Response:
    return shown_duties(page, done=done, min_position=min_position)


def shown_duties(
    page: Page,
    *,
    section: str | None = None,
    form: dict[str, Any] | None = None,
    errors: dict[str, Any] | None = None,
    detail: Any = None,
    status: int = 200,
    done: str | None = None,
    min_position: int | None = None,
) -> Response:
    """The assignments with their history and forms; ``section``'s form (``NEW`` or an
    assignment's id and its action) shown again as ``form`` was typed, with ``errors``."""
    actor = page.principal.actor
    listed = page.ask(
        UseCase.READ_DUTIES,
        lambda: page.service.duties.assignments(actor, min_position=min_position),
    )
    items = [
        page.ask(UseCase.READ_DUTIES, partial(page.service.duties.assignment, actor, item_id))
        for item_id in (i["assignment_id"] for i in listed["items"])
    ]
    return page.render(
        "duties_admin.html",
        status=status,
        items=items,
        section=section,
        form=form or {},
        errors=errors or {},
        detail=detail,
        assigns=page.principal.role in access.roles(UseCase.ASSIGN_DUTY),
        duty_labels=duty_labels,
        today=page.service.app.today(),
        done=done,
    )


def duty_form(
    page: Page,
    form: FormData,
    section: str,
    use_case: UseCase,
    build: Callable[[], tuple[DutyCommandType, str]],
    typed: dict[str, Any],
) -> Response:
    """One of the admin page's forms: its command built from what was typed and run;
    refused, the page again with the form as typed and the reasons beside its fields."""
    page.admit(use_case)
    try:
        command, done = build()
        result = run(page, command)
    except PageProblem as refused:
        return shown_duties(
            page,
            section=section,
            form=typed,
            errors=on_the_form(refused.fields),
            detail=refused.detail,
            status=refused.status,
        )
    return redirect("/admin/duties", done=done, min_position=result.position)


@router.post("/admin/duties", response_class=HTMLResponse)
async def assign(page: PageDep) -> Response:
    return await run_in_threadpool(assign_member, page, await page.posted())


def assign_member(page: Page, form: FormData) -> Response:
    typed: dict[str, Any] = {
        k: text(form, k) for k in ("member", "name", "start_on", "end_on", "on")
    }
    typed |= {"communes": chosen(form, "communes"), "cells": chosen(form, "cells")}

    def build() -> tuple[DutyCommandType, str]:
        body = validated(DutyCreate, **typed)
        return body.command(), "duty_assigned"

    return duty_form(page, form, NEW, UseCase.ASSIGN_DUTY, build, typed)


@router.post("/admin/duties/{assignment_id}/change", response_class=HTMLResponse)
async def change(page: PageDep, assignment_id: UUID) -> Response:
    return await run_in_threadpool(change_duty, page, assignment_id, await page.posted())


def change_duty(page: Page, assignment_id: UUID, form: FormData) -> Response:
    typed: dict[str, Any] = {k: text(form, k) for k in ("effective_on", "end_on", "reason", "on")}
    typed |= {"communes": chosen(form, "communes"), "cells": chosen(form, "cells")}

    def build() -> tuple[DutyCommandType, str]:
        version = shown_version(text(form, "version"))
        body = validated(DutyChangeCreate, **typed)
        return body.command(assignment_id, version), "duty_changed"

    return duty_form(page, form, f"{assignment_id}:change", UseCase.CHANGE_DUTY, build, typed)


@router.post("/admin/duties/{assignment_id}/end", response_class=HTMLResponse)
async def end(page: PageDep, assignment_id: UUID) -> Response:
    return await run_in_threadpool(end_duty, page, assignment_id, await page.posted())


def end_duty(page: Page, assignment_id: UUID, form: FormData) -> Response:
    typed = {k: text(form, k) for k in ("ended_on", "reason", "on")}

    def build() -> tuple[DutyCommandType, str]:
        version = shown_version(text(form, "version"))
        body = validated(DutyEndCreate, **typed)
        return body.command(assignment_id, version), "duty_ended"

    return duty_form(page, form, f"{assignment_id}:end", UseCase.END_DUTY, build, typed)


# ---- the committee's page ------------------------------------------------------------------


@router.get("/duty", response_class=HTMLResponse)
def duty(
    page: PageDep,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    month: Annotated[int | None, Query(ge=1, le=12)] = None,
    months: Annotated[int, Query(ge=1, le=60)] = DEFAULT_MONTHS,
    organisation: str | None = None,
    min_position: int | None = None,
) -> Response:
    """This month's members attending no cell meeting, the cells not visited for
    ``months`` months, and each member's record of the year."""
    today = page.service.app.today()
    year, month = year or today.year, month or today.month
    actor, duties = page.principal.actor, page.service.duties
    asked: dict[str, Any] = {"organisation": organisation or None, "min_position": min_position}
    absent = page.ask(
        UseCase.DUTY_REPORTS, lambda: duties.not_attending(actor, year=year, month=month, **asked)
    )
    unvisited = page.ask(
        UseCase.DUTY_REPORTS, lambda: duties.unvisited(actor, months=months, **asked)
    )
    records = page.ask(UseCase.DUTY_REPORTS, lambda: duties.records(actor, year=year, **asked))
    return page.render(
        "duty.html",
        year=year,
        month=month,
        months=months,
        absent=absent["items"],
        unvisited=unvisited,
        records=records["items"],
        chosen_organisation=organisation or None,
    )


@router.get("/duty/record", response_class=HTMLResponse)
def record(
    page: PageDep,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    organisation: str | None = None,
    min_position: int | None = None,
) -> Response:
    """The members' yearly record as a printable page."""
    year = year or page.service.app.today().year
    found = page.ask(
        UseCase.DUTY_REPORTS,
        lambda: page.service.duties.records(
            page.principal.actor,
            year=year,
            organisation=organisation or None,
            min_position=min_position,
        ),
    )
    return page.render(
        "duty_record.html", year=year, records=found["items"], chosen_organisation=organisation
    )


@router.get("/duty/members/{member}", response_class=HTMLResponse)
def member_calendar(
    page: PageDep,
    member: str,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    month: Annotated[int | None, Query(ge=1, le=12)] = None,
    min_position: int | None = None,
) -> Response:
    """A member's calendar of expected cell meetings in the year (or a month of it)."""
    year = year or page.service.app.today().year
    found = page.ask(
        UseCase.DUTY_REPORTS,
        lambda: page.service.duties.calendar(
            page.principal.actor, member, year=year, month=month, min_position=min_position
        ),
    )
    return page.render("duty_calendar.html", calendar=found, year=year, month=month)
