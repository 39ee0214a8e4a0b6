"""The request body limit: a declared Content-Length over it is refused at once, and the
bytes are counted as they arrive, since a chunked body declares no length."""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.messages import render
from api.problems import language, problem
from domain.messages import say


class BodyLimit:
    """ASGI middleware: past ``limit`` bytes the body's reader gets a 413; a multipart body
    sent to a path matching one of ``larger`` (the answer, which uploads the signed letters)
    has that path's own limit."""

    def __init__(self, app: ASGIApp, limit: int, larger: dict[str, int] | None = None) -> None:
        self.app, self.default = app, limit
        self.larger = [(re.compile(pattern), size) for pattern, size in (larger or {}).items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        multipart = headers.get("content-type", "").lower().startswith("multipart/form-data")
        limit = next(
            (
                size
                for pattern, size in self.larger
                if multipart and pattern.fullmatch(scope["path"])
            ),
            self.default,
        )
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            asked = Request(scope)
            detail = render(say("http.payload_too_large", limit=limit), language(asked))
            refusal = problem(asked, "payload_too_large", detail)
            await refusal(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, say("http.payload_too_large", limit=limit))
            return message

        await self.app(scope, counted, send)
