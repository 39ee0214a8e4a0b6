"""Errors as RFC 9457 problem details, titled in Vietnamese or English by Accept-Language.

Every refusal a client can cause gets a problem document with a stable ``code`` (also the
last segment of ``type``); nothing a client sends ends in a 500.
"""

from __future__ import annotations

from typing import Any

import structlog
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import DomainError

log = structlog.get_logger(__name__)

PROBLEM_JSON = "application/problem+json"

# code -> (status, Vietnamese title, English title)
PROBLEMS: dict[str, tuple[int, str, str]] = {
    "invalid_command": (422, "Dữ liệu không hợp lệ", "Invalid data"),
    "validation_error": (422, "Yêu cầu không đúng định dạng", "The request is malformed"),
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
    "views_behind": (
        503,
        "Số liệu tổng hợp chưa cập nhật kịp, hãy thử lại",
        "The read models have not caught up yet; retry",
    ),
    "internal_error": (500, "Lỗi hệ thống", "Internal error"),
}
STATUS_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    401: "unauthorized",
    403: "forbidden",
}


class Problem(Exception):
    """A refusal raised by the API layer itself (auth, object-level checks, waits)."""

    def __init__(
        self, code: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.code, self.detail, self.headers, self.extra = code, detail, headers or {}, extra


def english(request: Request) -> bool:
    """English if the client prefers it to Vietnamese; Vietnamese by default."""
    for part in request.headers.get("accept-language", "").split(","):
        language = part.split(";")[0].strip().lower()
        if language.startswith("vi"):
            return False
        if language.startswith("en"):
            return True
    return False


def problem(
    request: Request, code: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    status, title_vi, title_en = PROBLEMS[code]
    body = {
        "type": f"/problems/{code}",
        "title": title_en if english(request) else title_vi,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
        **extra,
    }
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    def api_problem(request: Request, error: Problem) -> JSONResponse:
        return problem(request, error.code, error.detail, headers=error.headers, **error.extra)

    @app.exception_handler(DomainError)
    def domain_problem(request: Request, error: DomainError) -> JSONResponse:
        extra: dict[str, Any] = {k: str(v) for k, v in error.details.items()}
        if "field" in error.details:
            extra["errors"] = [{"field": error.details["field"], "message": error.message}]
        return problem(request, error.code, error.message, **extra)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
                "in": str(e["loc"][0]),
                "message": e["msg"],
            }
            for e in error.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(request, "validation_error", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    def http_problem(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = STATUS_CODES.get(error.status_code, "not_found")
        return problem(request, code, str(error.detail), headers=error.headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeout)
    def database_down(request: Request, error: Exception) -> JSONResponse:
        log.warning("database.unavailable", error=repr(error))
        return problem(
            request, "database_unavailable", "retry in a few seconds", headers={"Retry-After": "5"}
        )
