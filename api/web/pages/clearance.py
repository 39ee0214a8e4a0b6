"""The clearance of written answers on pages (``domain.clearance``): the clearer's list of
what waits (``/clearance``: a clerk sees the office's, the committee its own, an auditor
all), and one held answer with the form that accepts it or returns it to the department
(``/clearance/{id}``). The form asks the API route's use case with its request model;
refused, the page is shown again as typed, the reason beside each field, nothing recorded."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.clearance import ClearanceCreate, clearance_command
from api.web import clearance_labels
from api.web.pages.answer_quality import answer_scores
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
from domain.vocabulary import ClearanceDecision
from usecases import access, clearance, record_access
from usecases.access import UseCase

router = APIRouter(include_in_schema=False)
FIELDS = ("decision", "reason", "note", "on")


@router.get("/clearance", response_class=HTMLResponse)
def waiting(page: PageDep, done: str | None = None, min_position: int | None = None) -> Response:
    service, actor = page.service, page.principal.actor
    items = page.ask(
        UseCase.CLEARANCE_LIST,
        lambda: clearance.waiting(service.queries, service.app.province, actor, min_position),
    )
    return page.render(
        "clearance.html",
        items=items,
        done=done,
        today=service.app.today(),
        clearances=clearance_labels.CLEARANCES,
    )


@router.get("/clearance/{petition_id}", response_class=HTMLResponse)
def held(petition_id: UUID, page: PageDep) -> Response:
    return shown(page, petition_id)


def shown(
    page: Page,
    petition_id: UUID,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, Any] | None = None,
    detail: Any = None,
    status: int = 200,
) -> HTMLResponse:
    """The held answer with the clearer's form (only to the clearer its hold names)."""
    service, actor = page.service, page.principal.actor
    petition = page.ask(UseCase.READ_PETITION, lambda: service.queries.petition(actor, petition_id))
    return page.render(
        "clearance_form.html",
        status=status,
        petition=petition,
        clears=petition["held_by"] is not None
        and access.may(actor, UseCase.CLEAR)
        and record_access.clears(actor, petition["held_by"]),
        values=values or {},
        errors=errors or {},
        detail=detail,
        today=service.app.today(),
        clearances=clearance_labels.CLEARANCES,
        reasons=clearance_labels.RETURN_REASONS,
        decisions=clearance_labels.DECISIONS,
        # the held answer's advisory score: the clearer reads it beside the answer
        **answer_scores(service, actor, petition_id),
    )


@router.post("/clearance/{petition_id}", response_class=HTMLResponse)
async def decide(petition_id: UUID, page: PageDep) -> Response:
    form = await page.posted()
    return await run_in_threadpool(act, page, petition_id, form)


def act(page: Page, petition_id: UUID, form: FormData) -> Response:
    values: dict[str, Any] = {f: text(form, f) for f in FIELDS}
    if values["decision"] == ClearanceDecision.ACCEPT:
        values["reason"] = values["note"] = ""  # what a return asks, left as typed
    try:
        page.admit(UseCase.CLEAR)
        body = validated(ClearanceCreate, **values)
        version = shown_version(text(form, "version")) if text(form, "version") else None
        command = refusals_as_pages(lambda: clearance_command(petition_id, body, version))
        page.execute(command)
    except PageProblem as refused:
        if refused.code in ("petition_not_found", "forbidden", "not_found"):
            raise
        return shown(
            page,
            petition_id,
            values=values,
            errors=refused.fields,
            detail=refused.detail,
            status=refused.status,
        )
    done = "cleared" if values["decision"] == ClearanceDecision.ACCEPT else "returned"
    return redirect("/clearance", done=done)
