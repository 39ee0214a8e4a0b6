"""Rendering the pages: Jinja2 with autoescaping, one environment per language, dates as
dd/mm/yyyy, the security headers every page carries and the session cookie."""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.messages import render as render_message
from api.names import Names
from api.problems import english
from api.web import datepicker_labels, i18n, labels
from api.web.calendar_labels import DUE_BASIS_LABELS, DUE_HINTS
from api.web.clock_labels import PAUSE_REASONS
from domain.messages import Message
from domain.organisations import Organisation
from domain.reference import District
from domain.vietnam import BUSINESS_TZ, ISO_DATE, WRITTEN_DATE, written, written_date
from service.bootstrap import Service
from stores.sessions import Session
from stores.tokens import Principal

SESSION_COOKIE = "petitions_session"
TEMPLATES = Path(__file__).parent / "templates"
# Scripts, styles, images and fonts come from this origin only; nothing inline runs, no
# page may frame these, forms post only here.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def csrf_matches(expected: str | None, given: object) -> bool:
    return (
        isinstance(expected, str)
        and isinstance(given, str)
        and bool(expected)
        and hmac.compare_digest(expected, given)
    )


def language_of(request: Request) -> str:
    chosen = request.cookies.get("lang")
    return chosen if chosen in i18n.LANGUAGES else i18n.DEFAULT


def browser_language(request: Request) -> str:
    """The language chosen on the switch; without a choice, the browser's (Accept-Language,
    as the API's problem documents follow it): for the pages of a refusal, which may be
    the first page a visitor sees (a mistyped address)."""
    if request.cookies.get("lang") in i18n.LANGUAGES:
        return language_of(request)
    return "en" if english(request) else i18n.DEFAULT


