"""The page a browser is shown for a refusal or a fault: a page's own refusal (a
``PageProblem``), a mistyped address (404), a method the page does not take (405), a wrong
query (422), a fault of the service's (500) or the database down (503).

It has the site's layout, in the language chosen on the switch, else the browser's; the
user's menu and sign-out when the request carries a signed-in session (a mistyped address
has run none of the pages' checks, so the session is looked up here); and a way back: to
the page the user came from, to the start page, or to sign in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import structlog
from fastapi import Request
from fastapi.responses import Response

from api.messages import field_label, field_of, validation_message
from api.problems import PROBLEMS
from api.web import labels
from api.web.i18n import N_
from api.web.pages.common import PageProblem
from api.web.render import SESSION_COOKIE, Renderer, browser_language
from service.bootstrap import Service
from stores.sessions import Session
from usecases.signin import next_step

log = structlog.get_logger(__name__)

HEADINGS = {
    403: N_("Không có quyền truy cập"),
    404: N_("Không tìm thấy"),
    405: N_("Trang không nhận thao tác này"),
    422: N_("Thông tin chưa đúng"),
    500: N_("Lỗi hệ thống"),
    503: N_("Tạm thời không phục vụ được"),
}
OTHER_HEADING = N_("Yêu cầu không thực hiện được")
# What the page says when the refusal brings no words of its own (Starlette's are English).
SAID = {
    "not_found": N_("Không có trang này: địa chỉ có thể bị gõ sai, hoặc trang đã chuyển đi."),
    "method_not_allowed": N_(
        "Trang này không nhận yêu cầu gửi theo cách này. Hãy mở trang từ đường dẫn trên trang."
    ),
    "validation_error": N_("Địa chỉ hoặc biểu mẫu có thông tin chưa đúng:"),
    "internal_error": N_(
        "Đã có lỗi ngoài dự kiến. Lỗi đã được ghi vào nhật ký; khi báo lỗi, hãy cho biết mã"
        " yêu cầu dưới đây."
    ),
}
RETRY = N_("Hãy thử lại sau giây lát.")
# A value of a link not among a field's choices: a person picks from the page's list, so
# the page does not list the codes the API takes.
CHOICES = frozenset({"literal_error", "enum"})
NOT_A_CHOICE = N_("«%(field)s»: hãy chọn một giá trị trong danh sách của trang.")


class ErrorPages:
    """The error page, shown by the handlers ``api.web.install`` registers."""

    def __init__(self, service: Service, renderer: Renderer) -> None:
        self.service, self.renderer = service, renderer

    def session(self, request: Request) -> Session | None:
        """The signed-in session the request carries, if it has taken every step of signing
        in; none when it cannot be read (the page of a database down must still show)."""
        session_id = request.cookies.get(SESSION_COOKIE)
        if not session_id or len(session_id) > 200:
            return None
        try:
            session = self.service.sessions.find(session_id)
        except Exception:  # the page says what went wrong, signed in or not
            log.warning("error_page.session_unread", exc_info=True)
            return None
        if session is None or next_step(session, self.service.settings.totp_required):
            return None
        return session

    def page(
        self,
        request: Request,
        problem: PageProblem,
        headers: Mapping[str, str] | None = None,
        faults: Sequence[str] | None = None,
    ) -> Response:
        """The page of ``problem``; ``faults``: what is wrong with each field, said already
        (else the problem's fields, by their labels, when its detail does not name them)."""
        # with the database unreachable, no session is looked up (nor waited for)
        session = self.session(request) if problem.status != 503 else None
        language = browser_language(request)
        tr = self.renderer.translate[language]
        status = problem.status
        _, vietnamese, english = PROBLEMS[problem.code]
        title = vietnamese if language == "vi" else english
        if faults is None:
            shown = problem.fields if not problem.detail else {}
            faults = [f"{tr(label)}: {tr(message)}" for label, message in faults_of(shown)]
        if status == 500:  # the fault's own words stay in the log
            said = tr(SAID["internal_error"])
        elif status >= 500:
            said = f"{title}. {tr(RETRY)}"
        elif problem.detail:
            said = tr(problem.detail)
        else:
            said = tr(SAID[problem.code]) if problem.code in SAID else title
        response = self.renderer.page(
            request,
            "error.html",
            status=status,
            language=language,
            principal=session.principal if session else None,
            csrf=session.csrf if session else None,
            problem=problem,
            heading=tr(HEADINGS.get(status, OTHER_HEADING)),
            said=said,
            faults=faults,
            back=way_back(request),
            request_id=getattr(request.state, "request_id", None) if status >= 500 else None,
        )
        response.headers.update(headers or {})
        return response

    def problem_page(
        self,
        request: Request,
        code: str,
        detail: str,
        headers: Mapping[str, str],
        *,
        errors: Sequence[Mapping[str, Any]] = (),
    ) -> Response:
        """The page of a refusal the API's handlers caught (``api.problems``): a wrong query
        (``errors``: pydantic's, each said in the page's language), a mistyped address, a
        fault."""
        language = browser_language(request)
        tr = self.renderer.translate[language]
        faults = [
            tr(NOT_A_CHOICE) % {"field": field_label(field_of(e.get("loc") or ()), language)}
            if e.get("type") in CHOICES
            else validation_message(e, language)
            for e in errors
        ]
        return self.page(request, PageProblem(code, detail), headers, faults)


def faults_of(fields: Mapping[str, str]) -> list[tuple[str, str]]:
    """Each field at fault by its label (its name where it has none) and what is wrong."""
    return [
        (labels.FIELDS.get(name, name), message) for name, message in sorted(fields.items()) if name
    ]


def way_back(request: Request) -> str | None:
    """The page the user came from, if it is a page of this site (not this one)."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return None
    back = referer.path + ("?" + referer.query if referer.query else "")
    here = request.url.path + ("?" + request.url.query if request.url.query else "")
    return None if back == here or back.startswith("//") else back
