"""The FastAPI application: routers, error mapping, request ids and access logs, health."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from api import petitions, problems, views
from api.problems import problem
from service.bootstrap import Service
from workers.projection_worker import start_runners

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
        for name, view in service.views.items():
            position.labels(name).set_function(view.position)
            lag.labels(name).set_function(
                lambda v=view: (service.app.recorder.max_notification_id() or 0) - v.position()
            )


def create_app(service: Service, *, run_workers: bool = False) -> FastAPI:
    """The HTTP API over ``service``; with ``run_workers`` the projection runners too."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        threads = []
        if run_workers:
            threads = start_runners(
                list(service.views.values()),
                service.app.recorder,
                service.app.mapper,
                service.conninfo,
                stop,
                page_size=service.settings.projection_page_size,
            )
        yield
        stop.set()
        for thread in threads:
            thread.join(10)

    app = FastAPI(
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
    app.include_router(views.router)

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
        length = request.headers.get("content-length")
        if length is not None and (
            not length.isdigit() or int(length) > service.settings.max_body_bytes
        ):
            response: Response = problem(
                request, "payload_too_large", f"at most {service.settings.max_body_bytes} bytes"
            )
        else:
            response = await call_next(request)
        elapsed = time.perf_counter() - started
        route = getattr(request.scope.get("route"), "path", "unmatched")
        metrics.requests.labels(request.method, route, response.status_code).inc()
        metrics.latency.labels(request.method, route).observe(elapsed)
        response.headers[REQUEST_ID] = request_id
        log.info(
            "request",
            method=request.method,
            route=route,
            status=response.status_code,
            ms=round(elapsed * 1000, 1),
        )
        return response

    @app.get("/healthz", tags=["health"], summary="Liveness")
    def healthz() -> dict[str, str]:
        """The process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], summary="Readiness")
    def readyz() -> JSONResponse:
        """The database answers and every view is within the lag bound."""
        head = service.app.recorder.max_notification_id() or 0
        lags = {name: head - view.position() for name, view in service.views.items()}
        ready = all(lag <= service.settings.ready_max_lag for lag in lags.values())
        return JSONResponse(
            {"status": "ready" if ready else "behind", "position": head, "lag": lags},
            status_code=200 if ready else 503,
        )

    @app.get("/metrics", tags=["health"], summary="Prometheus metrics", response_class=Response)
    def prometheus() -> Response:
        """Request counts and latency by route; each view's position and lag."""
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app
