"""Signing in and out, the start page of each role, and the language of the pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.web.pages.common import (
    PageProblem,
    RendererDep,
    ServiceDep,
    SessionDep,
    local_path,
    posted,
    redirect,
    text,
)
from api.web.render import SESSION_COOKIE, csrf_matches
from domain.actors import Role

router = APIRouter(include_in_schema=False)
HOMES = {
    Role.CLERK: "/briefing",
    Role.COMMITTEE: "/board",
    Role.DEPARTMENT: "/inbox",
    Role.AUDITOR: "/audit",
    Role.ADMIN: "/admin/reference",
}


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
