"""The monthly answer register over HTTP: ``GET /v1/registers/answers`` answers the
month's register of an organisation as its signed file (``audit.register``), to keep and
to check offline with ``petitions audit verify-register``. Who may read whose is ruled in
``usecases.record_access`` (``register_organisation``)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from api.auth import ServiceDep, may
from api.problems import problem_responses
from api.views import OrganisationQuery
from service.bootstrap import Service
from stores.tokens import Principal
from usecases.access import UseCase
from usecases.register import AnswerRegister

router = APIRouter(prefix="/v1", tags=["registers"])
RegisterReader = Annotated[Principal, Depends(may(UseCase.ANSWER_REGISTER))]
MonthQuery = Annotated[
    str | None,
    Query(
        min_length=7,
        max_length=7,
        pattern=r"^\d{4}-\d{2}$",
        description="The month, YYYY-MM (default: this month in Vietnam)",
    ),
]
SIGNED_FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The register and its Ed25519 signature, as one canonical JSON file",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["format", "register", "signature"],
                    "properties": {
                        "format": {"type": "string"},
                        "register": {"type": "object"},
                        "signature": {"type": "object"},
                    },
                }
            }
        },
        "headers": {
            "Content-Disposition": {
                "required": True,
                "description": "attachment; filename=…",
                "schema": {"type": "string"},
            }
        },
    }
}


def answer_register(service: Service) -> AnswerRegister:
    """The register's use case, with the service's read model and checkpoint key."""
    key = service.chain.signing_key
    assert key is not None, "bootstrap gives the chain its signing key"
    return AnswerRegister(service.app, service.views.petition_list, service.queries.numbers, key)


def file_name(register: dict[str, Any]) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", f"so-tra-loi-{register['organisation']}")
    return f"{safe}-{register['month']}.json"


def signed_response(register: dict[str, Any], data: bytes) -> Response:
    return Response(
        data,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{file_name(register)}"',
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/registers/answers",
    response_class=Response,
    summary="The month's answer register, signed",
    responses=SIGNED_FILE | problem_responses(401, 403, 422, 503),
)
def answers(
    principal: RegisterReader,
    service: ServiceDep,
    organisation: OrganisationQuery = None,
    month: MonthQuery = None,
) -> Response:
    """Every answer given to the organisation's petitions in the month (number, cell,
    department, day, the letter's number, date and signer, the SHA-256 of its
    attachments), signed with the audit checkpoint key; a cell's secretary reads its own
    organisation's only."""
    register, data = answer_register(service).signed(principal.actor, organisation, month)
    return signed_response(register, data)
