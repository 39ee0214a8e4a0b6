"""Mounting the web pages on the application: the routes, the static files, and the pages
shown for a refusal or a missing sign-in."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

from api.web.errors import ErrorPages
from api.web.pages import PageProblem, SignInNeeded, drafts, router
from api.web.pages.common import STEP_PAGES, StepNeeded
from api.web.render import PAGE_HEADERS, SESSION_COOKIE, Renderer
from service.bootstrap import Service

STATIC = Path(__file__).parent / "static"


class Static(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response


def install(app: FastAPI, service: Service) -> None:
    renderer = Renderer(service)
    app.state.renderer = renderer
    app.include_router(router)
    app.mount("/static", Static(directory=STATIC), name="static")

    @app.exception_handler(SignInNeeded)
    async def sign_in(request: Request, _: SignInNeeded) -> Response:
        target = request.url.path + ("?" + request.url.query if request.url.query else "")
        if request.method == "POST":  # a form sent after its session ended: kept for later
            target = await drafts.keep_posted(request, service)
        response = RedirectResponse(f"/signin?next={quote(target)}", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        response.headers.update(PAGE_HEADERS)
        return response

    @app.exception_handler(StepNeeded)
    def take_step(request: Request, needed: StepNeeded) -> Response:
        target = f"{STEP_PAGES[needed.step]}?next={quote(needed.target)}"
        response = RedirectResponse(target, status_code=303)
        response.headers.update(PAGE_HEADERS)
        return response

    pages = ErrorPages(service, renderer)

    @app.exception_handler(PageProblem)
    def refused(request: Request, problem: PageProblem) -> Response:
        return pages.page(request, problem)

    # a refusal the API's handlers caught on a page's path (``api.problems.browser_page``)
    app.state.problem_page = pages.problem_page
