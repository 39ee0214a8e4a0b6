"""Errors as RFC 9457 problem details, titled in Vietnamese or English by Accept-Language.

Every refusal a client can cause gets a problem document with a stable ``code`` (also the
last segment of ``type``); nothing a client sends ends in a 500. A fault of the service's
own is answered by ``server_error``: a 500 ``internal_error`` naming the request id and
nothing of the fault itself (the traceback goes to the log, under the same request id).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import structlog
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from psycopg_pool import PoolTimeout, TooManyRequests
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.messages import render, render_fields, validation_message
from domain.errors import DomainError
from domain.messages import ENGLISH, Message, say
from usecases.errors import Refused

log = structlog.get_logger(__name__)

PROBLEM_JSON = "application/problem+json"

# code -> (status, Vietnamese title, English title)
PROBLEMS: dict[str, tuple[int, str, str]] = {
    "bad_request": (400, "Không đọc được yêu cầu", "The request could not be read"),
    "invalid_command": (422, "Dữ liệu không hợp lệ", "Invalid data"),
    "validation_error": (422, "Yêu cầu không đúng định dạng", "The request is malformed"),
    "import_rejected": (
        422,
        "Tệp nhập có dòng không hợp lệ, chưa ghi nhận dòng nào",
        "The imported file has faults; nothing was recorded",
    ),
    "idempotency_key_reused": (
        422,
        "Khóa Idempotency-Key đã dùng cho yêu cầu khác",
        "Idempotency-Key already used for another request",
    ),
    "illegal_transition": (
        409,
        "Thao tác không phù hợp với trạng thái của ý kiến",
        "Not allowed in the petition's current state",
    ),
    "wrong_department": (
        409,
        "Ý kiến không do đơn vị của bạn giải quyết",
        "The petition is not assigned to your department",
    ),
    "concurrent_update": (
        409,
        "Ý kiến vừa được người khác cập nhật, hãy thử lại",
        "Someone else changed the petition meanwhile; retry",
    ),
    "meeting_out_of_order": (
        409,
        "Thao tác không phù hợp với trạng thái của hội nghị",
        "Not allowed in the meeting's current state",
    ),
    "stale_version": (412, "Phiên bản ý kiến đã cũ", "The petition has a newer version"),
    "not_permitted": (
        403,
        "Vai trò của bạn không được phép thực hiện thao tác này",
        "Your role may not do this",
    ),
    "forbidden": (403, "Không có quyền truy cập", "Forbidden"),
    "unauthorized": (
        401,
        "Cần đăng nhập bằng mã truy cập hợp lệ",
        "A valid bearer token is required",
    ),
    "petition_not_found": (404, "Không tìm thấy ý kiến", "Petition not found"),
    "meeting_not_found": (404, "Không tìm thấy hội nghị", "Meeting not found"),
    "not_found": (404, "Không tìm thấy", "Not found"),
    "method_not_allowed": (405, "Phương thức không được hỗ trợ", "Method not allowed"),
    "payload_too_large": (413, "Nội dung gửi lên quá lớn", "Request body too large"),
    "unsupported_media_type": (
        415,
        "Định dạng nội dung không được hỗ trợ",
        "Unsupported media type",
    ),
    "database_unavailable": (
        503,
        "Cơ sở dữ liệu tạm thời không truy cập được",
        "The database is temporarily unavailable",
    ),
    "service_busy": (
        503,
        "Hệ thống đang bận, hãy thử lại sau giây lát",
        "The service is busy; retry in a moment",
    ),
    "views_behind": (
        503,
        "Số liệu tổng hợp chưa cập nhật kịp, hãy thử lại",
        "The read models have not caught up yet; retry",
    ),
    "access_log_unavailable": (
        503,
        "Không ghi được nhật ký truy cập nên chưa thể đọc",
        "The read could not be recorded in the access log, so it is refused",
    ),
    "internal_error": (500, "Lỗi hệ thống", "Internal error"),
}
STATUS_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    401: "unauthorized",
    403: "forbidden",
}


class FieldErrorRead(BaseModel):
    field: str = Field(description="The field, parameter or header at fault")
    in_: str | SkipJsonSchema[None] = Field(
        default=None, alias="in", description="body, query, path, header, or file (imports)"
    )
    row: int | SkipJsonSchema[None] = Field(
        default=None, description="In an imported file: the row, the headings' row being 1"
    )
    column: str | SkipJsonSchema[None] = Field(
        default=None, description="In an imported file: the column's heading"
    )
    message: str


class ProblemRead(BaseModel):
    """An RFC 9457 problem document. Extension members (``role``, ``field``...) may follow."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="`/problems/<code>`")
    title: str = Field(description="In Vietnamese, or in English if Accept-Language prefers it")
    status: int
    detail: str
    code: str = Field(json_schema_extra={"enum": list(PROBLEMS)})
    instance: str = Field(description="The request path")
    request_id: str | SkipJsonSchema[None] = None
    errors: list[FieldErrorRead] | SkipJsonSchema[None] = None


