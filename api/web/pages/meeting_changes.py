"""A meeting's change of plan from its page, while it is scheduled: moved to another date,
or cancelled (the tick confirming it), each saying why. Each form asks the use case of the
API's route (``usecases.meetings``: ``MoveMeeting``, ``CancelMeeting``) with the API's own
request model (``MoveCreate``, ``CancelCreate``); a refusal shows the page again with the
form as typed and what was wrong beside its fields, and records nothing."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.meeting_schemas import CancelCreate, MoveCreate
from api.web import labels
from api.web.pages.common import Page, PageDep, PageProblem, text, validated
from api.web.pages.meetings import meeting_form
from usecases.access import UseCase
from usecases.meetings import CancelMeeting, MeetingCommandType, MoveMeeting

router = APIRouter(include_in_schema=False)

# The cancel form's tick: a cancellation cannot be undone.
CONFIRMED = "yes"


@router.post("/meetings/{meeting_id}/move", response_class=HTMLResponse)
async def move(page: PageDep, meeting_id: UUID) -> Response:
    return await run_in_threadpool(move_meeting, page, meeting_id, await page.posted())


def move_meeting(page: Page, meeting_id: UUID, form: FormData) -> Response:
    typed = {"scheduled_on": text(form, "scheduled_on"), "reason": text(form, "reason")}

    def build(version: int | None) -> tuple[MeetingCommandType, str]:
        body = validated(MoveCreate, scheduled_on=typed["scheduled_on"], reason=typed["reason"])
        return MoveMeeting(
            meeting_id=meeting_id,
            expected_version=version,
            on=body.on,
            scheduled_on=body.scheduled_on,
            reason=body.reason,
        ), "meeting_moved"

    return meeting_form(page, meeting_id, form, "move", UseCase.MOVE_MEETING, build, typed)


@router.post("/meetings/{meeting_id}/cancel", response_class=HTMLResponse)
async def cancel(page: PageDep, meeting_id: UUID) -> Response:
    return await run_in_threadpool(cancel_meeting, page, meeting_id, await page.posted())


def cancel_meeting(page: Page, meeting_id: UUID, form: FormData) -> Response:
    typed = {"reason": text(form, "reason"), "confirm": text(form, "confirm")}

    def build(version: int | None) -> tuple[MeetingCommandType, str]:
        unconfirmed = {} if typed["confirm"] == CONFIRMED else {"confirm": labels.CONFIRM_NEEDED}
        try:
            body = validated(CancelCreate, reason=typed["reason"])
        except PageProblem as refused:  # said with the tick left, if it was
            refused.fields.update(unconfirmed)
            raise
        if unconfirmed:
            raise PageProblem("validation_error", labels.CONFIRM_NEEDED, fields=unconfirmed)
        return CancelMeeting(
            meeting_id=meeting_id, expected_version=version, on=body.on, reason=body.reason
        ), "meeting_cancelled"

    return meeting_form(page, meeting_id, form, "cancel", UseCase.CANCEL_MEETING, build, typed)
