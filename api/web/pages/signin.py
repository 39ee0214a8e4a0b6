"""Signing in with a username and password (then the second factor's code, where the
account has one) and out, the start page of each role, and the language of the pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.web.pages.common import (
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
from usecases.signin import TooManyAttempts

router = APIRouter(include_in_schema=False)
HOMES = {
    Role.CLERK: "/briefing",
    Role.COMMITTEE: "/board",
    Role.DEPARTMENT: "/inbox",
    Role.AUDITOR: "/audit",
    Role.ADMIN: "/admin",
    Role.SECRETARY: "/cell",
}


@router.get("/")
def home(request: Request, service: ServiceDep) -> Response:
    session_id = request.cookies.get(SESSION_COOKIE)
    session = service.sessions.find(session_id) if session_id else None
    if session is None:
        return redirect("/signin")
    return redirect(HOMES[session.principal.role])


@router.get("/signin")
def signin_form(request: Request, pages: RendererDep) -> Response:
    return pages.signin(request)


@router.post("/signin")
async def signin(request: Request, service: ServiceDep, pages: RendererDep) -> Response:
    form = await request.form()
    username = text(form, "username")
    if not csrf_matches(request.cookies.get(pages.PRE_CSRF_COOKIE), form.get("csrf")):
        return pages.signin(request, error="csrf", status=403, username=username)
    password = form.get("password")
    try:
        signed = await run_in_threadpool(
            service.sign_ins.sign_in,
            username,
            password if isinstance(password, str) else "",
            address_of(request),
        )
    except TooManyAttempts as limited:
        return pages.signin(
            request,
            error="too_many",
            status=429,
            retry_after=limited.retry_after,
            username=username,
        )
    if signed is None:
        return pages.signin(request, error="unknown", status=401, username=username)
    session_id = await run_in_threadpool(
        service.sessions.open, signed.principal, code_given=not signed.needs_code
    )
    response = redirect(local_path(text(form, "next")))
    pages.set_session(request, response, session_id)
    return response


def address_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


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
