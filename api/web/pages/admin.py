"""The admin's pages: its home (``/admin``, linking to every page of the role's menu) and
the accounts of its organisation (a province's admin: every organisation's): create one
(its one-time password shown once), reset a password, change a role or department,
remove a lost second factor, revoke its API tokens, disable one; and the history of
those changes, which the auditor reads too. The rules are the use cases'
(``usecases.accounts``, ``usecases.tokens``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.web import labels
from api.web.pages.account import errors_of
from api.web.pages.common import Page, PageDep, PageProblem, redirect, text
from api.web.pages.tokens import admin_of, departments_of, fault_words, organisations_managed
from domain.actors import Role
from stores.tokens import TOKEN_ROLES
from usecases.access import UseCase
from usecases.accounts import AccountRequest
from usecases.errors import Refused

router = APIRouter(include_in_schema=False)
FORM_FIELDS = ("username", "full_name", "position", "role", "organisation", "department", "cell")


@router.get("/admin", response_class=HTMLResponse)
def admin_home(page: PageDep) -> Response:
    page.admit(UseCase.ACCOUNTS)
    links = [(href, label) for href, label in labels.NAV[Role.ADMIN] if href != "/admin"]
    return page.render("admin.html", links=links)


def accounts_page(
    page: Page,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    created: dict[str, Any] | None = None,
) -> HTMLResponse:
    admin = page.service.account_admin
    accounts = page.ask(UseCase.ACCOUNTS, lambda: admin.accounts(page.principal))
    organisations = organisations_managed(page)
    return page.render(
        "accounts.html",
        status=status,
        accounts=accounts,
        organisations=organisations,
        choices=dict(departments_of(page, organisations)),
        cells=cells_of(page, organisations),
        roles=[r.value for r in TOKEN_ROLES],
        errors=errors or {},
        form=form or {"organisation": page.renderer.organisation_of(page.principal).code},
        created=created,
        min_length=page.service.settings.password_min_length,
    )


@router.get("/admin/accounts", response_class=HTMLResponse)
def accounts(page: PageDep) -> Response:
    page.admit(UseCase.ACCOUNTS)
    return accounts_page(page)


@router.post("/admin/accounts", response_class=HTMLResponse)
async def create_account(page: PageDep) -> Response:
    page.admit(UseCase.ACCOUNTS)
    form = await page.posted()
    given = {name: text(form, name) for name in FORM_FIELDS}
    try:
        user_id, password = await run_in_threadpool(
            page.service.account_admin.create, page.principal, AccountRequest(**given)
        )
    except Refused as refused:
        if refused.code != "validation_error":
            raise PageProblem(refused.code, refused.detail) from None
        return accounts_page(page, status=422, errors=errors_of_page(page, refused), form=given)
    created = {"user_id": user_id, "username": given["username"].lower(), "password": password}
    return accounts_page(page, created=created)


def cells_of(page: Page, organisations: list[str]) -> dict[str, dict[str, str]]:
    """The party cells of each of those organisations, by code, with their names (a
    cell's secretary's account names one)."""
    province = page.service.app.province
    return {
        o: {code: c.name for code, c in sorted(province.reference(o).cells.items())}
        for o in organisations
    }


def errors_of_page(page: Page, refused: Refused) -> dict[str, str]:
    return dict(
        errors_of(page.renderer, page.request, refused, page.service.settings.password_min_length)
    )


def account_page(
    page: Page,
    user_id: str,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    password: str | None = None,
    done: str | None = None,
) -> HTMLResponse:
    try:
        account = page.service.account_admin.account(page.principal, user_id)
    except Refused as refused:
        raise PageProblem("not_found", errors_of_page(page, refused).get("account", "")) from None
    province = page.service.app.province
    actor = page.principal.actor
    tokens = page.ask(UseCase.API_TOKENS, lambda: admin_of(page).tokens(actor, user_id))
    return page.render(
        "account_admin.html",
        status=status,
        account=account,
        tokens=tokens,
        departments_of=province.reference(account["organisation"]).departments,
        cells_of=cells_of(page, [account["organisation"]])[account["organisation"]],
        roles=[r.value for r in TOKEN_ROLES],
        own=user_id == page.principal.token_id,
        errors=errors or {},
        password=password,
        done=done,
    )


@router.get("/admin/accounts/{user_id}", response_class=HTMLResponse)
def account(page: PageDep, user_id: str, done: str | None = None) -> Response:
    page.admit(UseCase.ACCOUNTS)
    return account_page(page, user_id, done=done)


async def change(page: Page, user_id: str, run: Callable[[FormData], Any], done: str) -> Response:
    """One change of an account from its page's form: on to the page saying it was done,
    or back to it with each field's fault."""
    page.admit(UseCase.ACCOUNTS)
    form = await page.posted()
    try:
        result = await run_in_threadpool(run, form)
    except Refused as refused:
        return account_page(page, user_id, status=422, errors=errors_of_page(page, refused))
    if isinstance(result, str):  # a new one-time password, shown this once
        return account_page(page, user_id, password=result)
    return redirect(f"/admin/accounts/{user_id}", done=done)


@router.post("/admin/accounts/{user_id}/password", response_class=HTMLResponse)
async def reset_password(page: PageDep, user_id: str) -> Response:
    admin = page.service.account_admin
    return await change(
        page, user_id, lambda _: admin.reset_password(page.principal, user_id), "password_reset"
    )


@router.post("/admin/accounts/{user_id}/role", response_class=HTMLResponse)
async def change_role(page: PageDep, user_id: str) -> Response:
    admin = page.service.account_admin

    def run(form: FormData) -> None:
        admin.change_role(
            page.principal,
            user_id,
            text(form, "role"),
            text(form, "department"),
            text(form, "cell"),
        )

    return await change(page, user_id, run, "role_changed")


@router.post("/admin/accounts/{user_id}/second-factor/remove", response_class=HTMLResponse)
async def remove_second_factor(page: PageDep, user_id: str) -> Response:
    admin = page.service.account_admin
    return await change(
        page,
        user_id,
        lambda _: admin.remove_second_factor(page.principal, user_id),
        "second_factor_removed",
    )


@router.post("/admin/accounts/{user_id}/tokens/{token_id}/revoke", response_class=HTMLResponse)
async def revoke_token(page: PageDep, user_id: str, token_id: str) -> Response:
    """Revoke one of the account's API tokens, from the account's page."""
    page.admit(UseCase.API_TOKENS)
    await page.posted()
    try:
        await run_in_threadpool(admin_of(page).revoke, page.principal.actor, token_id, user_id)
    except Refused as refused:
        if refused.code == "forbidden":
            raise PageProblem(refused.code, refused.detail) from None
        status = 404 if refused.code == "not_found" else 422
        return account_page(page, user_id, status=status, errors=fault_words(refused))
    return redirect(f"/admin/accounts/{user_id}", done="token_revoked")


@router.post("/admin/accounts/{user_id}/disable", response_class=HTMLResponse)
async def disable(page: PageDep, user_id: str) -> Response:
    admin = page.service.account_admin
    return await change(
        page, user_id, lambda _: admin.disable(page.principal, user_id), "account_disabled"
    )


@router.get("/accounts/history", response_class=HTMLResponse)
def history(page: PageDep) -> Response:
    admin = page.service.account_admin
    rows = page.ask(UseCase.ACCOUNT_HISTORY, lambda: admin.history(page.principal))
    return page.render("account_history.html", rows=rows)
