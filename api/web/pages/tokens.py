"""The admin's page of API tokens (``/admin/tokens``): the tokens of the admin's
organisation, each with its account where it has one, a form to issue one for a named
client or an active account (its secret shown once), revocation, and the history of
both. The rules are the use cases' (``usecases.tokens``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.web.i18n import N_
from api.web.pages.common import Page, PageDep, PageProblem, redirect, refusals_as_pages, text
from domain.actors import Role
from stores.tokens import TOKEN_ROLES
from usecases.access import UseCase
from usecases.errors import Refused
from usecases.tokens import TokenAdmin, TokenFault, TokenRequest

router = APIRouter(include_in_schema=False)

# What each fault of a token's field says on the page.
FAULTS = {
    TokenFault.REQUIRED: N_("Cần nhập"),
    TokenFault.TOO_LONG: N_("Quá dài (tối đa 200 ký tự)"),
    TokenFault.CONTROL_CHARACTERS: N_("Có ký tự không được phép"),
    TokenFault.NOT_A_ROLE: N_("Hãy chọn một vai trò trong danh sách"),
    TokenFault.UNKNOWN_ORGANISATION: N_("Hãy chọn một tổ chức trong danh sách"),
    TokenFault.DEPARTMENT_NEEDED: N_("Mã của phòng, ban, ngành cần chọn đơn vị"),
    TokenFault.NO_DEPARTMENT: N_("Chỉ mã của phòng, ban, ngành mới chọn đơn vị"),
    TokenFault.UNKNOWN_DEPARTMENT: N_("Đơn vị không thuộc tổ chức đã chọn"),
    TokenFault.CELL_NEEDED: N_("Mã của bí thư chi bộ cấp theo tài khoản của người đó"),
    TokenFault.NO_CELL: N_("Chỉ bí thư chi bộ mới chọn chi bộ"),
    TokenFault.UNKNOWN_CELL: N_("Chi bộ không thuộc tổ chức đã chọn"),
    TokenFault.UNKNOWN_TOKEN: N_("Không có mã truy cập này"),
    TokenFault.ALREADY_REVOKED: N_("Mã truy cập này đã bị thu hồi"),
    TokenFault.OWN_TOKEN: N_("Không thu hồi mã truy cập đang dùng để đăng nhập"),
    TokenFault.UNKNOWN_ACCOUNT: N_("Không có tài khoản này"),
    TokenFault.ACCOUNT_DISABLED: N_("Tài khoản này đã bị khóa"),
    TokenFault.OTHER_ORGANISATION: N_("Tài khoản thuộc tổ chức khác"),
}
FORM_FIELDS = ("name", "account", "role", "organisation", "department")


def admin_of(page: Page) -> TokenAdmin:
    return TokenAdmin(page.service.tokens, page.service.app.province, page.service.accounts)


def active_accounts(page: Page) -> list[dict[str, Any]]:
    """The active accounts a token may be issued for: those the admin manages."""
    listed = page.service.account_admin.accounts(page.principal)
    return [a for a in listed if a["disabled_at"] is None]


def organisations_managed(page: Page) -> list[str]:
    """The organisations whose tokens the admin issues: its own, or every one from the
    province (the province itself first)."""
    province = page.service.app.province
    own = page.renderer.organisation_of(page.principal)
    if own.code != province.code:
        return [own.code]
    return [province.code, *(o.code for o in province.below())]


def departments_of(page: Page, organisations: list[str]) -> list[tuple[str, dict[str, str]]]:
    """The departments of each of those organisations, by code, with their names."""
    province = page.service.app.province
    return [
        (o, {code: d.name for code, d in province.reference(o).departments.items()})
        for o in organisations
    ]


def token_page(
    page: Page,
    *,
    status: int = 200,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    issued: dict[str, Any] | None = None,
    done: str | None = None,
) -> HTMLResponse:
    admin = admin_of(page)
    actor = page.principal.actor
    organisations = organisations_managed(page)
    return page.render(
        "tokens.html",
        status=status,
        tokens=refusals_as_pages(admin.tokens, actor),
        history=refusals_as_pages(admin.history, actor, 100),
        # a secretary's token is issued for its account, which names the cell
        roles=[r.value for r in TOKEN_ROLES if r is not Role.SECRETARY],
        managed=organisations,
        accounts=refusals_as_pages(active_accounts, page),
        department_choices=departments_of(page, organisations),
        form=form or {"organisation": organisations[0]},
        errors=errors or {},
        issued=issued,
        done=done,
        own_token=page.principal.token_id,
    )


def fault_words(refused: Refused) -> dict[str, str]:
    return {field: FAULTS[TokenFault(fault)] for field, fault in refused.fields.items()}


@router.get("/admin/tokens", response_class=HTMLResponse)
def tokens_page(page: PageDep, done: str | None = None) -> Response:
    admin_only(page)
    return token_page(page, done=done if done == "token_revoked" else None)


@router.post("/admin/tokens", response_class=HTMLResponse)
async def issue_token(page: PageDep) -> Response:
    admin_only(page)
    form = await page.posted()
    given = {name: text(form, name) for name in FORM_FIELDS}
    request = TokenRequest(**given)
    try:
        token_id, secret = await run_in_threadpool(
            admin_of(page).issue, page.principal.actor, request
        )
    except Refused as refused:
        if refused.code != "validation_error":
            raise PageProblem(refused.code, refused.detail) from None
        return token_page(page, status=422, form=given, errors=fault_words(refused))
    issued: dict[str, Any] = {"token_id": token_id, "secret": secret, "name": request.name.strip()}
    if request.account.strip():
        issued["account"] = page.service.accounts.get(request.account.strip())
    return token_page(page, status=201, issued=issued)


@router.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse)
async def revoke_token(page: PageDep, token_id: str) -> Response:
    admin_only(page)
    await page.posted()
    try:
        await run_in_threadpool(admin_of(page).revoke, page.principal.actor, token_id)
    except Refused as refused:
        if refused.code == "forbidden":
            raise PageProblem(refused.code, refused.detail) from None
        status = 404 if refused.code == "not_found" else 422
        return token_page(page, status=status, errors=fault_words(refused))
    return redirect("/admin/tokens", done="token_revoked")


def admin_only(page: Page) -> None:
    """The page serves the API tokens' use case (its rule: ``usecases.access``)."""
    page.admit(UseCase.API_TOKENS)
