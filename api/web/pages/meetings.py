"""The meetings' pages, for an organisation's clerks and committee (auditors read them):
its meetings and a form to schedule one, each meeting's page in the order a meeting runs
(notice, agenda, held with attendance, petitions raised and answers verified at it, minutes,
close), and the attendance report. Each form asks the use case of the API's route
(``usecases.meetings``) with the API's own request model; a refusal shows the form again
with what was wrong beside its fields, and records nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.meeting_schemas import (
    AgendaCreate,
    CloseCreate,
    HeldCreate,
    MeetingCreate,
    MinutesCreate,
    NoticeCreate,
)
from api.web.pages.attendance_form import RowsRefused, attendance_entries, typed_attendance
from api.web.pages.common import (
    Page,
    PageDep,
    PageProblem,
    day,
    redirect,
    refusals_as_pages,
    shown_version,
    text,
    validated,
)
from api.web.pages.meeting_history import changes_of
from api.web.pages.petition import as_of_moment
from domain.reference import District
from domain.vocabulary import AttendeeRole, MeetingKind, MeetingStatus
from usecases import access
from usecases.access import UseCase
from usecases.commands import Context, Written
from usecases.meetings import (
    CloseMeeting,
    HoldMeeting,
    IssueAgenda,
    MeetingCommandType,
    RecordMinutes,
    ScheduleMeeting,
    SendNotice,
)

router = APIRouter(include_in_schema=False)

# Rows for the committee members and department leaders of a briefing, typed by name.
OTHER_ROWS = 3


def run(page: Page, command: MeetingCommandType) -> Written:
    """A meeting's command for the signed-in user (refusals as pages)."""
    ctx = Context.of(page.principal, getattr(page.request.state, "request_id", None))
    return refusals_as_pages(lambda: page.service.meetings.execute(command, ctx))


def lines(value: str) -> list[str]:
    """Names typed one a line (or separated by semicolons), each once, in their order."""
    found: list[str] = []
    for line in value.replace(";", "\n").splitlines():
        if line.strip() and line.strip() not in found:
            found.append(line.strip())
    return found


def records(page: Page) -> bool:
    """Whether the user records meetings (else the pages only read them): a recording
    role, of an organisation (the province reads the organisations' meetings)."""
    province = page.service.app.province
    own = page.renderer.organisation_of(page.principal)
    return (
        page.principal.role in access.roles(UseCase.SCHEDULE_MEETING) and own.code != province.code
    )


# ---- the organisation's meetings ------------------------------------------------------------


@router.get("/meetings", response_class=HTMLResponse)
def meetings(page: PageDep, done: str | None = None, min_position: int | None = None) -> Response:
    return shown_meetings(page, {}, {}, done=done, min_position=min_position)


def shown_meetings(
    page: Page,
    form: dict[str, Any],
    errors: dict[str, str],
    *,
    status: int = 200,
    done: str | None = None,
    min_position: int | None = None,
    detail: Any = None,
) -> Response:
    found = page.ask(
        UseCase.READ_MEETINGS,
        lambda: page.service.meetings.meetings(
            page.principal.actor, limit=200, min_position=min_position
        ),
    )
    return page.render(
        "meetings.html",
        status=status,
        meetings=found["items"],
        form=form,
        errors=errors,
        detail=detail,
        records=records(page),
        today=page.service.app.today(),
        done=done,
    )


@router.post("/meetings", response_class=HTMLResponse)
async def schedule(page: PageDep) -> Response:
    return await run_in_threadpool(schedule_meeting, page, await page.posted())


def schedule_meeting(page: Page, form: FormData) -> Response:
    page.admit(UseCase.SCHEDULE_MEETING)
    typed = {k: text(form, k) for k in ("kind", "zone", "cell", "members", "scheduled_on", "on")}
    try:
        body = validated(
            MeetingCreate,
            kind=typed["kind"],
            zone=typed["zone"],
            cell=typed["cell"],
            members=lines(typed["members"]),
            scheduled_on=typed["scheduled_on"],
            on=typed["on"],
        )
        command = ScheduleMeeting(
            kind=body.kind,
            zone=body.zone,
            cell=body.cell,
            members=tuple(body.members),
            scheduled_on=body.scheduled_on,
            on=body.on,
        )
        result = run(page, command)
    except PageProblem as refused:
        errors = on_the_form(refused.fields, "on")
        return shown_meetings(page, typed, errors, status=refused.status, detail=refused.detail)
    return redirect(
        f"/meetings/{result.id}", done="meeting_scheduled", min_position=result.position
    )


