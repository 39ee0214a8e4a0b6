"""The web pages. Each page calls the same use case as its HTTP route (the functions of
``api.petitions``, ``api.views`` and ``api.audit``), after the same role check, so the pages
can neither see nor do more than the API; refusals come back as pages that say what was
wrong, with the status the API would have answered."""

from __future__ import annotations

import typing
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.params import Depends as DependsParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from api import audit as audit_api
from api import petitions as petitions_api
from api import views as views_api
from api.auth import AUDITED_READERS, get_service, record_read
from api.problems import PROBLEMS, Problem
from api.schemas import (
    AnswerCreate,
    AssignmentCreate,
    BoardSort,
    DeadlineCreate,
    PetitionCreate,
    ReasonCreate,
    VerificationCreate,
)
from api.views import PetitionQuery
from api.web import labels
from api.web.render import SESSION_COOKIE, Renderer, csrf_matches
from api.wording import FIELDS, vietnamese
from domain.actors import Command, Role
from domain.application import Letter
from domain.errors import DomainError
from domain.lifecycle import commands_for
from domain.vietnam import BUSINESS_TZ
from domain.vocabulary import Status
from service.bootstrap import Service
from stores.attachments import LetterRefused, disposition, measure
from stores.sessions import Session
from stores.tokens import Principal

router = APIRouter(include_in_schema=False)
Handler = Callable[..., Any]
HOMES = {
    Role.CLERK: "/briefing",
    Role.COMMITTEE: "/board",
    Role.DEPARTMENT: "/inbox",
    Role.AUDITOR: "/audit",
}


