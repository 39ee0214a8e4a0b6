"""The meetings' reports on one page (``/reports/meetings``): the committee members and
department leaders at the briefings, the notices sent late, the departments' information
for the agendas (with a button to say that a missing one came, for the clerk or the
committee on the department's behalf) and the minutes' completeness, each its scorecard and
its board, with their exports. Each asks the use case of its API route."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.meeting_report_schemas import InformationCreate
from api.web.pages.common import (
    Page,
    PageDep,
    PageProblem,
    day,
    redirect,
    refusals_as_pages,
    text,
    validated,
)
from domain.messages import say
from usecases.access import ROLES, UseCase
from usecases.commands import Context
from usecases.meeting_information import ReceiveInformation
from usecases.meeting_reports import REPORTS

router = APIRouter(include_in_schema=False)


@router.get("/reports/meetings", response_class=HTMLResponse)
def meeting_reports(
    page: PageDep,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    organisation: str | None = None,
    min_position: int | None = None,
    done: str | None = None,
) -> Response:
    """The four reports of the meetings of a period (by default this year's)."""
    today = page.service.app.today()
    first = day(start, "from", page.translated) or date(today.year, 1, 1)
    last = day(end, "to", page.translated) or date(today.year, 12, 31)
    reports = page.service.meeting_reports

    def asked(name: Any) -> dict[str, Any]:
        return reports.report(
            page.principal.actor,
            name,
            organisation=organisation or None,
            start=first,
            end=last,
            min_position=min_position,
        )

    found = page.ask(UseCase.MEETING_REPORTS, lambda: {name: asked(name) for name in REPORTS})
    return page.render(
        "meeting_reports.html",
        reports=found,
        starts=first.isoformat(),
        ends=last.isoformat(),
        chosen_organisation=organisation or None,
        done=done,
        may_receive=page.principal.role in ROLES[UseCase.RECEIVE_INFORMATION],
    )


def meeting_named(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise PageProblem(
            "validation_error", say("meeting.unknown", field="meeting", meeting_id=value)
        ) from None


@router.post("/reports/meetings/information", response_class=HTMLResponse)
async def information_received(page: PageDep) -> Response:
    return await run_in_threadpool(receive, page, await page.posted())


def receive(page: Page, form: FormData) -> Response:
    """A department's information said to have come (today, or on the day typed), from the
    board's button: back to the reports, or the reason it was refused."""
    page.admit(UseCase.RECEIVE_INFORMATION)
    body = validated(
        InformationCreate, department=text(form, "department"), on=text(form, "on") or None
    )
    command = ReceiveInformation(
        meeting_id=meeting_named(text(form, "meeting_id")),
        on=body.on,
        department=body.department,
    )
    ctx = Context.of(page.principal, getattr(page.request.state, "request_id", None))
    result = refusals_as_pages(lambda: page.service.meetings.execute(command, ctx))
    return redirect(
        "/reports/meetings",
        done="information_received",
        min_position=result.position,
        **{"from": text(form, "from"), "to": text(form, "to")},
    )
