"""The admin's pages of reference data ("Danh mục", ``/admin/reference/…``): zones,
communes, cells, departments, each category's default department and the briefing
calendars of an organisation it administers; and the auditor's page of their history
(``/audit/reference``). Each form is one change of ``usecases.reference_admin``: refused
whole with the reason per field, or written with who and when."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.web import labels
from api.web.calendar_labels import CALENDAR_FIELDS, DUE_AFTER_LABELS, PERIOD_LABELS
from api.web.i18n import N_
from api.web.pages.common import (
    NO_SUCH_ACTION,
    NO_SUCH_PAGE,
    Page,
    PageDep,
    PageProblem,
    redirect,
    refusals_as_pages,
)
from api.web.render import language_of
from domain.calendar import ORDINALS_VI, PERIODS, WEEKDAYS_VI, BriefingRule
from domain.cell_calendar import DUE_AFTER
from domain.organisations import Organisation
from domain.reference import District
from usecases import access
from usecases.access import UseCase
from usecases.reference_admin import ACTIONS, KINDS
from usecases.reference_form import Refusal

router = APIRouter(include_in_schema=False)

SECTIONS = {
    "zones": N_("Cụm"),
    "communes": N_("Xã trực thuộc"),
    "cells": N_("Chi bộ"),
    "departments": N_("Đơn vị trả lời"),
    "categories": N_("Lĩnh vực và đơn vị mặc định"),
    "calendars": N_("Lịch giao ban"),
}
# What each field of the forms is called, in the list of what was wrong
FORM_FIELDS = (
    "code",
    "name",
    "zone",
    "commune",
    "effective",
    "retired_on",
    "day",
    "weekday",
    "nth",
    "scheduled",
    "held_on",
    "briefing_rule",
    *CALENDAR_FIELDS,
    "clearance",  # who clears the organisation's written answers (domain.clearance)
)
FIELDS = {
    "": N_("Thay đổi"),
    **{key: labels.FIELDS[key] for key in FORM_FIELDS},
    # a zone's ``rule`` here is its briefing rule (an escalation's rule elsewhere)
    "rule": labels.FIELDS["briefing_rule"],
    # a calendar exception's ``held_on`` is the day its briefing is held instead (a
    # meeting's, the day it was held)
    "held_on": labels.FIELDS["held_instead_on"],
}
# The history's words: what was changed, and how
KIND_LABELS = {
    "zone": N_("Cụm"),
    "commune": N_("Xã"),
    "cell": N_("Chi bộ"),
    "department": N_("Đơn vị"),
    "category": N_("Đơn vị mặc định của lĩnh vực"),
    "calendar": N_("Lịch giao ban"),
    "cell_calendar": N_("Lịch sinh hoạt chi bộ"),
    "setting": N_("Cài đặt"),
}
ACTION_LABELS = {
    "create": N_("Thêm"),
    "rename": N_("Đổi tên"),
    "retire": N_("Thôi hoạt động"),
    "defaults": N_("Đặt đơn vị mặc định"),
    "rule": N_("Đổi cách tính ngày"),
    "exception": N_("Dời hoặc hủy một hội nghị"),
    "remove": N_("Bỏ việc dời, hủy"),
    "cell_rule": N_("Đổi cách tính ngày sinh hoạt chi bộ"),
    "cell_exception": N_("Dời hoặc hủy một buổi sinh hoạt"),
    "cell_remove": N_("Bỏ việc dời, hủy buổi sinh hoạt"),
    "due_after": N_("Đổi cách tính hạn trả lời"),
    "clearance": N_("Đổi cách thẩm định văn bản trả lời"),
}
# A briefing rule's weekday and week, in the words its label uses (``domain.calendar``)
WEEKDAY_OPTIONS = [(str(n), day) for n, day in enumerate(WEEKDAYS_VI)]
WEEK_OPTIONS = [(str(n), word) for n, word in ORDINALS_VI.items()]


def cell_calendars(target: Organisation, ref: District) -> list[dict[str, Any]]:
    """The cells' calendars the page lists: the organisation's, then its communes' and
    cells' own."""
    named = {c.code: c.name for c in ref.communes.values()}
    named |= {c.code: c.name for c in ref.cells.values()}
    kept = ref.cell_meetings
    rows = (
        []
        if kept.organisation is None
        else [{"name": target.name, "calendar": kept.organisation, "inherited": kept.inherited}]
    )
    return rows + [
        {"name": named.get(code, code), "calendar": calendar, "inherited": False}
        for code, calendar in sorted(kept.overrides.items())
    ]