# ---- one meeting ----------------------------------------------------------------------------


def expected(reference: District, meeting: dict[str, Any]) -> list[dict[str, Any]]:
    """Who is expected at the meeting, as its attendance form lists them: the secretary
    of each cell of its zone (of the organisation, for its own briefing; its cell's, for a
    cell meeting) and a cell meeting's committee members; then rows to name others by."""
    on = meeting["scheduled_on"]
    if meeting["kind"] == MeetingKind.CELL_MEETING:
        cells = [meeting["cell"]]
    else:
        cells = [
            code
            for code, cell in reference.cells.items()
            if (cell.retired_on is None or cell.retired_on > on)
            and (meeting["zone"] is None or reference.zone_of_cell(code).code == meeting["zone"])
        ]
    rows: list[dict[str, Any]] = [
        {"role": AttendeeRole.SECRETARY.value, "cell": code, "fixed": True} for code in cells
    ]
    rows += [
        {"role": AttendeeRole.COMMITTEE_MEMBER.value, "person": name, "fixed": True}
        for name in meeting["members"]
    ]
    rows += [{"role": "", "person": "", "fixed": False} for _ in range(OTHER_ROWS)]
    return rows


ROLES_TYPED = (AttendeeRole.COMMITTEE_MEMBER.value, AttendeeRole.DEPARTMENT_LEADER.value)


def petitions_named(page: Page, ids: list[Any]) -> dict[str, dict[str, Any]]:
    """The petitions a meeting names, as the user may read them, by id."""

    def read(pid: Any) -> dict[str, Any]:
        return page.service.queries.petition(page.principal.actor, UUID(str(pid)))

    return {str(pid): page.ask(UseCase.READ_PETITION, partial(read, pid)) for pid in ids}


@router.get("/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(
    page: PageDep, meeting_id: UUID, done: str | None = None, min_position: int | None = None
) -> Response:
    return shown_meeting(page, meeting_id, done=done, min_position=min_position)


def shown_meeting(
    page: Page,
    meeting_id: UUID,
    *,
    status: int = 200,
    section: str | None = None,
    form: dict[str, Any] | None = None,
    errors: dict[Any, Any] | None = None,
    detail: Any = None,
    done: str | None = None,
    min_position: int | None = None,
) -> Response:
    """The meeting's page; ``section``'s form shown again as ``form`` was typed, with its
    ``errors`` beside the fields, when it was refused."""
    meeting = page.ask(
        UseCase.READ_MEETINGS,
        lambda: page.service.meetings.meeting(
            page.principal.actor, meeting_id, min_position=min_position
        ),
    )
    reference = page.service.app.province.reference(meeting["organisation"])
    minutes = meeting["minutes"] or {}
    named = petitions_named(
        page,
        list(
            dict.fromkeys(
                [
                    *(meeting["agenda"] or []),
                    *(p["petition_id"] for p in meeting["linked_petitions"]),
                    *(v["petition_id"] for v in meeting["linked_verdicts"]),
                    *minutes.get("petitions_raised", []),
                    *minutes.get("answers_read", []),
                ]
            )
        ),
    )
    held = meeting["status"] in (MeetingStatus.HELD, MeetingStatus.MINUTED)
    zone = meeting["zone"]
    if zone is None and meeting["cell"] is not None:
        zone = reference.zone_of_cell(meeting["cell"]).code
    return page.render(
        "meeting.html",
        status=status,
        meeting=meeting,
        changes=changes_of(page, meeting_id),
        named=named,
        expected=expected(reference, meeting),
        typed_roles=ROLES_TYPED,
        section=section,
        form=form or {},
        errors=errors or {},
        detail=detail,
        records=records(page),
        may_raise=page.principal.role in access.roles(UseCase.RAISE),
        may_verify=page.principal.role in access.roles(UseCase.VERIFY),
        held=held,
        briefing_zone=zone,
        today=page.service.app.today(),
        notice_days=page.service.meetings.notice_days,
        done=done,
    )