def dmy(value: date | datetime | str | None) -> str:
    """dd/mm/yyyy; a moment in Vietnamese time with hours and minutes."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        local = value.astimezone(BUSINESS_TZ) if value.tzinfo else value
        return local.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def date_field(value: object) -> str:
    """A date field's value as the field shows it: a date (or an ISO one, from a link) as
    dd/mm/yyyy, anything else as typed (a wrong date is shown back to be corrected); none
    (or a value the page does not have) blank."""
    if not value:
        return ""
    if isinstance(value, date):
        return written(value)
    text = str(value)
    found = written_date(text) if ISO_DATE.fullmatch(text.strip()) else None
    return written(found) if found else text


def upper_first(text: str) -> str:
    """The text with its first letter a capital (the rest as it is: names keep theirs)."""
    return text[:1].upper() + text[1:]


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def due_basis(reference: District, petition: Mapping[str, Any]) -> str | None:
    """Which meeting's day the petition's due date is, in the words of the page (None:
    neither's, or no due date)."""
    due_on = petition.get("due_on")
    if due_on is None:
        return None
    basis = reference.due_basis(petition.get("zone"), petition.get("cell"), due_on)
    return None if basis is None else DUE_BASIS_LABELS[basis]


class Renderer:
    PRE_CSRF_COOKIE = "petitions_signin_csrf"

    def __init__(self, service: Service) -> None:
        self.service = service
        self._names: Names | None = None
        self.translate: dict[str, Callable[[str], str]] = {}
        self.environments = {language: self.environment(language) for language in i18n.LANGUAGES}

    def environment(self, language: str) -> Environment:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"], default=True),
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        translations = i18n.load(language)

        def translate(text: str) -> str:
            """A label of the catalogue, or a refusal (``Message``), in the page's language."""
            return render_message(text, language) if isinstance(text, Message) else (
                translations.gettext(text)
            )

        self.translate[language] = translate
        env.install_gettext_translations(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
            translations, newstyle=True
        )
        # For messages chosen at run time (a field's error, a refusal): translated, never
        # %-formatted.
        env.globals["tr"] = translate
        env.filters["dmy"] = dmy
        env.filters["date_field"] = date_field
        # what a date field takes, checked in the browser as the pages read it
        env.globals["date_pattern"] = rf"\s*(?:{WRITTEN_DATE.pattern}|{ISO_DATE.pattern})\s*"
        env.globals["calendar_labels"] = json.dumps(
            datepicker_labels.calendar_labels(translations.gettext), ensure_ascii=False
        )
        env.filters["percent"] = percent
        env.filters["rate_of"] = lambda rate, key: None if rate is None else rate[key]
        env.filters["department_label"] = self.department_name
        env.globals["labels"] = labels
        env.globals["clock_reasons"] = PAUSE_REASONS
        env.globals["lang"] = language
        return env

    @property
    def names(self) -> Names:
        """The names of every code of the deployment, looked up once per reference data."""
        province = self.service.app.province
        if self._names is None or self._names.province is not province:
            self._names = Names(province)
        return self._names

    def organisation_of(self, principal: Principal | None) -> Organisation:
        """The organisation a user's pages are of: theirs; before sign-in the deployment's
        one organisation, or the province of several."""
        province = self.service.app.province
        code = principal.organisation if principal is not None else None
        if code in province.organisations:
            return province.organisation(code or "")
        return province.only_below() or province.province

    def page(
        self,
        request: Request,
        template: str,
        *,
        status: int = 200,
        language: str | None = None,
        **context: Any,
    ) -> HTMLResponse:
        """``template`` in ``language`` (by default the page's: ``language_of``)."""
        language = language or language_of(request)
        env = self.environments[language]
        tr = self.translate[language]
        province = self.service.app.province
        names = self.names
        principal = context.get("principal")
        organisation = self.organisation_of(principal)
        words = organisation.words
        at_province = organisation.code == province.code
        # what a filter offers: the organisation's own zones and departments; to the
        # province's users every organisation's
        own = province.reference(organisation.code)
        shown = list(province.references.values()) if at_province else [own]
        zones = {code: z.name for r in shown for code, z in r.zones.items()}
        departments = {code: d.name for r in shown for code, d in r.departments.items()}
        html = env.get_template(template).render(
            request=request,
            path=request.url.path,
            here=str(request.url.path) + ("?" + request.url.query if request.url.query else ""),
            # the reference data of the user's organisation: the choices its forms offer
            district=own,
            organisation=organisation,
            words=words,
            province=province,
            at_province=at_province,
            zones=zones,
            departments=departments,
            role_label=lambda role: upper_first(tr(labels.role_label(role, words))),
            # a role as the organisation ``code`` (an event's actor's) calls it
            role_in=lambda role, code: upper_first(tr(labels.role_label(role, names.words(code)))),
            organisation_name=names.organisation,
            department_name=self.department_name,
            zone_name=lambda code: names.zone(code) or "",
            # a cell or department by the name it bore on ``on`` (a petition's date)
            cell_name=lambda code, on=None: names.cell(code, on) or "",
            commune_name=lambda code: names.commune(code) or "",
            category_name=lambda code: self.category_name(code, language),
            due_follows=lambda o, cell: DUE_HINTS[province.reference(o).due_follows(cell)],
            due_basis=lambda p: due_basis(province.reference(p["organisation"]), p),
            max_upload=self.service.settings.max_upload_bytes,
            **context,
        )
        return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)

    def department_name(self, code: str | None, on: date | None = None) -> str:
        """A department of any organisation (a petition's own, or the province's that
        answered its referral), by its name on ``on`` (None: today's)."""
        return self.names.department(code, on) or ""

    def category_name(self, code: str, language: str) -> str:
        category = self.names.categories.get(code)
        if category is None:
            return code
        return category.label_en if language == "en" else category.label

    def render(
        self,
        request: Request,
        session: Session,
        template: str,
        *,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        return self.page(
            request,
            template,
            status=status,
            principal=session.principal,
            csrf=session.csrf,
            **context,
        )

    def signin(
        self,
        request: Request,
        *,
        error: str | None = None,
        status: int = 200,
        retry_after: int | None = None,
        **context: Any,
    ) -> HTMLResponse:
        token = secrets.token_urlsafe(32)
        response = self.page(
            request,
            "signin.html",
            status=status,
            principal=None,
            csrf=token,
            error=error,
            retry_after=retry_after,
            next=request.query_params.get("next", ""),
            **context,
        )
        response.set_cookie(
            self.PRE_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/signin",
        )
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response

    def set_session(self, request: Request, response: Response, session_id: str) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            session_id,
            max_age=self.service.settings.session_hours * 3600,
            httponly=True,
            # Lax: a link from an e-mail opens the page signed in; every form carries a
            # CSRF token besides, so no cross-site post acts for the user.
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