def cell_owners(target: Organisation, ref: District) -> list[tuple[str, str]]:
    """Whose cells' calendar a form changes: the organisation's, a commune's, a cell's."""
    communes = [c for c in ref.communes.values() if c.code != target.code]
    return [(target.code, target.name), *options(communes), *options(ref.cells.values())]


def options(things: Any) -> list[tuple[str, str]]:
    """The (code, name) choices of a form's select."""
    return [(t.code, t.name) for t in things]


def section(
    page: Page, kind: str, organisation: str | None, *, status: int = 200, **context: Any
) -> HTMLResponse:
    """The page of one kind of reference data of the organisation the admin picked."""
    page.admit(UseCase.ADMINISTER_REFERENCE)
    province = page.service.app.province
    admin = page.service.reference_admin
    target = refusals_as_pages(admin.target, page.principal, province, organisation)
    mine = refusals_as_pages(access.administered, page.principal.actor, province)
    context = {"failed": None, "errors": {}, "values": {}, "faults": [], **context}
    return page.render(
        f"reference_{kind}.html",
        status=status,
        kind=kind,
        target=target.organisation,
        ref=target.reference,
        administered=mine,
        sections=SECTIONS,
        field_labels=FIELDS,
        weekdays=WEEKDAY_OPTIONS,
        weeks=WEEK_OPTIONS,
        options=options,
        periods=[(p, PERIOD_LABELS[p]) for p in PERIODS],
        due_after_labels=DUE_AFTER_LABELS,
        due_after_options=[(d, DUE_AFTER_LABELS[d]) for d in DUE_AFTER],
        cell_calendars=cell_calendars(target.organisation, target.reference),
        cell_owners=cell_owners(target.organisation, target.reference),
        today=page.service.app.today(),
        **context,
    )


@router.get("/admin/reference", response_class=HTMLResponse)
def reference_home(page: PageDep, organisation: str | None = None) -> Response:
    return section(page, "index", organisation)


@router.get("/admin/reference/{kind}", response_class=HTMLResponse)
def reference_section(
    kind: str, page: PageDep, organisation: str | None = None, done: str | None = None
) -> Response:
    if kind not in KINDS:
        raise PageProblem("not_found", NO_SUCH_PAGE)
    return section(page, kind, organisation, done=done in ACTIONS[kind])


@router.post("/admin/reference/{kind}/{action}", response_class=HTMLResponse)
async def reference_change(kind: str, action: str, page: PageDep) -> Response:
    if action not in ACTIONS.get(kind, ()):
        raise PageProblem("not_found", NO_SUCH_ACTION)
    form = await page.posted()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    return await run_in_threadpool(change, page, kind, action, values)


def change(page: Page, kind: str, action: str, values: dict[str, str]) -> Response:
    page.admit(UseCase.ADMINISTER_REFERENCE)
    organisation = values.get("organisation") or None
    app = page.service.app
    try:
        refusals_as_pages(
            page.service.reference_admin.apply,
            page.principal,
            organisation,
            kind,
            action,
            values,
            app.today(),
            app.dates,
        )
    except Refusal as refused:
        english = language_of(page.request) == "en"
        return section(
            page,
            kind,
            organisation,
            status=422,
            failed=action,
            errors=refused.by_field(english),
            faults=[(f.field, f.message_en if english else f.message) for f in refused.faults],
            values=values,
        )
    return redirect(f"/admin/reference/{kind}", organisation=organisation, done=action)


@router.get("/audit/reference", response_class=HTMLResponse)
def reference_history(page: PageDep, offset: int = 0) -> Response:
    page.admit(UseCase.REFERENCE_HISTORY)
    province = page.service.app.province
    start = max(0, min(offset, 1_000_000))
    changes = refusals_as_pages(
        lambda: page.service.reference_admin.history(
            page.principal, province, limit=PAGE + 1, offset=start
        )
    )
    return page.render(
        "reference_history.html",
        changes=changes[:PAGE],
        more=len(changes) > PAGE,
        offset=start,
        page_size=PAGE,
        kind_labels=KIND_LABELS,
        action_labels=ACTION_LABELS,
        field_labels=FIELDS,
        rule_label=lambda text: BriefingRule.parse(text).label(),
        due_after_labels=DUE_AFTER_LABELS,
    )


PAGE = 100  # rows of history a page
