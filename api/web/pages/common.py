"""What every page shares: the signed-in session, refusals shown as pages, form values
read into the API's request models, and the call of a use case on the user's behalf
(``Page``: one request of a signed-in user, with the service and the renderer)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, TypeVar, get_args
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from api.auth import AUDITED_READERS, get_service, record_read
from api.petitions import expected_version
from api.problems import PROBLEMS, Problem
from api.web import labels
from api.web.i18n import N_
from api.web.render import SESSION_COOKIE, Renderer, csrf_matches, language_of
from domain.errors import DomainError
from domain.messages import say
from domain.vietnam import written_date
from service.bootstrap import Service
from stores.drafts import Draft
from stores.sessions import Session
from stores.tokens import Principal
from usecases import access
from usecases.access import UseCase
from usecases.commands import Context, PetitionCommand, Written
from usecases.errors import Refused
from usecases.signin import Step, next_step

T = TypeVar("T")
DRAFT = "draft"  # the query parameter naming a form kept over a sign-in


class PageProblem(Exception):
    """A refusal shown as a page: the API's problem code, its status and what was wrong."""

    def __init__(self, code: str, detail: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.fields = code, detail, fields or {}
        self.status = PROBLEMS[code][0]


class SignInNeeded(Exception):
    pass


class StepNeeded(Exception):
    """The session must take a step (``usecases.signin.Step``) before any other page: the
    page of that step is shown instead, and leads back to ``target`` when done."""

    def __init__(self, step: Step, target: str) -> None:
        super().__init__(step.value)
        self.step, self.target = step, target


# The page of each step a session may have to take before any other.
STEP_PAGES = {
    Step.CODE: "/signin/code",
    Step.PASSWORD: "/account/password",
    Step.ENROL: "/account/second-factor",
}


def renderer(request: Request) -> Renderer:
    found: Renderer = request.app.state.renderer
    return found


ServiceDep = Annotated[Service, Depends(get_service)]
RendererDep = Annotated[Renderer, Depends(renderer)]


def any_step(request: Request, service: ServiceDep) -> Session:
    """The session the cookie names, whatever step it has still to take (for the pages
    of those steps)."""
    session_id = request.cookies.get(SESSION_COOKIE)
    session = service.sessions.find(session_id) if session_id else None
    if session is None:
        raise SignInNeeded()
    request.state.principal = session.principal
    return session


def signed_in(request: Request, service: ServiceDep) -> Session:
    """The session the cookie names, once it has taken every step of signing in (else
    the page of the next step); reads by auditors and the committee are recorded in the
    access log, as through the API."""
    session = any_step(request, service)
    step = next_step(session, service.settings.totp_required)
    if step is not None:
        target = request.url.path + ("?" + request.url.query if request.url.query else "")
        raise StepNeeded(step, target if request.method == "GET" else "/")
    if request.method == "GET" and session.principal.role in AUDITED_READERS:
        try:
            record_read(service, session.principal, request)
        except Problem as refused:
            raise PageProblem(refused.code, refused.detail) from None
    return session


SessionDep = Annotated[Session, Depends(signed_in)]
AnyStepDep = Annotated[Session, Depends(any_step)]


@dataclass(frozen=True)
class Page:
    """One request of a signed-in user: the service it is served from, the user's session
    and the renderer of the page's HTML; the use cases it runs are run on the user's behalf,
    refusals shown as pages."""

    request: Request
    service: Service
    session: Session
    renderer: Renderer

    @property
    def principal(self) -> Principal:
        return self.session.principal

    def render(self, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        # A form kept over a sign-in, on the page it was typed on: the page fills it in
        # (``kept_shown``), else the page lists what was typed, so nothing is lost.
        context.setdefault("kept", self.kept())
        return self.renderer.render(self.request, self.session, template, status=status, **context)

    def kept(self) -> Draft | None:
        """The form the user typed before signing in again, if this page is where it was
        typed and it is this user's (``stores.drafts``; anyone else's is not found)."""
        draft_id = self.request.query_params.get(DRAFT)
        if not draft_id or len(draft_id) > 100:
            return None
        draft = self.service.drafts.find(draft_id, access.owner(self.principal))
        if draft is None or urlsplit(draft.back).path != self.request.url.path:
            return None
        return draft

    def admit(self, *use_cases: UseCase) -> None:
        admit(self.principal, *use_cases)

    def translated(self, message: str) -> str:
        """A message marked for the catalogue (``N_``), in the page's language."""
        return self.renderer.translate[language_of(self.request)](message)

    def ask(self, use_case: UseCase, query: Callable[[], T]) -> T:
        return ask(self.principal, use_case, query)

    def execute(self, command: PetitionCommand) -> Written:
        return execute(self.service, self.request, self.principal, command)

    async def posted(self) -> FormData:
        return await posted(self.request, self.session)


def page_for(
    request: Request, service: ServiceDep, session: SessionDep, renderer: RendererDep
) -> Page:
    return Page(request, service, session, renderer)


PageDep = Annotated[Page, Depends(page_for)]


# ---- the use cases, on the signed-in user's behalf --------------------------------------


def admit(principal: Principal, *use_cases: UseCase) -> None:
    """The page serves one of ``use_cases``: the roles their rules admit, as the API's
    routes do, else the page is refused."""
    if principal.role not in access.roles(*use_cases):
        raise PageProblem("forbidden", say("page.role", role=principal.role))


def ask(principal: Principal, use_case: UseCase, query: Callable[[], T]) -> T:
    """Run a use case for a signed-in user, turning its refusals into pages."""
    admit(principal, use_case)
    return refusals_as_pages(query)


def execute(
    service: Service, request: Request, principal: Principal, command: PetitionCommand
) -> Written:
    """A command's use case, for the signed-in user (refusals as pages)."""
    ctx = Context.of(principal, getattr(request.state, "request_id", None))
    return refusals_as_pages(lambda: service.app.execute(command, ctx))


def refusals_as_pages(run: Callable[..., T], *args: Any) -> T:
    """``run(*args)``, its refusals shown as pages."""
    try:
        return run(*args)
    except (Problem, Refused) as refused:
        raise PageProblem(refused.code, refused.detail) from None
    except DomainError as refused:
        raise page_problem(refused) from None


def page_problem(refused: DomainError) -> PageProblem:
    """A domain's refusal as a page; its words are said in the page's language where
    shown (the templates' ``tr``)."""
    field = str(refused.details.get("field", ""))
    return PageProblem(
        refused.code, refused.message, fields={field: refused.message} if field else None
    )


def shown_version(value: str) -> int | None:
    """The version a form was shown at, read as the API reads ``If-Match``."""
    return refusals_as_pages(lambda: expected_version(f'"{value}"'))


def validated(model: type[Any], **values: Any) -> Any:
    """A request model from form values; blank fields are absent, as on the API. A refusal
    names each wrong field with a message the page translates."""
    given = {k: v for k, v in values.items() if v not in ("", None, [])}
    given, wrong = iso_dates(model, given)
    try:
        found = model(**given)
        fields: dict[str, str] = {}
    except ValidationError as error:
        fields = {
            str(e["loc"][0]) if e["loc"] else "": labels.FIELD_ERRORS.get(e["type"], labels.INVALID)
            for e in error.errors()
        }
    fields.update(wrong)  # a date written wrong, rather than "required" in its place
    if fields:
        detail = say("form.faults", faults=tuple(sorted(fields.items())))
        raise PageProblem("validation_error", detail, fields=fields)
    return found


# ---- forms and links --------------------------------------------------------------------


# A page or an action a link names that there is none of.
NO_SUCH_PAGE = N_("Không có trang này.")
NO_SUCH_ACTION = N_("Không có thao tác này.")

# A date field's value that writes no date (its error, and a page's refusal of it).
WRONG_DATE = N_("Không phải một ngày: hãy viết ngày/tháng/năm, ví dụ 31/12/2026")
NOT_A_DATE = N_("«%(value)s» không phải một ngày: hãy viết ngày/tháng/năm, ví dụ 31/12/2026.")


def day(value: str | None, field: str, translated: Callable[[str], str] = str) -> date | None:
    """The date a form or a link gives, written dd/mm/yyyy (as the pages' fields take it) or
    yyyy-mm-dd (as links and the API write it); none if blank. A value writing no date is
    refused, in the page's language (``translated``: ``Page.translated``)."""
    if not value or not value.strip():
        return None
    found = written_date(value)
    if found is None:
        detail = translated(NOT_A_DATE) % {"value": value.strip()[:40]}
        raise PageProblem("validation_error", detail, fields={field: WRONG_DATE})
    return found


def date_fields(model: type[Any]) -> frozenset[str]:
    """The fields of a request model holding a date (not a moment), by name and alias."""

    def holds_date(annotation: Any) -> bool:
        if annotation is date:
            return True
        return any(holds_date(a) for a in get_args(annotation) if a is not datetime)

    return frozenset(
        name
        for field_name, info in model.model_fields.items()
        if holds_date(info.annotation)
        for name in (field_name, info.alias)
        if name
    )


def iso_dates(model: type[Any], values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's values with each of the model's dates, as written on the page (dd/mm/yyyy),
    in ISO 8601 as the API's models read them; and the date fields writing no date, each
    with its error (their values left out)."""
    given, wrong = dict(values), {}
    for name in date_fields(model) & given.keys():
        found = written_date(str(given[name]))
        if found is None:
            wrong[name] = WRONG_DATE
            del given[name]
        else:
            given[name] = found.isoformat()
    return given, wrong


def redirect(path: str, **query: Any) -> RedirectResponse:
    params = {k: v for k, v in query.items() if v not in (None, "")}
    return RedirectResponse(path + ("?" + urlencode(params) if params else ""), status_code=303)


async def posted(request: Request, session: Session) -> FormData:
    """The form, after its CSRF token is checked against the session's."""
    form = await request.form()
    if not csrf_matches(session.csrf, form.get("csrf")):
        raise PageProblem("forbidden", say("page.csrf"))
    return form


def local_path(target: str) -> str:
    """``target`` if it is a path on this site, else the start page (no open redirect:
    browsers read //host and /\\host as another site)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
