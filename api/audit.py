"""Auditors' routes: back-dated events, the integrity of the event log, the access log."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from api.auth import ServiceDep, may
from api.problems import problem_responses
from api.schemas import NO_NUL, Day
from api.views import MinPosition
from audit.keys import key_id, public_pem
from audit.verify import AuditVerdict, verify_database
from domain.vocabulary import values
from stores.tokens import Principal
from usecases import access
from usecases.access import UseCase

if TYPE_CHECKING:  # mypy reads only a Literal written out; to it the verdict is a string
    VerdictName: TypeAlias = str
else:
    VerdictName = Literal[values(AuditVerdict)]

router = APIRouter(prefix="/v1/audit", tags=["audit"])

BackdatedReader = Annotated[Principal, Depends(may(UseCase.BACKDATED))]
IntegrityReader = Annotated[Principal, Depends(may(UseCase.INTEGRITY))]
AccessLogReader = Annotated[Principal, Depends(may(UseCase.ACCESS_LOG))]


class BackdatedEvent(BaseModel):
    petition_id: UUID
    version: int
    type: str
    business_date: date
    recorded_on: date
    delay_days: int
    department: str | None
    actor_id: str
    actor_role: str
    actor_name: str | None = Field(
        default=None,
        description="the person's full name, or the client's; for events recorded before"
        " actors named their person, the token's name where it is known",
    )
    actor_position: str | None = Field(default=None, description="the person's position")


class BackdatedRead(BaseModel):
    tolerance_days: int
    items: list[BackdatedEvent]


class BreakRead(BaseModel):
    kind: str
    position: int
    originator_id: UUID | None
    detail: str


class IntegrityRead(BaseModel):
    log_position: int
    chain_position: int
    unchained: int
    latest_checkpoint: int | None
    key_id: str
    public_key: str
    verified: bool
    intact: bool | None
    events_checked: int | None
    seconds: float | None
    first_break: BreakRead | None
    unsigned: int | None = Field(
        description="events past the latest signed checkpoint (chained or not)"
    )
    unsigned_age_seconds: float | None = Field(
        description="how long ago the oldest of them was recorded (null: none, or unknown)"
    )
    unsigned_bound_seconds: float = Field(
        description="the age beyond which the unsigned tail fails: twice AUDIT_CHECKPOINT_SECONDS"
    )
    verdict: VerdictName | None = Field(
        description="intact; broken (see first_break); unsigned_tail: nothing was changed"
        " but events stayed unsigned longer than the bound"
    )


class AccessRead(BaseModel):
    at: datetime
    token_id: str
    actor_name: str | None = Field(
        default=None,
        description="the reader's full name, or the client's (for reads recorded before"
        " reads named their person, the token's name); null for a token no longer known",
    )
    actor_position: str | None = Field(default=None, description="the reader's position")
    role: str
    method: str
    path: str
    query: str
    request_id: str | None


@router.get(
    "/backdated",
    response_model=BackdatedRead,
    summary="Back-dated events",
    responses=problem_responses(401, 403, 422, 503),
)
def backdated(
    principal: BackdatedReader,
    service: ServiceDep,
    department: Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL)] = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
    min_position: MinPosition = None,
) -> Any:
    """Events recorded more than the tolerance after their business date, by department and
    period (of the business date), most delayed first."""
    return service.queries.backdated(
        principal.actor, department=department, start=start, end=end, min_position=min_position
    )


@router.get(
    "/integrity",
    response_model=IntegrityRead,
    summary="Integrity of the event log",
    responses=problem_responses(401, 403, 422, 503),
)
def integrity(
    principal: IntegrityReader,
    service: ServiceDep,
    verify: Annotated[bool, Query(description="walk the whole log now")] = False,
) -> Any:
    """The chain's progress and latest signed checkpoint; with ``verify=true`` a full check
    of the log against the chain and the signatures, and the events past the latest
    checkpoint (their count, the oldest one's age, the verdict)."""
    signing_key = service.chain.signing_key
    assert signing_key is not None, "bootstrap gives the chain its signing key"
    key = signing_key.public_key()
    head = service.app.recorder.max_notification_id() or 0
    chained = service.chain.position()
    status: dict[str, Any] = {
        "log_position": head,
        "chain_position": chained,
        "unchained": head - chained,
        "latest_checkpoint": service.chain.latest_checkpoint(),
        "key_id": key_id(key),
        "public_key": public_pem(key),
        "verified": verify,
        "intact": None,
        "events_checked": None,
        "seconds": None,
        "first_break": None,
        "unsigned": None,
        "unsigned_age_seconds": None,
        "unsigned_bound_seconds": 2 * service.settings.audit_checkpoint_seconds,
        "verdict": None,
    }
    if verify:
        report = verify_database(
            service.conninfo,
            service.app.datastore.schema,
            key,
            max_tail_age=status["unsigned_bound_seconds"],
        )
        age = report.tail_age
        status.update(
            intact=report.ok,
            events_checked=report.events,
            seconds=round(report.seconds, 3),
            first_break=vars(report.first_break) if report.first_break else None,
            unsigned=report.tail.events if report.ok else None,
            unsigned_age_seconds=round(age, 1) if report.ok and age is not None else None,
            verdict=report.verdict,
        )
    return status


@router.get(
    "/access-log",
    response_model=list[AccessRead],
    summary="Who read what",
    responses=problem_responses(401, 403, 422, 503),
)
def access_log(
    principal: AccessLogReader,
    service: ServiceDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """The latest recorded reads by auditors and the committee (this one included): of the
    organisation's users to an auditor of an organisation, of everyone's to the province's."""
    scope = access.organisation_scope(principal.actor, service.app.province)
    return service.access_log.entries(limit, organisations=scope)
