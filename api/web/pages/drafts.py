"""Typed work survives an ended session: a page form posted once its session has ended is
kept (``stores.drafts``) for the user who typed it, who is sent to sign in and then back to
the form's page, where it shows filled in as typed. Only the one who typed it sees it
again: it is kept under the owner of the session that served the form (known by the
form's CSRF secret, or the cookie), and shown only to that owner signed in again."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.web.pages.common import DRAFT, local_path
from api.web.render import SESSION_COOKIE
from service.bootstrap import Service
from stores.drafts import Draft
from usecases import access

NOT_KEPT = frozenset({"csrf"})  # what a kept form is shown again without (the session's)
UNKEPT_PATHS = frozenset({"/signout"})


def page_of(action: str) -> str:
    """The page a form posted to ``action`` is on: a petition's own for its forms, else
    the page of the same path."""
    parts = action.strip("/").split("/")
    if len(parts) == 3 and parts[0] == "petitions":
        return f"/petitions/{parts[1]}"
    return action


def back_to(request: Request) -> str:
    """Where the user goes back to after signing in: the page the form was on (the
    referring page of this site, with its query), else the form's path's page."""
    referrer = urlsplit(request.headers.get("referer", ""))
    if referrer.netloc == request.url.netloc and referrer.path.startswith("/"):
        query = [(k, v) for k, v in parse_qsl(referrer.query) if k != DRAFT]
        back = referrer.path + ("?" + urlencode(query) if query else "")
        if local_path(back) == back and referrer.path != "/signin":
            return back
    return page_of(request.url.path)


def with_draft(path: str, draft_id: str) -> str:
    return path + ("&" if "?" in path else "?") + urlencode({DRAFT: draft_id})


async def keep_posted(request: Request, service: Service) -> str:
    """Keep the form this request posts, for the owner of the session that served it; the
    page to come back to after signing in (naming the kept form, if it was kept)."""
    back = back_to(request)
    if request.url.path in UNKEPT_PATHS:
        return "/"
    form = await request.form()
    fields = tuple(
        (name, value)
        for name, value in form.multi_items()
        if isinstance(value, str) and name not in NOT_KEPT
    )
    files = sum(1 for _, v in form.multi_items() if isinstance(v, UploadFile) and v.filename)
    csrf = form.get("csrf")
    cookie = request.cookies.get(SESSION_COOKIE)

    def keep() -> str | None:
        principal = service.sessions.lapsed(csrf=csrf) if isinstance(csrf, str) else None
        principal = principal or (service.sessions.lapsed(session_id=cookie) if cookie else None)
        if principal is None or not fields:
            return None
        draft = Draft(request.url.path, back, fields, files)
        return service.drafts.keep(access.owner(principal), draft)

    draft_id = await run_in_threadpool(keep)
    return back if draft_id is None else with_draft(back, draft_id)
