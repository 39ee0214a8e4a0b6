"""The FastAPI application: routers, error mapping, request ids and access logs, health."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import psycopg
import structlog
from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi_offline import FastAPIOffline
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from api import (
    answer_quality,
    audit,
    clearance,
    clock,
    commitments,  # its routes are the petitions' router's
    coordination,
    duties,
    exports,
    imports,
    meeting_calendar,
    meeting_exports,
    meeting_reports,
    meetings,
    notes,
    organisations,
    petitions,
    problems,
    quality_export,
    register,
    repeats,
    reports,
    views,
)
from api.auth import metrics_reader
from api.limits import BodyLimit
from api.problems import (
    PROBLEM_JSON,
    PROBLEM_RESPONSES,
    problem,
    problem_responses,
    server_error,
)
from api.schemas import ReadinessRead
from api.web import install as web
from audit.redaction import redact, redact_query
from projections.base import View
from service.bootstrap import Service

log = structlog.get_logger("petitions.http")
REQUEST_ID = "X-Request-ID"


class Metrics:
    def __init__(self, service: Service) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "petitions_http_requests",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "petitions_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
        )
        lag = Gauge(
            "petitions_view_lag_events",
            "Events recorded but not yet in a view",
            ["view"],
            registry=self.registry,
        )
        position = Gauge(
            "petitions_view_position",
            "Last log position a view processed",
            ["view"],
            registry=self.registry,
        )
        for view in service.runners:
            name = view.name
            position.labels(name).set_function(view.position)
            lag.labels(name).set_function(partial(self.lag, view))
        self.registry.register(ViewFigures(service))
        self.service = service

    def lag(self, view: View) -> float:
        """Events recorded but not yet in ``view``."""
        return (self.service.app.recorder.max_notification_id() or 0) - view.position()


class ViewFigures:
    """Figures read from the views at each scrape: events recorded by type, open and
    overdue petitions by department."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def describe(self) -> list[Any]:
        return []

    def collect(self) -> Iterator[GaugeMetricFamily]:
        views = self.service.views
        events = GaugeMetricFamily(
            "petitions_events_recorded", "Petition events recorded", labels=["type"]
        )
        for kind, count in sorted(views.backdating.counts_by_type().items()):
            events.add_metric([kind], count)
        yield events
        open_ = GaugeMetricFamily(
            "petitions_open", "Open petitions by department in charge", labels=["department"]
        )
        for department, count in views.petition_list.open_by_department().items():
            open_.add_metric([department or "none"], count)
        yield open_
        overdue = GaugeMetricFamily(
            "petitions_overdue",
            "Overdue today, by department and kind",
            labels=["department", "kind"],
        )
        counts: dict[tuple[str, str], int] = {}
        board = views.overdue.board(self.service.app.today(), limit=0)
        for total in board.totals:  # per department and zone: the zones added up
            for kind in ("answer", "verification"):
                if total[kind]:
                    key = (total["department"] or "none", kind)
                    counts[key] = counts.get(key, 0) + total[kind]
        for (department, kind), count in sorted(counts.items()):
            overdue.add_metric([department, kind], count)
        yield overdue


# Starts threads that run until the event is set (the projection runners of ``serve``).
Background = Callable[[threading.Event], list[threading.Thread]]


