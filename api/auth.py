"""Bearer-token authentication and the role checks every route declares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.problems import Problem
from domain.actors import Role
from service.bootstrap import Service
from service.tokens import Principal

bearer = HTTPBearer(auto_error=False, description="A token from `petitions token create`.")


def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
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
            "send Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = service.tokens.authenticate(credentials.credentials)
    if principal is None:
        raise Problem(
            "unauthorized",
            "the token is unknown or revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    request.state.principal = principal
    structlog.contextvars.bind_contextvars(principal=principal.token_id, role=principal.role.value)
    return principal


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency admitting only ``roles``; any other authenticated role gets 403."""
    allowed = frozenset(roles)

    def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if principal.role not in allowed:
            raise Problem(
                "forbidden",
                f"role {principal.role.value} may not use this route",
                role=principal.role.value,
            )
        return principal

    return check


READERS = (Role.CLERK, Role.COMMITTEE, Role.DEPARTMENT, Role.AUDITOR)
Reader = Annotated[Principal, Depends(require(*READERS))]
Anyone = Annotated[Principal, Depends(authenticate)]