# The date field of each of the meeting page's forms: the business day of its command.
DATE_FIELDS = {
    "notice": "sent_on",
    "agenda": "issued_on",
    "held": "held_on",
    "minutes": "recorded_on",
    "close": "closed_on",
    "move": "business_date",  # a change of plan is dated the day it is recorded
    "cancel": "business_date",
}


def on_the_form(fields: dict[str, str], date_field: str) -> dict[str, str]:
    """A refusal's fields as the form names them: the command's business day is the
    form's date field."""
    found = dict(fields)
    if "business_date" in found:
        found.setdefault(date_field, found.pop("business_date"))
    return found


def meeting_form(
    page: Page,
    meeting_id: UUID,
    form: FormData,
    section: str,
    use_case: UseCase,
    build: Callable[[int | None], tuple[MeetingCommandType, str]],
    typed: dict[str, Any],
) -> Response:
    """One of the meeting page's forms: its command built from what was typed (at the
    version the page showed) and run; refused, the page again with the form as typed."""
    page.admit(use_case)
    try:
        version = shown_version(text(form, "version"))
        command, done = build(version)
        result = run(page, command)
    except PageProblem as refused:
        errors: dict[str, Any] = on_the_form(refused.fields, DATE_FIELDS[section])
        if isinstance(refused, RowsRefused):
            errors["rows"] = refused.rows
        return shown_meeting(
            page,
            meeting_id,
            status=refused.status,
            section=section,
            form=typed,
            errors=errors,
            detail=refused.detail,
        )
    return redirect(f"/meetings/{meeting_id}", done=done, min_position=result.position)


@router.post("/meetings/{meeting_id}/notice", response_class=HTMLResponse)
async def notice(page: PageDep, meeting_id: UUID) -> Response:
    return await run_in_threadpool(send_notice, page, meeting_id, await page.posted())


def send_notice(page: Page, meeting_id: UUID, form: FormData) -> Response:
    typed = {"recipients": text(form, "recipients"), "sent_on": text(form, "sent_on")}

    def build(version: int | None) -> tuple[MeetingCommandType, str]:
        body = validated(
            NoticeCreate, recipients=lines(typed["recipients"]), sent_on=typed["sent_on"]
        )
        return SendNotice(
            meeting_id=meeting_id,
            expected_version=version,
            on=body.sent_on,
            recipients=tuple(body.recipients),
        ), "notice_sent"

    return meeting_form(page, meeting_id, form, "notice", UseCase.SEND_NOTICE, build, typed)


@router.post("/meetings/{meeting_id}/agenda", response_class=HTMLResponse)
async def agenda(page: PageDep, meeting_id: UUID) -> Response:
    return await run_in_threadpool(issue_agenda, page, meeting_id, await page.posted())


def issue_agenda(page: Page, meeting_id: UUID, form: FormData) -> Response:
    typed = {"issued_on": text(form, "issued_on")}

    def build(version: int | None) -> tuple[MeetingCommandType, str]:
        body = validated(AgendaCreate, issued_on=typed["issued_on"])
        return IssueAgenda(
            meeting_id=meeting_id, expected_version=version, on=body.issued_on
        ), "agenda_issued"

    return meeting_form(page, meeting_id, form, "agenda", UseCase.ISSUE_AGENDA, build, typed)


@router.post("/meetings/{meeting_id}/held", response_class=HTMLResponse)
async def held(page: PageDep, meeting_id: UUID) -> Response:
    return await run_in_threadpool(hold_meeting, page, meeting_id, await page.posted())