REF = "#/components/schemas/{model}"
HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
    503: {
        "Retry-After": {
            "required": True,
            "description": "Seconds to wait before retrying",
            "schema": {"type": "string"},
        }
    },
}
PROBLEM_RESPONSES: dict[int, dict[str, Any]] = {
    status: {
        "description": "; ".join(
            f"`{code}`: {english}" for code, (s, _, english) in PROBLEMS.items() if s == status
        ),
        "content": {PROBLEM_JSON: {"schema": {"$ref": REF.format(model="ProblemRead")}}},
        **({"headers": HEADERS[status]} if status in HEADERS else {}),
    }
    for status in sorted({status for status, _, _ in PROBLEMS.values()})
    if status < 500 or status == 503
}


# The refusals of a route that records new petitions from a body (raise, import).
CREATING = (400, 401, 403, 409, 413, 422, 503)


def problem_responses(
    *statuses: int, before: dict[int | str, dict[str, Any]] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of a route's refusals, each documented as a problem,
    after the route's own responses ``before``."""
    return {**(before or {}), **{status: PROBLEM_RESPONSES[status] for status in statuses}}


class Problem(Exception):
    """A refusal raised by the API layer itself (auth, object-level checks, waits)."""

    def __init__(
        self, code: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.code, self.detail, self.headers, self.extra = code, detail, headers or {}, extra


def refused_problem(error: Refused, where: str, language: str) -> Problem:
    """A use case's refusal as the API words it in ``language``: each input at fault
    listed, in ``where`` (the query of a read, the body of a write), and when to retry."""
    extra: dict[str, Any] = {}
    if error.fields:
        extra["errors"] = [
            {"field": name, "in": where, "message": message}
            for name, message in render_fields(error.fields, language).items()
        ]
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else None
    return Problem(error.code, render(error.detail, language), headers=headers, **extra)


def english(request: Request) -> bool:
    """English if the client prefers it to Vietnamese; Vietnamese by default."""
    for part in request.headers.get("accept-language", "").split(","):
        language = part.split(";")[0].strip().lower()
        if language.startswith("vi"):
            return False
        if language.startswith("en"):
            return True
    return False


def language(request: Request) -> str:
    """The language of the client's refusals: ``en`` or ``vi``."""
    return "en" if english(request) else "vi"


def problem(
    request: Request, code: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    status, title_vi, title_en = PROBLEMS[code]
    body = ProblemRead(
        type=f"/problems/{code}",
        title=title_en if english(request) else title_vi,
        status=status,
        detail=detail,
        code=code,
        instance=request.url.path,
        request_id=getattr(request.state, "request_id", None) or None,
        **extra,
    )
    return JSONResponse(
        body.model_dump(mode="json", by_alias=True, exclude_none=True),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_JSON,
    )


def server_error(request: Request) -> Response:
    """The answer to an unhandled error: a problem document, or for a web page a page,
    that says only that it happened and under which request id it was logged."""
    request_id = getattr(request.state, "request_id", None) or "?"
    page = getattr(request.app.state, "problem_page", None)
    if page is not None and not request.url.path.startswith(API_PATHS):
        detail = f"Lỗi hệ thống, đã ghi vào nhật ký với mã yêu cầu {request_id}."
        try:
            answer: Response = page(request, "internal_error", detail, {})
            return answer
        except Exception:  # the page itself failed: the document below still answers
            log.exception("server_error.page_failed")
    detail = render(say("server.error", request_id=request_id), language(request))
    return problem(request, "internal_error", detail)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on the request's path."""
    methods: set[str] = set()
    # every route, those of the included routers too (FastAPI keeps them apart)
    for route in iter_route_contexts(request.app.router.routes):
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(request.url.path):
            methods |= route.methods or set()
    return sorted(methods)


# Paths answered with problem documents; the rest are web pages, answered with a page
# (``app.state.problem_page``, set by the web pages when they are mounted).
API_PATHS = ("/v1", "/healthz", "/readyz", "/metrics", "/docs", "/openapi.json", "/static")


def browser_page(request: Request) -> Any:
    """The web pages' answer to a refusal (``app.state.problem_page``), when a browser asks
    for a page (HTML, a path outside the API's): a mistyped address, a wrong query."""
    page = getattr(request.app.state, "problem_page", None)
    if page is None or request.url.path.startswith(API_PATHS):
        return None
    return page if "text/html" in request.headers.get("accept", "") else None


def install(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        """FastAPI's document, with the problem schema the routes' refusals refer to."""
        if app.openapi_schema is None:
            document = generate()
            schema = ProblemRead.model_json_schema(ref_template=REF, mode="serialization")
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(schema.pop("$defs", {}))
            schemas["ProblemRead"] = schema
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override

    @app.exception_handler(Problem)
    def api_problem(request: Request, error: Problem) -> JSONResponse:
        said = language(request)
        extra = dict(error.extra)
        if "errors" in extra:
            extra["errors"] = [
                {**e, "message": render(e["message"], said)} for e in extra["errors"]
            ]
        detail = render(error.detail, said)
        return problem(request, error.code, detail, headers=error.headers, **extra)

    @app.exception_handler(Refused)
    def use_case_refused(request: Request, error: Refused) -> JSONResponse:
        where = "query" if request.method in ("GET", "HEAD") else "body"
        problem_of = refused_problem(error, where, language(request))
        return api_problem(request, problem_of)

    @app.exception_handler(DomainError)
    def domain_problem(request: Request, error: DomainError) -> JSONResponse:
        # A detail named like a member of the document itself (the petition's ``status``)
        # must not replace that member, so it is named for the petition instead.
        extra: dict[str, Any] = {
            (f"petition_{k}" if k in ProblemRead.model_fields else k): str(v)
            for k, v in error.details.items()
        }
        detail = render(error.message, language(request))
        if "field" in error.details:
            extra["errors"] = [{"field": error.details["field"], "message": detail}]
        return problem(request, error.code, detail, **extra)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError) -> Response:
        page = browser_page(request)
        if page is not None:  # the page words each fault itself, in its language
            answer: Response = page(request, "validation_error", "", {}, errors=error.errors())
            return answer
        said = language(request)
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
                "in": str(e["loc"][0]),
                "message": validation_message(e, said),
            }
            for e in error.errors()
        ]
        detail = "; ".join(e["message"].rstrip(".") for e in errors) + (
            "." if said == "vi" else ""
        )
        return problem(request, "validation_error", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    def http_problem(request: Request, error: StarletteHTTPException) -> Response:
        fallback = "bad_request" if error.status_code < 500 else "internal_error"
        code = STATUS_CODES.get(error.status_code, fallback)
        headers = dict(error.headers or {})
        if error.status_code == 405:
            # Starlette names only the first route on the path; Allow lists every method it has.
            headers["Allow"] = ", ".join(allowed_methods(request))
        page = browser_page(request)
        if page is not None:  # Starlette's own detail is its status's English phrase
            own = str(error.detail) == HTTPStatus(error.status_code).phrase
            answer: Response = page(request, code, "" if own else error.detail, headers)
            return answer
        detail = error.detail
        if not isinstance(detail, Message) and f"http.{code}" in ENGLISH:
            detail = say(f"http.{code}")  # Starlette's own words, in English only
        return problem(request, code, render(detail, language(request)), headers=headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeout)
    @app.exception_handler(TooManyRequests)
    def database_down(request: Request, error: Exception) -> Response:
        # Every pooled connection in use (or too many requests queued for one) while the
        # database answers is the service being busy, not the database being down.
        service = getattr(request.app.state, "service", None)
        busy = pool_exhausted(error) and service is not None and service.database_answers()
        code = "service_busy" if busy else "database_unavailable"
        log.warning(f"database.{'busy' if busy else 'unavailable'}", error=repr(error))
        headers = {"Retry-After": "2" if busy else "5"}
        detail = say("database.retry")
        page = getattr(request.app.state, "problem_page", None)
        if page is not None and not request.url.path.startswith(API_PATHS):
            answer: Response = page(request, code, detail, headers)
            return answer
        return problem(request, code, render(detail, language(request)), headers=headers)


def pool_exhausted(error: BaseException) -> bool:
    """No pooled connection in time, or the queue for one full (the library wraps both)."""
    exhausted = (PoolTimeout, TooManyRequests)
    return isinstance(error, exhausted) or isinstance(error.__cause__, exhausted)
