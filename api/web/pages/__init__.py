"""The web pages. Each page asks the same use case as its HTTP route (``usecases``), after
the same role check (the use cases' rules, ``usecases.access``), so the pages can neither
see nor do more than the API; refusals come back as pages that say what was wrong, with
the status the API would have answered."""

from __future__ import annotations

from fastapi import APIRouter

from api.web.pages import (
    account,
    admin,
    cell,
    clearance,
    clerk,
    committee,
    drafts,
    duties,
    files,
    filters,
    meeting_calendar,
    meeting_changes,
    meeting_reports,
    meetings,
    overview,
    petition,
    reference,
    reports,
    signin,
    tokens,
)
from api.web.pages.common import PageProblem, SignInNeeded

router = APIRouter(include_in_schema=False)
for part in (
    signin,
    clerk,
    overview,
    petition,
    tokens,
    files,
    reports,
    reference,
    filters,
    account,
    admin,
    committee,
    meeting_calendar,  # before meetings: /meetings/from-calendar is no meeting's id
    meetings,
    meeting_changes,
    meeting_reports,
    duties,
    clearance,
    cell,
):
    router.include_router(part.router)

__all__ = ["PageProblem", "SignInNeeded", "drafts", "router"]
