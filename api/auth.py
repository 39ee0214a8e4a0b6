"""Bearer-token authentication and the role checks every route declares."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.problems import Problem
from domain.actors import Role
from domain.messages import say
from service.bootstrap import Service
from stores.tokens import Principal
from usecases import access
from usecases.access import UseCase

bearer = HTTPBearer(auto_error=False, description="A token from `petitions token create`.")


def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    service.refresh_reference()  # another process may have changed it
    return service


ServiceDep = Annotated[Service, Depends(get_service)]


def authenticate(
    request: Request,
    service: ServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(
            "unauthorized",
            say("auth.no_bearer"),
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = service.tokens.authenticate(credentials.credentials)
    if principal is None:
        raise Problem(
            "unauthorized",
            say("auth.unknown_token"),
            headers={"WWW-Authenticate": "Bearer"},
        )
    request.state.principal = principal
    structlog.contextvars.bind_contextvars(principal=principal.token_id, role=principal.role.value)
    if request.method in ("GET", "HEAD") and principal.role in AUDITED_READERS:
        record_read(service, principal, request)
    return principal


AUDITED_READERS = frozenset({Role.AUDITOR, Role.COMMITTEE})


def record_read(service: Service, principal: Principal, request: Request) -> None:
    """Reads by auditors and the committee are recorded before they are answered; a read
    whose record cannot be written is refused."""
    try:
        service.access_log.record(
            token_id=principal.token_id,
            role=principal.role.value,
            method=request.method,
            path=request.url.path,
            query=request.url.query,
            request_id=getattr(request.state, "request_id", None),
            actor_name=principal.actor.name,
            actor_position=principal.position,
            organisation=principal.organisation,
        )
    except Exception as error:  # any failure to record refuses the read, logged
        structlog.get_logger(__name__).warning("access_log.unwritable", error=repr(error))
        raise Problem(
            "access_log_unavailable",
            say("auth.access_log"),
            headers={"Retry-After": "5"},
        ) from None


def metrics_reader(
    service: ServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """/metrics counts petitions per department of every organisation: it needs an API
    token that sees them all (the province's, or the only organisation's; any role) or the
    scrape credential METRICS_TOKEN, unless METRICS_PUBLIC; a token of one organisation
    among several is refused (403). Scrapes are not access-logged."""
    settings = service.settings
    if settings.metrics_public:
        return
    given = ""
    if credentials is not None and credentials.scheme.lower() == "bearer":
        given = credentials.credentials
    scrape = settings.metrics_token.get_secret_value()
    if given and scrape and hmac.compare_digest(given.encode(), scrape.encode()):
        return
    principal = service.tokens.authenticate(given) if given else None
    if principal is not None:
        if access.sees_every_organisation(principal.actor, service.app.province):
            return
        raise Problem(
            "forbidden",
            say("auth.metrics_scope"),
        )
    raise Problem(
        "unauthorized",
        say("auth.metrics_bearer"),
        headers={"WWW-Authenticate": "Bearer"},
    )


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency admitting only ``roles``; any other authenticated role gets 403."""
    allowed = frozenset(roles)

    def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if principal.role not in allowed:
            raise Problem(
                "forbidden",
                say("auth.role_route", role=principal.role),
                role=principal.role.value,
            )
        return principal

    check.roles = allowed  # type: ignore[attr-defined]  # what the contract's test reads
    return check


def may(*use_cases: UseCase) -> Callable[..., Principal]:
    """The dependency of a route serving ``use_cases``: the roles the use-case layer's
    rules admit to any of them (``usecases.access.ROLES``), never restated here."""
    return require(*sorted(access.roles(*use_cases)))


Anyone = Annotated[Principal, Depends(authenticate)]
