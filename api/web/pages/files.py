"""The office's files on the pages: the minutes imported from a spreadsheet (the clerk's),
the template to fill in, and the exports of every list, board, scorecard and report.

Each calls the API's own function (``api.imports``, ``api.exports``) for the signed-in
user, after the role check that function's route declares, so a file downloaded from a
page is the file the API gives the same user. Every export of the API is served here at its
path without ``/v1`` (``/exports/overdue`` for ``/v1/exports/overdue``), taking the same
query parameters, so a filter added to an export is on the page's at once."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api import duties, exports, imports, meeting_exports, meeting_reports, quality_export
from api.formats import minutes
from api.web.i18n import N_
from api.web.pages.common import Page, PageDep, PageProblem, refusals_as_pages
from domain.actors import Role
from usecases import importing
from usecases.access import UseCase
from usecases.commands import Context

router = APIRouter(include_in_schema=False)
NOT_YOURS = N_("Vai trò của bạn không được tải tệp này.")
FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


@router.get("/import", response_class=HTMLResponse)
def import_form(page: PageDep) -> Response:
    page.admit(UseCase.IMPORT)
    return import_page(page, plan=None, done=None, name="")


def import_page(page: Page, *, status: int = 200, **context: Any) -> Response:
    """The import page: what the file holds (the template's headings), the form, and what
    was found in the file sent or recorded from it."""
    return page.render(
        "import.html",
        status=status,
        headings=list(minutes.HEADINGS.values()),
        max_rows=minutes.MAX_ROWS,
        max_body=page.service.settings.max_body_bytes,
        **context,
    )


@router.post("/import", response_class=HTMLResponse)
async def import_upload(page: PageDep) -> Response:
    form = await page.posted()
    upload = form.get("file")
    content, name = b"", ""
    if isinstance(upload, UploadFile):
        content, name = await upload.read(), upload.filename or ""
    return await run_in_threadpool(import_file, page, content, name)


def import_file(page: Page, content: bytes, name: str) -> Response:
    """Every row checked first, as ``POST /v1/imports`` checks them: with any fault the page
    lists each (row, column by its heading, reason) and nothing is recorded; else every
    row is recorded and the page sums up what was (rows imported before are not again)."""
    page.admit(UseCase.IMPORT)
    plan = refusals_as_pages(imports.checked, page.service, page.principal, content)
    if plan.errors:
        return import_page(page, status=422, plan=plan, done=None, name=name)
    ctx = Context.of(page.principal, getattr(page.request.state, "request_id", None))
    done = refusals_as_pages(importing.record, page.service.app, plan, ctx)
    rows = [
        {"row": d.row, "id": d.id, "replayed": d.replayed, "draft": p.draft}
        for d, p in zip(done, plan.petitions, strict=True)
    ]
    days = [p.draft.raised_on for p in plan.petitions]
    positions = [d.position for d in done if d.position is not None]
    listing = {
        "raised_from": min(days).isoformat(),
        "raised_to": max(days).isoformat(),
        "min_position": max(positions, default=None),
    }
    return import_page(
        page,
        plan=plan,
        done=rows,
        name=name,
        recorded=sum(not d.replayed for d in done),
        listing={k: v for k, v in listing.items() if v is not None},
    )


# ---- the API's downloads, for the signed-in user --------------------------------------------


def admitted(endpoint: Callable[..., Any]) -> frozenset[Role]:
    """The roles the API route of ``endpoint`` admits: those of its principal's dependency
    (``api.auth.may``, from the use cases' rules)."""
    principal = inspect.signature(endpoint, eval_str=True).parameters["principal"]
    roles: frozenset[Role] = principal.annotation.__metadata__[0].dependency.roles
    return roles


def for_the_session(endpoint: Callable[..., Response]) -> Callable[..., Response]:
    """A page route calling the API's ``endpoint``: the same query parameters (declared by
    the endpoint's own signature, validated alike), the signed-in user in place of the
    bearer token's, the same roles admitted, refusals shown as pages."""
    signature = inspect.signature(endpoint, eval_str=True)
    roles = admitted(endpoint)
    query = [p for n, p in signature.parameters.items() if n not in ("principal", "service")]

    def route(page: Page, **given: Any) -> Response:
        if page.principal.role not in roles:
            raise PageProblem("forbidden", page.translated(NOT_YOURS))
        answer = refusals_as_pages(
            lambda: endpoint(principal=page.principal, service=page.service, **given)
        )
        answer.headers.update(FILE_HEADERS)
        return answer

    page = inspect.Parameter("page", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=PageDep)
    shown = signature.replace(parameters=[page, *query])
    route.__signature__ = shown  # type: ignore[attr-defined]  # FastAPI reads the parameters
    route.__name__ = f"page_{endpoint.__name__}"
    return route


def downloads() -> Iterator[APIRoute]:
    """The API's downloads: every export, and the import template."""
    routes = (
        *exports.router.routes,
        *meeting_exports.router.routes,
        *quality_export.router.routes,
        *meeting_reports.router.routes,
        *duties.router.routes,
        *imports.router.routes,
    )
    for api_route in routes:
        if not isinstance(api_route, APIRoute) or "GET" not in (api_route.methods or ()):
            continue
        if api_route.path.startswith("/v1/exports/") or api_route.endpoint is imports.template:
            yield api_route


for download in downloads():
    router.add_api_route(
        download.path.removeprefix("/v1"),
        for_the_session(download.endpoint),
        methods=["GET"],
        response_class=Response,
    )
