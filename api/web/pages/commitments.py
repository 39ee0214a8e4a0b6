"""The petition page's part of an answer's commitment: the written answer's form takes one
(its fields flat, as a form has no object), and the department that answered records its
progress or that it is done (with its evidence) on the page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import Field

from api.commitments import (
    FulfilmentCreate,
    ProgressCreate,
    fulfil_command,
    progress_command,
)
from api.schemas import AnswerCreate, CommitmentCreate, Day, Text
from api.web import labels
from api.web.pages.common import PageProblem
from domain.actors import Command
from domain.commitments import COST_MAX
from domain.messages import say
from domain.petition import NOTE_MAX

# The page's forms of the follow-up, each the command it issues.
PAGE_COMMANDS = {"progress": Command.RECORD_PROGRESS, "fulfil": Command.FULFIL_COMMITMENT}
PLEDGE_FIELDS = ("commitment_text", "commitment_due_on", "commitment_cost")
ANSWER_FIELDS = ("text", "document_number", "document_date", "signer", "answered_on")


class WrittenAnswerForm(AnswerCreate):
    """The written answer's form: the answer's fields, and its commitment's, flat."""

    commitment_text: Text | None = Field(default=None, max_length=NOTE_MAX)
    commitment_due_on: Day | None = None
    commitment_cost: int | None = Field(default=None, ge=0, le=COST_MAX)

    def answer(self) -> AnswerCreate:
        """The answer's body as the API takes it: the commitment an object, if any field of
        it is filled in; then its text and date are needed."""
        given = [f for f in PLEDGE_FIELDS if getattr(self, f) is not None]
        body = AnswerCreate(**self.model_dump(include=set(AnswerCreate.model_fields)))
        if not given:
            return body
        missing = [f for f in ("commitment_text", "commitment_due_on") if f not in given]
        if missing:
            fields = dict.fromkeys(missing, labels.FIELD_ERRORS["missing"])
            raise PageProblem(
                "validation_error",
                say("form.faults", faults=tuple(sorted(fields.items()))),
                fields=fields,
            )
        assert self.commitment_text is not None and self.commitment_due_on is not None
        pledge = CommitmentCreate(
            text=self.commitment_text, due_on=self.commitment_due_on, cost=self.commitment_cost
        )
        return body.model_copy(update={"commitment": pledge})


def offered(petition: dict[str, Any]) -> bool:
    """Whether the petition's latest answer has a commitment to follow on the page: still
    open, and owed once the petition is closed (the domain decides again when sent)."""
    commitments = petition.get("commitments") or []
    if not commitments:
        return False
    latest = commitments[-1]
    open_now = not latest["lapsed"] and latest["fulfilled_on"] is None
    latest_answer = latest["answer_number"] == len(petition["answers"])
    bound = petition["status"] != "closed" or latest["binding_from"] is not None
    return open_now and latest_answer and bound


def evidence(petition: dict[str, Any]) -> dict[str, str]:
    """The files of the petition's fulfilled commitments, by SHA-256: their names."""
    return {
        f["sha256"]: f["name"] for c in petition.get("commitments") or [] for f in c["evidence"]
    }


def progress(pid: UUID, body: ProgressCreate, _: Any, version: int | None, __: Any) -> Any:
    return progress_command(pid, body, version)


def fulfil(pid: UUID, body: FulfilmentCreate, _: Any, version: int | None, letters: Any) -> Any:
    return fulfil_command(pid, body, version, letters)


# The follow-up's forms: the request model, the command, the fields the form sends.
ACTION_MODELS: dict[str, tuple[type[Any], Any, tuple[str, ...]]] = {
    "progress": (ProgressCreate, progress, ("percent", "note", "on")),
    "fulfil": (FulfilmentCreate, fulfil, ("note", "on")),
}