def create_app(service: Service, *, background: Background | None = None) -> FastAPI:
    """The HTTP API over ``service``; with ``background`` the threads it starts (the
    projection runners) run while the app serves, and are stopped with it."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        threads = background(stop) if background is not None else []
        yield
        stop.set()
        for thread in threads:
            thread.join(10)

    app = FastAPIOffline(
        title="Petition tracker",
        version="0.1.0",
        description="Theo dõi ý kiến, kiến nghị của chi bộ — the petitions raised by party "
        "cells, from briefing to verified answer. Bearer tokens from `petitions token create`.",
        lifespan=lifespan,
    )
    app.state.service = service
    metrics = Metrics(service)
    problems.install(app)
    app.include_router(petitions.router)
    app.include_router(clock.router)
    app.include_router(notes.router)
    assert commitments.petitions_router is petitions.router  # included above, with its routes
    app.include_router(repeats.router)
    app.include_router(views.router)
    app.include_router(coordination.router)  # its commands are on the petitions' router
    app.include_router(organisations.router)
    app.include_router(audit.router)
    app.include_router(imports.router)
    app.include_router(exports.router)
    app.include_router(quality_export.router)
    app.include_router(meeting_exports.router)
    app.include_router(reports.router)
    app.include_router(meeting_calendar.router)  # before /meetings/{id}'s routes
    app.include_router(meetings.router)
    app.include_router(meeting_reports.router)
    app.include_router(duties.router)
    app.include_router(clearance.router)
    app.include_router(register.router)
    app.include_router(answer_quality.router)
    web.install(app, service)
    app.add_middleware(
        BodyLimit,
        limit=service.settings.max_body_bytes,
        # An answer sent as a multipart form carries the signed letters: its own limit, and
        # a refusal naming the letter for one just over it (up to twice the limit; past
        # that a plain 413). Through the pages and the API alike.
        larger={r"(/v1)?/petitions/[^/]+/answer": 2 * service.settings.max_upload_bytes},
    )

    @app.middleware("http")
    async def trace(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Any:
        incoming = request.headers.get(REQUEST_ID, "")
        request_id = (
            incoming if 0 < len(incoming) <= 100 and incoming.isprintable() else (uuid.uuid4().hex)
        )
        request.state.request_id = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        failure: Exception | None = None
        try:
            response = await call_next(request)
        except Exception as error:  # a fault of the service: answered, counted and logged
            failure, response = error, server_error(request)
        elapsed = time.perf_counter() - started
        route = getattr(request.scope.get("route"), "path", "unmatched")
        metrics.requests.labels(request.method, route, response.status_code).inc()
        metrics.latency.labels(request.method, route).observe(elapsed)
        response.headers[REQUEST_ID] = request_id
        principal = getattr(request.state, "principal", None)
        fields = {
            "method": request.method,
            "route": route,
            "path": redact(request.url.path),
            **({"query": redact_query(request.url.query)} if request.url.query else {}),
            "status": response.status_code,
            "ms": round(elapsed * 1000, 1),
            "principal": principal.token_id if principal else None,
            "role": principal.role.value if principal else None,
        }
        if failure is None:
            log.info("request", **fields)
        else:  # the request's one line, with the traceback the client was not shown
            log.error("request.failed", exc_info=failure, **fields)
        return response

    @app.get("/healthz", tags=["health"], summary="Liveness")
    def healthz() -> dict[str, str]:
        """The process answers."""
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["health"],
        summary="Readiness",
        response_model=ReadinessRead,
        responses={
            503: {
                "model": ReadinessRead,
                "description": "A view lags more than the bound, or the database is unavailable",
                "content": {PROBLEM_JSON: PROBLEM_RESPONSES[503]["content"][PROBLEM_JSON]},
            }
        },
    )
    def readyz(request: Request) -> JSONResponse:
        """The database answers (within 2 s, on a connection of its own) and every view and
        the audit chain are within the lag bound."""
        try:
            readiness = service.readiness()
        except psycopg.Error as error:
            log.warning("readyz.database_unavailable", error=repr(error))
            return problem(
                request,
                "database_unavailable",
                "the database does not answer",
                headers={"Retry-After": "5"},
            )
        return JSONResponse(readiness, status_code=200 if readiness["status"] == "ready" else 503)

    @app.get(
        "/metrics",
        tags=["health"],
        summary="Prometheus metrics",
        response_class=PlainTextResponse,  # documents text/plain; the body is Prometheus text
        dependencies=[Depends(metrics_reader)],
        responses=problem_responses(401, 403, 503),
    )
    def prometheus() -> Response:
        """Request counts and latency by route; each view's position and lag; petitions
        open and overdue by department. Any API token, or METRICS_TOKEN (not needed when
        METRICS_PUBLIC is true)."""
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app
