"""What the API answers of an answer's commitments (``domain.commitments``): on the
petition, and in a briefing's packet. The bodies of the follow-up are ``api.commitments``';
the written answer's ``commitment`` is ``api.schemas.CommitmentCreate``."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field


class EvidenceRead(BaseModel):
    """A file showing the commitment done, recorded as an answer's letters are."""

    name: str
    sha256: str
    size: int
    content_type: str | None = None


class CommitmentRead(BaseModel):
    department: str
    text: str
    due_on: date
    cost: int | None = Field(description="VND, if the answer names one")
    made_on: date
    answer_number: int = Field(description="The answer that made it (1 for the first)")
    binding_from: date | None = Field(
        description="The day the cells' satisfied verdict made it owed; null before"
    )
    lapsed: bool = Field(description="The cells did not accept its answer: nothing is owed")
    percent: int
    note: str | None = Field(description="The latest progress's note, or the fulfilment's")
    progressed_on: date | None
    fulfilled_on: date | None
    evidence: list[EvidenceRead]


class PacketCommitment(BaseModel):
    """An owed commitment not done yet that falls due before the briefing."""

    petition_id: UUID
    number: str | None = Field(description="The petition's number, as the petition's own")
    seq: int
    department: str
    text: str
    due_on: date
    cost: int | None
    made_on: date
    binding_from: date
    percent: int
    note: str | None
    progressed_on: date | None
    summary: str
    commune: str
    cell: str
    raised_on: date
