"""Scheduling from the calendar on the pages: the form on **Hội nghị** (``/meetings``)
sends a period (and which meetings, and the members expected at the cells' meetings) to
``/meetings/from-calendar``, which asks the API's use case (``usecases.meeting_calendar``)
with the API's request model, and shows what was scheduled and what already was; refused,
the form again with what was wrong beside its fields, and nothing scheduled."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.meeting_calendar import CalendarScheduleCreate
from api.web.pages.common import Page, PageDep, PageProblem, refusals_as_pages, text, validated
from api.web.pages.meetings import lines, on_the_form
from usecases.access import UseCase
from usecases.commands import Context
from usecases.meeting_calendar import KINDS, MeetingCalendar, ScheduleFromCalendar

router = APIRouter(include_in_schema=False)
FIELDS = ("from", "to", "members", "on")


def next_month(today: date) -> tuple[date, date]:
    """The month after ``today``'s: the period the form offers."""
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def shown(
    page: Page,
    form: dict[str, Any],
    errors: dict[str, str],
    *,
    status: int = 200,
    detail: Any = None,
    result: dict[str, Any] | None = None,
) -> HTMLResponse:
    start, end = next_month(page.service.app.today())
    defaults = {"from": start.isoformat(), "to": end.isoformat(), "kinds": [str(k) for k in KINDS]}
    return page.render(
        "meeting_calendar.html",
        status=status,
        calendar_form=defaults | form,
        calendar_errors=errors,
        detail=detail,
        result=result,
        today=page.service.app.today(),
    )


@router.get("/meetings/from-calendar", response_class=HTMLResponse)
def calendar_form(page: PageDep) -> Response:
    page.admit(UseCase.SCHEDULE_MEETING)
    return shown(page, {}, {})


@router.post("/meetings/from-calendar", response_class=HTMLResponse)
async def from_calendar(page: PageDep) -> Response:
    return await run_in_threadpool(schedule, page, await page.posted())


def schedule(page: Page, form: FormData) -> Response:
    page.admit(UseCase.SCHEDULE_MEETING)
    typed: dict[str, Any] = {k: text(form, k) for k in FIELDS}
    typed["kinds"] = [str(k) for k in form.getlist("kinds")]
    try:
        body = validated(
            CalendarScheduleCreate,
            **{"from": typed["from"], "to": typed["to"], "on": typed["on"]},
            kinds=typed["kinds"] or [""],  # none ticked: refused, not both
            members=lines(typed["members"]),
        )
        command = ScheduleFromCalendar(
            start=body.start,
            end=body.end,
            kinds=tuple(body.kinds),
            members=tuple(body.members),
            on=body.on,
        )
        ctx = Context.of(page.principal, getattr(page.request.state, "request_id", None))
        result = refusals_as_pages(MeetingCalendar(page.service.meetings).schedule, command, ctx)
    except PageProblem as refused:
        errors = on_the_form(refused.fields, "on")
        return shown(page, typed, errors, status=refused.status, detail=refused.detail)
    return shown(page, {}, {}, result=result)