def hold_meeting(page: Page, meeting_id: UUID, form: FormData) -> Response:
    rows = typed_attendance(form)
    typed: dict[str, Any] = {
        "held_on": text(form, "held_on"),
        "chair": text(form, "chair"),
        "rows": rows,
    }

    def build(version: int | None) -> tuple[MeetingCommandType, str]:
        entries, row_errors = attendance_entries(rows)
        try:
            body = validated(
                HeldCreate,
                held_on=typed["held_on"],
                chair=typed["chair"],
                attendance=[e.model_dump(exclude_none=True) for e in entries],
            )
            fields: dict[str, str] = {}
            detail = None
        except PageProblem as refused:
            body, fields, detail = None, dict(refused.fields), refused.detail
            if row_errors:  # the rows refused are said in their rows
                fields.pop("attendance", None)
        if row_errors or fields or body is None:
            raise RowsRefused(detail, fields, row_errors)
        return HoldMeeting(
            meeting_id=meeting_id,
            expected_version=version,
            on=body.held_on,
            chair=body.chair,
            attendance=tuple(e.entry() for e in entries),
        ), "meeting_held"

    return meeting_form(page, meeting_id, form, "held", UseCase.HOLD_MEETING, build, typed)


@router.post("/meetings/{meeting_id}/minutes", response_class=HTMLResponse)
async def minutes(page: PageDep, meeting_id: UUID) -> Response:
    return await run_in_threadpool(record_minutes, page, meeting_id, await page.posted())


def record_minutes(page: Page, meeting_id: UUID, form: FormData) -> Response:
    typed = {
        "text": text(form, "text"),
        "recorded_on": text(form, "recorded_on"),
        "petitions_raised": [str(p) for p in form.getlist("petitions_raised")],
        "verdicts": [str(p) for p in form.getlist("verdicts")],
    }

    def build(version: int | None) -> tuple[MeetingCommandType, str]:
        verdicts = [v.split(":", 1) for v in typed["verdicts"] if ":" in v]
        body = validated(
            MinutesCreate,
            text=typed["text"],
            recorded_on=typed["recorded_on"],
            petitions_raised=typed["petitions_raised"],
            answers_read=[p for p, _ in verdicts],
            verdicts=[{"petition": p, "verdict": v} for p, v in verdicts],
        )
        return RecordMinutes(
            meeting_id=meeting_id,
            expected_version=version,
            on=body.recorded_on,
            text=body.text,
            petitions_raised=tuple(body.petitions_raised),
            answers_read=tuple(body.answers_read),
            verdicts=tuple((x.petition, x.verdict) for x in body.verdicts),
        ), "minutes_recorded"

    return meeting_form(page, meeting_id, form, "minutes", UseCase.RECORD_MINUTES, build, typed)


@router.post("/meetings/{meeting_id}/close", response_class=HTMLResponse)
async def close(page: PageDep, meeting_id: UUID) -> Response:
    return await run_in_threadpool(close_meeting, page, meeting_id, await page.posted())


def close_meeting(page: Page, meeting_id: UUID, form: FormData) -> Response:
    typed = {"closed_on": text(form, "closed_on")}

    def build(version: int | None) -> tuple[MeetingCommandType, str]:
        body = validated(CloseCreate, closed_on=typed["closed_on"])
        return CloseMeeting(
            meeting_id=meeting_id, expected_version=version, on=body.closed_on
        ), "meeting_closed"

    return meeting_form(page, meeting_id, form, "close", UseCase.CLOSE_MEETING, build, typed)


# ---- the attendance report ------------------------------------------------------------------


@router.get("/reports/attendance", response_class=HTMLResponse)
def attendance(
    page: PageDep,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    organisation: str | None = None,
    min_position: int | None = None,
    as_of: str | None = None,
) -> Response:
    """Attendance at the meetings held in a period (by default this year's), as recorded
    by ``as_of`` (a moment in Vietnamese time; none: now)."""
    today = page.service.app.today()
    first = day(start, "from", page.translated) or date(today.year, 1, 1)
    last = day(end, "to", page.translated) or date(today.year, 12, 31)
    report = page.ask(
        UseCase.ATTENDANCE_REPORT,
        lambda: page.service.meeting_reports.attendance(
            page.principal.actor,
            organisation=organisation or None,
            start=first,
            end=last,
            as_of=as_of_moment(as_of),
            min_position=min_position,
        ),
    )
    return page.render(
        "attendance.html",
        report=report,
        starts=first.isoformat(),
        ends=last.isoformat(),
        chosen_organisation=organisation or None,
        moment=as_of or "",
    )