class PageProblem(Exception):
    """A refusal shown as a page: the API's problem code, its status and what was wrong."""

    def __init__(self, code: str, detail: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.fields = code, detail, fields or {}
        self.status = PROBLEMS[code][0]


class SignInNeeded(Exception):
    pass


def renderer(request: Request) -> Renderer:
    found: Renderer = request.app.state.renderer
    return found


ServiceDep = Annotated[Service, Depends(get_service)]
RendererDep = Annotated[Renderer, Depends(renderer)]


def signed_in(request: Request, service: ServiceDep) -> Session:
    """The session the cookie names; reads by auditors and the committee are recorded in
    the access log, as through the API."""
    session_id = request.cookies.get(SESSION_COOKIE)
    session = service.sessions.find(session_id) if session_id else None
    if session is None:
        raise SignInNeeded()
    request.state.principal = session.principal
    if request.method == "GET" and session.principal.role in AUDITED_READERS:
        try:
            record_read(service, session.principal, request)
        except Problem as refused:
            raise PageProblem(refused.code, refused.detail) from None
    return session


SessionDep = Annotated[Session, Depends(signed_in)]


# ---- calling the API's use cases ------------------------------------------------------


def roles_of(handler: Handler) -> frozenset[Role] | None:
    """The roles the route's ``principal`` dependency admits (None: any signed-in role)."""
    hint = typing.get_type_hints(handler, include_extras=True)["principal"]
    for meta in getattr(hint, "__metadata__", ()):
        if isinstance(meta, DependsParam):
            return getattr(meta.dependency, "roles", None)
    return None


def admitted(handler: Handler, principal: Principal) -> bool:
    roles = roles_of(handler)
    return roles is None or principal.role in roles


def call(handler: Handler, principal: Principal, *args: Any, **kwargs: Any) -> Any:
    """Run an API route's function for a signed-in user, turning its refusals into pages."""
    if not admitted(handler, principal):
        raise PageProblem("forbidden", f"role {principal.role.value} may not use this page")
    try:
        return handler(*args, principal=principal, **kwargs)
    except Problem as refused:
        raise PageProblem(refused.code, refused.detail) from None
    except DomainError as refused:
        raise page_problem(refused) from None


def page_problem(refused: DomainError) -> PageProblem:
    field = str(refused.details.get("field", ""))
    return PageProblem(
        refused.code, vietnamese(refused), fields={field: refused.message} if field else None
    )


def validated(model: type[Any], **values: Any) -> Any:
    """A request model from form values; blank fields are absent, as on the API. A refusal
    names each wrong field with a message the page translates."""
    given = {k: v for k, v in values.items() if v not in ("", None, [])}
    try:
        return model(**given)
    except ValidationError as error:
        fields = {
            str(e["loc"][0]) if e["loc"] else "": labels.FIELD_ERRORS.get(e["type"], labels.INVALID)
            for e in error.errors()
        }
        detail = "; ".join(f"{FIELDS.get(k, k)}: {v.lower()}" for k, v in sorted(fields.items()))
        raise PageProblem("validation_error", detail, fields=fields) from None


class Scratch:
    """Stands in for the ``Response`` an API route sets headers on; the page ignores them."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}


def forbid_unless(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles:
        raise PageProblem("forbidden", f"role {principal.role.value} may not use this page")


def day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PageProblem(
            "validation_error", f"{field}: not a date", fields={field: "not a date"}
        ) from None


def redirect(path: str, **query: Any) -> RedirectResponse:
    params = {k: v for k, v in query.items() if v not in (None, "")}
    return RedirectResponse(path + ("?" + urlencode(params) if params else ""), status_code=303)


async def posted(request: Request, session: Session) -> FormData:
    """The form, after its CSRF token is checked against the session's."""
    form = await request.form()
    if not csrf_matches(session.csrf, form.get("csrf")):
        raise PageProblem("forbidden", "the form's security token is missing or stale; reload")
    return form


def local_path(target: str) -> str:
    """``target`` if it is a path on this site, else the start page (no open redirect:
    browsers read //host and /\\host as another site)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


# ---- signing in -----------------------------------------------------------------------


@router.get("/")
def home(request: Request, service: ServiceDep) -> Response:
    session_id = request.cookies.get(SESSION_COOKIE)
    session = service.sessions.find(session_id) if session_id else None
    if session is None:
        return redirect("/signin")
    home = HOMES.get(session.principal.role)
    if home is None:
        raise PageProblem("forbidden", "this role has no pages; use the command line")
    return redirect(home)


@router.get("/signin")
def signin_form(request: Request, pages: RendererDep) -> Response:
    return pages.signin(request)


@router.post("/signin")
async def signin(request: Request, service: ServiceDep, pages: RendererDep) -> Response:
    form = await request.form()
    if not csrf_matches(request.cookies.get(pages.PRE_CSRF_COOKIE), form.get("csrf")):
        return pages.signin(request, error="csrf", status=403)
    address = request.client.host if request.client else "unknown"
    if not pages.limiter.allowed(address):
        return pages.signin(request, error="too_many", status=429, retry_after=60)
    token = text(form, "token")
    principal = await run_in_threadpool(service.tokens.authenticate, token) if token else None
    if principal is None:
        pages.limiter.failed(address)
        return pages.signin(request, error="unknown", status=401)
    session_id = await run_in_threadpool(service.sessions.open, principal)
    response = redirect(local_path(text(form, "next")))
    pages.set_session(request, response, session_id)
    return response


@router.post("/signout")
async def signout(request: Request, service: ServiceDep, session: SessionDep) -> Response:
    await posted(request, session)
    session_id = request.cookies.get(SESSION_COOKIE, "")
    await run_in_threadpool(service.sessions.close, session_id)
    response = redirect("/signin")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{language}")
def switch_language(language: str, request: Request, next: str = "/") -> Response:
    response = redirect(local_path(next))
    if language in ("vi", "en"):
        response.set_cookie("lang", language, max_age=365 * 86400, samesite="lax", path="/")
    return response


# ---- the clerk: a briefing's petitions, verdicts, the packet --------------------------


def briefing_choice(service: Service, zone: str | None, briefing: str | None) -> tuple[str, date]:
    district = service.app.district
    if not district.zones:
        raise PageProblem("not_found", "the reference data has no zones yet")
    zone = zone if zone in district.zones else next(iter(district.zones))
    chosen = day(briefing, "briefing")
    if chosen is None:
        today = service.app.today()
        chosen = district.previous_briefing(zone, today + timedelta(days=1)) or today
    try:
        return zone, service.app.dates.check("briefing", chosen)
    except DomainError as refused:
        raise page_problem(refused) from None


ROW_FIELDS = ("key", "cell", "category", "kind", "summary", "text", "raised_by")
SPOT_FIELDS = ("spot_by", "spot_text")


def blank_rows(count: int) -> list[dict[str, str]]:
    return [{"key": uuid.uuid4().hex} for _ in range(count)]


@router.get("/briefing", response_class=HTMLResponse)
def briefing_form(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    zone: str | None = None,
    briefing: str | None = None,
) -> Response:
    forbid_unless(session.principal, Role.CLERK)
    zone, chosen = briefing_choice(service, zone, briefing)
    return pages.render(
        request,
        session,
        "briefing.html",
        zone=zone,
        briefing=chosen,
        not_held=chosen > service.app.today(),
        channel="meeting",
        meeting=default_meeting(service, zone, chosen),
        rows=blank_rows(5),
        errors={},
    )


def row_errors(refused: PageProblem) -> dict[str, str]:
    """A refusal as the row shows it: by field where the row has the field, else in words
    (a refusal of the meeting or of a date the row does not show), never just red."""
    if set(refused.fields) & set(ROW_FIELDS + SPOT_FIELDS):
        return refused.fields
    return {"": refused.detail}


def default_meeting(service: Service, zone: str, briefing: date) -> str:
    name = service.app.district.zones[zone].name
    return f"Giao ban bí thư chi bộ {name} tháng {briefing.month}/{briefing.year}"


@router.post("/briefing", response_class=HTMLResponse)
async def briefing_record(
    request: Request, service: ServiceDep, session: SessionDep, pages: RendererDep
) -> Response:
    form = await posted(request, session)
    return await run_in_threadpool(record_briefing, request, service, session, pages, form)


def record_briefing(
    request: Request, service: Service, session: Session, pages: Renderer, form: FormData
) -> Response:
    """Every filled row is checked first; only when all are valid are they recorded, each
    under its row's idempotency key, so sending the form again records nothing twice."""
    forbid_unless(session.principal, Role.CLERK)
    zone, chosen = briefing_choice(service, text(form, "zone"), text(form, "briefing"))
    channel, meeting = text(form, "channel") or "meeting", text(form, "meeting")
    columns = {f: form.getlist(f) for f in ROW_FIELDS + SPOT_FIELDS}
    count = len(columns["key"])
    rows = [
        {f: str(columns[f][i]).strip() if i < len(columns[f]) else "" for f in columns}
        for i in range(count)
    ]
    filled = [r for r in rows if any(r[f] for f in ("summary", "text", "cell"))]
    errors: dict[int, dict[str, str]] = {}
    drafts = []
    for index, row in enumerate(rows):
        if row not in filled:
            continue
        try:
            drafts.append(
                (
                    index,
                    row,
                    validated(
                        PetitionCreate,
                        kind=row["kind"],
                        category=row["category"],
                        summary=row["summary"],
                        text=row["text"],
                        cell=row["cell"],
                        raised_by=row["raised_by"],
                        channel=channel,
                        meeting=meeting if channel == "meeting" else None,
                        raised_on=chosen,
                    ),
                )
            )
            if bool(row["spot_by"]) != bool(row["spot_text"]):
                raise PageProblem(
                    "validation_error",
                    "an answer on the spot needs who answered and what was said",
                    fields={"spot_by" if not row["spot_by"] else "spot_text": "required"},
                )
        except PageProblem as refused:
            errors[index] = row_errors(refused)
    if not filled:
        errors[0] = {"summary": "no petition entered"}
    # A briefing not held yet records nothing: the page says so, the rows stay as typed.
    not_held = chosen > service.app.today()
    context = {
        "zone": zone,
        "briefing": chosen,
        "not_held": not_held,
        "channel": channel,
        "meeting": meeting,
        "rows": rows or blank_rows(5),
        "errors": errors,
    }
    if errors or not_held:
        return pages.render(request, session, "briefing.html", status=422, **context)
    position = 0
    recorded: set[int] = set()
    for index, row, body in drafts:
        try:
            result = call(
                petitions_api.raise_petition,
                session.principal,
                body=body,
                service=service,
                request=request,
                response=Scratch(),
                idempotency_key=row["key"],
            )
            position = max(position, result.position or 0)
            if row["spot_by"] and service.app.state(result.id)["status"] != "answered":
                spot = call(
                    petitions_api.record_answer,
                    session.principal,
                    petition_id=result.id,
                    body=validated(
                        AnswerCreate,
                        mode="on_the_spot",
                        text=row["spot_text"],
                        answered_by=row["spot_by"],
                        meeting=meeting or None,
                        answered_on=chosen,
                    ),
                    service=service,
                    request=request,
                    response=Scratch(),
                )
                position = max(position, spot.position or 0)
            recorded.add(index)
        except PageProblem as refused:
            errors[index] = row_errors(refused)
            context["recorded"] = recorded
            return pages.render(request, session, "briefing.html", status=refused.status, **context)
    return redirect(
        "/petitions",
        zone=zone,
        raised_from=chosen.isoformat(),
        raised_to=chosen.isoformat(),
        min_position=position,
        done="raised",
    )


@router.get("/verification", response_class=HTMLResponse)
def verification_form(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    zone: str | None = None,
    briefing: str | None = None,
    min_position: int | None = None,
    done: str | None = None,
) -> Response:
    forbid_unless(session.principal, Role.CLERK, Role.COMMITTEE)
    zone, chosen = briefing_choice(service, zone, briefing)
    return pages.render(
        request,
        session,
        "verification.html",
        **awaiting_verdicts(service, session.principal, zone, chosen, min_position),
        errors={},
        done=done,
    )


def awaiting_verdicts(
    service: Service, principal: Principal, zone: str, briefing: date, min_position: int | None
) -> dict[str, Any]:
    """The zone's answered petitions that take a verdict dated ``briefing``: those whose
    latest recorded date is on or before it (a verdict may not precede what it judges).
    Answers given after it are verified at a later briefing: listed apart, without a
    verdict. A briefing not held yet takes no verdict at all (a business date is never in
    the future)."""
    page = call(
        views_api.list_petitions,
        principal,
        service=service,
        filters=PetitionQuery(status="answered", zone=zone),
        min_position=min_position,
        cursor=None,
        limit=200,
    )
    petitions, later = [], []
    for item in page["items"]:
        if item["last_business_date"] > briefing:
            later.append(item)
            continue
        state = service.app.state(item["petition_id"])
        petitions.append({**item, "answer": state["answers"][-1] if state["answers"] else None})
    petitions.sort(key=lambda p: (p["verify_by"] or date.max, p["raised_on"]))
    later.sort(key=lambda p: (p["verify_by"] or date.max, p["raised_on"]))
    return {
        "zone": zone,
        "briefing": briefing,
        "not_held": briefing > service.app.today(),
        "next_briefing": service.app.district.next_briefing(zone, briefing),
        "meeting": default_meeting(service, zone, briefing),
        "petitions": petitions,
        "later": later,
    }


@router.post("/verification", response_class=HTMLResponse)
async def verification_record(
    request: Request, service: ServiceDep, session: SessionDep, pages: RendererDep
) -> Response:
    form = await posted(request, session)
    return await run_in_threadpool(record_verdicts, request, service, session, pages, form)


def record_verdicts(
    request: Request, service: Service, session: Session, pages: Renderer, form: FormData
) -> Response:
    """Each petition given a verdict is recorded at its version as shown, so a verdict on a
    petition changed meanwhile is refused rather than applied to what nobody saw."""
    forbid_unless(session.principal, Role.CLERK, Role.COMMITTEE)
    zone, chosen = briefing_choice(service, text(form, "zone"), text(form, "briefing"))
    meeting = text(form, "meeting") or None
    errors: dict[str, str] = {}
    position, recorded = 0, 0
    for petition_id in form.getlist("petition"):
        verdict = text(form, f"verdict-{petition_id}")
        if not verdict:
            continue
        try:
            body = validated(
                VerificationCreate,
                verdict=verdict,
                flags=form.getlist(f"flags-{petition_id}"),
                comment=text(form, f"comment-{petition_id}"),
                meeting=meeting,
                verified_on=chosen,
            )
            result = call(
                petitions_api.verify,
                session.principal,
                petition_id=UUID(str(petition_id)),
                body=body,
                service=service,
                request=request,
                response=Scratch(),
                if_match=f'"{text(form, f"version-{petition_id}")}"',
            )
            position, recorded = max(position, result.position or 0), recorded + 1
        except (PageProblem, ValueError) as refused:
            errors[str(petition_id)] = getattr(refused, "detail", str(refused))
    if errors:
        context = awaiting_verdicts(service, session.principal, zone, chosen, position or None)
        return pages.render(
            request, session, "verification.html", status=422, errors=errors, **context
        )
    return redirect(
        "/verification",
        zone=zone,
        briefing=chosen.isoformat(),
        min_position=position or None,
        done="verified" if recorded else None,
    )


@router.get("/packet", response_class=HTMLResponse)
def packet(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    zone: str | None = None,
    briefing: str | None = None,
) -> Response:
    zone, chosen = briefing_choice(service, zone, briefing)
    found = call(
        views_api.packet,
        session.principal,
        zone=zone,
        briefing=chosen,
        service=service,
        min_position=None,
    )
    return pages.render(request, session, "packet.html", packet=found, zone=zone)


# ---- the committee: the board, scorecards, categories ----------------------------------

BOARD_SORTS = typing.get_args(BoardSort)
BOARD_PAGE = 100  # rows a page of the board


@router.get("/board", response_class=HTMLResponse)
def board(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    department: str | None = None,
    zone: str | None = None,
    kind: str | None = None,
    on: str | None = None,
    sort: str = "days",
    order: str = "desc",
    offset: str | None = None,
) -> Response:
    sort = sort if sort in BOARD_SORTS else "days"
    order = "asc" if order == "asc" else "desc"
    start = int(offset) if offset and offset.isdigit() else 0
    found = call(
        views_api.overdue,
        session.principal,
        service=service,
        min_position=None,
        on=day(on, "on"),
        department=department or None,
        zone=zone or None,
        kind=kind if kind in ("answer", "verification") else None,
        sort=sort,
        order=order,
        limit=BOARD_PAGE,
        offset=min(start, views_api.OFFSET_MAX),
    )
    return pages.render(
        request,
        session,
        "board.html",
        board=found,
        filters={
            k: v
            for k, v in {"department": department, "zone": zone, "kind": kind, "on": on}.items()
            if v
        },
        sort=sort,
        order=order,
        previous_offset=max(found["offset"] - BOARD_PAGE, 0) if found["offset"] else None,
    )


@router.get("/scorecards", response_class=HTMLResponse)
def scorecards(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    year: int | None = None,
    department: str | None = None,
) -> Response:
    today = service.app.today()
    year = year if year and service.app.dates.earliest.year <= year <= today.year else today.year
    end = min(today, date(year, 12, 31))
    found = call(
        views_api.quality,
        session.principal,
        service=service,
        min_position=None,
        start=date(year, 1, 1),
        end=end,
    )
    cards = found["departments"]
    chosen = department if department in {c["department"] for c in cards} else None
    chosen = chosen or (cards[0]["department"] if cards else None)
    months = []
    for month in range(1, end.month + 1):
        first = date(year, month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        monthly = call(
            views_api.quality,
            session.principal,
            service=service,
            min_position=None,
            start=first,
            end=min(last, end),
        )
        card = next((c for c in monthly["departments"] if c["department"] == chosen), None)
        months.append({"month": month, "on_time": card["on_time"] if card else None})
    return pages.render(
        request,
        session,
        "scorecards.html",
        quality=found,
        year=year,
        chosen=chosen,
        months=months,
    )


@router.get("/categories", response_class=HTMLResponse)
def categories(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    year: int | None = None,
    zone: str | None = None,
) -> Response:
    today = service.app.today()
    year = year if year and service.app.dates.earliest.year <= year <= today.year else today.year
    report = call(
        views_api.categories,
        session.principal,
        service=service,
        min_position=None,
        year=year,
        zone=zone or None,
    )
    return pages.render(request, session, "categories.html", report=report, zone=zone)


# ---- petitions: the list, one petition, its actions -----------------------------------


@router.get("/petitions", response_class=HTMLResponse)
def petition_list(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    cursor: str | None = None,
    min_position: int | None = None,
    done: str | None = None,
) -> Response:
    raw = {k: v for k, v in request.query_params.items() if k in PetitionQuery.model_fields and v}
    filters = validated(PetitionQuery, **raw)
    found = call(
        views_api.list_petitions,
        session.principal,
        service=service,
        filters=filters,
        min_position=min_position,
        cursor=cursor or None,
        limit=50,
    )
    return pages.render(
        request,
        session,
        "petitions.html",
        page=found,
        filters=raw,
        next_query=urlencode({**raw, "cursor": found["next_cursor"]})
        if found["next_cursor"]
        else None,
        done=done,
    )


@router.get("/inbox", response_class=HTMLResponse)
def inbox(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    min_position: int | None = None,
) -> Response:
    found = call(views_api.inbox, session.principal, service=service, min_position=min_position)
    return pages.render(
        request, session, "inbox.html", items=found["items"], today=service.app.today()
    )


def as_of_moment(value: str | None) -> datetime | None:
    """A ``datetime-local`` value, read in Vietnamese time."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=BUSINESS_TZ)
    except ValueError:
        raise PageProblem("validation_error", "as_of: not a date and time") from None


@router.get("/petitions/{petition_id}", response_class=HTMLResponse)
def petition_page(
    petition_id: UUID,
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    as_of: str | None = None,
    done: str | None = None,
) -> Response:
    return pages.render(
        request,
        session,
        "petition.html",
        **petition_context(service, session, petition_id, as_of),
        done=done,
        errors={},
        failed=None,
    )


def petition_context(
    service: Service, session: Session, petition_id: UUID, as_of: str | None
) -> dict[str, Any]:
    principal = session.principal
    moment = as_of_moment(as_of)
    petition = call(
        petitions_api.get_petition,
        principal,
        petition_id=petition_id,
        service=service,
        response=Scratch(),
        as_of=moment,
        if_none_match=None,
    )
    events = (
        call(petitions_api.history, principal, petition_id=petition_id, service=service)
        if admitted(petitions_api.history, principal)
        else None
    )
    if events is not None and moment is not None:
        events = [e for e in events if e["recorded_at"] <= moment]
    current = petition if moment is None else service.app.state(petition_id)
    return {
        "petition": petition,
        "events": events,
        "as_of": as_of,
        "actions": actions_for(principal, current) if moment is None else [],
        "today": service.app.today(),
    }


# The petition page's forms, each the command it issues.
PAGE_COMMANDS: dict[str, Command] = {
    "assign": Command.ASSIGN,
    "extend": Command.EXTEND_DEADLINE,
    "answer": Command.ANSWER_IN_WRITING,
    "decline": Command.DECLINE,
    "spot": Command.ANSWER_ON_THE_SPOT,
    "verify": Command.VERIFY,
    "escalate": Command.ESCALATE,
    "close": Command.CLOSE,
}


def actions_for(principal: Principal, petition: dict[str, Any]) -> list[str]:
    """The forms shown to this user for this petition: those whose command the domain's
    lifecycle lets this role issue in the petition's status (the domain still decides)."""
    in_charge = principal.department is not None and petition["department"] == (
        principal.department
    )
    allowed = commands_for(Status(petition["status"]), principal.role, in_charge=in_charge)
    return [action for action, command in PAGE_COMMANDS.items() if command in allowed]


ACTION_MODELS: dict[str, tuple[type[Any], Handler, tuple[str, ...]]] = {
    "assign": (AssignmentCreate, petitions_api.assign, ("department", "due_on", "note")),
    "extend": (DeadlineCreate, petitions_api.extend_deadline, ("due_on", "reason")),
    "escalate": (ReasonCreate, petitions_api.escalate, ("reason",)),
    "close": (ReasonCreate, petitions_api.close, ("reason",)),
    "decline": (ReasonCreate, petitions_api.decline, ("reason",)),
    "verify": (
        VerificationCreate,
        petitions_api.verify,
        ("verdict", "flags", "comment", "meeting", "verified_on", "reassign_to", "due_on"),
    ),
    "spot": (
        AnswerCreate,
        petitions_api.record_answer,
        ("text", "answered_by", "meeting", "answered_on"),
    ),
    "answer": (
        AnswerCreate,
        petitions_api.record_answer,
        ("text", "document_number", "document_date", "signer", "answered_on"),
    ),
}


@router.post("/petitions/{petition_id}/{action}", response_class=HTMLResponse)
async def petition_action(
    petition_id: UUID,
    action: str,
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
) -> Response:
    if action not in ACTION_MODELS:
        raise PageProblem("not_found", f"no action {action}")
    form = await posted(request, session)
    limit = service.settings.max_upload_bytes
    uploads = []
    if action == "answer":
        for letter in form.getlist("letter"):
            if isinstance(letter, UploadFile) and letter.filename:
                uploads.append((letter.filename, await letter.read(limit + 1)))
    return await run_in_threadpool(
        act, request, service, session, pages, petition_id, action, form, uploads
    )


def act(
    request: Request,
    service: Service,
    session: Session,
    pages: Renderer,
    petition_id: UUID,
    action: str,
    form: FormData,
    uploads: list[tuple[str, bytes]],
) -> Response:
    model, handler, fields = ACTION_MODELS[action]
    values: dict[str, Any] = {f: text(form, f) for f in fields}
    if "flags" in fields:
        values["flags"] = form.getlist("flags")
    if action in ("answer", "spot"):
        values["mode"] = "written" if action == "answer" else "on_the_spot"
    try:
        # The letters are only measured here; they are stored with the answer's event,
        # in its transaction, once every check has passed.
        extra = {"letters": measured(service, uploads)} if action == "answer" else {}
        body = validated(model, **values)
        call(
            handler,
            session.principal,
            petition_id=petition_id,
            body=body,
            service=service,
            request=request,
            response=Scratch(),
            if_match=f'"{text(form, "version")}"' if text(form, "version") else None,
            **extra,
        )
    except PageProblem as refused:
        if refused.code in ("petition_not_found", "forbidden", "not_found"):
            raise
        context = petition_context(service, session, petition_id, None)
        return pages.render(
            request,
            session,
            "petition.html",
            status=refused.status,
            **context,
            done=None,
            failed={"action": action, "detail": refused.detail, "values": values},
            errors=refused.fields,
        )
    return redirect(f"/petitions/{petition_id}", done=action)


def measured(service: Service, uploads: list[tuple[str, bytes]]) -> list[Letter]:
    """The uploaded letters, checked as the API checks them (size, type by first bytes)."""
    limit = service.settings.max_upload_bytes
    try:
        return [measure(name, content, limit) for name, content in uploads]
    except LetterRefused as refused:
        if refused.reason == "too_large":
            raise PageProblem(
                "validation_error",
                f"Văn bản lớn hơn {limit:,} byte".replace(",", "."),
                fields={"letter": labels.LETTER_TOO_LARGE},
            ) from None
        raise PageProblem(
            "validation_error",
            "Văn bản không phải PDF, PNG hay JPEG",
            fields={"letter": labels.NOT_A_LETTER},
        ) from None


@router.get("/petitions/{petition_id}/files/{sha256}")
def letter_file(
    petition_id: UUID, sha256: str, service: ServiceDep, session: SessionDep
) -> Response:
    """A letter of one of the petition's answers, to whoever may read the petition."""
    petition = call(
        petitions_api.get_petition,
        session.principal,
        petition_id=petition_id,
        service=service,
        response=Scratch(),
        as_of=None,
        if_none_match=None,
    )
    names = {
        a["sha256"]: a["name"]
        for answer in petition["answers"]
        for a in answer.get("attachments", [])
    }
    found = service.attachments.get(sha256) if sha256 in names else None
    if found is None:
        raise PageProblem("not_found", "no such letter on this petition")
    media_type, content = found
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": disposition(names[sha256], media_type),
            # Served as the type its bytes were measured to be, never sniffed as another,
            # and never run as a page of this site.
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )


# ---- the auditor ----------------------------------------------------------------------


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    pages: RendererDep,
    verify: bool = False,
    department: str | None = None,
) -> Response:
    status = call(audit_api.integrity, session.principal, service=service, verify=verify)
    backdated = call(
        audit_api.backdated,
        session.principal,
        service=service,
        department=department or None,
        start=None,
        end=None,
        min_position=None,
    )
    return pages.render(
        request, session, "audit.html", integrity=status, backdated=backdated, department=department
    )


@router.get("/lookup")
def lookup(petition: str, session: SessionDep) -> Response:
    try:
        return redirect(f"/petitions/{UUID(petition.strip())}")
    except ValueError:
        raise PageProblem("validation_error", "not a petition id") from None
