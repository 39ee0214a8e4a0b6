"""A person's own account: the second factor's code after the password, the change of a
one-time password (before any other page), the enrolment of a second factor, and the
account's page. What each fault of a field says is here too (``FAULTS``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.web.i18n import N_
from api.web.pages.common import (
    AnyStepDep,
    PageDep,
    RendererDep,
    ServiceDep,
    local_path,
    posted,
    redirect,
    text,
)
from api.web.pages.signin import address_of
from api.web.render import SESSION_COOKIE, language_of
from domain.passwords import PasswordFault
from stores.sessions import Session
from usecases.accounts import AccountFault
from usecases.errors import Refused
from usecases.signin import TooManyAttempts, new_secret, next_step, provisioning_uri

router = APIRouter(include_in_schema=False)

# What each fault of an account's field says on the page.
FAULTS = {
    AccountFault.REQUIRED: N_("Cần nhập"),
    AccountFault.TOO_LONG: N_("Quá dài (tối đa 200 ký tự)"),
    AccountFault.CONTROL_CHARACTERS: N_("Có ký tự không được phép"),
    AccountFault.NOT_A_USERNAME: N_(
        "Từ 3 đến 64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới"
    ),
    AccountFault.USERNAME_TAKEN: N_("Tên đăng nhập này đã có người dùng"),
    AccountFault.NOT_A_ROLE: N_("Hãy chọn một vai trò trong danh sách"),
    AccountFault.UNKNOWN_ORGANISATION: N_("Hãy chọn một tổ chức trong danh sách"),
    AccountFault.DEPARTMENT_NEEDED: N_("Người dùng của phòng, ban, ngành cần chọn đơn vị"),
    AccountFault.NO_DEPARTMENT: N_("Chỉ người dùng của phòng, ban, ngành mới chọn đơn vị"),
    AccountFault.UNKNOWN_DEPARTMENT: N_("Đơn vị không thuộc tổ chức của tài khoản"),
    AccountFault.CELL_NEEDED: N_("Bí thư chi bộ cần chọn chi bộ"),
    AccountFault.NO_CELL: N_("Chỉ bí thư chi bộ mới chọn chi bộ"),
    AccountFault.UNKNOWN_CELL: N_("Chi bộ không thuộc tổ chức của tài khoản"),
    AccountFault.UNKNOWN_ACCOUNT: N_("Không có tài khoản này"),
    AccountFault.DISABLED: N_("Tài khoản này đã bị khóa"),
    AccountFault.OWN_ACCOUNT: N_("Không tự khóa hay đổi vai trò tài khoản của chính mình"),
    AccountFault.WRONG_PASSWORD: N_("Mật khẩu hiện tại không đúng"),
    AccountFault.MISMATCH: N_("Hai lần nhập mật khẩu mới không giống nhau"),
    AccountFault.SAME_PASSWORD: N_("Mật khẩu mới phải khác mật khẩu hiện tại"),
    AccountFault.WRONG_CODE: N_("Mã xác thực không đúng hoặc đã hết hạn"),
    AccountFault.NO_SECOND_FACTOR: N_("Tài khoản này chưa bật xác thực hai lớp"),
    PasswordFault.TOO_SHORT: N_("Mật khẩu quá ngắn (ít nhất %(min)s ký tự)"),
    PasswordFault.TOO_LONG: N_("Mật khẩu quá dài"),
    PasswordFault.IS_USERNAME: N_("Mật khẩu không được là tên đăng nhập"),
    PasswordFault.COMMON: N_("Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác"),
}
FAULTS_BY_VALUE = {fault.value: message for fault, message in FAULTS.items()}


def field_errors(refused: Refused, translate: Any, min_length: int) -> dict[str, str]:
    """Each field of a refusal with what was wrong with it, translated."""
    return {
        field: translate(FAULTS_BY_VALUE.get(value, value)) % {"min": min_length}
        if "%(min)s" in FAULTS_BY_VALUE.get(value, "")
        else translate(FAULTS_BY_VALUE.get(value, value))
        for field, value in refused.fields.items()
    }


def step_page(
    request: Request,
    session: Session,
    pages: RendererDep,
    template: str,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    return pages.render(
        request,
        session,
        template,
        status=status,
        next=local_path(request.query_params.get("next", "/")),
        session_must_change=session.must_change,
        **context,
    )


def errors_of(pages: RendererDep, request: Request, refused: Refused, min_length: int) -> Any:
    return field_errors(refused, pages.translate[language_of(request)], min_length)


# ---- the second factor's code, after the password ---------------------------------------


@router.get("/signin/code", response_class=HTMLResponse)
def code_form(request: Request, session: AnyStepDep, pages: RendererDep) -> Response:
    if session.code_given:
        return redirect(local_path(request.query_params.get("next", "/")))
    return step_page(request, session, pages, "signin_code.html")


@router.post("/signin/code")
async def give_code(
    request: Request, service: ServiceDep, session: AnyStepDep, pages: RendererDep
) -> Response:
    form = await posted(request, session)
    target = local_path(text(form, "next"))
    try:
        given = await run_in_threadpool(
            service.sign_ins.give_code, session.principal, text(form, "code"), address_of(request)
        )
    except TooManyAttempts as limited:
        response = step_page(
            request,
            session,
            pages,
            "signin_code.html",
            status=429,
            error="too_many",
            retry_after=limited.retry_after,
        )
        response.headers["Retry-After"] = str(limited.retry_after)
        return response
    if not given:
        return step_page(request, session, pages, "signin_code.html", status=401, error="wrong")
    await run_in_threadpool(service.sessions.code_given, request.cookies.get(SESSION_COOKIE, ""))
    return redirect(target)


# ---- the password ----------------------------------------------------------------------


@router.get("/account/password", response_class=HTMLResponse)
def password_form(
    request: Request, service: ServiceDep, session: AnyStepDep, pages: RendererDep
) -> Response:
    return step_page(
        request,
        session,
        pages,
        "account_password.html",
        min_length=service.settings.password_min_length,
        errors={},
    )


@router.post("/account/password")
async def change_password(
    request: Request, service: ServiceDep, session: AnyStepDep, pages: RendererDep
) -> Response:
    form = await posted(request, session)
    values = {
        k: v if isinstance(v := form.get(k), str) else ""
        for k in ("current", "password", "repeated")
    }
    min_length = service.settings.password_min_length
    try:
        await run_in_threadpool(
            service.sign_ins.change_password,
            session.principal,
            values["current"],
            values["password"],
            values["repeated"],
        )
    except Refused as refused:
        return step_page(
            request,
            session,
            pages,
            "account_password.html",
            status=422,
            min_length=min_length,
            errors=errors_of(pages, request, refused, min_length),
        )
    session_id = request.cookies.get(SESSION_COOKIE, "")
    await run_in_threadpool(service.sessions.close_others, session.principal.token_id, session_id)
    if session.must_change:  # the one-time password: on to where the user was going
        return redirect(local_path(text(form, "next")))
    return redirect("/account", done="password")


# ---- the second factor -----------------------------------------------------------------


@router.get("/account/second-factor", response_class=HTMLResponse)
def second_factor_form(request: Request, session: AnyStepDep, pages: RendererDep) -> Response:
    return enrol_page(request, session, pages, new_secret())


def enrol_page(
    request: Request,
    session: Session,
    pages: RendererDep,
    secret: str,
    *,
    status: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return step_page(
        request,
        session,
        pages,
        "account_second_factor.html",
        status=status,
        secret=secret,
        grouped=grouped,
        uri=provisioning_uri(secret, session.principal.name),
        error=error,
    )


@router.post("/account/second-factor")
async def enrol(
    request: Request, service: ServiceDep, session: AnyStepDep, pages: RendererDep
) -> Response:
    form = await posted(request, session)
    secret = text(form, "secret")
    try:
        await run_in_threadpool(
            service.sign_ins.enrol, session.principal, secret, text(form, "code")
        )
    except Refused:
        return enrol_page(
            request,
            session,
            pages,
            secret if len(secret) == 32 else new_secret(),
            status=422,
            error="wrong",
        )
    if not session.enrolled and next_step(session, service.settings.totp_required):
        return redirect(local_path(text(form, "next")))  # the role needed it: on
    return redirect("/account", done="second_factor")


# ---- the account's page ----------------------------------------------------------------


@router.get("/account", response_class=HTMLResponse)
def account(page: PageDep, done: str | None = None) -> Response:
    row = page.service.accounts.get(page.principal.token_id) or {}
    return page.render("account.html", account=row, done=done)
